"""Who is asking: a bearer token (401 when it is missing, unknown, expired or revoked), and what the token allows:
the scope of the view's area (403 when the token lacks it), narrowed to the token's programs by each endpoint."""

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.throttling import SimpleRateThrottle

from incubator.api.tokens import api_token_for, api_token_used


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as “Authorization: Bearer <token>”."))
        token = api_token_for(header[1].decode("latin-1"))
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is unknown, expired or revoked."))
        api_token_used(token=token, address=client_address(request))
        return token.person, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def client_address(request) -> str | None:
    """The client's address as the sign-in limits read it (TRUSTED_PROXY_COUNT or TRUSTED_CLIENT_IP_HEADER, README
    "Production"): behind a proxy, not the proxy's; never an X-Forwarded-For entry the client wrote itself."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # the trusted header is missing: the connection's own address
        return request.META.get("REMOTE_ADDR")


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A token made on your profile: inc_…"}


class HasAreaScope(permissions.BasePermission):
    """Reading needs the view's `<area>:read` scope, anything else `<area>:write`."""

    def has_permission(self, request, view):
        token = request.auth
        if token is None:
            raise exceptions.NotAuthenticated()
        verb = "read" if request.method in permissions.SAFE_METHODS else "write"
        scope = f"{view.api_area}:{verb}"
        if scope not in token.scopes:
            self.message = _("This token lacks the scope %(scope)s.") % {"scope": scope}
            return False
        return True


def token_program_ids(request) -> frozenset[int]:
    return frozenset(request.auth.program_ids)


class TokenRateThrottle(SimpleRateThrottle):
    """A budget per token (`API_RATE_LIMIT`); past it, 429 with Retry-After."""

    scope = "token"

    def get_cache_key(self, request, view):
        if request.auth is None:  # the public schema: per client address (DRF's own would trust X-Forwarded-For)
            return self.cache_format % {"scope": self.scope, "ident": client_address(request)}
        return self.cache_format % {"scope": self.scope, "ident": f"token-{request.auth.pk}"}
