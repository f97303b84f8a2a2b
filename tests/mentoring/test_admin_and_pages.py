"""Admin scoped per program, the assignment pages with ranked suggestions, the cohort dashboard's figures."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cohorts.models import MemberProfile
from mentoring import assignments, services
from mentoring.models import Assignment, MentorProfile
from tests.factories import UserFactory

pytestmark = pytest.mark.calendar


def staff(person):
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    person.groups.add(Group.objects.get(name="Program manager"))
    return person


@pytest.mark.parametrize("model", ["session", "sessionkind", "assignment"])
def test_managers_see_only_their_programs_rows_in_the_admin(client, held, manager, other_manager, model):
    client.force_login(staff(manager))
    page = client.get(reverse(f"admin:mentoring_{model}_changelist"))
    assert page.status_code == 200 and "0 results" not in page.text
    client.force_login(staff(other_manager))
    page = client.get(reverse(f"admin:mentoring_{model}_changelist"))
    assert page.status_code == 200 and held.program.name not in page.text
    row = {"session": held, "sessionkind": held.kind, "assignment": Assignment.objects.first()}[model]
    assert client.get(reverse(f"admin:mentoring_{model}_change", args=[row.pk])).status_code in (302, 403, 404)
    assert client.post(reverse(f"admin:mentoring_{model}_delete", args=[row.pk]), {"post": "yes"}).status_code in (
        302, 403, 404,
    )  # fmt: skip
    assert type(row).objects.filter(pk=row.pk).exists()


def test_session_kind_choices_in_the_admin_are_the_managers_programs(client, held, other_manager, other_program):
    services.session_kinds_ensure(other_program)
    client.force_login(staff(other_manager))
    page = client.get(reverse("admin:mentoring_sessionkind_add")).text
    assert other_program.name in page and held.program.name not in page


def test_suggestions_rank_mentors_with_their_reasons(
    client, program, manager, mentor, other_mentor, participant, region
):
    MentorProfile.objects.create(user=other_mentor, expertise=["photography"], languages=["en"], capacity_mentees=4)
    MentorProfile.objects.create(user=mentor, expertise=["video"], languages=["he"], capacity_mentees=2)
    MemberProfile.objects.create(user=participant, field="photography")
    newcomer = UserFactory(name="Nina Newcomer", preferred_language="en")
    from tests.factories import accept

    membership = accept(participant.memberships.get().cohort, newcomer, region=region, venture_name="Nina Studio")
    MemberProfile.objects.create(user=newcomer, field="photography")
    client.force_login(manager)
    page = client.get(reverse("mentoring:assignment_suggest", args=[program.slug, newcomer.pk])).content.decode()
    first, second = page.index("Olek Othermentor"), page.index("Meir Mentor")
    assert first < second
    assert "Photography · speaks English · mentors in Jerusalem · 3 of 4 places free" in page
    assert "0 of 2 places free" in page
    response = client.post(
        reverse("mentoring:assignment_suggest", args=[program.slug, newcomer.pk]),
        {"mentor": other_mentor.pk, "venture": membership.cohort.ventures.get(name="Nina Studio").pk},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(mentor=other_mentor, mentee=newcomer, ended_at=None)
    assert assignment.venture.name == "Nina Studio"
    overview = client.get(reverse("mentoring:assignments", args=[program.slug]), {"q": "Nina"}).content.decode()
    assert "Nina Newcomer" in overview and "Mira Mentee" not in overview
    del membership


def test_assignment_pages_are_for_the_programs_managers_only(client, program, mentor, mentee, other_manager, outsider):
    for person in (mentor, mentee, other_manager, outsider):
        client.force_login(person)
        assert client.get(reverse("mentoring:assignments", args=[program.slug])).status_code == 404
        assert client.get(reverse("mentoring:assignment_suggest", args=[program.slug, mentee.pk])).status_code == 404
        response = client.post(
            reverse("mentoring:assignment_suggest", args=[program.slug, mentee.pk]), {"mentor": mentor.pk}
        )
        assert response.status_code == 404
        assignment = Assignment.objects.get(mentee=mentee)
        assert client.post(reverse("mentoring:assignment_end", args=[program.slug, assignment.pk])).status_code == 404
    assert Assignment.objects.filter(ended_at=None).count() == 2


def test_the_funder_report_opened_from_a_cohorts_dashboard_covers_the_cohorts_dates(client, cohort, manager):
    """Before, it showed the last 12 months: all zeros for a cohort that ended earlier."""
    cohort.starts_on, cohort.ends_on = datetime.date(2022, 10, 1), datetime.date(2023, 9, 30)
    cohort.save(update_fields=["starts_on", "ends_on"])
    client.force_login(manager)
    page = client.get(reverse("cohorts:dashboard", args=[cohort.slug])).content.decode()
    link = re.search(r'href="([^"]+)" data-testid="cohort-report"', page).group(1).replace("&amp;", "&")
    report = client.get(link)
    assert report.status_code == 200
    form = report.context["form"]
    assert (form.cleaned_data["start"], form.cleaned_data["end"]) == (cohort.starts_on, cohort.ends_on)


def test_the_cohort_dashboard_shows_mentoring_figures(
    client, cohort, program, kinds, manager, mentor, mentee, second_mentee
):
    now = timezone.now()
    # "Held this month" counts in the program's zone: a session 3 hours ago may fall in last month there.
    zone = ZoneInfo(str(program.time_zone))
    if timezone.localtime(now - datetime.timedelta(hours=3), zone).month != timezone.localtime(now, zone).month:
        with time_machine.travel(now + datetime.timedelta(hours=4)):
            _log_and_read_the_figures(client, cohort, program, kinds, manager, mentor, mentee)
    else:
        _log_and_read_the_figures(client, cohort, program, kinds, manager, mentor, mentee)


def _log_and_read_the_figures(client, cohort, program, kinds, manager, mentor, mentee):
    now = timezone.now()
    services.session_log(
        program=program, kind=kinds["individual"], starts_at=now - datetime.timedelta(hours=3), minutes=60,
        participants=[mentee], summary="s", by=mentor,
    )  # fmt: skip
    with time_machine.travel(now - datetime.timedelta(days=4)):  # scheduled then, never logged since
        services.session_schedule(
            program=program, kind=kinds["workshop"], starts_at=now - datetime.timedelta(days=3),
            ends_at=now - datetime.timedelta(days=3) + datetime.timedelta(hours=1), participants=[mentee], by=mentor,
            notify=False,
        )  # fmt: skip
    client.force_login(manager)
    page = client.get(reverse("cohorts:dashboard", args=[cohort.slug])).content.decode()
    assert 'data-testid="figure-held">1<' in page
    assert 'data-testid="figure-quiet">1<' in page  # second_mentee
    assert 'data-testid="figure-unlogged">1<' in page


@pytest.mark.parametrize("size", [1, 20])
def test_the_assignment_list_runs_a_fixed_number_of_queries(
    client, program, cohort, region, manager, mentor, django_assert_num_queries, size
):
    from tests.factories import accept

    for _ in range(size):
        person = accept(cohort, UserFactory(), region=region).person
        assignments.assignment_create(program=program, mentor=mentor, mentee=person, by=manager)
    client.force_login(manager)
    # session, user, the program, managed program ids, memberships with person, cohort and region,
    # their assignments with mentors, role groups (nav)
    with django_assert_num_queries(7):
        response = client.get(reverse("mentoring:assignments", args=[program.slug]))
    assert response.content.decode().count("Assign a mentor</a>") == size + 2  # and the two fixture mentees


def test_the_session_admin_offers_only_the_programs_people(client, held, manager, mentee, stranger):
    client.force_login(staff(manager))
    change = reverse("admin:mentoring_session_change", args=[held.pk])
    form = client.get(change).context["adminform"].form
    inline = client.get(change).context["inline_admin_formsets"]
    people = inline[0].formset.forms[0].fields["person"].queryset
    assert mentee in people and stranger not in people
    assert stranger not in form.fields["facilitators"].queryset
    page = client.get(change).content.decode()
    assert "Stan Stranger" not in page
