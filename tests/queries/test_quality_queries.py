"""The queries over the ETL's own records: lake_state, load_log, quarantine_summary, quarantine_rows,
freshness.

They are not golden cases (tests/queries/golden/): their rows carry load times, hashes and the paths of
the files loaded, which differ on every run, and the golden harness refuses fixtures that get quarantined,
while quarantine is what these queries are about. Instead one lake is built through the ETL (two clean
loads, then an export with three bad rows and an applicant-name column) and each query is checked
against what the ETL was given, worked out by hand below.

The bad export (BAD_EXPORT): row 2 has 31/02/2024 as received date (bad_date); row 3 unit 999, not a unit
(unknown_unit); row 4 status "Không rõ" (unknown_code); row 5 is valid. Rows are numbered as in the
file, the header being row 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from queries import run
from tests.conftest import build_lake_from

BAD_EXPORT = """Mã hồ sơ,Mã TTHC,Mã đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý,Trạng thái,Kênh thực hiện,Chủ hồ sơ
BAD-1,1.000001,001,31/02/2024,10/03/2024,,Đang xử lý,Trực tuyến,Nguyễn Văn An
BAD-2,1.000001,999,01/03/2024,10/03/2024,,Đang xử lý,Trực tuyến,Trần Thị Bình
BAD-3,1.000001,001,01/03/2024,10/03/2024,,Không rõ,Trực tuyến,Lê Văn Cường
OK-1,1.000001,001,01/03/2024 08:00,10/03/2024,05/03/2024,Đã giải quyết,Trực tuyến,Phạm Thị Dung
"""

UNITS = [
    {"unit_code": "01", "name": "Thành phố Hà Nội", "short_name": "Hà Nội", "level": "province", "parent_code": "",
     "province_code": "01", "valid_from": "2000-01-01", "valid_to": "2025-06-30"},
    {"unit_code": "001", "name": "Quận Ba Đình", "short_name": "Ba Đình", "level": "district", "parent_code": "01",
     "province_code": "01", "valid_from": "2000-01-01", "valid_to": "2025-06-30"},
]  # fmt: skip
DOSSIERS = [
    {"dossier_id": "D01", "procedure_code": "1.000001", "unit_code": "001", "received_at": "2023-05-02 08:00",
     "status": "received", "channel": "online"},
    {"dossier_id": "D02", "procedure_code": "1.000001", "unit_code": "001", "received_at": "2024-02-03 08:00",
     "status": "received", "channel": "direct"},
]  # fmt: skip


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from etl.load import load_files

    root = tmp_path_factory.mktemp("quality") / "data"
    build_lake_from({"units": UNITS, "dossiers": DOSSIERS}, root)  # loads 1 (units) and 2 (dossiers)
    export = root.parent / "bad-export.csv"
    export.write_text(BAD_EXPORT, encoding="utf-8")
    results = load_files("dossiers", [export], data_dir=root)  # load 3
    assert [r.rows_quarantined for r in results] == [3]
    return root


def test_lake_state_names_the_last_load(lake: Path) -> None:
    state = run("lake_state", data_dir=lake)
    assert state.height == 1
    row = state.row(0, named=True)
    assert row["load_id"] == run("load_log", data_dir=lake).get_column("load_id").max()
    assert row["is_demo"] is False and row["published_at"] is not None


def test_load_log_newest_first_with_counts(lake: Path) -> None:
    log = run("load_log", data_dir=lake)
    assert log.get_column("kind").to_list() == ["dossiers", "dossiers", "units"]
    assert log.get_column("load_id").to_list() == sorted(log.get_column("load_id").to_list(), reverse=True)
    bad = log.row(0, named=True)
    assert bad["source_file"].endswith("bad-export.csv")
    assert (bad["rows_read"], bad["rows_accepted"], bad["rows_quarantined"]) == (4, 1, 3)
    assert bad["status"] == "loaded" and len(bad["sha256"]) == 64
    assert "Chủ hồ sơ" in bad["message"]  # the personal-data column dropped on read is named
    assert run("load_log", data_dir=lake, kind="units").height == 1
    assert run("load_log", data_dir=lake, limit=1).height == 1


def test_quarantine_summary_one_row_per_reason(lake: Path) -> None:
    summary = run("quarantine_summary", data_dir=lake)
    got = {(r["reason"], r["rows"], r["cells"], r["kind"]) for r in summary.iter_rows(named=True)}
    assert got == {
        ("bad_date", 1, 1, "dossiers"),
        ("unknown_unit", 1, 1, "dossiers"),
        ("unknown_code", 1, 1, "dossiers"),
    }
    assert summary.get_column("source_file").str.ends_with("bad-export.csv").all()


def test_quarantine_rows_values_filters_and_pages(lake: Path) -> None:
    rows = run("quarantine_rows", data_dir=lake)
    got = [(r["row_number"], r["column_name"], r["raw_value"], r["reason"]) for r in rows.iter_rows(named=True)]
    assert got == [
        (2, "received_at", "31/02/2024", "bad_date"),
        (3, "unit_code", "999", "unknown_unit"),
        (4, "status", "Không rõ", "unknown_code"),
    ]
    record = json.loads(rows.get_column("raw_record")[0])
    assert record["dossier_id"] == "BAD-1"
    assert not any("Nguyễn" in str(v) for v in record.values()), "applicant names must never reach the lake"
    assert run("quarantine_rows", data_dir=lake, reason="unknown_unit").get_column("row_number").to_list() == [3]
    assert run("quarantine_rows", data_dir=lake, limit=1, offset=1).get_column("row_number").to_list() == [3]
    source = rows.get_column("source_file")[0]
    assert run("quarantine_rows", data_dir=lake, source_file=source).height == 3
    assert run("quarantine_rows", data_dir=lake, source_file="elsewhere.csv").is_empty()


def test_quarantine_rows_hidden_from_scoped_callers(lake: Path) -> None:
    """Rejected rows may belong to any unit (the unit code may be what was rejected): a caller limited
    to some units sees none of them, an unrestricted caller sees all."""
    assert run("quarantine_rows", data_dir=lake, scope={"001"}).is_empty()
    assert run("quarantine_rows", data_dir=lake, scope=None).height == 3


def test_freshness_per_source(lake: Path) -> None:
    fresh = run("freshness", data_dir=lake)
    by_kind = {r["kind"]: r for r in fresh.iter_rows(named=True)}
    assert list(by_kind)[:2] == ["dossiers", "feedback"] and list(by_kind)[-1] == "units"
    dossiers = by_kind["dossiers"]
    assert dossiers["table_rows"] == 3  # D01, D02 and OK-1
    assert str(dossiers["data_from"]) == "2023-05-02" and str(dossiers["data_as_of"]) == "2024-03-01"
    assert dossiers["files_loaded"] == 2 and dossiers["rows_quarantined"] == 3
    assert dossiers["last_source_file"].endswith("bad-export.csv")
    feedback = by_kind["feedback"]
    assert feedback["table_rows"] == 0 and feedback["data_as_of"] is None and feedback["files_loaded"] == 0
    assert by_kind["units"]["table_rows"] > 600  # the GSO list seeds every data directory
