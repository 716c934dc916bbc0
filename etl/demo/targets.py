"""Targets as a planning office keeps them: the seeds' plan targets for every demo year, one small XLSX."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from etl.demo.periods import DEMO_TODAY, YEARS

TARGET_ROWS = (  # indicator, field, comparator, value
    ("sipas_overall", "all", "≥", 0.85),
    ("on_time_rate", "all", "≥", 1.0),
    ("on_time_rate", "DATDAI", "≥", 0.99),
    ("on_time_rate", "TNMT", "≥", 0.99),
    ("on_time_rate", "KHDT", "≥", 0.99),
    ("online_payment_rate", "all", "≥", 0.80),
    ("digitised_rate", "all", "≥", 1.0),
    ("par_rank", "all", "≤", 5),
)


def write_targets(path: Path) -> None:
    """Targets as a small XLSX the way a planning office keeps them: a title row, then the table."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": dt.datetime.combine(DEMO_TODAY, dt.time(12)), "author": "demo"})
    sheet = workbook.add_worksheet("Chỉ tiêu")
    bold = workbook.add_format({"bold": True})
    percent = workbook.add_format({"num_format": "0%"})
    sheet.write(0, 0, f"CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH {YEARS[0]}–{YEARS[-1]} (DỮ LIỆU DEMO)", bold)
    headers = ("Chỉ tiêu", "Mã đơn vị", "Lĩnh vực", "Năm", "So sánh", "Giá trị", "Nguồn")
    for c, text in enumerate(headers):
        sheet.write(2, c, text, bold)
    r = 3
    for year in YEARS:
        for indicator, field, comparator, value in TARGET_ROWS:
            sheet.write(r, 0, indicator)
            sheet.write(r, 1, "all")
            sheet.write(r, 2, field)
            sheet.write_number(r, 3, year)
            sheet.write(r, 4, comparator)
            if indicator == "par_rank":
                sheet.write_number(r, 5, value)
            else:
                sheet.write_number(r, 5, value, percent)
            sheet.write(r, 6, f"Kế hoạch CCHC năm {year} của UBND TP Hà Nội (demo)")
            r += 1
    workbook.close()
