"""The load kinds of the service measures: a province's yearly CCHC plan read from an XLSX with Vietnamese
headers (`python -m etl load plan FILE --province --year --as-of`), and the queue tickets of a one-stop
counter's ticket machine, whose bad rows go to quarantine with their reason."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from etl.load import load_files
from tests.conftest import REPO

pytestmark = pytest.mark.slow  # whole loads of XLSX plans and ticket exports, a lake per test


def lake_rows(data_dir: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(data_dir / "cchc.duckdb"), read_only=True)
    try:
        con.execute(f"set file_search_path = '{data_dir}'")
        return con.execute(sql).fetchall()
    finally:
        con.close()


PLAN_HEADER = ["STT", "Loại", "Nhóm nhiệm vụ", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Tình trạng", "Ngày hoàn thành", "Minh chứng"]  # fmt: skip
PLAN_ROWS = [
    ["1", "Mục tiêu", "Cải cách TTHC", "Tỷ lệ hồ sơ trực tuyến đạt 80 %", "Văn phòng UBND", "31/12/2024", "Đang thực hiện", "", ""],
    ["NV-01", "Nhiệm vụ", "Cải cách thể chế", "Rà soát văn bản quy phạm pháp luật", "Sở Tư pháp", "30/06/2024", "Hoàn thành", "20/06/2024", "Báo cáo 12/BC-STP"],
    ["NV-02", "Nhiệm vụ", "Cải cách TTHC", "Số hóa hồ sơ tiếp nhận", "Sở Thông tin và Truyền thông", "31/03/2024", "Chưa thực hiện", "", ""],
]  # fmt: skip


def _plan_xlsx(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Kế hoạch CCHC 2024")
    sheet.write_row(0, 0, ["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024"])  # a title row above the header
    sheet.write_row(2, 0, PLAN_HEADER)
    for i, row in enumerate(PLAN_ROWS, start=3):
        sheet.write_row(i, 0, row)
    book.close()
    return path


def test_a_plan_loads_from_xlsx_with_the_options(lake_dir: Path, tmp_path: Path) -> None:
    plan = _plan_xlsx(tmp_path / "ke-hoach-cchc-2024.xlsx")
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", "plan", str(plan), "--province", "79", "--year", "2024", "--as-of", "30/09/2024"],
        cwd=REPO,
        env={**os.environ, "CCHC_DATA_DIR": str(lake_dir)},
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = lake_rows(
        lake_dir,
        "select province_code, year, item_type, item_code, group_name, lead_unit, cast(deadline as varchar), status, "
        "cast(done_on as varchar), evidence, cast(reported_on as varchar) from plan_items order by item_code",
    )
    assert rows == [
        ("79", 2024, "target", "1", "Cải cách TTHC", "Văn phòng UBND", "2024-12-31", "in_progress", None, None, "2024-09-30"),
        ("79", 2024, "task", "NV-01", "Cải cách thể chế", "Sở Tư pháp", "2024-06-30", "done", "2024-06-20", "Báo cáo 12/BC-STP", "2024-09-30"),
        ("79", 2024, "task", "NV-02", "Cải cách TTHC", "Sở Thông tin và Truyền thông", "2024-03-31", "not_started", None, None, "2024-09-30"),
    ]  # fmt: skip


def test_the_plan_options_belong_to_their_kinds(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", "dossiers", str(tmp_path / "x.csv"), "--year", "2024"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "--year is an option of `load plan`" in done.stderr


def test_queue_tickets_load_and_a_ticket_called_before_it_was_issued_is_quarantined(
    lake_dir: Path, tmp_path: Path
) -> None:
    export = tmp_path / "lay-so-thu-tu.csv"
    export.write_text(
        "Số thứ tự,Mã đơn vị,Thời gian lấy số,Thời gian gọi số,Quầy,Dịch vụ\n"
        "A001,001,02/01/2024 08:00:00,02/01/2024 08:12:30,Quầy 1,Hộ tịch\n"
        "A002,001,02/01/2024 08:05:00,,Quầy 1,Hộ tịch\n"
        "A003,001,02/01/2024 08:10:00,02/01/2024 08:09:00,Quầy 2,Đất đai\n",
        encoding="utf-8",
    )
    (result,) = load_files("queue_tickets", [export], data_dir=lake_dir)
    assert (result.rows_accepted, result.rows_quarantined) == (2, 1)
    assert lake_rows(
        lake_dir, "select ticket_number, date_diff('second', issued_at, called_at) from queue_tickets order by 1"
    ) == [("A001", 750), ("A002", None)]
    assert lake_rows(lake_dir, "select row_number, column_name, reason from quarantine") == [
        (4, "called_at", "date_order")
    ]
