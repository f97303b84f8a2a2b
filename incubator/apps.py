from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IncubatorConfig(AppConfig):
    name = "incubator"
    verbose_name = _("Accounts and notifications")

    def ready(self):
        from incubator.permissions import manager_permissions_sync

        post_migrate.connect(manager_permissions_sync, sender=self)
