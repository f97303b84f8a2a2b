from django import template

from cohorts.access import cohorts_for
from cohorts.models import Program

register = template.Library()


@register.simple_tag(takes_context=True)
def my_cohorts(context) -> dict:
    """The signed-in user's cohorts as a member and as a mentor, for the home page's cards (one query)."""
    cohorts = list(cohorts_for(context["request"].user))
    return {
        "member": [cohort for cohort in cohorts if cohort.viewer_is_member],
        "mentor": [cohort for cohort in cohorts if cohort.viewer_is_mentor],
    }


@register.simple_tag(takes_context=True)
def my_managed_programs(context) -> list:
    """The programs the signed-in user manages (superusers: all), for the manager's home card (one query)."""
    user = context["request"].user
    programs = Program.objects.all() if user.is_superuser else Program.objects.filter(managers=user)
    return list(programs.only("pk", "name", "slug").order_by("name"))
