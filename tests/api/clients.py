"""API clients for tests: a person's token with the programs and scopes given, sent as a bearer header."""

import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from incubator.api.tokens import api_token_create
from incubator.models import ApiScope

EVERY_SCOPE = [scope.value for scope in ApiScope]


def token_for(person, programs, scopes=None, days=30):
    return api_token_create(
        person=person,
        name="test",
        programs=list(programs),
        scopes=scopes or EVERY_SCOPE,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        by=person,
    )


def api_client(person=None, programs=(), scopes=None, text=None) -> APIClient:
    client = APIClient()
    if text is None and person is not None:
        text = token_for(person, programs, scopes)[1]
    if text is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    return client
