import datetime
import io
from zoneinfo import ZoneInfo

from django.utils import timezone

from applications.checks import reasons_text
from applications.models import Application, ApplicationVersion, Call
from demo.applications import seed_calls
from demo.cohorts import seed_programs
from demo.users import seed_users


def seed():
    out = io.StringIO()
    seed_users(out)
    seed_programs(out)
    seed_calls(out)


def snapshot():
    return (
        sorted(Call.objects.values_list("slug", "opens_at", "closes_at", "seats")),
        Application.objects.count(),
        ApplicationVersion.objects.count(),
        sorted(Application.objects.values_list("applicant__email", "status", "eligibility")),
    )


def test_seed_calls_is_idempotent(db):
    seed()
    first = snapshot()
    seed()
    assert snapshot() == first


def test_kawalis_second_cohort_call_as_it_happened(db):
    seed()
    call = Call.objects.get(slug="kawalis-second-cohort")
    assert call.closes_at == datetime.datetime(2024, 3, 31, 23, 59, 59, tzinfo=ZoneInfo("Africa/Casablanca"))
    assert call.criteria_set.count() == 4
    applications = call.applications.all()
    assert applications.count() == 60
    assert {a.status for a in applications} == {"submitted"}
    ineligible = [a for a in applications if a.eligibility == "ineligible"]
    reasons = " ".join(r for a in ineligible for r in reasons_text(a.eligibility_reasons))
    assert "years old" in reasons and "region must be one of" in reasons
    assert 5 <= len(ineligible) <= 20
    assert ApplicationVersion.objects.filter(application__call=call).count() == 60
    assert len({a.full_name for a in applications}) == 60


def test_open_calls_for_kawalis_third_cohort_and_bizup(db):
    seed()
    now = timezone.now()
    kawalis = Call.objects.get(slug="kawalis-third-cohort")
    assert kawalis.is_open(now)
    assert datetime.timedelta(days=29) < kawalis.closes_at - now < datetime.timedelta(days=31)
    drafts = kawalis.applications.filter(status="draft")
    assert drafts.filter(applicant__email="applicant@example.org").exists() and drafts.count() >= 3
    bizup = Call.objects.get(slug="bizup-2026")
    assert bizup.is_open(now) and bizup.seats == 15
    assert bizup.cohort.program.time_zone == "Asia/Jerusalem"


def test_the_demo_calls_carry_a_venture_name_and_field_into_the_cohort(db):
    seed()
    application = Call.objects.get(slug="kawalis-second-cohort").applications.order_by("pk").first()
    assert application.venture_name and application.venture_name in application.answers.values()
    assert application.venture_field  # a cohort field key ("other" for a sector the cohort list does not name)
    bizup = Call.objects.get(slug="bizup-2026")
    roles = dict(bizup.questions.values_list("venture_role", "label"))
    assert roles["name"] == "שם העסק או המותג" and "field" in roles
