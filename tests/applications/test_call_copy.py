""" "New call" on a program's home: the last call's questions, rules, rubric, quotas and review settings copied into
a call that opens in the future; the program's letters go with it; audited; for the program's managers only."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from applications.call_copy import call_copy
from applications.models import Call
from applications.scoring.models import DecisionEmailTemplate, RegionQuota
from cohorts.models import Program
from tests.applications.factories import add_rules, make_call
from tests.applications.scoring.factories import manager, scoring_call
from tests.audit_trail import action
from tests.factories import CohortFactory, UserFactory

pytestmark = pytest.mark.calendar


@pytest.fixture
def source(db):
    call = scoring_call(slug="kawalis-1")
    questions = make_call(slug="kawalis-q", program=call.cohort.program)
    questions.questions.update(call=call)  # the five test questions, moved onto the scored call
    questions.delete()
    add_rules(call)
    RegionQuota.objects.create(call=call, region=call.cohort.program.regions.get(name="North"), minimum=2)
    DecisionEmailTemplate.objects.create(language="fr", outcome="accept", subject="Bravo {name}", body="{url}")
    return call


def same_date_and_time_a_year_on(source: Call, copy: Call) -> bool:
    """The copy opens and closes on the same dates at the same times of day in the program's zone, whole years on
    (not after the same number of days: a year with a 29 February or other daylight-saving days is in between)."""
    zone = ZoneInfo(source.cohort.program.time_zone)
    source_local = [getattr(source, name).astimezone(zone).replace(tzinfo=None) for name in ("opens_at", "closes_at")]
    copy_local = [getattr(copy, name).astimezone(zone).replace(tzinfo=None) for name in ("opens_at", "closes_at")]
    years = copy_local[0].year - source_local[0].year
    return years > 0 and copy_local == [value.replace(year=value.year + years) for value in source_local]


def test_a_deadline_at_23_59_in_jerusalem_stays_on_its_date_across_a_change_of_daylight_saving(source):
    """Israel's clocks moved on 26 March 2027 and on 24 March 2028: 25 March at 23:59 is 21:59 UTC in 2027 but
    20:59 UTC in 2028; moved on in UTC, the copy's deadline fell at 00:59 on 26 March."""
    zone = ZoneInfo("Asia/Jerusalem")
    Program.objects.filter(pk=source.cohort.program_id).update(time_zone="Asia/Jerusalem")
    source.refresh_from_db()
    source.opens_at = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=zone)
    source.closes_at = datetime.datetime(2027, 3, 25, 23, 59, tzinfo=zone)
    source.save()
    with time_machine.travel(datetime.datetime(2027, 6, 1, tzinfo=datetime.UTC)):
        copy = call_copy(call=source, by=manager(source.cohort.program))
    assert copy.closes_at == datetime.datetime(2028, 3, 25, 23, 59, tzinfo=zone)
    assert copy.opens_at == datetime.datetime(2028, 3, 1, 9, 0, tzinfo=zone)


def test_the_copy_has_the_questions_rules_criteria_quotas_settings_and_the_program_s_letters(source):
    boss = manager(source.cohort.program)
    second = CohortFactory(program=source.cohort.program, slug="kawalis-2", starts_on=source.cohort.starts_on)
    copy = call_copy(call=source, by=boss)
    assert copy.pk != source.pk and copy.slug == "kawalis-1-copy" and copy.title == source.title
    assert copy.cohort == second  # the program's cohort no call fills yet
    assert copy.opens_at > timezone.now()
    assert same_date_and_time_a_year_on(source, copy)
    fields = ("position", "label", "kind", "required", "choices", "word_limit", "max_file_size_mb")
    assert list(copy.questions.values_list(*fields)) == list(source.questions.values_list(*fields))
    assert len(copy.questions.all()) == 5
    criteria = ("position", "name", "weight", "scale_min", "scale_max", "informational")
    assert list(copy.criteria_set.values_list(*criteria)) == list(source.criteria_set.values_list(*criteria))
    rules = list(copy.eligibility_rules.order_by("pk"))
    assert [rule.kind for rule in rules] == ["age_range", "regions", "answer"]
    assert rules[2].question.call == copy and rules[2].question.position == 3  # the copy's own question
    assert {r.name for r in rules[1].regions.all()} == {"North", "South"}
    assert list(copy.quotas.values_list("region__name", "minimum")) == [("North", 2)]
    assert copy.review_settings.stage == "screening" and copy.review_settings.reviews_per_application == 3
    # The letters are the program's: it has its own copy of them, which the new call sends.
    assert DecisionEmailTemplate.objects.filter(program=source.cohort.program, subject="Bravo {name}").exists()
    entry = action(action="applications.call_copy")
    assert (entry.actor, entry.object_id) == (boss, copy.pk)
    assert entry.after["copied_from"] == source.pk and entry.after["questions"] == 5 and entry.after["criteria"] == 5
    assert call_copy(call=source, by=boss).slug == "kawalis-1-copy-2"
    assert source.questions.count() == 5  # the source is untouched


def test_new_call_on_the_program_home_copies_the_last_call_and_opens_it_in_the_admin(client, source):
    boss = manager(source.cohort.program)
    client.force_login(boss)
    url = reverse("applications:program_call_copy", args=[source.cohort.program.slug])
    response = client.post(url)
    copy = Call.objects.get(slug="kawalis-1-copy")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:applications_call_change", args=[copy.pk])
    assert client.get(response["Location"]).status_code == 200
    assert client.get(url).status_code == 405


def test_a_manager_of_another_program_cannot_copy_its_calls(client, source):
    client.force_login(manager(scoring_call(slug="elsewhere").cohort.program))
    response = client.post(reverse("applications:program_call_copy", args=[source.cohort.program.slug]))
    assert response.status_code == 404
    assert not Call.objects.filter(slug__startswith="kawalis-1-copy").exists()


def test_a_copy_waits_unpublished_until_the_manager_publishes_it(source, client):
    """Copying prepares a call; nobody but the program's managers sees it, and nobody applies, until it is published."""
    boss = manager(source.cohort.program)
    copy = call_copy(call=source, by=boss)
    assert not copy.is_published and not copy.is_open(copy.opens_at)
    client.force_login(UserFactory())
    listing = client.get(reverse("applications:calls")).content.decode()
    assert reverse("applications:call", args=[source.slug]) in listing
    assert reverse("applications:call", args=[copy.slug]) not in listing
    assert client.get(reverse("applications:call", args=[copy.slug])).status_code == 404
    client.force_login(manager(CohortFactory().program))
    assert client.get(reverse("applications:call", args=[copy.slug])).status_code == 404
    client.force_login(boss)
    assert client.get(reverse("applications:call", args=[copy.slug])).status_code == 200
    body = client.get(reverse("programs:home", args=[source.cohort.program.slug])).content.decode()
    assert 'data-testid="call-unpublished"' in body
    Call.objects.filter(pk=copy.pk).update(is_published=True)
    copy.refresh_from_db()
    assert copy.is_open(copy.opens_at)
    client.force_login(UserFactory())
    assert client.get(reverse("applications:call", args=[copy.slug])).status_code == 200
