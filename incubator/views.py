import redis
from allauth.account.views import LoginView as AllauthLoginView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from incubator.adapters import TOO_MANY_SIGN_INS
from incubator.calendar_feed import calendar_addresses, calendar_token_reset
from incubator.forms import ProfileForm
from incubator.language import SUPPORTED, remember_language, translate_path


class LoginView(AllauthLoginView):
    """allauth's sign-in page, answering 429 (with `Retry-After`) when the failed sign-in limits refuse the attempt:
    the form again, still holding the email typed, with the message saying when to try again."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, TOO_MANY_SIGN_INS):
            response.status_code = 429
            response["Retry-After"] = str(getattr(self.request, "sign_in_retry_after", 60))
        return response


def home(request):
    return render(request, "incubator/home.html")


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "up"
    except DatabaseError:
        return "down"


def _redis_state() -> str:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        return "up" if client.ping() else "down"
    except (redis.RedisError, OSError):
        return "down"


@never_cache
def healthz(request):
    checks = {"database": _database_state(), "redis": _redis_state()}
    healthy = all(state == "up" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Your profile was saved."))
        response = redirect(translate_path(request.path, user.preferred_language))
        remember_language(response, user.preferred_language)
        return response
    return render(request, "incubator/profile.html", {"form": form, **calendar_addresses(request)})


@require_POST
def set_language(request):
    """The language menu: the same page in the chosen language, remembered in a cookie and, for a signed-in
    person, in their account (which also sets the language of their emails)."""
    language = request.POST.get("language", "")
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    if language not in SUPPORTED:
        return HttpResponseRedirect(target)
    response = HttpResponseRedirect(translate_path(target, language))
    remember_language(response, language)
    if request.user.is_authenticated and request.user.preferred_language != language:
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response


def bench_ceiling(request):
    """A constant through the whole middleware stack: the throughput ceiling `make bench` compares pages with.
    Routed only when settings.BENCH is on."""
    request.user.is_authenticated  # noqa: B018 - load session and user, as every portal page does
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_POST
def calendar_reset(request):
    calendar_token_reset(by=request.user)
    messages.success(request, _("Your calendar address was replaced; the old one no longer works."))
    return redirect("profile_edit")


def csrf_failure(request, reason=""):
    """The form was sent with an expired token (the page was open while its person signed in or out, or the cookie
    went): said in the page's language; to htmx (an autosave), nothing to swap and the `pageExpired` event, so that
    the page fetches a fresh token and sends the save again."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=403)
        response["HX-Reswap"] = "none"
        response["HX-Trigger"] = "pageExpired"
        return response
    return render(request, "403_csrf.html", status=403)
