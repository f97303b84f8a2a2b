"""Free text from people shows in its own direction on pages of either direction, and charts run right to left."""

from pathlib import Path

from django.conf import settings

from tests.i18n.free_text import unisolated


def test_free_text_is_shown_in_its_own_direction():
    """A name or a post typed in Arabic on a French page (or the reverse) keeps its order only inside an element
    with dir="auto" or a <bdi>; blocktranslate sentences put their <bdi> in the message itself."""
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}: {expression}"
        for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
        if "emails" not in path.parts
        for number, expression in unisolated(path)
    ]
    assert not found, 'wrap in an element with dir="auto", or in <bdi>:\n' + "\n".join(found)


def test_charts_mirror_right_to_left():
    script = Path(settings.BASE_DIR, "static/js/cohort_dashboard.js").read_text()
    for option in (
        "rtl: rtl",
        'textDirection: rtl ? "rtl" : "ltr"',
        "reverse: rtl",
        'position: rtl ? "right" : "left"',
    ):
        assert option in script
