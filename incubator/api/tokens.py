"""API tokens: made, found and revoked. A token reads `inc_<prefix>_<secret>`; the prefix finds the row, and only a
SHA-256 of the secret is stored (the secret has 256 random bits, so a slow hash would add nothing)."""

import datetime
import hashlib
import hmac
import re
import secrets

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from incubator.audit import audit_record
from incubator.models import ApiToken

PREFIX = "inc_"
# A token's last use is written at most this often, so that a busy integration does not write on every request.
LAST_USED_EVERY = datetime.timedelta(minutes=1)
# What `api_token_create` writes: anything else (a NUL, which PostgreSQL cannot compare, included) names no token.
TOKEN_SHAPE = re.compile(r"inc_([0-9a-f]{1,16})_([A-Za-z0-9_-]{1,128})")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, person, name: str, programs, scopes: list[str], expires_at, by) -> tuple[ApiToken, str]:
    """The new token and its full text, which is shown once and never again."""
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            person=person,
            name=name,
            scopes=sorted(set(scopes)),
            prefix=prefix,
            secret_hash=_hash(secret),
            expires_at=expires_at,
        )
        token.programs.set(programs)
        audit_record(
            actor=by,
            action="api_token.create",
            obj=token,
            after={"name": name, "scopes": token.scopes, "programs": sorted(p.pk for p in programs)},
        )
    return token, f"{PREFIX}{prefix}_{secret}"


def api_token_revoke(*, token: ApiToken, by) -> bool:
    """False if it was revoked already."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().filter(pk=token.pk, revoked_at__isnull=True).first()
        if locked is None:
            return False
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(actor=by, action="api_token.revoke", obj=locked, after={"revoked_at": locked.revoked_at})
    return True


def api_token_for(text: str) -> ApiToken | None:
    """The live token `text` names, with its person and its programs' ids (one query), or None."""
    shape = TOKEN_SHAPE.fullmatch(text)
    if shape is None:
        return None
    prefix, secret = shape.groups()
    token = (
        ApiToken.objects.select_related("person")
        .annotate(program_ids=ArrayAgg("programs__id", filter=Q(programs__isnull=False), default=[]))
        .filter(prefix=prefix, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    if not token.person.is_active:
        return None
    return token


def api_token_used(*, token: ApiToken, address: str | None) -> None:
    now = timezone.now()
    if token.last_used_from == address and token.last_used_at and now - token.last_used_at < LAST_USED_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address)
