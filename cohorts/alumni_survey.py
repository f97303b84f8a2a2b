"""The alumni outcome survey's window and its one state change: a member answers.

A cohort's survey opens a year after its last day (`ends_on`), at 09:00 in its program's time zone, and stays open
for a year: cohorts that ended more than two years ago are not surveyed, so the first deploy (and a cohort whose
end date is corrected into the past) does not invite people about a program they left long ago. Active and
graduated members are asked, once each; their answer is final."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.checkin_values import TEXT_LIMIT, read_fte
from cohorts.models import AlumniSurvey, Cohort, Membership, MetricSet
from incubator.audit import audit_record
from incubator.models import User

SEND_TIME = datetime.time(9)
SURVEYED = [Membership.Status.ACTIVE, Membership.Status.GRADUATED]


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def survey_day(cohort: Cohort) -> datetime.date | None:
    """The day the survey goes out, in the program's calendar."""
    return _years_after(cohort.ends_on, 1) if cohort.ends_on else None


def _at_send_time(cohort: Cohort, years: int) -> datetime.datetime | None:
    if cohort.ends_on is None:
        return None
    day = _years_after(cohort.ends_on, years)
    return datetime.datetime.combine(day, SEND_TIME, tzinfo=ZoneInfo(str(cohort.program.time_zone)))


def survey_opens(cohort: Cohort) -> datetime.datetime | None:
    """A year after the cohort's last day, 09:00 in the program's zone (None for a cohort with no end date)."""
    return _at_send_time(cohort, 1)


def survey_closes(cohort: Cohort) -> datetime.datetime | None:
    return _at_send_time(cohort, 2)


def survey_is_open(cohort: Cohort, now: datetime.datetime | None = None) -> bool:
    opens = survey_opens(cohort)
    return opens is not None and opens <= (now or timezone.now()) < survey_closes(cohort)


def program_currency(program_id: int) -> str:
    """The currency of the program's check-ins, in which revenue bands are read ("" if it asks none)."""
    return MetricSet.objects.filter(program_id=program_id).values_list("currency", flat=True).first() or ""


def _read(typed: dict[str, str], language: str) -> tuple[dict, dict]:
    """The answer's columns from what was typed, and the messages of the fields that do not read."""
    errors = {}
    venture, band, helped = typed.get("venture", ""), typed.get("revenue_band", ""), typed.get("helped_most", "")
    if venture not in AlumniSurvey.Venture.values:
        errors["venture"] = _("Say whether your venture is active.")
    if helped not in AlumniSurvey.Helped.values:
        errors["helped_most"] = _("Choose what helped you most.")
    if len(typed.get("comment", "")) > TEXT_LIMIT:
        errors["comment"] = _("Please keep to %(limit)s characters.") % {"limit": TEXT_LIMIT}
    values = {"venture": venture, "helped_most": helped, "comment": typed.get("comment", "").strip()}
    values |= {"jobs": None, "revenue_band": ""}
    if venture == AlumniSurvey.Venture.ACTIVE:
        try:
            values["jobs"] = _jobs(typed.get("jobs", ""), language)
        except ValidationError as error:
            errors["jobs"] = error.messages[0]
        if band not in AlumniSurvey.RevenueBand.values:
            errors["revenue_band"] = _("Choose the band of your venture's revenue.")
        values["revenue_band"] = band
    return values, errors


def _jobs(typed: str, language: str) -> Decimal:
    if not typed.strip():
        raise ValidationError(_("Answer this question (0 if there is nothing to report)."))
    return read_fte(typed, language)


def alumni_survey_answer(
    *, membership: Membership, typed: dict[str, str], by: User, language: str, now: datetime.datetime | None = None
) -> AlumniSurvey:
    """The member's answer, read from what they typed in `language`; a ValidationError keyed by field if a field
    does not read, or a plain one if the survey is not open or already answered. `now` is the moment of the answer
    (the demo's history sets it)."""
    now = now or timezone.now()
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",)).select_related("cohort__program").get(pk=membership.pk)
        )
        if membership.person_id != by.pk or membership.status not in SURVEYED:
            raise PermissionDenied
        if AlumniSurvey.objects.filter(membership=membership).exists():
            raise ValidationError(_("You have already answered this survey. Thank you!"))
        if not survey_is_open(membership.cohort, now):
            raise ValidationError(_("This survey is not open."))
        values, errors = _read(typed, language)
        if errors:
            raise ValidationError(errors)
        currency = program_currency(membership.cohort.program_id) if values["revenue_band"] else ""
        survey = AlumniSurvey.objects.create(membership=membership, currency=currency, answered_at=now, **values)
        # The codes and figures only: the comment is the member's own words, kept out of the audit trail.
        summary = {key: str(values[key]) for key in ("venture", "jobs", "revenue_band", "helped_most")}
        audit_record(actor=by, action="alumni_survey.answer", obj=membership, after=summary)
    return survey
