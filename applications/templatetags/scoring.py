from django import template
from django.db.models import Count, Q

from applications.scoring.models import Review, ReviewerAssignment

register = template.Library()


@register.simple_tag(takes_context=True)
def review_summary(context) -> dict:
    """The signed-in reviewer's assignments: how many, how many still to do (one query)."""
    user = context["request"].user
    return ReviewerAssignment.objects.filter(reviewer=user).aggregate(
        assigned=Count("pk"), todo=Count("pk", filter=~Q(review__status=Review.Status.SUBMITTED))
    )
