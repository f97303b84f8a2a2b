"""The funder report in a real browser: Kawalis' manager (who reads the portal in Arabic) opens the report for its
second cohort's year, clicks an outcome figure and sees the ventures behind it, then the check-ins behind the
revenue, and downloads the XLSX, whose second sheet lists the records behind every figure."""

import io

from openpyxl import load_workbook

from cohorts.models import Cohort

PERIOD = "program=kawalis&start=2024-06-01&end=2025-05-31"


def test_the_manager_traces_an_outcome_to_its_records_and_downloads_both_sheets(
    seeded_demo, live_server, page, sign_in
):
    cohort = Cohort.objects.get(slug="kawalis-2")
    answering = cohort.ventures.filter(checkins__status="submitted").distinct().count()
    assert answering > 0
    sign_in(page, "manager.kawalis@example.org")
    page.goto(f"{live_server.url}/mentoring/report/?{PERIOD}")
    outcomes = page.locator("[data-testid=report-outcomes]")
    assert outcomes.locator("[data-testid='outcomes.answering']").inner_text() == str(answering)

    outcomes.locator("a[data-figure='outcomes.answering']").click()
    page.wait_for_selector("[data-testid=records][data-kind=venture]")
    names = page.locator("[data-testid=record] a").all_inner_texts()
    assert sorted(names) == sorted(cohort.ventures.filter(checkins__status="submitted").distinct().values_list(
        "name", flat=True))  # fmt: skip

    page.click("[data-testid=back-to-report]")
    page.locator("a[data-figure='outcomes.revenue']").click()
    page.wait_for_selector("[data-testid=records][data-kind=checkin]")
    assert page.locator("[data-testid=record]").count() > 0
    first = page.locator("[data-testid=record] a").first
    assert f"/cohorts/{cohort.slug}/ventures/" in first.get_attribute("href")

    page.click("[data-testid=back-to-report]")
    with page.expect_download() as download_info:
        page.click("[data-testid=report-xlsx]")
    download = download_info.value
    with open(download.path(), "rb") as xlsx:
        workbook = load_workbook(io.BytesIO(xlsx.read()))
    # Kawalis' manager reads the portal in Arabic: both sheets are named in it and read right to left.
    assert workbook.sheetnames == ["الإرشاد", "السجلات"]
    assert all(sheet.sheet_view.rightToLeft for sheet in workbook.worksheets)
    keys = {row[0] for row in workbook["السجلات"].iter_rows(min_row=2, values_only=True)}
    assert {"outcomes.answering", "outcomes.revenue"} <= keys
