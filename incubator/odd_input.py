"""Odd input answered with a 4xx, never a 500 (issue 18), as the central defence beside the forms' own bounds
(incubator/bounds.py).

- A NUL character anywhere in the address, the query or a submitted form: PostgreSQL can neither store nor compare
  text holding one, so the request is refused with the styled, translated 400 page before any view runs. A cookie
  holding one is dropped (a session cookie with a NUL would otherwise reach the sessions table).
- An id in the address beyond PostgreSQL's bigint (`<int:pk>` with 20 digits): 404, as for any id that names
  nothing.
- The admin's autocomplete widgets, given a value that is no id of theirs (a form shown again after a mistyped
  POST, or the add page's `?person=x` initial values), show no choice instead of failing on the lookup: Django's
  AutocompleteMixin.optgroups filters the related table by the raw values (autocomplete_keeps_to_readable_values,
  applied once from IncubatorConfig.ready).
- The last net: a value the database refuses as out of range or malformed (DataError), or date arithmetic leaving
  Python's calendar (OverflowError), raised by a view, is a 400 with the same page, logged with its traceback so
  the view can be given the bound it lacks.
"""

import logging

from django.contrib.admin.widgets import AutocompleteMixin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from incubator.api.errors import API_PREFIX, problem_response
from incubator.bounds import MAX_BIGINT

logger = logging.getLogger(__name__)

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

NUL_MESSAGE = _(
    "This request contains a control character (NUL) that cannot be stored. Remove it from the address or the "
    "text you typed, and try again."
)
UNREADABLE_BODY_MESSAGE = _(
    "The form sent with this request could not be read (it is malformed or cut short). Reload the page and try again."
)
OUT_OF_RANGE_MESSAGE = _(
    "A value in this request is outside the range the portal accepts (a date too far in the past or the future, "
    "or a number too large). Correct it and try again."
)


def _has_nul(query) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())


def carries_nul(request) -> bool:
    if NUL in request.path_info or _has_nul(request.GET):
        return True
    if request.method == "POST" and request.content_type in FORM_TYPES:
        return _has_nul(request.POST)
    return False


def refuse(request, message, status: int = 400):
    """The styled 400 page, in the visitor's language, even when no later middleware has run yet; a problem
    document under /api/."""
    if request.path_info.startswith(API_PREFIX):
        return problem_response(status, str(message))
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(
        request, check_path=True
    )
    with translation.override(language):
        request.LANGUAGE_CODE = translation.get_language()
        return render(request, "400.html", {"message": message}, status=status)


class OddInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [name for name, value in request.COOKIES.items() if NUL in name or NUL in value]:
            del request.COOKIES[name]
        try:
            nul = carries_nul(request)
        except MultiPartParserError:
            # Django would answer 400 too, but through a page that needs the session this middleware runs before.
            logger.warning("Refused an unreadable request body at %s", request.path_info[:200])
            return refuse(request, UNREADABLE_BODY_MESSAGE)
        if nul:
            logger.warning("Refused a request carrying NUL: %s", request.path_info.replace(NUL, "\\x00")[:200])
            return refuse(request, NUL_MESSAGE)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not -MAX_BIGINT <= value <= MAX_BIGINT:
                raise Http404

    def process_exception(self, request, exception):
        if isinstance(exception, (DataError, OverflowError)):
            logger.warning("Refused out-of-range input at %s", request.path_info, exc_info=exception)
            return refuse(request, OUT_OF_RANGE_MESSAGE)
        return None


def _readable(field, value) -> bool:
    try:
        field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    return True


def autocomplete_keeps_to_readable_values():
    """The admin's autocomplete widgets look up only the values their related field can read."""
    if getattr(AutocompleteMixin.optgroups, "keeps_to_readable_values", False):
        return
    optgroups = AutocompleteMixin.optgroups

    def readable_optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.attname)
        return optgroups(self, name, [v for v in value if _readable(target, v)], attr)

    readable_optgroups.keeps_to_readable_values = True
    AutocompleteMixin.optgroups = readable_optgroups
