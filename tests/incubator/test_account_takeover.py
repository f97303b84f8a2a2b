"""Staff cannot take over accounts: passwords, emails, staff and superuser flags and groups are for superusers.
Records nobody deletes: decisions, scoring history, versions, assignments, audit and ledger rows."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from applications.models import ApplicationVersion
from applications.scoring.decisions import decisions_record
from applications.scoring.models import Decision, ReviewerAssignment
from incubator.models import AuditTrail, Notification, User
from incubator.roles import PROGRAM_MANAGER
from tests.applications.scoring.factories import manager, reviewer, score, scoring_call, submitted
from tests.factories import UserFactory


@pytest.fixture
def call(db):
    return scoring_call(slug="takeover")


@pytest.fixture
def staff_manager(call):
    return manager(call.cohort.program, name="Sam Staff")


@pytest.fixture
def superuser(db):
    return UserFactory(name="Root", is_superuser=True, is_staff=True)


def test_a_manager_cannot_open_anyones_password_form(client, staff_manager, superuser, call):
    applicant = submitted(call, name="Aya Applicant").applicant  # a person of the manager's own program
    client.force_login(staff_manager)
    for target in (superuser, applicant, staff_manager):
        url = reverse("admin:auth_user_password_change", args=[target.pk])
        assert client.get(url).status_code == 403
        response = client.post(url, {"password1": "taken-over-2026!", "password2": "taken-over-2026!"})
        assert response.status_code == 403
        target.refresh_from_db()
        assert not target.check_password("taken-over-2026!")


def test_a_manager_cannot_change_emails_flags_or_groups_of_any_account(client, staff_manager, superuser, call):
    applicant = submitted(call, name="Aya Applicant").applicant
    client.force_login(staff_manager)
    for target in (applicant, superuser, staff_manager):
        url = reverse("admin:incubator_user_change", args=[target.pk])
        data = {
            "email": "attacker@example.org",
            "name": "Taken",
            "preferred_language": "en",
            "time_zone": "UTC",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [Group.objects.get(name=PROGRAM_MANAGER).pk],
        }
        assert client.post(url, data).status_code in (403, 302)
        before = User.objects.get(pk=target.pk)
        assert before.email != "attacker@example.org" and before.name != "Taken"
    applicant.refresh_from_db()
    assert not applicant.is_superuser and not applicant.is_staff and not applicant.groups.exists()
    staff_manager.refresh_from_db()
    assert not staff_manager.is_superuser
    assert client.post(reverse("admin:incubator_user_add"), {"email": "new@example.org"}).status_code == 403


def test_a_manager_reads_the_people_of_their_program_only(client, staff_manager, call):
    ours = submitted(call, name="Aya Applicant").applicant
    elsewhere = submitted(scoring_call(slug="elsewhere"), name="Zed Elsewhere").applicant
    client.force_login(staff_manager)
    page = client.get(reverse("admin:incubator_user_changelist")).content.decode()
    assert ours.email in page and elsewhere.email not in page
    assert client.get(reverse("admin:incubator_user_change", args=[ours.pk])).status_code == 200
    assert client.get(reverse("admin:incubator_user_change", args=[elsewhere.pk])).status_code in (302, 403)


def test_a_superuser_still_changes_passwords_and_groups(client, superuser, staff_manager):
    client.force_login(superuser)
    url = reverse("admin:auth_user_password_change", args=[staff_manager.pk])
    response = client.post(
        url, {"password1": "new-pass-2026!x", "password2": "new-pass-2026!x", "usable_password": "true"}
    )
    assert response.status_code == 302
    staff_manager.refresh_from_db()
    assert staff_manager.check_password("new-pass-2026!x")


def test_the_program_manager_group_holds_no_power_over_accounts_or_the_audit_log(db):
    codenames = set(Group.objects.get(name=PROGRAM_MANAGER).permissions.values_list("codename", flat=True))
    assert "view_user" in codenames
    assert not {"change_user", "add_user", "delete_user", "view_audittrail"} & codenames


# --- records nobody deletes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff_manager", "superuser"])
def test_deleting_the_records_is_refused_in_the_admin_for_everyone(client, call, who, request):
    person = request.getfixturevalue(who)
    judge = reviewer(call.cohort.program)
    application = submitted(call, name="Aya Applicant")
    score(application, judge, 4)
    decisions_record(applications=[application], outcome="accept", by=request.getfixturevalue("staff_manager"))
    records = [
        Decision.objects.get(),
        ApplicationVersion.objects.get(),
        ReviewerAssignment.objects.get(),
        AuditTrail.objects.first(),
        Notification.objects.first(),
    ]
    client.force_login(person)
    for obj in records:
        model = type(obj)
        delete_url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[obj.pk])
        assert client.post(delete_url, {"post": "yes"}).status_code in (403, 302), model
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        client.post(changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
        assert model.objects.filter(pk=obj.pk).exists(), f"{model._meta.label} was deleted"
