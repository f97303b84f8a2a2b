"""What needs a program manager now: short lines, each with a count and a link to the page where it is dealt with.

cohorts imports none of the apps that own most of these rows, so each app registers its providers in its
AppConfig.ready (`register(provider)`), as with cohorts/dashboard_panels.py. A provider is
`provider(user, program_ids) -> iterable of Line`: it is given only ids of programs the user manages and reads
with a fixed number of queries whatever the number of rows (aggregates grouped by program, or by call or space
within them). `needs_you_lines` asks every provider and returns the lines of the programs it was given, most
urgent first. The program home page shows them (templates/cohorts/_needs_you.html); the weekly digest emails
them (cohorts/digest.py).

The cohorts app's own providers are at the end: role invitations left unanswered, and emails that failed."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, DateField, DateTimeField, F, Func, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from cohorts.access import manages_program
from cohorts.models import Program

DANGER, WARNING, INFO = "danger", "warning", "info"
LEVELS = (DANGER, WARNING, INFO)


@dataclass
class Line:
    """One thing that needs the manager: `text` is translated and formatted (plain text), `html` the same sentence
    with the names people wrote isolated in <bdi>; `url` is a path in the active language."""

    text: str
    url: str
    count: int
    level: str = INFO
    # A provider's line names its program by id; lines without one are not shown by needs_you_lines.
    program_id: int | None = None
    html: SafeString = field(default=SafeString(""))
    program: Program | None = None  # filled in by needs_you_lines

    def __post_init__(self):
        if self.level not in LEVELS:
            raise ValueError(f"unknown level {self.level!r}")
        if not self.html:
            self.html = escape(self.text)


def line(message: str, *, count: int, url: str, level: str, program_id: int, **names) -> Line:
    """A line from a translated message with %(count)s and %(name)s placeholders; names are people's free text."""
    text = message % {"count": count, **names}
    isolated = {key: format_html('<bdi dir="auto">{}</bdi>', value) for key, value in names.items()}
    html = mark_safe(escape(message) % {"count": count, **isolated})  # the message escaped, the names isolated
    return Line(text=text, url=url, count=count, level=level, program_id=program_id, html=html)


def url_with(path: str, **query) -> str:
    return f"{path}?{urlencode(query)}" if query else path


def today_in_zone(zone_path: str, now: datetime.datetime):
    """SQL for today's date in the time zone named by the field `zone_path` (a program's): each row its own zone."""
    local = Func(F(zone_path), Value(now), function="timezone", output_field=DateTimeField())
    return Cast(local, DateField())


Provider = Callable[..., Iterable[Line]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def providers() -> list[Provider]:
    return list(_providers)


def needs_you_lines(user, programs) -> list[Line]:
    """The lines of `programs` (those of them `user` manages), per program in the order given, most urgent first."""
    by_id = {program.pk: program for program in programs if manages_program(user, program)}
    if not by_id:
        return []
    ids = frozenset(by_id)
    lines = []
    for provider in _providers:
        for found in provider(user, ids):
            if found.program_id in by_id and found.count > 0:
                found.program = by_id[found.program_id]
                lines.append(found)
    order = {pk: position for position, pk in enumerate(by_id)}
    lines.sort(key=lambda found: (order[found.program_id], LEVELS.index(found.level)))
    return lines


# The cohorts app's own lines ------------------------------------------------------------------------------------

INVITATION_UNANSWERED_AFTER = datetime.timedelta(days=7)


def unanswered_invitations(user, program_ids, *, now=None) -> list[Line]:
    """Role invitations still waiting for an answer a week after they were sent (expired ones too: the roles page
    says to withdraw or send them again). One query."""
    from cohorts.models import ProgramRoleInvitation

    now = now or timezone.now()
    rows = (
        ProgramRoleInvitation.objects.filter(
            program_id__in=program_ids,
            state=ProgramRoleInvitation.State.PENDING,
            created_at__lte=now - INVITATION_UNANSWERED_AFTER,
        )
        .exclude(role=ProgramRoleInvitation.Role.MEMBER)  # listed on their cohort's dashboard, not the roles page
        .values("program_id", "program__slug")
        .annotate(n=Count("pk"))
        .order_by("program_id")
    )
    return [
        line(
            ngettext(
                "%(count)s role invitation has not been answered for a week or more",
                "%(count)s role invitations have not been answered for a week or more",
                row["n"],
            ),
            count=row["n"],
            url=reverse("cohorts:program_roles", args=[row["program__slug"]]),
            level=INFO,
            program_id=row["program_id"],
        )
        for row in rows
    ]


def failed_emails(user, program_ids) -> list[Line]:
    """Emails about the program the ledger gave up sending; the admin's list of them can send them again. One
    query."""
    from incubator.models import Notification

    rows = (
        Notification.objects.filter(program_id__in=program_ids, status=Notification.Status.FAILED)
        .values("program_id")
        .annotate(n=Count("pk"))
        .order_by("program_id")
    )
    changelist = reverse("admin:incubator_notification_changelist")
    return [
        line(
            ngettext(
                "%(count)s email could not be sent",
                "%(count)s emails could not be sent",
                row["n"],
            ),
            count=row["n"],
            url=url_with(changelist, status__exact="failed", program__id__exact=row["program_id"]),
            level=DANGER,
            program_id=row["program_id"],
        )
        for row in rows
    ]
