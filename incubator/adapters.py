from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from incubator.language import remember_language, translate_path
from incubator.models import User


class AccountAdapter(DefaultAccountAdapter):
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
