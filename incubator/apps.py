from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IncubatorConfig(AppConfig):
    name = "incubator"
    verbose_name = _("Accounts and notifications")

    def ready(self):
        from incubator import secret_fields  # noqa: F401  (registers the admin's system check)
        from incubator.audit import staff_sign_in_record
        from incubator.odd_input import autocomplete_keeps_to_readable_values
        from incubator.staff_groups import manager_permissions_sync

        autocomplete_keeps_to_readable_values()
        # After every app's migrations, not only ours: the apps after "incubator" in INSTALLED_APPS get their
        # permissions created in their own post_migrate, which runs later than ours.
        post_migrate.connect(manager_permissions_sync, dispatch_uid="manager_permissions_sync")
        user_logged_in.connect(staff_sign_in_record, dispatch_uid="staff_sign_in_record")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the portal's site (`incubator.admin_site`): INSTALLED_APPS names this one."""

    default = False  # "incubator" itself is IncubatorConfig

    default_site = "incubator.admin_site.PortalAdminSite"
