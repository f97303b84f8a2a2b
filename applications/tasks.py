from celery import shared_task

from applications import personal_data, services


@shared_task
def applications_reminders_sweep() -> int:
    return services.reminders_sweep()


@shared_task
def applications_rejected_personal_data_sweep() -> int:
    return personal_data.rejected_personal_data_sweep()
