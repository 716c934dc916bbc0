"""Small counts stay hidden in a table's own toolbar export in the public mode (docs/security.md,
"Disclosure control").

On the small lake, unit 003 (Quận Tây Hồ) fell short on PROGRESS_ON_TIME in 2024 by 7, 3 and 2
dossiers on its three procedures (12 in all, the unit's shortfall in service_index_766): the table of
the Decision 766 drill-down lists them. Shown as they are, the 2 is a count below the threshold, and
hiding it alone would not do: 12 − 7 − 3 = 2. Served in the public mode, Chromium exports the table
from its toolbar ("Download as CSV", the grid's underlying values): the 2 and the 3 are empty, and so
are their numerators (12 − numerator would give them back); the 7 and the denominators stay.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from queries import run
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

COST_TABLE_URL = "/chi-so?index=766&year=2024&level=district&province=01&unit=003&metric=PROGRESS_ON_TIME&by=procedure"


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_lake_from(small_lake_inputs(), tmp_path_factory.mktemp("disclosure") / "data")


def _number(cell: str) -> float | None:
    return float(cell) if cell.strip() else None


def test_the_public_toolbar_export_has_no_small_count(lake: Path) -> None:
    require_browser()
    shown = run("procedure_cost_766", data_dir=lake, year=2024, unit_code="003", metric_code="PROGRESS_ON_TIME")
    assert sorted(shown.get_column("shortfall").to_list()) == [2, 3, 7]  # the open mode's table
    with serve(lake, "browser-disclosure-server.log", CCHC_ACCESS_MODE="public") as base, chromium() as browser:
        context = new_context(browser)
        context.add_init_script("delete window.showSaveFilePicker;")  # the grid's CSV as a download
        page = context.new_page()
        open_page(page, base + "/")
        open_page(page, base + COST_TABLE_URL)
        grid = open_last_table(page, t("view.table", "vi"))
        grid.hover()
        with page.expect_download(timeout=60_000) as info:
            # the click as the button gets it: the grid, drawn by the tab's rerun, can lie over its toolbar
            page.locator(
                '[data-testid="stElementToolbarButton"] button[aria-label="Download as CSV"]'
            ).last.dispatch_event("click")
        target = ARTIFACTS / "downloads" / "toolbar-export-public.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        info.value.save_as(str(target))
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]

    def column(key: str) -> list[float | None]:
        return [_number(row[header.index(t(f"xcol.{key}", "vi"))]) for row in body]

    assert sorted(column("shortfall"), key=lambda v: (v is None, v)) == [7.0, None, None]
    assert sorted(column("numerator"), key=lambda v: (v is None, v)) == [5.0, None, None]
    assert column("denominator") == [12.0, 12.0, 12.0]
    for key in ("denominator", "numerator", "shortfall"):
        assert not [v for v in column(key) if v is not None and 1 <= v < 3], key
