from celery import shared_task

from cohorts import alumni_reminders, checkin_reminders, digest


@shared_task
def cohorts_weekly_digest_sweep() -> int:
    return digest.weekly_digest_sweep()


@shared_task
def cohorts_checkin_reminders_sweep() -> int:
    return checkin_reminders.checkin_reminders_sweep()


@shared_task
def cohorts_alumni_survey_sweep() -> int:
    return alumni_reminders.alumni_survey_sweep()
