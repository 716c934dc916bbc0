"""Loading exports of both eras (docs/units.md): a code is read on the row's date, rows at units that did
not exist then are quarantined with the reason and the successor, zero-stripped codes are read with the
unit name beside them, and catalogues load with or without --province.

The export files are written as one-stop systems write them (Vietnamese headers, dd/mm/yyyy dates); the
units are real NSO codes of both eras (tests/queries/golden/dossier_kpis_reform_province_quarters).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.load import load_files

pytestmark = pytest.mark.slow  # whole loads of exports of both eras, a lake per test

REPO = Path(__file__).resolve().parents[2]
REFORM = REPO / "tests" / "queries" / "golden" / "dossier_kpis_reform_province_quarters" / "inputs"
HEADER = (
    "Mã hồ sơ;Mã TTHC;Mã đơn vị;Tên đơn vị;Ngày tiếp nhận;Ngày hẹn trả;Ngày kết thúc xử lý;Trạng thái;Kênh thực hiện"
)


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def lake_rows(data_dir: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(data_dir / "cchc.duckdb"), read_only=True)
    try:
        con.sql(f"set file_search_path = '{data_dir}'")
        return con.sql(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def reform_lake(lake_dir: Path) -> Path:
    """A lake with the units of both eras around Hà Nội's Ba Đình and Gia Lai."""
    (result,) = load_files("units", [REFORM / "units.csv"], data_dir=lake_dir)
    assert result.rows_quarantined == 0, result.top_reasons
    return lake_dir


def test_codes_are_read_on_the_received_date(reform_lake: Path, tmp_path: Path) -> None:
    export = write(
        tmp_path / "xuat-ho-so.csv",
        [
            HEADER,
            # province-level department 52.STP: Bình Định's in May 2025, Gia Lai's in July 2025
            "HS-1;1.000001;52.STP;;05/05/2025 08:00;20/05/2025;15/05/2025;Đã giải quyết;Trực tiếp",
            "HS-2;1.000001;52.STP;;03/07/2025 08:00;10/07/2025;10/07/2025;Đã giải quyết;Trực tiếp",
            # 00004: Phường Trúc Bạch in 2024, the new Phường Ba Đình in 2026
            "HS-3;1.000001;00004;;01/02/2024 08:00;10/02/2024;03/02/2024;Đã giải quyết;Trực tiếp",
            "HS-4;1.000001;00004;;05/01/2026 08:00;10/01/2026;06/01/2026;Đã giải quyết;Trực tiếp",
        ],
    )
    (result,) = load_files("dossiers", [export], data_dir=reform_lake)
    assert (result.rows_accepted, result.rows_quarantined) == (4, 0)
    rows = lake_rows(
        reform_lake,
        "select d.dossier_id, u.name from dossiers d join units u on u.unit_code = d.unit_code "
        "and cast(d.received_at as date) between u.valid_from and coalesce(u.valid_to, date '9999-12-31') "
        "order by 1",
    )
    assert rows == [
        ("HS-1", "Sở Tư pháp tỉnh Bình Định"),
        ("HS-2", "Sở Tư pháp tỉnh Gia Lai"),
        ("HS-3", "Phường Trúc Bạch"),
        ("HS-4", "Phường Ba Đình"),
    ]


def test_rows_at_units_that_did_not_exist_on_their_date_are_quarantined_with_the_successor(
    reform_lake: Path, tmp_path: Path
) -> None:
    export = write(
        tmp_path / "xuat-ho-so-2026.csv",
        [
            HEADER,
            "HS-1;1.000001;00004;;05/01/2026 08:00;10/01/2026;06/01/2026;Đã giải quyết;Trực tiếp",
            # district 001 was abolished on 1 July 2025
            "HS-2;1.000001;001;;04/03/2026 08:00;10/03/2026;;Đang xử lý;Trực tiếp",
            # the old Gia Lai's department after the merger
            "HS-3;1.000001;64.STP;;02/07/2025 08:00;10/07/2025;;Đang xử lý;Trực tiếp",
        ],
    )
    (result,) = load_files("dossiers", [export], data_dir=reform_lake)
    assert (result.rows_accepted, result.rows_quarantined) == (1, 2)
    assert result.top_reasons == [("unit_not_valid_on_date", 2)]
    quarantined = lake_rows(
        reform_lake, "select row_number, column_name, raw_value, reason, detail from quarantine order by row_number"
    )
    assert [row[:4] for row in quarantined] == [
        (3, "unit_code", "001", "unit_not_valid_on_date"),
        (4, "unit_code", "64.STP", "unit_not_valid_on_date"),
    ]
    # the detail names the unit the code named and, from the crosswalk, what took its territory over
    assert quarantined[0][4].startswith(
        "001 named Quận Ba Đình from 01/01/2000 until 30/06/2025; its successor: 01 Thành phố Hà Nội"
    )
    assert quarantined[1][4].startswith("64.STP named Sở Tư pháp tỉnh Gia Lai from 01/01/2000 until 30/06/2025")
    # never counted: the lake holds the one good row
    assert lake_rows(reform_lake, "select dossier_id from dossiers") == [("HS-1",)]


def test_zero_stripped_codes_with_and_without_a_name_column(reform_lake: Path, tmp_path: Path) -> None:
    with_names = write(
        tmp_path / "co-ten.csv",
        [
            HEADER,
            "HS-1;1.000001;4;Phường Trúc Bạch;01/02/2024 08:00;10/02/2024;03/02/2024;Đã giải quyết;Trực tiếp",
            "HS-2;1.000001;4;UBND phường Ba Đình;05/01/2026 08:00;10/01/2026;06/01/2026;Đã giải quyết;Trực tiếp",
            "HS-3;1.000001;16;Ngọc Hà;01/03/2024 08:00;10/03/2024;;Đang xử lý;Trực tiếp",
            # the name contradicts the only unit 4 can be in 2026
            "HS-4;1.000001;4;Phường Trúc Bạch;05/01/2026 08:00;10/01/2026;;Đang xử lý;Trực tiếp",
        ],
    )
    (result,) = load_files("dossiers", [with_names], data_dir=reform_lake)
    assert (result.rows_accepted, result.rows_quarantined) == (3, 1)
    assert lake_rows(reform_lake, "select dossier_id, unit_code from dossiers order by 1") == [
        ("HS-1", "00004"),
        ("HS-2", "00004"),
        ("HS-3", "00016"),
    ]
    assert lake_rows(reform_lake, "select reason, detail from quarantine") == [
        (
            "ambiguous_unit",
            "the name 'Phường Trúc Bạch' fits none of the units code 4 may be: 00004 Phường Ba Đình, 04 Tỉnh Cao Bằng",
        )
    ]

    no_names = write(
        tmp_path / "khong-ten.csv",
        [
            "Mã hồ sơ;Mã TTHC;Mã đơn vị;Ngày tiếp nhận;Trạng thái;Kênh thực hiện",
            # 2026: of 01, 001 and 00001 only province 01 exists (the seeded units have no 00001 after 2025)
            "HS-5;1.000001;1;05/01/2026 08:00;Đang xử lý;Trực tiếp",
            # 2024: 01 Hà Nội, 001 Quận Ba Đình and 00001 Phường Phúc Xá all existed
            "HS-6;1.000001;1;05/01/2024 08:00;Đang xử lý;Trực tiếp",
        ],
    )
    (result,) = load_files("dossiers", [no_names], data_dir=reform_lake)
    assert (result.rows_accepted, result.rows_quarantined) == (1, 1)
    assert lake_rows(reform_lake, "select unit_code from dossiers where dossier_id = 'HS-5'") == [("01",)]
    (detail,) = lake_rows(
        reform_lake, "select detail from quarantine where reason = 'ambiguous_unit' and raw_value = '1'"
    )
    assert detail[0].startswith("code 1 may be 00001 Phường Phúc Xá, 001 Quận Ba Đình, 01 Thành phố Hà Nội")


def test_a_catalogue_loads_with_and_without_province(reform_lake: Path, tmp_path: Path) -> None:
    national = write(
        tmp_path / "danh-muc-quoc-gia.csv",
        ["Mã TTHC,Tên TTHC,Mã lĩnh vực", "1.000001,Đăng ký khai sinh,HT", "1.000002,Cấp phép xây dựng,XD"],
    )
    env = {"CCHC_DATA_DIR": str(reform_lake)}
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", "procedures", str(national)],
        cwd=REPO,
        env={**__import__("os").environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "no province column: loaded as the national catalogue, for every province" in done.stdout
    assert "no publication date: valid from the earliest period (2000-01-01)" in done.stdout

    provincial = write(
        tmp_path / "danh-muc-ha-noi.csv", ["Mã TTHC,Tên TTHC,Mã lĩnh vực", "1.000001,Đăng ký khai sinh,TP"]
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "load",
            "procedures",
            str(provincial),
            "--province",
            "1",
            "--published-at",
            "01/01/2023",
        ],
        cwd=REPO,
        env={**__import__("os").environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "province_code 1 given for every row" in done.stdout
    assert lake_rows(
        reform_lake,
        "select province_code, procedure_code, field_code, published_at::varchar from procedures order by 1, 2",
    ) == [
        ("01", "1.000001", "TP", "2023-01-01"),
        ("all", "1.000001", "HT", "2000-01-01"),
        ("all", "1.000002", "XD", "2000-01-01"),
    ]
    # a dossier takes its field from its province's catalogue, else from the national one
    export = write(
        tmp_path / "ho-so.csv",
        [
            HEADER,
            "HS-1;1.000001;00004;;01/02/2024 08:00;10/02/2024;03/02/2024;Đã giải quyết;Trực tiếp",
            "HS-2;1.000002;00004;;01/02/2024 08:00;10/02/2024;03/02/2024;Đã giải quyết;Trực tiếp",
            "HS-3;1.000001;52.STP;;05/05/2025 08:00;20/05/2025;15/05/2025;Đã giải quyết;Trực tiếp",
        ],
    )
    load_files("dossiers", [export], data_dir=reform_lake)
    assert lake_rows(
        reform_lake, "select field_code, cast(sum(received) as int) from mart_dossier_months group by 1 order by 1"
    ) == [
        ("HT", 1),  # HS-3: Bình Định has no catalogue of its own: the national one
        ("TP", 1),  # HS-1: Hà Nội's catalogue
        ("XD", 1),  # HS-2: not in Hà Nội's catalogue: the national one
    ]


def test_the_options_belong_to_their_kinds(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", "dossiers", str(tmp_path / "x.csv"), "--province", "01"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "--province is an option of `load procedures | plan`" in done.stderr
