"""The profile's personal-data pages: download everything, delete the account. Each acts on the signed-in
person only; no page here takes another account's id."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from incubator.forms import AccountEraseForm
from incubator.personal_data import ErasureRefused, account_erase, personal_data_export

DOWNLOADS_PER_HOUR = 5
PASSWORD_TRIES_PER_15_MINUTES = 5


def _within_limit(key: str, limit: int, seconds: int) -> bool:
    """Count one more use of `key` in a fixed window shared by every web server (the cache is Redis)."""
    cache.add(key, 0, seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, seconds)
        used = 1
    return used <= limit


@never_cache
@login_required
@require_POST
def personal_data_download(request):
    if not _within_limit(f"personal-data-export:{request.user.pk}", DOWNLOADS_PER_HOUR, 3600):
        message = _("You have downloaded your data several times in the last hour. Please try again later.")
        return render(request, "incubator/personal_data_limited.html", {"message": message}, status=429)
    archive = personal_data_export(user=request.user)
    response = HttpResponse(archive, content_type="application/zip")
    name = f"my-data-{timezone.now():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@never_cache
@login_required
def account_delete(request):
    user = request.user
    form = AccountEraseForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        if not _within_limit(f"account-erase:{user.pk}", PASSWORD_TRIES_PER_15_MINUTES, 900):
            message = _("Too many attempts. Please wait a few minutes and try again.")
            return render(request, "incubator/personal_data_limited.html", {"message": message}, status=429)
        if form.is_valid():
            try:
                account_erase(user=user, by=user)
            except ErasureRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                logout(request)
                messages.success(request, _("Your account was deleted and your personal data erased."))
                return redirect("home")
        status = 400
    return render(request, "incubator/account_delete.html", {"form": form, "refused": user.is_superuser}, status=status)
