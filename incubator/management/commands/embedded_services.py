from django.conf import settings
from django.core.management.base import BaseCommand

from incubator.embedded import stop_all


class Command(BaseCommand):
    help = "Stop the embedded PostgreSQL and Redis under .data/ (they start on demand)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["stop"])

    def handle(self, *args, action, **options):
        stopped = stop_all(settings.DATA_DIR)
        self.stdout.write(f"stopped: {', '.join(stopped) or 'nothing was running'}")
