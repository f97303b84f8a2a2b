"""The admin's "send again" of failed emails is limited per person (429 page, nothing resent); the counter is
shared by every web server (the cache is Redis) and one person's refusals leave another's alone."""

from django.core import mail
from django.urls import reverse

from incubator import notifications, ratelimit
from incubator.models import Notification
from incubator.notifications import Claim
from tests.factories import ProgramFactory, program_manager
from tests.incubator.test_ledger import KIND, fail_for_good, ledger_kind, outage  # noqa: F401 - fixtures


def claim(user, program, object_id) -> int:
    [pk] = notifications.notifications_claim(claims=[Claim(KIND, object_id, user.pk, program_id=program.pk)])
    return pk


def test_sending_failed_emails_again_past_the_limit_is_refused(
    client,
    user,
    outage,  # noqa: F811
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setitem(ratelimit.LIMITS, "notification_resend", ratelimit.Limit(per_person=1, per_target=None))
    program = ProgramFactory()
    manager = program_manager(program, roles=["Program manager"])
    colleague = program_manager(program, roles=["Program manager"])
    first, second = (fail_for_good(claim(user, program, n), outage) for n in (1, 2))
    outage.down = False
    client.force_login(manager)
    url = reverse("admin:incubator_notification_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "send_again", "_selected_action": [first.pk]}).status_code == 302
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(url, {"action": "send_again", "_selected_action": [second.pk]})
    assert refused.status_code == 429 and "Too many emails" in refused.content.decode()
    assert len(mail.outbox) == sent and Notification.objects.get(pk=second.pk).status == Notification.Status.FAILED
    client.force_login(colleague)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "send_again", "_selected_action": [second.pk]}).status_code == 302
    assert Notification.objects.get(pk=second.pk).status != Notification.Status.FAILED


def test_the_counter_is_per_window_and_per_person(db, monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "member_invite", ratelimit.Limit(per_person=2, per_target=5, window=60))
    alice, bob = (type("P", (), {"pk": pk}) for pk in (1, 2))
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    results = [ratelimit.email_request_allowed(action="member_invite", person=alice, target=n) for n in range(3)]
    assert results == [True, True, False]
    assert ratelimit.email_request_allowed(action="member_invite", person=bob, target=9)
    now[0] += 60  # the next window
    assert ratelimit.email_request_allowed(action="member_invite", person=alice, target=3)
