from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from demo.users import DEMO_PASSWORD, DEMO_USERS

# Each capability adds its seeder here, in dependency order.
SEEDERS = [
    "demo.users.seed_users",
    "demo.cohorts.seed_programs",
    "demo.applications.seed_calls",
    "demo.scoring.seed_scoring",
    "demo.cohorts.seed_community",
    "demo.mentoring.seed_mentoring",
    "demo.office_hours.seed_office_hours",
    # After mentoring, which makes Kawalis' first cohort.
    "demo.checkins.seed_checkins",
    "demo.alumni.seed_alumni",
    "demo.report_templates.seed_report_templates",
    "demo.workspaces.seed_workspaces",
]


class Command(BaseCommand):
    help = "Create or refresh the demo data (idempotent: run it as often as you like)."

    def handle(self, *args, **options):
        for dotted in SEEDERS:
            with transaction.atomic():
                import_string(dotted)(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password {DEMO_PASSWORD}):"))
        for email, _name, role, _language, _tz in DEMO_USERS:
            self.stdout.write(f"  {email:<26} {role or 'Applicant'}")
