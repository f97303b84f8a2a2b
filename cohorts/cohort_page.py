"""What every cohort page shares: the page frame (the cohort and its tab), the manager check, form errors."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render

from cohorts import access


def cohort_page(request, template: str, cohort, context: dict, tab: str = "", status: int = 200):
    return render(request, template, {"cohort": cohort, "tab": tab, **context}, status=status)


def require_manager(cohort) -> None:
    if not access.can_manage(cohort):
        raise PermissionDenied


def form_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)
