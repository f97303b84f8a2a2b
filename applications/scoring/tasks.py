from celery import shared_task

from applications.scoring import services


@shared_task
def scoring_review_reminders_sweep() -> int:
    return services.review_reminders_sweep()
