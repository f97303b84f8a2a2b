from celery import shared_task

from cohorts import checkin_reminders, digest


@shared_task
def cohorts_weekly_digest_sweep() -> int:
    return digest.weekly_digest_sweep()


@shared_task
def cohorts_checkin_reminders_sweep() -> int:
    return checkin_reminders.checkin_reminders_sweep()
