"""A new call made from a program's last one: its questions, eligibility rules, rubric criteria, regional quotas and
review settings copied into a call that opens in the future, for the manager to adjust in the admin.

The result letters (decision emails) belong to the program, not to a call: the copy makes sure the program has its
own wording (copied from the portal's defaults when it has none yet), so the new call sends the same letters."""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from applications.models import Call, EligibilityRule, Question
from applications.scoring.models import Criterion, DecisionEmailTemplate, RegionQuota, ReviewSettings
from applications.scoring.setup import decision_templates_copy_defaults
from cohorts.models import Cohort
from incubator.audit import audit_record
from incubator.history import recorded_by

# Copied as they are; the call, ids and anything an application or a review wrote are not.
QUESTION_FIELDS = (
    "position",
    "label",
    "help_text",
    "kind",
    "required",
    "choices",
    "word_limit",
    "allowed_file_types",
    "max_file_size_mb",
    "is_contact",
    "venture_role",
)
RULE_FIELDS = ("kind", "min_age", "max_age", "age_on", "expected_answer")
CRITERION_FIELDS = ("stage", "position", "name", "description", "weight", "scale_min", "scale_max", "informational")
SETTINGS_FIELDS = (
    "has_interview",
    "reviews_per_application",
    "others_visible",
    "anonymised",
    "normalise",
    "disagreement_threshold",
    "interview_weight",
)


def last_call(program) -> Call | None:
    """The program's most recent call (by opening), the one "new call" copies."""
    return Call.objects.filter(cohort__program=program).order_by("-opens_at", "-pk").first()


def _target_cohort(call: Call) -> Cohort:
    """The program's newest cohort that no call fills yet, else the copied call's own cohort."""
    free = (
        Cohort.objects.filter(program_id=call.cohort.program_id, calls__isnull=True)
        .order_by("-starts_on", "-pk")
        .first()
    )
    return free or call.cohort


def _free_slug(slug: str) -> str:
    base = f"{slug[:70]}-copy"
    taken = set(Call.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _future_dates(call: Call, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The copied call's dates moved on by whole years until it opens after `now`: it is not open by accident.
    They move in the program's zone, so a deadline at 23:59 stays at 23:59 on the same date whatever the daylight
    saving of either year (moved in UTC it could fall on the next day)."""
    zone = ZoneInfo(call.cohort.program.time_zone)
    years = 0
    opens, closes = call.opens_at, call.closes_at
    while opens <= now:
        years += 1
        opens = _add_years(call.opens_at, years, zone)
        closes = _add_years(call.closes_at, years, zone)
    return opens, closes


def _add_years(value: datetime.datetime, years: int, zone: ZoneInfo) -> datetime.datetime:
    local = value.astimezone(zone)
    try:
        moved = local.replace(year=local.year + years)
    except ValueError:  # 29 February
        moved = local.replace(year=local.year + years, day=28)
    return moved.astimezone(datetime.UTC)


@recorded_by
def _copy_form(source: Call, copy: Call) -> int:
    """The questions and the eligibility rules (pointing at the copied questions); returns how many questions."""
    question_ids = {}
    for question in source.questions.order_by("position", "pk"):
        new = Question.objects.create(call=copy, **{name: getattr(question, name) for name in QUESTION_FIELDS})
        question_ids[question.pk] = new
    for rule in source.eligibility_rules.prefetch_related("regions").order_by("pk"):
        new_rule = EligibilityRule.objects.create(
            call=copy,
            question=question_ids.get(rule.question_id),
            **{name: getattr(rule, name) for name in RULE_FIELDS},
        )
        new_rule.regions.set(rule.regions.all())
    return len(question_ids)


def _copy_scoring(source: Call, copy: Call) -> None:
    """The rubric, the regional quotas and the review settings with their reviewers."""
    Criterion.objects.bulk_create(
        Criterion(call=copy, **{name: getattr(criterion, name) for name in CRITERION_FIELDS})
        for criterion in Criterion.objects.filter(call=source).order_by("position", "pk")
    )
    RegionQuota.objects.bulk_create(
        RegionQuota(call=copy, region_id=quota.region_id, minimum=quota.minimum, maximum=quota.maximum)
        for quota in source.quotas.order_by("pk")
    )
    review_settings = ReviewSettings.objects.filter(call=source).first()
    if review_settings is not None:
        new_settings = ReviewSettings.objects.create(
            call=copy, **{name: getattr(review_settings, name) for name in SETTINGS_FIELDS}
        )
        new_settings.reviewers.set(review_settings.reviewers.all())


def call_copy(*, call: Call, by) -> Call:
    """A new call copying `call`'s questions, eligibility rules, criteria, quotas and review settings; audited."""
    with transaction.atomic():
        source = Call.objects.select_for_update().select_related("cohort").get(pk=call.pk)
        opens, closes = _future_dates(source, timezone.now())
        copy = Call.objects.create(
            cohort=_target_cohort(source),
            slug=_free_slug(source.slug),
            title=source.title,
            description=source.description,
            opens_at=opens,
            closes_at=closes,
            seats=source.seats,
            editable_after_submit=source.editable_after_submit,
            is_published=False,  # prepared in the admin, published when the manager ticks "published"
        )
        questions = _copy_form(source, copy)
        _copy_scoring(source, copy)
        program = source.cohort.program
        decision_templates_copy_defaults(program=program, by=by)
        audit_record(
            actor=by,
            action="applications.call_copy",
            obj=copy,
            after={
                "copied_from": source.pk,
                "questions": questions,
                "criteria": Criterion.objects.filter(call=copy).count(),
                "letters": DecisionEmailTemplate.objects.filter(program=program).count(),
            },
        )
    return copy
