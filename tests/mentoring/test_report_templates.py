"""Funders' report templates and submitted reports: the youth figure, freezing, the pages and who may open them."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from mentoring import services
from mentoring.figures import report_figures
from mentoring.models import ParticipantProfile, ReportSnapshot, ReportTemplate
from mentoring.report import mentoring_report
from mentoring.report_templates import (
    TemplateData,
    report_submit,
    report_template_create,
    report_template_delete,
    report_template_update,
)
from tests.factories import RegionFactory, UserFactory, accept, program_manager
from tests.mentoring.conftest import PAST

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def _people(cohort, region, count, *, gender="woman", birth_year=2000, consent=True):
    people = []
    for _ in range(count):
        person = accept(cohort, UserFactory(), region=region).person
        ParticipantProfile.objects.create(user=person, gender=gender, birth_year=birth_year, consent=consent)
        people.append(person)
    return people


def _group(program, kinds, mentor, people, *, at=PAST):
    session, _ = services.session_log(
        program=program, kind=kinds["workshop"], starts_at=at, minutes=120, participants=people, summary="s", by=mentor
    )
    services.attendance_mark(session=session, statuses={p.pk: "present" for p in people}, by=mentor)
    return session


@pytest.fixture
def kinds(program):
    return {kind.code: kind for kind in services.session_kinds_ensure(program)}


@pytest.fixture
def attended(program, cohort, region, kinds, mentor):
    """A workshop of 6 young women of Jerusalem, 5 young men of the north and 2 older men of Jerusalem."""
    north = RegionFactory(program=program, name="North", position=2)
    people = _people(cohort, region, 6) + _people(cohort, north, 5, gender="man", birth_year=2001)
    people += _people(cohort, region, 2, gender="man", birth_year=1980)
    return _group(program, kinds, mentor, people)


def _template(program, manager, *, name="EU youth programme", language="fr", sections=("youth", "people")):
    data = TemplateData(name=name, funder="European Union", language=language, sections=list(sections))
    return report_template_create(program=program, data=data, by=manager)


# The youth figure


def test_youth_counts_people_aged_18_to_29_by_region_of_membership_and_gender(program, region, attended):
    report = mentoring_report(program, START, END)
    genders = [code for code, _label in report.youth["genders"]]
    assert genders == ["woman", "man", "other", "-"]
    rows = {row["name"]: row["cells"] for row in report.youth["rows"]}
    # The two men born in 1980 are 46: not young. Zero and small cells are hidden.
    assert rows == {"Jerusalem": [6, "<5", "<5", "<5"], "North": ["<5", 5, "<5", "<5"]}
    assert [row["name"] for row in report.youth["rows"]] == ["Jerusalem", "North"]
    figures = {f.key: f.value for f in report_figures(report) if f.section == "youth"}
    assert figures[f"youth.{region.pk}.woman"] == 6


def test_a_single_small_youth_cell_hides_the_next_smallest_of_its_region(program, cohort, region, kinds, mentor):
    _group(program, kinds, mentor, _people(cohort, region, 7) + _people(cohort, region, 2, gender="man")
           + _people(cohort, region, 6, gender="other"))  # fmt: skip
    report = mentoring_report(program, START, END)
    assert report.youth["rows"][0]["cells"] == [7, "<5", "<5", "<5"]


def test_the_youth_table_is_on_the_report_page(client, program, attended, manager):
    client.force_login(manager)
    response = client.get(reverse("mentoring:report"), {"program": program.slug, "start": START, "end": END})
    page = response.content.decode()
    assert 'data-testid="youth"' in page and "North" in page
    assert reverse("mentoring:report_templates", args=[program.slug]) in page


# Services


def test_submitting_freezes_the_figures_in_the_templates_order_and_language(program, attended, manager, kinds):
    template = _template(program, manager, sections=["people", "youth"])
    snapshot = report_submit(template=template, start=START, end=END, by=manager)
    sections = [figure["section"] for figure in snapshot.figures]
    assert sections == sorted(sections, key=["people", "youth"].index) and set(sections) == {"people", "youth"}
    with translation.override("fr"):
        reached = translation.gettext("Participants reached")
    assert reached != "Participants reached"
    first = snapshot.figures[0]
    assert set(first) == {"section", "key", "heading", "item", "value"}
    assert (first["key"], first["item"], first["value"]) == ("people.reached", reached, 13)
    assert (snapshot.language, snapshot.title, snapshot.submitted_by) == ("fr", "EU youth programme", manager)


def test_later_sessions_and_template_changes_do_not_alter_a_submitted_report(
    program, cohort, region, attended, manager, kinds, mentor
):
    template = _template(program, manager)
    snapshot = report_submit(template=template, start=START, end=END, by=manager)
    frozen = list(snapshot.figures)
    _group(program, kinds, mentor, _people(cohort, region, 9), at=PAST + datetime.timedelta(days=1))
    attended.attendances.update(status="absent")
    report_template_update(
        template=template,
        data=TemplateData(name="Renamed", funder="Someone else", language="he", sections=["totals"]),
        by=manager,
    )
    snapshot.refresh_from_db()
    assert snapshot.figures == frozen
    assert (snapshot.title, snapshot.funder, snapshot.language) == ("EU youth programme", "European Union", "fr")
    report_template_delete(template=template, by=manager)
    snapshot.refresh_from_db()
    assert snapshot.template is None and snapshot.figures == frozen


def test_a_report_sent_twice_at_once_is_submitted_once(program, manager):
    template = _template(program, manager)
    first = report_submit(template=template, start=START, end=END, by=manager)
    assert report_submit(template=template, start=START, end=END, by=manager) == first
    assert report_submit(template=template, start=START, end=END - datetime.timedelta(days=1), by=manager) != first
    assert ReportSnapshot.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (TemplateData("eu YOUTH programme", "EU", "fr", ["youth"]), "name"),
        (TemplateData("Other", "EU", "fr", ["youth", "nonsense"]), "sections"),
        (TemplateData("Other", "EU", "fr", []), "sections"),
        (TemplateData("Other", "EU", "fr", ["youth", "youth"]), "sections"),
        (TemplateData("Other", "EU", "xx", ["youth"]), "language"),
        (TemplateData("   ", "EU", "fr", ["youth"]), "name"),
    ],
)
def test_a_template_is_refused_with_the_field_at_fault(program, manager, data, field):
    _template(program, manager)
    with pytest.raises(ValidationError) as error:
        report_template_create(program=program, data=data, by=manager)
    assert field in error.value.message_dict


def test_the_database_refuses_an_empty_template_and_a_period_ending_before_it_starts(program, manager):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportTemplate.objects.create(program=program, name="x", funder="y", language="fr", sections=[])
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportTemplate.objects.create(program=program, name="x", funder="y", language="xx", sections=["people"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportSnapshot.objects.create(program=program, title="x", funder="y", language="fr", start=END, end=START)


def test_only_the_programs_managers_keep_its_templates(program, other_manager, manager):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _template(program, other_manager)
    template = _template(program, manager)
    with pytest.raises(PermissionDenied):
        report_submit(template=template, start=START, end=END, by=other_manager)


# Pages


def _urls(program, template, snapshot) -> list[tuple[str, str]]:
    """(method, url) of every report template page."""
    slug = program.slug
    return [
        ("get", reverse("mentoring:report_templates", args=[slug])),
        ("get", reverse("mentoring:report_template_create", args=[slug])),
        ("post", reverse("mentoring:report_template_create", args=[slug])),
        ("get", reverse("mentoring:report_template_report", args=[slug, template.pk])),
        ("get", reverse("mentoring:report_template_edit", args=[slug, template.pk])),
        ("post", reverse("mentoring:report_template_edit", args=[slug, template.pk])),
        ("get", reverse("mentoring:report_template_delete", args=[slug, template.pk])),
        ("post", reverse("mentoring:report_template_delete", args=[slug, template.pk])),
        ("get", reverse("mentoring:report_template_submit", args=[slug, template.pk])),
        ("post", reverse("mentoring:report_template_submit", args=[slug, template.pk])),
        ("get", reverse("mentoring:report_snapshot", args=[slug, snapshot.pk])),
        ("get", reverse("mentoring:report_snapshot_csv", args=[slug, snapshot.pk])),
        ("get", reverse("mentoring:report_snapshot_xlsx", args=[slug, snapshot.pk])),
    ]


@pytest.fixture
def submitted(program, manager):
    template = _template(program, manager)
    return template, report_submit(template=template, start=START, end=END, by=manager)


@pytest.mark.parametrize("persona", ["other_manager", "mentor", "participant", "mentee"])
def test_nobody_but_the_programs_managers_opens_the_pages(client, request, program, submitted, persona):
    template, snapshot = submitted
    client.force_login(request.getfixturevalue(persona))
    for method, url in _urls(program, template, snapshot):
        assert getattr(client, method)(url, {"start": "2026-01-01", "end": "2026-12-31"}).status_code == 404, url
    assert ReportTemplate.objects.filter(pk=template.pk).exists() and ReportSnapshot.objects.count() == 1


def test_a_manager_of_another_program_cannot_reach_this_programs_rows_through_their_own(
    client, program, submitted, other_program, other_manager
):
    template, snapshot = submitted
    client.force_login(other_manager)
    for method, url in _urls(other_program, template, snapshot)[3:]:
        assert getattr(client, method)(url).status_code == 404, url


def test_anonymous_people_are_sent_to_sign_in(client, program, submitted):
    for method, url in _urls(program, *submitted):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_manager_creates_a_template_with_sections_in_the_order_typed(client, program, manager):
    client.force_login(manager)
    url = reverse("mentoring:report_template_create", args=[program.slug])
    assert client.get(url).status_code == 200
    posted = {"name": "Ministry", "funder": "Ministry of Interior", "language": "he",
              "sections": ["totals", "people", "kinds"], "order_people": "1", "order_totals": "2"}  # fmt: skip
    response = client.post(url, posted)
    assert response.status_code == 302
    template = ReportTemplate.objects.get(program=program)
    # Numbered sections first, by their number; an unnumbered one after them.
    assert template.sections == ["people", "totals", "kinds"]
    edit = client.get(reverse("mentoring:report_template_edit", args=[program.slug, template.pk])).content.decode()
    assert 'value="people" id="section-people" checked' in edit and 'name="order_kinds" value="3"' in edit


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sections": ["youth", "bogus"]}, "is not one of the available choices"),
        ({"sections": []}, "Choose at least one section."),
        ({"name": "eu youth PROGRAMME"}, "already has a template named"),
        ({"language": "xx"}, "is not one of the available choices"),
        ({"order_youth": "abc"}, "Enter a whole number."),
        ({"order_youth": "-3"}, "greater than or equal to 1"),
        ({"name": ""}, "This field is required."),
    ],
)
def test_bad_template_input_is_refused_with_a_message_and_kept(client, program, manager, change, message):
    _template(program, manager)
    client.force_login(manager)
    posted = {"name": "Bank", "funder": "The bank", "language": "he", "sections": ["youth"]} | change
    response = client.post(reverse("mentoring:report_template_create", args=[program.slug]), posted)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'value="The bank"' in page
    assert ReportTemplate.objects.count() == 1


def test_deleting_a_template_asks_first(client, program, submitted, manager):
    template, snapshot = submitted
    client.force_login(manager)
    url = reverse("mentoring:report_template_delete", args=[program.slug, template.pk])
    assert 'data-testid="delete-confirm"' in client.get(url).content.decode()
    assert ReportTemplate.objects.filter(pk=template.pk).exists()
    assert client.post(url).status_code == 302
    assert not ReportTemplate.objects.filter(pk=template.pk).exists()
    assert ReportSnapshot.objects.filter(pk=snapshot.pk).exists()


def test_the_report_through_a_template_then_submitted_after_confirming(client, program, attended, manager):
    template = _template(program, manager, sections=["youth"])
    client.force_login(manager)
    period = {"start": "2026-01-01", "end": "2026-12-31"}
    page = client.get(reverse("mentoring:report_template_report", args=[program.slug, template.pk]), period)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="fr" dir="ltr"' in html and "Jerusalem" in html
    submit = reverse("mentoring:report_template_submit", args=[program.slug, template.pk])
    assert f"{submit}?start=2026-01-01&amp;end=2026-12-31" in html
    assert 'data-testid="submit-confirm"' in client.get(submit, period).content.decode()
    assert not ReportSnapshot.objects.exists()
    response = client.post(submit, period | {"note": "Sent by email to the officer"})
    snapshot = ReportSnapshot.objects.get()
    assert response["Location"] == reverse("mentoring:report_snapshot", args=[program.slug, snapshot.pk])
    assert (snapshot.start, snapshot.end, snapshot.note) == (START, END, "Sent by email to the officer")
    shown = client.get(response["Location"]).content.decode()
    assert "Mona Manager" in shown and 'lang="fr"' in shown


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ({"start": "2026-12-31", "end": "2026-01-01"}, "The period must end after it starts."),
        ({"start": "2026-02-30", "end": "2026-12-31"}, "Enter a valid date."),
        ({"start": "99999-01-01", "end": "2026-12-31"}, "Enter a valid date."),
        ({"start": "0001-01-01", "end": "2026-12-31"}, ""),
        ({"start": "yesterday", "end": ""}, "This field is required."),
    ],
)
def test_odd_periods_are_refused_with_a_message(client, program, manager, period, message):
    template = _template(program, manager)
    client.force_login(manager)
    for name in ("report_template_report", "report_template_submit"):
        url = reverse(f"mentoring:{name}", args=[program.slug, template.pk])
        response = client.get(url, period)
        assert response.status_code == 400 and message in response.content.decode()
    response = client.post(reverse("mentoring:report_template_submit", args=[program.slug, template.pk]), period)
    assert response.status_code == 400 and not ReportSnapshot.objects.exists()


def test_a_french_date_typed_in_a_french_page_is_kept(client, program, manager):
    template = _template(program, manager)
    client.force_login(manager)
    with translation.override("fr"):
        url = reverse("mentoring:report_template_report", args=[program.slug, template.pk])
    # 1 February, not 2 January: shown back as the date input reads it.
    page = client.get(url, {"start": "01/02/2026", "end": "31/12/2026"}).content.decode()
    assert 'name="start" value="2026-02-01"' in page and 'name="end" value="2026-12-31"' in page
    assert "start=2026-02-01&amp;end=2026-12-31" in page


def test_the_snapshot_downloads_in_its_language(client, program, attended, manager):
    template = _template(program, manager, language="he", sections=["people"])
    snapshot = report_submit(template=template, start=START, end=END, by=manager)
    client.force_login(manager)
    response = client.get(reverse("mentoring:report_snapshot_csv", args=[program.slug, snapshot.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    with translation.override("he"):
        assert rows[0][0] == translation.gettext("Section")
    assert [row[2] for row in rows if row[1] == snapshot.figures[0]["item"]] == ["13"]
    response = client.get(reverse("mentoring:report_snapshot_xlsx", args=[program.slug, snapshot.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.sheet_view.rightToLeft


def test_a_snapshot_page_is_in_its_language_right_to_left(client, program, manager):
    template = _template(program, manager, language="ar", sections=["people"])
    snapshot = report_submit(template=template, start=START, end=END, by=manager)
    client.force_login(manager)
    page = client.get(reverse("mentoring:report_snapshot", args=[program.slug, snapshot.pk])).content.decode()
    assert 'lang="ar" dir="rtl"' in page


# Query counts


@pytest.mark.parametrize("count", [1, 15])
def test_the_list_page_runs_a_fixed_number_of_queries(client, program, manager, count, django_assert_num_queries):
    for i in range(count):
        template = _template(program, manager, name=f"Funder {i}")
        report_submit(template=template, start=START, end=END, by=manager)
    client.force_login(manager)
    url = reverse("mentoring:report_templates", args=[program.slug])
    # session, user, the program, is its manager, templates (count, page), snapshots with who submitted (count,
    # page), role groups (nav)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count('data-testid="snapshots"') == 1
    assert response.content.decode().count("/reports/templates/") >= count


@pytest.mark.parametrize("count", [1, 15])
def test_the_snapshot_page_runs_a_fixed_number_of_queries(
    client, program, cohort, region, kinds, mentor, manager, count, django_assert_num_queries
):
    for i in range(count):
        people = _people(cohort, RegionFactory(program=program, name=f"R{i}"), 1)
        _group(program, kinds, mentor, people, at=PAST - datetime.timedelta(hours=3 * i))
    template = _template(program, manager, sections=["youth", "kinds", "regions"])
    snapshot = report_submit(template=template, start=START, end=END, by=manager)
    client.force_login(manager)
    url = reverse("mentoring:report_snapshot", args=[program.slug, snapshot.pk])
    # session, user, the program, is its manager, the snapshot with who submitted it, role groups (nav)
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


# The admin


def test_the_admin_shows_templates_and_snapshots_only_to_their_programs_managers(client, program, other_program):
    staff = program_manager(program, name="Admin Manager")
    template = _template(program, staff, name="Visible funder")
    snapshot = report_submit(template=template, start=START, end=END, by=staff)
    outsider = program_manager(other_program, name="Other Admin")
    for model, obj in (("reporttemplate", template), ("reportsnapshot", snapshot)):
        changelist = reverse(f"admin:mentoring_{model}_changelist")
        change = reverse(f"admin:mentoring_{model}_change", args=[obj.pk])
        client.force_login(staff)
        assert "Visible funder" in client.get(changelist).content.decode()
        assert client.get(change).status_code == 200
        client.force_login(outsider)
        assert "Visible funder" not in client.get(changelist).content.decode()
        assert client.get(change).status_code == 302  # the admin's "doesn't exist"


def test_a_submitted_report_cannot_be_changed_or_deleted_by_a_manager_in_the_admin(client, program):
    staff = program_manager(program)
    snapshot = report_submit(template=_template(program, staff), start=START, end=END, by=staff)
    client.force_login(staff)
    change = reverse("admin:mentoring_reportsnapshot_change", args=[snapshot.pk])
    client.post(
        change, {"title": "Edited", "funder": "x", "language": "en", "start": "2026-01-01", "end": "2026-01-02"}
    )
    assert (
        client.post(reverse("admin:mentoring_reportsnapshot_delete", args=[snapshot.pk]), {"post": "yes"}).status_code
        == 403
    )
    snapshot.refresh_from_db()
    assert snapshot.title == "EU youth programme"


def test_the_demo_has_three_funders_templates_and_kawalis_first_report_submitted(seeded_demo):
    kawalis = ReportTemplate.objects.get(program__slug="kawalis")
    assert (kawalis.language, kawalis.sections) == ("fr", ["youth", "people", "regions"])
    assert set(ReportTemplate.objects.values_list("program__slug", flat=True)) == {
        "kawalis",
        "regional-leaders",
        "bizup",
    }
    snapshot = kawalis.snapshots.get()
    # 18 young people in four regions: every region-and-gender cell is under 5, so hidden; the total is shown.
    youth = {figure["key"]: figure["value"] for figure in snapshot.figures if figure["section"] == "youth"}
    assert len({key.split(".")[1] for key in youth}) == 4 and set(youth.values()) <= {"<5"} | set(range(5, 19))
    reached = next(figure["value"] for figure in snapshot.figures if figure["key"] == "people.reached")
    assert reached == 18
    assert snapshot.submitted_at.date() == datetime.date(2023, 10, 16)


def test_a_youth_figure_opens_the_young_people_it_counts_unless_hidden(program, region, attended):
    from mentoring.report_records import figure_records

    report = mentoring_report(program, START, END)
    figures = {figure.key: figure for figure in report_figures(report)}
    women = figure_records(report, figures[f"youth.{region.pk}.woman"])
    assert len(women) == 6 and all(record.kind == "person" for record, _value in women)
    assert figure_records(report, figures[f"youth.{region.pk}.man"]) == []  # "<5": opens nothing
