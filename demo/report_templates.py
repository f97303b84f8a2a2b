"""The funders' report templates of three demo programs, and Kawalis' first cohort's report to its EU funder,
submitted after the cohort ended. Made through the services once; seeding again finds them and changes nothing."""

import datetime
from zoneinfo import ZoneInfo

from cohorts.models import Program
from demo.cohorts import PROGRAM_MANAGERS
from demo.mentoring import KAWALIS_FIRST
from incubator.models import User
from mentoring.report_models import ReportSnapshot, ReportTemplate
from mentoring.report_templates import TemplateData, report_submit, report_template_create

TEMPLATES = [
    # program, name, funder, language, sections, introduction
    ("kawalis", "EU youth programme", "Union européenne — programme jeunesse", "fr", ["youth", "people", "regions"],
     "Jeunes de 18 à 29 ans accompagnés par le programme Kawalis, par région et par genre."),
    ("regional-leaders", "משרד הפנים", "משרד הפנים", "he", ["totals", "kinds", "people"],
     "מפגשי התוכנית ושיעורי ההשתתפות של מנהיגי האשכול."),
    ("bizup", "בנק", "הבנק השותף", "he", ["outcomes", "people"], "הכנסות, משרות והמשתתפים שהתוכנית ליוותה."),
]  # fmt: skip
# The EU report of the first cohort went out two weeks after the cohort ended.
KAWALIS_SUBMITTED = datetime.datetime(2023, 10, 16, 11, 0, tzinfo=ZoneInfo("Africa/Casablanca"))


def seed_report_templates(stdout) -> None:
    for slug, name, funder, language, sections, intro in TEMPLATES:
        program = Program.objects.get(slug=slug)
        if not ReportTemplate.objects.filter(program=program, name__iexact=name).exists():
            report_template_create(
                program=program, data=TemplateData(name, funder, language, sections, intro), by=_manager(slug)
            )
    _kawalis_report()
    stdout.write(f"report templates: {ReportTemplate.objects.count()}, submitted: {ReportSnapshot.objects.count()}")


def _manager(slug: str) -> User:
    return User.objects.get(email=PROGRAM_MANAGERS[slug])


def _kawalis_report() -> None:
    template = ReportTemplate.objects.get(program__slug="kawalis", name=TEMPLATES[0][1])
    if template.snapshots.exists():
        return
    _slug, _name, start, end = KAWALIS_FIRST
    snapshot = report_submit(template=template, start=start, end=end, by=_manager("kawalis"), note="")
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(submitted_at=KAWALIS_SUBMITTED)
