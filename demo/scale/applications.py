"""The scale calls for `seed_scale` (see demo/scale/__init__.py): a closed call with `applications` submitted
applications (answers, file metadata and their submitted version), and an open "deadline day" call where
`deadline_applicants` of the same applicants hold drafts (`make bench` autosaves and submits them)."""

import datetime

from django.utils import timezone

from applications.models import Application, ApplicationFile, ApplicationVersion, Call, Question
from applications.submission import application_snapshot
from demo.scale import BATCH, Scale, people

CALL_SLUG = "scale-call"
DEADLINE_CALL_SLUG = "scale-deadline-day"
LONG_ANSWER = (
    "We design and print packaging for small food producers in our region, and want to reach shops in the "
    "capital. Our team of three has worked together for two years; we have twelve regular clients and a waiting "
    "list. With the incubator's support we would buy a second cutting plotter, train two apprentices and build "
    "a simple online shop, so that producers from villages far from the city can order without travelling. "
)
QUESTIONS = [
    (Question.Kind.SHORT_TEXT, "Name of your project", ""),
    (Question.Kind.LONG_TEXT, "Describe your project", ""),
    (Question.Kind.LONG_TEXT, "What will you do with the incubator's support?", ""),
    (Question.Kind.NUMBER, "Yearly revenue so far (MAD)", ""),
    (Question.Kind.DATE, "When did you start?", ""),
    (Question.Kind.YES_NO, "Is your business registered?", ""),
    (Question.Kind.SINGLE_CHOICE, "Stage", "Idea\nPrototype\nFirst clients\nGrowing"),
    (Question.Kind.MULTIPLE_CHOICE, "Fields", "Design\nCrafts\nVideo\nMusic\nFashion"),
    (Question.Kind.URL, "Website or portfolio", ""),
    (Question.Kind.FILE, "Portfolio (PDF)", ""),
]


def _questions(call: Call) -> list[Question]:
    return Question.objects.bulk_create(
        [
            Question(call=call, position=n, kind=kind, label=label, choices=choices, word_limit=300)
            for n, (kind, label, choices) in enumerate(QUESTIONS)
        ]
    )


def answers(questions: list[Question], n: int) -> dict:
    """A complete set of answers, slightly different for each applicant `n`."""
    values = {
        Question.Kind.SHORT_TEXT: f"Project {n:05d}",
        Question.Kind.LONG_TEXT: LONG_ANSWER,
        Question.Kind.NUMBER: str(10_000 + n),
        Question.Kind.DATE: (datetime.date(2020, 1, 1) + datetime.timedelta(days=n % 1500)).isoformat(),
        Question.Kind.YES_NO: "yes" if n % 3 else "no",
        Question.Kind.SINGLE_CHOICE: ["Idea", "Prototype", "First clients", "Growing"][n % 4],
        Question.Kind.MULTIPLE_CHOICE: [["Design"], ["Crafts", "Video"], ["Music", "Fashion", "Design"]][n % 3],
        Question.Kind.URL: f"https://project-{n}.example.org/",
    }
    return {str(q.pk): values[q.kind] for q in questions if q.kind != Question.Kind.FILE}


def _applications(call: Call, questions: list[Question], applicants, *, submitted: bool) -> list:
    now = timezone.now()
    regions = list(call.cohort.program.regions.all())
    applications = Application.objects.bulk_create(
        [
            Application(
                call=call,
                applicant=person,
                status=Application.Status.SUBMITTED if submitted else Application.Status.DRAFT,
                full_name=person.name,
                date_of_birth=datetime.date(1990, 1, 1) + datetime.timedelta(days=n % 5000),
                region=regions[n % len(regions)],
                phone=f"+212 600 {n:06d}",
                email=person.email,
                answers=answers(questions, n),
                # Every twentieth fails a rule, as real calls have some.
                eligibility=(
                    (Application.Eligibility.INELIGIBLE if n % 20 == 19 else Application.Eligibility.ELIGIBLE)
                    if submitted
                    else Application.Eligibility.UNKNOWN
                ),
                created_at=now - datetime.timedelta(days=20, minutes=n),
                updated_at=now - datetime.timedelta(days=2, minutes=n),
                submitted_at=now - datetime.timedelta(days=2, minutes=n) if submitted else None,
            )
            for n, person in enumerate(applicants)
        ],
        batch_size=BATCH,
    )
    _portfolios_and_versions(call, questions, applications, submitted=submitted)
    return applications


def _portfolios_and_versions(call: Call, questions: list[Question], applications, *, submitted: bool) -> None:
    """Each application's portfolio file, and a submitted one's first version."""
    file_question = next(q for q in questions if q.kind == Question.Kind.FILE)
    files = ApplicationFile.objects.bulk_create(
        [
            ApplicationFile(
                application=application,
                question=file_question,
                # Metadata only: the bench never downloads the files, so no bytes are written.
                file=f"applications/{call.pk}/{application.pk}/portfolio.pdf",
                original_name=f"portfolio-{n:05d}.pdf",
                content_type="application/pdf",
                size=850_000 + n,
                uploaded_at=application.created_at,
            )
            for n, application in enumerate(applications)
        ],
        batch_size=BATCH,
    )
    if submitted:
        ApplicationVersion.objects.bulk_create(
            [
                ApplicationVersion(
                    application=application,
                    number=1,
                    submitted_at=application.submitted_at,
                    data=application_snapshot(application, questions, [stored], []),
                )
                for application, stored in zip(applications, files, strict=True)
            ],
            batch_size=BATCH,
        )


def seed_call(scale: Scale) -> None:
    """The closed call everyone applied to, with its applicants (the people of `make bench`'s applicant pages)."""
    now = timezone.now()
    call = Call.objects.create(
        cohort=scale.cohorts[-1],
        slug=CALL_SLUG,
        title="Country-wide call for creative businesses",
        description="Open to creative businesses in every region.",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=1),
        seats=scale.sizes.participants // scale.sizes.cohorts,
    )
    questions = _questions(call)
    applicants = people(scale, "applicant", scale.sizes.applications)
    applications = _applications(call, questions, applicants, submitted=True)
    scale.keep(call=call, applicants=applicants, applications=applications)
    scale.say(f"call {call.slug}: {len(applications)} submitted applications of {len(questions)} questions")


def seed_deadline_call(scale: Scale) -> None:
    """The open call of the deadline-day test: drafts of the scale call's first applicants. `make bench` makes it
    anew before each run, since the test submits them."""
    Application.objects.filter(call__slug=DEADLINE_CALL_SLUG).delete()
    Call.objects.filter(slug=DEADLINE_CALL_SLUG).delete()
    scale_call = Call.objects.select_related("cohort__program").get(slug=CALL_SLUG)
    applicants = [
        a.applicant
        for a in scale_call.applications.select_related("applicant").order_by("pk")[: scale.sizes.deadline_applicants]
    ]
    now = timezone.now()
    call = Call.objects.create(
        cohort=scale_call.cohort,
        slug=DEADLINE_CALL_SLUG,
        title="Deadline-day call",
        description="The call whose deadline is today.",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=1),
        seats=10,
    )
    questions = _questions(call)
    drafts = _applications(call, questions, applicants, submitted=False)
    scale.keep(deadline_call=call)
    scale.say(f"call {call.slug}: {len(drafts)} drafts")
