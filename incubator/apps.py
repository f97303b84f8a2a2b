from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IncubatorConfig(AppConfig):
    name = "incubator"
    verbose_name = _("Accounts and notifications")

    def ready(self):
        from django.apps import apps

        from incubator.permissions import manager_permissions_sync

        # post_migrate is sent app by app (only apps with models), and each app's permissions are created
        # on its own turn: sync after the last of them, when every app's permissions exist.
        last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
        post_migrate.connect(manager_permissions_sync, sender=last)
