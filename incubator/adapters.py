import math
import time
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from incubator.language import remember_language, translate_path
from incubator.models import User

# The error code of a sign-in refused by the failed sign-in limits; the login view answers 429 for it.
TOO_MANY_SIGN_INS = "too_many_sign_ins"
_APP = "allauth.account"
_ACTION = "login_failed"


def sign_in_wait(request, key: str) -> tuple[str, float]:
    """Which failed sign-in limit (`ACCOUNT_RATE_LIMITS["login_failed"]`) holds the next attempt with the email
    `key`, "key" (the account) or "ip" (the address), and for how many seconds more.

    allauth keeps, per rate, the times (`time.time()`) of the attempts it counted, newest first, in the cache under
    `get_cache_key(...)` for the rate's duration, and refuses while `amount` of them are within the duration: so
    the rate lets an attempt through once its amount-th newest time is older than the duration. When several
    rates are full, the one that frees last is the one that matters. With none full (the counter's lock was busy,
    which allauth also answers with a refusal), the account's window length."""
    now = time.time()
    rates = ratelimit.get_rates(app=_APP, action=_ACTION)
    held = ("key", max((rate.duration for rate in rates if rate.per == "key"), default=300))
    longest = 0.0
    for rate in rates:
        cache_key = ratelimit.get_cache_key(request, app=_APP, action=_ACTION, rate=rate, key=key)
        recent = sorted((at for at in cache.get(cache_key, []) if at > now - rate.duration), reverse=True)
        if len(recent) >= rate.amount:
            wait = recent[rate.amount - 1] + rate.duration - now
            if wait > longest:
                held, longest = (rate.per, wait), wait
    return held


def too_many_sign_ins(per: str, seconds: float) -> ValidationError:
    """The refusal, saying when to try again, in whole minutes rounded up (the person's language; no clock time, as
    the zone of someone not signed in is unknown)."""
    minutes = max(1, math.ceil(seconds / 60))
    if per == "ip":
        message = ngettext(
            "Too many failed sign-ins from this network. Try again in %(minutes)s minute.",
            "Too many failed sign-ins from this network. Try again in %(minutes)s minutes.",
            minutes,
        )
    else:
        message = ngettext(
            "Too many failed sign-ins for this email address. Try again in %(minutes)s minute.",
            "Too many failed sign-ins for this email address. Try again in %(minutes)s minutes.",
            minutes,
        )
    return ValidationError(message % {"minutes": minutes}, code=TOO_MANY_SIGN_INS)


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        """Count this sign-in attempt against the email typed and the address (allauth takes the count back when
        the password is right), or refuse it, saying when to try again. A refused attempt counts for neither: it is
        first checked against every limit without counting (allauth would count the account's rate and then stop
        at a full address rate, so a person trying the right password while the network is held would lock their
        own account too)."""
        key = self._get_login_attempts_cache_key(request, **credentials)
        allowed = ratelimit.consume(request, app=_APP, action=_ACTION, key=key, dry_run=True)
        self._login_failed_rl_usage = allowed and ratelimit.consume(request, app=_APP, action=_ACTION, key=key)
        if not self._login_failed_rl_usage:
            per, seconds = sign_in_wait(request, key)
            request.sign_in_retry_after = math.ceil(seconds)
            raise too_many_sign_ins(per, seconds)

    def _delete_login_attempts_cached_email(self, request, **credentials):
        """After a password reset, forget the failed sign-ins of that account only. allauth clears every rate of
        the action, the address's too: one reset of one's own account would then wipe the count of a guesser
        trying many accounts from the same address."""
        key = self._get_login_attempts_cache_key(request, **credentials)
        for rate in ratelimit.get_rates(app=_APP, action=_ACTION):
            if rate.per == "key":
                cache.delete(ratelimit.get_cache_key(request, app=_APP, action=_ACTION, rate=rate, key=key))

    def send_mail(self, template_prefix, email, context):
        """Account emails (confirmation, password reset, unknown or existing address) in the recipient's language,
        their links too, with an HTML part (`account/email/*_message.html`, extending `emails/base.html`)."""
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        language = getattr(user, "preferred_language", None) or translation.get_language()
        for key in ("activate_url", "password_reset_url", "signup_url"):
            if context.get(key):
                parts = urlsplit(context[key])
                context[key] = urlunsplit(parts._replace(path=translate_path(parts.path, language)))
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def post_login(self, request, user, **kwargs):
        """After sign-in, continue on the page asked for, in the language saved in the account, and say so
        when that is not the language of the page signed in from. allauth's own "signed in" message is
        written in the language of the page that shows it."""
        page_language = translation.get_language()
        language = user.preferred_language
        with translation.override(language):
            response = super().post_login(request, user, **kwargs)
            location = response.get("Location") if response.status_code in (301, 302) else None
            if location and url_has_allowed_host_and_scheme(location, allowed_hosts={request.get_host()}):
                response["Location"] = translate_path(location, language)
            remember_language(response, language)
            if page_language != language:
                name = translation.get_language_info(language)["name_local"]
                messages.info(
                    request,
                    _(
                        "The portal is now in %(language)s, the language saved in your account. "
                        "Choose another one from the language menu; it is saved for next time."
                    )
                    % {"language": name},
                )
        return response
