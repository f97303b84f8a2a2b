"""The report of a `make bench` run (tests/perf/bench.py): the machine it ran on, each page's row against the goals
of issue 12, the deadline day, written as markdown into docs/performance.md between its markers."""

import datetime
import os
import platform
import time
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "performance.md"
START, END = "<!-- make bench: start -->", "<!-- make bench: end -->"
KIB = 1024
GOALS = {"median_ms": 100, "ceiling_share": 0.25, "ranking_vs_ceiling": 3, "csv_ms": 2000, "first_load_kib": 150}


def machine() -> dict:
    from django.db import connection

    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.processor())
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory = next((int(line.split()[1]) for line in meminfo if line.startswith("MemTotal")), 0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    # Versions from the metadata: importing locust would monkey-patch this process with gevent.
    from importlib.metadata import version

    return {
        "cpu": f"{os.cpu_count()} cores of {cpu}",
        "memory": f"{memory / 1024 / 1024:.0f} GiB",
        "load": "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg()),
        "software": f"Python {platform.python_version()}, Django {version('Django')}, PostgreSQL {postgres}, "
        f"gunicorn {version('gunicorn')}, locust {version('locust')}",
    }


def verdicts(row: dict, ceiling: dict) -> list[str]:
    """The goals of issue 12 this page misses, in words."""
    missed = []
    if row["kind"] == "export":
        if row["median_ms"] > GOALS["csv_ms"]:
            missed.append(f"median over {GOALS['csv_ms'] / 1000:.0f} s")
    elif row["kind"] != "ceiling" and row["median_ms"] > GOALS["median_ms"]:
        missed.append(f"median over {GOALS['median_ms']} ms")
    if row["kind"] == "read" and row["rps"] < GOALS["ceiling_share"] * ceiling["rps"]:
        missed.append(f"under {GOALS['ceiling_share']:.0%} of the ceiling")
    ranking_limit = GOALS["ranking_vs_ceiling"] * ceiling["median_ms"]
    if row["page"].startswith("ranking, first") and row["median_ms"] > ranking_limit:
        missed.append(f"over {GOALS['ranking_vs_ceiling']}× the ceiling's median")
    if row["first_load"] and row["kind"] != "ceiling" and row["first_load"]["bytes"] > GOALS["first_load_kib"] * KIB:
        missed.append(f"first load over {GOALS['first_load_kib']} KiB")
    if row["failures"] or row["unexpected"]:
        missed.append(f"{row['failures']} failed requests")
    return missed


def queries_text(queries: dict) -> str:
    counts = sorted(int(k) for k in queries)
    return "–" if not counts else str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"


def table(rows: list[dict], ceiling: dict) -> str:
    lines = [
        "| page | as | req/s | share of ceiling | median | p95 | queries/request | first load (requests) | requests "
        "(failed) | goals |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        load = row["first_load"]
        load_text = f"{load['bytes'] / KIB:.1f} KiB ({load['requests']})" if load else "–"
        missed = verdicts(row, ceiling)
        lines.append(
            f"| {row['page']} | {row['role']} | {row['rps']:.1f} | {row['rps'] / ceiling['rps']:.0%} | "
            f"{row['median_ms']:.0f} ms | {row['p95_ms']:.0f} ms | {queries_text(row['queries'])} | {load_text} | "
            f"{row['requests']} ({row['failures']}) | {'; '.join(missed) if missed else 'met'} |"
        )
    return "\n".join(lines)


def deadline_text(result: dict) -> str:
    stats = result["stats"]
    autosave, submit = stats.get("deadline: autosave", {}), stats.get("deadline: submit", {})
    total = stats["Aggregated"]
    return "\n".join(
        [
            "| request | count | failed | req/s | median | p95 | max |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            *[
                f"| {name} | {s.get('requests', 0)} | {s.get('failures', 0)} | {s.get('rps', 0):.1f} | "
                f"{s.get('median_ms', 0):.0f} ms | {s.get('p95_ms', 0):.0f} ms | {s.get('max_ms', 0):.0f} ms |"
                for name, s in (("autosave", autosave), ("submit", submit), ("all", total))
            ],
            "",
            f"{result['applicants']} applicants; submissions sent {result['submissions_sent']}, accepted "
            f"{result['submissions_ok']}, recorded in the database (submitted, with their version) "
            f"{result['submissions_recorded']}; applicants whose submit time had not come when the run ended "
            f"{result['never_submitted']}; last autosaves not found in the database: **{result['lost_autosaves']}**.",
        ]
    )


def statics_text(rows: list[dict]) -> str:
    loads = [row["first_load"] for row in rows if row["first_load"] and row["kind"] != "ceiling"]
    cache = sorted({value for load in loads for value in load["cache"]})
    encodings = sorted({value for load in loads for value in load["encodings"]})
    largest = max(loads, key=lambda load: load["uncompressed"])
    return (
        f"Static files answer with Cache-Control {' / '.join(f'`{c}`' for c in cache)}; responses are encoded "
        f"{', '.join(encodings)}. The heaviest first load is {largest['uncompressed'] / KIB:.0f} KiB uncompressed "
        f"and {largest['bytes'] / KIB:.0f} KiB transferred."
    )


def report(rows, ceiling, deadline, info, sizes, args, started) -> str:
    today = datetime.datetime.now(datetime.UTC)
    return "\n".join(
        [
            START,
            f"## Last `make bench` run: {today:%d %B %Y, %H:%M} UTC",
            "",
            f"**Machine:** {info['cpu']}, {info['memory']} RAM, load average {info['load']} when it started; "
            f"{info['software']}.",
            "",
            "**Data** (`seed_scale`): " + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in sizes.items()) + ".",
            "",
            f"**Load:** gunicorn with {args.workers} workers of {args.threads} threads (gthread, README.md's "
            "production line), DEBUG off, on 127.0.0.1; per page, "
            f"{args.users} simulated people sending requests back to back (no think time) for {args.duration} s "
            f"or {args.max_requests} requests, after a warm-up; locust and PostgreSQL on the same 2 cores. "
            "Queries per request are counted by the server (X-Queries). The first load is what a browser with an "
            "empty cache transfers for the page and the static files it names, compressed as browsers ask "
            "(gzip for HTML, brotli for static files), headers included.",
            "",
            table(rows, ceiling),
            "",
            statics_text(rows),
            "",
            "### Deadline day",
            "",
            f"{deadline['applicants']} applicants with a draft each change a field every 3–6 s (an autosave each "
            f"time) for {args.deadline_duration} s and each submits once, at a moment drawn in the last minute.",
            "",
            deadline_text(deadline),
            "",
            f"The whole run took {(time.monotonic() - started) / 60:.1f} minutes.",
            END,
        ]
    )


def write_doc(text: str) -> None:
    current = DOC.read_text() if DOC.exists() else "# Performance\n"
    if START in current and END in current:
        before, rest = current.split(START, 1)
        updated = before + text + rest.split(END, 1)[1]
    else:
        title, _, rest = current.partition("\n")
        updated = f"{title}\n\n{text}\n{rest}"
    DOC.write_text(updated)
