"""The demo's alumni surveys: Kawalis' first cohort answered, its second half-way, every invitation in the ledger
as sent, so that seeding emails nobody and the sweep finds nothing left to send."""

from cohorts.alumni import cohort_results
from cohorts.alumni_reminders import INVITATION_KIND, alumni_survey_sweep
from cohorts.models import AlumniSurvey, Cohort
from incubator.models import Notification


def test_the_demo_surveys_kawalis_cohorts_and_sends_nothing(seeded_demo):
    first, second = Cohort.objects.get(slug="kawalis-1"), Cohort.objects.get(slug="kawalis-2")
    assert AlumniSurvey.objects.filter(membership__cohort=first).count() == 13
    assert AlumniSurvey.objects.filter(membership__cohort=second).count() == 11
    comments = AlumniSurvey.objects.exclude(comment="").values_list("comment", flat=True)
    assert any("المرافقة" in c or "ورشات" in c or "تعرفت" in c for c in comments)
    assert any("atelier" in c.lower() or "réseau" in c.lower() for c in comments)
    invited = Notification.objects.filter(kind=INVITATION_KIND, status="sent")
    assert invited.filter(object_id__in=second.memberships.values("pk")).count() == 22  # 24, one paused, one withdrawn
    assert alumni_survey_sweep() == 0
    results = cohort_results(first)
    assert (results["invited"], results["answered"]) == (18, 13)
