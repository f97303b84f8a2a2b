"""Every email the portal sends, in every language: a plain-text part and an HTML alternative with inline styles,
right to left for Hebrew and Arabic, every link on the site's host in the recipient's language.

The kinds come from the ledger's registry, so a kind added later fails `test_every_kind_...` until
`email_world.build_world` makes one of it."""

import re
from urllib.parse import urlsplit

import icalendar
import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from applications.scoring.emails import decision_email
from applications.scoring.models import DecisionEmailTemplate
from cohorts import services as cohort_services
from incubator.delivery import notification_message
from incubator.emails import renderers
from incubator.models import Notification, User
from tests.applications.scoring.factories import scoring_call, submitted
from tests.factories import UserFactory
from tests.incubator.email_world import NOW, ONLINE_LINK, build_world

LANGUAGES = [code for code, _name in settings.LANGUAGES]
RIGHT_TO_LEFT = {"he", "ar"}
LINK = re.compile(r"https?://[^\s<>\"']+")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def html_of(message) -> str:
    [html] = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


def problems_with(message, language: str, host: str, *, external=()) -> list[str]:
    """Everything wrong with one email for a recipient reading `language`; empty when it is right."""
    found = []
    if not message.subject.strip() or "\n" in message.subject or "&amp;" in message.subject:
        found.append(f"subject {message.subject!r}")
    if message.content_subtype != "plain" or not message.body.strip():
        found.append("no plain-text body")
    html = html_of(message)
    direction = "rtl" if language in RIGHT_TO_LEFT else "ltr"
    align = "right" if language in RIGHT_TO_LEFT else "left"
    if f'<html lang="{language}" dir="{direction}">' not in html:
        found.append(f"<html> not lang={language} dir={direction}")
    # Clients that drop <html dir> still see the direction on the blocks that hold the text.
    if html.count(f'dir="{direction}"') < 4 or html.count(f"text-align:{align}") < 4:
        found.append(f"content blocks not {direction}")
    for forbidden in ("<script", "<style", "<link", "<img", "src=", "url(", "@import", "{{", "{%", "<b>"):
        if forbidden in html.lower():
            found.append(f"HTML contains {forbidden}")
    if html.count('style="') < 10 or "background-color:#0b5ed7" not in html:
        found.append("HTML without inline styles or without its button")
    for part, text in (("text", message.body), ("html", html)):
        links = [link for link in LINK.findall(text) if link not in external]
        if not links:
            found.append(f"no link in the {part} part")
        for link in links:
            url = urlsplit(link)
            wanted = None if language == settings.LANGUAGE_CODE else language
            if url.netloc != host or translation.get_language_from_path(url.path) != wanted:
                found.append(f"{part} link {link} not on {host} in {language}")
    for name, content, _mimetype in message.attachments:
        for event in icalendar.Calendar.from_ical(content).walk("VEVENT"):
            url = urlsplit(str(event["url"]))
            if url.netloc != host or not url.path.startswith("/" if language == "en" else f"/{language}/"):
                found.append(f"{name} URL {event['url']} not in {language}")
    return found


def test_every_kind_is_sent_as_text_and_html_in_every_language(db, frozen, settings):
    settings.SITE_URL = "https://portal.example.org"
    build_world()
    rows = list(Notification.objects.select_related("recipient").order_by("pk"))
    problems, sent = [], set()
    for language in LANGUAGES:
        for row in rows:
            row.recipient.preferred_language = language
            message = notification_message(row)
            if message is None:
                continue  # no longer due: the invitation to the session cancelled since
            sent.add(row.kind)
            problems += [
                f"{row.kind} [{language}]: {problem}"
                for problem in problems_with(message, language, "portal.example.org", external={ONLINE_LINK})
            ]
    # Kinds the tests register for themselves (the ledger's own tests) are no emails of the portal.
    portal_kinds = {kind for kind, renderer in renderers().items() if not renderer.__module__.startswith("tests.")}
    assert sent == portal_kinds, "the world makes one email of every kind"
    assert problems == []


def test_the_portals_own_decision_wording_has_an_html_part_too(db, settings):
    """Programs with no wording of their own get the built-in one; both have both parts."""
    settings.SITE_URL = "https://portal.example.org"
    call = scoring_call(slug="decided")
    application = submitted(call, name="Amina Amal")
    for language in LANGUAGES:
        for outcome in ("accept", "reject", "waitlist"):
            DecisionEmailTemplate.objects.filter(language=language, outcome=outcome).delete()
            with translation.override(language):
                content = decision_email(application, outcome, language)
            assert content.html and "<html" in content.html and f'lang="{language}"' in content.html
            assert f"https://portal.example.org{'' if language == 'en' else '/' + language}/" in content.html


def test_html_is_escaped_where_text_is_as_typed(db, frozen, settings):
    build_world()
    row = Notification.objects.get(kind=cohort_services.ANSWERED)
    message = notification_message(row)
    assert message.subject == 'New answer to "A loom & a <kiln>"'
    assert "A loom &amp; a &lt;kiln&gt;" in html_of(message) and "I have a loom.\nCall me." in html_of(message)


def _account_messages(language: str, mailoutbox) -> list:
    """The account emails allauth sends, each asked for from a page in `language` by someone reading it."""
    prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
    browser = Client()
    browser.post(
        f"{prefix}/accounts/signup/",
        {
            "email": f"new.{language}@example.org",
            "password1": "a-long-passphrase-2026",
            "password2": "a-long-passphrase-2026",
            "name": "Noa Newcomer",
            "preferred_language": language,
            "time_zone": "Asia/Jerusalem",
        },
    )
    known = UserFactory(email=f"known.{language}@example.org", preferred_language=language)
    EmailAddress.objects.get_or_create(user=known, email=known.email, defaults={"verified": True, "primary": True})
    Client().post(f"{prefix}/accounts/password/reset/", {"email": known.email})
    Client().post(f"{prefix}/accounts/password/reset/", {"email": f"nobody.{language}@example.org"})
    Client().post(
        f"{prefix}/accounts/signup/",
        {
            "email": known.email,
            "password1": "a-long-passphrase-2026",
            "password2": "a-long-passphrase-2026",
            "name": "Known Again",
            "preferred_language": language,
            "time_zone": "UTC",
        },
    )
    return list(mailoutbox)


@pytest.mark.parametrize("language", LANGUAGES)
def test_account_emails_are_text_and_html_in_the_recipients_language(db, language, mailoutbox):
    messages = _account_messages(language, mailoutbox)
    # Confirm the new address, reset the known one's password, say no account is known, say one exists.
    assert len(messages) == 4, [message.subject for message in messages]
    problems = [
        f"{message.subject} [{language}]: {problem}"
        for message in messages
        for problem in problems_with(message, language, "testserver")
    ]
    assert problems == []
    assert User.objects.get(email=f"new.{language}@example.org").preferred_language == language
