"""Members' personal data in cohorts: their part of the download, and erasure.

Kept on erasure, without the person's name (the account is anonymised): memberships with their cohort, status,
region and dates, which the cohort counts and the dashboard read, and the alumni survey's answers (the funder
report counts them) without their comment, the person's own words. Removed: the member profile and its photo,
team listings, board posts and answers, places on initiative teams, program and cohort role listings, and the
managers' notes on the person's memberships (notes a manager wrote stay, without their author, as progress notes do).
Monthly check-ins the person sent or skipped stay the venture's, without who sent them: the venture answered.

Board posts and answers are deleted rather than blanked: each is the person's own words about their own
offer or need, no report counts them, and an emptied post would only leave noise on the board. Answers
others wrote under the person's posts go with them (they answered that person). Progress notes on shared
initiatives stay, without their author: they are the team's record of its work."""

from pathlib import PurePosixPath

from allauth.account.models import EmailAddress
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower

from cohorts.models import (
    AlumniSurvey,
    Answer,
    CheckIn,
    CheckInAnswer,
    Cohort,
    Initiative,
    InitiativeUpdate,
    MemberNote,
    MemberProfile,
    Membership,
    Post,
    Program,
    ProgramRoleInvitation,
    Venture,
    VentureMember,
)
from incubator.history import actions_scrub
from incubator.personal_data import ERASED, PersonalDataSection, audit_scrub, storage_delete_on_commit


def _names(queryset) -> list[str]:
    return list(queryset.order_by("name").values_list("name", flat=True))


def _invitations_to(user):
    """Invitations to program roles and cohorts sent to an address the person confirmed (invitations are stored
    lower case)."""
    addresses = EmailAddress.objects.filter(user=user, verified=True).annotate(lower=Lower("email")).values("lower")
    return ProgramRoleInvitation.objects.filter(email__in=addresses)


def _profile(user) -> tuple[dict | None, list]:
    profile = MemberProfile.objects.filter(user=user).first()
    if profile is None:
        return None, []
    data = {
        "headline": profile.headline,
        "field": profile.field,
        "skills": profile.skills,
        "offers": profile.offers,
        "needs": profile.needs,
        "languages": profile.languages,
        "contact_email": profile.contact_email,
        "contact_phone": profile.contact_phone,
        "contact_consent": profile.contact_consent,
        "updated_at": profile.updated_at,
        "photo": "",
    }
    if not profile.photo:
        return data, []
    data["photo"] = f"profile/photo{PurePosixPath(profile.photo.name).suffix}"
    return data, [(data["photo"], profile.photo)]


def _alumni_survey(membership) -> dict | None:
    if not hasattr(membership, "alumni_survey"):  # read with the membership: no answer
        return None
    answer = membership.alumni_survey
    return {
        "venture": answer.venture,
        "jobs": answer.jobs,
        "revenue_band": answer.revenue_band,
        "currency": answer.currency,
        "helped_most": answer.helped_most,
        "comment": answer.comment,
        "answered_at": answer.answered_at,
    }


def _community(user) -> dict:
    """The person's places in cohorts and what they wrote there."""
    memberships = (
        Membership.objects.filter(person=user)
        .select_related("cohort__program", "region", "alumni_survey")
        .prefetch_related(Prefetch("notes", queryset=MemberNote.objects.order_by("created_at", "pk")))
        .order_by("pk")
    )
    teams = VentureMember.objects.filter(user=user).select_related("venture__cohort").order_by("pk")
    return {
        "memberships": [
            {
                "cohort": m.cohort.name,
                "program": m.cohort.program.name,
                "role": m.role,
                "status": m.status,
                "region": m.region.name if m.region else "",
                "started_on": m.started_on,
                "ended_on": m.ended_on,
                "status_reason": m.status_reason,
                # What the program's managers noted about the person: theirs to read, like everything kept on them.
                "notes_by_the_program": [{"text": n.text, "created_at": n.created_at} for n in m.notes.all()],
                "alumni_survey": _alumni_survey(m),
            }
            for m in memberships
        ],
        "venture_teams": [
            {"venture": row.venture.name, "cohort": row.venture.cohort.name, "name": row.name, "role": row.role}
            for row in teams
        ],
        "board_posts": list(
            Post.objects.filter(author=user)
            .order_by("created_at", "pk")
            .values("id", "cohort__name", "kind", "title", "body", "field", "created_at")
        ),
        "board_answers": list(
            Answer.objects.filter(author=user).order_by("created_at", "pk").values("post_id", "body", "created_at")
        ),
        "initiatives": list(
            Initiative.objects.filter(team=user).order_by("title", "pk").values("id", "cohort__name", "title", "status")
        ),
        "initiative_updates": list(
            InitiativeUpdate.objects.filter(author=user).order_by("on", "pk").values("initiative_id", "on", "text")
        ),
    }


def _checkins(user) -> list[dict]:
    """The monthly check-ins the person sent or skipped for their venture, with the answers: two queries."""
    checkins = CheckIn.objects.filter(submitted_by=user).select_related("venture").order_by("month", "pk")
    answers = {}
    for answer in (
        CheckInAnswer.objects.filter(checkin__submitted_by=user)
        .select_related("metric")
        .order_by("metric__position", "metric_id")
    ):
        answers.setdefault(answer.checkin_id, []).append({"metric": answer.metric.label, "answer": answer.typed})
    return [
        {
            "month": checkin.month.strftime("%Y-%m"),
            "venture": checkin.venture.name,
            "status": checkin.status,
            "late": checkin.late,
            "skip_reason": checkin.skip_reason,
            "sent_at": checkin.submitted_at,
            "answers": answers.get(checkin.pk, []),
        }
        for checkin in checkins
    ]


def _roles(user) -> dict:
    """The programs and cohorts the person works for, and the role invitations they received."""
    invitations = _invitations_to(user).order_by("created_at", "pk")
    return {
        "programs_managed": _names(Program.objects.filter(managers=user)),
        "programs_reviewed": _names(Program.objects.filter(reviewers=user)),
        "programs_mentored": _names(Program.objects.filter(mentors=user)),
        "cohorts_mentored": _names(Cohort.objects.filter(mentors=user)),
        "role_invitations_received": list(
            invitations.values(
                "program__name",
                "role",
                "cohort__name",
                "email",
                "name",
                "state",
                "created_at",
                "expires_at",
                "answered_at",
            )
        ),
    }


def cohorts_export(user) -> PersonalDataSection:
    """Fifteen queries: profile, memberships, their notes, teams, posts, answers, initiatives, progress notes, the
    programs and cohorts the person manages, reviews for or mentors, the invitations to program roles they
    received, and the check-ins they sent with their answers."""
    profile, files = _profile(user)
    data = {"profile": profile, **_community(user), **_roles(user), "checkins_sent": _checkins(user)}
    return PersonalDataSection(data=data, files=files)


def cohorts_erase(user) -> None:
    """Runs inside `account_erase`, with the user row locked and their email still readable."""
    profile = MemberProfile.objects.filter(user=user).first()
    if profile is not None:
        photo = profile.photo.name
        profile.delete()
        storage_delete_on_commit([photo])
    # A paused or withdrawn membership must say why (a constraint): the reason is replaced, not emptied.
    memberships = Membership.objects.filter(person=user)
    memberships.exclude(status_reason="").update(status_reason=ERASED)
    audit_scrub(
        object_type=Membership._meta.label_lower, object_ids=memberships.values_list("pk", flat=True), keys=("reason",)
    )
    # An accepted application without a venture name gave its venture the person's name.
    for venture in Venture.objects.filter(team__user=user, name__iexact=user.name).exclude(name=""):
        venture.name = f"#{venture.pk}"
        venture.save(update_fields=["name"])
    VentureMember.objects.filter(Q(user=user) | Q(email__iexact=user.email)).delete()
    # Who was added to a team by address: the rows naming the person's address keep only the account link.
    actions_scrub(
        match={"object_type": Venture._meta.label_lower, "action": "venture.member_add"},
        keys=("email",),
        when=lambda entry: str((entry.get("after") or {}).get("email", "")).lower() == user.email.lower(),
    )
    Answer.objects.filter(author=user).delete()
    Post.objects.filter(author=user).delete()
    Initiative.team.through.objects.filter(user_id=user.pk).delete()
    InitiativeUpdate.objects.filter(author=user).update(author=None)
    MemberNote.objects.filter(membership__person=user).delete()
    AlumniSurvey.objects.filter(membership__person=user).exclude(comment="").update(comment="")
    MemberNote.objects.filter(author=user).update(author=None)
    CheckIn.objects.filter(submitted_by=user).update(submitted_by=None)
    for listing in (Program.managers, Program.reviewers, Program.mentors, Cohort.mentors):
        listing.through.objects.filter(user_id=user.pk).delete()
    # Invitations to the person's addresses go, and their address (and the name typed for them) leaves the
    # invitations' audit rows.
    invitations = _invitations_to(user)
    audit_scrub(
        object_type=ProgramRoleInvitation._meta.label_lower,
        object_ids=invitations.values_list("pk", flat=True),
        keys=("email", "name"),
    )
    invitations.delete()
