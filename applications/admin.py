from contextlib import nullcontext
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.checks import reasons_text
from applications.models import Application, ApplicationVersion, Call, EligibilityRule, Question
from applications.services import ApplicationError, application_eligibility_override
from applications.templatetags.calls import answer_text, program_time
from cohorts.admin_access import ProgramScopedMixin, ScopedChoicesMixin
from cohorts.models import Region
from incubator.exports import Column, Kind, Table, export_response
from incubator.zoned import make_aware_in, use_wall_clock_fields


class QuestionInline(ScopedChoicesMixin, admin.StackedInline):
    model = Question
    extra = 0
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}}
    fields = [
        ("position", "kind", "required"),
        "label",
        ("is_contact", "venture_role"),
        "help_text",
        "choices",
        ("word_limit", "allowed_file_types", "max_file_size_mb"),
    ]


class EligibilityRuleInline(ScopedChoicesMixin, admin.StackedInline):
    model = EligibilityRule
    extra = 0
    fields = ["kind", ("min_age", "max_age", "age_on"), "regions", ("question", "expected_answer")]
    filter_horizontal = ["regions"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only this call's questions (and, below, this program's regions) make sense in a rule.
        call = getattr(request, "_call_being_edited", None)
        if db_field.name == "question":
            kwargs["queryset"] = Question.objects.filter(call=call) if call else Question.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        call = getattr(request, "_call_being_edited", None)
        if db_field.name == "regions":
            kwargs["queryset"] = call.cohort.program.regions.all() if call is not None else Region.objects.none()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CallForm(forms.ModelForm):
    # Typed and shown as wall-clock times where the program is (23:59:59 in Casablanca), whatever zone the
    # manager's own account uses: `incubator.zoned`.
    ZONED = ("opens_at", "closes_at")

    class Meta:
        model = Call
        fields = [
            "cohort",
            "title",
            "slug",
            "description",
            "opens_at",
            "closes_at",
            "seats",
            "editable_after_submit",
            "is_published",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.instance.zone if self.instance.pk else None
        use_wall_clock_fields(self, self.ZONED, zone, _("Time in the time zone of the cohort's program."))

    def clean(self):
        data = super().clean()
        cohort = data.get("cohort")
        if cohort is not None:
            zone = ZoneInfo(cohort.program.time_zone)
            for name in self.ZONED:
                data[name] = make_aware_in(data.get(name), zone)
        return data


class ProgramZoneAdminMixin:
    """The change page of a program's object renders inside its program's zone, so read-only times show
    there too; the zone is named in the page's fieldsets (`zone_note`)."""

    def program_zone(self, obj):
        # Each admin using the mixin says how its object reaches the program (CallAdmin, ApplicationAdmin).
        raise NotImplementedError("an admin using ProgramZoneAdminMixin defines program_zone(obj)")

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and fieldsets and not fieldsets[0][1].get("description"):
            note = _("Times are in %(zone)s, the program's time zone.") % {"zone": self.program_zone(obj).key}
            fieldsets[0] = (fieldsets[0][0], {**fieldsets[0][1], "description": note})
        return fieldsets

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        zone = self.program_zone(obj) if obj is not None else None
        extra_context = {**(extra_context or {}), "program_zone": zone}
        with timezone.override(zone) if zone else nullcontext():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # here, in the program's zone, not later in the manager's
        return response


@admin.register(Call)
class CallAdmin(ProgramScopedMixin, ProgramZoneAdminMixin, admin.ModelAdmin):
    program_path = "cohort__program"
    form = CallForm
    list_display = ["title", "cohort", "opens_local", "closes_local", "seats", "editable_after_submit", "is_published"]
    list_filter = [("cohort__program", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["cohort__program"]
    search_fields = ["title", "cohort__name", "cohort__program__name"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuestionInline, EligibilityRuleInline]
    fieldsets = [
        (None, {"fields": ["cohort", "title", "slug", "description"]}),
        (
            _("Dates and seats"),
            {
                "fields": [("opens_at", "closes_at"), "seats", "editable_after_submit", "is_published"],
                "description": _("Times are in the program's time zone, named beside each field."),
            },
        ),
    ]

    def program_zone(self, obj):
        return obj.zone

    @admin.display(description=_("opens at"), ordering="opens_at")
    def opens_local(self, obj):
        return program_time(obj.opens_at, obj)

    @admin.display(description=_("closes at"), ordering="closes_at")
    def closes_local(self, obj):
        return program_time(obj.closes_at, obj)

    def get_object(self, request, object_id, from_field=None):
        call = super().get_object(request, object_id, from_field)
        request._call_being_edited = call
        return call


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
    actions = ["export_csv"]
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
        (_("Answers"), {"fields": ["answers_rendered"]}),
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
        return super().get_queryset(request).select_related("call__cohort__program", "applicant", "region")

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
            except ApplicationError as error:
                messages.error(request, error.message)

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


# Selection scoring extends the call and application admins above (rubric, reviews, decisions).
from applications.scoring import admin as scoring_admin  # noqa: E402,F401
