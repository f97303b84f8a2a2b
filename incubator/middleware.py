import json
import zoneinfo
from urllib.parse import urlsplit

from django.db import connection
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone


class RequestReceivedMiddleware:
    """Notes when the request reached the portal, first of all middleware: a deadline is judged by this moment,
    so a submission sent in the deadline's last second is not refused for waiting behind others for a database
    connection or a lock."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.received_at = timezone.now()
        return self.get_response(request)


class UserTimezoneMiddleware:
    """Show times in the signed-in user's own time zone, for this request only: a zone left active on the thread
    would date the next request's (or a test's) queries in a stranger's zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with timezone.override(self._zone(request)):
            return self.get_response(request)

    @staticmethod
    def _zone(request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.time_zone:
            return None
        try:
            return zoneinfo.ZoneInfo(user.time_zone)
        except zoneinfo.ZoneInfoNotFoundError:
            return None


class QueryCountMiddleware:
    """The number of SQL queries a request ran, in an X-Queries header: on only for `make bench` (settings.BENCH)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Queries"] = str(count)
        return response


class HtmxSignedOutMiddleware:
    """A request made by htmx (an autosave) whose session has ended is answered 401 with nothing to swap, and the
    page is told (the `signedOut` event, with the sign-in address): redirected, htmx would follow to the sign-in
    page and paste it into the form, and the answer being saved would be lost."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true" or response.status_code not in (301, 302, 303):
            return response
        location = response.get("Location", "")
        try:
            to_sign_in = resolve(urlsplit(location).path).url_name == "account_login"
        except Resolver404:
            to_sign_in = False
        if not to_sign_in:
            return response
        signed_out = HttpResponse(status=401)
        signed_out["HX-Reswap"] = "none"
        signed_out["HX-Trigger"] = json.dumps({"signedOut": {"login": location}})
        return signed_out
