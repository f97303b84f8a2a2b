"""Managers' notes on a member, on the member's status page: only the program's managers read and add them, in
every language, the status form beside them untouched."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cohorts.models import MemberNote, Membership
from cohorts.services import member_note_add, membership_status_change
from incubator.personal_data import account_erase
from tests.factories import ProgramFactory, accept, program_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership(member):
    return Membership.objects.get(person=member)


def page(cohort, membership) -> str:
    return reverse("cohorts:membership_status", args=[cohort.slug, membership.pk])


def test_a_manager_adds_a_note_and_sees_it_on_the_member_s_page(client, cohort, membership, manager):
    client.force_login(manager)
    response = client.post(page(cohort, membership), {"which": "note", "note-text": "Wants a pricing mentor."})
    assert response.status_code == 302
    note = MemberNote.objects.get()
    assert (note.membership, note.author, note.text) == (membership, manager, "Wants a pricing mentor.")
    shown = client.get(page(cohort, membership)).content.decode()
    assert "Wants a pricing mentor." in shown
    assert manager.name in shown
    membership.refresh_from_db()
    assert membership.status == "active"


def test_a_blank_note_is_refused_and_keeps_the_page(client, cohort, membership, manager):
    client.force_login(manager)
    response = client.post(page(cohort, membership), {"which": "note", "note-text": "   "})
    assert response.status_code == 200
    assert not MemberNote.objects.exists()
    assert response.context["note_form"].errors


def test_the_status_form_still_changes_the_status(client, cohort, membership, manager):
    client.force_login(manager)
    response = client.post(page(cohort, membership), {"status": "paused", "reason": "Family leave", "on": "2026-04-01"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "paused"
    assert not MemberNote.objects.exists()


@pytest.mark.parametrize("persona", ["member", "mentor", "other_manager"])
def test_nobody_else_reads_or_adds_notes(client, cohort, membership, manager, mentor, persona, member):
    member_note_add(membership=membership, text="Only for managers.", by=manager)
    people = {"member": member, "mentor": mentor}
    client.force_login(people[persona] if persona in people else program_manager(ProgramFactory()))
    assert client.get(page(cohort, membership)).status_code in (403, 404)
    response = client.post(page(cohort, membership), {"which": "note", "note-text": "Mine."})
    assert response.status_code in (403, 404)
    assert MemberNote.objects.count() == 1


ADD = {"en": "Add the note", "he": "הוספת ההערה", "ar": "أضف الملاحظة", "fr": "Ajouter la note", "pl": "Dodaj notatkę"}


@pytest.mark.parametrize("language", sorted(ADD))
def test_the_notes_read_in_every_language(client, cohort, membership, manager, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(manager)
    with translation.override(language):
        url = page(cohort, membership)
    response = client.post(url, {"which": "note", "note-text": "Note ✓"}, follow=True)
    assert response.status_code == 200
    assert response.context["notes"][0].text == "Note ✓"
    assert ADD[language] in response.content.decode()


def test_erasure_removes_the_notes_on_the_person_and_keeps_those_they_wrote_without_them(
    cohort, membership, member, manager, django_capture_on_commit_callbacks
):
    member_note_add(membership=membership, text="About the member.", by=manager)
    other = accept(cohort)
    kept = member_note_add(membership=other, text="About someone else.", by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=member, by=member)
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=manager, by=manager)
    assert list(MemberNote.objects.values_list("pk", "author")) == [(kept.pk, None)]


def test_a_withdrawn_member_s_page_keeps_the_notes_and_drops_the_status_form(client, cohort, membership, manager):
    membership_status_change(membership=membership, status="withdrawn", reason="Moved away", by=manager)
    member_note_add(membership=membership, text="Might come back next year.", by=manager)
    client.force_login(manager)
    dashboard = client.get(reverse("cohorts:dashboard", args=[cohort.slug])).content.decode()
    assert f"{page(cohort, membership)}#member-notes" in dashboard
    shown = client.get(page(cohort, membership)).content.decode()
    assert "Might come back next year." in shown
    assert 'name="status"' not in shown


def test_the_member_reads_the_notes_on_them_in_their_data_download(membership, manager, member):
    from cohorts.personal_data import cohorts_export

    member_note_add(membership=membership, text="Strong pitch, weak numbers.", by=manager)
    exported = cohorts_export(member).data["memberships"][0]["notes_by_the_program"]
    assert [note["text"] for note in exported] == ["Strong pitch, weak numbers."]
