"""Every state change of mentoring: locked, checked, audited, mail claimed in the ledger and sent on commit."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.access import manages_program, mentors_for_program
from cohorts.models import Program, Region
from incubator.audit import audit_record
from incubator.models import User, WebhookEventName
from incubator.notifications import Claim, notifications_claim, notifications_enqueue
from incubator.webhooks import webhook_event_emit
from mentoring import access
from mentoring.claims import claims_write, overlapping_sessions
from mentoring.models import (
    MAX_INDIVIDUAL_HOURS,
    ActionItem,
    Attendance,
    Feedback,
    Session,
    SessionKind,
)

INVITATION = "mentoring.session_invitation"
CANCELLATION = "mentoring.session_cancelled"

DEFAULT_KINDS = [
    # code, name (kept in English in the database; programs rename them in the admin), counted as
    ("individual", "Individual session", SessionKind.CountsAs.INDIVIDUAL),
    ("training", "Group training", SessionKind.CountsAs.GROUP),
    ("workshop", "Workshop", SessionKind.CountsAs.GROUP),
    ("roundtable", "Roundtable", SessionKind.CountsAs.GROUP),
    ("visit", "Visit or meeting", SessionKind.CountsAs.GROUP),
    ("full_day", "Full-day meeting", SessionKind.CountsAs.GROUP),
    ("tour", "Tour", SessionKind.CountsAs.SERIES),
]
# Booked by a participant from a mentor's published slots (mentoring/office_hours.py), counted as individual.
OFFICE_HOURS = "office-hours"


def session_kinds_ensure(program: Program) -> list[SessionKind]:
    """The program's kinds, creating the default ones it lacks (a program renames or adds its own)."""
    existing = {kind.code: kind for kind in SessionKind.objects.filter(program=program)}
    for position, (code, name, counts_as) in enumerate(DEFAULT_KINDS):
        if code not in existing:
            existing[code], _created = SessionKind.objects.get_or_create(
                program=program, code=code, defaults={"name": name, "counts_as": counts_as, "position": position}
            )
    return sorted(existing.values(), key=lambda kind: (kind.position, kind.name))


@dataclass
class ActionItemInput:
    text: str
    owner: User | None = None
    due_on: datetime.date | None = None


def _check_times(kind: SessionKind, starts_at, ends_at) -> None:
    if ends_at <= starts_at:
        raise ValidationError(_("The session must end after it starts."))
    if kind.counts_as == SessionKind.CountsAs.INDIVIDUAL and ends_at - starts_at > datetime.timedelta(
        hours=MAX_INDIVIDUAL_HOURS
    ):
        raise ValidationError(
            _("An individual session lasts at most %(hours)s hours; choose a group kind for a longer event.")
            % {"hours": MAX_INDIVIDUAL_HOURS}
        )


def _check_to_come(starts_at) -> None:
    """Invitations and reminders go out for a scheduled session: one that already started is logged instead."""
    if starts_at <= timezone.now():
        raise ValidationError(
            _("This time has already passed. A session that took place is recorded with “Log a session”.")
        )


def _check_series(program, kind, series) -> None:
    if series is None:
        return
    if series.program_id != program.pk or series.kind.counts_as != SessionKind.CountsAs.SERIES:
        raise ValidationError(_("A session can only be part of a tour of the same program."))
    if kind.counts_as == SessionKind.CountsAs.SERIES:
        raise ValidationError(_("A tour cannot be part of another tour."))


def _check_people(*, program, kind, participants, by) -> None:
    if kind.program_id != program.pk:
        raise ValidationError(_("This kind of session belongs to another program."))
    if _own_office_hour(kind, [person.pk for person in participants], by):
        return
    if not access.can_lead_sessions(by, program):
        raise PermissionDenied(_("You do not mentor in this program."))
    if not participants and kind.counts_as != SessionKind.CountsAs.SERIES:
        raise ValidationError(_("Choose who takes part."))
    individual = kind.counts_as == SessionKind.CountsAs.INDIVIDUAL
    allowed = access.allowed_participant_ids(by, program, individual=individual)
    if any(person.pk not in allowed for person in participants):
        if individual:
            raise PermissionDenied(_("You may log individual sessions only with your own mentees in this program."))
        raise PermissionDenied(_("Only active participants of this program can take part."))


def _own_office_hour(kind: SessionKind, participant_ids: list[int], by: User) -> bool:
    """A participant books and cancels their own office hour alone; when and with whom: mentoring/office_hours.py."""
    return kind.code == OFFICE_HOURS and participant_ids == [by.pk] and access.is_participant_of(by, kind.program_id)


def _snapshot(session: Session) -> dict:
    return {
        "status": session.status,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "sequence": session.sequence,
    }


def _claim_for_everyone(session: Session, kind: str, threshold: str) -> None:
    people = set(session.facilitators.values_list("pk", flat=True)) | set(
        session.attendances.values_list("person_id", flat=True)
    )
    claims = [
        Claim(kind, session.pk, person_id, threshold, program_id=session.program_id) for person_id in sorted(people)
    ]
    notifications_enqueue(notification_ids=notifications_claim(claims=claims))


def _create(
    *, program, kind, starts_at, ends_at, facilitators, participants, by, status, attendance, **fields
) -> Session:
    cohort = _single_cohort(program, participants)
    session = Session.objects.create(
        program=program,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        status=status,
        cohort=cohort,
        logged_at=timezone.now() if status == Session.Status.HELD else None,
        **fields,
    )
    session.facilitators.set(facilitators)
    Attendance.objects.bulk_create(
        Attendance(session=session, person=person, status=attendance) for person in participants
    )
    claims_write(session)
    return session


def _single_cohort(program, participants):
    """The cohort all participants share, so the cohort's dashboard can count the session; None otherwise."""
    if not participants:
        return None
    cohorts = set(access.active_members(program).filter(person__in=participants).values_list("cohort_id", flat=True))
    return program.cohorts.get(pk=cohorts.pop()) if len(cohorts) == 1 else None


def session_schedule(
    *,
    program: Program,
    kind: SessionKind,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    participants: list[User],
    by: User,
    facilitators: list[User] | None = None,
    title: str = "",
    place: str = "",
    online_link: str = "",
    region: Region | None = None,
    agenda: str = "",
    series: Session | None = None,
    notify: bool = True,
) -> tuple[Session, list[Session]]:
    """A session to come; everyone invited gets an invitation with an .ics. Returns it and its overlaps."""
    facilitators = facilitators or [by]
    if any(not access.can_lead_sessions(person, program) for person in facilitators):
        raise ValidationError(_("Facilitators are the program's mentors and managers."))
    _check_times(kind, starts_at, ends_at)
    _check_to_come(starts_at)
    _check_people(program=program, kind=kind, participants=participants, by=by)
    _check_series(program, kind, series)
    if region is not None and region.program_id != program.pk:
        raise ValidationError(_("This region belongs to another program."))
    with transaction.atomic():
        Program.objects.select_for_update().get(pk=program.pk)
        overlaps = overlapping_sessions(facilitators=facilitators, starts_at=starts_at, ends_at=ends_at)
        session = _create(
            program=program,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            facilitators=facilitators,
            participants=participants,
            by=by,
            status=Session.Status.SCHEDULED,
            attendance=Attendance.Status.INVITED,
            title=title,
            place=place,
            online_link=online_link,
            region=region,
            agenda=agenda,
            series=series,
        )
        audit_record(actor=by, action="session.schedule", obj=session, after=_snapshot(session))
        if notify:
            _claim_for_everyone(session, INVITATION, f"r{session.sequence}")
    return session, overlaps


def session_log(
    *,
    program: Program,
    kind: SessionKind,
    starts_at: datetime.datetime,
    minutes: int,
    participants: list[User],
    summary: str,
    by: User,
    private_notes: str = "",
    action_items: list[ActionItemInput] = (),
    region: Region | None = None,
    title: str = "",
    series: Session | None = None,
) -> tuple[Session, list[Session]]:
    """A session that already happened, in one step. Individual: everyone invited was there. Group: attendance
    is marked next (until then nobody counts as present)."""
    # Minutes added in UTC: added to a wall clock, a session over a change of time would last an hour more or less.
    ends_at = starts_at.astimezone(datetime.UTC) + datetime.timedelta(minutes=minutes)
    _check_times(kind, starts_at, ends_at)
    _check_people(program=program, kind=kind, participants=participants, by=by)
    _check_series(program, kind, series)
    if starts_at > timezone.now():
        raise ValidationError(_("This session has not happened yet: schedule it instead."))
    if region is not None and region.program_id != program.pk:
        raise ValidationError(_("This region belongs to another program."))
    individual = kind.counts_as == SessionKind.CountsAs.INDIVIDUAL
    with transaction.atomic():
        Program.objects.select_for_update().get(pk=program.pk)
        overlaps = overlapping_sessions(facilitators=[by], starts_at=starts_at, ends_at=ends_at)
        session = _create(
            program=program,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            facilitators=[by],
            participants=participants,
            by=by,
            status=Session.Status.HELD,
            attendance=Attendance.Status.PRESENT if individual else Attendance.Status.INVITED,
            summary=summary,
            private_notes=private_notes,
            region=region or _single_region(program, participants),
            title=title,
            series=series,
        )
        _add_action_items(session, action_items)
        audit_record(actor=by, action="session.log", obj=session, after=_snapshot(session))
        _session_logged_emit(session)
    return session, overlaps


def _session_logged_emit(session: Session) -> None:
    """The `session.logged` webhook event: a session recorded as held, in the transaction that recorded it."""
    webhook_event_emit(
        program_id=session.program_id,
        event=WebhookEventName.SESSION_LOGGED,
        data={"session": session.pk, "kind": session.kind_id},
    )


def _single_region(program, participants):
    regions = set(access.active_members(program).filter(person__in=participants).values_list("region_id", flat=True))
    return Region.objects.filter(pk=regions.pop()).first() if len(regions) == 1 else None


def _add_action_items(session: Session, items) -> None:
    allowed_owners = set(session.attendances.values_list("person_id", flat=True)) | set(
        session.facilitators.values_list("pk", flat=True)
    )
    for item in items:
        if not item.text.strip():
            continue
        if item.owner is not None and item.owner.pk not in allowed_owners:
            raise ValidationError(_("An action item's owner must take part in the session."))
        ActionItem.objects.create(session=session, text=item.text.strip(), owner=item.owner, due_on=item.due_on)


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update(of=("self",)).select_related("kind", "program").get(pk=session.pk)


def _require_lead(session: Session, by: User) -> None:
    """Facilitators (still mentors of the program) and the program's managers."""
    facilitates = session.facilitators.filter(pk=by.pk).exists() and mentors_for_program(by, session.program)
    if not (facilitates or manages_program(by, session.program)):
        raise PermissionDenied(_("Only the session's facilitators and the program's managers may do this."))


def session_record(
    *,
    session: Session,
    summary: str,
    statuses: dict[int, str],
    by: User,
    private_notes: str = "",
    action_items: list[ActionItemInput] = (),
) -> Session:
    """Log a scheduled session after it happened: its summary, who came, and what comes next."""
    with transaction.atomic():
        session = _locked(session)
        _require_lead(session, by)
        if session.status == Session.Status.CANCELLED:
            raise ValidationError(_("A cancelled session cannot be logged."))
        if session.starts_at > timezone.now():
            raise ValidationError(_("This session has not happened yet."))
        before = _snapshot(session)
        first_record = session.status != Session.Status.HELD
        _set_attendance(session, statuses)
        session.summary = summary
        session.private_notes = private_notes
        session.status = Session.Status.HELD
        session.logged_at = session.logged_at or timezone.now()
        session.save(update_fields=["summary", "private_notes", "status", "logged_at"])
        _add_action_items(session, action_items)
        audit_record(actor=by, action="session.record", obj=session, before=before, after=_snapshot(session))
        if first_record:
            _session_logged_emit(session)
    return session


def _set_attendance(session: Session, statuses: dict[int, str]) -> None:
    valid = {Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED}
    rows = {row.person_id: row for row in session.attendances.select_for_update()}
    for person_id, status in statuses.items():
        if person_id not in rows:
            raise ValidationError(_("Only invited people have an attendance."))
        if status not in valid:
            raise ValidationError(_("Attendance is present, absent or excused."))
        rows[person_id].status = status
    Attendance.objects.bulk_update(rows.values(), ["status"])


def attendance_mark(*, session: Session, statuses: dict[int, str], by: User) -> Session:
    with transaction.atomic():
        session = _locked(session)
        _require_lead(session, by)
        if session.status != Session.Status.HELD:
            raise ValidationError(_("Attendance is marked once the session is logged as held."))
        before = dict(session.attendances.values_list("person_id", "status"))
        _set_attendance(session, statuses)
        after = dict(session.attendances.values_list("person_id", "status"))
        audit_record(
            actor=by,
            action="session.attendance",
            obj=session,
            before={str(k): v for k, v in before.items()},
            after={str(k): v for k, v in after.items()},
        )
    return session


def session_move(*, session: Session, starts_at: datetime.datetime, ends_at: datetime.datetime, by: User) -> Session:
    """A new time: a new SEQUENCE and invitation, and reminders re-armed for the new start (see the threshold)."""
    with transaction.atomic():
        session = _locked(session)
        _require_lead(session, by)
        if session.status != Session.Status.SCHEDULED:
            raise ValidationError(_("Only a scheduled session can be moved."))
        _check_times(session.kind, starts_at, ends_at)
        before = _snapshot(session)
        session.starts_at, session.ends_at = starts_at, ends_at
        session.sequence += 1
        session.save(update_fields=["starts_at", "ends_at", "sequence"])
        claims_write(session)
        audit_record(actor=by, action="session.move", obj=session, before=before, after=_snapshot(session))
        _claim_for_everyone(session, INVITATION, f"r{session.sequence}")
    return session


def session_cancel(*, session: Session, by: User) -> Session:
    with transaction.atomic():
        session = _locked(session)
        if not _own_office_hour(session.kind, list(session.attendances.values_list("person_id", flat=True)), by):
            _require_lead(session, by)
        if session.status != Session.Status.SCHEDULED:
            raise ValidationError(_("Only a scheduled session can be cancelled."))
        before = _snapshot(session)
        session.status = Session.Status.CANCELLED
        session.sequence += 1
        session.save(update_fields=["status", "sequence"])
        claims_write(session)
        audit_record(actor=by, action="session.cancel", obj=session, before=before, after=_snapshot(session))
        _claim_for_everyone(session, CANCELLATION, "")
    return session


def action_item_set_done(*, item: ActionItem, done: bool, by: User) -> ActionItem:
    """An invited person ticks their own action items and the session's shared ones (no owner); the facilitators
    and managers tick any. One participant of a group session never ticks another's."""
    with transaction.atomic():
        item = ActionItem.objects.select_for_update(of=("self",)).select_related("session__program").get(pk=item.pk)
        session = item.session
        invited = session.attendances.filter(person=by).exists()
        if not invited or item.owner_id not in (None, by.pk):
            _require_lead(session, by)
        before = {"done_at": item.done_at.isoformat() if item.done_at else None}
        item.done_at = (item.done_at or timezone.now()) if done else None
        item.save(update_fields=["done_at"])
        audit_record(
            actor=by,
            action="action_item.done" if done else "action_item.reopen",
            obj=item,
            before=before,
            after={"done_at": item.done_at.isoformat() if item.done_at else None},
        )
    return item


def feedback_give(*, session: Session, rating: int, comment: str, anonymous: bool, by: User) -> Feedback:
    with transaction.atomic():
        session = _locked(session)
        if session.status != Session.Status.HELD:
            raise ValidationError(_("Feedback is given after a held session."))
        attended = session.attendances.filter(person=by, status=Attendance.Status.PRESENT).exists()
        if not attended:
            raise PermissionDenied(_("Only people who attended give feedback on a session."))
        if not 1 <= rating <= 5:
            raise ValidationError(_("The rating is from 1 to 5."))
        if Feedback.objects.filter(session=session, person=by).exists():
            raise ValidationError(_("You already gave feedback on this session."))
        feedback = Feedback.objects.create(
            session=session, person=by, rating=rating, comment=comment, anonymous=anonymous
        )
        audit_record(actor=by, action="feedback.give", obj=feedback, after={"rating": rating})
    return feedback
