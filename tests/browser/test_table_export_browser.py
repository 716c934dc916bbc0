"""No formula leaves the app through a table's own toolbar (docs/security.md, "Formula injection").

Every table has Streamlit's toolbar with "Download as CSV", which the browser writes from the grid's
underlying values. A lake whose procedure catalogue names its procedures like a spreadsheet attack
(`=HYPERLINK("http://x","y")`, `+cmd|' /C calc'!A0`, `-2+3`) and their fields (`@SUM(A1)`) is served; the Decision 766
drill-down lists the procedures that cost a unit points, by name. Chromium exports that table from its
toolbar, and every name in the file starts with the apostrophe the app's own downloads add (what the
grid shows, the names as loaded, is tested in tests/ui/test_charts.py: the grid draws on a canvas).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.browser.served import (
    ARTIFACTS,
    chromium,
    new_context,
    open_last_table,
    open_page,
    require_browser,
    serve,
)
from tests.conftest import build_lake_from
from tests.pages.conftest import small_lake_inputs
from ui import t

pytestmark = pytest.mark.browser

HOSTILE_NAMES = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]
# Unit 003 (Quận Tây Hồ) resolves about 40 % of its dossiers late in the small lake: every procedure
# costs it points on PROGRESS_ON_TIME.
COST_TABLE_URL = "/chi-so?index=766&year=2024&level=district&province=01&unit=003&metric=PROGRESS_ON_TIME&by=procedure"


@pytest.fixture(scope="module")
def hostile_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    inputs = small_lake_inputs()
    procedures = inputs["procedures"]
    for row in procedures:  # three procedures per province, each with its field
        row["name"] = HOSTILE_NAMES[int(row["procedure_code"][-1]) - 1]
        row["field_name"] = HOSTILE_NAMES[3]
    return build_lake_from(inputs, tmp_path_factory.mktemp("hostile") / "data")


def test_the_table_toolbar_csv_carries_no_formula(hostile_lake: Path, tmp_path: Path) -> None:
    require_browser()
    with serve(hostile_lake, "browser-export-server.log") as base, chromium() as browser:
        context = new_context(browser)
        # Without the File System Access API the grid saves its CSV as an ordinary download.
        context.add_init_script("delete window.showSaveFilePicker;")
        page = context.new_page()
        open_page(page, base + "/")  # the first session after a start opens the default page (see the other test)
        open_page(page, base + COST_TABLE_URL)
        grid = open_last_table(page, t("view.table", "vi"))
        grid.hover()
        with page.expect_download(timeout=60_000) as info:
            # the click as the button gets it: the grid, drawn by the tab's rerun, can lie over its toolbar
            page.locator(
                '[data-testid="stElementToolbarButton"] button[aria-label="Download as CSV"]'
            ).last.dispatch_event("click")
        target = ARTIFACTS / "downloads" / "toolbar-export.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        info.value.save_as(str(target))
    raw = target.read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    names = [row[rows[0].index(t("xcol.procedure", "vi"))] for row in rows[1:]]
    assert sorted(names) == sorted("'" + name for name in HOSTILE_NAMES[:3]), names
    assert {row[rows[0].index(t("xcol.field", "vi"))] for row in rows[1:]} == {"'" + HOSTILE_NAMES[3]}
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (cell, row)
