"""The decisions and their emails in the admin, and the scoring history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from applications.scoring.models import Decision, DecisionEmailTemplate
from applications.templatetags.calls import program_time
from cohorts.admin_access import ProgramScopedMixin


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
