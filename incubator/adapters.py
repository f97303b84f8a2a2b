from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.urls.base import translate_url


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """After sign-in, continue in the language the person chose for themselves."""
        url = super().get_login_redirect_url(request)
        if url == reverse("home"):
            return translate_url(url, request.user.preferred_language)
        return url
