"""A call in the admin: its dates in the program's zone, its questions and eligibility rules, and for selection its
review settings, rubric and regional quotas."""

from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from applications.admin.zones import ProgramZoneAdminMixin
from applications.models import Call, EligibilityRule, Question
from applications.scoring.assignments import assignments_auto
from applications.scoring.models import Criterion, RegionQuota, ReviewSettings
from applications.scoring.services import ScoringError
from applications.scoring.setup import scoring_setup_change
from applications.templatetags.calls import program_time
from cohorts.admin_access import ProgramScopedMixin, ScopedChoicesMixin, program_reviewers
from cohorts.models import Region
from incubator.admin_site import BoundedInlineMixin
from incubator.zoned import make_aware_in, use_wall_clock_fields


class QuestionInline(BoundedInlineMixin, ScopedChoicesMixin, admin.StackedInline):
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


class EligibilityRuleInline(BoundedInlineMixin, ScopedChoicesMixin, admin.StackedInline):
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


class ReviewSettingsForm(forms.ModelForm):
    """The review deadline in the call's program zone (`incubator.zoned`); `zone` is set per call by the inline."""

    zone = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_wall_clock_fields(self, ["review_deadline"], self.zone, _("Time in the time zone of the cohort's program."))

    def clean_review_deadline(self):
        # A new call's zone is known only once the call is saved: `CallAdmin.save_formset` does it then.
        value = self.cleaned_data.get("review_deadline")
        return make_aware_in(value, self.zone) if self.zone else value


class ReviewSettingsInline(BoundedInlineMixin, ScopedChoicesMixin, admin.StackedInline):
    model = ReviewSettings
    form = ReviewSettingsForm
    can_delete = False
    filter_horizontal = ["reviewers"]
    fields = [
        ("stage", "has_interview", "review_deadline"),
        "reviewers",
        ("reviews_per_application", "others_visible", "anonymised"),
        ("normalise", "disagreement_threshold", "interview_weight"),
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


class CriterionInline(BoundedInlineMixin, admin.StackedInline):
    """The call's selection criteria: shown on its public page and scored by its reviewers, each for the written
    review or the interview (its stage). Stacked, so weight and scale stand on their own line, visible without
    scrolling sideways."""

    model = Criterion
    extra = 0
    verbose_name_plural = _("selection criteria (the rubric reviewers score, shown on the call's page)")
    fields = [("stage", "position", "name"), "description", ("weight", "scale_min", "scale_max", "informational")]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}


class RegionQuotaInline(BoundedInlineMixin, ScopedChoicesMixin, admin.TabularInline):
    model = RegionQuota
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        call = getattr(request, "_call_being_edited", None)
        if db_field.name == "region":
            kwargs["queryset"] = call.cohort.program.regions.all() if call is not None else Region.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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


@admin.register(Call)
class CallAdmin(ProgramScopedMixin, ProgramZoneAdminMixin, admin.ModelAdmin):
    program_path = "cohort__program"
    form = CallForm
    list_display = [
        "title",
        "cohort",
        "opens_local",
        "closes_local",
        "seats",
        "editable_after_submit",
        "is_published",
        "scoring_links",
    ]
    list_filter = [("cohort__program", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["cohort__program"]
    search_fields = ["title", "cohort__name", "cohort__program__name"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuestionInline, EligibilityRuleInline, ReviewSettingsInline, CriterionInline, RegionQuotaInline]
    actions = ["assign_reviewers"]
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

    @admin.display(description=_("selection"))
    def scoring_links(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("scoring:ranking", args=[obj.slug]),
            _("ranking"),
            reverse("scoring:decisions", args=[obj.slug]),
            _("decisions"),
        )

    def get_object(self, request, object_id, from_field=None):
        call = super().get_object(request, object_id, from_field)
        request._call_being_edited = call
        return call

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
            change=lambda: super(CallAdmin, self).save_related(request, form, formsets, change),
            by=request.user,
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
