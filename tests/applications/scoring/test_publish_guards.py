"""Guards that stop a wrong publish: decisions go into the call's own cohort only while it is open and within its
places (members now + accepted applicants who would join), checked under the cohort's row lock; a superuser may
publish anyway with a written reason, audited."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse

from applications.models import Application, Call
from applications.scoring.decisions import PublishRefused, cohort_fill, decisions_publish, decisions_record
from applications.scoring.models import Decision
from cohorts.dates import program_today
from cohorts.models import Cohort, Membership
from cohorts.services import membership_status_change
from incubator.models import Notification
from tests.applications.scoring.factories import scoring_call, submitted
from tests.audit_trail import action, actions
from tests.factories import accept, superuser


def _cohort(call, *, places=None, status=Cohort.Status.UPCOMING, ends_on=None, members=0) -> Cohort:
    """The call's cohort set up as its program configured it, with `members` people already in it."""
    cohort = call.cohort
    cohort.capacity = places
    cohort.status = status
    cohort.starts_on = datetime.date(2024, 6, 1) if ends_on else None
    cohort.ends_on = ends_on
    cohort.save()
    for _ in range(members):
        accept(cohort)
    return cohort


def _accepted(call, maya, count: int, outcome="accept") -> list[Application]:
    applications = [submitted(call, name=f"Applicant {outcome} {n}") for n in range(count)]
    decisions_record(applications=applications, outcome=outcome, by=maya)
    return applications


def _nothing_published(call, cohort, members: int, mailoutbox) -> None:
    call.refresh_from_db()
    assert call.decisions_published_at is None
    assert not Decision.objects.filter(call=call).exclude(status=Decision.Status.PENDING).exists()
    assert not Application.objects.filter(call=call).exclude(status=Application.Status.SUBMITTED).exists()
    assert Membership.objects.filter(cohort=cohort).count() == members
    assert not Notification.objects.filter(kind="scoring.decision").exists()
    assert mailoutbox == []
    assert not [entry for entry in actions() if entry.action.startswith("scoring.decisions_publish")]


# The service


def test_a_finished_cohort_is_refused(call, maya, mailoutbox, django_capture_on_commit_callbacks):
    cohort = _cohort(call, places=24, status=Cohort.Status.FINISHED, ends_on=datetime.date(2025, 5, 31), members=2)
    _accepted(call, maya, 1)
    with (
        pytest.raises(PublishRefused, match="is finished") as refused,
        django_capture_on_commit_callbacks(execute=True),
    ):
        decisions_publish(call=call, by=maya)
    assert "Nothing was published." in refused.value.message
    _nothing_published(call, cohort, 2, mailoutbox)


@pytest.mark.calendar
def test_a_cohort_past_its_end_date_in_the_programs_zone_is_finished_whatever_its_status(call, maya, mailoutbox):
    yesterday = program_today(call.cohort.program) - datetime.timedelta(days=1)
    cohort = _cohort(call, places=24, status=Cohort.Status.RUNNING, ends_on=yesterday)
    _accepted(call, maya, 1, outcome="reject")  # even a publish that adds nobody goes into a finished cohort
    with pytest.raises(PublishRefused, match="is finished"):
        decisions_publish(call=call, by=maya)
    _nothing_published(call, cohort, 0, mailoutbox)

    cohort.ends_on = program_today(cohort.program)  # its last day is still open
    cohort.save(update_fields=["ends_on"])
    assert decisions_publish(call=call, by=maya).published == 1


def test_past_the_places_nothing_changes(call, maya, mailoutbox, django_capture_on_commit_callbacks):
    cohort = _cohort(call, places=3, members=2)
    _accepted(call, maya, 2)
    _accepted(call, maya, 1, outcome="waitlist")
    with pytest.raises(PublishRefused) as refused, django_capture_on_commit_callbacks(execute=True):
        decisions_publish(call=call, by=maya)
    assert refused.value.message == (
        f"Publishing would make 4 members of “{cohort.name}” for 3 places (2 members now + 2 accepted): "
        "1 too many. Nothing was published."
    )
    _nothing_published(call, cohort, 2, mailoutbox)


def test_exactly_at_the_places_is_allowed(call, maya, mailoutbox, django_capture_on_commit_callbacks):
    cohort = _cohort(call, places=4, status=Cohort.Status.RUNNING, members=2)
    accepted = _accepted(call, maya, 2)
    _accepted(call, maya, 2, outcome="reject")
    with django_capture_on_commit_callbacks(execute=True):
        assert decisions_publish(call=call, by=maya).published == 4
    assert Membership.objects.filter(cohort=cohort).count() == 4
    assert {m.to[0] for m in mailoutbox} >= {a.applicant.email for a in accepted}
    entry = action(action="scoring.decisions_publish")
    assert entry.after["cohort"] == {
        "cohort": cohort.pk,
        "status": "running",
        "ends_on": None,
        "finished": False,
        "places": 4,
        "members": 2,
        "joining": 2,
    }


def test_only_new_members_and_current_members_count(call, maya):
    """A member who withdrew frees a place; an accepted applicant who is already a member takes no second one."""
    cohort = _cohort(call, places=2, members=1)
    leaving = accept(cohort)
    membership_status_change(membership=leaving, status="withdrawn", reason="moved away", by=maya)
    already = submitted(call, name="Already In")
    accept(cohort, already.applicant)  # a member of the cohort before the call's decisions
    newcomer = submitted(call, name="New Comer")
    decisions_record(applications=[already, newcomer], outcome="accept", by=maya)
    fill = cohort_fill(call=call)
    assert (fill.members, fill.joining, fill.total, fill.places, fill.over) == (2, 1, 3, 2, 1)

    decisions_record(applications=[newcomer], outcome="reject", by=maya)  # the manager changes their mind
    assert cohort_fill(call=call).total == 2
    assert decisions_publish(call=call, by=maya).published == 2


def test_a_cohort_without_places_takes_any_number(call, maya):
    _cohort(call, places=None, members=3)
    _accepted(call, maya, 4)
    assert decisions_publish(call=call, by=maya).published == 4


def test_a_superuser_may_publish_anyway_with_a_reason_audited(
    call, maya, mailoutbox, django_capture_on_commit_callbacks
):
    root = superuser()
    cohort = _cohort(call, places=2, status=Cohort.Status.FINISHED, ends_on=datetime.date(2025, 5, 31), members=2)
    _accepted(call, maya, 1)
    with pytest.raises(PublishRefused, match="Write why"):
        decisions_publish(call=call, by=root, override=True, reason="   ")
    with pytest.raises(PublishRefused, match="is finished"):
        decisions_publish(call=call, by=root)  # no override asked: refused like anyone's
    _nothing_published(call, cohort, 2, mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        assert decisions_publish(call=call, by=root, override=True, reason="The funder extended the cohort.").published
    assert Membership.objects.filter(cohort=cohort).count() == 3
    assert len(mailoutbox) == 1
    entry = action(action="scoring.decisions_publish_override")
    assert entry.actor == root and entry.object_id == call.pk
    assert entry.note == "The funder extended the cohort."
    assert entry.after["reason"] == "The funder extended the cohort."
    assert (entry.after["members"], entry.after["joining"], entry.after["places"]) == (2, 1, 2)
    assert "is finished" in entry.after["problem"] and "1 too many" in entry.after["problem"]


def test_a_manager_cannot_publish_anyway(call, maya, mailoutbox):
    cohort = _cohort(call, places=1, members=1)
    _accepted(call, maya, 1)
    with pytest.raises(PublishRefused, match="Only a superuser may publish anyway"):
        decisions_publish(call=call, by=maya, override=True, reason="We found the money")
    _nothing_published(call, cohort, 1, mailoutbox)


def test_publishing_fills_the_cohort_the_call_was_created_with(call, maya):
    """No guessing: the call's own cohort, even when another cohort of the program is running and has room."""
    _cohort(call, places=10)
    Cohort.objects.create(program=call.cohort.program, name="Other", slug="other", status="running", capacity=50)
    accepted = _accepted(call, maya, 1)
    decisions_publish(call=call, by=maya)
    assert Membership.objects.get(person=accepted[0].applicant).cohort_id == call.cohort_id
    assert Call._meta.get_field("cohort").null is False


# The page


def _url(call) -> str:
    return reverse("scoring:decisions", args=[call.slug])


def test_the_confirmation_page_shows_the_cohort_and_the_numbers(client, call, maya):
    cohort = _cohort(call, places=24, status=Cohort.Status.FINISHED, ends_on=datetime.date(2025, 5, 31), members=3)
    cohort.name = "Kawalis — second cohort"
    cohort.save(update_fields=["name"])
    _accepted(call, maya, 4)
    _accepted(call, maya, 1, outcome="waitlist")
    client.force_login(maya)
    response = client.get(_url(call))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kawalis — second cohort" in page
    assert "June 1, 2024 – May 31, 2025" in page and "finished" in page and "24 places" in page
    assert "3 members now + 4 accepted = 7 of 24 places" in page
    assert 'data-testid="publish-refused-warning"' in page
    assert "is finished: decisions are not published into a finished cohort." in page
    assert "Only a superuser may publish anyway" in page
    assert 'name="override"' not in page  # a manager has no override to tick
    assert 'data-testid="publish" disabled' in page


def test_the_page_warns_before_going_past_the_places_and_not_within_them(client, call, maya):
    _cohort(call, places=4, status=Cohort.Status.RUNNING, members=3)
    _accepted(call, maya, 2)
    client.force_login(maya)
    page = client.get(_url(call)).content.decode()
    assert "3 members now + 2 accepted = 5 of 4 places" in page
    assert "1 too many" in page and 'data-testid="publish-refused-warning"' in page

    Decision.objects.filter(call=call).order_by("pk").first().delete()  # one fewer acceptance: within the places
    page = client.get(_url(call)).content.decode()
    assert "3 members now + 1 accepted = 4 of 4 places" in page
    assert 'data-testid="publish-refused-warning"' not in page
    assert 'data-testid="publish" disabled' not in page


def test_a_direct_post_into_a_finished_cohort_is_refused(
    client, call, maya, mailoutbox, django_capture_on_commit_callbacks
):
    cohort = _cohort(call, places=24, status=Cohort.Status.FINISHED, ends_on=datetime.date(2025, 5, 31), members=2)
    _accepted(call, maya, 1)
    client.force_login(maya)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(call), {"override": "on", "reason": "The page hid the button"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="refusal"' in page and "is finished" in page and "Only a superuser may publish anyway" in page
    _nothing_published(call, cohort, 2, mailoutbox)


def test_a_direct_post_past_the_places_is_refused(client, call, maya, mailoutbox, django_capture_on_commit_callbacks):
    cohort = _cohort(call, places=2, members=2)
    _accepted(call, maya, 1)
    client.force_login(maya)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(call))
    assert response.status_code == 400
    assert "3 members" in response.content.decode() and "1 too many" in response.content.decode()
    _nothing_published(call, cohort, 2, mailoutbox)


def test_a_superuser_overrides_on_the_page_with_a_reason(
    client, call, maya, mailoutbox, django_capture_on_commit_callbacks
):
    cohort = _cohort(call, places=1, members=1)
    _accepted(call, maya, 1)
    client.force_login(superuser())
    page = client.get(_url(call)).content.decode()
    assert 'name="override"' in page and 'name="reason"' in page

    response = client.post(_url(call), {"override": "on", "reason": ""})
    assert response.status_code == 400
    assert "Write why you publish anyway" in response.content.decode()
    _nothing_published(call, cohort, 1, mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(call), {"override": "on", "reason": "Two places were added by the funder"})
    assert response.status_code == 302
    assert Membership.objects.filter(cohort=cohort).count() == 2
    assert action(action="scoring.decisions_publish_override").note == ("Two places were added by the funder")


def test_a_manager_of_another_program_gets_a_404(client, call, maya, other_manager, mailoutbox):
    cohort = _cohort(call, places=24, members=1)
    _accepted(call, maya, 1)
    client.force_login(other_manager)
    assert client.get(_url(call)).status_code == 404
    assert client.post(_url(call)).status_code == 404
    _nothing_published(call, cohort, 1, mailoutbox)


# Two publishes at once


def test_two_publishes_at_once_cannot_go_past_the_places(transactional_db):
    """Two calls of one cohort, published at the same moment: the cohort's row lock makes the second count the
    first one's new members, so one publishes and the other is refused."""
    first = scoring_call(slug="first-round")
    second = Call.objects.create(
        cohort=first.cohort,
        slug="second-round",
        title="Second round",
        description="",
        opens_at=first.opens_at,
        closes_at=first.closes_at,
        seats=4,
    )
    cohort = _cohort(first, places=3)
    from tests.applications.scoring.factories import manager

    boss = manager(cohort.program, name="Boss")
    for call in (first, second):
        _accepted(call, boss, 2)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def publish(call):
        try:
            barrier.wait()
            decisions_publish(call=call, by=boss)
            outcomes.append("published")
        except PublishRefused:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(call,)) for call in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == ["published", "refused"]
    assert Membership.objects.filter(cohort=cohort).count() == 2
    assert Call.objects.filter(decisions_published_at__isnull=False).count() == 1
