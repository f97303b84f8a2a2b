from celery import shared_task

from incubator import delivery


@shared_task(acks_late=True)
def notification_deliver(notification_id: int) -> bool:
    return delivery.notification_send(notification_id=notification_id)


@shared_task
def notifications_retry_pending() -> int:
    """Each due row goes to a worker of its own, so one hung send cannot hold the others up."""
    due = delivery.notifications_due()
    for notification_id in due:
        notification_deliver.delay(notification_id)
    return len(due)
