from celery import shared_task

from incubator import notifications


@shared_task(acks_late=True)
def notification_deliver(notification_id: int) -> bool:
    return notifications.notification_send(notification_id=notification_id)


@shared_task
def notifications_retry_pending() -> int:
    return notifications.notifications_retry_pending()
