"""How each kind of notification is written as an email: the kinds' renderers, registered by the apps' `emails`
modules, and the template helper they use. The ledger (`incubator.notifications`) claims, `incubator.delivery`
sends with these."""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string

from incubator.models import Notification


@dataclass(frozen=True)
class EmailContent:
    subject: str
    body: str
    html: str | None = None
    # (filename, content, mimetype) triples, e.g. a calendar invitation.
    attachments: tuple[tuple[str, str | bytes, str], ...] = ()
    # Extra (name, value) headers, e.g. List-Unsubscribe; the Message-ID is the ledger's.
    headers: tuple[tuple[str, str], ...] = ()


Renderer = Callable[[Notification], EmailContent | None]

_renderers: dict[str, Renderer] = {}


def renderers() -> dict[str, Renderer]:
    """Every registered kind and its renderer (the email tests write one of each)."""
    return dict(_renderers)


def register(kind: str) -> Callable[[Renderer], Renderer]:
    """Declare how a kind of notification is written. Returning None means "no longer due"."""

    def decorator(renderer: Renderer) -> Renderer:
        _renderers[kind] = renderer
        return renderer

    return decorator


def render_email(template: str, context: dict) -> EmailContent:
    """Render `emails/<template>_subject.txt`, the plain text `emails/<template>.txt` and its HTML alternative
    `emails/<template>.html` (which extends `emails/base.html`, its heading the subject) in the active language."""
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    return EmailContent(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", context),
        html=render_to_string(f"emails/{template}.html", {**context, "subject": subject}),
    )
