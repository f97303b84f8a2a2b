"""Thin views: `access.get_session_for` gates every session page (404 for outsiders); programs are reached through
`programs_led` or `manages_program`, never by id alone."""

import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import managed_programs, mentored_program_ids
from cohorts.dates import program_today
from cohorts.models import Cohort, Program
from incubator import ratelimit
from incubator.calendar_feed import calendar_addresses
from incubator.models import User
from incubator.ratelimit import email_request_allowed, too_many_requests
from incubator.when import format_when
from mentoring import access, selectors, services
from mentoring.forms import (
    AttendanceForm,
    FeedbackForm,
    LogForm,
    MentorProfileForm,
    MoveForm,
    ParticipantProfileForm,
    RecordForm,
    ScheduleForm,
    action_items,
)
from mentoring.models import ActionItem, Attendance, MentorProfile, ParticipantProfile, Session, SessionKind


def _errors(form, error: ValidationError | PermissionDenied) -> None:
    for message in getattr(error, "messages", None) or [str(error) or _("You may not do this.")]:
        form.add_error(None, message)


def _warn_overlaps(request, overlaps) -> None:
    for other in overlaps:
        messages.warning(
            request,
            _("Note: this overlaps with another session of yours (%(kind)s, %(when)s %(zone)s).")
            % {
                "kind": other.kind.name,
                "when": format_when(other.starts_at, other.program, named=False),
                "zone": other.program.time_zone,
            },
        )


@login_required
def home(request):
    now = timezone.now()
    context = {
        "led_programs": list(selectors.programs_led(request.user)),
        "managed": list(managed_programs(request.user)),
        "mentored": bool(mentored_program_ids(request.user)),
    }
    context.update(selectors.mentor_home(request.user, now=now))
    context.update(selectors.participant_home(request.user, now=now))
    if context["led_programs"] or context.get("mentors") or context.get("sessions"):
        context.update(calendar_addresses(request))
    return render(request, "mentoring/home.html", context)


def _led_program(request) -> Program:
    programs = selectors.programs_led(request.user)
    slug = request.GET.get("program") or request.POST.get("program")
    program = programs.filter(slug=slug).first() if slug else programs.order_by("name").first()
    if program is None:
        raise Http404
    return program


def _form_kwargs(request, program, *, log: bool):
    kinds = [
        kind
        for kind in services.session_kinds_ensure(program)
        if not (log and kind.counts_as == SessionKind.CountsAs.SERIES)
    ]
    allowed = access.allowed_participant_ids(request.user, program, individual=False)
    people = list(User.objects.filter(pk__in=allowed).order_by("name"))
    return {
        "program": program,
        "kinds": kinds,
        "people": people,
        "mentee_ids": access.mentee_ids(request.user, program),
        "individual_ids": access.allowed_participant_ids(request.user, program, individual=True),
    }


@login_required
def session_log(request):
    program = _led_program(request)
    initial = {"date": program_today(program)}
    form = LogForm(request.POST or None, initial=initial, **_form_kwargs(request, program, log=True))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        participants = form.participant_users()
        owner = participants[0] if len(participants) == 1 else None
        try:
            session, overlaps = services.session_log(
                program=program,
                kind=data["kind"],
                starts_at=form.starts_at(),
                minutes=data["minutes"],
                participants=participants,
                summary=data["summary"],
                private_notes=data["private_notes"],
                action_items=action_items(data["actions"], data["due_on"], owner),
                series=data.get("series"),
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            _errors(form, error)
        else:
            _warn_overlaps(request, overlaps)
            if session.kind.counts_as == SessionKind.CountsAs.INDIVIDUAL:
                messages.success(request, _("The session was logged."))
                return redirect("mentoring:session_detail", session.pk)
            messages.success(request, _("The session was logged. Now mark who came."))
            return redirect("mentoring:session_attendance", session.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "program": program, "programs": selectors.programs_led(request.user)}
    return render(request, "mentoring/log.html", context, status=status)


@login_required
def session_schedule(request):
    program = _led_program(request)
    form = ScheduleForm(request.POST or None, **_form_kwargs(request, program, log=False))
    status = 400 if request.method == "POST" else 200
    if (
        request.method == "POST"
        and form.is_valid()
        and not email_request_allowed(action="session_schedule", person=request.user, target=program.pk)
    ):
        form.add_error(None, ratelimit.REFUSED)  # the form is now invalid: nothing below runs, nothing is sent
        status = 429
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at = form.starts_at()
        try:
            session, overlaps = services.session_schedule(
                program=program,
                kind=data["kind"],
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=data["minutes"]),
                participants=form.participant_users(),
                title=data["title"],
                place=data["place"],
                online_link=data["online_link"],
                region=data["region"],
                agenda=data["agenda"],
                series=data.get("series"),
                facilitators=list(data["facilitators"]),
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            _errors(form, error)
        else:
            _warn_overlaps(request, overlaps)
            messages.success(request, _("The session is scheduled; everyone invited gets a calendar invitation."))
            return redirect("mentoring:session_detail", session.pk)
    context = {"form": form, "program": program, "programs": selectors.programs_led(request.user)}
    return render(request, "mentoring/schedule.html", context, status=status)


@login_required
def session_detail(request, pk):
    session = access.get_session_for(request.user, pk)
    context = {"session": session, **selectors.session_detail(session, viewer=request.user)}
    mine = next((a for a in context["attendances"] if a.person_id == request.user.pk), None)
    given = mine is not None and session.feedback.filter(person=request.user).exists()
    can_give = mine is not None and mine.status == Attendance.Status.PRESENT and session.status == Session.Status.HELD
    context.update(
        {
            "my_attendance": mine,
            "feedback_given": given,
            "feedback_form": FeedbackForm() if can_give and not given else None,
            "now": timezone.now(),
        }
    )
    return render(request, "mentoring/session.html", context)


def _require_lead(session) -> None:
    if not session.viewer_leads:
        raise PermissionDenied


@login_required
def session_record(request, pk):
    session = access.get_session_for(request.user, pk)
    _require_lead(session)
    attendances = list(session.attendances.select_related("person").order_by("person__name"))
    form = RecordForm(request.POST or None, attendances=attendances)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = attendances[0].person if len(attendances) == 1 else None
        try:
            services.session_record(
                session=session,
                summary=data["summary"],
                statuses=form.statuses(),
                private_notes=data["private_notes"],
                action_items=action_items(data["actions"], data["due_on"], owner),
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            _errors(form, error)
        else:
            messages.success(request, _("The session was logged."))
            return redirect("mentoring:session_detail", session.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "mentoring/record.html", {"session": session, "form": form}, status=status)


@login_required
def session_attendance(request, pk):
    session = access.get_session_for(request.user, pk)
    _require_lead(session)
    attendances = list(session.attendances.select_related("person").order_by("person__name"))
    form = AttendanceForm(request.POST or None, attendances=attendances)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_mark(session=session, statuses=form.statuses(), by=request.user)
        except (ValidationError, PermissionDenied) as error:
            _errors(form, error)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("mentoring:session_detail", session.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "mentoring/attendance.html", {"session": session, "form": form}, status=status)


@login_required
def session_move(request, pk):
    session = access.get_session_for(request.user, pk)
    _require_lead(session)
    initial = _move_initial(session)
    form = MoveForm(request.POST or None, program=session.program, initial=initial)
    status = 400 if request.method == "POST" else 200
    if (
        request.method == "POST"
        and form.is_valid()
        and not email_request_allowed(action="session_email", person=request.user, target=session.pk)
    ):
        form.add_error(None, ratelimit.REFUSED)  # the form is now invalid: nothing below runs, nothing is sent
        status = 429
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.period()
        try:
            services.session_move(session=session, starts_at=starts_at, ends_at=ends_at, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            _errors(form, error)
        else:
            messages.success(request, _("The session was moved; everyone invited gets the new time."))
            return redirect("mentoring:session_detail", session.pk)
    return render(request, "mentoring/move.html", {"session": session, "form": form}, status=status)


def _move_initial(session) -> dict:
    start = session.starts_at.astimezone(ZoneInfo(session.program.time_zone))
    return {"date": start.date(), "time": start.time(), "minutes": int(session.hours * 60)}


@login_required
@require_POST
def session_cancel(request, pk):
    session = access.get_session_for(request.user, pk)
    _require_lead(session)
    if not email_request_allowed(action="session_email", person=request.user, target=session.pk):
        return too_many_requests(request, back=reverse("mentoring:session_detail", args=[session.pk]))
    try:
        services.session_cancel(session=session, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mentoring:session_detail", session.pk)
    messages.success(request, _("The session was cancelled; everyone invited was told."))
    return redirect("mentoring:session_detail", session.pk)


@login_required
@require_POST
def action_item_done(request, pk):
    item = get_object_or_404(ActionItem.objects.select_related("session"), pk=pk)
    session = access.get_session_for(request.user, item.session_id)
    if not (session.viewer_invited or session.viewer_leads):
        raise Http404
    services.action_item_set_done(item=item, done=request.POST.get("done") == "1", by=request.user)
    if request.POST.get("back") == "session":
        return redirect("mentoring:session_detail", session.pk)
    return redirect("mentoring:home")


@login_required
@require_POST
def session_feedback(request, pk):
    session = access.get_session_for(request.user, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 1 to 5."))
        return redirect("mentoring:session_detail", session.pk)
    data = form.cleaned_data
    try:
        services.feedback_give(
            session=session,
            rating=data["rating"],
            comment=data["comment"],
            anonymous=data["anonymous"],
            by=request.user,
        )
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mentoring:session_detail", session.pk)
    messages.success(request, _("Thank you for your feedback."))
    return redirect("mentoring:session_detail", session.pk)


@login_required
def my_profile(request):
    participant = ParticipantProfile.objects.filter(user=request.user).first() or ParticipantProfile(user=request.user)
    is_mentor = bool(request.user.mentored_programs.exists())
    mentor = None
    if is_mentor:
        mentor = MentorProfile.objects.filter(user=request.user).first() or MentorProfile(user=request.user)
    which = request.POST.get("which")
    participant_form = ParticipantProfileForm(
        request.POST if which == "participant" else None, instance=participant, prefix="p"
    )
    mentor_form = (
        MentorProfileForm(request.POST if which == "mentor" else None, instance=mentor, prefix="m") if mentor else None
    )
    form = {"participant": participant_form, "mentor": mentor_form}.get(which)
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return redirect("mentoring:profile")
    status = 400 if request.method == "POST" else 200
    context = {"participant_form": participant_form, "mentor_form": mentor_form}
    return render(request, "mentoring/profile.html", context, status=status)


def cohort_dashboard_panel(request, cohort):
    """The mentoring figures on the cohort's manager dashboard (cohorts renders it through its panel registry)."""
    figures = selectors.cohort_figures(cohort, now=timezone.now())
    context = {"cohort": cohort, "mentoring_figures": figures}
    return render_to_string("mentoring/_dashboard_panel.html", context, request=request)


def program_home_section(request, program):
    """The mentoring section of a program's home (cohorts.program_home_panels): three queries, the figures and the
    cohorts whose dates the funder report links carry."""
    figures = selectors.program_figures(program, now=timezone.now())
    today = program_today(program)
    report = reverse("mentoring:report")
    reports = []
    for cohort in Cohort.objects.filter(program=program, starts_on__isnull=False).order_by("-starts_on", "-pk"):
        end = cohort.ends_on or max(today, cohort.starts_on)  # the cohort's dates; a cohort still running: to today
        query = urlencode({"program": program.slug, "start": cohort.starts_on.isoformat(), "end": end.isoformat()})
        reports.append((cohort, f"{report}?{query}"))
    context = {"program": program, "figures": figures, "reports": reports}
    return render_to_string("mentoring/_program_home.html", context, request=request)
