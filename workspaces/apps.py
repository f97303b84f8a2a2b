from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspacesConfig(AppConfig):
    name = "workspaces"
    verbose_name = _("Workspaces")

    def ready(self):
        from incubator.api import registry
        from workspaces import api

        api.register(registry)
        from workspaces.history_kinds import register as register_history

        register_history()
        from incubator import personal_data
        from incubator.calendar_feed import register_source
        from workspaces import notifications  # noqa: F401 - registers the booking reminder with the ledger
        from workspaces.calendar import booking_events
        from workspaces.personal_data import workspaces_erase, workspaces_export

        register_source(booking_events)
        from cohorts.program_home_panels import register_section, register_setup_action
        from workspaces.program_home import new_space_actions, spaces_section

        register_section(spaces_section, position=40)
        register_setup_action(new_space_actions, position=40)
        personal_data.register("workspaces", export=workspaces_export, erase=workspaces_erase)

        from cohorts.needs_you import register as register_needs
        from workspaces.needs_you import budgets_nearly_spent, inductions_expiring

        register_needs(inductions_expiring)
        register_needs(budgets_nearly_spent)
