"""List pages run the same number of queries for 1 and for 20 rows."""

import pytest
from django.urls import reverse

from applications.services import application_start
from applications.submission import application_submit
from incubator.roles import PROGRAM_MANAGER
from tests.applications.conftest import fill
from tests.applications.factories import make_call, program_with_regions
from tests.factories import UserFactory, program_manager


@pytest.mark.parametrize("rows", [1, 20])
def test_call_list_queries_are_fixed(client, db, django_assert_num_queries, rows):
    program = program_with_regions()
    for n in range(rows):
        make_call(slug=f"call-{n}", program=program, questions=False)
    user = UserFactory()
    client.force_login(user)
    # session, user, the user's calls applied to, the calls with cohort and program, the user's role names
    with django_assert_num_queries(5):
        response = client.get(reverse("applications:calls"))
    assert response.content.decode().count('class="card h-100 call-card') == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_my_applications_queries_are_fixed(client, db, django_assert_num_queries, rows):
    program = program_with_regions()
    applicant = UserFactory()
    for n in range(rows):
        call = make_call(slug=f"call-{n}", program=program)
        application_submit(application=fill(application_start(call=call, applicant=applicant)), by=applicant)
    client.force_login(applicant)
    # session, user, drafts to continue (none), applications with call/cohort/program, their versions, role names
    with django_assert_num_queries(6):
        response = client.get(reverse("applications:list"))
    assert response.content.decode().count('data-testid="application-') == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_my_applications_with_drafts_to_continue_queries_are_fixed(client, db, django_assert_num_queries, rows):
    program = program_with_regions()
    applicant = UserFactory()
    for n in range(rows):
        application_start(call=make_call(slug=f"call-{n}", program=program), applicant=applicant)
    client.force_login(applicant)
    # session, user, drafts with call/cohort/program, their calls' questions, their files, applications with
    # call/cohort/program, their versions, role names
    with django_assert_num_queries(8):
        response = client.get(reverse("applications:list"))
    assert response.content.decode().count('data-testid="continue-link"') == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_admin_application_list_queries_are_fixed(client, db, django_assert_num_queries, rows):
    call = make_call()
    for _ in range(rows):
        applicant = UserFactory()
        application_submit(application=fill(application_start(call=call, applicant=applicant)), by=applicant)
    client.force_login(program_manager(call.cohort.program, roles=[PROGRAM_MANAGER]))
    url = reverse("admin:applications_application_changelist")
    client.get(url)  # warm the content-type cache the admin uses
    # session, user, the user's own permissions, their group permissions, the programs they manage, the call
    # filter's calls, the region filter's regions, count of the filtered rows, count of all rows, the page of
    # applications with call/applicant/region, the user's role names (navigation)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('name="_selected_action"') == rows
