"""A person's data: download all of it, or erase it and keep only what counts and reports need.

The account itself (name, email, addresses, roles, notifications, what the person did) is always the first
section and is anonymised last, after every app has read what it needs (an email to match, say). Each app
declares its own part in its `AppConfig.ready()`:

    register("applications", export=export_fn, erase=erase_fn)

`export(user)` returns a `PersonalDataSection` in a fixed number of queries; `erase(user)` removes or blanks
the app's personal data of that person and runs inside the erasure's transaction, with the user row locked.
Apps built later (mentoring, workspaces) register the same way; nothing here names them.

The account is erased by anonymising its `User` row, never by deleting it: applications, memberships and
reviews keep pointing at it, so rankings, cohort counts and reports stay whole. After erasure that row
holds no personal data (a non-deliverable address, no name, no password, inactive), so the audit trail's
actions it ran stay, their notes blanked: they still show that one (now unnamed) account did those things.
"""

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incubator.audit import audit_record
from incubator.errors import ServiceError
from incubator.history import actions_scrub, history_erase, recorded_actions
from incubator.models import ApiToken, Notification, User

# What replaces a written reason that a database constraint requires to be non-empty (a paused membership's
# reason, an eligibility override's): stored data, never shown as a sentence.
ERASED = "[erased]"
ERASED_EMAIL_DOMAIN = "erased.invalid"  # .invalid is reserved (RFC 2606): nothing is ever delivered there


@dataclass
class PersonalDataSection:
    """One app's part of the download: JSON-serialisable `data`, and `files` as (name in the zip, file).

    A file is an open File-like object, a `FieldFile`, or the name of a file in the default storage."""

    data: dict | list
    files: list[tuple[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class _Part:
    export: Callable[[User], PersonalDataSection]
    erase: Callable[[User], None]


_parts: dict[str, _Part] = {}
RESERVED_KEYS = {"account", "exported_at", "missing_files"}


def register(name: str, *, export: Callable[[User], PersonalDataSection], erase: Callable[[User], None]) -> None:
    """Declare an app's personal data under `name` (its key in data.json). Registering a name again replaces it."""
    if name in RESERVED_KEYS:
        raise ValueError(f"{name!r} is a key of data.json itself")
    _parts[name] = _Part(export=export, erase=erase)


class ErasureRefused(ServiceError):
    """The person's data cannot be erased yet (the message says why)."""


def storage_delete_on_commit(names) -> None:
    """Forget stored files once the erasure has committed: a rollback must not leave rows without their files."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def audit_scrub(*, object_type: str, object_ids, keys: tuple[str, ...] = (), actions_with_notes=()) -> None:
    """Take written reasons out of the recorded actions on the person's records: the action, its time and
    states stay; the named keys leave `before`/`after`, and the note goes where the action's note is a reason."""
    object_ids = list(object_ids)
    if not object_ids:
        return
    match = {"object_type": object_type}
    if keys:
        actions_scrub(match=match, object_ids=object_ids, keys=keys)
    for action in actions_with_notes:
        actions_scrub(match={**match, "action": action}, object_ids=object_ids, notes=True)


def _zip_name(section: str, name: str) -> str:
    # Names come from the apps, which build them from ids and sanitised original names; this only keeps
    # every entry under files/<section>/, whatever a name says.
    parts = [part for part in PurePosixPath(name).parts if part not in ("", ".", "..", "/")]
    return "/".join(["files", section, *parts])


def _read(file) -> bytes:
    if isinstance(file, str):
        with default_storage.open(file, "rb") as handle:
            return handle.read()
    file.open("rb")
    try:
        return file.read()
    finally:
        file.close()


def personal_data_export(*, user: User) -> bytes:
    """A zip of everything the portal holds about `user`: `data.json` (one key per app) and their files."""
    sections = {"account": account_export(user)} | {name: part.export(user) for name, part in _parts.items()}
    buffer = io.BytesIO()
    missing = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, section in sections.items():
            for file_name, file in section.files:
                zip_name = _zip_name(name, file_name)
                try:
                    archive.writestr(zip_name, _read(file))
                except FileNotFoundError:
                    missing.append(zip_name)
        document = {
            "exported_at": timezone.now(),
            **{name: section.data for name, section in sections.items()},
            "missing_files": missing,
        }
        archive.writestr("data.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
    audit_record(actor=user, action="personal_data.export", obj=user, after={"sections": list(sections)})
    return buffer.getvalue()


def account_erase(*, user: User, by: User) -> User:
    """Erase `user`'s personal data in every registered app and anonymise the account, all or nothing.

    Only the person themselves erases their account (the pages offer nothing else); superusers are refused,
    so a portal never loses its last administrator this way."""
    if by is None or by.pk != user.pk:
        raise PermissionDenied(_("Only the account's owner can delete it."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_superuser:
            raise ErasureRefused(
                _("Superuser accounts cannot be deleted here. Ask another superuser to remove your superuser status.")
            )
        if not user.is_active:
            raise ErasureRefused(_("This account is already closed."))
        for part in _parts.values():
            part.erase(user)
        # Last, so that the rows the apps' erasures just changed have their events scrubbed too.
        history_erase(person=user)
        _account_anonymise(user)
        audit_record(actor=None, action="account.erase", obj=user, after={"sections": list(_parts)})
    return user


def account_export(user: User) -> PersonalDataSection:
    """Five queries: email addresses, roles, notifications addressed to them, API tokens, what they did (audit
    log)."""
    addresses = list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary"))
    roles = list(user.groups.order_by("name").values_list("name", flat=True))
    notifications = list(
        Notification.objects.filter(recipient=user)
        .order_by("created_at", "pk")
        .values("kind", "object_id", "threshold", "status", "created_at", "sent_at")
    )
    tokens = list(
        ApiToken.objects.filter(person=user)
        .order_by("created_at", "pk")
        .values("name", "prefix", "scopes", "created_at", "expires_at", "revoked_at", "last_used_at", "last_used_from")
    )
    # What they did, without the before/after: those describe other people's records as often as theirs.
    actions = [
        {key: entry[key] for key in ("action", "object_type", "object_id", "at")}
        for entry in recorded_actions(by=user.pk)
    ]
    return PersonalDataSection(
        data={
            "email": user.email,
            "name": user.name,
            "preferred_language": user.preferred_language,
            "time_zone": user.time_zone,
            "weekly_digest": user.weekly_digest,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": addresses,
            "roles": roles,
            "notifications": notifications,
            "api_tokens": tokens,
            "actions": actions,
        }
    )


def _account_anonymise(user: User) -> None:
    EmailAddress.objects.filter(user=user).delete()
    ApiToken.objects.filter(person=user).delete()
    # Kept: each ledger row is what stops a sweep from claiming the same email again. Emptied of error text
    # (which can quote the address), and nothing still pending is sent to an account that no longer exists.
    Notification.objects.filter(recipient=user).update(last_error="")
    Notification.objects.filter(recipient=user, status=Notification.Status.PENDING).update(
        status=Notification.Status.FAILED
    )
    user.email = f"erased-{user.pk}@{ERASED_EMAIL_DOMAIN}"
    user.name = ""
    user.preferred_language = "en"
    user.time_zone = "UTC"
    user.is_active = False
    user.is_staff = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
