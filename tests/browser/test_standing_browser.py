"""Vị trí của tỉnh (pages/vi-tri.py) in a real browser, on the lake of real published files
(tests/pages/standing_lake.py): today's Hải Phòng opened by its permalink shows the cards as published, the
portal's 766 score beside the province's own drawn group by group, no call outside the dashboard's host, and
the summary's CSV download holds the figures as typed from the press (tests/files/published/).

What every number is, worked by hand: tests/pages/test_standing.py (AppTest, the same lake).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.browser.served import (
    ARTIFACTS,
    chromium,
    new_context,
    new_page,
    open_page,
    problems,
    require_browser,
    screenshot,
    serve,
)
from tests.conftest import REPO
from tests.pages.standing_lake import build_standing_lake
from ui import t
from ui.published import PORTAL_GROUPS

pytestmark = pytest.mark.browser

PORTAL = REPO / "tests" / "files" / "766-portal" / "service-results_year-2026_2026-09-17.json"
PRESS = REPO / "tests" / "files" / "published" / "chi-so-cong-bo_2021-2024.csv"


@pytest.fixture(scope="module")
def standing_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_browser()  # before the lake is built: fail fast
    return build_standing_lake(tmp_path_factory.mktemp("standing-browser"))


def vi(number: float) -> str:
    return f"{number:.2f}".replace(".", ",")


def portal_total(name: str) -> float:
    evaluation = json.loads(PORTAL.read_text(encoding="utf-8"))["data"]["evaluation"]
    (row,) = [e for e in evaluation if e["departmentName"].endswith(name)]
    return row["totalScore"]


def press_row(index: str, year: str, province: str) -> dict[str, str]:
    """The first row typed for a province's total (the file repeats Hải Phòng's PAR 2024 row as typed)."""
    with PRESS.open(encoding="utf-8") as handle:
        return next(
            r for r in csv.DictReader(handle) if (r["Chỉ số"], r["Năm"], r["Tỉnh/thành phố"]) == (index, year, province)
        )


def test_hai_phong_by_its_permalink_cards_the_766_comparison_and_the_summary_download(standing_lake: Path) -> None:
    with serve(standing_lake, "browser-standing-server.log") as base, chromium() as browser:
        context = new_context(browser)
        try:
            page = new_page(context)
            open_page(page, f"{base}/vi-tri?province=31")
            shot = screenshot(page, "vi-tri-hai-phong")
            assert not problems(page), (shot, problems(page))
            assert page.locator("h1").first.inner_text().strip() == t("standing.title", "vi"), shot

            metrics = page.locator('[data-testid="stMetric"]').all_inner_texts()
            text = "\n".join(metrics)
            par = press_row("PAR", "2024", "Hải Phòng")["Giá trị"]  # "96,17"
            assert f"{par}%" in text, (shot, metrics)
            assert vi(portal_total("Thành phố Hải Phòng")) in text, (shot, metrics)
            assert "83,00 điểm" in text, (shot, metrics)  # the own figure (tests/pages/test_standing.py)

            # one bar per scoring group for the published score and one for the own: 6 × 2
            chart = page.locator(".st-key-chart-standing-766")
            assert chart.locator(".main-svg").count() >= 1, shot
            assert chart.locator("g.trace.bars g.point").count() == 2 * len(PORTAL_GROUPS), shot

            page.get_by_role("tab", name=t("view.download", "vi")).first.click()
            with page.expect_download(timeout=120_000) as info:
                page.locator(".st-key-dl-csv-standing-summary button").click()
            download = info.value
            target = ARTIFACTS / "downloads" / download.suggested_filename
            target.parent.mkdir(parents=True, exist_ok=True)
            download.save_as(str(target))
            outside = page.recorder.outside(base)
            assert not outside, f"/vi-tri called outside the dashboard's host: {outside}"
        finally:
            context.close()

    assert download.suggested_filename == "vi-tri-31-current.csv"
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    column = {c: t(f"standing_col.{c}", "vi") for c in ("index", "value", "rank", "rank_of", "source", "figure")}
    (par_row,) = [r for r in rows if r[column["index"]] == t("published.name_par", "vi")]
    typed = press_row("PAR", "2024", "Hải Phòng")
    assert par_row[column["value"]] == typed["Giá trị"].replace(",", ".")
    assert (par_row[column["rank"]], par_row[column["rank_of"]]) == (typed["Xếp hạng"], "63")
    assert par_row[column["source"]] == typed["Nguồn"]
    assert {r[column["figure"]] for r in rows} == {t("standing.figure_published", "vi")}
    # the province of today and the two it is made of, each index once per province with a figure: 7 rows
    assert len(rows) == 7, rows
