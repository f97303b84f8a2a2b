"""Managers see and change only their own programs' mentoring rows (get_queryset, has_*_permission and the
choices of every foreign key: a manager of no program can add nothing, having no program to choose);
superusers see all."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.access import filter_managed, managed_programs, manages_program
from cohorts.admin_access import ScopedChoicesMixin
from cohorts.models import Region
from incubator.admin_site import BoundedInlineMixin
from mentoring.claims import claims_write
from mentoring.models import ActionItem, Assignment, Attendance, ReportSnapshot, ReportTemplate, Session, SessionKind
from mentoring.needs_you import OVERDUE_ACTIONS, UNLOGGED, sessions_with_overdue_items, unlogged_q


class ManagedProgramFilter(admin.RelatedFieldListFilter):
    """The program filter lists only the programs the viewer manages: names of others are not shown."""

    def field_choices(self, field, request, model_admin):
        return [(program.pk, str(program)) for program in managed_programs(request.user).order_by("name")]


class NeedsFilter(admin.SimpleListFilter):
    """The sessions a manager's "needs you" list sends them to: over but not logged, or with overdue actions."""

    title = _("needs attention")
    parameter_name = "needs"

    def lookups(self, request, model_admin):
        return [(UNLOGGED, _("over, not logged")), (OVERDUE_ACTIONS, _("overdue action items"))]

    def queryset(self, request, queryset):
        if self.value() == UNLOGGED:
            return queryset.filter(unlogged_q(timezone.now()))
        if self.value() == OVERDUE_ACTIONS:
            return sessions_with_overdue_items(queryset, timezone.now())
        return queryset


class _ProgramScoped(ScopedChoicesMixin, admin.ModelAdmin):
    program_path = "program"

    def get_queryset(self, request):
        return filter_managed(super().get_queryset(request), request.user, self.program_path)

    def _program_of(self, obj):
        for part in self.program_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or manages_program(request.user, self._program_of(obj)))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or manages_program(request.user, self._program_of(obj)))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or manages_program(request.user, self._program_of(obj)))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "program":
            kwargs["queryset"] = managed_programs(request.user)
        elif db_field.name == "region":
            kwargs["queryset"] = filter_managed(Region.objects.all(), request.user, "program")
        elif db_field.name in ("kind",):
            kwargs["queryset"] = filter_managed(SessionKind.objects.all(), request.user, "program")
        elif db_field.name == "series":
            kwargs["queryset"] = filter_managed(Session.objects.all(), request.user, "program")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(SessionKind)
class SessionKindAdmin(_ProgramScoped):
    list_display = ["name", "program", "counts_as", "position"]
    list_filter = [("program", ManagedProgramFilter), "counts_as"]
    list_select_related = ["program"]


# People are chosen by autocomplete from the people of the viewer's programs: a raw id field would accept, and
# print the name of, any account whose id is typed.
class AttendanceInline(BoundedInlineMixin, ScopedChoicesMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person"]
    readonly_fields = ["status"]


class ActionItemInline(BoundedInlineMixin, ScopedChoicesMixin, admin.TabularInline):
    model = ActionItem
    extra = 0
    autocomplete_fields = ["owner"]


@admin.register(Session)
class SessionAdmin(_ProgramScoped):
    """Read-mostly: sessions are scheduled, moved, cancelled and logged through the services (mentoring pages),
    which send the invitations; the admin corrects texts and reads."""

    list_display = ["__str__", "program", "kind", "starts_at", "status", "region"]
    list_filter = ["status", NeedsFilter, ("program", ManagedProgramFilter), "kind__counts_as"]
    search_fields = ["title", "summary"]
    date_hierarchy = "starts_at"
    list_select_related = ["program", "kind", "region"]
    autocomplete_fields = ["facilitators"]
    readonly_fields = ["program", "kind", "series", "starts_at", "ends_at", "status", "sequence", "logged_at", "cohort"]
    inlines = [AttendanceInline, ActionItemInline]

    def has_add_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        """Changed facilitators or invited people take their time too: when one of them is busy then, the change
        of people is undone (the texts stay saved) and the page says who is busy."""
        try:
            with transaction.atomic():
                super().save_related(request, form, formsets, change)
                claims_write(form.instance)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))


@admin.register(Assignment)
class AssignmentAdmin(_ProgramScoped):
    list_display = ["mentor", "mentee", "program", "created_at", "ended_at"]
    list_filter = [("program", ManagedProgramFilter)]
    search_fields = ["mentor__name", "mentee__name"]
    list_select_related = ["mentor", "mentee", "program"]
    readonly_fields = ["program", "mentor", "mentee", "venture", "created_at", "ended_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportTemplate)
class ReportTemplateAdmin(_ProgramScoped):
    """Templates are made on the program's report pages, which check their sections; the admin reads them and
    corrects their texts."""

    list_display = ["name", "funder", "program", "language", "created_at"]
    list_filter = [("program", ManagedProgramFilter), "language"]
    search_fields = ["name", "funder"]
    list_select_related = ["program"]
    readonly_fields = ["program", "language", "sections", "created_by", "created_at", "updated_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(_ProgramScoped):
    """A submitted report is what the funder received: read only; a superuser alone may delete one."""

    list_display = ["title", "funder", "program", "start", "end", "submitted_at"]
    list_filter = [("program", ManagedProgramFilter)]
    search_fields = ["title", "funder"]
    list_select_related = ["program"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
