from celery import shared_task

from mentoring import reminders


@shared_task
def mentoring_reminders_sweep() -> int:
    return reminders.reminders_sweep()
