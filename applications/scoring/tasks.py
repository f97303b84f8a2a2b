from celery import shared_task

from applications.scoring import reviews


@shared_task
def scoring_review_reminders_sweep() -> int:
    return reviews.review_reminders_sweep()
