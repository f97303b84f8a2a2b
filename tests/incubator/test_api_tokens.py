"""A person's API tokens on their profile: the secret shown once, only the person's programs, revoking."""

import pytest
from django.urls import reverse

from incubator.models import ApiToken
from tests.api.clients import api_client
from tests.factories import CohortFactory, ProgramFactory, UserFactory, program_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client):
    program = ProgramFactory(name="Kawalis")
    CohortFactory(program=program)
    manager = program_manager(program)
    client.force_login(manager)
    return client, manager, program


def make(client, program, **extra):
    data = {"name": "Funder sheet", "programs": [program.pk], "scopes": ["cohorts:read"], "lifetime": "90", **extra}
    return client.post(reverse("api_tokens"), data)


def test_a_token_is_shown_once_and_works(manager_client):
    client, manager, program = manager_client
    response = make(client, program)
    assert response.status_code == 302
    page = client.get(reverse("api_tokens"))
    text = page.context["new_token"]
    assert text.startswith("inc_")
    token = ApiToken.objects.get(person=manager)
    assert text.split("_")[-1] not in token.secret_hash
    assert api_client(text=text).get("/api/v1/programs/").json()["results"][0]["id"] == program.pk
    again = client.get(reverse("api_tokens"))
    assert again.context["new_token"] is None
    assert text not in again.content.decode()
    assert token.prefix in again.content.decode()


def test_only_the_person_s_programs_may_be_named(manager_client):
    client, manager, program = manager_client
    stranger = ProgramFactory(name="Not yours")
    response = make(client, program, programs=[stranger.pk])
    assert response.status_code == 400
    assert "Not yours" not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_an_unknown_scope_is_refused_and_the_form_keeps_its_name(manager_client):
    client, _, program = manager_client
    response = make(client, program, scopes=["everything:write"])
    assert response.status_code == 400
    assert "Funder sheet" in response.content.decode()


def test_revoking_one_s_own_token(manager_client):
    client, manager, program = manager_client
    make(client, program)
    token = ApiToken.objects.get()
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_another_person_s_token_is_404(manager_client, client):
    client, manager, program = manager_client
    make(client, program)
    token = ApiToken.objects.get()
    client.force_login(UserFactory())
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_someone_with_no_program_is_told_so(client):
    client.force_login(UserFactory())
    page = client.get(reverse("api_tokens"))
    assert page.status_code == 200
    assert b"no-tokens" in page.content
    assert b'name="programs"' not in page.content


def test_a_person_s_tokens_are_in_their_data_and_go_with_their_account(manager_client):
    from incubator.personal_data import account_erase, account_export

    client, manager, program = manager_client
    make(client, program)
    assert account_export(manager).data["api_tokens"][0]["name"] == "Funder sheet"
    manager.groups.clear()
    account_erase(user=manager, by=manager)
    assert not ApiToken.objects.exists()


def test_a_person_holds_at_most_twenty_live_tokens(manager_client):
    from incubator.api.forms import MAX_LIVE_TOKENS

    client, manager, program = manager_client
    for _ in range(MAX_LIVE_TOKENS):
        assert make(client, program).status_code == 302
    refused = make(client, program, name="One too many")
    assert refused.status_code == 400
    assert "Revoke one" in refused.content.decode()
    assert ApiToken.objects.filter(person=manager).count() == MAX_LIVE_TOKENS
