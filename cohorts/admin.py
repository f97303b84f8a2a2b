from django.contrib import admin

from cohorts.models import (
    Answer,
    Cohort,
    Initiative,
    InitiativeUpdate,
    MemberProfile,
    Membership,
    Milestone,
    Post,
    Program,
    Region,
    Venture,
    VentureMember,
)


class RegionInline(admin.TabularInline):
    model = Region
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "language", "time_zone"]
    search_fields = ["name", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["managers"]
    inlines = [RegionInline]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "status", "starts_on", "ends_on", "capacity"]
    list_filter = ["status", "program"]
    search_fields = ["name", "program__name"]
    list_select_related = ["program"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["mentors"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Read-mostly: memberships are created and change status through the services (the cohort pages)."""

    list_display = ["person", "cohort", "status", "region", "started_on", "ended_on"]
    list_filter = ["status", "cohort__program", "cohort"]
    search_fields = ["person__name", "person__email"]
    list_select_related = ["person", "cohort__program", "region"]
    readonly_fields = ["person", "cohort", "role", "status", "started_on", "ended_on", "status_reason", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(MemberProfile)
class MemberProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "field", "headline", "contact_consent", "updated_at"]
    list_filter = ["field", "contact_consent"]
    search_fields = ["user__name", "user__email", "headline"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


class VentureMemberInline(admin.TabularInline):
    model = VentureMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Venture)
class VentureAdmin(admin.ModelAdmin):
    list_display = ["name", "cohort", "field"]
    list_filter = ["cohort", "field"]
    search_fields = ["name"]
    list_select_related = ["cohort__program"]
    inlines = [VentureMemberInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "cohort", "author", "created_at"]
    list_filter = ["kind", "cohort"]
    search_fields = ["title", "body"]
    list_select_related = ["cohort__program", "author"]
    raw_id_fields = ["author"]
    inlines = [AnswerInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class InitiativeUpdateInline(admin.TabularInline):
    model = InitiativeUpdate
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "venture", "status", "due_on"]
    list_filter = ["status", "cohort"]
    search_fields = ["title", "what"]
    list_select_related = ["cohort__program", "venture"]
    filter_horizontal = ["team"]
    inlines = [MilestoneInline, InitiativeUpdateInline]
