"""The managers' "needs you" list: one line per kind of thing left waiting, with its count and the page where it is
dealt with; a manager of another program sees none of it; a fixed number of queries whatever the number of rows."""

import datetime

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from applications.models import Application
from applications.scoring.assignments import assignment_create, assignments_bulk_create
from applications.scoring.models import ReviewSettings
from applications.services import application_start
from cohorts.invitations import program_role_invite
from cohorts.needs_you import needs_you_lines
from incubator import delivery, emails, notifications
from incubator.models import Notification, User
from incubator.notifications import Claim
from mentoring.models import SessionKind
from mentoring.services import ActionItemInput, session_kinds_ensure, session_log, session_schedule
from tests.applications.factories import make_call, program_with_regions
from tests.applications.scoring.factories import REGIONS, score, scoring_call, submitted
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept, grant, program_manager
from tests.workspaces.factories import bizmax_setup, participant
from workspaces import services as workspaces_services

# Monday 1 June 2026, 09:00 in Jerusalem.
NOW = datetime.datetime(2026, 6, 1, 6, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def clock(db):
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def other_manager(db):
    """A manager of another program, who must see nothing of the program under test."""
    return program_manager(ProgramFactory(name="Elsewhere", slug="elsewhere"))


def lines_of(manager, program):
    """A fresh copy of the manager (no cached program ids) and their lines for the program."""
    return needs_you_lines(User.objects.get(pk=manager.pk), [program])


def assert_nothing_for(other_manager, program):
    other_program = other_manager.managed_programs.get()
    assert lines_of(other_manager, other_program) == []
    assert lines_of(other_manager, program) == []  # not theirs: not even asked


def only(lines, level=None):
    assert len(lines) == 1, [line.text for line in lines]
    if level:
        assert lines[0].level == level
    return lines[0]


# Calls and reviews --------------------------------------------------------------------------------------------


def test_applications_waiting_for_a_review_past_the_reviewers_deadline(clock, other_manager):
    call = scoring_call(slug="late", review_deadline=NOW + 2 * DAY)
    program = call.cohort.program
    manager = program_manager(program)
    slow, quick = UserFactory(name="Slow"), UserFactory(name="Quick")
    grant(program, slow, "reviewer")
    waiting = [submitted(call, name=f"Waiting {n}") for n in range(2)]
    for application in waiting:
        assignment_create(application=application, reviewer=slow, by=manager)
    score(submitted(call, name="Reviewed"), quick, 4)  # its only review is in: not waiting
    assert lines_of(manager, program) == []  # before the deadline nothing is late

    clock.move_to(NOW + 3 * DAY)
    line = only(lines_of(manager, program), "danger")
    assert line.count == 2
    assert line.url == reverse("scoring:ranking", args=[call.slug])
    assert "Call late" in line.text and "2 applications" in line.text
    assert line.program == program
    assert_nothing_for(other_manager, program)


def test_reviewer_load_out_of_balance(clock, other_manager):
    call = scoring_call(slug="load", review_deadline=NOW + 20 * DAY)
    program = call.cohort.program
    manager = program_manager(program)
    busy, idle = UserFactory(name="Busy"), UserFactory(name="Idle")
    for person in (busy, idle):
        grant(program, person, "reviewer")
    applications = [submitted(call, name=f"Applicant {n}") for n in range(7)]
    assignments_bulk_create(applications=applications[:6], reviewer=busy, by=manager)
    assignments_bulk_create(applications=applications[6:], reviewer=idle, by=manager)
    assert lines_of(manager, program) == []  # 6 against 1: a spread of 5 is still fine

    assignment_create(application=applications[6], reviewer=busy, by=manager)
    line = only(lines_of(manager, program), "warning")
    assert line.count == 7
    assert line.text == "Reviewer load is out of balance on “Call load”: from 1 to 7 unfinished reviews per reviewer"
    assert line.url == reverse("admin:applications_reviewerassignment_changelist") + f"?call__id__exact={call.pk}"
    assert_nothing_for(other_manager, program)


def test_a_call_closing_within_a_week_with_many_drafts(clock, other_manager):
    program = program_with_regions(slug="closing-program", regions=REGIONS)
    manager = program_manager(program)
    call = make_call(slug="closing", program=program, closes_at=NOW + 5 * DAY, questions=False)
    later = make_call(slug="later", program=program, closes_at=NOW + 9 * DAY, questions=False)
    for _n in range(5):
        application_start(call=call, applicant=UserFactory())
        application_start(call=later, applicant=UserFactory())
    for n in range(6):
        submitted(call, name=f"Submitted {n}")
    line = only(lines_of(manager, program), "info")  # 5 drafts: many, though fewer than the 6 submitted
    assert line.count == 5
    assert line.text == "“Call closing” closes within a week with 5 applications still in draft"
    assert line.url.startswith(reverse("admin:applications_application_changelist"))
    assert f"call__id__exact={call.pk}" in line.url and "status__exact=draft" in line.url
    assert_nothing_for(other_manager, program)


def test_few_drafts_count_when_they_are_as_many_as_the_submissions(clock):
    program = program_with_regions(slug="few-program", regions=REGIONS)
    manager = program_manager(program)
    call = make_call(slug="few", program=program, closes_at=NOW + 2 * DAY, questions=False)
    application_start(call=call, applicant=UserFactory())
    submitted(call)
    submitted(call)
    assert lines_of(manager, program) == []  # 1 draft, 2 submitted
    application_start(call=call, applicant=UserFactory())
    assert only(lines_of(manager, program)).count == 2


# Mentoring ----------------------------------------------------------------------------------------------------


@pytest.fixture
def mentoring_world(clock):
    cohort = CohortFactory(program__time_zone="Asia/Jerusalem")
    program = cohort.program
    manager = program_manager(program)
    members = [accept(cohort).person for _n in range(2)]
    group = next(kind for kind in session_kinds_ensure(program) if kind.counts_as == SessionKind.CountsAs.GROUP)
    return program, manager, members, group


def test_sessions_over_but_not_logged(mentoring_world, clock, other_manager):
    program, manager, members, group = mentoring_world
    for hours in (1, 5, 30):  # the third is still to come when looked at
        start = NOW + datetime.timedelta(hours=hours)
        session_schedule(program=program, kind=group, starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                         participants=members, by=manager, notify=False)  # fmt: skip
    session_log(program=program, kind=group, starts_at=NOW - DAY, minutes=60, participants=members, summary="Done",
                by=manager)  # fmt: skip
    clock.move_to(NOW + DAY)
    line = only(lines_of(manager, program), "warning")
    assert (line.count, line.text) == (2, "2 sessions are over but not logged")
    assert line.url == (
        reverse("admin:mentoring_session_changelist") + f"?program__id__exact={program.pk}&needs=unlogged"
    )
    assert_nothing_for(other_manager, program)


def test_action_items_overdue_in_the_programs_time_zone(mentoring_world, other_manager):
    program, manager, members, group = mentoring_world
    items = [
        ActionItemInput("Send the deck", owner=members[0], due_on=datetime.date(2026, 6, 3)),
        ActionItemInput("Call the bank", owner=members[1], due_on=datetime.date(2026, 6, 4)),
        ActionItemInput("Someday", owner=members[1]),
    ]
    session_log(program=program, kind=group, starts_at=NOW - DAY, minutes=60, participants=members, summary="Done",
                by=manager, action_items=items)  # fmt: skip
    # 22:30 UTC on 3 June is already 4 June in Jerusalem: the item due on the 3rd is overdue there.
    with time_machine.travel(datetime.datetime(2026, 6, 3, 20, 30, tzinfo=datetime.UTC), tick=False):
        assert lines_of(manager, program) == []
    with time_machine.travel(datetime.datetime(2026, 6, 3, 22, 30, tzinfo=datetime.UTC), tick=False):
        line = only(lines_of(manager, program), "warning")
    assert (line.count, line.text) == (1, "1 action item from mentoring sessions is overdue")
    assert line.url.endswith("needs=overdue_actions")
    assert_nothing_for(other_manager, program)


def test_the_admin_session_list_shows_what_the_lines_count(mentoring_world, client):
    program, manager, members, group = mentoring_world
    start = NOW + datetime.timedelta(hours=1)
    session_schedule(program=program, kind=group, starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                     participants=members, by=manager, title="Pitch practice", notify=False)  # fmt: skip
    session_log(program=program, kind=group, starts_at=NOW - DAY, minutes=60, participants=members, summary="Done",
                by=manager, title="Budget clinic",
                action_items=[ActionItemInput("Send it", due_on=datetime.date(2026, 6, 2))])  # fmt: skip
    with time_machine.travel(NOW + 2 * DAY, tick=False):
        lines = lines_of(manager, program)
        client.force_login(manager)
        pages = {line.url.rsplit("=", 1)[1]: client.get(line.url) for line in lines}
    assert set(pages) == {"unlogged", "overdue_actions"}
    assert pages["unlogged"].status_code == 200 and pages["overdue_actions"].status_code == 200
    assert "Pitch practice" in pages["unlogged"].text and "Budget clinic" not in pages["unlogged"].text
    assert "Budget clinic" in pages["overdue_actions"].text and "Pitch practice" not in pages["overdue_actions"].text


# Workspaces ---------------------------------------------------------------------------------------------------


def test_inductions_expiring_within_30_days(clock, other_manager):
    cohort, space, desk, plan = bizmax_setup()
    program = cohort.program
    manager = program_manager(program)
    member, outsider = participant(cohort), UserFactory()
    for person, expires in ((member, 20), (member, 31), (outsider, 10)):
        workspaces_services.induction_record(
            space=space, person=person, induction_type="laser cutter", inducted_on=datetime.date(2026, 5, 1),
            expires_on=datetime.date(2026, 6, 1) + datetime.timedelta(days=expires), by=manager,
        )  # fmt: skip
    line = only(lines_of(manager, program), "info")
    assert (line.count, line.text) == (1, "1 induction at Bizmax expires within 30 days")
    assert line.url == reverse("workspaces:inductions", args=[space.slug])
    assert_nothing_for(other_manager, program)


def test_subsidy_budgets_80_percent_spent(clock, other_manager):
    cohort, space, desk, plan = bizmax_setup()
    program = cohort.program
    manager = program_manager(program)
    plan.budget = 70  # the admin's configuration: a small budget
    plan.save(update_fields=["budget"])
    start = datetime.datetime(2026, 6, 2, 8)
    workspaces_services.booking_create(resource=desk, starts=start, ends=start.replace(hour=18), by=participant(cohort))
    line = only(lines_of(manager, program), "warning")  # 75 % of 80 = 60 of 70 spent
    assert (line.count, line.text) == (1, "1 subsidy budget at Bizmax is 80 % spent or more")
    assert line.url == reverse("workspaces:report", args=[space.slug]) + "?month=2026-06"
    assert_nothing_for(other_manager, program)
    plan.budget = 80
    plan.save(update_fields=["budget"])
    assert lines_of(manager, program) == []  # 60 of 80 is 75 %


# Invitations and emails ----------------------------------------------------------------------------------------


def test_role_invitations_unanswered_after_a_week(clock, other_manager):
    program = ProgramFactory(slug="invites")
    manager = program_manager(program)
    program_role_invite(program=program, role="reviewer", email="first@example.org", by=manager)
    clock.move_to(NOW + 5 * DAY)
    program_role_invite(program=program, role="mentor", email="second@example.org", by=manager)
    clock.move_to(NOW + 8 * DAY)
    line = only(lines_of(manager, program), "info")
    assert (line.count, line.url) == (1, reverse("cohorts:program_roles", args=[program.slug]))
    assert_nothing_for(other_manager, program)


def test_emails_that_failed(clock, other_manager, monkeypatch, client):
    program = ProgramFactory(slug="mails")
    manager = program_manager(program)

    def broken(notification):
        raise RuntimeError("template missing")

    emails.register("test.needs_you")(broken)
    monkeypatch.setattr(delivery, "MAX_ATTEMPTS", 1)
    ids = notifications.notifications_claim(
        claims=[Claim("test.needs_you", n, manager.pk, program_id=program.pk) for n in range(3)]
    )
    for pk in ids[:2]:
        delivery.notification_send(notification_id=pk)
    assert Notification.objects.filter(status=Notification.Status.FAILED).count() == 2
    line = only(lines_of(manager, program), "danger")
    assert (line.count, line.text) == (2, "2 emails could not be sent")
    client.force_login(manager)
    page = client.get(line.url)
    assert page.status_code == 200
    assert page.context["cl"].result_count == 2
    assert_nothing_for(other_manager, program)


# The list as a whole -------------------------------------------------------------------------------------------


def test_nothing_needs_a_new_program_and_the_template_says_so(db):
    program = ProgramFactory()
    manager = program_manager(program)
    assert lines_of(manager, program) == []
    assert "Nothing needs you today." in render_to_string("cohorts/_needs_you.html", {"lines": []})


def test_most_urgent_first_and_rendered_as_links_in_the_language_of_the_page(clock):
    call = scoring_call(slug="mixed", review_deadline=NOW + DAY)
    program = call.cohort.program
    manager = program_manager(program)
    reviewer = grant(program, UserFactory(), "reviewer")
    assignment_create(application=submitted(call), reviewer=reviewer, by=manager)
    program_role_invite(program=program, role="mentor", email="late@example.org", by=manager)
    clock.move_to(NOW + 8 * DAY)
    with translation.override("fr"):
        lines = lines_of(manager, program)
        html = render_to_string("cohorts/_needs_you.html", {"lines": lines})
    assert [line.level for line in lines] == ["danger", "info"]
    assert all(line.url.startswith("/fr/") for line in lines)
    assert f'href="/fr/review/calls/{call.slug}/ranking/"' in html
    assert "Nothing needs you today." not in html


def test_a_call_title_is_isolated_in_the_html_and_escaped(clock):
    program = program_with_regions(slug="escape-program", regions=REGIONS)
    manager = program_manager(program)
    call = make_call(slug="escape", program=program, closes_at=NOW + 2 * DAY, questions=False)
    call.title = "<b>שלום</b>"
    call.save(update_fields=["title"])
    application_start(call=call, applicant=UserFactory())
    line = only(lines_of(manager, program))
    assert "<b>שלום</b>" in line.text
    assert '<bdi dir="auto">&lt;b&gt;שלום&lt;/b&gt;</bdi>' in line.html
    assert "<b>" not in render_to_string("cohorts/_needs_you.html", {"lines": [line]})


@pytest.mark.parametrize("calls", [1, 50])
def test_the_same_number_of_queries_for_1_and_for_50_calls(clock, calls, django_assert_num_queries):
    program = program_with_regions(slug="many-program", regions=REGIONS)
    manager = program_manager(program)
    for n in range(calls):
        call = make_call(slug=f"many-{n}", program=program, closes_at=NOW + 3 * DAY, questions=False)
        ReviewSettings.objects.create(call=call, stage=ReviewSettings.Stage.SCORING, review_deadline=NOW + DAY)
        application_start(call=call, applicant=UserFactory())
        assignment_create(application=submitted(call), reviewer=grant(program, UserFactory(), "reviewer"), by=manager)
    clock.move_to(NOW + 2 * DAY)
    manager = User.objects.get(pk=manager.pk)
    # In the order the apps register: 1 the programs the manager manages (cohorts.access); 2 failed emails,
    # 3 unanswered invitations (cohorts); 4 reviews late, 5 reviewer load, 6 calls closing with drafts
    # (applications.scoring); 7 sessions not logged, 8 overdue action items (mentoring); 9 inductions expiring,
    # 10 budgets nearly spent (workspaces).
    with django_assert_num_queries(10):
        lines = needs_you_lines(manager, [program])
    assert sorted({line.level for line in lines}) == ["danger", "info"]
    assert len(lines) == 2 * calls
    assert Application.objects.filter(status="draft").count() == calls
