"""Who may see what. Every view reaches an application through `get_application_for`, one gate per object."""

from django.db.models import Prefetch
from django.http import Http404

from applications.models import Application, ApplicationFile, ApplicationVersion
from cohorts.access import manages_program


def can_view_application(user, application: Application) -> bool:
    """The applicant, and the managers of the call's program (never those of another program)."""
    if not user.is_authenticated:
        return False
    return application.applicant_id == user.pk or manages_program(user, application.call.cohort.program_id)


def get_application_for(user, pk: int) -> Application:
    """The application if `user` may see it; otherwise 404, so ids of other people's applications reveal nothing."""
    application = (
        Application.objects.select_related("call__cohort__program", "region")
        .prefetch_related(
            "team_members",
            Prefetch("versions", queryset=ApplicationVersion.objects.order_by("number")),
            Prefetch("files", queryset=ApplicationFile.objects.select_related("question")),
        )
        .filter(pk=pk)
        .first()
    )
    if application is None or not can_view_application(user, application):
        raise Http404
    return application


def get_application_file_for(user, application_pk: int, file_pk: int) -> ApplicationFile:
    stored = (
        ApplicationFile.objects.select_related("application__call__cohort")
        .filter(pk=file_pk, application_id=application_pk)
        .first()
    )
    if stored is None or not can_view_application(user, stored.application):
        raise Http404
    return stored
