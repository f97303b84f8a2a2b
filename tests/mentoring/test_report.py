"""The funder report: SQL counts in a fixed number of queries, people counts under 5 hidden, CSV and XLSX."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mentoring import services
from mentoring.figures import SECTIONS, report_figures
from mentoring.models import ParticipantProfile
from mentoring.report import mentoring_report, people_cells
from mentoring.report_templates import SECTION_NAMES
from tests.factories import UserFactory, accept
from tests.mentoring.conftest import PAST

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def test_people_cells_hide_small_counts_and_what_the_total_would_give_away():
    assert people_cells([12, 7, 0]) == [12, 7, "<5"]
    assert people_cells([12, 3, 8]) == [12, "<5", "<5"]
    assert people_cells([2, 3, 20]) == ["<5", "<5", 20]


def _people(cohort, region, count, *, consent=True, gender="woman", birth_year=2000):
    people = []
    for _ in range(count):
        person = accept(cohort, UserFactory(), region=region).person
        ParticipantProfile.objects.create(user=person, gender=gender, birth_year=birth_year, consent=consent)
        people.append(person)
    return people


def _group(program, kinds, mentor, people, *, at=PAST, absent=()):
    session, _ = services.session_log(
        program=program, kind=kinds["workshop"], starts_at=at, minutes=120, participants=people, summary="s", by=mentor
    )
    statuses = {p.pk: ("absent" if p in absent else "present") for p in people}
    services.attendance_mark(session=session, statuses=statuses, by=mentor)
    return session


def test_counts_by_kind_region_and_people(program, cohort, region, kinds, mentor, mentee, manager):
    women = _people(cohort, region, 6)
    men = _people(cohort, region, 2, gender="man", birth_year=1980)
    hidden = _people(cohort, region, 1, consent=False)
    _group(program, kinds, mentor, women + men + hidden, absent=[women[0]])
    individual, _ = services.session_log(
        program=program,
        kind=kinds["individual"],
        starts_at=PAST + datetime.timedelta(hours=2),
        minutes=90,
        participants=[mentee],
        summary="s",
        by=mentor,
    )  # fmt: skip  (after the workshop: the mentor cannot lead both at once)
    services.feedback_give(session=individual, rating=4, comment="", anonymous=False, by=mentee)
    report = mentoring_report(program, START, END)
    assert report.totals["individual"] == 1 and report.totals["group"] == 1
    assert report.totals["hours"] == 3.5
    assert report.regions == [{"id": region.pk, "name": "Jerusalem", "individual": 1, "group": 1, "series": 0}]
    # 9 invited to the workshop, 8 came; the mentee came to theirs: 9 people reached, 9 of 10 attendances.
    assert report.people == {"reached": 9, "attendance_rate": 90, "sessions_per_participant": 1.0}
    assert report.feedback == {"mean": 4.0, "count": 1}
    gender = {str(label): cell for _code, label, cell in report.gender}
    # 5 women came (one was absent), 2 men, and 2 without consent (the mentee and `hidden`).
    assert gender == {"woman": 5, "man": "<5", "another gender": "<5", "not given": "<5"}
    age = {str(label): cell for _code, label, cell in report.age}
    assert age["25–29"] == 5 and age["45–64"] == "<5"


def test_a_period_outside_the_sessions_counts_nothing(program, kinds, mentor, mentee, held):
    report = mentoring_report(program, datetime.date(2027, 1, 1), datetime.date(2027, 12, 31))
    assert report.totals["individual"] == 0 and report.people["reached"] == 0


def _many(program, cohort, region, kinds, mentor, count):
    people = _people(cohort, region, 6)
    for i in range(count):
        _group(program, kinds, mentor, people, at=PAST - datetime.timedelta(hours=3 * i))


@pytest.mark.parametrize("count", [1, 200])
def test_the_report_runs_six_queries_for_1_or_200_sessions(
    count, program, cohort, region, kinds, mentor, django_assert_num_queries
):
    _many(program, cohort, region, kinds, mentor, count)
    # kinds with regions, tours' activities, attendance with demographics, feedback; the outcome metrics (none: the
    # program asks no check-ins, tests/mentoring/test_report_outcomes.py counts the rest); the cohorts whose alumni
    # survey went out in the period (none)
    with django_assert_num_queries(6):
        report = mentoring_report(program, START, END)
    assert report.totals["group"] == count


@pytest.mark.parametrize("count", [1, 200])
def test_the_report_page_runs_a_fixed_number_of_queries(
    count, client, program, cohort, region, kinds, mentor, manager, django_assert_num_queries
):
    _many(program, cohort, region, kinds, mentor, count)
    client.force_login(manager)
    # session, user, managed program ids, programs for the form (exists, first, chosen, and two cursors over the
    # choices as the select renders), the report's four, the outcome metrics (none), the cohorts whose alumni survey
    # went out in the period (none), role groups (nav)
    with django_assert_num_queries(15):
        response = client.get(reverse("mentoring:report"), {"program": program.slug, "start": START, "end": END})
    assert response.status_code == 200
    assert f'data-testid="total-group">{count}<' in response.content.decode()


def test_exports(client, program, cohort, region, kinds, mentor, manager):
    _many(program, cohort, region, kinds, mentor, 3)
    client.force_login(manager)
    query = {"program": program.slug, "start": START, "end": END}
    response = client.get(reverse("mentoring:report_csv"), query)
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Totals", "Group sessions", "3"] in rows
    assert ["People", "Participants reached", "6"] in rows
    response = client.get(reverse("mentoring:report_xlsx"), query)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert ["Totals", "Group sessions", 3] in values


def test_only_managers_of_the_program_see_its_report(
    client, program, held, manager, mentor, mentee, other_manager, outsider
):
    query = {"program": program.slug, "start": START, "end": END}
    for person in (mentor, mentee, outsider):
        client.force_login(person)
        for name in ("report", "report_csv", "report_xlsx"):
            assert client.get(reverse(f"mentoring:{name}"), query).status_code == 404
    client.force_login(other_manager)
    for name in ("report", "report_csv", "report_xlsx"):
        response = client.get(reverse(f"mentoring:{name}"), query)
        assert response.status_code == 400
        assert program.name not in response.content.decode()
    client.force_login(manager)
    assert client.get(reverse("mentoring:report"), {**query, "end": "2025-01-01"}).status_code == 400
    assert client.get(reverse("mentoring:report"), {**query, "start": "not a date"}).status_code == 400


def test_exports_are_audited_about_the_program(client, program, cohort, region, kinds, mentor, manager, monkeypatch):
    recorded = []
    monkeypatch.setattr("incubator.exports.audit_record", lambda **entry: recorded.append(entry))
    client.force_login(manager)
    query = {"program": program.slug, "start": START, "end": END}
    for name in ("report_csv", "report_xlsx"):
        client.get(reverse(f"mentoring:{name}"), query)
    assert [(entry["action"], entry["obj"]) for entry in recorded] == [
        ("export.csv", program),
        ("export.xlsx", program),
    ]


def test_every_figure_has_its_own_key(program, kinds, mentor, mentee, held):
    figures = report_figures(mentoring_report(program, START, END))
    assert len({figure.key for figure in figures}) == len(figures)
    assert {figure.section for figure in figures} <= set(SECTIONS)


def test_every_section_a_template_can_pick_has_a_name():
    assert set(SECTION_NAMES) == set(SECTIONS)
