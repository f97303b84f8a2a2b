"""Calls and questions for tests; applications themselves are built through the services."""

import datetime

from django.utils import timezone

from applications.models import Call, EligibilityRule, Question
from cohorts.models import Cohort, Program, Region

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def program_with_regions(slug="testprog", time_zone="Africa/Casablanca", regions=("North", "South", "Elsewhere")):
    program, _ = Program.objects.get_or_create(slug=slug, defaults={"name": slug.title(), "time_zone": time_zone})
    for position, name in enumerate(regions):
        Region.objects.get_or_create(program=program, name=name, defaults={"position": position})
    return program


def make_call(
    *, slug="test-call", opens_at=None, closes_at=None, editable_after_submit=False, program=None, questions=True
) -> Call:
    program = program or program_with_regions()
    cohort, _ = Cohort.objects.get_or_create(slug=f"{slug}-cohort", defaults={"program": program, "name": slug})
    now = timezone.now()
    call = Call.objects.create(
        cohort=cohort,
        slug=slug,
        title=f"Call {slug}",
        description="A call for tests.",
        opens_at=opens_at or now - datetime.timedelta(days=1),
        closes_at=closes_at or now + datetime.timedelta(days=10),
        seats=10,
        editable_after_submit=editable_after_submit,
    )
    if questions:
        Question.objects.bulk_create(
            [
                Question(call=call, position=1, label="Project name", kind=Question.Kind.SHORT_TEXT),
                Question(call=call, position=2, label="Describe it", kind=Question.Kind.LONG_TEXT, word_limit=5),
                Question(call=call, position=3, label="Based here?", kind=Question.Kind.YES_NO),
                Question(
                    call=call,
                    position=4,
                    label="Fields",
                    kind=Question.Kind.MULTIPLE_CHOICE,
                    choices="Music\nDesign\nCrafts",
                    required=False,
                ),
                Question(call=call, position=5, label="Presentation", kind=Question.Kind.FILE, max_file_size_mb=1),
            ]
        )
    return call


def question(call: Call, position: int) -> Question:
    return call.questions.get(position=position)


def add_rules(call: Call, *, ages=(18, 29), regions=("North", "South"), answer="yes") -> None:
    if ages:
        EligibilityRule.objects.create(call=call, kind="age_range", min_age=ages[0], max_age=ages[1])
    if regions:
        rule = EligibilityRule.objects.create(call=call, kind="regions")
        rule.regions.set(call.cohort.program.regions.filter(name__in=regions))
    if answer:
        EligibilityRule.objects.create(call=call, kind="answer", question=question(call, 3), expected_answer=answer)
