import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import CohortFactory, UserFactory
from tests.workspaces.factories import bizmax_setup, make_resource, manager_of, participant
from workspaces import services
from workspaces.models import Booking, LedgerLine

D = datetime.datetime
TUESDAY = datetime.date(2026, 6, 2)


def slot(desk, day=TUESDAY, starts="08:00", resource=None):
    return {"slot": f"{resource or desk.pk}|{day}T{starts}|{day}T18:00"}


@pytest.fixture
def bizmax(db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    return cohort, space, desk, plan, participant(cohort)


def book(person, desk, day=TUESDAY):
    return services.booking_create(
        resource=desk, starts=D.combine(day, datetime.time(8)), ends=D.combine(day, datetime.time(18)), by=person
    )


def test_index_lists_only_spaces_of_the_persons_programs(client, bizmax):
    cohort, space, desk, plan, person = bizmax
    client.force_login(person)
    assert space.name in client.get(reverse("workspaces:index")).content.decode()
    client.force_login(UserFactory())
    page = client.get(reverse("workspaces:index")).content.decode()
    assert space.name not in page and 'data-testid="no-spaces"' in page


def test_outsiders_and_other_programs_managers_get_404_everywhere(client, bizmax):
    cohort, space, desk, plan, person = bizmax
    booking = book(person, desk)
    for who in [UserFactory(), manager_of(CohortFactory().program), participant(CohortFactory())]:
        client.force_login(who)
        for url in [
            reverse("workspaces:space", args=[space.slug]),
            reverse("workspaces:report", args=[space.slug]),
            reverse("workspaces:recurring", args=[space.slug]),
            reverse("workspaces:resource_qr", args=[space.slug, desk.pk]),
            reverse("workspaces:resource_check_in", args=[desk.pk]),
            reverse("workspaces:booking_cancel", args=[booking.pk]),
        ]:
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("workspaces:book"), slot(desk, datetime.date(2026, 6, 3))).status_code == 404
        assert client.post(reverse("workspaces:booking_cancel", args=[booking.pk])).status_code == 404
        assert client.post(reverse("workspaces:booking_check_in", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.ACTIVE
    assert Booking.objects.count() == 1


def test_the_booking_answer_isolates_the_resource_name_in_an_arabic_sentence_and_escapes_it(client, bizmax):
    cohort, space, desk, plan, person = bizmax
    desk.name = "Desk <b>7</b>"
    desk.save()
    client.force_login(person)
    response = client.post("/ar" + reverse("workspaces:book"), slot(desk), headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<bdi>Desk &lt;b&gt;7&lt;/b&gt;</bdi>" in page and "<b>7</b>" not in page


def test_participants_do_not_see_reports(client, bizmax):
    cohort, space, desk, plan, person = bizmax
    client.force_login(person)
    assert client.get(reverse("workspaces:report", args=[space.slug])).status_code == 404


def test_book_by_plain_post_then_the_grid_says_mine(client, bizmax):
    cohort, space, desk, plan, person = bizmax
    client.force_login(person)
    response = client.post(reverse("workspaces:book"), slot(desk))
    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert "Booked: <bdi>Desk 1</bdi>." in page and "Yours" in page
    other = participant(cohort)
    client.force_login(other)
    refused = client.post(reverse("workspaces:book"), slot(desk))
    assert refused.status_code == 409
    assert "Just taken" in refused.content.decode()
    assert "Taken" in client.get(reverse("workspaces:space", args=[space.slug])).content.decode()


def test_book_and_cancel_with_htmx_swap_the_cell(client, bizmax):
    cohort, space, desk, plan, person = bizmax
    client.force_login(person)
    response = client.post(reverse("workspaces:book"), slot(desk, datetime.date(2026, 6, 4)), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-state="mine"' in body and 'hx-swap-oob="true"' in body and "Booked" in body
    booking = Booking.objects.get()
    response = client.post(
        reverse("workspaces:booking_cancel", args=[booking.pk]), {"from": "grid"}, HTTP_HX_REQUEST="true"
    )
    assert 'data-state="free"' in response.content.decode()
    assert "Nothing is charged" in response.content.decode()


def test_refusals_in_the_grid_keep_the_cell_and_say_why(client, bizmax):
    cohort, space, desk, plan, person = bizmax
    client.force_login(person)
    response = client.post(reverse("workspaces:book"), slot(desk, starts="09:00"), HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "by the full day" in response.content.decode()
    assert client.post(reverse("workspaces:book"), {"slot": "x|2026-06-02T08:00|"}).status_code == 400
    assert (
        client.post(reverse("workspaces:book"), {"slot": f"{desk.pk}|2026-06-31T08:00|2026-06-31T18:00"}).status_code
        == 400
    )
    assert client.post(reverse("workspaces:book"), slot(desk, resource=999999)).status_code == 404
    assert not Booking.objects.exists()


def test_week_grid_runs_a_fixed_number_of_queries(client, bizmax, django_assert_num_queries):
    cohort, space, desk, plan, person = bizmax
    client.force_login(person)
    url = reverse("workspaces:space", args=[space.slug])

    def count_for(resources: int):
        for n in range(space.resources.count(), resources):
            make_resource(space, f"Desk {n + 1:03d}")
        # 1 session, 2 user, 3 the programs the viewer manages, 4 the space with the viewer's roles (the gate),
        # 5 its open weekdays (the day the grid opens on), 6 opening hours, 7 closed dates, 8 resources, 9 the week's
        # active bookings, 10 the viewer's groups (nav).
        with django_assert_num_queries(10):
            response = client.get(url)
        return response.content.decode().count('data-testid="grid-row"')

    assert count_for(1) == 1
    for n, day in enumerate([TUESDAY, datetime.date(2026, 6, 3)]):
        book(participant(cohort) if n else person, desk, day)
    assert count_for(50) == 50


def test_cancel_page_confirms_then_cancels(client, bizmax):
    cohort, space, desk, plan, person = bizmax
    booking = book(person, desk, datetime.date(2026, 6, 4))
    client.force_login(person)
    url = reverse("workspaces:booking_cancel", args=[booking.pk])
    assert "Yes, cancel it" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_my_bookings_fixed_queries(client, bizmax, django_assert_num_queries):
    cohort, space, desk, plan, person = bizmax
    client.force_login(person)
    book(person, desk)
    # 1 session, 2 user, 3 count for the pager, 4 the page of bookings with resource and space, 5 groups (nav).
    with django_assert_num_queries(5):
        assert client.get(reverse("workspaces:bookings")).content.decode().count('data-testid="booking-row"') == 1
    for n in range(3):
        book(person, make_resource(space, f"Desk x{n}"), datetime.date(2026, 6, 3))
    with django_assert_num_queries(5):
        assert client.get(reverse("workspaces:bookings")).content.decode().count('data-testid="booking-row"') == 4


def test_statement_page_csv_pdf_and_a_bad_month(client, bizmax, django_assert_num_queries):
    cohort, space, desk, plan, person = bizmax
    person.name = "דוד לוי"
    person.save()
    book(person, desk)
    client.force_login(person)
    url = reverse("workspaces:statement")
    # 1 session, 2 user, 3 the month's sums, 4 the month's lines with booking, resource and space, 5 groups (nav).
    with django_assert_num_queries(5):
        page = client.get(url, {"month": "2026-06"}).content.decode()
    assert 'data-testid="total-co-pay">₪20.00<' in page and 'data-testid="total-subsidy">₪60.00<' in page
    csv = client.get(url, {"month": "2026-06", "format": "csv"}).content.decode("utf-8-sig")
    assert "Desk 1" in csv and "80.00,60.00,20.00,ILS," in csv
    pdf = client.get(url, {"month": "2026-06", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    bad = client.get(url, {"month": "2026-13"})
    assert bad.status_code == 400 and "is not a month" in bad.content.decode()
    assert 'data-testid="no-lines"' in client.get(url, {"month": "2026-07"}).content.decode()


def test_check_in_from_the_qr_page(client, bizmax, frozen):
    cohort, space, desk, plan, person = bizmax
    booking = book(person, desk)
    client.force_login(person)
    page = client.get(reverse("workspaces:resource_check_in", args=[desk.pk])).content.decode()
    assert 'data-testid="no-booking-now"' in page
    frozen.move_to(D(2026, 6, 2, 5, 10, tzinfo=datetime.UTC))
    page = client.get(reverse("workspaces:resource_check_in", args=[desk.pk])).content.decode()
    assert 'data-testid="check-in"' in page
    client.post(reverse("workspaces:booking_check_in", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.checked_in_at is not None


def test_my_bookings_offer_check_in_from_half_an_hour_before_the_start(client, bizmax, frozen):
    """Before, the button showed days ahead and led to a refusal."""
    cohort, space, desk, plan, person = bizmax
    book(person, desk)  # 08:00 in Jerusalem: 05:00 UTC
    client.force_login(person)
    frozen.move_to(D(2026, 6, 1, 12, 0, tzinfo=datetime.UTC))
    page = client.get(reverse("workspaces:bookings")).content.decode()
    assert 'data-testid="check-in"' not in page
    assert "Check-in opens 30 minutes before the booking starts." in page
    frozen.move_to(D(2026, 6, 2, 4, 30, tzinfo=datetime.UTC))
    page = client.get(reverse("workspaces:bookings")).content.decode()
    assert 'data-testid="check-in"' in page


def test_manager_report_exports_and_qr(client, bizmax):
    cohort, space, desk, plan, person = bizmax
    book(person, desk)
    other_cohort = CohortFactory()
    space.programs.add(other_cohort.program)
    outsider_plan_member = participant(other_cohort, name="Hidden Person")
    book(outsider_plan_member, make_resource(space, "Desk 2"))
    manager = manager_of(cohort.program)
    client.force_login(manager)
    url = reverse("workspaces:report", args=[space.slug])
    page = client.get(url, {"month": "2026-06"}).content.decode()
    assert 'data-testid="occupancy-chart"' in page and "60.00" in page
    csv = client.get(url, {"month": "2026-06", "format": "csv"}).content.decode("utf-8-sig")
    assert person.email in csv and "Hidden Person" not in csv
    xlsx = client.get(url, {"month": "2026-06", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [person.email]
    assert client.get(url, {"month": "2026-13"}).status_code == 400
    qr = client.get(reverse("workspaces:resource_qr", args=[space.slug, desk.pk]))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert LedgerLine.objects.count() == 2


def test_recurring_form_books_and_lists_refusals(client, bizmax):
    cohort, space, desk, plan, person = bizmax
    client.force_login(person)
    response = client.post(
        reverse("workspaces:recurring", args=[space.slug]),
        {"resource": desk.pk, "first_day": "2026-06-07", "weekdays": [6, 0, 1, 2, 3], "weeks": 1, "part": "day"},
    )
    body = response.content.decode()
    assert "5 days booked." in body
    response = client.post(
        reverse("workspaces:recurring", args=[space.slug]),
        {"resource": desk.pk, "first_day": "2026-06-07", "weekdays": [6], "weeks": 1, "part": "day"},
    )
    assert (
        "0 days booked." in response.content.decode() and 'data-testid="recurring-refused"' in response.content.decode()
    )


def test_half_day_rooms_and_hourly_equipment_in_the_grid(client, bizmax):
    cohort, space, desk, plan, person = bizmax
    room = make_resource(space, "Room <A>", unit="half_day", price="120.00", kind="room")
    laser = make_resource(space, "Laser", unit="hour", price="30.00", kind="machine", induction_type="laser cutter")
    services.booking_create(resource=room, starts=D(2026, 6, 2, 8), ends=D(2026, 6, 2, 13), by=person)
    client.force_login(person)
    page = client.get(reverse("workspaces:space", args=[space.slug]), {"week": "2026-06-01", "day": "2026-06-02"})
    body = page.content.decode()
    assert "Room &lt;A&gt;" in body and "Room <A>" not in body
    assert f'id="slot-{room.pk}-202606020800" data-state="mine"' in body
    assert f'id="slot-{room.pk}-202606021300" data-state="free"' in body and "Afternoon: free" in body
    assert body.count('data-testid="hour-row"') == 1 and "induction needed" in body
    assert f'value="{laser.pk}|2026-06-02T17:00|2026-06-02T18:00"' in body
    # Week and day parameters that are not dates fall back to this week.
    assert (
        client.get(reverse("workspaces:space", args=[space.slug]), {"week": "nope", "day": "2026-99-01"}).status_code
        == 200
    )


def test_trainers_record_inductions_on_a_page(client, bizmax):
    cohort, space, desk, plan, person = bizmax
    make_resource(space, "Laser", unit="hour", price="30.00", kind="machine", induction_type="laser cutter")
    url = reverse("workspaces:inductions", args=[space.slug])
    for who in [UserFactory(), person, manager_of(CohortFactory().program)]:
        client.force_login(who)
        assert client.get(url).status_code == 404
        assert client.post(url, {"person": person.pk}).status_code == 404
    trainer = UserFactory()
    space.trainers.add(trainer)
    client.force_login(trainer)
    outsider = UserFactory(name="Otto Outsider")
    form = client.get(url).content.decode()
    assert f'<option value="{person.pk}">{person.name}</option>' in form and "Otto Outsider" not in form
    data = {"person": outsider.pk, "induction_type": "laser cutter", "inducted_on": "2026-05-20"}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode() and 'value="2026-05-20"' in refused.content.decode()
    assert client.post(url, {**data, "person": person.pk}).status_code == 302
    assert person.inductions.get().recorded_by == trainer
    assert person.name in client.get(url).content.decode()


def test_a_superuser_sees_every_space_and_its_report(client, bizmax):
    cohort, space, desk, plan, person = bizmax
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert space.name in client.get(reverse("workspaces:index")).content.decode()
    assert client.get(reverse("workspaces:report", args=[space.slug])).status_code == 200


def test_index_and_report_run_a_fixed_number_of_queries(client, bizmax, django_assert_num_queries):
    cohort, space, desk, plan, person = bizmax
    manager = manager_of(cohort.program)
    client.force_login(manager)
    report_url = reverse("workspaces:report", args=[space.slug])

    def pages():
        # Index: 1 session, 2 user, 3 managed programs, 4 the spaces with the viewer's roles, 5 groups (nav).
        with django_assert_num_queries(5):
            client.get(reverse("workspaces:index"))
        # Report: 1 session, 2 user, 3 managed programs, 4 the space (gate), 5 occupancy by resource and weekday,
        # 6 plans with their spending, 7 no-shows per person, 8 late cancellations, 9 resources (QR codes),
        # 10 groups (nav).
        with django_assert_num_queries(10):
            return client.get(report_url, {"month": "2026-06"}).content.decode()

    pages()
    for n in range(5):
        book(participant(cohort), make_resource(space, f"Desk r{n}"), datetime.date(2026, 6, 2 + n % 3))
    assert pages().count("<tr>") > 5


@pytest.mark.parametrize(
    ("now", "opens_on"),
    [
        # Friday afternoon in Jerusalem: the space is closed Friday and Saturday, so the grid opens on Sunday, the
        # first day of the next week.
        (datetime.datetime(2026, 6, 5, 12, 0, tzinfo=datetime.UTC), datetime.date(2026, 6, 7)),
        # Saturday 23:30 in Jerusalem, half an hour before the week it opens on.
        (datetime.datetime(2026, 6, 6, 20, 30, tzinfo=datetime.UTC), datetime.date(2026, 6, 7)),
        # An open day opens on itself.
        (datetime.datetime(2026, 6, 2, 6, 0, tzinfo=datetime.UTC), datetime.date(2026, 6, 2)),
    ],
)
def test_a_grid_opened_on_a_closed_day_shows_the_next_open_day(client, bizmax, frozen, now, opens_on):
    cohort, space, desk, plan, person = bizmax
    make_resource(space, "Laser", unit="hour", price="30.00", kind="machine")
    frozen.move_to(now)
    client.force_login(person)
    body = client.get(reverse("workspaces:space", args=[space.slug])).content.decode()
    assert f'id="slot-{desk.pk}-{opens_on:%Y%m%d}0800"' in body
    assert 'data-testid="hour-row"' in body


def test_statement_exports_are_audited_and_money_keeps_its_currency(client, bizmax, monkeypatch):
    cohort, space, desk, plan, person = bizmax
    book(person, desk)
    recorded = []
    monkeypatch.setattr("incubator.exports.audit_record", lambda **entry: recorded.append(entry["obj"]))
    client.force_login(person)
    client.get(reverse("workspaces:statement"), {"month": "2026-06", "format": "csv"})
    manager = manager_of(cohort.program)
    client.force_login(manager)
    xlsx = client.get(reverse("workspaces:report", args=[space.slug]), {"month": "2026-06", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[1]][-2:] == ["Co-pay", "Currency"]
    assert sheet["I2"].number_format == '#,##0.00 "ILS"' and sheet["J2"].value == "ILS"
    assert (sheet["D2"].value, sheet["E2"].value) == (1, "days")
    assert recorded == [person, space]


def test_a_shared_spaces_induction_page_shows_a_manager_only_their_programs_people(client, db, frozen):
    cohort, space, desk, plan = bizmax_setup()
    other_cohort = CohortFactory()
    space.programs.add(other_cohort.program)
    theirs = participant(other_cohort, name="Bina Otherprogram", email="bina@example.org")
    mine = participant(cohort, name="Mira Mine")
    trainer = UserFactory()
    space.trainers.add(trainer)
    for person in (theirs, mine):
        services.induction_record(
            space=space, person=person, induction_type="laser", inducted_on=datetime.date(2026, 5, 1), by=trainer
        )
    url = reverse("workspaces:inductions", args=[space.slug])
    client.force_login(manager_of(cohort.program))
    page = client.get(url).content.decode()
    assert "Mira Mine" in page and "Bina Otherprogram" not in page
    response = client.post(url, {"person": theirs.pk, "induction_type": "laser", "inducted_on": "2026-05-02"})
    assert response.status_code == 400 and "Bina" not in response.content.decode()
    assert theirs.inductions.count() == 1
    # The space's trainer works with everyone using it.
    client.force_login(trainer)
    page = client.get(url).content.decode()
    assert "Mira Mine" in page and "Bina Otherprogram" in page


def test_the_desks_qr_code_leads_to_the_sites_own_address(client, db, frozen, settings, monkeypatch):
    import segno

    from workspaces import views

    settings.SITE_URL = "https://portal.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    encoded = []
    make = segno.make
    monkeypatch.setattr(views.segno, "make", lambda url, **kwargs: encoded.append(url) or make(url, **kwargs))
    cohort, space, desk, plan = bizmax_setup()
    client.force_login(manager_of(cohort.program))
    url = reverse("workspaces:resource_qr", args=[space.slug, desk.pk])
    assert client.get(url, HTTP_HOST="attacker.example").status_code == 200
    assert encoded == [f"https://portal.example.org/workspaces/check-in/{desk.pk}/"]
