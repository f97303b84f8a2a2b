"""The weekly digest: each program manager's "needs you" list by email on Monday morning, exactly once a week,
in their language with links carrying it; nothing on a quiet week, nothing for those who turned it off."""

import datetime
import re
import threading

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.db import connection
from django.urls import reverse

from cohorts.digest import DIGEST_KIND, iso_week, unsubscribe_token, weekly_digest_sweep
from cohorts.invitations import program_role_invite
from incubator.models import Notification, User
from tests.audit_trail import actions
from tests.factories import ProgramFactory, UserFactory, grant, program_manager

# Monday 7 December 2026, 07:00 UTC: when beat runs the sweep. ISO week 50.
MONDAY = datetime.datetime(2026, 12, 7, 7, 0, tzinfo=datetime.UTC)
SITE = "https://portal.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def invited_a_week_ago(program, manager, email):
    """Something that needs the manager: a role invitation unanswered for 8 days."""
    with time_machine.travel(MONDAY - datetime.timedelta(days=8), tick=False):
        program_role_invite(program=program, role="reviewer", email=email, by=manager)


def digests(mailoutbox):
    return [message for message in mailoutbox if "need" in message.subject.lower() or "W" in message.subject]


@pytest.fixture
def world(db):
    """Maya manages two programs, each with an invitation left unanswered; Quinn manages a quiet one."""
    first, second = ProgramFactory(name="Kawalis"), ProgramFactory(name="BizUP")
    maya = program_manager(first, name="Maya Manager", email="maya@example.org")
    grant(second, maya, "manager")
    invited_a_week_ago(first, maya, "one@example.org")
    invited_a_week_ago(second, maya, "two@example.org")
    quinn = program_manager(ProgramFactory(name="Quiet"), name="Quinn Quiet")
    return first, second, maya, quinn


def sweep(django_capture_on_commit_callbacks, now=MONDAY) -> int:
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        return weekly_digest_sweep()


def test_beat_runs_the_digest_on_monday_at_seven_utc():
    entry = settings.CELERY_BEAT_SCHEDULE["cohorts-weekly-digest"]
    assert entry["task"] == "cohorts.tasks.cohorts_weekly_digest_sweep"
    assert entry["schedule"] == crontab(minute=0, hour=7, day_of_week="mon")
    assert settings.CELERY_TIMEZONE == "UTC"


def test_the_iso_week_is_the_threshold():
    assert iso_week(MONDAY) == "2026-W50"
    assert iso_week(datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)) == "2026-W53"


def test_one_email_per_manager_for_all_their_programs_with_absolute_links(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    first, second, maya, quinn = world
    mailoutbox.clear()  # the invitations' own emails
    assert sweep(django_capture_on_commit_callbacks) == 1
    [message] = mailoutbox
    assert message.to == ["maya@example.org"]
    assert message.subject == "This week: 2 things need you"
    for program in (first, second):
        roles = f"{SITE}{reverse('cohorts:program_roles', args=[program.slug])}"
        assert program.name in message.body and roles in message.body
        assert f'href="{roles}"' in message.alternatives[0][0]
    assert message.body.count("1 role invitation has not been answered for a week or more") == 2
    unsubscribe = f"{SITE}{reverse('cohorts:digest_unsubscribe', args=[unsubscribe_token(maya)])}"
    assert unsubscribe in message.body and unsubscribe in message.alternatives[0][0]
    row = Notification.objects.get(kind=DIGEST_KIND)
    assert (row.object_id, row.recipient_id, row.threshold, row.status) == (maya.pk, maya.pk, "2026-W50", "sent")

    # Later the same week: already sent. The next Monday: sent again.
    assert sweep(django_capture_on_commit_callbacks, MONDAY + datetime.timedelta(days=2)) == 0
    assert sweep(django_capture_on_commit_callbacks, MONDAY + datetime.timedelta(days=7)) == 1
    assert len(mailoutbox) == 2


def test_a_quiet_week_sends_nothing(db, mailoutbox, django_capture_on_commit_callbacks):
    program_manager(ProgramFactory(), name="Quinn Quiet")
    assert sweep(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == [] and not Notification.objects.filter(kind=DIGEST_KIND).exists()


def test_dealt_with_between_the_sweep_and_the_send_sends_nothing(world, mailoutbox, django_capture_on_commit_callbacks):
    from cohorts.models import ProgramRoleInvitation

    first, second, maya, quinn = world
    mailoutbox.clear()
    with time_machine.travel(MONDAY, tick=False):
        assert weekly_digest_sweep() == 1  # claimed; the on-commit delivery is not run
        ProgramRoleInvitation.objects.all().delete()
        from incubator.delivery import notification_send

        assert notification_send(notification_id=Notification.objects.get(kind=DIGEST_KIND).pk) is True
    assert mailoutbox == []


def test_opted_out_managers_get_nothing(world, mailoutbox, django_capture_on_commit_callbacks):
    first, second, maya, quinn = world
    User.objects.filter(pk=maya.pk).update(weekly_digest=False)
    mailoutbox.clear()
    assert sweep(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_the_digest_is_in_the_managers_language_with_links_in_it(world, mailoutbox, django_capture_on_commit_callbacks):
    first, second, maya, quinn = world
    User.objects.filter(pk=maya.pk).update(preferred_language="he")
    mailoutbox.clear()
    sweep(django_capture_on_commit_callbacks)
    [message] = mailoutbox
    html = message.alternatives[0][0]
    assert '<html lang="he" dir="rtl">' in html
    assert message.subject != "This week: 2 things need you"
    assert "role invitation" not in message.body  # the lines too are in Hebrew
    links = re.findall(r"https?://[^\s\"<]+", message.body + html)
    assert links and all(link.startswith(f"{SITE}/he/") for link in links), links


def _sweep_in_thread(barrier, errors):
    try:
        barrier.wait()
        with time_machine.travel(MONDAY, tick=False):
            weekly_digest_sweep()
    except Exception as error:  # noqa: BLE001 - reported to the test thread
        errors.append(error)
    finally:
        connection.close()


def test_two_sweeps_at_once_send_each_digest_once(transactional_db, mailoutbox):
    program = ProgramFactory()
    managers = [program_manager(program) for _n in range(3)]
    invited_a_week_ago(program, managers[0], "late@example.org")
    mailoutbox.clear()
    barrier, errors = threading.Barrier(2), []
    threads = [threading.Thread(target=_sweep_in_thread, args=(barrier, errors)) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Notification.objects.filter(kind=DIGEST_KIND, status="sent").count() == 3
    assert sorted(message.to[0] for message in mailoutbox) == sorted(manager.email for manager in managers)


def test_the_unsubscribe_link_asks_then_turns_the_digest_off(world, client):
    first, second, maya, quinn = world
    url = reverse("cohorts:digest_unsubscribe", args=[unsubscribe_token(maya)])
    page = client.get(url)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and 'method="post"' in page.text
    assert User.objects.get(pk=maya.pk).weekly_digest is True
    done = client.post(url)
    assert done.status_code == 200 and 'data-testid="digest-stopped"' in done.text
    assert User.objects.get(pk=maya.pk).weekly_digest is False
    assert actions(action="user.weekly_digest_stop", object_id=maya.pk)
    assert client.get(url).status_code == 200  # the link keeps answering


def test_a_forged_or_altered_unsubscribe_link_is_not_found(world, client):
    first, second, maya, quinn = world
    token = unsubscribe_token(maya)
    assert client.get(reverse("cohorts:digest_unsubscribe", args=[token[:-2] + "xx"])).status_code == 404
    assert client.post(reverse("cohorts:digest_unsubscribe", args=[str(maya.pk)])).status_code == 404
    assert User.objects.get(pk=maya.pk).weekly_digest is True


def test_managers_turn_the_digest_off_and_on_on_their_profile(world, client):
    first, second, maya, quinn = world
    client.force_login(maya)
    page = client.get(reverse("profile_edit"))
    assert 'name="weekly_digest"' in page.text and "checked" in page.text
    data = {"name": maya.name, "preferred_language": "en", "time_zone": "UTC"}  # the box left unticked
    assert client.post(reverse("profile_edit"), data).status_code == 302
    assert User.objects.get(pk=maya.pk).weekly_digest is False
    assert client.post(reverse("profile_edit"), {**data, "weekly_digest": "on"}).status_code == 302
    assert User.objects.get(pk=maya.pk).weekly_digest is True


def test_people_who_manage_nothing_are_not_asked_about_the_digest(db, client):
    client.force_login(UserFactory())
    assert 'name="weekly_digest"' not in client.get(reverse("profile_edit")).text


def test_mail_clients_unsubscribe_in_one_click(world, mailoutbox, django_capture_on_commit_callbacks):
    """RFC 8058: the email names its unsubscribe link in a header, and a POST to it, without cookie or CSRF token,
    turns the digest off."""
    from django.test import Client

    first, second, maya, quinn = world
    mailoutbox.clear()
    sweep(django_capture_on_commit_callbacks)
    [message] = mailoutbox
    link = f"{SITE}{reverse('cohorts:digest_unsubscribe', args=[unsubscribe_token(maya)])}"
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["Message-ID"].startswith("<notification.")
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(link.removeprefix(SITE), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert User.objects.get(pk=maya.pk).weekly_digest is False
