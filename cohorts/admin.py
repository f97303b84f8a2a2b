from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cohorts.admin_access import ProgramScopedMixin, ScopedChoicesMixin, people_of_managed_programs
from cohorts.models import (
    Answer,
    Availability,
    AvailabilityException,
    AvailabilityWindow,
    CheckIn,
    CheckInAnswer,
    Cohort,
    Initiative,
    InitiativeUpdate,
    MemberProfile,
    Membership,
    Metric,
    MetricSet,
    Milestone,
    Post,
    Program,
    Region,
    Venture,
    VentureMember,
)
from cohorts.signals import program_added
from incubator.admin_site import BoundedInlineMixin


class RegionInline(BoundedInlineMixin, ScopedChoicesMixin, admin.TabularInline):
    model = Region
    extra = 0


@admin.register(Program)
class ProgramAdmin(ProgramScopedMixin, admin.ModelAdmin):
    """A manager sees and edits their own programs; who manages, reviews and mentors a program changes only on its
    roles page (`program_role_grant`, audited), never in this form."""

    program_path = "pk"
    list_display = ["name", "organisation", "language", "time_zone", "roles_link"]
    search_fields = ["name", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
    exclude = ["managers", "reviewers", "mentors"]
    readonly_fields = ["roles_link"]
    inlines = [RegionInline]

    def has_add_permission(self, request):
        return request.user.is_superuser  # a new program has no manager until a superuser names one

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            program_added.send(sender=Program, program=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("managers, reviewers and mentors"))
    def roles_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("cohorts:program_roles", args=[obj.slug]), _("roles"))


@admin.register(Cohort)
class CohortAdmin(ProgramScopedMixin, admin.ModelAdmin):
    program_path = "program"
    list_display = ["name", "program", "status", "starts_on", "ends_on", "capacity"]
    list_filter = ["status", ("program", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "program__name"]
    list_select_related = ["program"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["mentors"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "mentors":
            # The mentors listed on the cohort's program (a new cohort: choose them after saving it).
            cohort = getattr(request, "_cohort_being_edited", None)
            kwargs["queryset"] = cohort.program.mentors.all() if cohort else get_user_model().objects.none()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        cohort = super().get_object(request, object_id, from_field)
        request._cohort_being_edited = cohort
        return cohort


@admin.register(Membership)
class MembershipAdmin(ProgramScopedMixin, admin.ModelAdmin):
    """Read-mostly: memberships are created and change status through the services (the cohort pages)."""

    program_path = "cohort__program"
    list_display = ["person", "cohort", "status", "region", "started_on", "ended_on"]
    list_filter = [
        "status",
        ("cohort__program", admin.RelatedOnlyFieldListFilter),
        ("cohort", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["person__name", "person__email"]
    list_select_related = ["person", "cohort__program", "region"]
    readonly_fields = ["person", "cohort", "role", "status", "started_on", "ended_on", "status_reason", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(MemberProfile)
class MemberProfileAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """A profile belongs to a person, not a program: a manager sees the profiles of their programs' people."""

    list_display = ["user", "field", "headline", "contact_consent", "updated_at"]
    list_filter = ["field", "contact_consent"]
    search_fields = ["user__name", "user__email", "headline"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]  # the people of the viewer's programs (`UserAdmin.get_queryset`)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user__in=people_of_managed_programs(request.user).values("pk"))

    def has_add_permission(self, request):
        return request.user.is_superuser  # people write their own profile on their cohort's pages

    def _visible(self, request, obj) -> bool:
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._visible(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._visible(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._visible(request, obj)


# People are chosen by autocomplete from the people of the viewer's programs (the user admin's queryset), and the
# form field's queryset is scoped too (ScopedChoicesMixin): a raw id field would print the name behind any id.
class VentureMemberInline(BoundedInlineMixin, ScopedChoicesMixin, admin.TabularInline):
    model = VentureMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Venture)
class VentureAdmin(ProgramScopedMixin, admin.ModelAdmin):
    program_path = "cohort__program"
    # The site's forms read a website typed without a scheme as https (Django 6's default), the admin too.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "cohort", "field"]
    list_filter = [("cohort", admin.RelatedOnlyFieldListFilter), "field"]
    search_fields = ["name"]
    list_select_related = ["cohort__program"]
    inlines = [VentureMemberInline]


class AnswerInline(BoundedInlineMixin, ScopedChoicesMixin, admin.TabularInline):
    model = Answer
    extra = 0
    autocomplete_fields = ["author"]


@admin.register(Post)
class PostAdmin(ProgramScopedMixin, admin.ModelAdmin):
    program_path = "cohort__program"
    list_display = ["title", "kind", "cohort", "author", "created_at"]
    list_filter = ["kind", ("cohort", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "body"]
    list_select_related = ["cohort__program", "author"]
    autocomplete_fields = ["author"]
    inlines = [AnswerInline]


class MilestoneInline(BoundedInlineMixin, ScopedChoicesMixin, admin.TabularInline):
    model = Milestone
    extra = 0


class InitiativeUpdateInline(BoundedInlineMixin, ScopedChoicesMixin, admin.TabularInline):
    model = InitiativeUpdate
    extra = 0
    autocomplete_fields = ["author"]


@admin.register(Initiative)
class InitiativeAdmin(ProgramScopedMixin, admin.ModelAdmin):
    program_path = "cohort__program"
    list_display = ["title", "cohort", "venture", "status", "due_on"]
    list_filter = ["status", ("cohort", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "what"]
    list_select_related = ["cohort__program", "venture"]
    filter_horizontal = ["team"]
    inlines = [MilestoneInline, InitiativeUpdateInline]


class ReadOnlyMixin:
    """Shown, never changed here: check-ins and their metrics change through their services (the metric set page,
    the check-in form), which check and audit what the admin's forms would not."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.display(description=_("name"))
def metric_name(metric: Metric) -> str:
    """A standard metric's name in the reader's language, or the one its manager gave."""
    return metric.label


class MetricInline(ReadOnlyMixin, BoundedInlineMixin, admin.TabularInline):
    model = Metric
    fields = [metric_name, "kind", "position", "retired"]
    readonly_fields = fields


@admin.register(MetricSet)
class MetricSetAdmin(ReadOnlyMixin, ProgramScopedMixin, admin.ModelAdmin):
    program_path = "program"
    list_display = ["program", "currency", "page_link"]
    list_select_related = ["program"]
    fields = ["program", "currency", "page_link"]
    readonly_fields = fields
    inlines = [MetricInline]

    @admin.display(description=_("metrics page"))
    def page_link(self, obj):
        url = reverse("programs:checkin_metrics", args=[obj.program.slug])
        return format_html('<a href="{}">{}</a>', url, _("Monthly check-ins"))


@admin.register(Metric)
class MetricAdmin(ReadOnlyMixin, ProgramScopedMixin, admin.ModelAdmin):
    program_path = "metric_set__program"
    list_display = [metric_name, "metric_set", "kind", "position", "retired"]
    list_filter = ["retired", "kind", ("metric_set__program", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    list_select_related = ["metric_set__program"]
    fields = ["metric_set", "standard", "name", "kind", "position", "retired", "changed_at"]
    readonly_fields = fields


class CheckInAnswerInline(ReadOnlyMixin, BoundedInlineMixin, admin.TabularInline):
    model = CheckInAnswer
    fields = ["metric", "typed", "count", "amount", "currency", "fte", "percentage", "yes_or_no", "text"]
    readonly_fields = fields

    @admin.display(description=_("yes or no"))
    def yes_or_no(self, answer):
        # Django's icon for an unanswered boolean has the English alt text "None".
        return {True: _("yes"), False: _("no")}.get(answer.yes_no, "")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("metric")


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyMixin, ProgramScopedMixin, admin.ModelAdmin):
    program_path = "venture__cohort__program"
    list_display = ["venture", "month", "status", "late", "submitted_at"]
    list_filter = ["status", "late", ("venture__cohort", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["venture__name"]
    list_select_related = ["venture__cohort__program"]
    date_hierarchy = "month"
    fields = ["venture", "month", "status", "late", "skip_reason", "submitted_at", "submitted_by", "changed_at"]
    readonly_fields = fields
    inlines = [CheckInAnswerInline]


class AvailabilityWindowInline(BoundedInlineMixin, ScopedChoicesMixin, admin.TabularInline):
    model = AvailabilityWindow
    extra = 0


class AvailabilityExceptionInline(BoundedInlineMixin, ScopedChoicesMixin, admin.TabularInline):
    model = AvailabilityException
    extra = 0


@admin.register(Availability)
class AvailabilityAdmin(ProgramScopedMixin, admin.ModelAdmin):
    """Mentors' office hours and interview panels' availability, of the viewer's programs; the owner is chosen by
    autocomplete among the people of those programs."""

    program_path = "program"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["owner", "program", "purpose", "time_zone", "slot_minutes", "active"]
    list_filter = ["purpose", "active", ("program", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["owner__name", "owner__email"]
    list_select_related = ["owner", "program"]
    autocomplete_fields = ["owner"]
    inlines = [AvailabilityWindowInline, AvailabilityExceptionInline]
