from incubator.models import User
from tests.demo import seed_demo_again
from workspaces.access import spaces_for
from workspaces.models import Booking, Induction, Resource, Space, SubsidyPlan


def test_seed_demo_builds_both_spaces_idempotently(seeded_demo):
    bookings = Booking.objects.count()
    seed_demo_again()
    assert Booking.objects.count() == bookings > 0
    bizmax = Space.objects.get(slug="bizmax")
    assert bizmax.time_zone == "Asia/Jerusalem"
    assert sorted(bizmax.opening_hours.values_list("weekday", flat=True)) == [0, 1, 2, 3, 6]
    assert bizmax.resources.filter(kind=Resource.Kind.DESK).count() == 20
    assert bizmax.resources.filter(kind=Resource.Kind.ROOM).count() == 2
    assert SubsidyPlan.objects.get(space=bizmax).share_percent == 75
    workshop = Space.objects.get(slug="pracownia-jezuicka")
    assert workshop.address == "ul. Jezuicka 20-22, Bydgoszcz" and workshop.time_zone == "Europe/Warsaw"
    assert set(workshop.resources.values_list("unit", flat=True)) == {Resource.Unit.HOUR}
    assert workshop.resources.get(name="Laser cutter").induction_type == "laser cutter"
    participant = User.objects.get(email="participant@example.org")
    assert set(spaces_for(participant).values_list("slug", flat=True)) == {"bizmax", "pracownia-jezuicka"}
    assert Induction.objects.filter(person=participant, induction_type="3D printer").count() == 1
