"""Every page forbids inline scripts, and no template relies on one."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)


def test_pages_carry_a_policy_without_inline_scripts(client, db):
    policy = client.get(reverse("applications:calls"))["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text):
            offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert offenders == []
