"""The four programs of shared/PROGRAMS.md, each in its language and time zone, with their cohorts."""

import datetime

from cohorts.models import Cohort, Program, Region

PROGRAMS = [
    {
        "slug": "bizup",
        "name": "BizUP",
        "organisation": "BizMax coworking space with JDC Israel",
        "description": "An incubator for young creatives in graphic design, photography, video, advertising "
        "and interior design: subsidised desks, personal mentoring and a community of clients and partners.",
        "language": "he",
        "time_zone": "Asia/Jerusalem",
        "regions": ["Jerusalem"],
        "cohorts": [("bizup-2026", "BizUP 2026", datetime.date(2026, 3, 1), datetime.date(2026, 12, 31), 15)],
    },
    {
        "slug": "kawalis",
        "name": "Kawalis",
        "organisation": "Kawalis Foundation (EU-funded)",
        "description": "An incubator for cultural and creative industries in four regions of Morocco.",
        "language": "ar",
        "time_zone": "Africa/Casablanca",
        "regions": ["Fès-Meknès", "Oriental", "Souss-Massa", "Tanger-Tétouan-Al Hoceïma"],
        "cohorts": [
            ("kawalis-2", "Kawalis — second cohort", datetime.date(2024, 6, 1), datetime.date(2025, 5, 31), 24),
            ("kawalis-3", "Kawalis — third cohort", datetime.date(2027, 3, 1), datetime.date(2028, 2, 28), 24),
        ],
    },
    {
        "slug": "mlodzi-rzemieslnicy",
        "name": "Młodzi rzemieślnicy na Starówce",
        "organisation": "Creativity Centre, ul. Jezuicka 20-22, Bydgoszcz",
        "description": "An open technology workshop (makerspace / FabLab) for young craftspeople.",
        "language": "pl",
        "time_zone": "Europe/Warsaw",
        "regions": ["Bydgoszcz"],
        "cohorts": [("makerspace-2026", "Pracownia 2026", datetime.date(2026, 1, 15), datetime.date(2026, 12, 15), 30)],
    },
    {
        "slug": "regional-leaders",
        "name": "Regional Leaders — Beit HaKerem valley",
        "organisation": "Regional cluster of 7 municipalities, with the Ministry of Interior and JDC",
        "description": "About 25 change agents from government, business, civil society and academia, "
        "forming teams around regional initiatives.",
        "language": "he",
        "time_zone": "Asia/Jerusalem",
        "regions": ["Karmiel", "Majd al-Krum", "Bi'ina", "Deir al-Asad", "Nahf", "Rameh", "Sajur"],
        "cohorts": [("regional-leaders-1", "Regional Leaders — first cohort", datetime.date(2025, 10, 1),
                     datetime.date(2026, 9, 30), 25)],
    },
]  # fmt: skip


def program(slug: str) -> Program:
    return Program.objects.get(slug=slug)


def seed_programs(stdout) -> None:
    for spec in PROGRAMS:
        fields = {key: spec[key] for key in ("name", "organisation", "description", "language", "time_zone")}
        prog, _ = Program.objects.update_or_create(slug=spec["slug"], defaults=fields)
        for position, name in enumerate(spec["regions"]):
            Region.objects.update_or_create(program=prog, name=name, defaults={"position": position})
        for slug, name, starts_on, ends_on, capacity in spec["cohorts"]:
            Cohort.objects.update_or_create(
                slug=slug,
                defaults={
                    "program": prog, "name": name, "starts_on": starts_on, "ends_on": ends_on, "capacity": capacity,
                    "status": _status_on(starts_on, ends_on, datetime.date.today()),
                },
            )  # fmt: skip
    stdout.write(f"programs: {len(PROGRAMS)}")


def _status_on(starts_on, ends_on, today) -> str:
    if today < starts_on:
        return Cohort.Status.UPCOMING
    if today > ends_on:
        return Cohort.Status.FINISHED
    return Cohort.Status.RUNNING
