"""Eligibility reasons become codes with parameters, rendered in each reader's language.

Existing reasons were stored as sentences in the applicant's language. They are evaluated again here from the
application's data and its call's rules (the same rules as `applications.checks`, written out so that this
migration does not depend on code that may change); a reason whose rules no longer fail is kept as written."""

import datetime
from zoneinfo import ZoneInfo

from django.db import migrations


def _age_on(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _matches(given, expected: str) -> bool:
    expected = expected.strip().casefold()
    if isinstance(given, list):
        return expected in {str(item).casefold() for item in given}
    return given is not None and str(given).strip().casefold() == expected


def _codes(application, rules, questions) -> list[dict]:
    reasons = []
    call = application.call
    for rule in rules:
        if rule.kind == "age_range":
            on = rule.age_on or call.closes_at.astimezone(ZoneInfo(call.cohort.program.time_zone)).date()
            if application.date_of_birth is None:
                reasons.append({"code": "age_unknown", "params": {}})
                continue
            age = _age_on(application.date_of_birth, on)
            low, high = rule.min_age, rule.max_age
            if (low is not None and age < low) or (high is not None and age > high):
                code = (
                    "age_range"
                    if low is not None and high is not None
                    else ("age_min" if low is not None else "age_max")
                )
                reasons.append({"code": code, "params": {"age": age, "date": on.isoformat(), "low": low, "high": high}})
        elif rule.kind == "regions":
            allowed = list(rule.regions.all())
            if allowed and application.region_id not in {region.pk for region in allowed}:
                reasons.append({"code": "regions", "params": {"regions": [r.name for r in allowed]}})
        elif rule.kind == "answer":
            question = questions.get(rule.question_id)
            if question is not None and not _matches(
                application.answers.get(str(rule.question_id)), rule.expected_answer
            ):
                params = {"question": question.label, "expected": rule.expected_answer, "kind": question.kind}
                reasons.append({"code": "answer", "params": params})
    return reasons


def forwards(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    EligibilityRule = apps.get_model("applications", "EligibilityRule")
    Question = apps.get_model("applications", "Question")
    rules_by_call, questions_by_call = {}, {}
    with_text = Application.objects.exclude(eligibility_reasons=[]).select_related("call__cohort__program")
    for application in with_text.iterator(chunk_size=500):
        if not any(isinstance(reason, str) for reason in application.eligibility_reasons):
            continue
        call_id = application.call_id
        if call_id not in rules_by_call:
            rules_by_call[call_id] = list(
                EligibilityRule.objects.filter(call_id=call_id).prefetch_related("regions").order_by("id")
            )
            questions_by_call[call_id] = {q.pk: q for q in Question.objects.filter(call_id=call_id)}
        codes = _codes(application, rules_by_call[call_id], questions_by_call[call_id])
        if codes:
            application.eligibility_reasons = codes
            application.save(update_fields=["eligibility_reasons"])


class Migration(migrations.Migration):
    dependencies = [("applications", "0005_trust_contact_questions_program_emails_cancelled_decisions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
