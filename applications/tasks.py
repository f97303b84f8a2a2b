from celery import shared_task

from applications import services


@shared_task
def applications_reminders_sweep() -> int:
    return services.reminders_sweep()
