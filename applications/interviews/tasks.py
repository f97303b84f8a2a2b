from celery import shared_task

from applications.interviews import reminders


@shared_task
def interviews_reminders_sweep() -> int:
    return reminders.interview_reminders_sweep()
