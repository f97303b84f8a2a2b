"""Scoring in the admin: rubric, stages and quotas on the call; reviews beside the answers on the application;
bulk decisions and reviewer assignment. The calls' admin classes are extended, not copied."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from applications.admin import ApplicationAdmin, CallAdmin
from applications.models import Application, Call
from applications.scoring.decisions import decisions_record
from applications.scoring.forms import score_field_name
from applications.scoring.history import history_lines
from applications.scoring.models import (
    ConflictOfInterest,
    Criterion,
    Decision,
    DecisionEmailTemplate,
    RegionQuota,
    Review,
    ReviewerAssignment,
    ReviewSettings,
)
from applications.scoring.services import (
    ScoringError,
    assignment_create,
    assignments_auto,
    assignments_bulk_create,
    conflict_declare,
    may_write_review,
    not_your_review_message,
    review_save,
)
from applications.scoring.setup import decision_templates_copy_defaults, scoring_setup_change
from applications.templatetags.calls import program_time
from cohorts.admin import ProgramAdmin
from cohorts.admin_access import ProgramScopedMixin, ScopedChoicesMixin, program_reviewers
from cohorts.models import Program, Region
from incubator.models import User
from incubator.zoned import make_aware_in, use_wall_clock_fields


class ReviewSettingsForm(forms.ModelForm):
    """The review deadline in the call's program zone (`incubator.zoned`); `zone` is set per call by the inline."""

    zone = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_wall_clock_fields(self, ["review_deadline"], self.zone, _("Time in the time zone of the cohort's program."))

    def clean_review_deadline(self):
        # A new call's zone is known only once the call is saved: `ScoringCallAdmin.save_formset` does it then.
        value = self.cleaned_data.get("review_deadline")
        return make_aware_in(value, self.zone) if self.zone else value


class ReviewSettingsInline(ScopedChoicesMixin, admin.StackedInline):
    model = ReviewSettings
    form = ReviewSettingsForm
    can_delete = False
    filter_horizontal = ["reviewers"]
    fields = [
        ("stage", "has_interview", "review_deadline"),
        "reviewers",
        ("reviews_per_application", "others_visible", "anonymised"),
        ("normalise", "disagreement_threshold"),
    ]

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = type("CallReviewSettingsForm", (ReviewSettingsForm,), {"zone": obj.zone if obj else None})
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "reviewers":
            # Only the reviewers listed on the call's program (a new call: choose them after saving it).
            call = getattr(request, "_call_being_edited", None)
            kwargs["queryset"] = program_reviewers(call.cohort.program if call else None)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CriterionInline(admin.StackedInline):
    """The call's selection criteria: shown on its public page and scored by its reviewers. Stacked, so weight
    and scale stand on their own line, visible without scrolling sideways."""

    model = Criterion
    extra = 0
    verbose_name_plural = _("selection criteria (the rubric reviewers score, shown on the call's page)")
    fields = [("position", "name"), "description", ("weight", "scale_min", "scale_max", "informational")]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}


class RegionQuotaInline(ScopedChoicesMixin, admin.TabularInline):
    model = RegionQuota
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        call = getattr(request, "_call_being_edited", None)
        if db_field.name == "region":
            kwargs["queryset"] = call.cohort.program.regions.all() if call is not None else Region.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


admin.site.unregister(Program)


@admin.register(Program)
class ScoringProgramAdmin(ProgramAdmin):
    """A new program starts with its own copy of the default decision emails (cohorts never imports scoring)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            decision_templates_copy_defaults(program=obj, by=request.user)


admin.site.unregister(Call)


@admin.register(Call)
class ScoringCallAdmin(CallAdmin):
    inlines = [*CallAdmin.inlines, ReviewSettingsInline, CriterionInline, RegionQuotaInline]
    actions = ["assign_reviewers"]
    list_display = [*CallAdmin.list_display, "scoring_links"]

    def save_formset(self, request, form, formset, change):
        if formset.model is ReviewSettings:
            for settings_form in formset.forms:
                settings_form.instance.review_deadline = make_aware_in(
                    settings_form.instance.review_deadline, form.instance.zone
                )
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        # Stage, review settings, weights and quotas are saved through the audited service (who, when, before,
        # after), which also recomputes the reviews' points when the rubric changed.
        scoring_setup_change(
            call=form.instance,
            change=lambda: super(ScoringCallAdmin, self).save_related(request, form, formsets, change),
            by=request.user,
        )

    @admin.display(description=_("selection"))
    def scoring_links(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("scoring:ranking", args=[obj.slug]),
            _("ranking"),
            reverse("scoring:decisions", args=[obj.slug]),
            _("decisions"),
        )

    @admin.action(description=_("Assign reviewers automatically (k per eligible application, balanced)"))
    def assign_reviewers(self, request, queryset):
        for call in queryset:
            try:
                count = assignments_auto(call=call, by=request.user)
            except ScoringError as error:
                self.message_user(request, f"{call}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, _("%(call)s: %(n)s assignments made.") % {"call": call, "n": count})


REVIEW_FIELDS = ("recommendation", "comment", "submit")


class ReviewInlineForm(forms.ModelForm):
    """An assignment with its review: the criterion fields are added per call by `AssignmentInline`."""

    recommendation = forms.ChoiceField(
        label=_("recommendation"), choices=[("", "—"), *Review.Recommendation.choices], required=False
    )
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    submit = forms.BooleanField(label=_("submitted"), required=False)

    viewer = None  # who reads the page: set per request by `AssignmentInline.get_formset`

    class Meta:
        model = ReviewerAssignment
        fields = ["reviewer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        review = getattr(self.instance, "review", None) if self.instance.pk else None
        if review is not None:
            self.initial.update(comment=review.comment, recommendation=review.recommendation)
            self.initial["submit"] = review.status == Review.Status.SUBMITTED
            self.initial.update({f"score_{s.criterion_id}": s.score for s in review.scores.all()})
        if self.instance.pk:
            self.fields["reviewer"].disabled = True
            if not may_write_review(self.viewer, self.instance):
                # Another reviewer's review: read here, written by them on their review pages (a disabled field
                # ignores what is posted for it, so a forged POST changes nothing either).
                for name in self.review_field_names():
                    self.fields[name].disabled = True
                self.fields["comment"].help_text = _("Only %(reviewer)s changes this review.") % {
                    "reviewer": self.instance.reviewer
                }

    def review_field_names(self):
        """The review's own fields: the criteria's scores, the recommendation, the comment, submitted."""
        return [name for name in self.fields if name.startswith("score_") or name in REVIEW_FIELDS]

    def clean(self):
        data = super().clean()
        reviewer = data.get("reviewer")
        if not self.instance.pk and reviewer is not None:
            values = [data.get(name) for name in self.review_field_names()]
            written = any(value not in (None, "") and value is not False for value in values)  # a score may be 0
            if written and not may_write_review(self.viewer, ReviewerAssignment(reviewer=reviewer)):
                raise forms.ValidationError(not_your_review_message())
        return data


class AssignmentInline(admin.StackedInline):
    """The reviews of this application beside the applicant's answers. A manager assigns reviewers here; each
    review's scores are written by its reviewer only (a superuser may correct them): `may_write_review`."""

    model = ReviewerAssignment
    form = ReviewInlineForm
    fk_name = "application"
    extra = 0
    can_delete = False
    verbose_name = _("review")
    verbose_name_plural = _("reviews")
    template = "admin/scoring/review_inline.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer", "review").prefetch_related("review__scores")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewer":
            # New rows: the program's reviewers. Existing rows (shown, not changeable) keep their reviewer even
            # after they left the program, so that their review can still be read and saved.
            application = getattr(request, "_application_being_edited", None)
            if application is None:
                kwargs["queryset"] = User.objects.none()
            else:
                assigned = User.objects.filter(assignments__application=application).values("pk")
                kwargs["queryset"] = User.objects.filter(
                    Q(reviewed_programs=application.call.cohort.program_id) | Q(pk__in=assigned)
                ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        criteria = list(obj.call.criteria_set.order_by("position", "pk")) if obj else []
        score_fields = {
            score_field_name(c): forms.IntegerField(
                label=f"{c.name} ({c.scale_min}–{c.scale_max})",
                min_value=c.scale_min,
                max_value=c.scale_max,
                required=False,
            )
            for c in criteria
        }
        # A copy: the form metaclass adds its own keys to the attributes it is given.
        kwargs["form"] = type("CallReviewForm", (ReviewInlineForm,), {**score_fields, "viewer": request.user})
        kwargs["fields"] = ["reviewer", *score_fields, "recommendation", "comment", "submit"]
        formset = super().get_formset(request, obj, **kwargs)
        formset.criteria = criteria
        formset.answers_html = self.admin_site._registry[Application].answers_rendered(obj) if obj else ""
        return formset

    def get_fieldsets(self, request, obj=None):
        fields = self.get_formset(request, obj).form.base_fields
        return [(None, {"fields": list(fields)})]


class AssignReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("reviewer"), queryset=User.objects.none())

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        # The reviewers of the selected applications' programs; the service refuses anyone not on a given one.
        self.fields["reviewer"].queryset = User.objects.filter(reviewed_programs__in=programs).distinct()


admin.site.unregister(Application)


@admin.register(Application)
class ScoringApplicationAdmin(ApplicationAdmin):
    inlines = [AssignmentInline]
    actions = [*ApplicationAdmin.actions, "accept", "waitlist", "reject", "assign_reviewer"]
    list_display = [*ApplicationAdmin.list_display, "decision_label"]
    # The answers are shown beside the reviews (in the review inline), not a second time above them.
    fieldsets = [fs for fs in ApplicationAdmin.fieldsets if "answers_rendered" not in fs[1]["fields"]]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decision")

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

    @admin.display(description=_("decision"))
    def decision_label(self, obj):
        decision = getattr(obj, "decision", None)
        if decision is None:
            return "—"
        return f"{decision.get_outcome_display()} ({decision.get_status_display()})"

    def save_formset(self, request, form, formset, change):
        if formset.model is not ReviewerAssignment:
            return super().save_formset(request, form, formset, change)
        application = form.instance
        # The admin's change message reads these; the services below do the saving.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not inline_form.cleaned_data:
                continue
            data = inline_form.cleaned_data
            try:
                assignment = inline_form.instance
                if not assignment.pk:
                    assignment = assignment_create(application=application, reviewer=data["reviewer"], by=request.user)
                    formset.new_objects.append(assignment)
                scores = {
                    c.pk: data[score_field_name(c)]
                    for c in formset.criteria
                    if data.get(score_field_name(c)) is not None
                }
                if scores or data["comment"] or data["recommendation"] or data["submit"]:
                    review_save(
                        assignment=assignment,
                        scores=scores,
                        comment=data["comment"],
                        recommendation=data["recommendation"],
                        submit=data["submit"],
                        by=request.user,
                    )
            except ScoringError as error:
                messages.error(request, error.message)

    def _decide(self, request, queryset, outcome):
        try:
            count = decisions_record(applications=queryset, outcome=outcome, by=request.user)
        except ScoringError as error:
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


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ProgramScopedMixin, admin.ModelAdmin):
    # A conflict declared by email alone belongs to no program: only superusers see those.
    program_path = "application__call__cohort__program"
    list_display = ["reviewer", "application", "email", "declared_at"]
    list_select_related = ["reviewer", "application"]
    search_fields = ["reviewer__email", "email", "application__full_name"]
    autocomplete_fields = ["application"]  # the viewer's programs' applications (`ApplicationAdmin.get_queryset`)

    def get_readonly_fields(self, request, obj=None):
        # What a conflict covers is set once, by the service (which withdraws the assignments it touches).
        return ["reviewer", "application", "email", "declared_at"] if obj is not None else ["declared_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        conflict = conflict_declare(
            reviewer=obj.reviewer, application=obj.application, email=obj.email, reason=obj.reason, by=request.user
        )
        obj.pk, obj.email, obj.declared_at = conflict.pk, conflict.email, conflict.declared_at
        return None


@admin.register(ReviewerAssignment)
class ReviewerAssignmentAdmin(ProgramScopedMixin, admin.ModelAdmin):
    program_path = "call__cohort__program"
    list_display = ["application", "reviewer", "call", "assigned_local"]
    list_filter = [("call", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["application", "reviewer", "call__cohort__program"]
    search_fields = ["reviewer__email", "application__full_name"]
    readonly_fields = ["call", "application", "reviewer", "assigned_by", "assigned_at", "others_seen_at"]

    def has_add_permission(self, request):
        return False  # assignments are made on the application, in bulk or automatically, through the services

    @admin.display(description=_("assigned at"), ordering="assigned_at")
    def assigned_local(self, obj):
        return program_time(obj.assigned_at, obj.call)

    def has_delete_permission(self, request, obj=None):
        return False  # a conflict of interest withdraws an assignment, through its service, with the history kept


@admin.register(Decision)
class DecisionAdmin(ProgramScopedMixin, admin.ModelAdmin):
    program_path = "call__cohort__program"
    list_display = ["application", "outcome", "status", "reason", "decided_by", "decided_local", "published_local"]
    list_filter = [("call", admin.RelatedOnlyFieldListFilter), "outcome", "status"]
    list_select_related = ["application", "decided_by", "call__cohort__program"]
    readonly_fields = [f.name for f in Decision._meta.fields]

    @admin.display(description=_("decided at"), ordering="decided_at")
    def decided_local(self, obj):
        return program_time(obj.decided_at, obj.call)

    @admin.display(description=_("published at"), ordering="published_at")
    def published_local(self, obj):
        return program_time(obj.published_at, obj.call) if obj.published_at else "—"

    def has_add_permission(self, request):
        return False  # decisions are recorded by the application actions and the selection page

    def has_delete_permission(self, request, obj=None):
        return False  # a decision is the record of a selection: withdrawing an application cancels it instead


@admin.register(DecisionEmailTemplate)
class DecisionEmailTemplateAdmin(ProgramScopedMixin, admin.ModelAdmin):
    """Each program words its own result emails; the rows without a program are the portal's defaults, used by a
    program that has no wording of its own yet, and only superusers see or change them."""

    program_path = "program"
    list_display = ["program", "outcome", "language", "subject"]
    list_filter = [("program", admin.RelatedOnlyFieldListFilter), "outcome", "language"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not request.user.is_superuser:
            form.base_fields["program"].required = True  # a manager writes for their own program only
        return form
