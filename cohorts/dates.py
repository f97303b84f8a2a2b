"""A program's calendar: dates in the cohorts app are the program's dates, never the viewer's."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from cohorts.models import Program


def program_today(program: Program) -> datetime.date:
    """Today in the program's time zone, whoever is looking and wherever they are."""
    return timezone.localtime(timezone.now(), ZoneInfo(program.time_zone)).date()
