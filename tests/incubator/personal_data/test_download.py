"""Download everything about me: my data and files from every app, nothing of other people's, in a fixed number of
queries."""

import json

from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incubator import personal_data
from incubator.personal_data import personal_data_export
from tests.applications.factories import PDF_BYTES
from tests.applications.scoring.factories import score
from tests.audit_trail import actions
from tests.factories import UserFactory
from tests.incubator.personal_data_world import apply, scored_call, stored_files_of, unzip


def test_export_holds_the_persons_account_applications_profile_memberships_and_files(world):
    data, files = unzip(personal_data_export(user=world.amina))

    assert data["account"]["email"] == "amina@example.org"
    assert data["account"]["name"] == "Amina Owner"
    assert data["account"]["email_addresses"] == [{"email": "amina@example.org", "verified": True, "primary": True}]
    assert "Participant" in data["account"]["roles"]
    (application,) = data["applications"]["applications"]
    assert application["full_name"] == "Amina Owner"
    assert application["status"] == "accepted"
    assert application["date_of_birth"] == "1999-04-02"
    assert {"question": "Project name", "value": "Gnaoua Lab"} in application["answers"]
    assert application["team"] == [{"name": "Sara Partner", "email": "sara@example.org", "role": "designer"}]
    assert [version["number"] for version in application["versions"]] == [1]
    (pdf,) = application["files"]
    assert pdf["name"] == "Gnaoua Lab.pdf"
    assert files[f"files/applications/{pdf['in_zip']}"] == PDF_BYTES

    cohorts = data["cohorts"]
    assert cohorts["profile"]["headline"] == "Weaver from the Rif"
    assert cohorts["profile"]["contact_phone"] == "+212 600 000 001"
    assert files[f"files/cohorts/{cohorts['profile']['photo']}"].startswith(b"\x89PNG")
    assert [(m["cohort"], m["status"], m["region"]) for m in cohorts["memberships"]] == [
        (world.cohort.name, "active", "North")
    ]
    assert [p["title"] for p in cohorts["board_posts"]] == ["Amina needs a loom"]
    assert [a["body"] for a in cohorts["board_answers"]] == ["Amina wants it"]
    assert [i["title"] for i in cohorts["initiatives"]] == ["Shared catalogue"]
    assert [u["text"] for u in cohorts["initiative_updates"]] == ["Photographed ten pieces"]
    assert len(actions(action="personal_data.export", actor=world.amina)) == 1


def test_export_holds_nothing_of_other_people(world):
    archive = personal_data_export(user=world.amina)
    data, files = unzip(archive)
    text = json.dumps(data)

    for other in ("Bilal", "bilal@example.org", "Karim", "Carla", "carla@example.org", "Rita", "strong weaver"):
        assert other not in text
    assert len(files) == 2  # her application's file and her photo
    bilal_file = stored_files_of(world.bilal_app)[0]
    assert all(not name.endswith(bilal_file.rsplit("/", 1)[-1]) for name in files)
    assert PDF_BYTES + b"%b" not in files.values()


def test_a_reviewer_gets_the_reviews_they_wrote_and_a_manager_of_another_program_nothing_of_this_one(world):
    data, _files = unzip(personal_data_export(user=world.rita))
    assert {(r["recommendation"], r["comment"]) for r in data["applications"]["reviews_written"]} == {
        ("yes", "Amina is a strong weaver"),
        ("yes", "Bilal lacks a plan"),
    }
    assert data["applications"]["applications"] == []

    elsewhere = UserFactory(name="Ezra Elsewhere", is_staff=True)
    scored_call("elsewhere").cohort.program.managers.add(elsewhere)
    data, files = unzip(personal_data_export(user=elsewhere))
    text = json.dumps(data)
    assert "Amina" not in text and "Gnaoua" not in text and files == {}
    assert data["cohorts"]["programs_managed"] == ["Elsewhere-Program"]


def export_queries(user) -> int:
    with CaptureQueriesContext(connection) as queries:
        personal_data_export(user=user)
    return len(queries)


def test_export_runs_a_fixed_number_of_queries_whatever_the_number_of_rows(world, django_assert_num_queries):
    # Account: 1 email addresses, 2 roles, 3 notifications, 4 API tokens, 5 audit actions. Cohorts: 6 profile,
    # 7 memberships, 8 the program's notes on them, 9 venture teams, 10 posts, 11 answers, 12 initiatives,
    # 13 progress notes, 14-17 programs managed / reviewed / mentored and cohorts mentored, 18 role invitations
    # received, 19-20 check-ins sent and their answers. Applications: 21 applications with call and region,
    # 22 questions, 23 team, 24 files, 25 versions, 26 reviews written (their scores: none written, no query).
    # Mentoring: 27 mentor profile, 28 participant profile, 29 assignments, 30 sessions attended, 31 sessions
    # facilitated, 32 action items, 33 feedback. Workspaces: 34 bookings, 35 ledger lines, 36 inductions. 37 the
    # audit entry of the export.
    with django_assert_num_queries(37):
        personal_data_export(user=world.amina)
    assert export_queries(world.bilal) == 36
    for number in range(3):
        apply(scored_call(f"more-{number}"), world.bilal, project=f"Project {number}", partner="Zed Partner")
    assert export_queries(world.bilal) == 36

    # A reviewer without applications of her own: no prefetch of applications' rows (21-25 become one, the
    # applications), and one more for the scores of her reviews, however many she wrote.
    assert export_queries(world.rita) == 33
    for number in range(3):
        call = scored_call(f"reviewed-{number}")
        score(apply(call, UserFactory(), project=f"Reviewed {number}", partner="Pia Partner"), world.rita, 4)
    assert export_queries(world.rita) == 33


def test_a_missing_stored_file_is_listed_rather_than_failing_the_download(world):
    default_storage.delete(stored_files_of(world.amina_app)[0])
    data, files = unzip(personal_data_export(user=world.amina))
    assert len(data["missing_files"]) == 1 and len(files) == 1


def test_zip_names_stay_under_the_sections_folder(db):
    assert personal_data._zip_name("cohorts", "../../etc/passwd") == "files/cohorts/etc/passwd"
    assert personal_data._zip_name("cohorts", "/abs/photo.png") == "files/cohorts/abs/photo.png"
