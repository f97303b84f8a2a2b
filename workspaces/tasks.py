from celery import shared_task

from workspaces import services


@shared_task
def workspaces_reminders_sweep() -> int:
    return services.reminders_sweep()


@shared_task
def workspaces_release_no_shows() -> int:
    return services.bookings_release_no_shows()
