"""Check-ins, metric sets and metrics in the admin: read-only (they change through their services), and per
program: a manager of another program sees none of them, not even by typing an id."""

import pytest
from django.urls import reverse

from cohorts.checkins import checkin_submit, metric_add, metric_set_create
from cohorts.models import CheckIn, Metric, MetricSet
from tests.cohorts.checkins.conftest import FULL, NOVEMBER, answers
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept, program_manager

MODELS = {"checkin": CheckIn, "metric": Metric, "metricset": MetricSet}


@pytest.fixture
def sent(clock, metric_set, venture, member):
    metric_add(metric_set=metric_set, name="Quotes sent", kind="count", by=None)
    typed = {**answers(metric_set, **FULL), metric_set.metrics.get(name="Quotes sent").pk: "3"}
    return checkin_submit(venture=venture, month=NOVEMBER, typed=typed, currency="ILS", by=member)


@pytest.fixture
def staff_manager(cohort):
    return program_manager(cohort.program, name="Mona Manager")


@pytest.fixture
def zeta(clock):
    """Another program's check-in, every name in it saying Zeta."""
    program = ProgramFactory(name="Zeta program")
    cohort = CohortFactory(program=program, name="Zeta cohort", starts_on=NOVEMBER.replace(month=1))
    metric_set = metric_set_create(program=program, currency="EUR", by=None)
    metric_add(metric_set=metric_set, name="Zeta metric", kind="text", by=None)
    member = accept(cohort, UserFactory(name="Zeta Member"), venture_name="Zeta venture").person
    venture = cohort.ventures.get()
    typed = {metric.pk: "0" if metric.kind != "text" else "Zeta words" for metric in metric_set.metrics.all()}
    return checkin_submit(venture=venture, month=NOVEMBER, typed=typed, currency="EUR", by=member)


def test_a_manager_reads_the_program_s_check_ins_with_their_answers(client, staff_manager, sent):
    client.force_login(staff_manager)
    listed = client.get(reverse("admin:cohorts_checkin_changelist")).content.decode()
    assert "Mira Studio" in listed
    page = client.get(reverse("admin:cohorts_checkin_change", args=[sent.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "12500" in html and "Quotes sent" in html and "Mira Member" in html
    assert 'name="status"' not in html and "pbkdf2" not in html and "argon2" not in html
    metric_set = sent.venture.cohort.program.metric_set
    set_page = client.get(reverse("admin:cohorts_metricset_change", args=[metric_set.pk])).content.decode()
    assert "Quotes sent" in set_page
    assert reverse("programs:checkin_metrics", args=[metric_set.program.slug]) in set_page


@pytest.mark.parametrize("model", MODELS)
def test_nothing_is_added_changed_or_deleted_here(client, staff_manager, sent, model):
    client.force_login(staff_manager)
    row = MODELS[model].objects.order_by("pk").first()
    assert client.get(reverse(f"admin:cohorts_{model}_add")).status_code == 403
    assert client.post(reverse(f"admin:cohorts_{model}_change", args=[row.pk]), {}).status_code == 403
    assert client.post(reverse(f"admin:cohorts_{model}_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert MODELS[model].objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", MODELS)
def test_a_manager_of_another_program_sees_none_of_it(client, staff_manager, sent, zeta, model):
    client.force_login(staff_manager)
    listed = client.get(reverse(f"admin:cohorts_{model}_changelist"))
    assert listed.status_code == 200 and "zeta" not in listed.content.decode().lower()
    theirs = (
        MODELS[model]
        .objects.filter(
            **{
                "checkin": {"pk": zeta.pk},
                "metric": {"name": "Zeta metric"},
                "metricset": {"program__name": "Zeta program"},
            }[model]
        )
        .get()
    )
    for name in ("change", "history", "delete"):
        response = client.get(reverse(f"admin:cohorts_{model}_{name}", args=[theirs.pk]), follow=True)
        assert "zeta" not in response.content.decode().lower(), name


def test_the_list_filters_offer_only_the_program_s_cohorts(client, staff_manager, sent, zeta):
    client.force_login(staff_manager)
    html = client.get(reverse("admin:cohorts_checkin_changelist")).content.decode()
    assert "Zeta cohort" not in html
    other = program_manager(zeta.venture.cohort.program)
    client.force_login(other)
    assert "Mira Studio" not in client.get(reverse("admin:cohorts_checkin_changelist")).content.decode()
