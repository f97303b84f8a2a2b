"""Every error the API answers is a problem document (RFC 9457): `type`, `title`, `status`, `detail`, and for
invalid input `errors`, the messages per field."""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions
from rest_framework.views import exception_handler

PROBLEM_TYPE = "application/problem+json"


def _django_to_drf(exc):
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, DataError):  # a value PostgreSQL cannot hold: past bigint, a NUL, a year past 9999
        return exceptions.ValidationError({"detail": [str(exc).splitlines()[0]]})
    return exc


def problem_exception_handler(exc, context):
    response = exception_handler(_django_to_drf(exc), context)
    if response is None:
        return None
    data = response.data
    problem = {"type": "about:blank", "title": response.status_text, "status": response.status_code}
    if isinstance(exc, (exceptions.ValidationError, DjangoValidationError, DataError)):
        problem["detail"] = str(_("The request has invalid values; see errors."))
        problem["errors"] = data if isinstance(data, dict) else {"non_field_errors": data}
    elif isinstance(data, dict) and "detail" in data:
        problem["detail"] = str(data["detail"])
    elif isinstance(exc, (Http404, PermissionDenied)):
        problem["detail"] = response.status_text
    response.data = problem
    response.content_type = PROBLEM_TYPE
    return response


API_PREFIX = "/api/"


def problem_response(status: int, detail: str) -> JsonResponse:
    problem = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    return JsonResponse(problem, status=status, content_type=PROBLEM_TYPE)


def page_not_found(request, exception):
    """The project's 404: a problem document under /api/, the portal's page elsewhere."""
    if request.path_info.startswith(API_PREFIX):
        return problem_response(404, str(_("No such address or object.")))
    return defaults.page_not_found(request, exception)
