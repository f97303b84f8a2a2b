from django.contrib.auth import authenticate

from demo.users import DEMO_PASSWORD, DEMO_USERS
from incubator.models import User
from tests.demo import seed_demo_again


def test_seed_demo_is_idempotent_and_logins_work(seeded_demo):
    """`seeded_demo` is a clone of the run's demo, seeded from nothing by the same command (tests/databases.py)."""
    first = User.objects.count()
    seed_demo_again()
    # The demo users, the invented applicants of the demo calls and the cohorts' demo members are people
    # too; the second run adds nobody.
    assert User.objects.count() == first
    assert User.objects.filter(email__in=[row[0] for row in DEMO_USERS]).count() == len(DEMO_USERS)
    for email, _name, role, _language, _tz in DEMO_USERS:
        user = authenticate(email=email, password=DEMO_PASSWORD)
        assert user is not None
        assert user.emailaddress_set.get().verified
        assert (role is None) == (not user.groups.exists())
    assert User.objects.get(email="manager@example.org").is_staff
