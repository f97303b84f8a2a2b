"""Thin views: `access.get_space_for` gates a space, `access.get_own_booking` a booking (404 for anyone else)."""

import datetime
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.models import Membership
from incubator import bounds
from incubator.history import sentence
from incubator.language import absolute_url
from incubator.models import User
from workspaces import access, cells, exports, ledger, periods, selectors, services
from workspaces.forms import BookForm, InductionForm, RecurringForm, parse_day, parse_month
from workspaces.models import Booking, Resource, Space

BOOKINGS_PAGE_SIZE = 20


def _refusal(request, message: str, status: int, space=None):
    return render(request, "workspaces/refused.html", {"message": message, "space": space}, status=status)


@login_required
def index(request):
    return render(request, "workspaces/index.html", {"spaces": list(access.spaces_for(request.user))})


def _week_and_day(request, space):
    """Bad or missing dates fall back to the space's next open day (today when it is open) and its week."""
    week = parse_day(request.GET.get("week"))
    today = periods.space_today(space) if week else selectors.next_open_day(space, periods.space_today(space))
    first_day = periods.week_start(space, week or today)
    day = parse_day(request.GET.get("day"))
    if day is None or not first_day <= day < first_day + datetime.timedelta(days=7):
        day = today if first_day <= today < first_day + datetime.timedelta(days=7) else first_day
    return first_day, day


@login_required
def space_detail(request, slug):
    space = access.get_space_for(request.user, slug)
    first_day, day = _week_and_day(request, space)
    grid = selectors.week_grid(space, request.user, first_day=first_day, hours_day=day)
    labels = cells.Labels()
    return render(
        request,
        "workspaces/space.html",
        {
            "space": space,
            "grid": grid,
            "labels": labels,
            "book_url": labels.book_url,
            "day_rows": cells.grid_rows(grid.day_rows, labels),
            "hour_rows": cells.grid_rows(grid.hour_rows, labels),
            "previous_week": first_day - datetime.timedelta(days=7),
            "next_week": first_day + datetime.timedelta(days=7),
            "hour_days": [first_day + datetime.timedelta(days=n) for n in range(7)],
        },
    )


def _cell_response(request, cell, message: str, level: str, status: int = 200):
    labels = cells.Labels()
    return render(
        request,
        "workspaces/_cell_response.html",
        {
            "rows": [cells.slot_row(cell, labels)],
            "labels": labels,
            "book_url": labels.book_url,
            "message": message,
            "level": level,
        },
        status=status,
    )


@login_required
@require_POST
def book(request):
    form = BookForm(request.POST)
    if not form.is_valid():
        return _refusal(request, _("This slot could not be read. Reload the page and try again."), 400)
    resource = (
        Resource.objects.select_related("space")
        .filter(pk=form.cleaned_data["resource"], space__in=access.spaces_for(request.user))
        .first()
    )
    if resource is None:
        raise Http404
    starts, ends = form.cleaned_data["starts"], form.cleaned_data["ends"]
    space = resource.space
    try:
        services.booking_create(resource=resource, starts=starts, ends=ends, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        message = " ".join(getattr(error, "messages", None) or [str(error)])
        status = 409 if getattr(error, "code", "") == services.JUST_TAKEN else 400
        if request.htmx:
            cell = selectors.grid_cell(resource, request.user, starts=starts, ends=ends)
            return _cell_response(request, cell, message, "danger", status)
        return _refusal(request, message, status, space)
    message = sentence(_("Booked: %(resource)s."), resource=resource.name)
    if request.htmx:
        cell = selectors.grid_cell(resource, request.user, starts=starts, ends=ends)
        return _cell_response(request, cell, message, "success")
    messages.success(request, message)
    url = reverse("workspaces:space", args=[space.slug])
    # 303: the browser follows with a GET, so reloading the grid never books twice.
    return HttpResponseRedirect(
        f"{url}?week={periods.week_start(space, starts.date())}&day={starts.date()}", status=303
    )


@login_required
def booking_cancel(request, pk):
    booking = access.get_own_booking(request.user, pk)
    if request.method != "POST":
        return render(request, "workspaces/booking_cancel.html", {"booking": booking, "space": booking.resource.space})
    space = booking.resource.space
    try:
        booking = services.booking_cancel(booking=booking, by=request.user)
    except ValidationError as error:
        message, level, status = " ".join(error.messages), "danger", 400
    else:
        status = 200
        level = "success"
        if booking.status == Booking.Status.CANCELLED:
            message = sentence(_("Cancelled: %(resource)s. Nothing is charged."), resource=booking.resource.name)
        else:
            message = sentence(
                _("Cancelled late: %(resource)s. The booking is still charged."), resource=booking.resource.name
            )
    if request.htmx and request.POST.get("from") == "grid":
        zone = ZoneInfo(space.time_zone)
        cell = selectors.grid_cell(
            booking.resource,
            request.user,
            starts=booking.period.lower.astimezone(zone).replace(tzinfo=None),
            ends=booking.period.upper.astimezone(zone).replace(tzinfo=None),
        )
        return _cell_response(request, cell, message, level, status)
    if status != 200:
        return _refusal(request, message, status, space)
    messages.success(request, message)
    return redirect("workspaces:bookings")


@login_required
@require_POST
def booking_check_in(request, pk):
    booking = access.get_own_booking(request.user, pk)
    try:
        services.booking_check_in(booking=booking, by=request.user)
    except ValidationError as error:
        return _refusal(request, " ".join(error.messages), 400, booking.resource.space)
    messages.success(request, sentence(_("Checked in: %(resource)s. Welcome!"), resource=booking.resource.name))
    return redirect("workspaces:bookings")


@login_required
def resource_check_in(request, resource_id):
    """Where the QR code on a desk leads: the viewer's booking of that desk now, with the check-in button."""
    resource = get_object_or_404(
        Resource.objects.select_related("space"), pk=resource_id, space__in=access.spaces_for(request.user)
    )
    now = timezone.now()
    booking = (
        Booking.objects.filter(
            resource=resource,
            person=request.user,
            status=Booking.Status.ACTIVE,
            period__startswith__lte=now + services.EARLY_CHECK_IN,
            period__endswith__gt=now,
        )
        .select_related("resource__space")
        .first()
    )
    return render(
        request, "workspaces/check_in.html", {"resource": resource, "booking": booking, "space": resource.space}
    )


@login_required
def bookings(request):
    page = Paginator(selectors.my_bookings(request.user), BOOKINGS_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    # Check-in is offered from when the service accepts it, not days ahead into a refusal.
    context = {"page": page, "now": now, "check_in_from": now + services.EARLY_CHECK_IN}
    return render(request, "workspaces/bookings.html", context)


def _month_or_400(request, space=None):
    today = timezone.localdate()
    month = parse_month(request.GET.get("month"), today)
    if month is None and bounds.is_out_of_bounds_month(request.GET.get("month")):
        # A real month, far outside any booking (9999-12, 0001-01): said so, rather than "not a month".
        return None, _refusal(
            request,
            _("%(value)s is outside the months the portal can show, %(earliest)s to %(latest)s.")
            % {"value": request.GET["month"], "earliest": bounds.EARLIEST_MONTH, "latest": bounds.LATEST_MONTH},
            400,
            space,
        )
    if month is None:
        return None, _refusal(
            request,
            _("“%(value)s” is not a month. Write it as YYYY-MM, for example %(example)s.")
            % {"value": request.GET.get("month"), "example": today.strftime("%Y-%m")},
            400,
            space,
        )
    return month, None


@login_required
def statement(request):
    month, refusal = _month_or_400(request)
    if refusal:
        return refusal
    data = ledger.statement(request.user, month)
    fmt = request.GET.get("format", "")
    if fmt == "csv":
        return exports.statement_csv(request, data)
    if fmt == "pdf":
        return exports.statement_pdf(data, request.user)
    previous = (data.month - datetime.timedelta(days=1)).replace(day=1)
    following = (data.month + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "workspaces/statement.html",
        {"statement": data, "previous": previous, "following": following},
    )


@login_required
def recurring(request, slug):
    space = access.get_space_for(request.user, slug)
    resources = list(space.resources.filter(is_active=True).exclude(unit=Resource.Unit.HOUR))
    form = RecurringForm(request.POST or None, resources=resources)
    context = {"space": space, "form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resource = next(r for r in resources if r.pk == data["resource"])
        booked, refused = services.booking_create_recurring(
            resource=resource,
            first_day=data["first_day"],
            weekdays=set(data["weekdays"]),
            weeks=data["weeks"],
            part=data["part"] if resource.unit == Resource.Unit.HALF_DAY else "day",
            by=request.user,
        )
        context.update({"booked": booked, "refused": refused, "done": True})
    return render(request, "workspaces/recurring.html", context, status=400 if form.errors else 200)


@login_required
def report(request, slug):
    space = access.get_managed_space_for(request.user, slug)
    month, refusal = _month_or_400(request, space)
    if refusal:
        return refusal
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        rows = ledger.month_statements(space, request.user, month)
        return exports.month_statements(request, space, month, rows, fmt)
    data = selectors.report(space, request.user, month)
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    resources = list(space.resources.order_by("position", "name"))
    return render(
        request,
        "workspaces/report.html",
        {"space": space, "report": data, "previous": previous, "following": following, "resources": resources},
    )


def _induction_people(program_ids):
    """Only the viewer's own participants of the space are offered: the form must not reveal other accounts, nor
    another program's people to a manager whose program shares the space."""
    return (
        User.objects.filter(memberships__status=Membership.Status.ACTIVE, memberships__cohort__program__in=program_ids)
        .distinct()
        .order_by("name", "pk")
    )


def _induction_recorded(request, space: Space, form: InductionForm) -> bool:
    """Records the form's induction, or puts on the form why not."""
    data = form.cleaned_data
    person = form.chosen_person()
    try:
        services.induction_record(
            space=space,
            person=person,
            induction_type=data["induction_type"],
            inducted_on=data["inducted_on"],
            expires_on=data["expires_on"],
            by=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return False
    messages.success(request, sentence(_("Induction recorded for %(name)s."), name=person))
    return True


@login_required
def inductions(request, slug):
    """Trainers and the programs' managers record inductions; the list shows the space's recent ones."""
    space = get_object_or_404(Space, slug=slug)
    if not access.can_record_induction(request.user, space):
        raise Http404
    program_ids = access.induction_program_ids(request.user, space)
    types = sorted(set(space.resources.exclude(induction_type="").values_list("induction_type", flat=True)))
    form = InductionForm(request.POST or None, types=types, people=_induction_people(program_ids))
    if request.method == "POST" and form.is_valid() and _induction_recorded(request, space, form):
        return redirect("workspaces:inductions", space.slug)
    recent = (
        space.inductions.filter(person__memberships__cohort__program__in=program_ids)
        .distinct()
        .select_related("person", "recorded_by")
        .order_by("-created_at")[:50]
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request, "workspaces/inductions.html", {"space": space, "form": form, "recent": recent}, status=status
    )


@login_required
def resource_qr(request, slug, resource_id):
    """The QR code to print and stick on the desk: it opens the check-in page of this resource."""
    space = access.get_managed_space_for(request.user, slug)
    resource = get_object_or_404(Resource, pk=resource_id, space=space)
    # The site's own address, never the request's Host header: a printed code must not point anywhere else.
    url = absolute_url("workspaces:resource_check_in", settings.LANGUAGE_CODE, args=[resource.pk])
    svg = segno.make(url, error="m").svg_inline(scale=6, title=_("Check in at %(resource)s") % {"resource": resource})
    return HttpResponse(svg, content_type="image/svg+xml")
