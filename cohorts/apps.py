from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Programs and cohorts")

    def ready(self):
        from cohorts import api, checkin_api
        from incubator.api import registry

        api.register(registry)
        checkin_api.register(registry)
        from cohorts.access import filter_managed
        from cohorts.admin_access import people_of_managed_programs
        from cohorts.api import person_programs
        from incubator import program_scope

        # incubator's admin scopes accounts and the email ledger by program through these: it never imports cohorts.
        program_scope.provide(people=people_of_managed_programs, rows=filter_managed, programs=person_programs)
        from cohorts.history_kinds import register as register_history

        register_history()
        # Registers the cohort's email renderers with the notification ledger.
        from cohorts import notifications  # noqa: F401
        from cohorts.personal_data import cohorts_erase, cohorts_export
        from incubator import personal_data

        personal_data.register("cohorts", export=cohorts_export, erase=cohorts_erase)
        from cohorts.program_home import cohorts_section, new_cohort_action
        from cohorts.program_home_panels import register_section, register_setup_action

        register_section(cohorts_section, position=20)
        register_setup_action(new_cohort_action, position=20)

        from cohorts import digest  # noqa: F401 - registers the weekly digest's email with the ledger
        from cohorts.needs_you import failed_emails, register, unanswered_invitations

        register(failed_emails)
        register(unanswered_invitations)
        from cohorts.alumni_views import dashboard_panel
        from cohorts.dashboard_panels import register_panel

        register_panel(dashboard_panel)
