"""The unsubscribe link of the weekly digest: signed for one account, it works without signing in. Opening it only
asks (mail scanners open links); the button turns the digest off."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cohorts.digest import user_for_unsubscribe_token, weekly_digest_stop


# Mail clients' one-click unsubscribe (RFC 8058) posts here without a cookie; the signed link is the credential,
# and all it can do is turn one account's digest off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request, token):
    user = user_for_unsubscribe_token(token)
    if user is None:
        raise Http404
    stopped = False
    if request.method == "POST":
        by = request.user if request.user.is_authenticated and request.user.pk == user.pk else None
        weekly_digest_stop(user=user, by=by)
        stopped = True
    return render(request, "cohorts/digest_unsubscribe.html", {"stopped": stopped or not user.weekly_digest})
