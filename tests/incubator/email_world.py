"""One email of every kind, claimed in the ledger through the services, for the email tests and screenshots."""

import datetime

from applications.interviews.reminders import BOOKED_REMINDER_KIND, UNBOOKED_KIND, booked_threshold
from applications.interviews.services import (
    interview_book,
    interview_plan_save,
    interview_record,
    interviews_shortlist,
)
from applications.models import Application
from applications.scoring.assignments import assignment_create
from applications.scoring.decisions import decisions_publish, decisions_record
from applications.scoring.models import ReviewSettings
from applications.scoring.reviews import REMINDER_KIND as REVIEW_REMINDER
from applications.services import REMINDER_KIND as DRAFT_REMINDER
from applications.services import SUMMARY_KIND, application_start
from cohorts import services as cohort_services
from cohorts.alumni_reminders import INVITATION_KIND as ALUMNI_SURVEY
from cohorts.alumni_reminders import REMINDER_KIND as ALUMNI_SURVEY_REMINDER
from cohorts.checkin_reminders import REMINDER_KIND as CHECKIN_REMINDER
from cohorts.checkins import metric_set_create
from cohorts.digest import DIGEST_KIND
from incubator.notifications import Claim, notifications_claim
from mentoring import assignments
from mentoring import services as mentoring
from mentoring.reminders import LOG_REMINDER, reminder_threshold
from mentoring.reminders import REMINDER as SESSION_REMINDER
from tests.applications.scoring.factories import manager, reviewer, score, scoring_call, submitted
from tests.factories import UserFactory, grant, invited_member
from tests.workspaces.factories import make_plan, make_resource, make_space
from workspaces import services as workspaces
from workspaces.notifications import REMINDER as BOOKING_REMINDER

# Mentoring and booking times are after this instant: freeze time here while building the world.
NOW = datetime.datetime(2026, 6, 1, 6, 0, tzinfo=datetime.UTC)
# A meeting link a mentor typed: the one address in an email that is not the portal's.
ONLINE_LINK = "https://meet.example.org/loom-room"


def build_world() -> None:
    """One of every email, claimed in the ledger through the services (reminder sweeps are replaced by their
    claims, which is all a sweep does)."""
    call = scoring_call(slug="looms", review_deadline=NOW + datetime.timedelta(days=2))
    call.title = 'Looms & "kilns" <2026>'  # escaped in HTML, as typed in the subject and the text
    call.save(update_fields=["title"])
    program, cohort = call.cohort.program, call.cohort
    boss = manager(program, name="Maya Manager")
    amina = UserFactory(name="Amina Amal", email="amina@example.org")
    application = submitted(call, applicant=amina, name="Amina Amal")  # applications.submitted
    drafter = UserFactory(name="Dina Draft")
    draft = application_start(call=call, applicant=drafter)
    rita = reviewer(program, name="Rita Reviewer")
    assignment_create(application=application, reviewer=rita, by=boss)  # scoring.assigned
    score(application, reviewer(program, name="Sami Scorer"), 4)
    decisions_record(applications=[application], outcome="accept", by=boss)
    decisions_publish(call=call, by=boss)  # scoring.decision
    carla = UserFactory(name="Carla", email="carla@example.org")
    carla_membership = invited_member(cohort, carla, by=boss)
    cohort.ends_on = datetime.date(2025, 5, 31)  # its alumni survey says until when it is open
    cohort.save(update_fields=["ends_on"])
    post = cohort_services.post_create(cohort=cohort, author=amina, kind="need", title="A loom & a <kiln>")
    cohort_services.answer_create(post=post, author=carla, body="I have a loom.\nCall me.")  # cohorts.answered
    metric_set_create(program=program, currency="MAD", by=boss)
    looms = cohort_services.venture_create(cohort=cohort, by=carla, name="Looms & <threads>")

    kinds = {kind.code: kind for kind in mentoring.session_kinds_ensure(program)}
    mentor = UserFactory(name="Meir Mentor")
    grant(program, mentor, "mentor")
    cohort.mentors.add(mentor)
    assignments.assignment_create(program=program, mentor=mentor, mentee=amina, by=boss)
    starts = NOW + datetime.timedelta(days=2)
    session, _ = mentoring.session_schedule(
        program=program, kind=kinds["individual"], starts_at=starts, ends_at=starts + datetime.timedelta(hours=1),
        participants=[amina], by=mentor, place="Room 2", online_link=ONLINE_LINK, agenda="Prices & <stock>",
    )  # fmt: skip
    later = starts + datetime.timedelta(days=7)
    cancelled, _ = mentoring.session_schedule(
        program=program, kind=kinds["individual"], starts_at=later, ends_at=later + datetime.timedelta(hours=1),
        participants=[amina], by=mentor,
    )  # fmt: skip
    mentoring.session_cancel(session=cancelled, by=mentor)

    space = make_space([program], weekdays=range(7), time_zone="Africa/Casablanca")
    desk = make_resource(space, name="Loom 1")
    make_plan(cohort, space)
    day = datetime.date(2026, 6, 2)
    booking = workspaces.booking_create(
        resource=desk, starts=datetime.datetime.combine(day, datetime.time(8)),
        ends=datetime.datetime.combine(day, datetime.time(18)), by=amina,
    )  # fmt: skip

    # Something for the manager's weekly digest: Amina's induction on the looms expires within 30 days.
    workspaces.induction_record(space=space, person=amina, induction_type="loom", inducted_on=datetime.date(2026, 5, 1),
                                expires_on=datetime.date(2026, 6, 20), by=boss)  # fmt: skip

    _interviews()
    notifications_claim(
        claims=[
            Claim(DIGEST_KIND, boss.pk, boss.pk, "2026-W23"),
            Claim(DRAFT_REMINDER, draft.pk, drafter.pk, "3d", program.pk),
            Claim(SUMMARY_KIND, call.pk, boss.pk, program_id=program.pk),
            Claim(REVIEW_REMINDER, call.pk, rita.pk, "2d", program.pk),
            Claim(SESSION_REMINDER, session.pk, amina.pk, reminder_threshold("1d", session.starts_at), program.pk),
            Claim(LOG_REMINDER, session.pk, mentor.pk, program_id=program.pk),
            Claim(BOOKING_REMINDER, booking.pk, amina.pk, "1d", program.pk),
            Claim(CHECKIN_REMINDER, looms.pk, carla.pk, "2026-05:1", program.pk),
            Claim(ALUMNI_SURVEY, carla_membership.pk, carla.pk, "", program.pk),
            Claim(ALUMNI_SURVEY_REMINDER, carla_membership.pk, carla.pk, "", program.pk),
        ]
    )
    assert Application.objects.filter(status=Application.Status.DRAFT).count() == 1


def _interviews() -> None:
    """Another call interviews three applicants: Ines is invited (and reminded), Omar booked (and reminded the day
    before), Zaid booked and then cancelled by the manager."""
    call = scoring_call(slug="panel")
    ReviewSettings.objects.filter(call=call).update(has_interview=True)
    boss = manager(call.cohort.program, name="Pia Panel")
    settings = {"time_zone": "Africa/Casablanca", "slot_minutes": 30, "notice_hours": 24, "horizon_days": 28,
                "cancel_hours": 24, "place": "Loom room", "online_link": ONLINE_LINK, "active": True}  # fmt: skip
    windows = [{"weekday": day, "starts": datetime.time(9), "ends": datetime.time(12)} for day in range(5)]
    interview_plan_save(call=call, panel=[boss], settings=settings, windows=windows, exceptions=[], by=boss)
    people = [UserFactory(name=name) for name in ("Ines Invited", "Omar Booked", "Zaid Cancelled")]
    invited, booked, cancelled = interviews_shortlist(
        call=call, applications=[submitted(call, applicant=person) for person in people], by=boss
    )
    wednesday = datetime.datetime(2026, 6, 3, 9, 0, tzinfo=datetime.UTC)
    interview_book(interview=booked, starts_at=wednesday, by=people[1])
    interview_book(interview=cancelled, starts_at=wednesday + datetime.timedelta(minutes=30), by=people[2])
    interview_record(interview=cancelled, outcome="cancelled", by=boss)
    program_id = call.cohort.program_id
    notifications_claim(
        claims=[
            Claim(UNBOOKED_KIND, invited.pk, people[0].pk, "3d", program_id),
            Claim(BOOKED_REMINDER_KIND, booked.pk, people[1].pk, booked_threshold(wednesday), program_id),
        ]
    )
