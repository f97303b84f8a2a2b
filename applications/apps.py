from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Calls and applications")

    def ready(self):
        from applications import api
        from incubator.api import registry

        api.register(registry)
        from applications.scoring.history_kinds import register as register_history

        register_history()
        from applications.scoring.setup import decision_templates_for_new_program
        from cohorts.signals import program_added

        program_added.connect(decision_templates_for_new_program, dispatch_uid="decision_templates_for_new_program")
        # Registers the email renderers with the notification ledger, in web and worker processes alike.
        from applications import emails  # noqa: F401
        from applications.personal_data import applications_erase, applications_export
        from incubator import personal_data

        personal_data.register("applications", export=applications_export, erase=applications_erase)
        from applications.program_home import calls_section, new_call_action
        from cohorts.program_home_panels import register_section, register_setup_action

        register_section(calls_section, position=10)
        register_setup_action(new_call_action, position=10)

        from applications.scoring import needs_you
        from cohorts.needs_you import register as register_needs

        for provider in (needs_you.reviews_late, needs_you.reviewer_load, needs_you.closing_with_drafts):
            register_needs(provider)
