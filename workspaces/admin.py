"""The admin of spaces, resources, inductions, plans and (read-only) bookings, each scoped to the programs the
manager runs: get_queryset, has_*_permission and the choices of every program, cohort, space and person field."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cohorts.access import filter_managed, managed_program_ids, managed_programs
from cohorts.admin_access import ScopedChoicesMixin, people_of_managed_programs
from cohorts.models import Cohort
from incubator.admin_site import BoundedInlineMixin
from workspaces import ledger, services
from workspaces.models import Booking, ClosedDate, Induction, LedgerLine, OpeningHours, Resource, Space, SubsidyPlan


def _managed_spaces(user):
    return filter_managed(Space.objects.all(), user, "programs").distinct()


class ScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """Rows are reached through `program_path`; a manager sees and changes only their programs' rows."""

    program_path = ""

    def get_queryset(self, request):
        queryset = filter_managed(super().get_queryset(request), request.user, self.program_path)
        return queryset.distinct() if "programs" in self.program_path else queryset

    def _in_scope(self, request, obj) -> bool:
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "space":
            kwargs["queryset"] = _managed_spaces(request.user)
        elif db_field.name == "cohort":
            kwargs["queryset"] = filter_managed(Cohort.objects.all(), request.user, "program")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OpeningHoursInline(BoundedInlineMixin, admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosedDateInline(BoundedInlineMixin, admin.TabularInline):
    model = ClosedDate
    extra = 0


@admin.register(Space)
class SpaceAdmin(ScopedAdmin):
    program_path = "programs"
    list_display = ["name", "address", "time_zone", "currency"]
    search_fields = ["name", "address"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["programs", "trainers"]
    inlines = [OpeningHoursInline, ClosedDateInline]

    def get_readonly_fields(self, request, obj=None):
        """Past charges keep the currency they were written in; changing it later would relabel them."""
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and LedgerLine.objects.filter(booking__resource__space=obj).exists():
            readonly.append("currency")
        return readonly

    def get_fields(self, request, obj=None):
        """Beside the time zone, where the form has it, also when it is read-only (Django puts those last)."""
        fields = [name for name in super().get_fields(request, obj) if name != "currency"]
        fields.insert(fields.index("time_zone") + 1, "currency")
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "programs":
            kwargs["queryset"] = managed_programs(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        """The programs and trainers fields list only the manager's programs and their people; a space shared with
        other programs keeps those programs and the trainers the manager cannot see."""
        others, hidden_trainers = [], []
        ids = managed_program_ids(request.user)
        if change and ids is not None:
            others = list(form.instance.programs.exclude(pk__in=ids))
            visible = people_of_managed_programs(request.user).values("pk")
            hidden_trainers = list(form.instance.trainers.exclude(pk__in=visible))
        super().save_related(request, form, formsets, change)
        form.instance.programs.add(*others)
        form.instance.trainers.add(*hidden_trainers)


@admin.register(Resource)
class ResourceAdmin(ScopedAdmin):
    program_path = "space__programs"
    list_display = ["name", "space", "kind", "unit", "price", "induction_type", "is_active"]
    list_filter = ["kind", "unit", "is_active"]
    search_fields = ["name", "space__name"]
    list_select_related = ["space"]

    def get_readonly_fields(self, request, obj=None):
        """Past statements count a resource's units as days or hours by its unit: changing it once charged would
        recount them."""
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and LedgerLine.objects.filter(booking__resource=obj).exists():
            readonly.append("unit")
        return readonly


@admin.register(Induction)
class InductionAdmin(ScopedAdmin):
    """Inductions are recorded through the service (audited, checked); they are not edited afterwards."""

    program_path = "space__programs"
    list_display = ["person", "induction_type", "space", "inducted_on", "expires_on", "recorded_by"]
    list_filter = ["induction_type"]
    search_fields = ["person__name", "person__email", "induction_type"]
    list_select_related = ["person", "space", "recorded_by"]
    autocomplete_fields = ["person"]
    fields = ["space", "person", "induction_type", "inducted_on", "expires_on"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        form.instance = services.induction_record(
            space=obj.space,
            person=obj.person,
            induction_type=obj.induction_type,
            inducted_on=obj.inducted_on,
            expires_on=obj.expires_on,
            by=request.user,
        )
        obj.pk = form.instance.pk


@admin.register(SubsidyPlan)
class SubsidyPlanAdmin(ScopedAdmin):
    program_path = "cohort__program"
    list_display = ["cohort", "space", "share_percent", "monthly_cap", "budget", "over_cap"]
    list_select_related = ["cohort__program", "space"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Counted again in the same transaction, after the save: the form's copy of `spent` was read without a
        # lock (a booking may have added to it since), and what was spent counts in the currency of the plan's
        # space, which may have changed.
        ledger.plans_spent_recount(SubsidyPlan.objects.filter(pk=obj.pk))


class LedgerLineInline(BoundedInlineMixin, admin.TabularInline):
    model = LedgerLine
    extra = 0
    can_delete = False
    fields = ["month", "units", "subsidised_units", "list_price", "subsidy", "co_pay", "currency", "note_shown",
              "created_at"]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("note"))
    def note_shown(self, line):
        return line.note_shown

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(ScopedAdmin):
    """Read-only: bookings change through the pages and services. Managers see their programs' participants'."""

    program_path = "plan__cohort__program"
    list_display = ["resource", "person", "period", "status", "checked_in_at"]
    list_filter = ["status"]
    search_fields = ["person__name", "person__email", "resource__name"]
    list_select_related = ["resource__space", "person"]
    readonly_fields = [
        "resource", "person", "period", "status", "plan", "units", "created_at", "cancelled_at", "checked_in_at",
        "released_at",
    ]  # fmt: skip
    inlines = [LedgerLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
