"""The interview pages: the applicant's booking page at the private link, and the managers' plan, shortlist and
list, each with its outsiders."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from applications.interviews.models import Interview
from applications.interviews.services import interview_book, interview_record
from tests.applications.interviews.factories import applicants, plan, shortlisted
from tests.factories import UserFactory

UTC = datetime.UTC
TUESDAY_10 = datetime.datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


def book_url(interview, language="en"):
    prefix = "" if language == "en" else f"/{language}"
    return prefix + reverse("interviews:book", args=[interview.token])


@pytest.fixture
def interview(call, maya):
    return shortlisted(call, maya)[0]


@pytest.fixture
def applicant_client(client, interview):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the applicant reads French; asserted here in English
    client.force_login(interview.application.applicant)
    return client


def test_the_booking_page_shows_the_panels_free_slots_in_the_applicants_zone_by_day(applicant_client, interview):
    response = applicant_client.get(book_url(interview, "fr"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Europe/Paris" in page
    days = response.context["days"]
    assert days[0][0] == datetime.date(2026, 12, 8)
    assert [slot.starts_at for slot in days[0][1]][:2] == [
        TUESDAY_10 - datetime.timedelta(hours=1),
        TUESDAY_10 - datetime.timedelta(minutes=30),
    ]
    assert "mar. 8 déc. 2026" in page


def test_anyone_else_signed_in_gets_a_404_and_the_anonymous_sign_in_first(client, interview, maya, other_manager):
    for person in (UserFactory(), maya, other_manager):
        client.force_login(person)
        assert client.get(book_url(interview)).status_code == 404
        assert client.post(book_url(interview), {"at": TUESDAY_10.isoformat()}).status_code == 404
        assert client.get(reverse("interviews:ics", args=[interview.token])).status_code == 404
    client.logout()
    response = client.get(book_url(interview))
    assert response.status_code == 302 and "/accounts/login/?next=" in response["Location"]
    client.force_login(interview.application.applicant)
    assert client.get("/fr" + reverse("interviews:book", args=["not-a-token"])).status_code == 404


def test_booking_asks_for_confirmation_then_books_and_shows_the_time_and_calendar_file(applicant_client, interview):
    confirm = applicant_client.get(book_url(interview), {"at": TUESDAY_10.isoformat()})
    assert confirm.status_code == 200 and b'data-testid="confirm"' in confirm.content
    interview.refresh_from_db()
    assert interview.status == "invited"  # nothing booked by looking
    response = applicant_client.post(book_url(interview), {"at": TUESDAY_10.isoformat()}, follow=True)
    assert response.status_code == 200
    assert b'data-testid="booked"' in response.content
    assert b"https://meet.example.org/panel" in response.content
    ics = applicant_client.get(reverse("interviews:ics", args=[interview.token]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"DTSTART:20261208T090000Z" in ics.content


def test_a_slot_taken_meanwhile_is_a_409_with_fresh_slots(applicant_client, interview, call, maya):
    (rival,) = shortlisted(call, maya, prefix="Rival")
    interview_book(interview=rival, starts_at=TUESDAY_10, by=rival.application.applicant)
    for response in (
        applicant_client.get(book_url(interview), {"at": TUESDAY_10.isoformat()}),
        applicant_client.post(book_url(interview), {"at": TUESDAY_10.isoformat()}),
    ):
        assert response.status_code == 409
        assert b"just been taken" in response.content
        offered = [slot.starts_at for _day, slots in response.context["days"] for slot in slots]
        assert TUESDAY_10 not in offered and offered


@pytest.mark.parametrize(
    ("at", "reason"),
    [
        ("2026-12-06T09:00:00+00:00", b"already passed"),
        ("2026-12-07T11:00:00+00:00", b"too soon"),
        ("2027-02-02T09:00:00+00:00", b"too far ahead"),
        ("2026-12-12T09:00:00+00:00", b"not one of the available slots"),
        ("tomorrow", b"Choose one of the times offered"),
        ("2026-12-08T09:00:00", b"Choose one of the times offered"),
    ],
)
def test_a_slot_never_free_is_a_400_with_the_reason(applicant_client, interview, at, reason):
    response = applicant_client.post(book_url(interview), {"at": at})
    assert response.status_code == 400
    assert reason in response.content
    assert Interview.objects.get().status == "invited"


def test_a_booked_applicant_reschedules_until_the_cancel_window(applicant_client, interview, time_machine):
    interview_book(interview=interview, starts_at=TUESDAY_10, by=interview.application.applicant)
    page = applicant_client.get(book_url(interview))
    assert b'data-testid="reschedule"' in page.content
    choosing = applicant_client.get(book_url(interview), {"reschedule": "1"})
    assert choosing.context["choosing"] and choosing.context["days"]
    later = TUESDAY_10 + datetime.timedelta(days=1)
    applicant_client.post(book_url(interview), {"at": later.isoformat()})
    interview.refresh_from_db()
    assert interview.reschedules == 1 and interview.period.lower == later
    time_machine.move_to(later - datetime.timedelta(hours=2))
    page = applicant_client.get(book_url(interview), {"reschedule": "1"})
    assert b'data-testid="reschedule"' not in page.content and not page.context["choosing"]


def booking_page_queries(applicant_client, interview, django_assert_num_queries):
    # The session and the user; the interview with its plan, availability, application and call; the
    # availability's windows and exceptions; the plan's other booked interviews (the panel's busy time); the
    # person's groups (the menu).
    with django_assert_num_queries(7):
        assert applicant_client.get(book_url(interview)).status_code == 200


def test_the_booking_page_reads_the_same_queries_for_one_or_many_booked_interviews(
    applicant_client, interview, call, maya, django_assert_num_queries
):
    booking_page_queries(applicant_client, interview, django_assert_num_queries)
    for number, rival in enumerate(shortlisted(call, maya, count=12, prefix="Rival")):
        starts = TUESDAY_10 + datetime.timedelta(days=number // 6, minutes=30 * (number % 6) - 60)
        interview_book(interview=rival, starts_at=starts, by=rival.application.applicant)
    booking_page_queries(applicant_client, interview, django_assert_num_queries)


# Managers' pages ------------------------------------------------------------------------------------------------


def manager_urls(call, interview):
    return [
        reverse("interviews:list", args=[call.slug]),
        reverse("interviews:plan", args=[call.slug]),
        reverse("interviews:shortlist", args=[call.slug]),
        reverse("interviews:held", args=[call.slug, interview.pk]),
        reverse("interviews:no_show", args=[call.slug, interview.pk]),
        reverse("interviews:cancel", args=[call.slug, interview.pk]),
    ]


def test_only_the_programs_managers_open_the_interview_pages(client, call, maya, interview, other_manager):
    urls = manager_urls(call, interview)
    client.force_login(maya)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200, 400, 400, 200]
    client.force_login(other_manager)
    assert {client.get(url).status_code for url in urls} == {404}
    assert {client.post(url).status_code for url in urls} == {404}
    client.force_login(interview.application.applicant)
    assert {client.get(url).status_code for url in urls} == {403}
    client.logout()
    assert all("/accounts/login/" in client.get(url)["Location"] for url in urls)
    assert Interview.objects.get().status == "invited"


def test_shortlisting_top_n_meets_the_regional_minimums_then_confirms_who_is_invited(client, call, maya):
    plan(call, maya)
    north = applicants(call, 3, prefix="North")
    from tests.applications.scoring.factories import score, submitted

    south = submitted(call, region="South", name="South 1")
    score(south, UserFactory(), 1)
    client.force_login(maya)
    region = call.cohort.program.regions.get(name="South")
    page = client.get(reverse("interviews:shortlist", args=[call.slug]), {"top": 2, f"min_{region.pk}": 1})
    assert page.status_code == 200
    assert page.context["proposed"] == {north[0].pk, south.pk}
    confirm = client.post(reverse("interviews:shortlist", args=[call.slug]), {"chosen": [north[0].pk, south.pk]})
    assert confirm.status_code == 200
    assert [row.id for row in confirm.context["rows"]] == [north[0].pk, south.pk]
    assert not Interview.objects.exists()
    done = client.post(
        reverse("interviews:shortlist", args=[call.slug]), {"chosen": [north[0].pk, south.pk], "confirm": "1"}
    )
    assert done.status_code == 302
    assert set(Interview.objects.values_list("application_id", flat=True)) == {north[0].pk, south.pk}


def test_shortlisting_refuses_an_impossible_minimum_and_an_empty_choice(client, call, maya):
    plan(call, maya)
    applicants(call, 2)
    client.force_login(maya)
    region = call.cohort.program.regions.get(name="South")
    page = client.get(reverse("interviews:shortlist", args=[call.slug]), {"top": 2, f"min_{region.pk}": 1})
    assert page.status_code == 400 and b"cannot be met" in page.content
    empty = client.post(reverse("interviews:shortlist", args=[call.slug]), {})
    assert empty.status_code == 400 and b"Tick at least one" in empty.content
    odd = client.post(reverse("interviews:shortlist", args=[call.slug]), {"chosen": ["x", "999999"]})
    assert odd.status_code == 400


def test_recording_a_no_show_asks_first_then_records(client, call, maya, interview, time_machine):
    interview_book(interview=interview, starts_at=TUESDAY_10, by=interview.application.applicant)
    time_machine.move_to(TUESDAY_10 + datetime.timedelta(minutes=45))
    client.force_login(maya)
    url = reverse("interviews:no_show", args=[call.slug, interview.pk])
    assert b'data-testid="confirm-record"' in client.get(url).content
    assert Interview.objects.get().status == "booked"
    assert client.post(url).status_code == 302
    assert Interview.objects.get().status == "no_show"
    assert client.post(url).status_code == 400  # already recorded


def list_queries(client, call, django_assert_num_queries):
    # The session and the user; the managed programs and the call (the manager gate); the plan with its
    # availability, then its panel; the person's groups (the menu); the interviews with their applicants and
    # regions.
    with django_assert_num_queries(8):
        assert client.get(reverse("interviews:list", args=[call.slug])).status_code == 200


def test_the_interview_list_reads_the_same_queries_for_one_or_many(client, call, maya, django_assert_num_queries):
    (first,) = shortlisted(call, maya)
    interview_book(interview=first, starts_at=TUESDAY_10, by=first.application.applicant)
    client.force_login(maya)
    list_queries(client, call, django_assert_num_queries)
    shortlisted(call, maya, count=15, prefix="More")
    list_queries(client, call, django_assert_num_queries)


def test_the_interview_list_words_each_status_as_said_of_an_interview(client, call, maya, interview, time_machine):
    # In French an interview is masculine, a session or a booking feminine: "tenu", not the session's "tenue".
    interview_book(interview=interview, starts_at=TUESDAY_10, by=interview.application.applicant)
    time_machine.move_to(TUESDAY_10 + datetime.timedelta(minutes=45))
    interview_record(interview=interview, outcome="held", by=maya)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.force_login(maya)
    page = client.get("/fr" + reverse("interviews:list", args=[call.slug])).content.decode()
    assert '<span class="badge text-bg-light border">tenu</span>' in page
    with translation.override("fr"):
        assert [str(Interview.Status(s).label) for s in ("booked", "held", "cancelled")] == [
            "réservé",
            "tenu",
            "annulé",
        ]
        assert translation.gettext("held") == "tenue"  # a mentoring session's, unchanged
