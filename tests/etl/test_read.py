"""read_file: encodings, separators, workbooks, Parquet, header rows, row numbers, refusals."""

from __future__ import annotations

import codecs
import datetime as dt
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from etl import read
from etl.contract import fold_text
from etl.read import ROW, ReadError, cell_text, clean_text, float_text, read_file

FILES = Path(__file__).parent / "files"
DOSSIER_HEADERS = frozenset({fold_text("Mã hồ sơ"), fold_text("Ngày tiếp nhận"), fold_text("Trạng thái")})


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def rows(frame: pl.DataFrame) -> list[tuple]:
    return list(frame.iter_rows())


# ---------------------------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------------------------
def test_plain_utf8_keeps_codes_as_text(tmp_path):
    path = write(tmp_path, "units.csv", "Mã,Tên\n01,Hà Nội\n001,Ba Đình\n".encode())
    frame = read_file(path)
    assert frame.columns == ["Mã", "Tên", ROW]
    assert frame.schema == pl.Schema({"Mã": pl.String, "Tên": pl.String, ROW: pl.Int64})
    assert rows(frame) == [("01", "Hà Nội", 2), ("001", "Ba Đình", 3)]


def test_utf8_with_bom_and_crlf(tmp_path):
    path = write(tmp_path, "bom.csv", codecs.BOM_UTF8 + "Mã;Tên\r\n01;Hà Nội\r\n".encode())
    frame = read_file(path)
    assert frame.columns == ["Mã", "Tên", ROW]  # no BOM left on the first header
    assert rows(frame) == [("01", "Hà Nội", 2)]


def test_utf16_le_tab_separated_as_excel_unicode_text(tmp_path):
    text = "Mã hồ sơ\tNgày tiếp nhận\r\nH001\t05/01/2023 08:30\r\nH002\t06/01/2023\r\n"
    path = write(tmp_path, "unicode.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    frame = read_file(path)
    assert frame.columns == ["Mã hồ sơ", "Ngày tiếp nhận", ROW]
    assert rows(frame) == [("H001", "05/01/2023 08:30", 2), ("H002", "06/01/2023", 3)]


def test_utf16_be_with_bom(tmp_path):
    path = write(tmp_path, "be.csv", codecs.BOM_UTF16_BE + "a\tb\n1\tĐ\n".encode("utf-16-be"))
    assert rows(read_file(path)) == [("1", "Đ", 2)]


def test_fixture_file_with_title_rows_and_bom():
    """tests/files/dossiers_title_rows.csv: BOM, two title rows and a blank row above the header."""
    frame = read_file(FILES / "dossiers_title_rows.csv", known_headers=DOSSIER_HEADERS)
    assert frame.columns == ["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", ROW]
    # Line 1 UBND..., line 2 BÁO CÁO..., line 3 blank, line 4 header: the first dossier is on line 5.
    assert rows(frame) == [
        ("H001", "05/01/2023", "Đã giải quyết", 5),
        ("H002", "06/01/2023 14:05", "Đang xử lý", 6),
    ]


# ---------------------------------------------------------------------------------------------
# Separators, quoting, ragged and blank rows
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_separator_is_sniffed(tmp_path, separator):
    text = separator.join(["a", "b", "c"]) + "\n" + separator.join(["1", "2,5", "3"]) + "\n"
    if separator == ",":
        text = 'a,b,c\n1,"2,5",3\n'
    frame = read_file(write(tmp_path, "x.csv", text.encode()))
    assert rows(frame) == [("1", "2,5", "3", 2)]


def test_separator_inside_quotes_does_not_count(tmp_path):
    # Outside quotes the header line has two ";" and no ","; the quoted "a,b,c,d" must not win for ",".
    frame = read_file(write(tmp_path, "x.csv", b'"a,b,c,d";e;f\n1;2;3\n'))
    assert frame.columns == ["a,b,c,d", "e", "f", ROW]
    assert rows(frame) == [("1", "2", "3", 2)]


def test_quoted_separator_and_line_break_stay_in_the_cell(tmp_path):
    path = write(tmp_path, "x.csv", 'id,note\n1,"thiếu, bổ sung\ngiấy tờ"\n2,ok\n'.encode())
    # __row__ counts rows (as Excel shows the file), so the row after the two-line cell is row 3.
    assert rows(read_file(path)) == [("1", "thiếu, bổ sung\ngiấy tờ", 2), ("2", "ok", 3)]


def test_short_rows_get_nulls_and_long_rows_keep_their_overflow(tmp_path):
    # Fields beyond the header's last column are kept in __extra__ (the validator quarantines the row:
    # an unquoted separator inside a value shifts every field after it).
    path = write(tmp_path, "x.csv", b"a,b,c\n1,2\n4,5,6,7,8\n9,9,9,\n")
    frame = read_file(path)
    assert frame.columns == ["a", "b", "c", read.EXTRA, ROW]
    assert rows(frame) == [("1", "2", None, None, 2), ("4", "5", "6", "7", 3), ("9", "9", "9", None, 4)]


def test_blank_rows_are_dropped_but_numbering_continues(tmp_path):
    path = write(tmp_path, "x.csv", b"a,b\n1,2\n\n , \n3,4\n,\n\n")
    assert rows(read_file(path)) == [("1", "2", 2), ("3", "4", 5)]


def test_header_only_file_gives_an_empty_frame_with_headers(tmp_path):
    frame = read_file(write(tmp_path, "x.csv", b"a,b\n"))
    assert frame.height == 0
    assert frame.schema == pl.Schema({"a": pl.String, "b": pl.String, ROW: pl.Int64})


def test_duplicate_and_blank_headers_get_unique_names(tmp_path):
    frame = read_file(write(tmp_path, "x.csv", "Tên,Tên,,Tên\n1,2,3,4\n".encode()))
    assert frame.columns == ["Tên", "Tên__2", "column_3", "Tên__3", ROW]


def test_blank_column_without_header_is_dropped(tmp_path):
    # A trailing separator on every line (common in exports) makes an unnamed, empty column.
    frame = read_file(write(tmp_path, "x.csv", b"a,b,\n1,2,\n"))
    assert frame.columns == ["a", "b", ROW]


def test_headers_and_cells_are_normalised(tmp_path):
    header_nfd = unicodedata.normalize("NFD", "Mã hồ sơ")
    cell_nfd = unicodedata.normalize("NFD", "Đã tiếp nhận")
    text = f" {header_nfd}\u00a0, Ghi\u200bchú \n  H1 ,{cell_nfd}\u00a0\n\u200b, \n"
    frame = read_file(write(tmp_path, "x.csv", text.encode()))
    assert frame.columns == ["Mã hồ sơ", "Ghichú", ROW]
    assert rows(frame) == [("H1", "Đã tiếp nhận", 2)]
    assert unicodedata.is_normalized("NFC", frame["Ghichú"][0])


# ---------------------------------------------------------------------------------------------
# Header row detection
# ---------------------------------------------------------------------------------------------
def test_title_rows_are_skipped_with_known_headers(tmp_path):
    text = (
        "UBND QUẬN BA ĐÌNH,,\n"
        "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ,,\n"
        "MaHoSo,Ngay tiep nhan,Ghi chú\n"  # two headers known (folded, one CamelCase via its alias)
        "H1,05/01/2023,\n"
        "H2,06/01/2023,x\n"
    )
    known = DOSSIER_HEADERS | {fold_text("MaHoSo")}
    frame = read_file(write(tmp_path, "x.csv", text.encode()), known_headers=known)
    assert frame.columns == ["MaHoSo", "Ngay tiep nhan", "Ghi chú", ROW]
    assert rows(frame) == [("H1", "05/01/2023", None, 4), ("H2", "06/01/2023", "x", 5)]


def test_without_known_headers_the_first_row_is_the_header(tmp_path):
    frame = read_file(write(tmp_path, "x.csv", "BÁO CÁO,\nMã hồ sơ,Trạng thái\nH1,x\n".encode()))
    assert frame.columns == ["BÁO CÁO", "column_2", ROW]
    assert rows(frame) == [("Mã hồ sơ", "Trạng thái", 2), ("H1", "x", 3)]


def test_no_matching_row_falls_back_to_the_first_non_blank_row(tmp_path):
    frame = read_file(write(tmp_path, "x.csv", b"\n\na,b\n1,2\n"), known_headers=DOSSIER_HEADERS)
    assert frame.columns == ["a", "b", ROW]
    assert rows(frame) == [("1", "2", 4)]


def test_find_header_row_needs_two_known_cells():
    known = frozenset({"ma ho so", "trang thai"})
    table = [["Mã hồ sơ: tổng hợp"], ["Mã hồ sơ", "Ghi chú"], ["MÃ HỒ SƠ", "TRẠNG THÁI"]]
    assert read.find_header_row(table, known) == 2


# ---------------------------------------------------------------------------------------------
# Workbooks
# ---------------------------------------------------------------------------------------------
def _workbook(path: Path) -> Path:
    """Sheet 'Báo cáo': two title rows, header on row 3, typed cells; sheet 'Data2': a plain table."""
    book = xlsxwriter.Workbook(path)
    report = book.add_worksheet("Báo cáo")
    report.write(0, 0, "UBND QUẬN BA ĐÌNH")
    report.write(1, 0, "BÁO CÁO HỒ SƠ")
    report.write_row(2, 0, ["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Số", "Tỷ lệ", "Có phí", "Mã"])
    stamp = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    report.write_row(3, 0, ["H1"])
    report.write_datetime(3, 1, dt.datetime(2023, 1, 5, 8, 30), stamp)
    report.write_row(3, 2, ["Đã giải quyết", 12, 1.5, True, "001"])
    report.write_row(4, 0, ["H2"])
    report.write_datetime(4, 1, dt.datetime(2023, 1, 6), day)
    report.write_row(4, 2, ["", 1234567, 1.234, False, "002"])
    # row 6 (index 5) left blank, then one more dossier on row 7
    report.write_row(6, 0, ["H3", "07/01/2023", "Từ chối", 0.125])
    data = book.add_worksheet("Data2")
    data.write_row(0, 0, ["a", "b"])
    data.write_row(1, 0, [1, "x"])
    book.close()
    return path


def test_xlsx_first_sheet_with_title_rows(tmp_path):
    frame = read_file(_workbook(tmp_path / "report.xlsx"), known_headers=DOSSIER_HEADERS)
    assert frame.columns == ["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", "Số", "Tỷ lệ", "Có phí", "Mã", ROW]
    assert rows(frame) == [
        ("H1", "2023-01-05 08:30:00", "Đã giải quyết", "12", "1.5", "true", "001", 4),
        ("H2", "2023-01-06", None, "1234567", "1.2340", "false", "002", 5),
        ("H3", "07/01/2023", "Từ chối", "0.125", None, None, None, 7),
    ]


def test_xlsx_named_sheet(tmp_path):
    frame = read_file(_workbook(tmp_path / "report.xlsx"), sheet="Data2")
    assert rows(frame) == [("1", "x", 2)]


def test_xlsx_missing_sheet_lists_the_sheets(tmp_path):
    path = _workbook(tmp_path / "report.xlsx")
    with pytest.raises(ReadError) as error:
        read_file(path, sheet="Sheet1")
    assert str(error.value) == f"{path}: cannot read: no sheet named 'Sheet1'; the workbook has 'Báo cáo', 'Data2'"


def test_format_is_detected_by_content_not_suffix(tmp_path):
    workbook = _workbook(tmp_path / "report.xlsx")
    disguised = write(tmp_path, "report.csv", workbook.read_bytes())
    assert rows(read_file(disguised, sheet="Data2")) == [("1", "x", 2)]
    text_named_xlsx = write(tmp_path, "table.xlsx", b"a,b\n1,2\n")
    assert rows(read_file(text_named_xlsx)) == [("1", "2", 2)]


def test_empty_sheet_is_refused(tmp_path):
    book = xlsxwriter.Workbook(tmp_path / "empty.xlsx")
    book.add_worksheet("Trống")
    book.close()
    with pytest.raises(ReadError, match="sheet 'Trống' is empty"):
        read_file(tmp_path / "empty.xlsx")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        (None, None),
        ("001", "001"),
        (123.0, "123"),
        (7, "7"),
        (1.5, "1.5"),
        (1e20, "100000000000000000000"),
        (1e-7, "0.0000001"),
        (1.234, "1.2340"),  # would otherwise read as 1234 (thousands rule)
        (-12.345, "-12.3450"),
        (0.125, "0.125"),  # a leading 0 cannot start a thousands group
        (1234.567, "1234.567"),
        (True, "true"),
        (False, "false"),
        (dt.datetime(2023, 1, 5, 8, 30), "2023-01-05 08:30:00"),
        (dt.datetime(2023, 1, 5, 8, 30, 0, 500), "2023-01-05 08:30:00.000500"),
        (dt.date(2023, 1, 5), "2023-01-05"),
        (dt.time(8, 30), "08:30:00"),
        (float("nan"), None),
    ],
)
def test_cell_text(value, expected):
    assert cell_text(value) == expected


def test_float_text_infinity():
    assert float_text(float("inf")) == "inf"


# ---------------------------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------------------------
def test_parquet_columns_become_text(tmp_path):
    frame = pl.DataFrame(
        {
            "code": ["001", None],
            "count": [12, 1234567],
            "share": [1.5, 1.234],
            "whole": [2.0, None],
            "money": [Decimal("5.00"), Decimal("1.230")],
            "flag": [True, False],
            "day": [dt.date(2023, 1, 5), dt.date(2024, 2, 29)],
            "at": [dt.datetime(2023, 1, 5, 8, 30), dt.datetime(2023, 1, 5, 8, 30, 1, 250000)],
        },
        schema_overrides={"money": pl.Decimal(10, 3)},
    )
    path = tmp_path / "x.parquet"
    frame.write_parquet(path)
    result = read_file(path)
    assert result.columns == [*frame.columns, ROW]
    assert all(dtype == pl.String for name, dtype in result.schema.items() if name != ROW)
    assert rows(result) == [
        ("001", "12", "1.5", "2", "5", "true", "2023-01-05", "2023-01-05 08:30:00", 2),
        (None, "1234567", "1.2340", None, "1.2300", "false", "2024-02-29", "2023-01-05 08:30:01.250000", 3),
    ]


def test_damaged_parquet_is_refused(tmp_path):
    path = write(tmp_path, "x.parquet", b"PAR1 not really parquet")
    with pytest.raises(ReadError, match=r"x\.parquet: cannot read: damaged Parquet file"):
        read_file(path)


# ---------------------------------------------------------------------------------------------
# Refusals: one line naming the file and the reason
# ---------------------------------------------------------------------------------------------
def test_zero_byte_file(tmp_path):
    path = write(tmp_path, "x.csv", b"")
    with pytest.raises(ReadError) as error:
        read_file(path)
    assert str(error.value) == f"{path}: cannot read: the file is empty"


def test_only_blank_lines_is_empty(tmp_path):
    path = write(tmp_path, "x.csv", codecs.BOM_UTF8 + b"\r\n \r\n")
    with pytest.raises(ReadError, match="cannot read: the file is empty"):
        read_file(path)


def test_binary_garbage(tmp_path):
    path = write(tmp_path, "x.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ReadError) as error:
        read_file(path)
    assert str(error.value) == f"{path}: cannot read: not a CSV, XLSX or Parquet file: it is a PNG image"
    unknown = write(tmp_path, "y.csv", b"\x01\x02\x00\x03garbage")
    with pytest.raises(ReadError) as error:
        read_file(unknown)
    assert (
        str(error.value) == f"{unknown}: cannot read: not a CSV, XLSX or Parquet file (starts with bytes 01 02 00 03)"
    )


def test_unrecognisable_8bit_text_is_refused_with_the_offset(tmp_path):
    # One byte 0xD0 ("Đ" in Windows-1258, "é" in TCVN3): far too little text to recognise an encoding.
    path = write(tmp_path, "x.csv", "a,b\nĐ,x\n".encode("cp1258"))
    with pytest.raises(ReadError) as error:
        read_file(path)
    message = str(error.value)
    assert message.startswith(f"{path}: cannot read: not UTF-8 or UTF-16 text (byte 0xd0 at offset 4), ")
    assert "TCVN3, VNI, Windows-1258" in message
    assert "\n" not in message


def test_bad_byte_offset_across_check_chunks(tmp_path, monkeypatch):
    # Chunks of 5 bytes split "Đ" (c4 90) between chunk 1 and 2; the bad byte 0xff is at offset 7.
    monkeypatch.setattr(read, "READ_CHUNK", 5)
    path = write(tmp_path, "x.csv", b"a,b\n" + "Đ".encode() + b",\xff\n")
    with pytest.raises(ReadError, match=r"\(byte 0xff at offset 7\)"):
        read_file(path)


def test_malformed_csv_is_refused_in_one_line(tmp_path):
    path = write(tmp_path, "x.csv", b'a,b\n1,"2\n3,4\n"5",6"x\n')
    with pytest.raises(ReadError) as error:
        read_file(path)
    assert str(error.value).startswith(f"{path}: cannot read: malformed CSV (a quote left open?): ")
    assert "\n" not in str(error.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ReadError) as error:
        read_file(tmp_path / "nope.csv")
    assert str(error.value) == f"{tmp_path / 'nope.csv'}: cannot read: no such file"
    with pytest.raises(ReadError, match="is a directory"):
        read_file(tmp_path)


@pytest.mark.parametrize("magic", [b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"])  # zip, OLE (xls)
def test_damaged_workbook(tmp_path, magic):
    path = write(tmp_path, "x.xlsx", magic + b" this workbook is broken")
    with pytest.raises(ReadError, match=r"x\.xlsx: cannot read: (not a readable XLSX/XLS workbook|a damaged XLSX/ZIP)"):
        read_file(path)


def test_required_markers_do_not_hide_the_header_row(tmp_path):
    text = "BÁO CÁO\nMã hồ sơ (*),Ngày tiếp nhận*,Ghi chú\nH1,05/01/2023,\n"
    frame = read_file(write(tmp_path, "x.csv", text.encode()), known_headers=DOSSIER_HEADERS)
    assert frame.columns == ["Mã hồ sơ (*)", "Ngày tiếp nhận*", "Ghi chú", ROW]
    assert rows(frame) == [("H1", "05/01/2023", None, 3)]


def test_read_error_is_always_one_line():
    error = ReadError("exports/x.csv", "first line\nsecond line")
    assert str(error) == "exports/x.csv: cannot read: first line second line"


# ---------------------------------------------------------------------------------------------
# Cell normalisation
# ---------------------------------------------------------------------------------------------
def test_clean_text():
    values = pl.Series(["  a  ", "", "   ", None, "x\u00a0y", "e\u0301\u200b", "\ufeffĐ"])
    assert clean_text(values).to_list() == ["a", None, None, None, "x y", "é", "Đ"]


# ---------------------------------------------------------------------------------------------
# Batches: the same rows and row numbers whatever the batch size
# ---------------------------------------------------------------------------------------------
CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "files"


@pytest.mark.parametrize(
    "name", ["rows_quoted_separators.csv", "rows_blank_lines.csv", "csv_title_rows_totals.csv", "enc_vni.csv"]
)
def test_batches_of_any_size_give_the_same_rows(name, monkeypatch):
    whole = read_file(CORPUS / name, known_headers=DOSSIER_HEADERS)
    monkeypatch.setattr(read, "READ_CHUNK", 7)  # also splits UTF-8 characters and VNI letter + mark pairs
    batches = list(read.read_batches(CORPUS / name, known_headers=DOSSIER_HEADERS, batch_bytes=40))
    assert len(batches) > 2
    assert pl.concat(batches).drop(read.EXTRA).equals(whole)


def test_a_block_ends_only_outside_quotes():
    data = b'a;"x\ny";b\nc;"p\nq\n'
    assert read._last_row_end(data, b"\n") == data.index(b"b\n") + 2  # the last two line ends are quoted
    assert read._last_row_end(b'"open\nstill\n', b"\n") == -1


def test_utf16_across_chunk_boundaries(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "READ_CHUNK", 5)  # odd: splits UTF-16 code units
    path = write(tmp_path, "u.txt", codecs.BOM_UTF16_LE + "Mã\tTên\n1\tĐà Nẵng\n2\tHuế\n".encode("utf-16-le"))
    assert rows(read_file(path)) == [("1", "Đà Nẵng", 2), ("2", "Huế", 3)]


def test_a_row_longer_than_the_limit_means_an_open_quote(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_ROW_BYTES", 100)
    path = write(tmp_path, "x.csv", b'a,b\n1,"' + b"x" * 500 + b"\n2,3\n" * 20)
    with pytest.raises(ReadError, match=r"a quote .* is probably left open"):
        list(read.read_batches(path, batch_bytes=50))


# ---------------------------------------------------------------------------------------------
# Cut-short files, fields beyond the header
# ---------------------------------------------------------------------------------------------
def test_a_file_ending_inside_quotes_is_refused(tmp_path):
    path = write(tmp_path, "x.csv", 'a,b\n1,2\n3,"thiếu\ngiấy'.encode())
    with pytest.raises(ReadError, match=r"a quote \(\"\) opened in row 3 is never closed"):
        read_file(path)


def test_a_short_last_line_without_line_end_is_refused(tmp_path):
    path = write(tmp_path, "x.csv", b"a,b,c\n1,2,3\n4,5")
    with pytest.raises(ReadError, match=r"last line \(row 3\) ends without a line break and has 2 of 3 fields"):
        read_file(path)


@pytest.mark.parametrize("data", [b"a,b,c\n1,2,3\n4,5,6", b"a,b,c\n1,2,3\n4,5\n", b"a,b,c,\n1,2,3"])
def test_complete_or_terminated_last_lines_are_fine(tmp_path, data):
    assert read_file(write(tmp_path, "x.csv", data)).height == 2 - data.endswith(b"1,2,3")


def test_fields_beyond_the_header_are_kept_for_the_validator(tmp_path):
    path = write(tmp_path, "x.csv", "a;b\n1;Thiếu; bổ sung\n2;ok;\n".encode())
    frame = read_file(path)
    assert rows(frame) == [("1", "Thiếu", "bổ sung", 2), ("2", "ok", None, 3)]


# ---------------------------------------------------------------------------------------------
# Totals rows, two header rows, line ends
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("label", "is_total"),
    [("Tổng cộng", True), ("TỔNG CỘNG", True), ("Cộng:", True), ("Tổng số: 1.234", True), ("Tổng cộng (5 hồ sơ)", True),
     ("Total", True), ("tong cong", True), ("Công dân", False), ("Cộng hòa xã hội chủ nghĩa Việt Nam", False),
     ("Tổng hợp", False), ("HS-1", False), ("Công", False)],
)  # fmt: skip
def test_totals_labels(label, is_total):
    assert pl.Series([label]).str.contains(read.TOTALS_LABEL)[0] is is_total


def test_totals_rows_are_skipped_and_reported(tmp_path):
    notes: list[str] = []
    text = "Mã hồ sơ;Trạng thái;Số\nH1;x;1\nCộng;;1\nH2;y;2\n;Tổng cộng;2\n"
    frame = read_file(write(tmp_path, "x.csv", text.encode()), known_headers=DOSSIER_HEADERS, notes=notes)
    assert rows(frame) == [("H1", "x", "1", 2), ("H2", "y", "2", 4)]
    assert notes == ["skipped 2 totals rows (not records): row 3 'Cộng', row 5 'Tổng cộng'"]


def test_two_header_rows_are_combined(tmp_path):
    text = (
        "Mã hồ sơ;Ngày;;Trạng thái\n"  # "Mã hồ sơ" and "Trạng thái" merged down; "Ngày" over two columns
        ";tiếp nhận;hẹn trả;\n"
        "H1;05/01/2023;10/01/2023;x\n"
    )
    known = DOSSIER_HEADERS | {fold_text("Ngày hẹn trả")}
    frame = read_file(write(tmp_path, "x.csv", text.encode()), known_headers=known)
    assert frame.columns == ["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái", ROW]
    assert rows(frame) == [("H1", "05/01/2023", "10/01/2023", "x", 3)]


def test_a_name_merged_down_from_the_row_above_fills_the_header(tmp_path):
    text = "Mã hồ sơ;Thời gian;\n;Ngày tiếp nhận;Trạng thái\nH1;05/01/2023;x\n"
    frame = read_file(write(tmp_path, "x.csv", text.encode()), known_headers=DOSSIER_HEADERS)
    assert frame.columns == ["Mã hồ sơ", "Ngày tiếp nhận", "Trạng thái", ROW]


def test_classic_mac_line_ends(tmp_path):
    path = write(tmp_path, "x.csv", b'a;b\r1;"x\ry"\r2;z\r')
    assert rows(read_file(path)) == [("1", "x\ry", 2), ("2", "z", 3)]


def test_no_data_rows_is_noted(tmp_path):
    notes: list[str] = []
    assert read_file(write(tmp_path, "x.csv", b"a;b\n"), notes=notes).height == 0
    assert notes == ["no data rows below the header"]


# ---------------------------------------------------------------------------------------------
# Legacy encodings and font text
# ---------------------------------------------------------------------------------------------
def test_tcvn3_csv_is_converted_and_noted(tmp_path):
    notes: list[str] = []
    text = "UBND QUËN BA §×NH\nM· hå s¬;Tr¹ng th¸i;Ghi chó\nH1;§· gi¶i quyÕt;ThiÕu giÊy tê\nH2;§ang xö lý;\n"
    frame = read_file(write(tmp_path, "x.csv", text.encode("cp1252")), known_headers=DOSSIER_HEADERS, notes=notes)
    assert frame.columns == ["Mã hồ sơ", "Trạng thái", "Ghi chú", ROW]
    assert rows(frame) == [("H1", "Đã giải quyết", "Thiếu giấy tờ", 3), ("H2", "Đang xử lý", None, 4)]
    assert notes[0].startswith("converted from TCVN3 (ABC) to Unicode (TCVN3 (ABC) ")


def test_windows_1258_csv_is_converted_to_nfc(tmp_path):
    text = "Mã hồ sơ,Trạng thái\nH1,Đã giải quyết\nH2,Chờ bổ sung\n"
    frame = read_file(write(tmp_path, "x.csv", vn_encode(text, "cp1258")), known_headers=DOSSIER_HEADERS)
    assert rows(frame) == [("H1", "Đã giải quyết", 2), ("H2", "Chờ bổ sung", 3)]
    assert all(unicodedata.is_normalized("NFC", v) for v in frame["Trạng thái"])


def test_font_text_in_a_workbook_is_converted_cell_by_cell(tmp_path):
    book = xlsxwriter.Workbook(tmp_path / "f.xlsx")
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Maõ hoà sô", "Traïng thaùi", "Ghi chú"])  # the last header typed in Unicode
    sheet.write_row(1, 0, ["H1", "Ñaõ giaûi quyeát", "Hồ sơ hoà giải"])
    book.close()
    notes: list[str] = []
    frame = read_file(tmp_path / "f.xlsx", known_headers=DOSSIER_HEADERS, notes=notes)
    assert rows(frame) == [("H1", "Đã giải quyết", "Hồ sơ hoà giải", 2)]
    assert frame.columns[:2] == ["Mã hồ sơ", "Trạng thái"]
    assert "legacy VNI Windows font" in notes[0]


def vn_encode(text: str, encoding: str) -> bytes:
    from etl.vn_encodings import encode_legacy

    return encode_legacy(text, encoding)


# ---------------------------------------------------------------------------------------------
# Files that are not tables
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n", "it is a PDF document"),
        (b"\x1f\x8b\x08\x00rest", "it is a gzip archive"),
        (b"\xff\xd8\xff\xe0JFIF", "it is a JPEG image"),
        ("\ufeff  <!DOCTYPE html><table>".encode(), "an HTML page, not a spreadsheet"),
        (b"<table><tr><td>1</td></tr></table>", "an HTML table"),
        (b'<?xml version="1.0"?><Workbook/>', "an XML file (Excel 2003 XML?)"),
    ],
)
def test_files_that_are_not_tables_are_named(tmp_path, data, reason):
    with pytest.raises(ReadError, match=re.escape(reason)):
        read_file(write(tmp_path, "x.xls", data))


def test_zip_files_must_be_workbooks(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "a.xlsx", "w") as archive:
        archive.writestr("data.csv", "a,b\n")
        archive.writestr("readme.txt", "x")
    with pytest.raises(ReadError, match=r"a ZIP archive, not an XLSX workbook \(it holds: data.csv, readme.txt\)"):
        read_file(tmp_path / "a.xlsx")


def test_the_first_visible_sheet_is_read_and_the_others_named(tmp_path):
    book = xlsxwriter.Workbook(tmp_path / "s.xlsx")
    hidden = book.add_worksheet("Ẩn")
    hidden.write(0, 0, "x")
    shown = book.add_worksheet("Dữ liệu")
    shown.write_row(0, 0, ["a", "b"])
    shown.write_row(1, 0, [1, 2])
    shown.activate()
    hidden.hide()
    book.close()
    notes: list[str] = []
    assert rows(read_file(tmp_path / "s.xlsx", notes=notes)) == [("1", "2", 2)]
    assert notes == ["read sheet 'Dữ liệu'; the workbook also has 'Ẩn' (choose one with --sheet)"]
