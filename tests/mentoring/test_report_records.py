"""Every figure of the funder report opens the records it counts: a page of them for the program's managers only,
never behind a hidden count of people ("<5"), and all of them in the XLSX's second sheet and the records CSV."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from mentoring import services
from mentoring.figures import report_figures
from mentoring.models import ParticipantProfile
from mentoring.report import SUPPRESSED, mentoring_report
from mentoring.report_records import all_figure_records, figure_records
from tests.factories import UserFactory, accept
from tests.mentoring.conftest import PAST
from tests.mentoring.report_world import NOW, answer, asking_checkins, big_world, skip, venture_of

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
QUERY = {"start": START.isoformat(), "end": END.isoformat()}
# Figures whose records add up to them one by one, and those whose records' values add up to them.
COUNTED = (
    "totals.individual",
    "totals.group",
    "totals.series",
    "totals.activities",
    "kinds.",
    "regions.",
    "tours.",
    "people.reached",
    "feedback.count",
    "gender.",
    "age.",
    "youth.",
    "outcomes.answering",
    "outcomes.revenue_ventures",
)
SUMMED = ("totals.hours", "hours.", "outcomes.revenue", "outcomes.funding", "outcomes.jobs", "outcomes.clients",
          "outcomes.volunteers")  # fmt: skip


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _people(cohort, region, count, *, gender="woman", birth_year=2000, consent=True):
    people = []
    for _ in range(count):
        person = accept(cohort, UserFactory(), region=region).person
        ParticipantProfile.objects.create(user=person, gender=gender, birth_year=birth_year, consent=consent)
        people.append(person)
    return people


def _log(program, kind, mentor, people, *, at=PAST, minutes=120, absent=(), **extra):
    session, _ = services.session_log(
        program=program, kind=kind, starts_at=at, minutes=minutes, participants=people, summary="s", by=mentor,
        **extra,
    )  # fmt: skip
    if kind.counts_as != "individual":
        statuses = {p.pk: ("absent" if p in absent else "present") for p in people}
        services.attendance_mark(session=session, statuses=statuses, by=mentor)
    return session


@pytest.fixture
def seeded(clock, program, cohort, region, kinds, mentor, mentee, manager):
    """A workshop for 8 (one absent), an individual session with feedback, a tour with a visit, and check-ins."""
    women = _people(cohort, region, 6)
    men = _people(cohort, region, 2, gender="man", birth_year=1980)
    _log(program, kinds["workshop"], mentor, women + men, absent=[women[0]], region=region)
    individual = _log(program, kinds["individual"], mentor, [mentee], at=PAST + datetime.timedelta(days=1))
    services.feedback_give(session=individual, rating=4, comment="", anonymous=True, by=mentee)
    tour = _log(program, kinds["tour"], mentor, women, at=PAST + datetime.timedelta(days=7), minutes=2 * 24 * 60,
                title="Study tour")  # fmt: skip
    _log(program, kinds["visit"], mentor, women, at=PAST + datetime.timedelta(days=7, hours=2), series=tour)
    asking_checkins(program)
    studio, mira = venture_of(cohort, "Studio")
    prints, otto = venture_of(cohort, "Prints")
    answer(studio, mira, datetime.date(2026, 3, 1), clients=3, revenue=1000, jobs="1", volunteers=2, funding=500)
    answer(studio, mira, datetime.date(2026, 4, 1), clients=5, revenue=-300, jobs="2", volunteers=1)
    skip(prints, otto, datetime.date(2026, 3, 1))
    answer(prints, otto, datetime.date(2026, 4, 1), late=True, clients=1, revenue=-200, jobs="0.5")
    return {"query": {"program": program.slug, **QUERY}}


def _records_url(query, key):
    return reverse("mentoring:report_records"), {**query, "figure": key}


def _check_adds_up(figure, pairs):
    values = [value for _record, value in pairs]
    if figure.key.startswith(COUNTED):
        assert len(pairs) == figure.value, figure.key
    elif figure.key.startswith(SUMMED):
        assert round(sum(values), 1) == round(Decimal(str(figure.value)), 1), figure.key
    elif figure.key in ("feedback.mean", "people.sessions_per_participant"):
        assert round(sum(values) / len(values), 1) == figure.value
    elif figure.key == "people.attendance_rate":
        assert round(100 * values.count("present") / len(values)) == figure.value
    else:
        assert figure.key == "outcomes.answer_share" and len(pairs) == 3


def test_every_figure_opens_the_records_that_make_it(seeded, program):
    report = mentoring_report(program, START, END)
    figures = report_figures(report)
    linked = [figure for figure in figures if figure.linked]
    assert {figure.section for figure in linked} >= {"totals", "kinds", "regions", "tours", "people", "outcomes"}
    for figure in linked:
        _check_adds_up(figure, figure_records(report, figure))
    sheet = [(figure.key, record.pk) for figure, record, _value in all_figure_records(report, figures)]
    assert sheet == [(figure.key, record.pk) for figure in linked for record, _v in figure_records(report, figure)]


def test_every_figure_on_the_page_is_a_link_to_a_page_of_its_records(seeded, client, program, manager):
    client.force_login(manager)
    page = client.get(reverse("mentoring:report"), seeded["query"]).content.decode()
    for figure in report_figures(mentoring_report(program, START, END)):
        if figure.linked:
            on_page = not figure.key.startswith("hours.")  # hours by kind are in the downloads only
            assert not on_page or f'figure={figure.key}" data-figure="{figure.key}"' in page, figure.key
            response = client.get(*_records_url(seeded["query"], figure.key))
            assert response.status_code == 200
            if figure.key.startswith(COUNTED):
                assert response.context["page"].paginator.count == figure.value, figure.key
    assert 'data-testid="total-group">1<' in page


def test_the_checkin_records_name_the_venture_month_status_and_lateness(seeded, client, manager, cohort):
    client.force_login(manager)
    response = client.get(*_records_url(seeded["query"], "outcomes.revenue"))
    body = response.content.decode()
    assert body.count('data-testid="record"') == 3
    assert reverse("cohorts:checkins", args=[cohort.slug, cohort.ventures.get(name="Prints").pk]) in body
    assert ">late<" in body and "-200" in body
    ventures = client.get(*_records_url(seeded["query"], "outcomes.revenue_ventures")).content.decode()
    assert "Studio" in ventures and "Prints" not in ventures


def test_hidden_counts_of_people_open_nothing(seeded, client, program, manager):
    client.force_login(manager)
    figures = report_figures(mentoring_report(program, START, END))
    hidden = [figure for figure in figures if figure.value == SUPPRESSED]
    assert "gender.man" in {figure.key for figure in hidden}
    page = client.get(reverse("mentoring:report"), seeded["query"]).content.decode()
    for figure in hidden:
        assert f'<span data-figure="{figure.key}"' in page
        assert client.get(*_records_url(seeded["query"], figure.key)).status_code == 404


def test_a_count_the_total_would_give_away_opens_nothing_either(clock, client, program, cohort, region, kinds, mentor,
                                                                 manager):  # fmt: skip
    """Six women, five men, two of another gender: hiding the two alone would let the total give them away, so the
    five men are hidden too, and their records with them."""
    people = (
        _people(cohort, region, 6)
        + _people(cohort, region, 5, gender="man")
        + _people(cohort, region, 2, gender="other")
    )
    _log(program, kinds["workshop"], mentor, people)
    figures = {figure.key: figure for figure in report_figures(mentoring_report(program, START, END))}
    assert (figures["gender.woman"].value, figures["gender.man"].value) == (6, SUPPRESSED)
    client.force_login(manager)
    query = {"program": program.slug, **QUERY}
    assert client.get(*_records_url(query, "gender.man")).status_code == 404
    assert client.get(*_records_url(query, "gender.woman")).status_code == 200


def test_only_the_programs_managers_reach_the_records(
    seeded, client, manager, mentor, mentee, participant, other_manager, stranger
):
    url, query = _records_url(seeded["query"], "totals.group")
    for person in (mentor, mentee, participant, other_manager, stranger):
        client.force_login(person)
        for name in ("mentoring:report_records", "mentoring:report_records_csv"):
            assert client.get(reverse(name), query).status_code in (400, 404), (person, name)
        assert client.get(url, query).status_code == 404, person
    client.logout()
    response = client.get(url, query)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(manager)
    assert client.get(url, query).status_code == 200


@pytest.mark.parametrize(
    "key",
    ["", "nope", "totals", "kinds.999999", "kinds.1 OR 1=1", "totals.group\x00", "../totals.group", "x" * 5000,
     "people.reached ", "gender.%", "outcomes.revenue'--"],
)  # fmt: skip
def test_hostile_figure_keys_are_not_found(key, seeded, client, manager):
    client.force_login(manager)
    # NUL is refused before any view (incubator/odd_input.py)
    assert client.get(*_records_url(seeded["query"], key)).status_code == (400 if "\x00" in key else 404)


def test_odd_dates_and_pages_are_refused_or_read_plainly(seeded, client, manager):
    client.force_login(manager)
    url, query = _records_url(seeded["query"], "totals.group")
    assert client.get(url, {**query, "start": "not a date"}).status_code == 400
    assert client.get(url, {**query, "end": "2025-01-01"}).status_code == 400
    assert client.get(url, {**query, "start": "99999-01-01"}).status_code == 400
    assert client.get(url, {**query, "page": "9999"}).status_code == 200
    assert client.get(url, {**query, "page": "abc"}).status_code == 200


def test_the_xlsx_has_the_figures_then_their_records_in_each_language_direction(seeded, client, program, manager):
    client.force_login(manager)
    workbook = load_workbook(io.BytesIO(client.get(reverse("mentoring:report_xlsx"), seeded["query"]).content))
    assert workbook.sheetnames == ["Mentoring", "Records"]
    rows = [[cell.value for cell in row] for row in workbook["Records"].iter_rows()]
    assert rows[0] == ["Figure", "Section", "Item", "Record", "Record id", "Label", "Date", "Value"]
    keys = [row[0] for row in rows[1:]]
    assert keys.count("outcomes.revenue") == 3 and keys.count("totals.group") == 1
    assert "gender.man" not in keys  # a hidden count of people
    revenue = [row for row in rows if row[0] == "outcomes.revenue"]
    assert sorted(row[7] for row in revenue) == [-300, -200, 1000] and revenue[0][3] == "check-in"
    with translation.override("he"):
        client.cookies["django_language"] = "he"
        response = client.get(reverse("mentoring:report_xlsx"), seeded["query"], HTTP_ACCEPT_LANGUAGE="he")
    workbook = load_workbook(io.BytesIO(response.content))
    assert all(sheet.sheet_view.rightToLeft for sheet in workbook.worksheets)


def test_the_records_csv_is_audited_about_the_program(seeded, client, program, manager, monkeypatch):
    recorded = []
    monkeypatch.setattr("incubator.exports.audit_record", lambda **entry: recorded.append(entry))
    client.force_login(manager)
    response = client.get(reverse("mentoring:report_records_csv"), seeded["query"])
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Figure" and sum(row[0] == "outcomes.answering" for row in rows) == 2
    assert not [row for row in rows if row[0] == "gender.man"]
    assert [(entry["action"], entry["obj"]) for entry in recorded] == [("export.csv", program)]
    page = client.get(reverse("mentoring:report"), seeded["query"]).content.decode()
    assert 'data-testid="report-records-csv"' in page


@pytest.mark.parametrize("ventures", [5, 500])
def test_the_page_and_the_xlsx_run_a_fixed_number_of_queries_for_5_or_500_ventures_over_24_months(
    ventures, clock, client, program, cohort, kinds, mentor, mentee, manager, django_assert_num_queries
):
    _log(program, kinds["individual"], mentor, [mentee])
    asking_checkins(program)
    cohort.starts_on, cohort.ends_on = datetime.date(2024, 12, 1), datetime.date(2026, 11, 30)
    cohort.save()
    big_world(cohort, ventures, 24)
    client.force_login(manager)
    query = {"program": program.slug, "start": "2024-12-01", "end": END.isoformat()}
    # session, user, managed program ids, programs for the form (exists, first, chosen, and two cursors over the
    # choices as the select renders), the report's four, the outcomes' four, the alumni surveys' cohorts (none), role
    # groups (nav)
    with django_assert_num_queries(18):
        response = client.get(reverse("mentoring:report"), query)
    assert f'data-testid="outcomes.answering">{ventures}<' in response.content.decode()
    # session, user, managed program ids, programs (exists, first, chosen), the report's nine; the records of the
    # linked figures (the one participant's counts are hidden): the sessions, the feedback, and twice the outcome
    # metrics with the check-ins (for the check-ins and for the ventures); the audit's context and entry
    with django_assert_num_queries(22):
        response = client.get(reverse("mentoring:report_xlsx"), query)
    records = load_workbook(io.BytesIO(response.content))["Records"]
    assert sum(1 for row in records.iter_rows(values_only=True) if row[0] == "outcomes.answering") == ventures
