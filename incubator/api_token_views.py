"""A person's API tokens on their profile: made (the secret shown once), listed without it, revoked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from incubator.api.forms import ApiTokenForm
from incubator.api.tokens import api_token_create, api_token_revoke
from incubator.models import ApiToken

SHOWN_ONCE = "api_token_shown_once"


@never_cache
@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST if request.method == "POST" else None, person=request.user)
    if request.method == "POST" and form.is_valid():
        _token, text = api_token_create(
            person=request.user,
            name=form.cleaned_data["name"],
            programs=list(form.cleaned_data["programs"]),
            scopes=form.cleaned_data["scopes"],
            expires_at=form.expires_at(),
            by=request.user,
        )
        # Kept in the session until the next page shows it, so that a reload does not make a second token.
        request.session[SHOWN_ONCE] = text
        return redirect("api_tokens")
    tokens = ApiToken.objects.filter(person=request.user).prefetch_related("programs")
    context = {
        "form": form,
        "tokens": tokens,
        "new_token": request.session.pop(SHOWN_ONCE, None),
        "now": timezone.now(),
    }
    return render(request, "incubator/api_tokens.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def api_token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, person=request.user)
    if api_token_revoke(token=token, by=request.user):
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_tokens")
