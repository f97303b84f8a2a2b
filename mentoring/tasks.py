from celery import shared_task

from mentoring import services


@shared_task
def mentoring_reminders_sweep() -> int:
    return services.reminders_sweep()
