"""Data quality page (Dữ liệu) through AppTest, and its chart builder (ui/charts/quality.py).

`quarantine_lake`: the small page lake plus one dossier export with three bad rows (a bad date, an
unknown unit, an unknown status) and an applicant-name column, loaded through the ETL.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import polars as pl
import pytest

from etl.contract import REASONS
from queries import run
from tests.pages.conftest import _reset_caches, tables
from ui import format as fmt
from ui.charts import quality
from ui.i18n import DICT_DIR

PAGE = "pages/du-lieu.py"
BAD_EXPORT = """Mã hồ sơ,Mã TTHC,Mã đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý,Trạng thái,Kênh thực hiện,Chủ hồ sơ
BAD-1,1.000001,001,31/02/2024,10/03/2024,,Đang xử lý,Trực tuyến,Nguyễn Văn An
BAD-2,1.000001,999,01/03/2024,10/03/2024,,Đang xử lý,Trực tuyến,Trần Thị Bình
BAD-3,1.000001,001,01/03/2024,10/03/2024,,Không rõ,Trực tuyến,Lê Văn Cường
OK-1,1.000001,001,01/03/2024 08:00,10/03/2024,05/03/2024,Đã giải quyết,Trực tuyến,Phạm Thị Dung
"""


@pytest.fixture(scope="module")
def _quarantine_dir(_small_lake_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from etl.load import load_files

    root = tmp_path_factory.mktemp("quarantine") / "data"
    shutil.copytree(_small_lake_dir, root, symlinks=True)
    export = root.parent / "xuat-ho-so-loi.csv"
    export.write_text(BAD_EXPORT, encoding="utf-8")
    assert [r.rows_quarantined for r in load_files("dossiers", [export], data_dir=root)] == [3]
    return root


@pytest.fixture
def quarantine_lake(_quarantine_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CCHC_DATA_DIR", str(_quarantine_dir))
    _reset_caches()
    return _quarantine_dir


def _table(at, index):
    value = tables(at)[index].value
    return getattr(value, "data", value)


def test_renders_freshness_and_load_log(page_lake, app):
    at = app(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert len(at.subheader) >= 3 and len(tables(at)) >= 2
    fresh = run("freshness", data_dir=page_lake)
    table = _table(at, 0)
    assert list(table["Số dòng trong kho"]) == fresh.get_column("table_rows").to_list()
    log = run("load_log", data_dir=page_lake)
    assert list(_table(at, 1)["Lần nạp"]) == log.get_column("load_id").to_list()


def test_clean_lake_says_nothing_was_quarantined(small_lake, app):
    at = app(PAGE)
    assert not at.exception
    assert at.success and not at.selectbox  # no quarantine: no reason / file filters


def test_quarantine_reasons_rows_and_permalink(quarantine_lake, app):
    at = app(PAGE, reason="unknown_unit", lang="en")
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="reason").value == "unknown_unit"
    reasons = _table(at, 2)
    assert set(reasons["Reason code"]) == {"bad_date", "unknown_unit", "unknown_code"}
    assert set(reasons["Reason"]) == {REASONS[c] for c in ("bad_date", "unknown_unit", "unknown_code")}
    rows = _table(at, len(tables(at)) - 1)
    assert list(rows["Raw value"]) == ["999"] and list(rows["Row in file"]) == [3]
    summary = run("quarantine_summary", data_dir=quarantine_lake)
    cells = summary.filter(pl.col("reason") == "unknown_unit").get_column("cells").sum()
    assert any(c.value.startswith(f"Showing 1 of {fmt.integer(cells, 'en')}") for c in at.caption)
    assert not any("Nguyễn" in str(v) for v in rows["Whole raw row"])


def test_quarantine_reasons_in_vietnamese(quarantine_lake, app):
    at = app(PAGE)
    assert not at.exception
    reasons = _table(at, 2)
    assert "Không phải ngày hợp lệ" in " ".join(reasons["Lý do"])


def test_unknown_reason_in_the_url_falls_back(quarantine_lake, app):
    at = app(PAGE, reason="'; drop table quarantine; --")
    assert not at.exception
    assert at.selectbox(key="reason").value == ""
    assert any("`reason`" in w.value for w in at.warning)


def test_empty_lake_shows_guidance(empty_lake, app):
    at = app(PAGE)
    assert not at.exception
    assert "python -m etl demo" in " ".join(m.value for m in at.markdown)


# ------------------------------------------------------------------------------------------------
# Builder and dictionaries
# ------------------------------------------------------------------------------------------------
def test_every_reason_has_both_translations():
    vi = tomllib.loads((DICT_DIR / "vi.toml").read_text(encoding="utf-8"))["quarantine_reason"]
    en = tomllib.loads((DICT_DIR / "en.toml").read_text(encoding="utf-8"))["quarantine_reason"]
    assert set(vi) == set(REASONS) == set(en)
    assert en == REASONS, "en.toml's quarantine_reason must repeat etl.contract.REASONS"
    assert all(quality.reason_text(code, "en") == text for code, text in REASONS.items())


def test_reasons_frame_sums_over_files():
    summary = pl.DataFrame(
        {
            "load_id": [3, 3, 4],
            "kind": ["dossiers"] * 3,
            "source_file": ["/a/x.csv", "/a/x.csv", "/b/y.csv"],
            "reason": ["bad_date", "unknown_unit", "bad_date"],
            "rows": [2, 1, 5],
            "cells": [3, 1, 5],
        }
    )
    frame = quality.reasons_frame(summary, "vi")
    assert frame.get_column("reason").to_list() == ["bad_date", "unknown_unit"]
    assert frame.row(0, named=True) | {"meaning": None} == {
        "reason": "bad_date",
        "meaning": None,
        "rows": 7,
        "cells": 8,
        "files": 2,
    }
    assert quality.cells_matching(summary, "bad_date", "/a/x.csv") == 3
    assert quality.cells_matching(summary, None, None) == 9
    assert quality.file_choices(summary)["/b/y.csv"] == "y.csv (#4)"


def test_quarantined_rows_download_whole_set(quarantine_lake, app, monkeypatch):
    """The CSV holds every rejected value of the filters, built outside the script run (as Streamlit
    does on click) in the viewer's language."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    captured = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        captured[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    at = app(PAGE, lang="en")
    assert not at.exception
    data = captured["cach-ly-dong.csv"]()
    assert data.startswith(b"\xef\xbb\xbf")
    back = pl.read_csv(data[3:], infer_schema=False)
    assert back.height == 3 and "Raw value" in back.columns
    assert set(back["Reason code"]) == {"bad_date", "unknown_unit", "unknown_code"}
