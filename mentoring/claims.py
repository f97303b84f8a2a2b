"""People's time taken by sessions (`TimeClaim`): rewritten by the services in the transaction that changes a
session, so the database's exclusion constraint refuses a person two overlapping sessions, whoever wrote them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from mentoring.models import Session, SessionKind, TimeClaim

BUSY = "busy"

# Every person of every session not cancelled that has no claims yet, earliest first; a session overlapping one
# claimed before it stays unclaimed (ON CONFLICT DO NOTHING) rather than failing. Migration 0007 ran its own copy.
BACKFILL = """
INSERT INTO mentoring_timeclaim (person_id, session_id, period, exclusive)
SELECT people.person_id, session.id, tstzrange(session.starts_at, session.ends_at, '[)'),
       kind.counts_as <> 'series' AND session.series_id IS NULL
FROM mentoring_session session
JOIN mentoring_sessionkind kind ON kind.id = session.kind_id
JOIN (
    SELECT session_id, user_id AS person_id FROM mentoring_session_facilitators
    UNION
    SELECT session_id, person_id FROM mentoring_attendance
) people ON people.session_id = session.id
WHERE session.status <> 'cancelled'
  AND NOT EXISTS (SELECT 1 FROM mentoring_timeclaim claim WHERE claim.session_id = session.id)
ORDER BY session.starts_at, session.id, people.person_id
ON CONFLICT DO NOTHING
"""


def claims_backfill() -> int:
    """Claims for sessions written without the services (the demo's, which must send no invitation). Returns how
    many claims it wrote."""
    with connection.cursor() as cursor:
        cursor.execute(BACKFILL)
        return cursor.rowcount


def is_exclusive(session: Session) -> bool:
    """A tour and its activities share their people's time on purpose; every other session takes it whole."""
    return session.kind.counts_as != SessionKind.CountsAs.SERIES and session.series_id is None


def claims_write(session: Session) -> None:
    """The session's claims as it now stands: one per facilitator and invited person, none once cancelled.
    Raises a ValidationError naming who is busy, and with what, when one of them has another session then."""
    TimeClaim.objects.filter(session=session).delete()
    if session.status == Session.Status.CANCELLED:
        return
    people = set(session.facilitators.values_list("pk", flat=True)) | set(
        session.attendances.values_list("person_id", flat=True)
    )
    period = (session.starts_at, session.ends_at)
    exclusive = is_exclusive(session)
    try:
        with transaction.atomic():
            TimeClaim.objects.bulk_create(
                TimeClaim(person_id=person_id, session=session, period=period, exclusive=exclusive)
                for person_id in sorted(people)
            )
    except IntegrityError as error:
        if "time_claim_no_overlap" not in str(error):
            raise
        raise ValidationError(_busy_message(session, people, exclusive), code=BUSY) from None


def _busy_message(session: Session, people: set[int], exclusive: bool) -> str:
    """Read after the refusal: the other transaction has committed, so its claim is visible now."""
    clashes = TimeClaim.objects.filter(person_id__in=people, period__overlap=(session.starts_at, session.ends_at))
    if not exclusive:
        clashes = clashes.filter(exclusive=True)
    clash = clashes.exclude(session=session).select_related("person", "session__kind").order_by("period").first()
    if clash is None:
        return _("Someone taking part already has another session at that time.")
    # A session of another program is not the reader's to name.
    if clash.session.program_id != session.program_id:
        return _("%(person)s already has another session at that time.") % {"person": clash.person}
    return _("%(person)s already has “%(session)s” at that time.") % {"person": clash.person, "session": clash.session}


def overlapping_sessions(*, facilitators, starts_at, ends_at, exclude_pk=None) -> list[Session]:
    """A facilitator's other sessions at the same time: a warning, since a tour's activities overlap on purpose."""
    sessions = Session.objects.filter(
        facilitators__in=facilitators, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exclude(status=Session.Status.CANCELLED)
    if exclude_pk:
        sessions = sessions.exclude(pk=exclude_pk)
    return list(sessions.distinct().select_related("kind", "program"))


def busy_periods(
    person_ids: list[int], start: datetime.datetime, end: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """When these people are taken between `start` and `end`, in one query."""
    claims = TimeClaim.objects.filter(person_id__in=person_ids, period__overlap=(start, end)).values_list(
        "period", flat=True
    )
    return [(period.lower, period.upper) for period in claims.order_by("period")]
