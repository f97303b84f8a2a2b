"""Amounts carry their space's currency: in the grid, the statement, the report and the exports, in each language."""

import datetime
import io
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext, override
from moneyed import Money

from tests.audit_trail import action
from tests.workspaces.factories import bizmax_setup, make_plan, make_resource, make_space, manager_of
from tests.workspaces.test_views import TUESDAY, bizmax, book  # noqa: F401 - the fixture
from workspaces import ledger, services
from workspaces.models import Booking, LedgerLine, Space


@pytest.fixture
def two_currencies(bizmax):  # noqa: F811
    """The person books a desk in Jerusalem (shekels) and a bench in Bydgoszcz (złoty) in the same month."""
    cohort, space, desk, plan, person = bizmax
    workshop = make_space([cohort.program], slug="pracownia", time_zone="Europe/Warsaw", currency="PLN",
                          weekdays=range(7))  # fmt: skip
    bench = make_resource(workshop, "Bench 1", price="50.00")
    make_plan(cohort, workshop, share=50)
    book(person, desk)
    book(person, bench, TUESDAY + datetime.timedelta(days=1))
    return person, space, workshop


def statement_page(client, person, language: str) -> str:
    client.force_login(person)
    with override(language):
        url = reverse("workspaces:statement")
    return client.get(url, {"month": "2026-06"}).content.decode()


def test_a_statement_sums_each_currency_apart(client, two_currencies):
    person, space, workshop = two_currencies
    assert set(LedgerLine.objects.values_list("currency", flat=True)) == {"ILS", "PLN"}
    page = statement_page(client, person, "en")
    assert 'data-testid="total-co-pay">₪20.00<' in page
    assert 'data-testid="total-co-pay">PLN25.00<' in page
    assert 'data-testid="units-day" data-value="2.00">2 days<' in page
    totals = ledger.statement(person, datetime.date(2026, 6, 1)).totals
    assert [total.co_pay for total in totals] == [Money("20.00", "ILS"), Money("25.00", "PLN")]


def test_the_ledger_refuses_to_add_amounts_of_two_currencies(bizmax):  # noqa: F811
    """A line of the plan relabelled into another currency than its space's (as the past fixes did by mistake): the
    plan's spending is no longer one sum, and the next charge stops rather than weigh złoty against shekels."""
    cohort, space, desk, plan, person = bizmax
    book(person, desk)
    LedgerLine.objects.update(currency="PLN")
    with pytest.raises(TypeError, match="different currencies"):
        book(person, desk, TUESDAY + datetime.timedelta(days=1))
    assert Booking.objects.count() == 1
    line = LedgerLine.objects.get()
    with pytest.raises(TypeError, match="different currencies"):
        line.co_pay_money + space.money(1)


@pytest.mark.parametrize(
    ("language", "shekels", "zloty"),
    [
        ("pl", "20,00\xa0ILS", "25,00\xa0zł"),
        ("fr", "20,00\xa0₪", "25,00\xa0PLN"),
        ("he", "\u200f20.00\xa0\u200f₪", "\u200f25.00\xa0\u200fPLN"),
    ],
)
def test_amounts_follow_the_language(client, two_currencies, language, shekels, zloty):
    person, space, workshop = two_currencies
    page = statement_page(client, person, language)
    assert f'data-testid="total-co-pay">{shekels}<' in page
    assert f'data-testid="total-co-pay">{zloty}<' in page


def test_exports_name_the_currency_of_every_line_and_total(client, two_currencies):
    person, space, workshop = two_currencies
    client.force_login(person)
    csv = client.get(reverse("workspaces:statement"), {"month": "2026-06", "format": "csv"}).content.decode("utf-8-sig")
    rows = [row.split(",") for row in csv.strip().splitlines()]
    assert rows[0][9] == "Currency"
    totals = [row for row in rows if row[0] == "Total"]
    assert [(row[4], row[5]) for row in totals] == [("2.00", "days"), ("", ""), ("", "")]  # units counted once
    assert [(row[8], row[9]) for row in totals] == [("", ""), ("20.00", "ILS"), ("25.00", "PLN")]


def test_the_grid_shows_prices_in_the_spaces_currency(client, bizmax):  # noqa: F811
    cohort, space, desk, plan, person = bizmax
    client.force_login(person)
    with override("pl"):
        url = reverse("workspaces:space", args=[space.slug])
    page = client.get(url, {"week": str(TUESDAY)}).content.decode()
    assert "80,00\xa0ILS" in page


def test_the_report_shows_spending_and_budget_as_money(client, bizmax):  # noqa: F811
    cohort, space, desk, plan, person = bizmax
    book(person, desk)
    client.force_login(manager_of(cohort.program))
    page = client.get(reverse("workspaces:report", args=[space.slug]), {"month": "2026-06"}).content.decode()
    assert "₪60.00" in page and "₪10,000.00" in page


def test_the_currency_is_fixed_once_something_is_charged(admin_client, bizmax):  # noqa: F811
    cohort, space, desk, plan, person = bizmax
    url = reverse("admin:workspaces_space_change", args=[space.pk])
    assert "currency" in admin_client.get(url).context["adminform"].form.fields
    book(person, desk)
    assert "currency" not in admin_client.get(url).context["adminform"].form.fields


def test_the_database_refuses_a_currency_that_is_not_a_code(db):
    cohort, space, desk, plan = bizmax_setup()
    with pytest.raises(IntegrityError), transaction.atomic():
        Space.objects.filter(pk=space.pk).update(currency="eu")


def test_a_lines_note_is_read_in_the_readers_language(client, bizmax):  # noqa: F811
    """The note was written while the person used the portal in Polish; the statement is read in Arabic."""
    cohort, space, desk, plan, person = bizmax
    with override("pl"):
        services.booking_cancel(booking=book(person, desk, TUESDAY + datetime.timedelta(days=7)), by=person)
    assert LedgerLine.objects.exclude(note="").get().note == "Cancelled in time"
    with override("ar"):
        expected = gettext("Cancelled in time")
    assert expected != "Cancelled in time"
    assert f"<td>{expected}</td>" in statement_page(client, person, "ar")


def test_an_upgraded_spaces_currency_is_corrected_with_its_lines(bizmax):  # noqa: F811
    """A space that charged before spaces had a currency was marked EUR; the operator sets the real one."""
    cohort, space, desk, plan, person = bizmax
    book(person, desk)
    Space.objects.filter(pk=space.pk).update(currency="EUR")
    LedgerLine.objects.update(currency="EUR")
    out = io.StringIO()
    call_command("space_currency", space.slug, "ils", stdout=out)
    assert "1 ledger lines relabelled" in out.getvalue()
    assert Space.objects.get(pk=space.pk).currency == "ILS"
    assert set(LedgerLine.objects.values_list("currency", flat=True)) == {"ILS"}
    assert action(action="space.currency_correct").before == {"currency": "EUR"}
    with pytest.raises(CommandError, match="XAU is not a currency in use"):
        call_command("space_currency", space.slug, "XAU")
    with pytest.raises(CommandError, match="No space"):
        call_command("space_currency", "nowhere", "ILS")


def test_notes_written_in_another_language_go_back_to_english(bizmax):  # noqa: F811
    cohort, space, desk, plan, person = bizmax
    with override("pl"):
        services.booking_cancel(booking=book(person, desk, TUESDAY + datetime.timedelta(days=7)), by=person)
        polish = gettext("Cancelled in time")
    LedgerLine.objects.exclude(note="").update(note=polish)  # as the portal stored it before
    import_module("workspaces.migrations.0005_ledger_notes_in_english").notes_back_to_english(apps, None)
    assert set(LedgerLine.objects.exclude(note="").values_list("note", flat=True)) == {"Cancelled in time"}


def test_an_empty_months_exports_total_zero(client, bizmax):  # noqa: F811
    cohort, space, desk, plan, person = bizmax
    client.force_login(person)
    csv = client.get(reverse("workspaces:statement"), {"month": "2026-09", "format": "csv"}).content.decode("utf-8-sig")
    assert csv.strip().splitlines()[-1].split(",")[:9] == ["Total", "", "", "", "0", "", "0", "0", "0"]
    pdf = client.get(reverse("workspaces:statement"), {"month": "2026-09", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
