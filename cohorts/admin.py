from django.contrib import admin

from cohorts.models import Cohort, Membership, Program, Region


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


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "cohort", "status", "region", "started_on"]
    list_filter = ["status", "cohort__program", "cohort"]
    search_fields = ["person__name", "person__email"]
    list_select_related = ["person", "cohort__program", "region"]
    raw_id_fields = ["person"]
