import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.urls.base import translate_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from incubator.calendar_feed import calendar_token_for, calendar_token_reset
from incubator.forms import ProfileForm


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
        return redirect(translate_url(request.path, user.preferred_language))
    feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[calendar_token_for(request.user).token]))
    return render(request, "incubator/profile.html", {"form": form, "feed_url": feed_url})


@login_required
@require_POST
def calendar_reset(request):
    calendar_token_reset(by=request.user)
    messages.success(request, _("Your calendar address was replaced; the old one no longer works."))
    return redirect("profile_edit")
