from celery import shared_task

from cohorts import digest


@shared_task
def cohorts_weekly_digest_sweep() -> int:
    return digest.weekly_digest_sweep()
