"""The dashboard in a real browser: Debian's Chromium, driven by Playwright, against the server that
`make run` starts (tests/browser/served.py).

The shared server over the demo lake (`demo_server`, tests/browser/conftest.py), one fresh Chromium
profile. For every page of the registry (ui/navigation.py), by its URL slug: the run finishes, no error element and no dialog, the
demo label is shown, a screenshot goes to tests/artifacts/screenshots/<slug>.png, and every request the
page made went to the dashboard's own host (or was a data:/blob: URL): the dashboard makes no call outside
its own server (docs/security.md). Then the `?lang=en` permalink, the compare page's map tab (plotly.js
would fetch its base map from a CDN), and the dossier explorer's CSV download: UTF-8 BOM, header,
Vietnamese unit names, every row of the filtered set. The routes themselves (a permalink as a server's
first visitor, login mode on every address) are tests/browser/test_routes.py's.

`make screenshots` (CCHC_README_SCREENSHOTS=docs/img) also writes the README's docs/img/overview.png and
docs/img/compare.png.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.browser.served import (
    ARTIFACTS,
    REPO,
    chromium,
    click_for_a_grid,
    new_context,
    new_page,
    open_page,
    problems,
    screenshot,
    wait_done,
)
from ui import navigation, t
from ui.charts import dossiers

pytestmark = pytest.mark.browser

README_SHOTS = {"tong-quan": "overview.png", "so-sanh": "compare.png"}  # slug -> file under docs/img
README_SHOT_MAX_BYTES = 300_000
SLUGS = [page.slug for page in navigation.PAGES]


@pytest.fixture(scope="module")
def browser_context(demo_server: str):
    """One fresh Chromium profile for the module."""
    with chromium() as browser:
        context = new_context(browser)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context):
    page = new_page(browser_context)
    yield page
    page.close()


def copy_for_readme(source: Path, target: Path) -> None:
    """The screenshot, reduced to a 256-colour palette when Pillow is there (it comes with Streamlit)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        from PIL import Image
    except ImportError:
        shutil.copyfile(source, target)
        return
    with Image.open(source) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


# ------------------------------------------------------------------------------------------------
# Tests
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("slug", SLUGS)
def test_page_runs_without_error(page, demo_server: str, slug: str) -> None:
    path = slug
    open_page(page, f"{demo_server}/{path}")
    shot = screenshot(page, slug)  # before asserting: a failure leaves its picture
    found = problems(page)
    assert not found, f"/{path} ({shot}): {found}"
    assert page.locator("h1").count() >= 1, f"/{path} has no title ({shot})"
    assert t("app.demo_label", "vi") in page.locator("body").inner_text(), f"/{path}: no demo-data label ({shot})"
    outside = page.recorder.outside(demo_server)
    assert not outside, f"/{path} called outside the dashboard's host: {outside}"
    readme_dir = os.environ.get("CCHC_README_SCREENSHOTS")
    if readme_dir and slug in README_SHOTS:
        target = REPO / readme_dir / README_SHOTS[slug]
        copy_for_readme(shot, target)
        assert target.stat().st_size < README_SHOT_MAX_BYTES, f"{target} is {target.stat().st_size} bytes"


def test_permalink_lang_en_shows_english_navigation(page, demo_server: str) -> None:
    slug = SLUGS[1]
    open_page(page, f"{demo_server}/{slug}?lang=en")
    screenshot(page, f"{slug}-en")
    assert not problems(page)
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    for key in ("nav.overview", "nav.compare", "nav.dossiers", "nav.methodology"):
        assert t(key, "en") in nav, f"?lang=en: {t(key, 'en')!r} not in the navigation {nav!r}"
    assert t("nav.overview", "vi") not in nav
    assert t("app.demo_label", "en") in page.locator("body").inner_text()
    assert "lang=en" in page.url


def test_compare_map_draws_without_outside_calls(page, demo_server: str) -> None:
    """plotly.js fetches a world base map for every geo chart; it must come from our own server."""
    open_page(page, f"{demo_server}/so-sanh?indicator=papi_total&level=province")
    page.get_by_role("tab", name=t("compare.tab_map", "vi")).click()
    page.locator('[data-testid="stPlotlyChart"] path.choroplethlocation').first.wait_for(timeout=30_000)
    wait_done(page)
    shot = screenshot(page, "so-sanh-ban-do")
    assert not problems(page), shot
    assert page.locator('[data-testid="stPlotlyChart"] path.choroplethlocation').count() >= 60, shot
    outside = page.recorder.outside(demo_server)
    assert not outside, f"the compare page's map called outside the dashboard's host: {outside}"


def test_a_charts_table_opens_on_the_first_click_and_stays_open(page, demo_server: str) -> None:
    """A chart's table is drawn once its tab is opened (the click runs the page again). On a page opened
    by its address the first run's widgets have another identity than the next runs', which would drop
    the first click (ui/views.py open_tab_tabs); the table must open on it, and stay open on a rerun."""
    open_page(page, f"{demo_server}/so-sanh?province=01")
    grids = page.locator('[data-testid="stDataFrame"]')
    before = grids.count()  # the map tab's own list of communes; the charts' tables are not drawn yet
    click_for_a_grid(page, page.get_by_role("tab", name=t("view.table", "vi")).first)
    selected = page.locator('[role="tab"][aria-selected="true"]').all_inner_texts()
    shot = screenshot(page, "so-sanh-bang")
    assert t("view.table", "vi") in selected, (shot, selected)
    assert not problems(page), shot
    page.get_by_text("English", exact=True).click()  # another run, in the other language: still the table
    page.wait_for_function("document.body.innerText.includes('Compare')", timeout=60_000)
    wait_done(page)
    assert t("view.table", "en") in page.locator('[role="tab"][aria-selected="true"]').all_inner_texts()
    assert grids.count() > before


def test_dossier_csv_download(page, demo_server: str) -> None:
    """The explorer's CSV of the whole filtered set (all of Hà Nội's dossiers of the latest year)."""
    open_page(page, f"{demo_server}/ho-so?province=01")
    assert not problems(page)
    shown = re.search(r"([\d.]+) hồ sơ", " ".join(page.locator("h3").all_inner_texts()))
    assert shown, "the explorer shows no dossier count"
    total = int(shown.group(1).replace(".", ""))
    page.get_by_role("tab", name=t("view.download", "vi")).click()
    with page.expect_download(timeout=120_000) as info:
        page.locator(".st-key-dl-csv-explorer button").click()
    download = info.value
    target = ARTIFACTS / "downloads" / download.suggested_filename
    target.parent.mkdir(parents=True, exist_ok=True)
    download.save_as(str(target))
    raw = target.read_bytes()

    assert download.suggested_filename.endswith(".csv")
    assert raw.startswith(b"\xef\xbb\xbf"), f"no UTF-8 BOM: {raw[:16]!r}"
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    header = [t(f"xcol.{column}", "vi") for column in dossiers.COLUMNS]
    assert rows[0] == header
    assert {"Mã hồ sơ", "Mã đơn vị", "Đơn vị", "Ngày tiếp nhận", "Trạng thái", "Kênh nộp"} <= set(rows[0])
    names = {row[header.index("Đơn vị")] for row in rows[1:]}
    # the latest year (2026) is after the reform: Hà Nội's dossiers are at its wards and communes, none at
    # the abolished districts (Quận ...)
    assert "Phường Ba Đình" in names and "Phường Cầu Giấy" in names, sorted(names)[:10]
    assert not any(name.startswith("Quận ") for name in names), sorted(names)[:10]
    assert len(rows) - 1 == total, f"the CSV has {len(rows) - 1} rows, the page says {total}"
    outside = page.recorder.outside(demo_server)
    assert not outside, f"the explorer called outside the dashboard's host: {outside}"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_due_soon_section_and_explorer_download(page, demo_server: str, lang: str) -> None:
    """The Overview's "Sắp quá hạn" section, and the explorer's due filter with its CSV: the dossiers of
    Hà Nội due within 3 working days or overdue, every one the page counts."""
    open_page(page, f"{demo_server}/tong-quan?province=01&lang={lang}")
    shot = screenshot(page, f"tong-quan-sap-qua-han-{lang}")
    assert not problems(page), shot
    headings = " ".join(page.locator("h3").all_inner_texts())
    assert t("due.title", lang, province="").split(":")[0] in headings, shot

    open_page(page, f"{demo_server}/ho-so?province=01&due=3&lang={lang}")
    shot = screenshot(page, f"ho-so-sap-qua-han-{lang}")
    assert not problems(page), shot
    word = "hồ sơ" if lang == "vi" else "dossiers"
    shown = re.search(rf"([\d.,]+) {word}", " ".join(page.locator("h3").all_inner_texts()))
    assert shown, f"the explorer shows no count of dossiers due ({shot})"
    total = int(re.sub(r"[.,]", "", shown.group(1)))
    page.get_by_role("tab", name=t("view.download", lang)).click()
    with page.expect_download(timeout=120_000) as info:
        page.locator(".st-key-dl-csv-explorer-due button").click()
    raw = Path(info.value.path()).read_bytes()
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    assert rows[0][0] == t("due.col_dossier_id", lang) and t("due.col_working_days_left", lang) in rows[0]
    assert len(rows) - 1 == total > 0
    outside = page.recorder.outside(demo_server)
    assert not outside, f"the due-soon views called outside the dashboard's host: {outside}"
