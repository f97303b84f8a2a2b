"""The cohorts area's members, ventures and member notes: who reads what (as on the pages), the filters, the note
written through the service, and a fixed number of queries per list."""

import datetime

import pytest
from django.utils import timezone

from cohorts.models import MemberNote, Membership, MembershipEvent, Venture, VentureMember
from cohorts.services import member_note_add, membership_status_change
from incubator.history import recorded_actions
from incubator.models import User
from tests.api.clients import api_client
from tests.factories import CohortFactory, ProgramFactory, UserFactory, accept, grant, program_manager

pytestmark = pytest.mark.django_db


class World:
    def __init__(self):
        self.program, self.other_program = ProgramFactory(), ProgramFactory()
        self.cohort = CohortFactory(program=self.program)
        self.second_cohort = CohortFactory(program=self.program)
        self.manager = program_manager(self.program)
        self.other_manager = program_manager(self.other_program)
        self.member = UserFactory(name="Mira Member")
        self.membership = accept(self.cohort, self.member, venture_name="Mira Studio")
        self.venture = Venture.objects.get(cohort=self.cohort, name="Mira Studio")
        self.peer = accept(self.cohort).person
        self.second_cohort_membership = accept(self.second_cohort)
        self.mentor = grant(self.program, UserFactory(), "mentor")
        self.cohort.mentors.add(self.mentor)
        self.outsider = accept(CohortFactory(program=self.other_program)).person

    def client(self, person, scopes=None):
        return api_client(person, [self.program, self.other_program], scopes=scopes)


@pytest.fixture
def world():
    return World()


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def withdraw(membership, by):
    return membership_status_change(
        membership=membership, status=Membership.Status.WITHDRAWN, reason="Moved away", on=None, by=by
    )


# Members


def test_a_manager_reads_every_membership_of_the_program_withdrawn_too(world):
    withdraw(world.second_cohort_membership, world.manager)
    rows = world.client(world.manager).get("/api/v1/members/")
    everyone = Membership.objects.filter(cohort__program=world.program).values_list("pk", flat=True)
    assert ids(rows) == sorted(everyone)
    mine = world.client(world.manager).get(f"/api/v1/members/{world.membership.pk}/").json()
    assert mine["person"] == world.member.pk
    assert mine["person_name"] == "Mira Member"
    assert mine["cohort"] == world.cohort.pk
    assert mine["status"] == "active"
    assert mine["changed_at"]


def test_a_mentor_reads_the_directory_of_the_cohorts_they_mentor(world):
    peer = world.peer.memberships.get()
    withdraw(peer, world.manager)
    rows = world.client(world.mentor).get("/api/v1/members/")
    assert ids(rows) == [world.membership.pk]
    assert world.client(world.mentor).get(f"/api/v1/members/{peer.pk}/").status_code == 404
    assert world.client(world.mentor).get(f"/api/v1/members/{world.second_cohort_membership.pk}/").status_code == 404


def test_a_member_reads_their_own_membership_only(world):
    assert ids(world.client(world.member).get("/api/v1/members/")) == [world.membership.pk]
    peer = world.peer.memberships.get()
    assert world.client(world.member).get(f"/api/v1/members/{peer.pk}/").status_code == 404


def test_a_manager_of_another_program_and_an_outsider_read_nothing(world):
    for person in (world.other_manager, world.outsider):
        client = world.client(person)
        assert world.membership.pk not in ids(client.get("/api/v1/members/"))
        assert client.get(f"/api/v1/members/{world.membership.pk}/").status_code == 404


def test_members_filter_by_cohort_and_status(world):
    withdraw(world.peer.memberships.get(), world.manager)
    client = world.client(world.manager)
    assert ids(client.get("/api/v1/members/", {"cohort": world.second_cohort.pk})) == [
        world.second_cohort_membership.pk
    ]
    withdrawn = client.get("/api/v1/members/", {"cohort": world.cohort.pk, "status": "withdrawn"})
    assert ids(withdrawn) == [world.peer.memberships.get().pk]


@pytest.mark.parametrize("query", ["?status=lost", "?cohort=x", "?cohort=0", "?cohort=99999999999999999999"])
def test_odd_member_filters_are_400(world, query):
    response = world.client(world.manager).get(f"/api/v1/members/{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_members_without_the_scope_are_403(world):
    assert world.client(world.manager, scopes=["mentoring:read"]).get("/api/v1/members/").status_code == 403


# Ventures


def test_ventures_with_their_team_for_managers_mentors_and_members(world):
    VentureMember.objects.create(venture=world.venture, name="Invited by email", email="guest@example.org")
    other = Venture.objects.create(cohort=world.second_cohort, name="Elsewhere")
    for person in (world.manager, world.mentor, world.member, world.peer):
        client = world.client(person)
        expected = [world.venture.pk, other.pk] if person == world.manager else [world.venture.pk]
        assert ids(client.get("/api/v1/ventures/")) == sorted(expected)
    row = world.client(world.member).get(f"/api/v1/ventures/{world.venture.pk}/").json()
    assert row["member_ids"] == [world.member.pk]
    assert "guest@example.org" not in str(row)
    assert world.client(world.member).get(f"/api/v1/ventures/{other.pk}/").status_code == 404


def test_ventures_of_another_program_are_not_read(world):
    for person in (world.other_manager, world.outsider):
        assert world.client(person).get(f"/api/v1/ventures/{world.venture.pk}/").status_code == 404


def test_ventures_filter_by_cohort_and_expand_it(world):
    Venture.objects.create(cohort=world.second_cohort, name="Elsewhere")
    client = world.client(world.manager)
    rows = client.get("/api/v1/ventures/", {"cohort": world.cohort.pk, "expand": "cohort"}).json()["results"]
    assert [row["id"] for row in rows] == [world.venture.pk]
    assert rows[0]["cohort"]["slug"] == world.cohort.slug


# Member notes


def notes_url(membership) -> str:
    return f"/api/v1/members/{membership.pk}/notes/"


def test_a_manager_adds_a_note_and_reads_it(world):
    client = world.client(world.manager)
    response = client.post(notes_url(world.membership), {"text": "  Asked about pricing.  "}, format="json")
    assert response.status_code == 201, response.content
    note = MemberNote.objects.get()
    assert response.json()["id"] == note.pk
    assert note.text == "Asked about pricing."
    assert note.author == world.manager
    listed = client.get(notes_url(world.membership)).json()["results"]
    assert [(row["text"], row["author"], row["membership"]) for row in listed] == [
        ("Asked about pricing.", world.manager.pk, world.membership.pk)
    ]
    [action] = recorded_actions(action="member_note.add", object_ids=[world.membership.pk])
    assert (action["by"], action["program"], action["after"]) == (world.manager.pk, world.program.pk, {"note": note.pk})


@pytest.mark.parametrize("persona", ["mentor", "member", "other_manager", "outsider"])
def test_only_the_program_s_managers_reach_the_notes(world, persona):
    member_note_add(membership=world.membership, text="Private.", by=world.manager)
    client = world.client(getattr(world, persona))
    assert client.get(notes_url(world.membership)).status_code == 404
    assert client.post(notes_url(world.membership), {"text": "Mine"}, format="json").status_code == 404
    assert MemberNote.objects.count() == 1


def test_a_read_token_may_not_write_a_note(world):
    client = world.client(world.manager, scopes=["cohorts:read"])
    assert client.get(notes_url(world.membership)).status_code == 200
    assert client.post(notes_url(world.membership), {"text": "Hello"}, format="json").status_code == 403
    assert not MemberNote.objects.exists()


@pytest.mark.parametrize("body", [{"text": "   "}, {"text": ""}, {}, {"text": ["a"]}, {"text": "a\x00b"}])
def test_a_blank_or_odd_note_is_400(world, body):
    response = world.client(world.manager).post(notes_url(world.membership), body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert not MemberNote.objects.exists()


def test_the_service_refuses_anyone_but_the_program_s_managers(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        member_note_add(membership=world.membership, text="Hi", by=world.mentor)
    with pytest.raises(PermissionDenied):
        member_note_add(membership=world.membership, text="Hi", by=world.other_manager)


def test_the_database_refuses_a_blank_note(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MemberNote.objects.create(membership=world.membership, author=world.manager, text=" \n ")


# The same number of queries for one row and for 500


def _people(count: int) -> list[User]:
    return User.objects.bulk_create(User(email=f"many{n}@example.org", name=f"Many {n}") for n in range(count))


def many_members(world, count):
    Membership.objects.bulk_create(Membership(person=person, cohort=world.cohort) for person in _people(count))


def many_ventures(world, count):
    ventures = Venture.objects.bulk_create(Venture(cohort=world.cohort, name=f"Venture {n}") for n in range(count))
    people = _people(count)
    pairs = zip(ventures, people, strict=True)
    VentureMember.objects.bulk_create(VentureMember(venture=v, user=person, name=person.name) for v, person in pairs)


def many_notes(world, count):
    MemberNote.objects.bulk_create(
        MemberNote(membership=world.membership, author=world.manager, text=f"Note {n}") for n in range(count)
    )


@pytest.mark.parametrize(
    ("url", "grow", "queries"),
    [
        # token; the token's programs with the person's roles in them; the page; the expanded cohorts
        ("/api/v1/members/?page_size=200&expand=cohort", many_members, 4),
        # token; the token's programs; the page; the ventures' teams
        ("/api/v1/ventures/?page_size=200", many_ventures, 4),
        # token; the token's programs; the member; the page
        ("notes", many_notes, 4),
    ],
)
@pytest.mark.parametrize("count", [1, 500])
def test_lists_run_a_fixed_number_of_queries(world, django_assert_num_queries, url, grow, queries, count):
    grow(world, count)
    url = notes_url(world.membership) + "?page_size=200" if url == "notes" else url
    client = world.client(world.manager)
    client.get("/api/v1/programs/")  # the token's first use is written down; later uses within a minute are not
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) >= min(count, 200)


def test_updated_since_lists_the_changed_membership(world):
    client = world.client(world.manager)
    since = (timezone.now() - datetime.timedelta(microseconds=1)).isoformat()
    withdraw(world.peer.memberships.get(), world.manager)
    assert ids(client.get("/api/v1/members/", {"updated_since": since})) == [world.peer.memberships.get().pk]


def test_a_membership_saved_unchanged_moves_changed_at_and_adds_no_history_event(world):
    before, events = world.membership.changed_at, MembershipEvent.objects.count()
    world.membership.save()
    world.membership.refresh_from_db()
    assert world.membership.changed_at > before
    assert MembershipEvent.objects.count() == events
