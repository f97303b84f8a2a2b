from cohorts.models import Cohort, Initiative, MemberProfile, Membership, Post, Venture
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
