"""Odd input never reaches a 500 (issue 18): every URL of the permission matrix, as the personas who reach it, with
odd values in every query parameter the views read, in every field of the page's form, and 20-digit ids in the
address.

The URLs and the world are the permission matrix's (tests/security/test_permission_matrix.py); each request runs
in a savepoint that is rolled back, so a POST that is accepted leaves the world as it was. All problems are
collected into one failure message."""

import datetime
import time
from urllib.parse import urlencode

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse

from tests.security.matrix_world import NOW, World
from tests.security.permission_table import expected
from tests.security.test_fuzz_forms import form_fields
from tests.security.test_permission_matrix import url_patterns

NUL = "\x00"
TWENTY_DIGITS = "9" * 20
ODD_VALUES = (
    NUL,
    f"a{NUL}b",
    "9999-12-31",
    "0001-01-01",
    "9999-12",
    "0001-01",
    TWENTY_DIGITS,
    f"-{TWENTY_DIGITS}",
    "\u202eevil\u202c",
    "x" * 4096,
)
# Every query parameter a view or the admin reads (grep request.GET and the forms bound to it), and a few more.
PARAMS = (
    "month",
    "week",
    "day",
    "start",
    "end",
    "date",
    "q",
    "page",
    "p",
    "o",
    "slot",
    "from",
    "to",
    "year",
    "cohort",
    "call",
    "program",
    "region",
    "status",
    "kind",
    "sort",
    "dir",
    "seats",
    "waitlist_size",
    "person",
    "skills",
    "language",
    "next",
    "term",
    "app_label",
    "model_name",
    "field_name",
    "status__exact",
    "program__id__exact",
    "cohort__id__exact",
    "_changelist_filters",
    "_to_field",
    "_popup",
    # What POST-only views read from request.POST (grep request.POST), beside the fields of the page's form.
    "action",
    "reason",
    "mentor",
    "venture",
    "which",
    "done",
    "back",
    "resource",
    "first_day",
    "weekdays",
    "weeks",
    "part",
    "email",
)
# The views that read `format`, each export with each odd value too.
FORMATS = ("csv", "xlsx", "pdf")
FORMAT_VIEWS = {"workspaces:statement", "workspaces:report"}
# Who asks: without signing in, each kind of person, a manager of another program, and the superuser. A form is
# posted to by the first POST_PERSONAS of them who may open it (a page's form is the same form for everyone).
SWEEP_PERSONAS = (
    "anonymous",
    "applicant_a",
    "participant",
    "mentor",
    "reviewer_assigned",
    "manager",
    "other_manager",
    "superuser",
)
POST_PERSONAS = 3
# The admin's 150 pages are a few views over many models: the superuser opens them all (what a manager may reach
# is the permission matrix's and the admin tests' concern), with the values that reach a model's fields; its delete
# and history pages take no typed value (their POST is a confirmation).
ADMIN_PERSONAS = ("anonymous", "superuser")
ADMIN_VALUES = (NUL, "9999-12-31", "0001-01-01", TWENTY_DIGITS, "\u202eevil\u202c", "x" * 4096)
# Int path arguments (and the admin's object ids) that reach the database.
ID_KEYS = {"pk", "resource_id", "user_id", "file_pk", "content_type_id", "object_id", "id"}


# The URLs are swept in shards, so that the test runner's workers share the sweep.
SHARDS = 4


class Sweep:
    def __init__(self):
        self.world = World()
        self.clients = {}
        for persona in SWEEP_PERSONAS:
            client = Client(raise_request_exception=False)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            if self.world.person(persona) is not None:
                client.force_login(self.world.person(persona))
            self.clients[persona] = client
        self.problems: list[str] = []
        self.count = 0

    def send(self, persona, method, url, data=None, *, multipart=False):
        client = self.clients[persona]
        cookies = client.cookies.output()
        with transaction.atomic():
            if method == "post" and not multipart:
                # As a browser posts a form without files: urlencoded (a multipart body costs the sweep a tenth, so
                # only the all-odd POST of each form is multipart, as a form with a file input sends it).
                body = urlencode(data or {}, doseq=True)
                response = client.post(url, body, content_type="application/x-www-form-urlencoded")
            else:
                response = getattr(client, method)(url, data or {})
            transaction.set_rollback(True)
        client.cookies.clear()
        client.cookies.load(cookies.replace("Set-Cookie: ", ""))
        self.count += 1
        if response.status_code >= 500:
            shown = {k: (v[:20] + "…" if isinstance(v, str) and len(v) > 20 else v) for k, v in (data or {}).items()}
            self.problems.append(f"{method.upper()} {url!r} as {persona} with {shown}: {response.status_code}")
        return response

    def page(self, persona, url) -> str:
        response = self.send(persona, "get", url)
        return "" if getattr(response, "streaming", False) else response.content.decode(errors="replace")

    def query_sweep(self, name, url, persona, *, post: bool) -> bool:
        """The page as the persona; if it opens, every parameter with each odd value (all at once: a view that
        refuses one never reads the next, which is a 4xx as wanted), else only the central defences (NUL, 20
        digits). Then, with `post`, the page's form (or a POST-only view's fields) with each odd value. True when
        the persona may use the page."""
        admin = name.startswith("admin:")
        # Who may open the page, or post to a POST-only view, is the permission matrix's table, which that test
        # proves request by request: the sweep asks for the plain page only when it needs the page's form.
        opens = expected(name, "GET", persona) == "ok"
        usable = opens or expected(name, "POST", persona) in ("ok", "invalid")
        values = (ADMIN_VALUES if admin else ODD_VALUES) if opens else (NUL, TWENTY_DIGITS)
        for value in values:
            self.send(persona, "get", url, dict.fromkeys(PARAMS, value))
        if opens and name in FORMAT_VIEWS:
            for value in ODD_VALUES:
                for fmt in FORMATS:
                    self.send(persona, "get", url, {**dict.fromkeys(PARAMS, value), "format": fmt})
        if not (post and usable) or name.endswith(("_delete", "_history")):
            return usable
        fields = form_fields(self.page(persona, url) if opens else "")
        for value in ADMIN_VALUES if admin else ODD_VALUES:
            # Every field odd at once (a form validates each field on its own, so nothing hides another), then the
            # choices valid and the typed fields odd, so that the odd value reaches the service.
            odd = {**dict.fromkeys(PARAMS, value), **dict.fromkeys(fields, value)}
            self.send(persona, "post", url, odd, multipart=True)
            if any(fields.values()) and value != NUL:
                chosen = {field: (options[-1] if options else value) for field, options in fields.items()}
                self.send(persona, "post", url, chosen)
        return usable

    def path_sweep(self, name, keys, persona):
        kwargs = self.world.kwargs_for(name, keys)
        for key in set(keys) & ID_KEYS:
            for odd in (TWENTY_DIGITS, f"1{TWENTY_DIGITS}"):
                try:
                    url = reverse(name, kwargs={**kwargs, key: int(odd)})
                except NoReverseMatch:
                    continue
                self.send(persona, "get", url)
                self.send(persona, "post", url)


@pytest.mark.django_db
@override_settings(
    ACCOUNT_RATE_LIMITS=False, CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)
@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_url_answers_500_to_odd_input_as_any_persona(shard):
    started = time.monotonic()
    with time_machine.travel(NOW, tick=False):
        sweep = Sweep()
        for name, keys in sorted(set(url_patterns()))[shard::SHARDS]:
            url = reverse(name, kwargs=sweep.world.kwargs_for(name, keys))
            personas = ADMIN_PERSONAS if name.startswith("admin:") else SWEEP_PERSONAS
            posted = 0
            for persona in personas:
                posted += sweep.query_sweep(name, url, persona, post=posted < POST_PERSONAS)
            if set(keys) & ID_KEYS:
                for persona in ("anonymous", "participant", "manager", "superuser"):
                    sweep.path_sweep(name, keys, persona)
    elapsed = datetime.timedelta(seconds=round(time.monotonic() - started))
    assert sweep.count > 5000 / SHARDS, f"only {sweep.count} requests in {elapsed}"
    assert not sweep.problems, f"{len(sweep.problems)} answers of 500 ({sweep.count} requests):\n" + "\n".join(
        sweep.problems
    )


# The 500s found by hand (issue 18), each answered now with a 4xx and a message, or the page's fallback.


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield World()


def _as(world, persona) -> Client:
    client = Client(raise_request_exception=True)  # a 500 here fails with its traceback
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if world.person(persona) is not None:
        client.force_login(world.person(persona))
    return client


def _text(response) -> str:
    return response.content.decode()


def test_calendar_feed_with_nul_in_the_address_is_a_400_page_without_signing_in(world):
    response = _as(world, "anonymous").get("/calendar/%00.ics")
    assert response.status_code == 400
    assert 'data-testid="error-page"' in _text(response) and "control character (NUL)" in _text(response)


def test_nul_page_is_translated_and_right_to_left(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="he").get("/calendar/%00.ics")
    assert response.status_code == 400 and 'dir="rtl"' in _text(response) and "NUL" in _text(response)
    arabic = Client().get("/ar/workspaces/statement/?month=%00")
    assert arabic.status_code == 400 and 'lang="ar"' in _text(arabic)


@pytest.mark.parametrize("path", ["/fr/profile/", "/accounts/login/", "/api/v1/sessions/"])
def test_a_multipart_body_without_its_boundary_is_a_400_not_a_500(db, path):
    response = Client(raise_request_exception=False).generic("POST", path, b"x", content_type="multipart/form-data")
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json"
    else:
        assert "could not be read" in _text(response) or "n’a pas pu être lu" in _text(response)


@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
def test_statement_far_month_is_refused_with_the_bounds(world, month):
    response = _as(world, "participant").get(reverse("workspaces:statement"), {"month": month})
    assert response.status_code == 400
    assert "outside the months the portal can show, 1900-01 to 2200-12" in _text(response)
    for fmt in FORMATS:
        assert (
            _as(world, "participant").get(reverse("workspaces:statement"), {"month": month, "format": fmt}).status_code
            == 400
        )


@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
def test_space_report_far_month_is_refused_with_the_bounds(world, month):
    url = reverse("workspaces:report", args=[world.space.slug])
    response = _as(world, "manager").get(url, {"month": month})
    assert response.status_code == 400 and "1900-01 to 2200-12" in _text(response)
    for fmt in ("csv", "xlsx"):
        assert _as(world, "manager").get(url, {"month": month, "format": fmt}).status_code == 400


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01"])
def test_booking_grid_far_week_falls_back_to_this_week(world, week):
    url = reverse("workspaces:space", args=[world.space.slug])
    response = _as(world, "participant").get(url, {"week": week, "day": week})
    assert response.status_code == 200
    this_week = _as(world, "participant").get(url)
    assert 'data-testid="grid-row"' in _text(response)
    assert response.context["previous_week"] == this_week.context["previous_week"]


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_booking_a_slot_in_a_far_year_is_refused(world, year):
    slot = f"{world.desk.pk}|{year}-01-02T08:00|{year}-01-02T18:00"
    response = _as(world, "participant").post(reverse("workspaces:book"), {"slot": slot})
    assert response.status_code == 400 and "This slot could not be read" in _text(response)


def test_recurring_booking_from_9999_12_27_shows_the_form_again_with_the_bounds(world):
    data = {"resource": world.desk.pk, "first_day": "9999-12-27", "weekdays": [0, 1], "weeks": 4, "part": "day"}
    response = _as(world, "participant").post(reverse("workspaces:recurring", args=[world.space.slug]), data)
    assert response.status_code == 400
    assert "Enter a date between 1900-01-01 and 2200-12-31." in _text(response)
    assert 'value="9999-12-27"' in _text(response)  # what was typed stays in the form


@pytest.mark.parametrize("name", ["mentoring:report", "mentoring:report_csv", "mentoring:report_xlsx"])
@pytest.mark.parametrize("end", ["9999-12-31", "0001-01-01"])
def test_funder_report_and_exports_with_a_far_end_are_refused(world, name, end):
    query = {"program": world.program.slug, "start": "2026-01-01", "end": end}
    response = _as(world, "manager").get(reverse(name), query)
    assert response.status_code == 400 and "Enter a date between 1900-01-01 and 2200-12-31." in _text(response)


def test_mentor_assignments_search_with_nul_is_a_400(world):
    response = _as(world, "manager").get(reverse("mentoring:assignments", args=[world.program.slug]), {"q": NUL})
    assert response.status_code == 400 and "NUL" in _text(response)
    # A long right-to-left search is just a search that finds nobody.
    long = _as(world, "manager").get(
        reverse("mentoring:assignments", args=[world.program.slug]), {"q": "\u202e" + "x" * 4096}
    )
    assert long.status_code == 200


def test_admin_filters_and_autocomplete_terms_with_nul_are_a_400(world):
    superuser = _as(world, "superuser")
    changelist = reverse("admin:mentoring_session_changelist")
    assert superuser.get(changelist, {"q": NUL}).status_code == 400
    assert superuser.get(changelist, {"status__exact": NUL}).status_code == 400
    autocomplete = reverse("admin:autocomplete")
    query = {"app_label": "mentoring", "model_name": "attendance", "field_name": "person"}
    assert superuser.get(autocomplete, {**query, "term": NUL}).status_code == 400
    assert superuser.get(autocomplete, {**query, "term": "Pia"}).status_code in (200, 403)


def test_twenty_digit_ids_in_the_address_are_404(world):
    participant, superuser = _as(world, "participant"), _as(world, "superuser")
    huge = int(TWENTY_DIGITS)
    assert participant.get(reverse("workspaces:booking_cancel", args=[huge])).status_code == 404
    assert participant.get(reverse("workspaces:resource_check_in", args=[huge])).status_code == 404
    assert participant.get(reverse("mentoring:session_detail", args=[huge])).status_code == 404
    assert superuser.get(reverse("admin:mentoring_session_change", args=[huge])).status_code in (302, 404)


def test_a_session_cookie_with_nul_is_dropped_not_a_500(world):
    client = Client(raise_request_exception=True)
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijkl"
    assert client.get(reverse("home")).status_code == 200


def test_a_database_refusal_a_view_lets_through_is_a_400_page(world, monkeypatch):
    from django.db import DataError

    from workspaces import views

    def refused(*args, **kwargs):
        raise DataError("value out of range")

    monkeypatch.setattr(views.ledger, "statement", refused)
    response = _as(world, "participant").get(reverse("workspaces:statement"))
    assert response.status_code == 400 and "outside the range the portal accepts" in _text(response)


def test_404_with_default_settings_does_not_list_the_urlconf(db):
    assert settings.DEBUG is False
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    page = _text(response)
    assert "URLconf" not in page and "admin/" not in page and "calendar/" not in page and "healthz" not in page


def test_admin_autocomplete_widget_shown_with_a_value_that_is_no_id(world):
    """The add page's initial values come from the query, and a refused POST shows its values again: an autocomplete
    field holding something that is no id shows no choice instead of failing on the lookup."""
    superuser = _as(world, "superuser")
    add = reverse("admin:workspaces_induction_add")
    assert superuser.get(add, {"person": "9999-12-31", "space": "x"}).status_code == 200
    refused = superuser.post(add, {"space": world.space.pk, "person": "\u202eevil", "induction_type": "laser"})
    assert refused.status_code == 200 and "errornote" in _text(refused)


def test_mentor_assignment_with_a_mentor_that_is_no_id_is_a_404(world):
    url = reverse("mentoring:assignment_suggest", args=[world.program.slug, world.participant.pk])
    # Before: ValueError "Field 'id' expected a number" from the lookup, a 500. Now as an unknown mentor's id.
    for mentor in ("9999-12-31", TWENTY_DIGITS, "\u202eevil", "x" * 4096, "", "0"):
        assert _as(world, "manager").post(url, {"mentor": mentor}).status_code == 404
