from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self):
        from incubator.api import registry
        from mentoring import api

        api.register(registry)
        from cohorts.dashboard_panels import register_panel
        from cohorts.program_home_panels import register_section
        from incubator import personal_data
        from incubator.calendar_feed import register_source
        from mentoring import notifications  # noqa: F401 - registers the email renderers with the ledger
        from mentoring.ics import calendar_source
        from mentoring.personal_data import mentoring_erase, mentoring_export
        from mentoring.views import cohort_dashboard_panel, program_home_section

        register_source(calendar_source)
        personal_data.register("mentoring", export=mentoring_export, erase=mentoring_erase)
        register_panel(cohort_dashboard_panel)
        register_section(program_home_section, position=30)

        from cohorts.needs_you import register as register_needs
        from mentoring.needs_you import action_items_overdue, sessions_unlogged

        register_needs(sessions_unlogged)
        register_needs(action_items_overdue)
