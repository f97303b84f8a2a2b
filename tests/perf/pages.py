"""The pages `make bench` drives (tests/perf/bench.py) and `make test` requests once at two sizes
(tests/perf/test_bench_smoke.py): one entry per page, as the person who uses it, on the `seed_scale` data.

A new page is one `Page(...)` in PAGES; a new role, one entry in `cast()`."""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from applications.interviews.models import Interview
from applications.models import Call, Question
from applications.scoring.models import ReviewerAssignment
from cohorts.models import Cohort, Membership
from demo.scale import email
from demo.scale.applications import CALL_SLUG, DEADLINE_CALL_SLUG
from demo.scale.checkins import OUTCOMES_COHORT_SLUG
from demo.scale.cohorts import PROGRAM_SLUG, cohort_slug
from demo.scale.workspaces import SPACE_SLUG
from incubator.models import User
from workspaces.models import Booking, Resource, Space
from workspaces.periods import space_today


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    data: dict | None = None
    headers: dict = field(default_factory=dict)
    status: int = 200


@dataclass
class Targets:
    """What the requests point at, read once before any is sent."""

    call: Call
    deadline_call: Call
    cohort: Cohort
    deadline_questions: list[Question]
    counted_criteria: list[int]
    space: Space
    month: str
    report_query: str
    # Hours of the meeting rooms nobody has booked yet, each handed out once: every booking POST succeeds.
    free_slots: Iterator[str]


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    build: Callable[[Targets, User, int], Request]
    # read: a page a person waits on; write: a POST; export: a download (no median goal); ceiling: the trivial page.
    kind: str = "read"
    # Different requests prepared per simulated person (repeated in turn).
    variants: int = 25
    # Instead, one pool of different requests for all the simulated people, each sent once: a slot is booked once,
    # however unevenly the people's requests are answered.
    pool: int = 0


def targets() -> Targets:
    call = Call.objects.get(slug=CALL_SLUG)
    deadline_call = Call.objects.get(slug=DEADLINE_CALL_SLUG)
    space = Space.objects.get(slug=SPACE_SLUG)
    today = space_today(space)
    year_ago = today - datetime.timedelta(days=365)
    return Targets(
        call=call,
        deadline_call=deadline_call,
        cohort=Cohort.objects.get(slug=cohort_slug(1)),
        deadline_questions=list(deadline_call.questions.order_by("position")),
        counted_criteria=list(call.criteria_set.filter(informational=False).values_list("pk", flat=True)),
        space=space,
        month=f"{today:%Y-%m}",
        report_query=f"program={PROGRAM_SLUG}&start={year_ago}&end={today}",
        free_slots=iter(free_room_slots(space, today)),
    )


def free_room_slots(space: Space, today: datetime.date) -> list[str]:
    """Every free hour of the meeting rooms from tomorrow to the booking horizon, as the grid's "slot" field."""
    zone = ZoneInfo(space.time_zone)
    rooms = list(space.resources.filter(kind=Resource.Kind.ROOM, is_active=True).order_by("position"))
    hours = {o.weekday: o for o in space.opening_hours.all()}
    last = today + datetime.timedelta(days=space.booking_horizon_days)
    taken = {
        (resource_id, period.lower.astimezone(zone).replace(tzinfo=None))
        for resource_id, period in Booking.objects.filter(
            resource__in=rooms,
            status=Booking.Status.ACTIVE,
            period__startswith__gte=datetime.datetime.combine(today, datetime.time(), zone),
        ).values_list("resource_id", "period")
    }
    slots = []
    for day in (today + datetime.timedelta(days=n) for n in range(1, space.booking_horizon_days + 1)):
        if day > last or day.weekday() not in hours:
            continue
        opening = hours[day.weekday()]
        for hour in range(opening.opens.hour, opening.closes.hour):
            start = datetime.datetime.combine(day, datetime.time(hour))
            for room in rooms:
                if (room.pk, start) not in taken:
                    end = start + datetime.timedelta(hours=1)
                    slots.append(f"{room.pk}|{start:%Y-%m-%dT%H:%M}|{end:%Y-%m-%dT%H:%M}")
    return slots


def cast(count: int) -> dict[str, list[User]]:
    """`count` different people per role (each simulated user is one of them), all on the scale program."""
    first = [email("applicant", n) for n in range(1, count + 1)]
    participants = (
        Membership.objects.filter(cohort__slug=cohort_slug(1)).order_by("person_id").values_list("person_id", flat=True)
    )
    return {
        # Applicants with a draft on the deadline-day call (seeded for the first applicants of the scale call).
        "applicant": list(User.objects.filter(email__in=first).order_by("email")),
        "reviewer": list(User.objects.filter(email__startswith="reviewer.").order_by("email")[:count]),
        "manager": list(User.objects.filter(managed_programs__slug=PROGRAM_SLUG).order_by("pk")[:1]),
        "participant": list(User.objects.filter(pk__in=list(participants[:count])).order_by("pk")),
        # The bench's bookings are made by the cohort's last participants, never by those whose grid and statement
        # it reads, so that a run's bookings do not lengthen the statements the next run measures.
        "booker": list(User.objects.filter(pk__in=list(participants.reverse()[:count])).order_by("pk")),
        "mentor": list(User.objects.filter(email__startswith="mentor.").order_by("email")[:count]),
        # Applicants shortlisted for an interview who have not booked one yet.
        "shortlisted": list(
            User.objects.filter(
                applications__interview__status=Interview.Status.INVITED, applications__call__slug=CALL_SLUG
            ).order_by("pk")[:count]
        ),
    }


def autosave_data(t: Targets, user: User, typed: str) -> dict:
    """The whole application form as the browser posts it on a change, with `typed` as the long answer."""
    from demo.scale.applications import answers

    data = {
        "full_name": user.name,
        "date_of_birth": "1990-01-01",
        "region": str(t.deadline_call.cohort.program.regions.order_by("pk").values_list("pk", flat=True).first()),
        "phone": "+212 600 000 000",
        "email": user.email,
        "team-TOTAL_FORMS": "1",
        "team-INITIAL_FORMS": "0",
        "team-MIN_NUM_FORMS": "0",
        "team-MAX_NUM_FORMS": "10",
        "team-0-name": "",
        "team-0-email": "",
        "team-0-role": "",
    }
    for key, value in answers(t.deadline_questions, user.pk).items():
        data[f"q_{key}"] = value
    long_text = next(q for q in t.deadline_questions if q.kind == Question.Kind.LONG_TEXT)
    data[f"q_{long_text.pk}"] = typed
    return data


def _autosave(t: Targets, user: User, n: int) -> Request:
    return Request(
        "POST",
        f"/calls/{t.deadline_call.slug}/apply/",
        autosave_data(t, user, f"Draft typed at {datetime.datetime.now(datetime.UTC).isoformat()} ({n})"),
        headers={"HX-Request": "true"},
    )


def _review_submit(t: Targets, user: User, n: int) -> Request:
    """Scores for one of the reviewer's assignments, changed on each request (a reviewer revising a review)."""
    assignments = list(
        ReviewerAssignment.objects.filter(reviewer=user, call=t.call).order_by("pk").values_list("pk", flat=True)[:50]
    )
    data = {f"score_{pk}": str(1 + (n + i) % 5) for i, pk in enumerate(t.counted_criteria)}
    data.update(comment=f"Revised ({n}).", recommendation=("yes", "maybe", "no")[n % 3], action="submit")
    return Request("POST", f"/review/{assignments[n % len(assignments)]}/", data, status=302)


def _book(t: Targets, user: User, n: int) -> Request:
    """A click on a free hour of a meeting room in the week grid (htmx: the answer is the booked cell)."""
    slot = next(t.free_slots, None)
    if slot is None:
        raise SystemExit("No free meeting-room hour left within the booking horizon: seed again with --fresh.")
    return Request("POST", "/workspaces/book/", {"slot": slot}, headers={"HX-Request": "true"})


_TOKENS: dict[int, str] = {}


def _interview_booking(t: Targets, user: User, n: int) -> Request:
    token = Interview.objects.get(application__applicant=user, application__call=t.call).token
    return Request("GET", f"/interview/{token}/")


def api(path: Callable[[Targets], str]) -> Callable[[Targets, User, int], Request]:
    """A GET of the API with a token of the person's own, made once per person and process, naming the program."""

    def build(t: Targets, user: User, n: int) -> Request:
        if user.pk not in _TOKENS:
            from incubator.api.tokens import api_token_create
            from tests.api.clients import EVERY_SCOPE

            expires = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)
            _TOKENS[user.pk] = api_token_create(
                person=user, name="bench", programs=[t.cohort.program], scopes=EVERY_SCOPE, expires_at=expires, by=user
            )[1]
        return Request("GET", path(t), headers={"Authorization": f"Bearer {_TOKENS[user.pk]}"})

    return build


PAGES = [
    Page("trivial page (ceiling)", "manager", lambda t, u, n: Request("GET", "/bench/ceiling/"), kind="ceiling"),
    Page("calls list", "applicant", lambda t, u, n: Request("GET", "/calls/")),
    Page("application form", "applicant", lambda t, u, n: Request("GET", f"/calls/{t.deadline_call.slug}/apply/")),
    Page("autosave POST", "applicant", _autosave, kind="write"),
    Page("my applications", "applicant", lambda t, u, n: Request("GET", "/applications/")),
    Page("reviewer queue", "reviewer", lambda t, u, n: Request("GET", "/review/")),
    Page("review submit", "reviewer", _review_submit, kind="write"),
    Page("program home", "manager", lambda t, u, n: Request("GET", f"/programs/{t.cohort.program.slug}/")),
    Page("ranking, first page", "manager", lambda t, u, n: Request("GET", f"/review/calls/{t.call.slug}/ranking/")),
    Page(
        "ranking CSV",
        "manager",
        lambda t, u, n: Request("GET", f"/review/calls/{t.call.slug}/ranking.csv"),
        kind="export",
    ),
    Page(
        "selection proposal",
        "manager",
        lambda t, u, n: Request("GET", f"/review/calls/{t.call.slug}/selection/?seats={t.call.seats}&waitlist_size=20"),
    ),
    Page("cohort directory", "participant", lambda t, u, n: Request("GET", f"/cohorts/{t.cohort.slug}/")),
    Page("mentor page", "mentor", lambda t, u, n: Request("GET", "/mentoring/")),
    Page("mentor's availability", "mentor", lambda t, u, n: Request("GET", "/mentoring/availability/")),
    Page("interview booking", "shortlisted", _interview_booking),
    Page("funder report", "manager", lambda t, u, n: Request("GET", f"/mentoring/report/?{t.report_query}")),
    Page("cohort outcomes", "manager", lambda t, u, n: Request("GET", f"/cohorts/{OUTCOMES_COHORT_SLUG}/outcomes/")),
    Page(
        "funder report: a figure's records",
        "manager",
        lambda t, u, n: Request("GET", f"/mentoring/report/records/?{t.report_query}&figure=outcomes.revenue"),
    ),
    Page("desk week grid", "participant", lambda t, u, n: Request("GET", f"/workspaces/{t.space.slug}/")),
    Page("booking POST", "booker", _book, kind="write", variants=1, pool=1500),
    Page("my statement", "participant", lambda t, u, n: Request("GET", f"/workspaces/statement/?month={t.month}")),
    Page("API: programs", "manager", api(lambda t: "/api/v1/programs/")),
    Page("API: cohorts", "manager", api(lambda t: "/api/v1/cohorts/?expand=program")),
    Page("API: calls", "manager", api(lambda t: "/api/v1/calls/?expand=cohort")),
    Page("API: applications", "manager", api(lambda t: f"/api/v1/applications/?call={t.call.pk}&page_size=200")),
    Page("API: reviews", "manager", api(lambda t: f"/api/v1/reviews/?call={t.call.pk}&page_size=200")),
    Page("API: ranking", "manager", api(lambda t: f"/api/v1/calls/{t.call.pk}/ranking/?page_size=200")),
    Page("API: decisions", "manager", api(lambda t: "/api/v1/decisions/?page_size=200")),
    Page("API: members", "manager", api(lambda t: f"/api/v1/members/?cohort={t.cohort.pk}&page_size=200")),
    Page("API: ventures", "manager", api(lambda t: "/api/v1/ventures/?page_size=200")),
    Page("API: sessions", "manager", api(lambda t: "/api/v1/sessions/?page_size=200")),
    Page("API: attendance", "manager", api(lambda t: "/api/v1/attendance/?page_size=200")),
    Page("API: spaces", "manager", api(lambda t: "/api/v1/spaces/")),
    Page("API: resources", "manager", api(lambda t: f"/api/v1/resources/?space={t.space.pk}&page_size=200")),
    Page("API: bookings", "manager", api(lambda t: "/api/v1/bookings/?page_size=200&expand=resource")),
    Page("API: ledger lines", "manager", api(lambda t: f"/api/v1/ledger-lines/?month={t.month}&page_size=200")),
    Page("API: check-ins", "manager", api(lambda t: "/api/v1/checkins/?page_size=200")),
]
