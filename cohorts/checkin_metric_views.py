"""A program's monthly check-in, for its managers: turn check-ins on (in a currency), the metrics in the order they
are asked, a metric of their own added, renamed, moved, retired, asked again or deleted, and the currency changed.
Anyone who does not manage the program (managers of other programs included) gets a 404, as on the program's other
pages; a metric of another program is not found either. The services are cohorts.checkins' and
cohorts.checkin_metrics'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cohorts import checkin_metrics, checkins
from cohorts.checkin_metric_forms import CurrencyForm, MetricAddForm, MetricRenameForm
from cohorts.models import CheckInAnswer, Metric, MetricSet
from cohorts.program_home import get_managed_program


def _metric_set(program) -> MetricSet | None:
    return MetricSet.objects.filter(program=program).first()


def _metric(program, pk: int) -> Metric:
    metric = Metric.objects.filter(pk=pk, metric_set__program=program).first()
    if metric is None:
        raise Http404
    return metric


def _page(request, program, status=200, **forms):
    """The page, with the forms given bound to what was posted (and their errors): three queries."""
    metric_set = _metric_set(program)
    metrics = []
    if metric_set is not None:
        answered = Exists(CheckInAnswer.objects.filter(metric=OuterRef("pk")))
        metrics = list(metric_set.metrics.annotate(answered=answered))
    rename = forms.get("rename")
    for metric in metrics:
        metric.rename_form = rename[1] if rename and rename[0] == metric.pk else None
    context = {
        "program": program,
        "metric_set": metric_set,
        "asked": [metric for metric in metrics if not metric.retired],
        "retired": [metric for metric in metrics if metric.retired],
        "currency_form": forms.get("currency_form") or CurrencyForm(instance=metric_set),
        "add_form": forms.get("add_form") or MetricAddForm(),
    }
    return render(request, "cohorts/checkin_metrics.html", context, status=status)


def _refused(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _back(program):
    return redirect("programs:checkin_metrics", program.slug)


@login_required
@require_GET
def metric_set_page(request, slug):
    return _page(request, get_managed_program(request.user, slug))


@login_required
@require_POST
def metric_set_currency(request, slug):
    """Turns check-ins on in the currency chosen, or changes the currency while no amount was sent."""
    program = get_managed_program(request.user, slug)
    metric_set = _metric_set(program)
    form = CurrencyForm(request.POST, instance=metric_set)
    if form.is_valid():
        currency = form.cleaned_data["currency"]
        try:
            if metric_set is None:
                checkins.metric_set_create(program=program, currency=currency, by=request.user)
                messages.success(request, _("Monthly check-ins are on."))
            else:
                checkin_metrics.metric_set_currency_change(metric_set=metric_set, currency=currency, by=request.user)
                messages.success(request, _("The currency is saved."))
            return _back(program)
        except ValidationError as error:
            _refused(form, error)
    return _page(request, program, status=400, currency_form=form)


@login_required
@require_POST
def metric_create(request, slug):
    program = get_managed_program(request.user, slug)
    metric_set = _metric_set(program)
    if metric_set is None:
        raise Http404
    form = MetricAddForm(request.POST)
    if form.is_valid():
        try:
            checkins.metric_add(metric_set=metric_set, by=request.user, **form.cleaned_data)
            messages.success(request, _("The metric is added: every check-in not yet sent asks it."))
            return _back(program)
        except ValidationError as error:
            _refused(form, error)
    return _page(request, program, status=400, add_form=form)


@login_required
@require_POST
def metric_rename(request, slug, pk):
    program = get_managed_program(request.user, slug)
    metric = _metric(program, pk)
    form = MetricRenameForm(request.POST, auto_id=f"id_rename_{metric.pk}_%s")
    if form.is_valid():
        try:
            checkin_metrics.metric_rename(metric=metric, name=form.cleaned_data["name"], by=request.user)
            messages.success(request, _("The metric is renamed."))
            return _back(program)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # a standard metric: it has no name field on the page
                messages.error(request, " ".join(error.messages))
            _refused(form, error)
    return _page(request, program, status=400, rename=(metric.pk, form))


def _act(request, slug, pk, service, done: str, **arguments):
    """Run a one-button action on a metric; a refusal is shown as a message on the page."""
    program = get_managed_program(request.user, slug)
    metric = _metric(program, pk)
    try:
        service(metric=metric, by=request.user, **arguments)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _page(request, program, status=400)
    if done:
        messages.success(request, done)
    return _back(program)


@login_required
@require_POST
def metric_move(request, slug, pk):
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return _act(request, slug, pk, _refuse_direction, "")
    return _act(request, slug, pk, checkin_metrics.metric_move, "", up=direction == "up")


def _refuse_direction(**_arguments):
    raise ValidationError(_("Move a metric up or down."))


@login_required
@require_POST
def metric_retire(request, slug, pk):
    done = _("The metric is retired: it is no longer asked, and its answers stay in the history.")
    return _act(request, slug, pk, checkin_metrics.metric_retire, done)


@login_required
@require_POST
def metric_ask_again(request, slug, pk):
    done = _("The metric is asked again, last.")
    return _act(request, slug, pk, checkin_metrics.metric_ask_again, done)


@login_required
@require_POST
def metric_delete(request, slug, pk):
    return _act(request, slug, pk, checkin_metrics.metric_delete, _("The metric is deleted."))
