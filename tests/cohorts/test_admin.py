import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.models import Membership
from tests.factories import CohortFactory, ProgramFactory, UserFactory

MODELS = ["program", "cohort", "membership", "memberprofile", "venture", "post", "initiative"]


@pytest.mark.parametrize("model", MODELS)
def test_program_manager_opens_each_cohorts_admin_list(client, member, post, initiative, model):
    client.force_login(UserFactory(roles=["Program manager"], is_staff=True))
    assert client.get(reverse(f"admin:cohorts_{model}_changelist")).status_code == 200


def test_membership_status_is_read_only_in_the_admin(client, member):
    """Statuses change through the service (dated, explained, audited), never by editing the row."""
    client.force_login(UserFactory(roles=["Program manager"], is_staff=True))
    membership = Membership.objects.get(person=member)
    page = client.get(reverse("admin:cohorts_membership_change", args=[membership.pk])).text
    assert 'name="status"' not in page
    assert client.get(reverse("admin:cohorts_membership_add")).status_code == 403


@pytest.mark.parametrize("slug", ["invitations", "programs", "digest"])
def test_a_cohort_cannot_take_an_address_of_the_portals_own_pages(db, slug):
    cohort = CohortFactory.build(program=ProgramFactory(), slug=slug)
    with pytest.raises(ValidationError) as refused:
        cohort.full_clean()
    assert "slug" in refused.value.message_dict
