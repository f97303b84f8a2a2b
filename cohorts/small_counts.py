"""Counts of people in reports: under 5 they are shown as "<5", so that nobody can be singled out.

The same rule as the funder report's (mentoring/report.py `people_cells`); cohorts imports no other app, so the rule
lives here and the cohort's own reports (the alumni survey's results, cohorts/alumni.py) use it from here."""

SMALL = 5
SUPPRESSED = "<5"


def people_cells(counts: list[int]) -> list[int | str]:
    """Counts of people, with those under 5 hidden; when only one is hidden, the next smallest is hidden too,
    since the total would otherwise give it away."""
    cells: list[int | str] = [SUPPRESSED if n < SMALL else n for n in counts]
    hidden = [i for i, cell in enumerate(cells) if cell == SUPPRESSED and counts[i] > 0]
    if len(hidden) == 1:
        shown = sorted((n, i) for i, n in enumerate(counts) if cells[i] != SUPPRESSED)
        if shown:
            cells[shown[0][1]] = SUPPRESSED
    return cells
