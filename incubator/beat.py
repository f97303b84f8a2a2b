"""What Celery beat runs and when (settings.CELERY_BEAT_SCHEDULE). Sweeps are idempotent: each claims its
work through the exactly-once ledger, so a run missed or run twice sends nothing twice."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "notifications-retry-pending": {
        "task": "incubator.tasks.notifications_retry_pending",
        "schedule": 300.0,
    },
    "webhooks-retry-pending": {
        "task": "incubator.tasks.webhooks_retry_pending",
        "schedule": 60.0,
    },
    "webhooks-log-prune": {
        "task": "incubator.tasks.webhooks_log_prune",
        "schedule": crontab(minute=30, hour=3),
    },
    "applications-reminders-sweep": {
        "task": "applications.tasks.applications_reminders_sweep",
        "schedule": 300.0,
    },
    "workspaces-reminders-sweep": {
        "task": "workspaces.tasks.workspaces_reminders_sweep",
        "schedule": 900.0,
    },
    "workspaces-release-no-shows": {
        "task": "workspaces.tasks.workspaces_release_no_shows",
        "schedule": 300.0,
    },
    "scoring-review-reminders-sweep": {
        "task": "applications.scoring.tasks.scoring_review_reminders_sweep",
        "schedule": 900.0,
    },
    # Every 15 minutes: interview invitations three days unbooked, and interviews a day ahead (interviews/reminders.py).
    "interviews-reminders-sweep": {
        "task": "applications.interviews.tasks.interviews_reminders_sweep",
        "schedule": 900.0,
    },
    "applications-rejected-personal-data-sweep": {
        "task": "applications.tasks.applications_rejected_personal_data_sweep",
        "schedule": 6 * 3600.0,
    },
    # Every 5 minutes: the 1-hour reminder goes out between 55 and 60 minutes before the session.
    "mentoring-reminders-sweep": {
        "task": "mentoring.tasks.mentoring_reminders_sweep",
        "schedule": 300.0,
    },
    # Monday 07:00 UTC: each program manager's "needs you" list (cohorts/digest.py), once a week through the ledger.
    "cohorts-weekly-digest": {
        "task": "cohorts.tasks.cohorts_weekly_digest_sweep",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    # Hourly: the monthly check-in reminders of the 1st and the 5th, at 08:00 in each program's zone
    # (cohorts/checkin_reminders.py), once each through the ledger.
    "cohorts-checkin-reminders": {
        "task": "cohorts.tasks.cohorts_checkin_reminders_sweep",
        "schedule": crontab(minute=5),
    },
    # Hourly: the alumni survey a year after a cohort and its reminder, once each (cohorts/alumni_reminders.py).
    "cohorts-alumni-survey": {"task": "cohorts.tasks.cohorts_alumni_survey_sweep", "schedule": crontab(minute=10)},
}
