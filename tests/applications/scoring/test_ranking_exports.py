"""The ranking and its CSV/XLSX exports: formula-like names written as text, bad parameters ignored, a page past the
end shows the last one."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.applications.scoring.factories import score, submitted

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-3+4", "@SUM(A1)"]


def test_csv_and_xlsx_exports_write_formula_like_cells_as_text(client, call, rita, maya):
    for name in FORMULAS:
        score(submitted(call, name=name), rita, 4)
    client.force_login(maya)
    body = client.get(reverse("scoring:ranking_csv", args=[call.slug])).content.decode("utf-8-sig")
    names = [line[1] for line in csv.reader(io.StringIO(body))][1:]
    assert sorted(names) == sorted("'" + name for name in FORMULAS)
    content = client.get(reverse("scoring:ranking_xlsx", args=[call.slug])).content
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [sheet.cell(row=n, column=2) for n in range(2, len(FORMULAS) + 2)]
    assert sorted(c.value for c in cells) == sorted("'" + name for name in FORMULAS)
    assert {c.data_type for c in cells} == {"s"}  # never a formula ("f")
    assert sheet["D2"].data_type == "n"  # the figures stay numbers


@pytest.mark.parametrize(
    "name, params",
    [
        ("scoring:ranking", {"page": "²"}),
        ("scoring:ranking", {"region": "²"}),
        ("scoring:ranking", {"page": "99999999999999999999"}),
        ("scoring:ranking", {"page": "-1", "sort": "nope; DROP", "dir": "sideways", "status": "x"}),
        ("scoring:ranking_csv", {"region": "¹"}),
        ("scoring:ranking_xlsx", {"region": "99999999999999999999"}),
    ],
)
def test_bad_parameters_are_ignored(client, call, rita, maya, name, params):
    score(submitted(call, name="A"), rita, 4)
    client.force_login(maya)
    assert client.get(reverse(name, args=[call.slug]), params).status_code == 200


def test_a_page_past_the_end_shows_the_last_page(client, call, rita, maya):
    score(submitted(call, name="Only One"), rita, 4)
    client.force_login(maya)
    page = client.get(reverse("scoring:ranking", args=[call.slug]), {"page": "7"}).content.decode()
    assert "Only One" in page
