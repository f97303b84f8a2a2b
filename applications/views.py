from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import checks, selectors
from applications.access import get_application_file_for, get_application_for
from applications.forms import (
    ApplicationForm,
    question_field_name,
    team_as_typed,
    team_data,
    team_errors,
    team_formset,
    team_formset_with_another_row,
)
from applications.models import Application, Call, Question
from applications.services import (
    ApplicationError,
    application_can_withdraw,
    application_file_attach,
    application_is_editable,
    application_save_draft,
    application_start,
    application_withdraw,
)
from applications.submission import application_resubmit, application_submit
from cohorts.access import manages_program


def call_list(request):
    own = set()
    if request.user.is_authenticated:
        own = set(Application.objects.filter(applicant=request.user).values_list("call_id", flat=True))
    return render(request, "applications/call_list.html", {"listing": selectors.calls_listing(), "own": own})


def call_detail(request, slug):
    call = get_object_or_404(selectors.call_for_page(slug))
    if not call.is_published and not manages_program(request.user, call.program):
        raise Http404  # a call being prepared is for its program's managers to preview
    application = None
    if request.user.is_authenticated:
        application = Application.objects.filter(call=call, applicant=request.user).first()
    return render(request, "applications/call_detail.html", {"call": call, "application": application})


def _own_application(request, call: Call) -> Application | None:
    return (
        Application.objects.filter(call=call, applicant=request.user)
        .select_related("call__cohort__program", "region")
        .prefetch_related("team_members", "files")
        .first()
    )


def _form_context(call, questions, application, form, formset, errors=None, unsaved=None):
    files = {f.question_id: f for f in application.files.all()} if application else {}
    return {
        "call": call,
        "application": application,
        "form": form,
        "formset": formset,
        # (question, bound field, stored file) in the call's order; file questions render their own block.
        "items": [(q, form[question_field_name(q)], files.get(q.pk)) for q in questions],
        "file_items": [(q, form[question_field_name(q)], files.get(q.pk)) for q in questions if q.kind == "file"],
        # Autosave re-renders only the file inputs it received, so a file chosen meanwhile is not cleared.
        "posted_files": set(form.files),
        "progress": checks.progress(application or unsaved or Application(), questions, set(files)),
        "errors": errors or [],
        "field_errors": form.field_errors() if form.is_bound else {},
    }


def _closed_to(request, call, application):
    """Where someone goes whom this call no longer takes changes from (with the reason said), else None."""
    if application is None and not call.is_open():
        messages.error(request, _("This call is not open for applications."))
        return redirect("applications:call", slug=call.slug)
    if application is not None and not application_is_editable(application, request.received_at):
        past_deadline = request.received_at > call.closes_at
        if application.status == Application.Status.DRAFT and past_deadline:
            messages.error(request, _("The deadline has passed: submissions closed. Your draft is kept."))
        elif application.status == Application.Status.SUBMITTED and past_deadline and request.method == "POST":
            messages.error(
                request, _("The deadline has passed: your changes were not saved. Your submitted application is kept.")
            )
        return redirect("applications:detail", pk=application.pk)
    return None


def _blank_form_page(request, call, questions, application):
    # A new form starts from the account's name and email; nothing is stored until the first change.
    unsaved = Application(call=call, full_name=request.user.name, email=request.user.email)
    form = ApplicationForm(call=call, questions=questions, application=application or unsaved)
    form.show_stored_errors(application)
    formset = team_formset(application)
    errors = form.error_list() + (team_errors(formset) if formset.is_bound else [])
    context = _form_context(call, questions, application, form, formset, errors, unsaved=unsaved)
    return render(request, "applications/apply.html", context)


def _draft_data(form, formset):
    data = form.draft_data()
    data.team = team_data(formset)
    if data.team is None:
        data.invalid["team"] = team_as_typed(formset)
    else:
        data.valid.add("team")
    return data


@login_required
def application_apply(request, slug):
    call = get_object_or_404(Call.objects.select_related("cohort__program"), slug=slug)
    application = _own_application(request, call)
    if closed := _closed_to(request, call, application):
        return closed
    questions = list(call.questions.all())
    if request.method != "POST":
        return _blank_form_page(request, call, questions, application)
    form = ApplicationForm(request.POST, request.FILES, call=call, questions=questions, application=application)
    formset = team_formset(application, request.POST)
    form.is_valid()  # the errors are shown; the fields that did validate are saved all the same
    if application is not None and application.status == Application.Status.SUBMITTED:
        return _save_changes(request, call, questions, application, form, formset)
    try:
        application = application or application_start(call=call, applicant=request.user)
        saved = application_save_draft(application=application, data=_draft_data(form, formset), by=request.user)
        for question, (upload, content_type) in form.uploads.items():
            application_file_attach(
                application=application, question=question, upload=upload, content_type=content_type, by=request.user
            )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("applications:call", slug=call.slug)
    # An autosave without files answers with the row it just saved (its files are read fresh); after an upload,
    # everything is read again.
    application = _own_application(request, call) if form.uploads else saved
    # The team is saved only when every row is valid: its errors are shown like the others, never dropped.
    errors = form.error_list() + team_errors(formset)
    if request.htmx:
        context = _form_context(call, questions, application, form, formset, errors)
        return render(request, "applications/_autosave.html", context)
    if errors:
        # The bound formset: the team rows come back as typed, with their errors.
        context = _form_context(call, questions, application, form, formset, errors)
        return render(request, "applications/apply.html", context, status=400)
    if request.POST.get("action") == "preview":
        return redirect("applications:preview", slug=call.slug)
    messages.success(request, _("Your draft is saved."))
    return redirect("applications:apply", slug=call.slug)


def _save_changes(request, call, questions, application, form, formset):
    """A submitted application is never autosaved: "Save changes" resubmits it as a whole, or changes nothing."""
    if request.htmx:
        # An autosave from a page opened before the submission: it saves nothing.
        errors = [("", _("Not saved: this application was submitted. Reload the page to change it."), "")]
        context = {**_form_context(call, questions, application, form, formset, errors), "not_saved": True}
        return render(request, "applications/_autosave.html", context)
    action = request.POST.get("action")
    if action == "add_member":
        formset = team_formset_with_another_row(application, request.POST)
        return render(request, "applications/apply.html", _form_context(call, questions, application, form, formset))
    errors = form.error_list() + team_errors(formset)
    if action != "resubmit":
        errors.insert(
            0, ("", _("This application was submitted: changes are kept only when you click “Save changes”."), "")
        )
    if not errors:
        data = form.draft_data()
        data.team = team_data(formset)
        try:
            application_resubmit(
                application=application,
                data=data,
                uploads=form.uploads,
                by=request.user,
                received_at=request.received_at,
            )
        except ApplicationError as error:
            if not error.problems:
                messages.error(request, error.message)
                return redirect("applications:detail", pk=application.pk)
            errors = [("", error.message, "")] + [("", problem, "") for problem in error.problems]
        else:
            messages.success(
                request,
                _("Your changes were saved and replace the submitted answers. A confirmation email is on its way."),
            )
            return redirect("applications:detail", pk=application.pk)
    # Refused: nothing was changed; the page comes back as typed (chosen files must be chosen again).
    context = _form_context(call, questions, application, form, formset, errors)
    return render(request, "applications/apply.html", context, status=400)


def _answers(application, questions) -> list[tuple[Question, object]]:
    """(question, answer) pairs; a file question's answer is its stored file."""
    files = {f.question_id: f for f in application.files.all()}
    return [
        (q, files.get(q.pk) if q.kind == Question.Kind.FILE else application.answers.get(str(q.pk))) for q in questions
    ]


@login_required
def application_preview(request, slug):
    call = get_object_or_404(Call.objects.select_related("cohort__program"), slug=slug)
    application = _own_application(request, call)
    if application is None:
        raise Http404
    questions = list(call.questions.all())
    files = {f.question_id: f for f in application.files.all()}
    context = {
        "call": call,
        "application": application,
        "answers": _answers(application, questions),
        "missing": checks.missing_fields(application, questions, set(files)),
        "invalid": checks.invalid_fields(application, questions),
        "editable": application_is_editable(application),
    }
    return render(request, "applications/preview.html", context)


@login_required
@require_POST
def application_submit_view(request, slug):
    call = get_object_or_404(Call, slug=slug)
    application = get_object_or_404(Application, call=call, applicant=request.user)
    try:
        application_submit(application=application, by=request.user, received_at=request.received_at)
    except ApplicationError as error:
        messages.error(request, error.message)
        for problem in error.problems:
            messages.warning(request, problem)
        return redirect("applications:preview", slug=call.slug)
    messages.success(request, _("Your application was submitted. A confirmation email is on its way."))
    return redirect("applications:detail", pk=application.pk)


@login_required
def application_list(request):
    drafts = selectors.drafts_to_continue(request.user)
    applications = [(a, selectors.timeline(a), drafts.get(a.pk)) for a in selectors.applications_of(request.user)]
    return render(request, "applications/application_list.html", {"applications": applications})


@login_required
def application_detail(request, pk):
    application = get_application_for(request.user, pk)
    versions = list(application.versions.all())
    context = {
        "application": application,
        "call": application.call,
        "timeline": selectors.timeline(application),
        "latest": versions[-1] if versions else None,
        "answers": _answers(application, application.call.questions.all()),
        "editable": application_is_editable(application),
        "can_withdraw": application_can_withdraw(application),
        "is_owner": application.applicant_id == request.user.pk,
    }
    return render(request, "applications/application_detail.html", context)


@login_required
@require_POST
def application_withdraw_view(request, pk):
    application = get_application_for(request.user, pk)
    if application.applicant_id != request.user.pk:
        raise Http404  # managers may read an application; only its applicant withdraws it
    try:
        application_withdraw(application=application, by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your application was withdrawn."))
    return redirect("applications:detail", pk=application.pk)


@login_required
def application_file(request, pk, file_pk):
    stored = get_application_file_for(request.user, pk, file_pk)
    return FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
