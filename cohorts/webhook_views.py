"""A program's webhooks, for its managers: the endpoints, adding one (its secret shown once), disabling, enabling
and deleting, and each endpoint's delivery log (30 days) with "send again". Anyone who does not manage the
program (managers of other programs included) gets a 404, as on the program's other pages. The services are
incubator.webhooks'."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cohorts.forms import WebhookEndpointForm, WebhookLogFilterForm
from cohorts.program_home import get_managed_program
from incubator import webhooks
from incubator.models import WebhookDelivery, WebhookEndpoint

LOG_PAGE_SIZE = 50


def _endpoint(program, pk: int) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint.objects.defer("secret"), pk=pk, program=program)


def endpoints_with_last_delivery(program):
    """The program's endpoints, newest first, each with its latest delivery's time, status and response: one
    query."""
    latest = WebhookDelivery.objects.filter(endpoint=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        WebhookEndpoint.objects.filter(program=program)
        .defer("secret")
        .annotate(
            last_delivery_at=Subquery(latest.values("created_at")[:1]),
            last_delivery_status=Subquery(latest.values("status")[:1]),
            last_response_status=Subquery(latest.values("response_status")[:1]),
        )
        .order_by("-created_at", "-pk")
    )


@login_required
@require_GET
def webhook_list(request, slug):
    program = get_managed_program(request.user, slug)
    endpoints = list(endpoints_with_last_delivery(program))
    statuses = dict(WebhookDelivery.Status.choices)
    for endpoint in endpoints:
        endpoint.last_delivery_label = statuses.get(endpoint.last_delivery_status, "")
    return render(request, "cohorts/webhooks.html", {"program": program, "endpoints": endpoints})


@never_cache
@login_required
def webhook_create(request, slug):
    """The secret is in this answer alone (never cached): the list and the admin show a masked hint."""
    program = get_managed_program(request.user, slug)
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = webhooks.webhook_endpoint_create(
                program=program, url=form.cleaned_data["url"], events=form.cleaned_data["events"], by=request.user
            )
        except ValidationError as error:
            form.add_error("url", error)
        else:
            context = {"program": program, "endpoint": endpoint, "secret": secret}
            return render(request, "cohorts/webhook_created.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "cohorts/webhook_form.html", {"program": program, "form": form}, status=status)


@login_required
@require_POST
def webhook_disable(request, slug, pk):
    program = get_managed_program(request.user, slug)
    if webhooks.webhook_endpoint_disable(endpoint=_endpoint(program, pk), by=request.user):
        messages.success(request, _("The endpoint is disabled: it gets no new events."))
    return redirect("programs:webhooks", program.slug)


@login_required
@require_POST
def webhook_enable(request, slug, pk):
    program = get_managed_program(request.user, slug)
    if webhooks.webhook_endpoint_enable(endpoint=_endpoint(program, pk), by=request.user):
        messages.success(request, _("The endpoint is enabled again: it gets the events from now on."))
    return redirect("programs:webhooks", program.slug)


@login_required
def webhook_delete(request, slug, pk):
    program = get_managed_program(request.user, slug)
    endpoint = _endpoint(program, pk)
    if request.method == "POST":
        webhooks.webhook_endpoint_delete(endpoint=endpoint, by=request.user)
        messages.success(request, _("The endpoint and its delivery log are deleted."))
        return redirect("programs:webhooks", program.slug)
    return render(request, "cohorts/webhook_delete.html", {"program": program, "endpoint": endpoint})


@login_required
@require_GET
def webhook_log(request, slug, pk):
    """The endpoint's deliveries of the last 30 days, newest first: two queries (count, page) whatever the rows."""
    program = get_managed_program(request.user, slug)
    endpoint = _endpoint(program, pk)
    form = WebhookLogFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    since = timezone.now() - timedelta(days=30)
    deliveries = (
        endpoint.deliveries.filter(created_at__gte=since).select_related("event").order_by("-created_at", "-pk")
    )
    if status:
        deliveries = deliveries.filter(status=status)
    page = Paginator(deliveries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "program": program,
        "endpoint": endpoint,
        "form": form,
        "page_obj": page,
        "deliveries": page.object_list,
        "query": query.urlencode(),
        "settled": (WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED),
    }
    return render(request, "cohorts/webhook_log.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def webhook_resend(request, slug, pk, delivery_id):
    program = get_managed_program(request.user, slug)
    endpoint = _endpoint(program, pk)
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_id, endpoint=endpoint)
    if webhooks.webhook_delivery_resend(delivery=delivery, by=request.user):
        messages.success(request, _("The event will be sent again."))
    else:
        messages.warning(request, _("This delivery is still under way, or its endpoint is disabled."))
    return redirect("programs:webhook_log", program.slug, endpoint.pk)
