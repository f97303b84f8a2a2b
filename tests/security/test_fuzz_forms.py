"""Hostile input into every form an applicant or participant reaches: never a 500, never markup that runs.

The fields come from each page's own HTML, so a field added to a form is fuzzed without touching this file.
"""

from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.applications.factories import make_call
from tests.factories import CohortFactory, UserFactory, accept

pytestmark = pytest.mark.django_db

# Payloads that would run if a page printed them unescaped; none may ever appear raw in a response.
SCRIPT = "<script>fuzz()</script>"
IMAGE = '<img src=x onerror="fuzz()">'
RAW_MARKERS = [SCRIPT.encode(), b"<img src=x onerror"]


def _repeated_to_length(chunk_and_length: tuple[str, int]) -> str:
    chunk, length = chunk_and_length
    return (chunk * (length // len(chunk) + 1))[:length]


# A long text is any text repeated to 5,000-20,000 characters. Drawn whole, a text that long counts against the
# size Hypothesis allows one example (8 * 1024 units): with a form of many fields most examples overran it and were
# thrown away after being generated (half a minute of generation for the application form), so a long value almost
# never reached a form.
long_text = st.tuples(
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=200), st.integers(5000, 20000)
)
hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [SCRIPT, IMAGE, "\u202eevil\u202c", "שלום <b>x</b> مرحبا", "\x00", "a\x00b", "\x1b[31m", "'; DROP TABLE x; --"]
    ),
    long_text.map(_repeated_to_length),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["2026-02-30", "31/12/2026", "0000-00-00", "9999-99-99", "-1", "1e309", "NaN", ""]),
)


class _FormFields(HTMLParser):
    """The names and options of the fields of the page's main POST form (not the language switcher)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._in_form = False
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            tag == "form"
            and (attrs.get("method") or "").lower() == "post"
            and "setlang" not in (attrs.get("action") or "")
        ):
            self._in_form = True
        if not self._in_form or tag not in {"input", "select", "textarea", "option"}:
            return
        if tag == "option" and self._select:
            self.fields[self._select].append(attrs.get("value") or "")
            return
        name = attrs.get("name")
        if not name or name == "csrfmiddlewaretoken" or attrs.get("type") in {"submit", "file", "button"}:
            return
        self.fields.setdefault(name, [])
        if tag == "select":
            self._select = name

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form":
            self._in_form = False


def form_fields(html: str) -> dict[str, list[str]]:
    parser = _FormFields()
    parser.feed(html)
    return parser.fields


def field_value(options: list[str]):
    if options:
        return st.one_of(st.sampled_from(options), hostile_text)
    return hostile_text


def assert_nothing_runs(response):
    assert response.status_code < 500, response.status_code
    content = response.content if not getattr(response, "streaming", False) else b""
    for marker in RAW_MARKERS:
        assert marker not in content


@pytest.fixture
def world(db):
    call = make_call()
    cohort = CohortFactory(program=call.cohort.program)
    member = UserFactory(name="Mira Member")
    accept(cohort, member)
    applicant = UserFactory(name="Amina Applicant")
    return {"call": call, "cohort": cohort, "member": member, "applicant": applicant}


def _pages(world):
    call, cohort = world["call"], world["cohort"]
    return {
        "apply": (world["applicant"], reverse("applications:apply", args=[call.slug]), [reverse("applications:list")]),
        "profile": (world["applicant"], reverse("profile_edit"), [reverse("home")]),
        "account_delete": (world["applicant"], reverse("account_delete"), [reverse("profile_edit")]),
        "member_profile": (
            world["member"],
            reverse("cohorts:profile_edit", args=[cohort.slug]),
            [reverse("cohorts:directory", args=[cohort.slug])],
        ),
        "venture": (
            world["member"],
            reverse("cohorts:venture_create", args=[cohort.slug]),
            [reverse("cohorts:directory", args=[cohort.slug])],
        ),
        "board": (
            world["member"],
            reverse("cohorts:board", args=[cohort.slug]),
            [reverse("cohorts:board", args=[cohort.slug])],
        ),
        "initiative": (
            world["member"],
            reverse("cohorts:initiative_create", args=[cohort.slug]),
            [reverse("cohorts:initiatives", args=[cohort.slug])],
        ),
    }


@pytest.mark.parametrize(
    "page", ["apply", "profile", "account_delete", "member_profile", "venture", "board", "initiative"]
)
def test_hostile_input_never_breaks_a_form_or_runs_when_shown(client, world, page):
    person, url, shown_at = _pages(world)[page]
    client.force_login(person)
    fields = form_fields(client.get(url).content.decode())
    assert fields, f"no form found at {url}"

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.fixed_dictionaries({name: field_value(options) for name, options in fields.items()}))
    def post_and_show(data):
        cache.clear()  # rate limits are not what this test is about
        assert_nothing_runs(client.post(url, data, follow=True))
        for display in shown_at:
            assert_nothing_runs(client.get(display))

    post_and_show()


@pytest.mark.parametrize(
    "wrong", [{"region": "not-a-number"}, {"region": "99999999999999999999"}, {"language": ["a", "b"]}]
)
def test_wrong_types_for_choices_are_refused_cleanly(client, world, wrong):
    client.force_login(world["applicant"])
    assert client.post(reverse("applications:apply", args=[world["call"].slug]), wrong).status_code < 500
