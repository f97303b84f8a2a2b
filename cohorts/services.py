"""Every state change of a cohort's community: locked, checked, audited, mail scheduled on commit."""

import datetime
from collections.abc import Iterable
from typing import Any, Protocol

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cohorts.access import COMMUNITY_STATUSES, manages_program
from cohorts.dates import program_today
from cohorts.models import (
    Answer,
    Cohort,
    Initiative,
    InitiativeUpdate,
    MemberNote,
    Membership,
    Milestone,
    Post,
    Venture,
    VentureMember,
)
from incubator.audit import audit_record
from incubator.history import recorded_by
from incubator.models import User, WebhookEventName
from incubator.notifications import Claim, notifications_claim, notifications_enqueue
from incubator.roles import PARTICIPANT
from incubator.webhooks import webhook_event_emit

ANSWERED = "cohorts.post_answered"


class _CallLike(Protocol):
    cohort: Cohort


class AcceptedApplication(Protocol):
    """What `membership_create_from_application` reads, so that cohorts never imports the applications app.

    Required: `applicant` (User), `call.cohort` (Cohort). Optional, read with getattr and tolerated when
    missing or empty: `region` (Region or None), `venture_name`, `venture_field` (a FIELD_CHOICES key),
    `venture_description`, `venture_website` (str), and `team_members` (an iterable or related manager of
    objects with `name`, `email` and optionally `role`)."""

    applicant: User
    call: _CallLike


def _add_participant_role(user: User) -> None:
    user.groups.add(Group.objects.get(name=PARTICIPANT))


def _snapshot(membership: Membership) -> dict:
    return {
        "status": membership.status,
        "started_on": membership.started_on.isoformat() if membership.started_on else None,
        "ended_on": membership.ended_on.isoformat() if membership.ended_on else None,
        "reason": membership.status_reason,
        "region": membership.region_id,
    }


def _team_rows(team_members: Any) -> Iterable:
    """A related manager (application.team_members) or a plain iterable."""
    if team_members is None:
        return []
    return team_members.all() if hasattr(team_members, "all") else team_members


def _cohort_member_by_email(cohort_id: int, email: str) -> User | None:
    """Only someone in the same cohort is linked to their account: linking any account by email would show
    that account's name to whoever typed the address."""
    if not email:
        return None
    return User.objects.filter(
        email__iexact=email, memberships__cohort_id=cohort_id, memberships__status__in=COMMUNITY_STATUSES
    ).first()


@recorded_by
def membership_create_from_application(*, application: AcceptedApplication, by: User | None) -> Membership:
    """The accepted applicant's membership in the call's cohort, with their venture and team carried over.

    Idempotent: publishing the same acceptance again returns the existing membership and changes nothing.
    The cohort row lock serialises concurrent publishes; the (person, cohort) unique constraint backs it."""
    cohort = application.call.cohort
    person = application.applicant
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
        membership, created = Membership.objects.get_or_create(
            person=person,
            cohort=cohort,
            defaults={
                "region": getattr(application, "region", None),
                "started_on": cohort.starts_on or program_today(cohort.program),
            },
        )
        if not created:
            return membership
        audit_record(
            actor=by,
            action="membership.create",
            obj=membership,
            after=_snapshot(membership),
            note="from an accepted application",
        )
        _add_participant_role(person)
        _venture_from_application(cohort=cohort, application=application, by=by)
        member_joined_emit(membership)
    return membership


def member_joined_emit(membership: Membership) -> None:
    """The `member.joined` webhook event of a membership just created, in its transaction."""
    webhook_event_emit(
        program_id=membership.cohort.program_id,
        event=WebhookEventName.MEMBER_JOINED,
        data={"membership": membership.pk, "cohort": membership.cohort_id, "person": membership.person_id},
    )


def _venture_from_application(*, cohort: Cohort, application: AcceptedApplication, by: User | None) -> None:
    team = list(_team_rows(getattr(application, "team_members", None)))
    name = (getattr(application, "venture_name", "") or "").strip()
    if not name and not team:
        return
    name = name or str(application.applicant)
    # Names are unique case-insensitively (the constraint agrees); the caller holds the cohort lock.
    venture = Venture.objects.filter(cohort=cohort, name__iexact=name).first() or Venture.objects.create(
        cohort=cohort,
        name=name,
        field=getattr(application, "venture_field", "") or "",
        description=getattr(application, "venture_description", "") or "",
        website=getattr(application, "venture_website", "") or "",
    )
    applicant = application.applicant
    VentureMember.objects.get_or_create(venture=venture, user=applicant, defaults={"name": str(applicant)})
    for row in team:
        email = (getattr(row, "email", "") or "").strip()
        if email and venture.team.filter(email__iexact=email).exists():
            continue
        user = _cohort_member_by_email(cohort.pk, email)
        if user is not None and venture.team.filter(user=user).exists():
            continue
        if user is None and not email:
            continue  # a name alone cannot be reached or matched; the application still shows it
        VentureMember.objects.create(
            venture=venture,
            user=user,
            name=getattr(row, "name", "") or email,
            email=email,
            role=getattr(row, "role", "") or "",
        )
    audit_record(actor=by, action="venture.carry_over", obj=venture, after={"team": venture.team.count()})


ALLOWED_STATUS_CHANGES = {
    Membership.Status.ACTIVE: {Membership.Status.PAUSED, Membership.Status.GRADUATED, Membership.Status.WITHDRAWN},
    Membership.Status.PAUSED: {Membership.Status.ACTIVE, Membership.Status.GRADUATED, Membership.Status.WITHDRAWN},
    # Graduation and withdrawal close the membership; a returning person is invited again.
    Membership.Status.GRADUATED: set(),
    Membership.Status.WITHDRAWN: set(),
}


@recorded_by
def membership_status_change(
    *, membership: Membership, status: str, reason: str, on: datetime.date | None = None, by: User
) -> Membership:
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",)).select_related("cohort__program").get(pk=membership.pk)
        )
        on = on or program_today(membership.cohort.program)
        if status not in ALLOWED_STATUS_CHANGES[membership.status]:
            raise ValidationError(
                _("A %(old)s membership cannot become %(new)s.")
                % {"old": membership.get_status_display(), "new": Membership.Status(status).label}
            )
        if status in (Membership.Status.PAUSED, Membership.Status.WITHDRAWN) and not reason.strip():
            raise ValidationError(_("Say why the membership is paused or withdrawn."))
        if membership.started_on and on < membership.started_on:
            raise ValidationError(_("The date is before the membership started."))
        before = _snapshot(membership)
        membership.status = status
        membership.status_reason = reason.strip()
        ended = status in (Membership.Status.GRADUATED, Membership.Status.WITHDRAWN)
        membership.ended_on = on if ended else None
        membership.save(update_fields=["status", "status_reason", "ended_on"])
        audit_record(actor=by, action="membership.status", obj=membership, before=before, after=_snapshot(membership))
    return membership


@recorded_by
def member_note_add(*, membership: Membership, text: str, by: User) -> MemberNote:
    """A note on a member for the program's managers; only they write one."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",)).select_related("cohort__program").get(pk=membership.pk)
        )
        if not manages_program(by, membership.cohort.program_id):
            raise PermissionDenied(_("Only the program's managers write notes on its members."))
        note = MemberNote.objects.create(membership=membership, author=by, text=text)
        # On the membership, whose cohort names the program the audit trail files it under.
        audit_record(actor=by, action="member_note.add", obj=membership, after={"note": note.pk})
    return note


VENTURE_FIELDS = ("name", "field", "description", "website", "social_link")


def _check_venture_name(*, cohort: Cohort, name: str, exclude_pk: int | None = None) -> None:
    """Under the cohort lock: names are unique per cohort whatever their case (the constraint agrees)."""
    others = Venture.objects.filter(cohort=cohort, name__iexact=name.strip())
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError(_("This cohort already has a venture of that name."), code="duplicate")


def venture_create(*, cohort: Cohort, by: User, **fields) -> Venture:
    """`fields`: name, field, description, website, social_link. A member creating it joins its team.

    The cohort row lock serialises creates and renames, so two of the same name cannot both pass the check."""
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
        _check_venture_name(cohort=cohort, name=fields["name"])
        venture = Venture.objects.create(cohort=cohort, **fields)
        if _is_community_member(by, cohort):
            VentureMember.objects.create(venture=venture, user=by, name=str(by))
        audit_record(actor=by, action="venture.create", obj=venture, after={"name": venture.name})
    return venture


def venture_update(*, venture: Venture, by: User, **fields) -> Venture:
    """`fields`: any of name, field, description, website, social_link. A rename is checked like a create."""
    unknown = set(fields) - set(VENTURE_FIELDS)
    if unknown:
        raise TypeError(f"venture_update() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        Cohort.objects.select_for_update().get(pk=venture.cohort_id)
        venture = Venture.objects.select_for_update().get(pk=venture.pk)
        if "name" in fields:
            _check_venture_name(cohort=venture.cohort, name=fields["name"], exclude_pk=venture.pk)
        before = {key: getattr(venture, key) for key in fields}
        for key, value in fields.items():
            setattr(venture, key, value)
        venture.save(update_fields=list(fields))
        audit_record(actor=by, action="venture.update", obj=venture, before=before, after=fields)
    return venture


def venture_member_add(*, venture: Venture, email: str, name: str = "", role: str = "", by: User) -> VentureMember:
    """Add a member of the venture's cohort (linked to their account), or invite anyone else by email:
    they stay an email-only row showing just what the inviter typed."""
    email = email.strip()
    with transaction.atomic():
        venture = Venture.objects.select_for_update().get(pk=venture.pk)
        user = _cohort_member_by_email(venture.cohort_id, email)
        taken = Q(email__iexact=email) | (Q(user=user) if user is not None else Q())
        if venture.team.filter(taken).exists():
            raise ValidationError(_("%(email)s is already on this team.") % {"email": email})
        member = VentureMember.objects.create(
            venture=venture, user=user, name=name or (str(user) if user else email), email=email, role=role
        )
        audit_record(actor=by, action="venture.member_add", obj=venture, after={"email": email, "user": member.user_id})
    return member


def _is_community_member(user: User, cohort: Cohort) -> bool:
    return Membership.objects.filter(person=user, cohort=cohort, status__in=COMMUNITY_STATUSES).exists()


def post_create(*, cohort: Cohort, author: User, kind: str, title: str, body: str = "", field: str = "") -> Post:
    if not _is_community_member(author, cohort):
        raise PermissionDenied(_("Only members of this cohort post on its board."))
    return Post.objects.create(cohort=cohort, author=author, kind=kind, title=title, body=body, field=field)


def answer_create(*, post: Post, author: User, body: str) -> Answer:
    """Answer a post; its author hears about it by email, once per answer."""
    cohort = post.cohort
    if not (_is_community_member(author, cohort) or cohort.mentors.filter(pk=author.pk).exists()):
        raise PermissionDenied(_("Only members and mentors of this cohort answer on its board."))
    with transaction.atomic():
        answer = Answer.objects.create(post=post, author=author, body=body)
        if post.author_id != author.pk:
            notifications_enqueue(
                notification_ids=notifications_claim(
                    claims=[Claim(ANSWERED, answer.pk, post.author_id, program_id=cohort.program_id)]
                )
            )
    return answer


def initiative_create(
    *, cohort: Cohort, by: User, team: Iterable[User] = (), venture: Venture | None = None, **fields
) -> Initiative:
    """`fields`: title, what, why, how, status, next_step, due_on. The creator joins the team if a member."""
    if venture is not None and venture.cohort_id != cohort.pk:
        raise ValidationError(_("This venture belongs to another cohort."))
    team = list(team)
    with transaction.atomic():
        # The cohort row lock serialises creates, so two initiatives of the same title cannot both pass the check.
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
        # Withdrawn members have left the community: they cannot be put on a team.
        outsiders = {p.pk for p in team} - set(
            Membership.objects.filter(cohort=cohort, person__in=team, status__in=COMMUNITY_STATUSES).values_list(
                "person_id", flat=True
            )
        )
        if outsiders:
            raise ValidationError(_("Every team member must be a current member of this cohort."), code="outsider")
        title = fields.get("title", "")
        if Initiative.objects.filter(cohort=cohort, title__iexact=title.strip()).exists():
            raise ValidationError(_("This cohort already has an initiative of that title."), code="duplicate")
        initiative = Initiative.objects.create(cohort=cohort, venture=venture, **fields)
        if _is_community_member(by, cohort):
            team.append(by)
        initiative.team.set(team)
        audit_record(actor=by, action="initiative.create", obj=initiative, after={"status": initiative.status})
    return initiative


def initiative_progress_add(
    *, initiative: Initiative, by: User, on: datetime.date, text: str, status: str, next_step: str
) -> InitiativeUpdate:
    """A dated progress note, which may move the initiative's status and next step."""
    with transaction.atomic():
        initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
        update = InitiativeUpdate.objects.create(initiative=initiative, author=by, on=on, text=text)
        before = {"status": initiative.status, "next_step": initiative.next_step}
        initiative.status, initiative.next_step = status, next_step
        initiative.save(update_fields=["status", "next_step"])
        audit_record(
            actor=by,
            action="initiative.progress",
            obj=initiative,
            before=before,
            after={"status": status, "next_step": next_step},
        )
    return update


def milestone_create(*, initiative: Initiative, title: str, due_on: datetime.date, by: User) -> Milestone:
    with transaction.atomic():
        milestone = Milestone.objects.create(initiative=initiative, title=title, due_on=due_on)
        audit_record(actor=by, action="milestone.create", obj=milestone, after={"due_on": due_on.isoformat()})
    return milestone


def milestone_set_done(*, milestone: Milestone, done: bool, by: User) -> Milestone:
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        program = Cohort.objects.select_related("program").get(initiatives__milestones=milestone).program
        before = {"done_on": milestone.done_on.isoformat() if milestone.done_on else None}
        milestone.done_on = (milestone.done_on or program_today(program)) if done else None
        milestone.save(update_fields=["done_on"])
        audit_record(
            actor=by,
            action="milestone.done" if done else "milestone.reopen",
            obj=milestone,
            before=before,
            after={"done_on": milestone.done_on.isoformat() if milestone.done_on else None},
        )
    return milestone
