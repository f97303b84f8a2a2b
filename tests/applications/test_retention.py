"""Each program keeps rejected applications' personal data for its retention period; then a beat task erases it."""

import datetime
import json
import threading

import pytest
import time_machine
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.test import TestCase

from applications.models import Application
from applications.personal_data import application_personal_data_erase, rejected_personal_data_sweep
from applications.scoring import selectors as scoring_selectors
from applications.scoring.decisions import decisions_publish, decisions_record
from applications.tasks import applications_rejected_personal_data_sweep
from tests.applications.scoring.factories import manager, reviewer, score
from tests.audit_trail import action, actions
from tests.factories import UserFactory
from tests.incubator.personal_data_world import apply, scored_call

PUBLISHED = datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)


def published_call(slug: str, *, retention_days: int | None, people: dict[str, str]) -> dict[str, Application]:
    """A call whose decisions were published at PUBLISHED: `people` maps a name to accept / reject / waitlist."""
    with time_machine.travel(PUBLISHED - datetime.timedelta(days=20), tick=False):
        call = scored_call(slug)
        program = call.cohort.program
        program.rejected_data_retention_days = retention_days
        program.save(update_fields=["rejected_data_retention_days"])
        boss = manager()
        rita = reviewer()
        applications = {}
        for name in people:
            applications[name] = apply(call, UserFactory(name=name), project=f"{name} project", partner="Pat Partner")
            score(applications[name], rita, 3, comment=f"About {name}")
    with time_machine.travel(PUBLISHED, tick=False):
        for name, outcome in people.items():
            decisions_record(applications=[applications[name]], outcome=outcome, by=boss)
        decisions_publish(call=call, by=boss)
    return {name: Application.objects.get(pk=app.pk) for name, app in applications.items()}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def apps(db):
    kept = published_call("kept", retention_days=30, people={"Rana": "reject", "Adam": "accept", "Wafa": "waitlist"})
    forever = published_call("forever", retention_days=None, people={"Nour": "reject"})
    return {**kept, **forever}


def sweep_at(moment: datetime.datetime, **kwargs) -> int:
    with time_machine.travel(moment, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        return rejected_personal_data_sweep(**kwargs)


def test_only_rejected_applications_past_the_period_are_erased_and_only_once(apps):
    rana_file = apps["Rana"].files.get().file.name
    ranking_before = [(r.id, r.status, r.region_name, r.mean) for r in scoring_selectors.ranking(apps["Rana"].call)]

    assert sweep_at(PUBLISHED + datetime.timedelta(days=29, hours=23)) == 0
    assert Application.objects.get(pk=apps["Rana"].pk).full_name == "Rana"

    assert sweep_at(PUBLISHED + datetime.timedelta(days=30, minutes=1)) == 1
    rana = Application.objects.get(pk=apps["Rana"].pk)
    assert (rana.full_name, rana.email, rana.phone, rana.date_of_birth) == ("", "", "", None)
    assert rana.status == "rejected" and rana.region.name == "North"
    assert not rana.files.exists() and not default_storage.exists(rana_file)
    assert "Rana" not in json.dumps(rana.versions.get().data)
    ranking_after = [(r.id, r.status, r.region_name, r.mean) for r in scoring_selectors.ranking(rana.call)]
    assert ranking_after == ranking_before
    # Accepted and waitlisted people keep theirs; a program without a period keeps everything.
    for name in ("Adam", "Wafa", "Nour"):
        application = Application.objects.get(pk=apps[name].pk)
        assert application.full_name == name and application.personal_data_erased_at is None
        assert application.files.exists()

    assert sweep_at(PUBLISHED + datetime.timedelta(days=90)) == 0
    assert len(actions(action="application.personal_data_erase", object_id=rana.pk)) == 1
    entry = action(action="application.personal_data_erase")
    assert entry.actor is None and entry.note == "retention: 30 days"


def test_the_sweep_works_in_batches_until_nothing_is_due(db):
    people = {f"Person {n}": "reject" for n in range(5)}
    apps = published_call("batches", retention_days=1, people=people)
    assert sweep_at(PUBLISHED + datetime.timedelta(days=2), batch=2) == 5
    assert not Application.objects.filter(pk__in=[a.pk for a in apps.values()], personal_data_erased_at=None).exists()


def test_a_shorter_period_set_later_applies_to_decisions_already_published(apps):
    program = apps["Nour"].call.cohort.program
    program.rejected_data_retention_days = 0
    program.save(update_fields=["rejected_data_retention_days"])
    assert sweep_at(PUBLISHED + datetime.timedelta(minutes=1)) == 1
    assert Application.objects.get(pk=apps["Nour"].pk).full_name == ""


def test_erasing_twice_changes_nothing_the_second_time(apps):
    first = application_personal_data_erase(application=apps["Rana"], by=None)
    again = application_personal_data_erase(application=apps["Rana"], by=None)
    assert again.personal_data_erased_at == first.personal_data_erased_at
    assert len(actions(action="application.personal_data_erase")) == 1


def test_the_beat_schedule_runs_the_task_which_calls_the_sweep(apps):
    entry = settings.CELERY_BEAT_SCHEDULE["applications-rejected-personal-data-sweep"]
    assert entry["task"] == "applications.tasks.applications_rejected_personal_data_sweep"
    with time_machine.travel(PUBLISHED + datetime.timedelta(days=31), tick=False):
        assert applications_rejected_personal_data_sweep.delay().get() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_erase_each_application_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    people = {f"Person {n}": "reject" for n in range(6)}
    apps = published_call("race", retention_days=1, people=people)
    barrier = threading.Barrier(2)
    results = []

    def sweep():
        try:
            barrier.wait()
            results.append(rejected_personal_data_sweep(now=PUBLISHED + datetime.timedelta(days=2), batch=2))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(results) == 6
    assert len(actions(action="application.personal_data_erase")) == 6
    assert not Application.objects.filter(pk__in=[a.pk for a in apps.values()], personal_data_erased_at=None).exists()
