"""The ledger behind co-payments and subsidies: what a booking costs and who pays it, the lines a cancellation
adds, the monthly statements read from it, and the one correction of a space's currency.

Lines are only added, so a cap, a budget or a statement is always a sum of lines, read under the locks of the
allowance and the plan it is checked against. Amounts are `Money` here (the columns are an amount beside a
currency code, converted by `Space.money` and the line's `…_money` properties): adding or comparing amounts of
two currencies raises a TypeError rather than giving a wrong sum."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from moneyed import Money

from cohorts.access import managed_q
from incubator.audit import audit_record
from incubator.models import CURRENCY_CODES, User
from workspaces.models import UNIT_KINDS, Allowance, Booking, LedgerLine, Space, SubsidyPlan
from workspaces.periods import month_start

CENT = Decimal("0.01")


def _lock_allowance(plan: SubsidyPlan, person: User, month: datetime.date) -> None:
    Allowance.objects.get_or_create(plan=plan, person=person, month=month)
    Allowance.objects.select_for_update().get(plan=plan, person=person, month=month)


def _cents(amount: Money, rounding: str = ROUND_HALF_EVEN) -> Money:
    return Money(amount.amount.quantize(CENT, rounding=rounding), amount.currency)


def _plan_spent(plan: SubsidyPlan, space: Space) -> Money:
    """The subsidy the plan's lines have paid: a sum per currency, added up as money (so a line in another
    currency than the space's raises rather than passing for the same amount)."""
    rows = LedgerLine.objects.filter(plan=plan).values("currency").annotate(total=Sum("subsidy")).order_by()
    return sum((Money(row["total"], row["currency"]) for row in rows), space.money(0))


def _subsidy(*, booking: Booking, plan: SubsidyPlan, month: datetime.date, list_price: Money) -> tuple:
    """The plan's share of the list price and the units it covers, or nothing and why (a note) when the
    person's monthly cap or the cohort's budget is passed and the plan books those at full price."""
    units, space = booking.units, booking.resource.space
    nothing = space.money(0)
    _lock_allowance(plan, booking.person, month)
    used = LedgerLine.objects.filter(plan=plan, person=booking.person, month=month).aggregate(
        total=Sum("subsidised_units")
    )["total"] or Decimal(0)
    refuse = plan.over_cap == SubsidyPlan.OverCap.REFUSE
    if used + units > plan.monthly_cap:
        if refuse:
            raise ValidationError(
                _("This would pass your monthly cap of %(cap)s subsidised units (%(used)s used this month).")
                % {"cap": plan.monthly_cap, "used": used}
            )
        return nothing, Decimal(0), gettext_noop("Over the monthly cap: full price.")
    plan = SubsidyPlan.objects.select_for_update().get(pk=plan.pk)
    share = _cents(list_price * plan.share_percent / 100, ROUND_HALF_UP)
    if _plan_spent(plan, space) + share > space.money(plan.budget):
        if refuse:
            raise ValidationError(_("The cohort's subsidy budget is spent; this booking cannot be subsidised."))
        return nothing, Decimal(0), gettext_noop("The cohort's subsidy budget is spent: full price.")
    return share, units, ""


def _amounts(list_price: Money, subsidy: Money) -> dict:
    """A line's amount columns and its one currency; the co-pay's subtraction refuses two currencies."""
    co_pay = list_price - subsidy
    return {
        "list_price": list_price.amount,
        "subsidy": subsidy.amount,
        "co_pay": co_pay.amount,
        "currency": co_pay.currency.code,
    }


def _plan_spent_add(plan_id: int | None, subsidy: Money) -> None:
    """Keep `SubsidyPlan.spent` as a line is written (the update locks the plan's row till the booking commits);
    a line in another currency than the plan's space's is left out, as `plans_spent_recount` and the pages' sums
    leave it out (a plan moved to another space counts in that space's currency, whichever space the booking
    was in)."""
    if plan_id is not None and subsidy.amount:
        SubsidyPlan.objects.filter(pk=plan_id, space__currency=subsidy.currency.code).update(
            spent=F("spent") + subsidy.amount
        )


def plans_spent_recount(plans) -> None:
    """Set the kept `spent` of `plans` (a queryset) to the sum of their lines in their space's currency: one
    query, for lines written or relabelled in bulk."""
    lines = (
        LedgerLine.objects.filter(plan=OuterRef("pk"), currency=F("plan__space__currency"))
        .order_by()
        .values("plan")
        .annotate(total=Sum("subsidy"))
        .values("total")
    )
    plans.update(spent=Coalesce(Subquery(lines), Decimal(0)))


def booking_charge(*, booking: Booking, plan: SubsidyPlan | None, month: datetime.date) -> LedgerLine:
    """The booking's ledger line, inside the booking's transaction."""
    space = booking.resource.space
    list_price = _cents(space.money(booking.resource.price) * booking.units)
    subsidy, subsidised_units, note = space.money(0), Decimal(0), ""
    if plan is not None:
        subsidy, subsidised_units, note = _subsidy(booking=booking, plan=plan, month=month, list_price=list_price)
        _plan_spent_add(plan.pk, subsidy)
    return LedgerLine.objects.create(
        booking=booking,
        person=booking.person,
        plan=plan,
        month=month,
        units=booking.units,
        subsidised_units=subsidised_units,
        note=note,
        **_amounts(list_price, subsidy),
    )


def booking_refund(*, booking: Booking) -> None:
    """A cancellation in time adds the opposite of each of the booking's lines."""
    for line in booking.ledger_lines.all():
        _plan_spent_add(line.plan_id, -line.subsidy_money)
        LedgerLine.objects.create(
            booking=booking,
            person=line.person,
            plan=line.plan,
            month=line.month,
            units=-line.units,
            subsidised_units=-line.subsidised_units,
            note=gettext_noop("Cancelled in time"),
            **_amounts(-line.list_price_money, -line.subsidy_money),
        )


def space_currency_correct(*, space: Space, currency: str, by: User | None) -> int:
    """Give a space the currency it really charges in, and relabel every line charged there; the amounts stay.

    For a currency that was wrong from the start: a space that had charged before spaces had a currency was
    stamped EUR by the migration, and the admin fixes the field once anything is charged. Returns the number
    of lines relabelled."""
    if currency not in CURRENCY_CODES:
        raise ValidationError(_("%(code)s is not a currency in use.") % {"code": currency})
    with transaction.atomic():
        space = Space.objects.select_for_update().get(pk=space.pk)
        before = space.currency
        relabelled = LedgerLine.objects.filter(booking__resource__space=space).update(currency=currency)
        space.currency = currency
        space.save(update_fields=["currency"])
        # The space's plans, and any plan moved away since that paid for bookings here.
        charged_here = LedgerLine.objects.filter(booking__resource__space=space).values("plan")
        plans_spent_recount(SubsidyPlan.objects.filter(Q(space=space) | Q(pk__in=charged_here)))
        audit_record(
            actor=by,
            action="space.currency_correct",
            obj=space,
            before={"currency": before},
            after={"currency": currency, "lines": relabelled},
        )
    return relabelled


@dataclass
class Totals:
    list_price: Money
    subsidy: Money
    co_pay: Money

    @property
    def currency(self) -> str:
        return self.co_pay.currency.code


@dataclass
class Statement:
    month: datetime.date
    lines: list[LedgerLine]
    units: dict[str, Decimal]  # per unit kind ("day", "hour"): desk days and printer hours are never added
    totals: list[Totals]  # one per currency: spaces of different programs may charge in different ones


AMOUNTS = ("list_price", "subsidy", "co_pay")
UNIT_KIND = Case(*(When(booking__resource__unit=unit, then=Value(kind)) for unit, kind in UNIT_KINDS.items()))


def statement(user, month: datetime.date) -> Statement:
    """The person's ledger lines of the month (one query) and their sums per currency and unit kind (one query)."""
    lines = LedgerLine.objects.filter(person=user, month=month_start(month))
    sums = (
        lines.annotate(unit_kind=UNIT_KIND)
        .values("currency", "unit_kind")
        .annotate(units=Sum("units"), list_price=Sum("list_price"), subsidy=Sum("subsidy"), co_pay=Sum("co_pay"))
        .order_by("currency", "unit_kind")
    )
    units, amounts = {}, {}
    for row in sums:
        units[row["unit_kind"]] = units.get(row["unit_kind"], Decimal(0)) + row["units"]
        so_far = amounts.setdefault(row["currency"], dict.fromkeys(AMOUNTS, Decimal(0)))
        for amount in AMOUNTS:
            so_far[amount] += row[amount]
    return Statement(
        month=month_start(month),
        lines=list(lines.select_related("booking__resource__space").order_by("booking__period", "created_at")),
        units={kind: units[kind] for kind in ("day", "hour") if kind in units},
        totals=[Totals(*(Money(total[amount], currency) for amount in AMOUNTS)) for currency, total in amounts.items()],
    )


def month_statements(space: Space, user, month: datetime.date) -> list[dict]:
    """Every participant's sums for the month under the plans of the programs the viewer manages, per currency and
    unit kind (one query)."""
    return list(
        LedgerLine.objects.filter(managed_q(user, "plan__cohort__program"), plan__space=space, month=month_start(month))
        .annotate(unit_kind=UNIT_KIND)
        .values("person__name", "person__email", "plan__cohort__name", "currency", "unit_kind")
        .annotate(
            units=Sum("units"),
            subsidised_units=Sum("subsidised_units"),
            list_price=Sum("list_price"),
            subsidy=Sum("subsidy"),
            co_pay=Sum("co_pay"),
        )
        .order_by("plan__cohort__name", "person__name", "person__email", "currency", "unit_kind")
    )
