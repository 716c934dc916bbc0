"""The load pipeline and the lake: quarantine, privacy, idempotence, upsert, crash safety, readers.

Every fixture is a few hand-written rows; expected counts are worked out in the comments.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl import lake
from etl.load import load_files
from queries.paths import CATALOG_NAME

REPO = Path(__file__).resolve().parents[2]

HEADER = (
    "Mã hồ sơ;Mã TTHC;Mã đơn vị;Ngày tiếp nhận;Ngày hẹn trả;Ngày kết thúc xử lý;Trạng thái;"
    "Kênh thực hiện;Mức độ;Được thanh toán trực tuyến;Chủ hồ sơ;Số điện thoại"
)
# 001 = Quận Ba Đình (Hà Nội), 760 = Quận 1 (TP.HCM): both in the GSO list.
GOOD_ROWS = [
    "HS-1;1.004227;001;05/01/2023 08:00;10/01/2023 17:00;09/01/2023 10:00;Đã giải quyết;1;Mức độ 4;x;Nguyễn Văn A;0912345678",
    "HS-2;1.004227;001;06/01/2023 09:30;11/01/2023 17:00;;Đang xử lý;2;Toàn trình;;Trần Thị B;0987654321",
    "HS-3;2.000001;760;2022-12-30;2023-01-05;2023-01-05 23:59;Hoàn thành;Trực tuyến;Một phần;có;Lê C;0900000000",
]


def write_export(path: Path, rows: list[str], header: str = HEADER, encoding: str = "utf-8") -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding=encoding)
    return path


def catalog(root: Path) -> duckdb.DuckDBPyConnection:
    return lake.connect_catalog(root)


def lake_snapshot(root: Path) -> dict:
    """Everything a reader can see: load id and every table's rows (sorted, as text)."""
    con = catalog(root)
    try:
        snapshot = {"load_id": con.sql("select load_id from lake_state").fetchall()[0][0]}
        for table in ("dossiers", "quarantine", "load_log", "units"):
            snapshot[table] = sorted(map(str, con.sql(f"select * from {table}").fetchall()))
        return snapshot
    finally:
        con.close()


def test_good_rows_load_and_units_exist_from_first_use(tmp_path: Path) -> None:
    export = write_export(tmp_path / "hs.csv", GOOD_ROWS)
    (result,) = load_files("dossiers", [export], data_dir=tmp_path)
    assert (result.status, result.rows_read, result.rows_accepted, result.rows_quarantined) == (
        "loaded", 3, 3, 0
    )  # fmt: skip
    con = catalog(tmp_path)
    rows = con.sql(
        "select dossier_id, unit_code, status, channel, online_level, paid_online, year "
        "from dossiers order by dossier_id"
    ).fetchall()
    assert rows == [
        ("HS-1", "001", "resolved", "direct", "full", True, 2023),
        ("HS-2", "001", "processing", "online", "full", None, 2023),
        ("HS-3", "760", "resolved", "online", "partial", True, 2022),
    ]

    # The units of both eras are there without a separate step: 63 provinces and 696 districts on 30 June
    # 2025, 34 provinces and 3,321 communes (no districts) from 1 July 2025.
    def levels_on(day: str) -> dict[str, int]:
        query = "select level, count(*) from units where valid_from <= $d and coalesce(valid_to, $d) >= $d group by 1"
        return dict(con.execute(query, {"d": date.fromisoformat(day)}).fetchall())

    before, after = levels_on("2025-06-30"), levels_on("2025-07-01")
    assert (before["province"], before["district"]) == (63, 696)
    assert (after["province"], after.get("district", 0), after["commune"]) == (34, 0, 3321)
    # Dossiers are Hive-partitioned by the year received.
    files = con.sql("select path from lake_files where table_name = 'dossiers' order by path").fetchall()
    assert [Path(p).parent.name for (p,) in files] == ["year=2022", "year=2023"]


def test_personal_data_never_reaches_the_lake(tmp_path: Path) -> None:
    export = write_export(tmp_path / "hs.csv", GOOD_ROWS)
    (result,) = load_files("dossiers", [export], data_dir=tmp_path)
    assert "Chủ hồ sơ" in result.message and "Số điện thoại" in result.message
    lake_bytes = b"".join(p.read_bytes() for p in (tmp_path / "lake").rglob("*.parquet"))
    for secret in ("Nguyễn Văn A", "0912345678", "Trần Thị B"):
        assert secret.encode() not in lake_bytes
    columns = catalog(tmp_path).sql("select * from dossiers").columns
    assert not {"chu_ho_so", "Chủ hồ sơ", "so_dien_thoai"} & set(columns)


def test_every_quarantine_reason_names_file_row_column_and_value(tmp_path: Path) -> None:
    bad_rows = [
        # row 2: fine
        GOOD_ROWS[0],
        # row 3: no dossier id -> missing_required
        ";1.004227;001;05/01/2023;10/01/2023;;Đang xử lý;1;;;;",
        # row 4: 31/02 is not a date -> bad_date
        "HS-4;1.004227;001;31/02/2023;10/03/2023;;Đang xử lý;1;;;;",
        # row 5: status nobody knows -> unknown_code
        "HS-5;1.004227;001;05/01/2023;10/01/2023;;Treo;1;;;;",
        # row 6: unit 999 is not a GSO district -> unknown_unit
        "HS-6;1.004227;999;05/01/2023;10/01/2023;;Đang xử lý;1;;;;",
        # row 7: due before received -> date_order on due_at
        "HS-7;1.004227;001;05/01/2023;04/01/2023;;Đang xử lý;1;;;;",
        # row 8: resolved but no end date -> missing_resolved_at
        "HS-8;1.004227;001;05/01/2023;10/01/2023;;Đã giải quyết;1;;;;",
        # row 9: paid online 'maybe' -> bad_boolean
        "HS-9;1.004227;001;05/01/2023;10/01/2023;;Đang xử lý;1;;maybe;;",
        # row 10: HS-1 again in the same file -> duplicate_id (the first is kept)
        GOOD_ROWS[0],
    ]
    export = write_export(tmp_path / "bad.csv", bad_rows)
    (result,) = load_files("dossiers", [export], data_dir=tmp_path)
    assert (result.rows_read, result.rows_accepted, result.rows_quarantined) == (9, 1, 8)
    got = (
        catalog(tmp_path)
        .sql("select source_file, row_number, column_name, raw_value, reason from quarantine order by row_number")
        .fetchall()
    )
    assert got == [
        (str(export), 3, "dossier_id", None, "missing_required"),
        (str(export), 4, "received_at", "31/02/2023", "bad_date"),
        (str(export), 5, "status", "Treo", "unknown_code"),
        (str(export), 6, "unit_code", "999", "unknown_unit"),
        (str(export), 7, "due_at", "04/01/2023", "date_order"),
        (str(export), 8, "resolved_at", None, "missing_resolved_at"),
        (str(export), 9, "paid_online", "maybe", "bad_boolean"),
        (str(export), 10, "dossier_id", "HS-1", "duplicate_id"),
    ]
    assert dict(result.top_reasons)["bad_date"] == 1


def test_loading_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    export = write_export(tmp_path / "hs.csv", GOOD_ROWS)
    load_files("dossiers", [export], data_dir=tmp_path)
    before = lake_snapshot(tmp_path)
    inode = (tmp_path / CATALOG_NAME).stat().st_ino
    (again,) = load_files("dossiers", [export], data_dir=tmp_path)
    assert again.status == "skipped"
    assert (tmp_path / CATALOG_NAME).stat().st_ino == inode  # not even republished
    assert lake_snapshot(tmp_path) == before


def test_a_later_export_of_the_same_dossier_replaces_the_earlier_row(tmp_path: Path) -> None:
    load_files("dossiers", [write_export(tmp_path / "jan.csv", GOOD_ROWS)], data_dir=tmp_path)
    # HS-2 is resolved in the February export; HS-3 was re-dated into 2023 (it moves partition).
    later = [
        "HS-2;1.004227;001;06/01/2023 09:30;11/01/2023 17:00;12/01/2023 08:00;Đã giải quyết;2;Toàn trình;;;",
        "HS-3;2.000001;760;02/01/2023;2023-01-05;2023-01-05 23:59;Hoàn thành;Trực tuyến;Một phần;có;;",
    ]
    load_files("dossiers", [write_export(tmp_path / "feb.csv", later)], data_dir=tmp_path)
    rows = (
        catalog(tmp_path)
        .sql("select dossier_id, status, cast(resolved_at as date)::varchar, year from dossiers order by 1")
        .fetchall()
    )
    assert rows == [
        ("HS-1", "resolved", "2023-01-09", 2023),
        ("HS-2", "resolved", "2023-01-12", 2023),
        ("HS-3", "resolved", "2023-01-05", 2023),
    ]
    # The 2022 partition lost its only row; superseded files were deleted after the publish that
    # followed them (only current and previous catalogue files are kept).
    assert len(catalog(tmp_path).sql("select * from load_log").fetchall()) == 2


@pytest.mark.slow  # three loads in child processes killed midway, each followed by a load
@pytest.mark.parametrize("step", ["parquet_written:1", "parquet_written:2", "before_commit:1"])
def test_a_load_killed_midway_leaves_the_previous_lake_intact(tmp_path: Path, step: str) -> None:
    load_files("dossiers", [write_export(tmp_path / "jan.csv", GOOD_ROWS)], data_dir=tmp_path)
    before = lake_snapshot(tmp_path)
    more = [f"HS-{n};1.004227;001;05/0{1 + n % 3}/2021;10/0{1 + n % 3}/2021;;Đang xử lý;1;;;;" for n in range(10, 40)]
    export = write_export(tmp_path / "more.csv", more)
    env = {**os.environ, "CCHC_DATA_DIR": str(tmp_path), "CCHC_KILL_AT": step}
    killed = subprocess.run(
        [sys.executable, "-m", "etl", "load", "dossiers", str(export)],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert killed.returncode == -9, killed.stderr
    assert lake_snapshot(tmp_path) == before
    # The next load succeeds and removes the killed load's orphan files.
    (result,) = load_files("dossiers", [export], data_dir=tmp_path)
    assert result.rows_accepted == 30
    referenced = {p for (p,) in catalog(tmp_path).sql("select path from lake_files").fetchall()}
    first = duckdb.connect(str(tmp_path / lake.CATALOG_DIR / "cchc-000001.duckdb"), read_only=True)
    kept = {p for (p,) in first.sql("select path from lake_files").fetchall()}  # the previous state's
    first.close()
    on_disk = {p.relative_to(tmp_path).as_posix() for p in (tmp_path / "lake").rglob("*.parquet")}
    # the orphans are gone: every file on disk belongs to the current or the previous state (whose
    # superseded mart files stay one generation, for queries in flight)
    assert on_disk == referenced | kept


@pytest.mark.slow  # a load in a child process
def test_a_load_runs_while_a_reader_holds_the_catalogue(tmp_path: Path) -> None:
    load_files("dossiers", [write_export(tmp_path / "jan.csv", GOOD_ROWS[:1])], data_dir=tmp_path)
    reader = catalog(tmp_path)  # the dashboard's read-only connection, kept open
    assert reader.sql("select count(*) from dossiers").fetchall() == [(1,)]
    env = {**os.environ, "CCHC_DATA_DIR": str(tmp_path)}
    export = write_export(tmp_path / "feb.csv", GOOD_ROWS[1:])
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", "dossiers", str(export)],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # The open connection still sees the whole old state; a new one sees the whole new state.
    assert reader.sql("select count(*) from dossiers").fetchall() == [(1,)]
    assert catalog(tmp_path).sql("select count(*) from dossiers").fetchall() == [(3,)]


def test_an_unreadable_file_is_refused_in_one_line_without_touching_the_lake(tmp_path: Path) -> None:
    load_files("dossiers", [write_export(tmp_path / "jan.csv", GOOD_ROWS)], data_dir=tmp_path)
    before = lake_snapshot(tmp_path)
    garbage = tmp_path / "export.csv"
    garbage.write_bytes(bytes(range(256)) * 40)
    env = {**os.environ, "CCHC_DATA_DIR": str(tmp_path)}
    refused = subprocess.run(
        [sys.executable, "-m", "etl", "load", "dossiers", str(garbage)],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert refused.returncode != 0
    assert refused.stdout == ""
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and str(garbage) in lines[0] and "Traceback" not in refused.stderr
    assert lake_snapshot(tmp_path) == before


def test_a_file_without_a_required_column_is_refused(tmp_path: Path) -> None:
    header = "Mã hồ sơ;Mã đơn vị;Ngày tiếp nhận;Trạng thái;Kênh thực hiện"  # no Mã TTHC
    export = write_export(tmp_path / "hs.csv", ["HS-1;001;05/01/2023;Đang xử lý;1"], header=header)
    (result,) = load_files("dossiers", [export], data_dir=tmp_path)
    assert result.status == "refused"
    assert "procedure_code" in result.message
    assert not (tmp_path / CATALOG_NAME).exists() or lake_snapshot(tmp_path)["dossiers"] == []


def test_utf16_tab_export_from_excel_loads_like_utf8(tmp_path: Path) -> None:
    utf8 = write_export(tmp_path / "a.csv", GOOD_ROWS)
    utf16 = write_export(
        tmp_path / "b.txt",
        [r.replace(";", "\t") for r in GOOD_ROWS],
        header=HEADER.replace(";", "\t"),
        encoding="utf-16",
    )
    load_files("dossiers", [utf8], data_dir=tmp_path / "one")
    load_files("dossiers", [utf16], data_dir=tmp_path / "two")
    one = catalog(tmp_path / "one").sql("select * from dossiers order by dossier_id").pl()
    two = catalog(tmp_path / "two").sql("select * from dossiers order by dossier_id").pl()
    assert one.equals(two)
    assert isinstance(one, pl.DataFrame)


def test_a_units_file_adds_departments_that_dossiers_can_then_use(tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    units.write_text(
        "Mã đơn vị,Tên đơn vị,Cấp,Mã đơn vị cha,Mã tỉnh,Hiệu lực từ\n01.SNV,Sở Nội vụ,Sở,01,01,01/01/2008\n",
        encoding="utf-8",
    )
    (result,) = load_files("units", [units], data_dir=tmp_path)
    assert (result.rows_accepted, result.rows_quarantined) == (1, 0)
    row = ["HS-9;1.004227;01.snv;05/01/2023;10/01/2023;;Đang xử lý;1;;;;"]  # lower case, as typed by hand
    (result,) = load_files("dossiers", [write_export(tmp_path / "hs.csv", row)], data_dir=tmp_path)
    assert (result.rows_accepted, result.rows_quarantined) == (1, 0)
    assert catalog(tmp_path).sql("select unit_code from dossiers").fetchall() == [("01.SNV",)]


def test_a_units_file_without_formed_on_starts_each_unit_on_its_valid_from(tmp_path: Path) -> None:
    export = tmp_path / "don-vi.csv"
    export.write_text(
        "Mã đơn vị,Tên đơn vị,Cấp,Mã đơn vị cha,Mã tỉnh,Hiệu lực từ,Hiệu lực đến\n"
        "01.SNGV,Sở Ngoại vụ thành phố Hà Nội,Sở,01,01,01/03/2025,\n"
        "01.SDL,Sở Du lịch thành phố Hà Nội,Sở,01,01,2008-08-01,2025-02-28\n",
        encoding="utf-8",
    )
    (result,) = load_files("units", [export], data_dir=tmp_path)
    assert (result.status, result.rows_accepted) == ("loaded", 2)
    con = catalog(tmp_path)
    try:
        rows = con.sql(
            "select unit_code, valid_from, formed_on from units where unit_code in ('01.SNGV', '01.SDL') order by 1"
        ).fetchall()
        # The seeded units keep their own formed_on: Hà Nội is one unit since 2000, TP.HCM 79 two.
        seeded = con.sql(
            "select unit_code, formed_on from units where unit_code in ('01', '79') order by 1, 2"
        ).fetchall()
    finally:
        con.close()
    assert rows == [("01.SDL", date(2008, 8, 1), date(2008, 8, 1)), ("01.SNGV", date(2025, 3, 1), date(2025, 3, 1))]
    assert seeded == [("01", date(2000, 1, 1)), ("79", date(2000, 1, 1)), ("79", date(2025, 7, 1))]
