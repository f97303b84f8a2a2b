"""Django's `{# … #}` comment ends with its line: one spread over two lines is printed on the page."""

from pathlib import Path

from django.conf import settings


def test_no_template_comment_spans_lines():
    unclosed = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert not unclosed, f"use {{% comment %}} for these: {unclosed}"
