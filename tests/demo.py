"""Seeding the demo again on top of the run's seeded demo, as `make run` does on every start."""

import io

import time_machine
from django.core.management import call_command
from django.db.models import Min

from incubator.models import User


def seed_demo_again() -> None:
    """At the instant the demo was first seeded: its sessions and bookings are relative to "now", so a second seeding
    minutes later may rightly add the term session that has just begun; the check is that nothing is doubled."""
    seeded_at = User.objects.filter(email__endswith="@example.org").aggregate(first=Min("date_joined"))["first"]
    with time_machine.travel(seeded_at, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
