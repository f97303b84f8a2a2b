"""An application in the admin: the applicant's answers beside the reviews, the eligibility override, the CSV
export, the decisions and reviewer assignment in bulk."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.admin.reviews import AssignmentInline, AssignReviewerForm, InterviewPanelForm, review_inline_save
from applications.admin.zones import ProgramZoneAdminMixin
from applications.checks import reasons_text
from applications.models import Application, ApplicationVersion, Question
from applications.scoring.assignments import assignments_bulk_create
from applications.scoring.decisions import decisions_record
from applications.scoring.history import history_lines
from applications.scoring.interview import interview_panel_assign
from applications.scoring.models import Decision, ReviewerAssignment
from applications.scoring.selectors import settings_for
from applications.services import application_eligibility_override
from applications.templatetags.calls import answer_text, program_time
from cohorts.admin_access import ProgramScopedMixin
from incubator.errors import ServiceError
from incubator.exports import Column, Kind, Table, export_response


class EligibilityFilter(admin.SimpleListFilter):
    """Filters on the final result: a manager's override wins over the rules' result."""

    title = _("eligibility")
    parameter_name = "eligibility"

    def lookups(self, request, model_admin):
        return Application.Eligibility.choices

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(Q(eligibility_override=value) | Q(eligibility_override="", eligibility=value))


class OverrideForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["eligibility_override", "override_reason"]

    def clean(self):
        data = super().clean()
        if data.get("eligibility_override") and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Write the reason for overriding the eligibility."))
        return data


@admin.register(Application)
class ApplicationAdmin(ProgramScopedMixin, ProgramZoneAdminMixin, admin.ModelAdmin):
    program_path = "call__cohort__program"
    form = OverrideForm
    list_display = [
        "full_name",
        "applicant_email",
        "call",
        "status",
        "final_eligibility_label",
        "region",
        "submitted_local",
        "decision_label",
    ]
    list_filter = [
        ("call", admin.RelatedOnlyFieldListFilter),
        "status",
        EligibilityFilter,
        ("region", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["call", "applicant", "region"]
    search_fields = ["full_name", "email", "applicant__email", "applicant__name", "phone"]
    date_hierarchy = None
    inlines = [AssignmentInline]
    actions = ["export_csv", "accept", "waitlist", "reject", "assign_reviewer", "assign_interview_panel"]
    readonly_fields = [
        "call",
        "applicant",
        "status",
        "full_name",
        "date_of_birth",
        "region",
        "phone",
        "email",
        "eligibility",
        "reasons",
        "override_by",
        "override_at",
        "submitted_at",
        "withdrawn_at",
        "personal_data_erased_at",
        "answers_rendered",
    ]
    fieldsets = [
        (None, {"fields": ["call", "applicant", "status", "submitted_at", "withdrawn_at", "personal_data_erased_at"]}),
        (_("Applicant"), {"fields": ["full_name", "date_of_birth", "region", "phone", "email"]}),
        # The answers are shown beside the reviews (in the review inline, `answers_rendered`), not above them.
        (
            _("Eligibility"),
            {
                "fields": [
                    "eligibility",
                    "reasons",
                    "eligibility_override",
                    "override_reason",
                    "override_by",
                    "override_at",
                ],
                "description": _("Overriding the result needs a written reason; it is kept with your name."),
            },
        ),
    ]

    def has_add_permission(self, request):
        return False  # applicants start applications; managers read and judge them

    def program_zone(self, obj):
        return obj.call.zone

    def has_delete_permission(self, request, obj=None):
        return False  # submitted versions are the record of what people sent

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("call__cohort__program", "applicant", "region", "decision")

    def get_object(self, request, object_id, from_field=None):
        application = super().get_object(request, object_id, from_field)
        request._application_being_edited = application
        return application

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The history in the reader's own zone (the rest of the page is in the program's): read it before.
        application = self.get_object(request, object_id) if object_id else None
        if application is not None:
            zone = timezone.get_current_timezone()
            extra_context = {**(extra_context or {}), "scoring_history": history_lines(application, zone)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("submitted at"), ordering="submitted_at")
    def submitted_local(self, obj):
        return program_time(obj.submitted_at, obj.call) if obj.submitted_at else "—"

    @admin.display(description=_("email"), ordering="applicant__email")
    def applicant_email(self, obj):
        return obj.applicant.email

    @admin.display(description=_("eligibility"))
    def final_eligibility_label(self, obj):
        label = obj.get_final_eligibility_display()
        return f"{label} ({_('override')})" if obj.eligibility_override else label

    @admin.display(description=_("reasons"))
    def reasons(self, obj):
        return "\n".join(reasons_text(obj.eligibility_reasons)) or "—"

    @admin.display(description=_("decision"))
    def decision_label(self, obj):
        decision = getattr(obj, "decision", None)
        if decision is None:
            return "—"
        return f"{decision.get_outcome_display()} ({decision.get_status_display()})"

    @admin.display(description=_("answers"))
    def answers_rendered(self, obj):
        questions = obj.call.questions.all()
        files = {f.question_id: f for f in obj.files.all()}
        rows = []
        for question in questions:
            stored = files.get(question.pk)
            url = reverse("applications:file", args=[obj.pk, stored.pk]) if stored else ""
            rows.append((question, obj.answers.get(str(question.pk)), stored, url))
        versions = ApplicationVersion.objects.filter(application=obj).order_by("number")
        context = {"rows": rows, "team": obj.team_members.all(), "versions": versions}
        return render_to_string("applications/admin_answers.html", context)

    def save_model(self, request, obj, form, change):
        # Only the override is editable here, and it goes through the service so it is audited.
        if {"eligibility_override", "override_reason"} & set(form.changed_data):
            try:
                application_eligibility_override(
                    application=obj,
                    eligibility=form.cleaned_data["eligibility_override"],
                    reason=form.cleaned_data["override_reason"],
                    by=request.user,
                )
            except ServiceError as error:
                messages.error(request, error.message)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ReviewerAssignment:
            return super().save_formset(request, form, formset, change)
        # The admin's change message reads these; the services called below do the saving.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not inline_form.cleaned_data:
                continue
            try:
                review_inline_save(inline_form, formset, application=form.instance, by=request.user)
            except ServiceError as error:
                messages.error(request, error.message)
        return None

    @admin.action(description=_("Export the selected applications as CSV"))
    def export_csv(self, request, queryset):
        queryset = queryset.select_related("call", "applicant", "region").prefetch_related("team_members", "files")
        calls = {a.call_id for a in queryset}
        questions = list(Question.objects.filter(call_id__in=calls).order_by("call_id", "position", "pk"))
        rows = [_export_row(app, questions) for app in queryset]
        # Applicants and managers type these cells: the helper writes none of them as a formula.
        return export_response(
            request,
            Table(_export_columns(questions), rows),
            fmt="csv",
            filename=f"applications-{timezone.now():%Y%m%d-%H%M}",
            about=list({app.call_id: app.call for app in queryset}.values()),
            note=f"applications ({len(rows)})",
        )

    def _decide(self, request, queryset, outcome):
        try:
            count = decisions_record(applications=queryset, outcome=outcome, by=request.user)
        except ServiceError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request, _("%(n)s decisions recorded as pending; publish them from the call.") % {"n": count}
            )

    @admin.action(description=_("Accept (pending until published)"))
    def accept(self, request, queryset):
        self._decide(request, queryset, Decision.Outcome.ACCEPT)

    @admin.action(description=_("Waitlist (pending until published)"))
    def waitlist(self, request, queryset):
        self._decide(request, queryset, Decision.Outcome.WAITLIST)

    @admin.action(description=_("Reject (pending until published)"))
    def reject(self, request, queryset):
        self._decide(request, queryset, Decision.Outcome.REJECT)

    @admin.action(description=_("Assign a reviewer to the selected applications"))
    def assign_reviewer(self, request, queryset):
        programs = {application.call.cohort.program_id for application in queryset.select_related("call__cohort")}
        form = AssignReviewerForm(request.POST if "apply" in request.POST else None, programs=programs)
        if form.is_bound and form.is_valid():
            count, refusals = assignments_bulk_create(
                applications=queryset, reviewer=form.cleaned_data["reviewer"], by=request.user
            )
            self.message_user(request, _("%(n)s assignments made.") % {"n": count})
            for refusal in refusals:
                self.message_user(request, refusal, messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Assign a reviewer"),
            "form": form,
            "queryset": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/scoring/assign_reviewer.html", context)

    @admin.action(description=_("Assign the interview panel to the selected applications"))
    def assign_interview_panel(self, request, queryset):
        calls = {application.call for application in queryset.select_related("call__cohort", "call__review_settings")}
        call = calls.pop() if len(calls) == 1 else None
        if call is None or not settings_for(call).has_interview:
            self.message_user(request, _("Choose applications to one call with an interview stage."), messages.ERROR)
            return None
        form = InterviewPanelForm(request.POST if "apply" in request.POST else None, call=call)
        if form.is_bound and form.is_valid():
            try:
                count, refusals = interview_panel_assign(
                    call=call, panel=form.cleaned_data["panel"], applications=queryset, by=request.user
                )
            except ServiceError as error:
                self.message_user(request, error.message, messages.ERROR)
                return None
            self.message_user(request, _("%(n)s assignments made.") % {"n": count})
            for refusal in refusals:
                self.message_user(request, refusal, messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Assign the interview panel"),
            "form": form,
            "queryset": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/scoring/interview_panel.html", context)


@admin.register(ApplicationVersion)
class ApplicationVersionAdmin(ProgramScopedMixin, admin.ModelAdmin):
    program_path = "application__call__cohort__program"
    list_display = ["application", "number", "submitted_at"]
    list_select_related = ["application__call"]
    search_fields = ["application__full_name", "application__applicant__email"]
    readonly_fields = ["application", "number", "submitted_at", "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what people sent


def _export_columns(questions) -> list[Column]:
    fixed = [Column("id", Kind.NUMBER), Column(_("call")), Column(_("status")), Column(_("eligibility")),
             Column(_("full name")), Column(_("date of birth"), Kind.DATE), Column(_("region")), Column(_("phone")),
             Column(_("email")), Column(_("team")), Column(_("submitted at"), Kind.DATE)]  # fmt: skip
    return fixed + [Column(q.label) for q in questions]


def _export_row(app, questions) -> list:
    files = {f.question_id: f.original_name for f in app.files.all()}
    answers = [
        files.get(q.pk, "")
        if q.kind == Question.Kind.FILE
        else (answer_text(app.answers.get(str(q.pk)), q.kind) if q.call_id == app.call_id else "")
        for q in questions
    ]
    team = "; ".join(f"{m.name} ({m.role})" if m.role else m.name for m in app.team_members.all())
    return [app.pk, app.call.title, app.get_status_display(), app.get_final_eligibility_display(), app.full_name,
            app.date_of_birth, app.region.name if app.region else "", app.phone, app.email, team,
            app.submitted_at] + answers  # fmt: skip
