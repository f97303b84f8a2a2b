"""Every page of the portal in Hebrew, Arabic, French and Polish: no message missing from the language's catalog,
and no English left on the page.

The pages are the permission matrix's: every URL of the resolver, with the matrix world's objects, as a persona
the table lets read it. Two checks per page and language:

- every lookup through gettext/ngettext/pgettext (templates, forms, models' labels, messages, exports) is recorded
  when the active language's catalog has no entry for it, which is when Django falls back to the English msgid;
- every visible text (and title, placeholder, aria-label, alt, button value) that reads the same as on the
  English page and still has English words once the world's own data (names, titles, emails, zone names,
  addresses) is taken out: English that never went through gettext at all.

CSV exports are pages too (their header row is text); PDFs and calendar feeds are checked by the first check only.
"""

import csv
import io
import re
import zoneinfo
from html.parser import HTMLParser

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from pghistory.models import Context

from incubator.models import CURRENCY_CODES
from tests.security.matrix_world import NOW, World
from tests.security.permission_table import EXPECTED, expected
from tests.security.test_permission_matrix import url_patterns

LANGUAGES = ("he", "ar", "fr", "pl")
# Who reads each page: the first persona of this list the table lets in. People who do the work come first, so a
# page shows its working state (a participant's statement has lines, a reviewer's form has the criteria).
READERS = ("participant", "mentor", "reviewer_assigned", "applicant_a", "manager", "superuser", "anonymous")
# Texts that are the same in every language: the languages' own names in the switcher, and marks.
SAME_EVERYWHERE = {
    translation.get_language_info(code)["name_local"].casefold() for code, _name in settings.LANGUAGES
} | {
    "id",  # Django's own name for every primary key
    "csv",
    "xlsx",
    "pdf",
    # Django's admin writes these alt texts in English, untranslatable (boolean icons, the search form's magnifier).
    "true",
    "false",
    "unknown",
    "search",
}
# Django's AdminPasswordChangeForm adds a plain English string to a lazy one when its module is imported, which
# freezes both in English (django/contrib/auth/forms.py): nothing a catalog can translate.
UPSTREAM = {
    "whether the user will be able to authenticate using a password or not. if disabled, they may still be able to "
    "authenticate using other backends, such as single sign-on or ldap.",
    "if disabled, the current password for this user will be lost.",
}
# Django names the tables of many-to-many fields "User-group relationship: User_groups object (1)" on its own,
# with no message to translate; audit entries show their stored JSON. django-pghistory ships no catalogs, so the
# permissions of its own models read "Pghistory | events | Can add events" in the group form.
NOT_UI = re.compile(r"^(›\s*)?[\w-]+ relationships?: |^[{\[]|^Pghistory \| ")
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# Elements without an end tag: one marked with another language holds no text of it.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NOT_WORDS = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+|/[\w/.?=&%-]*|\bv\d+\b")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


class Lookups:
    """What the active language's catalog lacked, and what it answered, during one render."""

    def __init__(self):
        self.language = None
        self.missing: set[str] = set()
        self.answered: set[str] = set()

    def install(self, monkeypatch):
        gettext, ngettext = trans_real.DjangoTranslation.gettext, trans_real.DjangoTranslation.ngettext
        lookups = self

        def recorded_gettext(catalog, message):
            result = gettext(catalog, message)
            if message and catalog.language() == lookups.language:
                if message in catalog._catalog or (message, catalog.plural(1)) in catalog._catalog:
                    lookups.answered.add(str(result))
                else:
                    lookups.missing.add(message.replace(trans_real.CONTEXT_SEPARATOR, " | context: "))
            return result

        def recorded_ngettext(catalog, singular, plural, number):
            result = ngettext(catalog, singular, plural, number)
            if catalog.language() == lookups.language:
                try:
                    catalog._catalog.plural(singular, number)
                    lookups.answered.add(str(result))
                except KeyError:
                    lookups.missing.add(f"{singular} / {plural}")
            return result

        monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", recorded_gettext)
        monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", recorded_ngettext)


class VisibleText(HTMLParser):
    """The texts a reader sees, one per text node or visible attribute; not those marked as written in another
    language than the page's (an email previewed in its recipient's language)."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.hidden = 0
        self.language = None
        # The open element marked with another language, and how many of its tag are open inside it.
        self.foreign_tag, self.foreign_depth = None, 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "html":
            self.language = values.get("lang")
        elif tag == self.foreign_tag:
            self.foreign_depth += 1
        elif self.foreign_tag is None and values.get("lang", self.language) != self.language and tag not in VOID:
            self.foreign_tag, self.foreign_depth = tag, 1
        if self.foreign_tag:
            return
        if tag in ("script", "style", "template"):
            self.hidden += 1
        for name in VISIBLE_ATTRIBUTES:
            if values.get(name):
                self.texts.append(values[name])
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.texts.append(values["value"])

    def handle_endtag(self, tag):
        if tag == self.foreign_tag:
            self.foreign_depth -= 1
            if not self.foreign_depth:
                self.foreign_tag = None
        elif tag in ("script", "style", "template") and self.hidden and not self.foreign_tag:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and not self.foreign_tag and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_texts(response) -> set[str]:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("text/csv"):
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        return {cell for cell in rows[0] if cell.strip()} if rows else set()
    if not content_type.startswith("text/html"):
        return set()
    parser = VisibleText()
    parser.feed(body.decode(errors="replace"))
    return set(parser.texts)


def json_strings(value) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(json_strings(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(json_strings(item) for item in value))
    return {value} if isinstance(value, str) and len(value) > 1 else set()


def world_data() -> list[str]:
    """Every string stored in the world's rows (names, titles, emails, answers…, the actions in the audit trail's
    JSON), each word of people's names (a greeting uses the first), and the time zones' names and currency codes,
    the same in every language."""
    found = set(zoneinfo.available_timezones()) | set(CURRENCY_CODES)
    found |= json_strings(list(Context.objects.values_list("metadata", flat=True)))
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        if fields:
            for row in model._default_manager.values_list(*fields):
                found.update(value for value in row if isinstance(value, str) and len(value) > 1)
            for field in (name for name in fields if name.endswith("name")):
                for value in model._default_manager.values_list(field, flat=True):
                    found.update(word for word in str(value).split() if len(word) > 2)
    return sorted(found, key=len, reverse=True)


def bare(text: str) -> str:
    """A label without the admin's breadcrumb mark, colon or count ("› Initiatives", "Status:", "Initiatives: 1")."""
    return re.sub(r"^›\s*|:(\s*\d+)?$", "", text).casefold()


def english_left(text: str, data: list[str]) -> bool:
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    return bool(ENGLISH_WORD.search(NOT_WORDS.sub(" ", text)))


def render(client, name, world, language):
    with translation.override(language):
        url = reverse(name, kwargs=world.kwargs_for(name, dict.fromkeys(keys_of[name])))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with transaction.atomic():
        response = client.get(url)
        texts = visible_texts(response) if response.status_code == 200 else set()
        transaction.set_rollback(True)
    return url, response.status_code, texts


keys_of: dict[str, tuple] = {}


def pages():
    """(URL name, reader) for every GET the table lets someone read."""
    for name, keys in sorted(set(url_patterns())):
        keys_of[name] = keys
        reader = next((p for p in READERS if name in EXPECTED and expected(name, "GET", p) == "ok"), None)
        if reader is not None:
            yield name, reader


@pytest.mark.django_db
@override_settings(
    ACCOUNT_RATE_LIMITS=False, CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)
def test_every_page_is_translated_in_every_language(monkeypatch):
    lookups = Lookups()
    lookups.install(monkeypatch)
    problems, missing, answered = [], [], set()
    with time_machine.travel(NOW, tick=False):
        world = World()
        readable = list(pages())
        clients = {}
        for reader in dict.fromkeys(reader for _name, reader in readable):
            clients[reader] = Client(raise_request_exception=False)
            if world.person(reader) is not None:
                clients[reader].force_login(world.person(reader))
        # After the sign-ins: a staff sign-in is an action of the audit trail, whose page shows its code.
        data = world_data()
        for name, reader in readable:
            client = clients[reader]
            lookups.language = None
            _url, status, english = render(client, name, world, "en")
            if status != 200:
                continue  # a redirect or a sign-in page: the page it leads to is checked under its own name
            for language in LANGUAGES:
                lookups.language, lookups.missing, lookups.answered = language, set(), set()
                url, status, texts = render(client, name, world, language)
                where = f"{url} ({language}, as {reader})"
                missing += [(where, message) for message in sorted(lookups.missing)]
                answered |= lookups.answered
                # "Status" is Polish too, and the admin capitalises "initiatives" on its own.
                said = {bare(text) for text in lookups.answered}
                for text in sorted(texts & english):
                    if bare(text) in said | SAME_EVERYWHERE | UPSTREAM or NOT_UI.search(text):
                        continue
                    if english_left(text, data):
                        problems.append(f"{where}: English left on the page: {text!r}")
    # Django looks up a language's name again once it is translated ("Français"): not a message of ours.
    problems += [f"{where}: no translation for {message!r}" for where, message in missing if message not in answered]
    assert not problems, f"{len(problems)} untranslated:\n" + "\n".join(problems)
