"""Which language a page is shown in, and links that carry a language.

English is the unprefixed default (`i18n_patterns(prefix_default_language=False)`), so Django alone shows
every unprefixed page in English whatever the browser or the person chose. `PreferredLanguageMiddleware`
sends such a visit on to the same page under the wanted language's prefix; `absolute_url` writes the links
of emails, each in its recipient's language."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.urls.base import translate_url
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def wanted_language(request) -> str:
    """The language last chosen on this browser (the switcher's cookie, also set at sign-in), else the signed-in
    person's saved language, else the browser's (`Accept-Language`), else English."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in SUPPORTED:
        return cookie
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.preferred_language in SUPPORTED:
        return user.preferred_language
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for accepted, _quality in translation.trans_real.parse_accept_lang_header(header):
        if accepted == "*":
            break
        try:
            return translation.get_supported_language_variant(accepted)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class PreferredLanguageMiddleware:
    """An unprefixed (English) page asked for by someone who wants another language is redirected to the same
    page in that language. Only reads are redirected (a form posted to an English address stays posted), and
    only to a prefixed address, which this middleware never redirects again: no loop."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and translation.get_language_from_path(request.path_info) is None:
            language = wanted_language(request)
            if language != settings.LANGUAGE_CODE:
                target = translate_path(request.get_full_path(), language)
                if target != request.get_full_path():
                    response = HttpResponseRedirect(target)
                    response["Vary"] = "Accept-Language, Cookie"
                    return response
                # No such page in any language (a 404), or one outside the translated pages: answer in the
                # wanted language all the same.
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


def translate_path(path: str, language: str) -> str:
    """The same page in `language`. Django's `translate_url` resolves the path in the active language only, so
    `/ar/calls/` read while English is active stays `/ar/calls/`: resolve it in its own language first."""
    with translation.override(translation.get_language_from_path(path.split("?", 1)[0]) or settings.LANGUAGE_CODE):
        return translate_url(path, language)


def absolute_url(path_or_viewname: str, language: str, *, args=None, kwargs=None) -> str:
    """The full address of a page in `language`, for emails: a view name (reversed) or a path (translated)."""
    with translation.override(language):
        if path_or_viewname.startswith("/"):
            path = translate_path(path_or_viewname, language)
        else:
            path = reverse(path_or_viewname, args=args, kwargs=kwargs)
    return settings.SITE_URL + path


def remember_language(response, language: str) -> None:
    """The language cookie Django's own switcher sets, with the same settings."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
