import datetime

from django.utils import timezone

from cohorts.availability import free_slots
from cohorts.models import Availability, Cohort, Program
from incubator.models import User
from mentoring.models import Assignment, Attendance, Session
from mentoring.report import mentoring_report
from mentoring.services import OFFICE_HOURS
from tests.demo import seed_demo_again


def test_demo_gives_the_funder_report_kawalis_told_its_funder(seeded_demo):
    sessions = Session.objects.count()
    seed_demo_again()
    assert Session.objects.count() == sessions

    first = Cohort.objects.get(slug="kawalis-1")
    assert first.memberships.count() == 18
    regions = {}
    for name in first.memberships.values_list("region__name", flat=True):
        regions[name] = regions.get(name, 0) + 1
    assert sorted(regions.values()) == [4, 4, 5, 5]
    assert regions["Souss-Massa"] == 5

    report = mentoring_report(first.program, first.starts_on, first.ends_on)
    assert report.totals["individual"] == 81
    assert report.totals["group"] == 13
    assert report.totals["series"] == 4
    assert len(report.regions) == 4
    assert all(region["individual"] and region["group"] for region in report.regions)
    in_tours = {kind["name"]: kind["in_tours"] for kind in report.kinds if kind["in_tours"]}
    assert in_tours == {"Group training": 5, "Visit or meeting": 21, "Workshop": 8, "Roundtable": 2}
    assert len(report.tours) == 4
    assert sum(tour["total"] for tour in report.tours) == 36


def test_demo_mentors_every_bizup_participant_and_the_demo_mentor_has_upcoming_sessions(seeded_demo):
    bizup = Cohort.objects.get(slug="bizup-2026")
    members = bizup.memberships.values_list("person", flat=True)
    mentored = Assignment.objects.filter(program=bizup.program, ended_at=None).values_list("mentee", flat=True)
    assert set(members) <= set(mentored)
    mentor = User.objects.get(email="mentor@example.org")
    assert bizup.program.mentors.filter(pk=mentor.pk).exists()
    assert Assignment.objects.filter(mentor=mentor, ended_at=None).count() >= 3
    upcoming = Session.objects.filter(
        facilitators=mentor, status="scheduled", starts_at__gt=datetime.datetime.now(datetime.UTC)
    )
    assert upcoming.count() >= 2
    assert Session.objects.filter(facilitators=mentor, status="held").count() > 10


def test_demo_regional_leaders_nine_days_and_a_two_day_tour_with_attendance(seeded_demo):
    program = Program.objects.get(slug="regional-leaders")
    days = Session.objects.filter(program=program, kind__code="full_day", status="held")
    assert days.count() == 9
    tour = Session.objects.get(program=program, kind__code="tour")
    assert tour.ends_at - tour.starts_at >= datetime.timedelta(days=1, hours=12)
    assert tour.attendances.filter(status=Attendance.Status.PRESENT).count() >= 20
    assert tour.attendances.filter(status=Attendance.Status.ABSENT).exists()


def test_demo_bizup_mentors_publish_office_hours_and_the_demo_participant_booked_one(seeded_demo):

    booked = Session.objects.filter(kind__code=OFFICE_HOURS).count()
    seed_demo_again()
    assert Session.objects.filter(kind__code=OFFICE_HOURS).count() == booked == 1
    offered = Availability.objects.filter(program__slug="bizup", purpose=Availability.Purpose.OFFICE_HOURS)
    assert offered.count() == 4
    mentor = offered.get(owner__email="mentor@example.org")
    assert mentor.windows.count() == 3 and mentor.exceptions.filter(closed=True).count() == 1
    assert free_slots(mentor, busy=[], now=timezone.now())
    session = Session.objects.get(kind__code=OFFICE_HOURS)
    assert list(session.facilitators.values_list("email", flat=True)) == ["mentor@example.org"]
    assert session.attendances.get().person.email == "participant@example.org"
    assert session.starts_at > timezone.now()
