"""Monthly check-ins of BizUP 2026 (in shekels, in Hebrew) and of Kawalis' first and second cohorts (in dirhams, in
Arabic and French): every month of the cohort that is over, at most twelve. Kawalis' first cohort (demo/mentoring.py)
came without ventures: each of its eighteen projects gets one here, its founder on its team. Each venture grows at
its own pace; a festival month can end in a loss; a few months are skipped with their reason or sent late, and
BizUP's last month is still open for some ventures (its reminders are due).

Sent through the services, which read and check every answer; the moment each was sent is then set to a day of
the next month, as the demo's other histories are. Months already answered are left alone: seeding again adds
nothing and audits nothing."""

import datetime
import random
from zoneinfo import ZoneInfo

from cohorts.checkin_history import cohort_months
from cohorts.checkins import (
    checkin_save_draft,
    checkin_skip,
    checkin_submit,
    metric_add,
    metric_set_create,
    next_month,
    window_closes,
)
from cohorts.models import CheckIn, Cohort, Membership, Metric, MetricSet
from cohorts.services import venture_create

TWELVE = 12

BIZUP = {
    "currency": "ILS",
    "own_metrics": [("הצעות מחיר שנשלחו", Metric.Kind.COUNT)],
    "clients": (2, 9),
    "revenue": (3000, 9000),
    "growth": 0.07,
    "volunteers": (0, 0),
    "funding": [(5, 25000, "הלוואת הבנק לעסקים צעירים"), (8, 8000, "מענק עידוד יזמות")],
    "highlights": [
        "סגרנו ריטיינר חודשי עם רשת חנויות בירושלים.",
        "לקוחה חזרה אלינו עם שלושה פרויקטים חדשים.",
        "העבודה שלנו הופיעה בקמפיין של עמותה גדולה.",
        "בנינו תיק עבודות חדש עם המנטור והוא כבר מביא פניות.",
        "שיתוף פעולה ראשון עם צלם מהקבוצה: הפקה משותפת ללקוח.",
        "העלינו מחירים ב־15% ואף לקוח לא עזב.",
        "סיימנו את קורס ניהול הכספים של התוכנית.",
    ],
    "blockers": [
        "",
        "",
        "לקוחות משלמים בשוטף פלוס 60, תזרים המזומנים קשה.",
        "קשה לתמחר פרויקטים גדולים.",
        "חסר לנו ציוד תאורה לצילומי סטודיו.",
        "הזמן בין העבודה למשפחה לא מספיק לשיווק.",
    ],
    # October 2026: the Tishrei holidays.
    "skips": {datetime.date(2026, 10, 1): (3, "חגי תשרי: הסטודיו היה סגור רוב החודש.")},
}

KAWALIS = {
    "currency": "MAD",
    "own_metrics": [
        ("المستفيدون من الأنشطة", Metric.Kind.COUNT),
        ("Part des femmes parmi les bénéficiaires", Metric.Kind.PERCENTAGE),
    ],
    "clients": (5, 40),
    "revenue": (2000, 12000),
    "growth": 0.05,
    "volunteers": (2, 12),
    "funding": [(4, 60000, "Subvention régionale"), (9, 35000, "تمويل من المجلس الجهوي")],
    "highlights": [
        "Notre premier atelier ouvert au public a affiché complet.",
        "شاركنا في معرض الصناعة التقليدية بالرباط وبعنا نصف المخزون.",
        "Un hôtel de la médina nous a commandé une série de pièces.",
        "وقّعنا اتفاقية شراكة مع دار الشباب في الحي.",
        "Visite d’étude à Tanger avec la cohorte : trois contacts d’acheteurs.",
        "أطلقنا صفحتنا على الإنترنت واستقبلنا أول طلبات من خارج الجهة.",
    ],
    "blockers": [
        "",
        "",
        "التنقل بين المدن مكلف بالنسبة لفريقنا.",
        "Les matières premières ont augmenté de 20 %.",
        "Nous attendons toujours l’autorisation de la commune pour l’espace.",
    ],
    # March 2025: Ramadan.
    "skips": {datetime.date(2025, 3, 1): (4, "شهر رمضان: توقفت الورشات والعروض طوال الشهر.")},
}
# Ramadan 1444 fell in April 2023 for most of the month.
KAWALIS_FIRST = {**KAWALIS, "skips": {datetime.date(2023, 4, 1): (4, "شهر رمضان: توقفت الورشات طوال الشهر.")}}
KAWALIS_FIRST_VENTURES = [
    ("Atelier Zellige Fès", "crafts"), ("دار الطرز", "crafts"), ("Studio Médina Photo", "photography"),
    ("مسرح الحي", "culture"), ("Cuirs de Meknès", "crafts"), ("Oriental Sons", "culture"),
    ("ورشة الخزف بوجدة", "crafts"), ("Figuig Patrimoine", "culture"), ("Berkane Design", "graphic_design"),
    ("Agadir Ciné Club", "video"), ("تعاونية أركان للفنون", "crafts"), ("Souss Graphique", "graphic_design"),
    ("Tiznit Argent", "crafts"), ("Taroudant Récits", "culture"), ("Tanger Vidéo Lab", "video"),
    ("دار الموسيقى الأندلسية", "culture"), ("Tétouan Broderie", "crafts"), ("Al Hoceïma Intérieurs", "interior_design"),
]  # fmt: skip
# The month a festival ends in a loss, for the ventures whose number is a multiple of 5.
LOSS_MONTH = 6


def seed_checkins(stdout) -> None:
    sent = 0
    _kawalis_first_ventures(Cohort.objects.get(slug="kawalis-1"))
    for slug, plan in (("bizup-2026", BIZUP), ("kawalis-1", KAWALIS_FIRST), ("kawalis-2", KAWALIS)):
        cohort = Cohort.objects.select_related("program").get(slug=slug)
        metric_set = _metric_set(cohort, plan)
        for number, venture in enumerate(cohort.ventures.order_by("name"), start=1):
            sent += _venture_checkins(venture, number, metric_set, plan)
    stdout.write(f"check-ins: {sent} answered")


def _kawalis_first_ventures(cohort: Cohort) -> None:
    """One venture per project of the first cohort, made by its founder (who joins its team), once."""
    founders = Membership.objects.filter(cohort=cohort).select_related("person").order_by("person__email")
    named = set(cohort.ventures.values_list("name", flat=True))
    for membership, (name, field) in zip(founders, KAWALIS_FIRST_VENTURES, strict=False):
        if name not in named:
            venture_create(cohort=cohort, by=membership.person, name=name, field=field)


def _metric_set(cohort: Cohort, plan: dict) -> MetricSet:
    metric_set = MetricSet.objects.filter(program=cohort.program).first()
    if metric_set is None:
        metric_set = metric_set_create(program=cohort.program, currency=plan["currency"], by=None)
        for name, kind in plan["own_metrics"]:
            metric_add(metric_set=metric_set, name=name, kind=kind, by=None)
    return metric_set


def _answerer(venture):
    """The team's first member with an account, and the last day they answer for (None: to the end)."""
    member = venture.team.select_related("user").exclude(user=None).order_by("id").first()
    if member is None:
        return None, None
    membership = Membership.objects.get(cohort=venture.cohort, person=member.user)
    return member.user, membership.ended_on if membership.status == Membership.Status.WITHDRAWN else None


def _venture_checkins(venture, number: int, metric_set: MetricSet, plan: dict) -> int:
    person, until = _answerer(venture)
    if person is None:
        return 0
    months = cohort_months(venture)[:TWELVE]
    answered = set(venture.checkins.values_list("month", flat=True))
    chance = random.Random(f"{venture.cohort.slug}/{venture.name}")
    metrics = {metric.standard or metric.name: metric for metric in metric_set.metrics.all()}
    sent = 0
    for index, month in enumerate(months):
        if month in answered or (until and month > until):
            continue
        last = index == len(months) - 1 and venture.cohort.slug == "bizup-2026"
        if last and number % 4 == 0:
            continue  # not answered yet: this month's reminders are due
        typed = _typed(metrics, plan, number, index, month, chance)
        if last and number % 4 == 1:
            checkin_save_draft(venture=venture, month=month, typed=typed, currency=plan["currency"], by=person)
            continue
        _answer(venture, person, month, number, typed, plan, chance)
        sent += 1
    return sent


def _typed(metrics: dict, plan: dict, number: int, index: int, month, chance) -> dict[int, str]:
    growth = (1 + plan["growth"]) ** index
    revenue = round(chance.randint(*plan["revenue"]) * growth, -1)
    if month.month == LOSS_MONTH and number % 5 == 0:
        revenue = -chance.randint(1500, 6000)  # the stand and travel to a festival cost more than it sold
    funding = sum(amount for at, amount, _source in plan["funding"] if at == index and number % 3 == 0)
    values = {
        "clients": chance.randint(*plan["clients"]) + index // 2,
        "revenue": revenue,
        "jobs": min(4, 0.5 * (1 + index // 4 + number % 2)),
        "volunteers": chance.randint(*plan["volunteers"]),
        "funding": funding,
        "highlight": chance.choice(plan["highlights"]),
        "blocker": chance.choice(plan["blockers"]),
    }
    for name, kind in plan["own_metrics"]:
        values[name] = chance.randint(35, 70) if kind == Metric.Kind.PERCENTAGE else chance.randint(3, 30) + index
    return {metrics[key].pk: str(value) for key, value in values.items()}


def _answer(venture, person, month, number: int, typed: dict, plan: dict, chance) -> None:
    skip = plan["skips"].get(month)
    if skip and number % skip[0] == 0:
        checkin = checkin_skip(venture=venture, month=month, reason=skip[1], by=person)
    else:
        checkin = checkin_submit(
            venture=venture, month=month, typed=typed, currency=plan["currency"], by=person, language="en"
        )
    # Most answer in the first days of the next month; every seventh venture is sometimes a week late.
    day = 14 if number % 7 == 0 and month.month % 2 else chance.randint(1, 9)
    zone = venture.cohort.program.time_zone
    at = datetime.datetime.combine(next_month(month).replace(day=day), datetime.time(20), tzinfo=ZoneInfo(str(zone)))
    CheckIn.objects.filter(pk=checkin.pk).update(submitted_at=at, updated_at=at, late=at >= window_closes(month, zone))
