"""The admin's JavaScript (select boxes of many-to-many fields, the calendar, actions) is translated too: Django's
own Hebrew and Arabic catalogs lack some of its messages, which `locale/*/LC_MESSAGES/djangojs.po` supply."""

import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.urls import reverse
from django.utils import translation
from django.views.i18n import JavaScriptCatalog

ADMIN_JS = Path(django.contrib.admin.__file__).parent / "static" / "admin" / "js"
STRING = r"""(['"])((?:\\.|(?!\1).)*)\1"""
GETTEXT = re.compile(rf"(?<![\w.])gettext\(\s*{STRING}")
NGETTEXT = re.compile(rf"(?<![\w.])ngettext\(\s*{STRING}\s*,\s*{STRING}")
PGETTEXT = re.compile(rf"(?<![\w.])pgettext\(\s*{STRING}\s*,\s*{STRING}")


def _text(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal)


def admin_messages() -> tuple[set[str], set[str], set[tuple[str, str]]]:
    singles, plurals, contexts = set(), set(), set()
    for path in ADMIN_JS.rglob("*.js"):
        if "vendor" in path.parts or path.name.endswith(".min.js"):
            continue
        source = path.read_text()
        singles |= {_text(m.group(2)) for m in GETTEXT.finditer(source)}
        plurals |= {_text(m.group(2)) for m in NGETTEXT.finditer(source)}
        contexts |= {(_text(m.group(2)), _text(m.group(4))) for m in PGETTEXT.finditer(source)}
    return singles, plurals, contexts


def js_catalog(language: str) -> dict:
    """What `admin:jsi18n` sends the browser in that language."""
    with translation.override(language):
        view = JavaScriptCatalog(domain="djangojs")
        view.translation = translation.trans_real.DjangoTranslation(
            language, domain="djangojs", localedirs=view.get_paths(["django.contrib.admin"])
        )
        return view.get_catalog()


@pytest.mark.parametrize("language", ["he", "ar", "fr", "pl"])
def test_every_message_of_the_admins_javascript_is_translated(language):
    singles, plurals, contexts = admin_messages()
    assert len(singles) > 30 and plurals and contexts  # the scan still finds Django's messages
    catalog = js_catalog(language)
    missing = sorted(m for m in singles if not catalog.get(m))
    missing += sorted(m for m in plurals if not catalog.get(m))
    missing += sorted(f"{c}|{m}" for c, m in contexts if not catalog.get(f"{c}\x04{m}"))
    assert not missing, f"{language}: {missing}"


def test_the_admin_page_receives_them(admin_client):
    with translation.override("ar"):
        url = reverse("admin:jsi18n")
    script = admin_client.get(url).content.decode()
    escaped = "اختيار كل %s".encode("unicode_escape").decode()
    assert f'"Choose all %s": "{escaped}"' in script
    assert '"abbrev. day Friday\\u0004Fri": "\\u062c\\u0645\\u0639\\u0629"' in script
