from celery import shared_task

from workspaces import notifications, services


@shared_task
def workspaces_reminders_sweep() -> int:
    return notifications.reminders_sweep()


@shared_task
def workspaces_release_no_shows() -> int:
    return services.bookings_release_no_shows()
