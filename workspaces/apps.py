from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspacesConfig(AppConfig):
    name = "workspaces"
    verbose_name = _("Workspaces")

    def ready(self):
        # Registers the booking reminder with the notification ledger.
        from workspaces import notifications  # noqa: F401
