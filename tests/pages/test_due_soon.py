"""Early warning ("Sắp quá hạn", ui/due_soon.py) through AppTest: the Overview's section and the dossier
explorer's due filter, in both languages, on the lake of the golden fixture dossiers_due_weekend_and_holiday
(worked by hand in its README: as of Friday 30 August 2024, due by Friday 6 September across the weekend
and the National Day holiday), and the public mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tests.conftest import REPO
from tests.pages.conftest import _reset_caches, table_with

FIXTURE = REPO / "tests" / "queries" / "golden" / "dossiers_due_weekend_and_holiday" / "inputs"
OVERVIEW = "pages/tong-quan.py"
EXPLORER = "pages/ho-so.py"


@pytest.fixture(scope="module")
def _due_lake_dir(golden_lake) -> Path:
    return golden_lake(FIXTURE)


@pytest.fixture
def due_lake(_due_lake_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CCHC_DATA_DIR", str(_due_lake_dir))
    _reset_caches()
    return _due_lake_dir


def _markdown(at) -> str:
    return " ".join(m.value for m in at.markdown)


def test_overview_section_counts_worked_by_hand(due_lake, app):
    at = app(OVERVIEW, province="01", year="2024")
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value.startswith("Sắp quá hạn") for s in at.subheader)
    assert at.selectbox(key="due_days").value == 3
    summary = _markdown(at)
    assert "**5** hồ sơ đang giải quyết đến hạn trong 3 ngày làm việc tới (đến hết 06/09/2024)" in summary
    assert "**2** hồ sơ đã quá hạn, ở 3 đơn vị, tính đến 30/08/2024" in summary
    units = table_with(at, "Điểm QĐ 766 có thể mất (điểm, suy ra)")
    assert units.select("Mã đơn vị", "Sắp đến hạn", "Đã quá hạn").rows() == [
        ("00001", 1, 0),
        ("001", 3, 2),
        ("002", 1, 0),
    ]
    assert units["Điểm QĐ 766 có thể mất (điểm, suy ra)"].to_list() == pytest.approx([20.0, 7.5, 20 / 3])
    procedures = table_with(at, "Mã thủ tục")
    assert procedures.select("Mã đơn vị", "Mã thủ tục", "Sắp đến hạn", "Đã quá hạn").rows() == [
        ("00001", "1.000001", 1, 0),
        ("001", "1.000001", 1, 2),
        ("001", "1.000002", 2, 0),
        ("002", "1.000001", 1, 0),
    ]
    dossiers = table_with(at, "Số ngày làm việc còn lại")
    assert dossiers["Mã hồ sơ"].to_list() == ["A13", "A01", "A02", "A03", "A04", "A05", "A09"]
    assert dossiers["Số ngày làm việc còn lại"].to_list() == [1, -2, 0, 0, 1, 3, 2]
    assert dossiers["Đã quá hạn"].to_list() == ["Không", "Có", "Có", "Không", "Không", "Không", "Không"]


def test_overview_section_in_english_with_a_shorter_horizon(due_lake, app):
    # 1 working day after Friday 30 August: Wednesday 4 September (the weekend, then 2 and 3 September off)
    at = app(OVERVIEW, province="01", year="2024", lang="en", due_days="1")
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value.startswith("Due soon") for s in at.subheader)
    summary = _markdown(at)
    assert "**3** dossiers in progress are due within the next 1 working day (by the end of 2024-09-04)" in summary
    units = table_with(at, "Decision 766 points at risk (points, derived)")
    # A03 (due 3 Sep, a holiday) and A04 (4 Sep) for 001; A13 for 00001; A09 (5 Sep) is beyond the horizon
    assert units.select("Unit code", "Due soon", "Overdue").rows() == [("00001", 1, 0), ("001", 2, 2)]


def test_explorer_due_filter_lists_the_units_dossiers(due_lake, app):
    at = app(EXPLORER, province="01", unit="001", due="3")
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="due").value == "3"
    assert at.subheader[0].value == "5 hồ sơ"
    table = table_with(at, "Số ngày làm việc còn lại")
    assert table["Mã hồ sơ"].to_list() == ["A01", "A02", "A03", "A04", "A05"]
    assert at.get("download_button")
    narrowed = app(EXPLORER, province="01", unit="001", due="3", procedure="1.000002", lang="en")
    assert not narrowed.exception
    assert table_with(narrowed, "Working days left")["Dossier"].to_list() == ["A03", "A04"]


def test_explorer_without_the_filter_keeps_the_pager(due_lake, app):
    at = app(EXPLORER, province="01", unit="001", received_from="2024-01-01")
    assert not at.exception
    assert at.selectbox(key="due").value == ""
    assert at.subheader[0].value == "9 hồ sơ"  # A01–A08 and A11: every dossier 001 received


@pytest.fixture
def queries_called(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import queries

    called: list[str] = []
    original = queries.run

    def spy(name: str, *args: Any, **kwargs: Any) -> pl.DataFrame:
        called.append(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(queries, "run", spy)
    return called


def test_public_mode_shows_no_dossier_list(due_lake, access_mode, queries_called, app):
    access_mode("public")
    at = app(OVERVIEW, province="01", year="2024")
    assert not at.exception
    assert any("chỉ dành cho người dùng được xem từng hồ sơ" in i.value for i in at.info)
    assert "dossiers_due" not in queries_called
