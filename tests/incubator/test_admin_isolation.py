"""Every admin page of every registered model, walked as the manager of another program: nothing of that program.

Two programs are built through the services with everything the admin shows (calls, applications, versions,
reviews, conflicts, decisions, emails, memberships, ventures, posts, initiatives, profiles, ledger rows, audit
rows). Every name of the second program contains "Zeta"; the manager of the first ("Alpha") must never read it."""

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, reverse

from applications.scoring.decisions import decisions_publish, decisions_record
from applications.scoring.models import DecisionEmailTemplate
from applications.scoring.services import conflict_declare
from cohorts.models import MemberProfile
from cohorts.services import initiative_create, post_create
from incubator.models import WebhookEventName
from incubator.roles import PROGRAM_MANAGER
from incubator.webhooks import webhook_endpoint_create, webhook_event_emit
from tests.applications.scoring.factories import manager, reviewer, score, scoring_call, submitted
from tests.cohorts.conftest import PNG
from tests.factories import UserFactory, accept

MEMBER_JOINED = WebhookEventName.MEMBER_JOINED


def build_program(word: str, django_capture_on_commit_callbacks):
    call = scoring_call(slug=word.lower(), seats=2)
    program, cohort = call.cohort.program, call.cohort
    program.name = f"{word} program"
    program.save(update_fields=["name"])
    boss = manager(program, name=f"{word} Manager")
    judge = reviewer(program, name=f"{word} Reviewer")
    accepted = submitted(call, name=f"{word} Applicant", applicant=UserFactory(name=f"{word} Applicant"))
    conflicted = submitted(call, name=f"{word} Second", applicant=UserFactory(name=f"{word} Second"))
    score(accepted, judge, 4, comment=f"{word} comment")
    conflict_declare(reviewer=judge, application=conflicted, reason=f"{word} conflict")
    DecisionEmailTemplate.objects.create(
        program=program, language="en", outcome="accept", subject=f"{word} subject", body=f"{word} body"
    )
    decisions_record(applications=[accepted], outcome="accept", by=boss)
    with django_capture_on_commit_callbacks(execute=True):
        decisions_publish(call=call, by=boss)
    member = accept(cohort, UserFactory(name=f"{word} Member"), venture_name=f"{word} venture")
    MemberProfile.objects.create(user=member.person, headline=f"{word} headline", photo=ContentFile(PNG, "p.png"))
    post_create(cohort=cohort, author=member.person, kind="need", title=f"{word} post")
    initiative_create(cohort=cohort, by=member.person, title=f"{word} initiative", what=f"{word} what")
    # An endpoint with a delivery (never sent: on-commit work is not run here).
    webhook_endpoint_create(
        program=program, url=f"https://93.184.216.34/{word.lower()}-hook", events=[MEMBER_JOINED], by=boss
    )
    webhook_event_emit(program_id=program.pk, event=MEMBER_JOINED, data={"membership": member.pk})
    return boss


@pytest.fixture
def alpha_manager(db, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    build_program("Zeta", django_capture_on_commit_callbacks)
    return build_program("Alpha", django_capture_on_commit_callbacks)


def admin_url(model, name: str, *args) -> str | None:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)
    except NoReverseMatch:
        return None


def test_a_manager_of_another_program_sees_nothing_of_it_anywhere_in_the_admin(client, alpha_manager):
    assert alpha_manager.groups.filter(name=PROGRAM_MANAGER).exists() and alpha_manager.is_staff
    client.force_login(alpha_manager)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200 and "zeta" not in index.content.decode().lower()

    shown_pages = 0
    for model in admin.site._registry:
        changelist = client.get(admin_url(model, "changelist"))
        assert changelist.status_code in (200, 403), model
        assert "zeta" not in changelist.content.decode().lower(), f"{model._meta.label} list shows the other program"
        for obj in model._default_manager.all():
            for page in ("change", "history", "delete"):
                url = admin_url(model, page, obj.pk)
                if url is None:
                    continue
                response = client.get(url)
                body = response.content.decode().lower()
                assert "zeta" not in body, f"{model._meta.label} #{obj.pk} {page} page shows the other program"
                if page == "change" and response.status_code == 200:
                    shown_pages += 1
                elif page == "change" and response.status_code == 302:
                    # The admin's answer for an object outside the list: back to the index, naming nothing.
                    assert response.url == reverse("admin:index"), (model, response.url)
                else:
                    assert response.status_code in (200, 302, 403, 404), (model, page, response.status_code)
    # The walk is not vacuous: the manager's own program's objects are shown (calls, applications, decisions ...).
    assert shown_pages >= 15


def test_a_superuser_does_see_the_other_program_so_the_walk_above_means_something(client, alpha_manager):
    from applications.models import Application, Call
    from incubator.models import Notification

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for model in (Application, Call, Notification, MemberProfile, DecisionEmailTemplate):
        assert "zeta" in client.get(admin_url(model, "changelist")).content.decode().lower(), model


def test_the_other_programs_objects_are_neither_changed_nor_deleted_by_a_post(client, alpha_manager):
    from applications.models import Call

    zeta_call = Call.objects.get(slug="zeta")
    client.force_login(alpha_manager)
    client.post(admin_url(Call, "change", zeta_call.pk), {"title": "Hijacked", "cohort": zeta_call.cohort_id})
    client.post(admin_url(Call, "delete", zeta_call.pk), {"post": "yes"})
    zeta_call.refresh_from_db()
    assert zeta_call.title == "Call zeta"
