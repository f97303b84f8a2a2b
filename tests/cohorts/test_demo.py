import datetime

from cohorts.checkin_history import cohort_months
from cohorts.models import CheckIn, CheckInAnswer, Cohort, Initiative, MemberProfile, Membership, Post, Venture
from incubator.models import User
from tests.audit_trail import actions
from tests.demo import seed_demo_again


def test_seed_demo_builds_the_three_communities_once(seeded_demo):
    counts = (User.objects.count(), Membership.objects.count(), Venture.objects.count(), Initiative.objects.count(),
              Post.objects.count(), len(actions()))  # fmt: skip
    seed_demo_again()
    assert counts == (User.objects.count(), Membership.objects.count(), Venture.objects.count(),
                      Initiative.objects.count(), Post.objects.count(), len(actions()))  # fmt: skip

    bizup = Cohort.objects.get(slug="bizup-2026")
    creatives = bizup.memberships.filter(person__email__startswith="member.bizup.")
    assert creatives.count() == 15
    assert bizup.memberships.filter(person__email="participant@example.org").exists()
    assert bizup.ventures.count() == 15
    assert MemberProfile.objects.filter(user__memberships__cohort=bizup, field="photography").exists()
    assert bizup.mentors.filter(email="mentor@example.org").exists()

    kawalis = Cohort.objects.get(slug="kawalis-2")
    assert kawalis.memberships.count() == 24
    assert kawalis.memberships.values("region").distinct().count() == 4

    leaders = Cohort.objects.get(slug="regional-leaders-1")
    assert 23 <= leaders.memberships.count() <= 27
    initiatives = leaders.initiatives.all()
    assert initiatives.count() == 6
    for initiative in initiatives:
        assert initiative.what and initiative.why and initiative.how and initiative.next_step
        assert initiative.team.count() >= 3

    manager = User.objects.get(email="manager@example.org")
    assert manager.managed_programs.count() == 4


def test_seed_demo_writes_twelve_months_of_checkins_as_the_programs_would(seeded_demo):
    kawalis = Cohort.objects.get(slug="kawalis-2")
    answered = CheckIn.objects.filter(venture__cohort=kawalis).exclude(status=CheckIn.Status.DRAFT)
    assert answered.values("month").distinct().count() == 12  # June 2024 – May 2025
    assert kawalis.program.metric_set.currency == "MAD"
    assert kawalis.program.metric_set.metrics.filter(standard="").count() == 2
    assert answered.filter(status=CheckIn.Status.SKIPPED).exclude(skip_reason="").exists()
    assert answered.filter(late=True).exists() and answered.filter(late=False).exists()
    assert CheckInAnswer.objects.filter(checkin__venture__cohort=kawalis, amount__lt=0).exists()  # a festival's loss

    first = Cohort.objects.get(slug="kawalis-1")
    assert first.ventures.count() == 18
    assert all(venture.team.exists() for venture in first.ventures.all())
    answered = CheckIn.objects.filter(venture__cohort=first).exclude(status=CheckIn.Status.DRAFT)
    assert answered.values("month").distinct().count() == 12  # October 2022 – September 2023
    assert answered.filter(status=CheckIn.Status.SKIPPED, month="2023-04-01").exists()  # Ramadan

    bizup = Cohort.objects.get(slug="bizup-2026")
    months = cohort_months(bizup.ventures.first())
    sent = CheckIn.objects.filter(venture__cohort=bizup, status=CheckIn.Status.SUBMITTED)
    assert sent.values("month").distinct().count() == min(len(months), 12)
    # From December 2025, twelve months are over by December 2026.
    assert bizup.starts_on == datetime.date(2025, 12, 1)
    assert bizup.program.metric_set.currency == "ILS"
    if months:  # the last month is still open for some ventures: its reminders are due
        assert CheckIn.objects.filter(venture__cohort=bizup, month=months[-1]).count() < bizup.ventures.count()
