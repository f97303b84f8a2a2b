"""The applicant's interview page at their private link: the panel's free slots in the applicant's zone, booking
with a confirmation, the booked time with its calendar file, and rescheduling until the cancellation window."""

import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from applications.interviews import selectors
from applications.interviews.forms import SlotForm
from applications.interviews.ics import interview_ics
from applications.interviews.models import Interview
from applications.interviews.services import InterviewError, interview_book, may_reschedule
from cohorts.availability import Slot, slot_refusal


def _own_interview(user, token: str) -> Interview:
    """The link opens for its applicant alone; anyone else signed in gets a 404, as for a link that does not exist."""
    interview = selectors.interview_by_token(token)
    if interview.application.applicant_id != user.pk:
        raise Http404
    return interview


def _page(request, interview, *, choosing: bool, confirm=None, refusal: str = "", taken: bool = False, status=200):
    now = timezone.now()
    zone = ZoneInfo(str(request.user.time_zone))
    booked = interview.status == Interview.Status.BOOKED
    reschedulable = booked and may_reschedule(interview, now)
    choosing = (interview.status == Interview.Status.INVITED or (choosing and reschedulable)) and confirm is None
    context = {
        "interview": interview,
        "call": interview.application.call,
        "availability": interview.plan.availability,
        "zone": zone,
        "days": selectors.slots_by_day(interview, now=now, zone=zone) if choosing else [],
        "choosing": choosing,
        "reschedulable": reschedulable,
        "confirm": confirm,
        "refusal": refusal,
        "taken": taken,
    }
    return render(request, "interviews/book.html", context, status=status)


@login_required
def book(request, token):
    interview = _own_interview(request.user, token)
    if request.method == "POST":
        form = SlotForm(request.POST)
        if not form.is_valid():
            return _page(request, interview, choosing=True, refusal=form.errors["at"][0], status=400)
        rescheduling = interview.status == Interview.Status.BOOKED
        try:
            interview_book(interview=interview, starts_at=form.cleaned_data["at"], by=request.user)
        except InterviewError as error:
            interview = selectors.interview_by_token(token)  # as it is now: a refused booking changed nothing
            status = 409 if error.taken else 400
            return _page(request, interview, choosing=True, refusal=error.message, taken=error.taken, status=status)
        if rescheduling:
            messages.success(request, _("Your interview has a new time. We sent you the new invitation."))
        else:
            messages.success(request, _("Your interview is booked. We sent you the invitation by email."))
        return redirect("interviews:book", token=token)
    if "at" in request.GET:
        form = SlotForm(request.GET)
        if not form.is_valid():
            return _page(request, interview, choosing=True, refusal=form.errors["at"][0], status=400)
        refusal = slot_refusal(
            interview.plan.availability,
            starts_at=form.cleaned_data["at"],
            busy=selectors.busy_periods(interview),
            now=timezone.now(),
        )
        if refusal is not None:
            status = 409 if refusal.taken else 400
            return _page(request, interview, choosing=True, refusal=refusal.message, taken=refusal.taken, status=status)
        at = form.cleaned_data["at"]
        length = datetime.timedelta(minutes=interview.plan.availability.slot_minutes)
        return _page(request, interview, choosing=False, confirm=Slot(at, at + length))
    return _page(request, interview, choosing="reschedule" in request.GET)


@login_required
@require_GET
def ics(request, token):
    interview = _own_interview(request.user, token)
    if interview.status != Interview.Status.BOOKED:
        raise Http404
    content = interview_ics(
        interview, method="PUBLISH", recipient_email=request.user.email, language=request.user.preferred_language
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
    return response
