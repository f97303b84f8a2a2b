"""The calls section and the "new call" button of a program's home (cohorts.program_home_panels), and the view
behind the button: a copy of the program's last call, opened in the admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.call_copy import call_copy, last_call
from applications.selectors import program_calls
from cohorts.models import Cohort
from cohorts.program_home import get_managed_program


def calls_section(request, program):
    """One query: the program's calls with their counts."""
    now = timezone.now()
    calls = list(program_calls(program))
    for call in calls:
        call.state = (
            "unpublished"
            if not call.is_published
            else "upcoming"
            if call.is_upcoming(now)
            else "open"
            if call.is_open(now)
            else "closed"
        )
    return render_to_string(
        "applications/_program_home_calls.html", {"program": program, "calls": calls}, request=request
    )


def new_call_action(request, program):
    """A form copying the last call when there is one (one query), else the admin's add form for the newest
    cohort (one query)."""
    if last_call(program) is not None:
        return render_to_string("applications/_program_home_new_call.html", {"program": program}, request=request)
    url = reverse("admin:applications_call_add")
    cohort = Cohort.objects.filter(program=program).order_by("-starts_on", "-pk").only("pk").first()
    if cohort is not None:
        url += "?" + urlencode({"cohort": cohort.pk})
    context = {"url": url, "label": _("New call"), "testid": "new-call"}
    return render_to_string("cohorts/_program_home_action.html", context, request=request)


@login_required
@require_POST
def program_call_copy(request, slug):
    program = get_managed_program(request.user, slug)
    source = last_call(program)
    if source is None:
        return redirect(reverse("admin:applications_call_add"))
    copy = call_copy(call=source, by=request.user)
    messages.success(
        request,
        _(
            "A new call was made from “%(call)s”, not published yet: check its cohort, title, dates and questions, "
            "then tick “published on the portal”."
        )
        % {"call": source},
    )
    return redirect("admin:applications_call_change", copy.pk)
