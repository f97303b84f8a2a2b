from celery import shared_task

from incubator import delivery, webhook_delivery


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


@shared_task(acks_late=True)
def webhook_deliver(delivery_id: int) -> bool:
    return webhook_delivery.webhook_delivery_send(delivery_id=delivery_id)


@shared_task
def webhooks_retry_pending() -> int:
    """Each due delivery goes to a worker of its own, so one hanging endpoint cannot hold the others up."""
    due = webhook_delivery.webhook_deliveries_due()
    for delivery_id in due:
        webhook_deliver.delay(delivery_id)
    return len(due)


@shared_task
def webhooks_log_prune() -> int:
    return webhook_delivery.webhooks_log_prune()
