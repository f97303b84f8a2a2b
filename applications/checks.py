"""Pure checks on an application: what is still missing, and whether it meets the call's rules.

Both run on already-loaded objects (no queries of their own), so the form, the preview, the submit
service and the demo seeder share them.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, EligibilityRule, Question
from incubator.when import format_day

STANDARD_FIELDS = ["full_name", "date_of_birth", "region", "phone", "email"]


def standard_field_label(name: str) -> str:
    return str(Application._meta.get_field(name).verbose_name)


def answer_given(question: Question, answers: dict, file_question_ids: set[int]) -> bool:
    if question.kind == Question.Kind.FILE:
        return question.pk in file_question_ids
    value = answers.get(str(question.pk))
    return value not in (None, "", [])


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def missing_fields(application: Application, questions, file_question_ids: set[int]) -> list[tuple[str, str]]:
    """(form field name, label) of required things not yet given: the standard data, then the required questions."""
    missing = [(name, standard_field_label(name)) for name in STANDARD_FIELDS if not _standard_given(application, name)]
    missing += [
        (f"q_{q.pk}", q.label)
        for q in questions
        if q.required and not answer_given(q, application.answers, file_question_ids)
    ]
    return missing


def missing_items(application: Application, questions, file_question_ids: set[int]) -> list[str]:
    return [label for _name, label in missing_fields(application, questions, file_question_ids)]


def invalid_fields(application: Application, questions) -> list[tuple[str, str]]:
    """(form field name, label) of the answers kept as typed because they are not valid yet, in the form's order."""
    labels = {name: standard_field_label(name) for name in STANDARD_FIELDS}
    labels.update({f"q_{q.pk}": q.label for q in questions})
    labels["team"] = str(_("Team members"))
    return [(name, label) for name, label in labels.items() if name in application.invalid_answers]


def invalid_items(application: Application, questions) -> list[str]:
    return [
        _("“%(label)s”: this answer is not valid yet; correct it in the form.") % {"label": label}
        for _name, label in invalid_fields(application, questions)
    ]


def progress(application: Application, questions, file_question_ids: set[int]) -> Progress:
    total = len(STANDARD_FIELDS) + sum(1 for q in questions if q.required)
    return Progress(done=total - len(missing_items(application, questions, file_question_ids)), total=total)


def _standard_given(application: Application, name: str) -> bool:
    if name == "region":
        return application.region_id is not None
    return getattr(application, name) not in (None, "")


def age_on(date_of_birth: datetime.date, on: datetime.date) -> int:
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def rule_date(rule: EligibilityRule) -> datetime.date:
    """The date ages are counted on: the rule's own, else the deadline's date where the program is."""
    return rule.age_on or timezone.localtime(rule.call.closes_at, rule.call.zone).date()


def ineligibility_reasons(application: Application, rules, questions_by_id: dict[int, Question]) -> list[dict]:
    """Why the application fails the rules, as codes with their parameters ({"code": …, "params": {…}}), so
    each reader sees them in their own language (`reason_text`); empty means eligible.

    `rules` must come with `call__cohort__program` and `regions` loaded."""
    reasons = []
    for rule in rules:
        if rule.kind == EligibilityRule.Kind.AGE_RANGE:
            reasons += _age_reasons(application, rule)
        elif rule.kind == EligibilityRule.Kind.REGIONS:
            allowed = list(rule.regions.all())
            if allowed and application.region_id not in {region.pk for region in allowed}:
                reasons.append({"code": "regions", "params": {"regions": [r.name for r in allowed]}})
        elif rule.kind == EligibilityRule.Kind.ANSWER:
            question = questions_by_id.get(rule.question_id)
            given = application.answers.get(str(rule.question_id))
            if question is not None and not _answer_matches(given, rule.expected_answer):
                params = {"question": question.label, "expected": rule.expected_answer, "kind": question.kind}
                reasons.append({"code": "answer", "params": params})
    return reasons


def _age_reasons(application: Application, rule: EligibilityRule) -> list[dict]:
    on = rule_date(rule)
    if application.date_of_birth is None:
        return [{"code": "age_unknown", "params": {}}]
    age = age_on(application.date_of_birth, on)
    low, high = rule.min_age, rule.max_age
    if (low is not None and age < low) or (high is not None and age > high):
        code = "age_range" if low is not None and high is not None else ("age_min" if low is not None else "age_max")
        return [{"code": code, "params": {"age": age, "date": on.isoformat(), "low": low, "high": high}}]
    return []


def reason_text(reason) -> str:
    """One stored reason in the active language. A plain string is a reason kept from before the codes, whose
    rules no longer gave a code when the rows were migrated: shown as it was written."""
    if isinstance(reason, str):
        return reason
    code, params = reason.get("code"), dict(reason.get("params") or {})
    if code == "age_unknown":
        return _("Your date of birth is needed to check the age limits.")
    if code in ("age_range", "age_min", "age_max"):
        params["date"] = format_day(datetime.date.fromisoformat(params["date"]))
        if code == "age_range":
            text = _("Applicants must be %(low)s to %(high)s years old on %(date)s; your age on that date: %(age)s.")
        elif code == "age_min":
            text = _("Applicants must be at least %(low)s years old on %(date)s; your age on that date: %(age)s.")
        else:
            text = _("Applicants must be at most %(high)s years old on %(date)s; your age on that date: %(age)s.")
        return text % params
    if code == "regions":
        return _("Your region must be one of: %(regions)s.") % {"regions": ", ".join(params["regions"])}
    if code == "answer":
        return _("The answer to “%(question)s” must be “%(expected)s”.") % {
            "question": params["question"],
            "expected": _display_expected(params.get("kind", ""), params["expected"]),
        }
    return params.get("text", str(reason))


def reasons_text(reasons) -> list[str]:
    return [reason_text(reason) for reason in reasons or []]


def _answer_matches(given, expected: str) -> bool:
    expected = expected.strip().casefold()
    if isinstance(given, list):
        return expected in {str(item).casefold() for item in given}
    return given is not None and str(given).strip().casefold() == expected


def _display_expected(kind: str, expected: str) -> str:
    if kind == Question.Kind.YES_NO:
        return {"yes": _("Yes"), "no": _("No")}.get(expected.strip().lower(), expected)
    return expected
