"""Delete my account and keep only anonymous counts: what is blanked, removed, withdrawn or kept, all or nothing."""

import datetime
import io
import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.test import TestCase
from django.urls import reverse

from applications.models import Application, ApplicationVersion, TeamMember
from applications.scoring import selectors as scoring_selectors
from applications.scoring.assignments import assignment_create
from applications.scoring.decisions import decisions_record
from applications.scoring.models import (
    ConflictOfInterest,
    CriterionScore,
    Decision,
    Review,
    ReviewerAssignment,
)
from applications.scoring.services import conflict_declare
from applications.services import application_eligibility_override
from cohorts import selectors as cohort_selectors
from cohorts.models import Answer, InitiativeUpdate, MemberProfile, Membership, Post, Venture, VentureMember
from cohorts.services import membership_status_change, venture_create, venture_member_add
from incubator import personal_data
from incubator.models import Notification, User
from incubator.personal_data import ErasureRefused, PersonalDataSection, account_erase, personal_data_export
from tests.applications.factories import PDF_BYTES
from tests.audit_trail import action, actions
from tests.factories import UserFactory, grant
from tests.incubator.personal_data_world import apply, exists, scored_call, stored_files_of, unzip

TODAY = datetime.date(2026, 6, 1)


def test_erasure_blanks_the_application_and_keeps_status_region_decision_and_scores(world):
    ranking_before = [(row.id, row.status, row.region_name, row.mean) for row in scoring_selectors.ranking(world.call)]
    files = stored_files_of(world.amina_app)
    assert files and all(exists(name) for name in files)

    with pytest.raises(PermissionDenied):
        account_erase(user=world.amina, by=world.manager)
    _erase(world.amina)

    application = Application.objects.get(pk=world.amina_app.pk)
    assert (application.full_name, application.phone, application.email, application.date_of_birth) == (
        "",
        "",
        "",
        None,
    )
    assert application.status == "accepted" and application.region.name == "North"
    assert application.decision.outcome == "accept"
    assert application.personal_data_erased_at is not None
    # Only the yes/no answer (a choice among the call's options) is left.
    assert list(application.answers.values()) == ["yes"]
    assert list(TeamMember.objects.filter(application=application).values_list("name", "email", "role")) == [
        ("", "", "designer")
    ]
    version = ApplicationVersion.objects.get(application=application)
    assert "Amina" not in json.dumps(version.data) and "Gnaoua" not in json.dumps(version.data)
    assert version.data["region"] == "North"
    assert not application.files.exists()
    assert not any(exists(name) for name in files)
    review = Review.objects.get(assignment__application=application)
    assert review.comment == "" and review.recommendation == "yes"
    assert CriterionScore.objects.filter(review=review).count() == 2
    ranking_after = [(row.id, row.status, row.region_name, row.mean) for row in scoring_selectors.ranking(world.call)]
    assert ranking_after == ranking_before

    # Bilal's application is untouched.
    bilal = Application.objects.get(pk=world.bilal_app.pk)
    assert bilal.full_name == "Bilal Other" and all(exists(name) for name in stored_files_of(bilal))


def _erase(person):
    """Erase as the page does, running the on-commit work (the files' deletion) as a real commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        account_erase(user=person, by=person)


def test_erasure_keeps_cohort_counts_and_removes_profile_photo_posts_and_team_places(world):
    counts_before = cohort_selectors.dashboard(world.cohort, today=TODAY)
    photo = MemberProfile.objects.get(user=world.amina).photo.name
    assert exists(photo)
    membership_services_status(world)
    assert cohort_selectors.directory_members(world.cohort).count() == 2

    _erase(world.amina)

    assert [m.person for m in cohort_selectors.directory_members(world.cohort)] == [world.carla]
    counts_after = cohort_selectors.dashboard(world.cohort, today=TODAY)
    assert counts_after["member_count"] == counts_before["member_count"] == 2
    assert counts_after["by_region"] == counts_before["by_region"]
    membership = Membership.objects.get(pk=world.membership.pk)
    assert membership.region.name == "North" and membership.status_reason == personal_data.ERASED
    assert not MemberProfile.objects.filter(user=world.amina).exists()
    assert not exists(photo)
    assert MemberProfile.objects.filter(user=world.carla).exists()
    assert not Post.objects.filter(pk=world.post.pk).exists()
    assert not Answer.objects.filter(pk=world.amina_answer.pk).exists()
    assert Post.objects.filter(pk=world.carla_post.pk).exists()
    assert not VentureMember.objects.filter(user=world.amina).exists()
    assert list(world.initiative.team.all()) == [world.carla]
    update = InitiativeUpdate.objects.get(initiative=world.initiative)
    assert update.author is None and update.text == "Photographed ten pieces"


def membership_services_status(world):
    membership_status_change(membership=world.membership, status="paused", reason="Amina is ill", by=world.manager)


def test_erasure_anonymises_the_account_and_the_address_can_sign_up_again(world, client, password):
    pk = world.amina.pk
    Notification.objects.filter(recipient=world.amina).update(last_error="SMTP 550 amina@example.org")

    _erase(world.amina)

    user = User.objects.get(pk=pk)
    assert user.email == f"erased-{pk}@erased.invalid"
    assert user.name == "" and not user.is_active and not user.has_usable_password()
    assert not user.groups.exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Notification.objects.filter(recipient=user, last_error__contains="amina").exists()
    assert not Notification.objects.filter(recipient=user, status="pending").exists()
    entry = action(action="account.erase")
    assert (entry.actor, entry.object_id) == (None, pk)
    assert "amina" not in json.dumps([entry.before, entry.after, entry.note]).lower()

    assert not client.login(email="amina@example.org", password=password)
    response = client.post(
        reverse("account_signup"),
        {
            "email": "amina@example.org",
            "password1": "a-long-passphrase-2026",
            "password2": "a-long-passphrase-2026",
            "name": "Amina Again",
            "preferred_language": "ar",
            "time_zone": "Africa/Casablanca",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="amina@example.org").pk != pk


def test_erasure_of_a_manager_and_reviewer_removes_their_listings_and_unfinished_reviews(world):
    world.program.reviewers.add(world.rita)
    world.cohort.mentors.add(world.manager)
    later = scored_call("later")
    grant(later.cohort.program, world.rita, "reviewer")
    newcomer = apply(later, UserFactory(name="Nadia New"), project="Later", partner="Lou Partner")
    unfinished = assignment_create(application=newcomer, reviewer=world.rita, by=None)
    conflict_declare_about(world)

    _erase(world.rita)
    _erase(world.manager)

    assert not world.program.reviewers.exists()
    assert not world.program.managers.exists()
    assert not world.cohort.mentors.exists()
    assert not ReviewerAssignment.objects.filter(pk=unfinished.pk).exists()
    # Her submitted reviews still count in the ranking.
    assert Review.objects.filter(assignment__reviewer=world.rita, status="submitted").count() == 2
    assert not ConflictOfInterest.objects.filter(email="maya@example.org").exists()


def conflict_declare_about(world):
    world.manager.email = "maya@example.org"
    world.manager.save(update_fields=["email"])
    conflict_declare(reviewer=world.rita, email="maya@example.org", reason="Her sister", by=world.rita)


def test_erasure_withdraws_an_application_still_in_play_and_drops_its_pending_decision(db):
    call = scored_call("open")
    person = UserFactory(name="Yara Pending")
    application = apply(call, person, project="Pending", partner="Pat Partner")
    decisions_record(applications=[application], outcome="accept", by=None)

    _erase(person)

    application.refresh_from_db()
    assert application.status == "withdrawn" and application.withdrawn_at is not None
    assert not Decision.objects.filter(application=application).exists()


def test_superusers_are_refused_and_nothing_changes(db):
    boss = UserFactory(name="Bea Boss", is_superuser=True, is_staff=True)
    with pytest.raises(ErasureRefused):
        account_erase(user=boss, by=boss)
    boss.refresh_from_db()
    assert boss.is_active and boss.name == "Bea Boss"


def test_a_failing_part_rolls_back_everything_and_keeps_the_files(world, monkeypatch):
    def broken(user):
        raise RuntimeError("disk on fire")

    parts = dict(personal_data._parts)
    parts["broken"] = personal_data._Part(export=lambda user: PersonalDataSection(data={}), erase=broken)
    monkeypatch.setattr(personal_data, "_parts", parts)
    files = stored_files_of(world.amina_app)

    with pytest.raises(RuntimeError):
        _erase(world.amina)

    world.amina.refresh_from_db()
    assert world.amina.is_active and world.amina.name == "Amina Owner"
    assert Application.objects.get(pk=world.amina_app.pk).full_name == "Amina Owner"
    assert MemberProfile.objects.filter(user=world.amina).exists()
    assert all(exists(name) for name in files)


def test_erasure_takes_written_reasons_and_the_persons_name_out_of_audit_rows_and_venture_names(world):
    application_eligibility_override(
        application=world.amina_app, eligibility="eligible", reason="Amina's age checked by phone", by=world.manager
    )
    membership_status_change(membership=world.membership, status="paused", reason="Amina is ill", by=world.manager)
    venture = Venture.objects.get(team__user=world.amina)
    assert venture.name == "Amina Owner"  # her application named no venture: it carried her name
    kilns = venture_create(cohort=world.cohort, by=world.carla, name="Carla Kilns")
    venture_member_add(venture=kilns, email="amina@example.org", role="glazes", by=world.carla)
    entries = actions(action="application.eligibility_override") + actions(action="membership.status")
    assert "Amina" in json.dumps([[e.before, e.after, e.note] for e in entries])

    _erase(world.amina)

    remaining = [entry for entry in actions() if entry.action != "personal_data.export"]
    text = json.dumps([[e.before, e.after, e.note] for e in remaining])
    assert "Amina" not in text and "amina@" not in text
    reviews = apps.get_model("applications", "ReviewEvent").objects.filter(assignment__application=world.amina_app)
    assert reviews.exists() and not reviews.exclude(comment="").exists()
    override = action(action="application.eligibility_override")
    assert override.after == {"eligibility_override": "eligible"} and override.actor == world.manager
    venture.refresh_from_db()
    assert venture.name == f"#{venture.pk}"
    assert list(venture.team.values_list("name", flat=True)) == ["Sara Partner"]
    assert list(kilns.team.values_list("user", flat=True)) == [world.carla.pk]


def test_erasure_signs_the_person_out_everywhere(world, client):
    client.force_login(world.amina)
    assert client.get(reverse("profile_edit")).status_code == 200
    _erase(world.amina)
    assert client.get(reverse("profile_edit")).status_code == 302


def test_an_app_registered_later_is_in_the_download_and_the_erasure(world, monkeypatch):
    """How mentoring and workspaces plug in: a section with data and a stored file, and an erase step."""
    stored = default_storage.save("workspaces/statement.pdf", io.BytesIO(PDF_BYTES))
    erased = []
    monkeypatch.setattr(personal_data, "_parts", dict(personal_data._parts))
    personal_data.register(
        "workspaces",
        export=lambda user: PersonalDataSection(data={"bookings": [1, 2]}, files=[("statement.pdf", stored)]),
        erase=erased.append,
    )
    with pytest.raises(ValueError):
        personal_data.register("account", export=None, erase=None)

    data, files = unzip(personal_data_export(user=world.amina))
    assert data["workspaces"] == {"bookings": [1, 2]}
    assert files["files/workspaces/statement.pdf"] == PDF_BYTES

    _erase(world.amina)
    assert erased == [world.amina]
