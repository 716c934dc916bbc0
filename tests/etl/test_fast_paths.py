"""Fast paths give what the general paths give: a column parsed at once equals its values parsed one by
one, whichever mix of common and unusual forms it holds."""

from __future__ import annotations

import datetime as dt
import time

import polars as pl
import pytest
import xlsxwriter

from etl import lake, parse, read, vn_encodings
from etl.contract import Column
from etl.load import load_files

TIMESTAMP = Column("at", "timestamp", "")
STATUS = Column("status", "code", "", codes="status")
FLAG = Column("flag", "boolean", "")
UNIT = Column("unit_code", "unit_code", "", unit_level="district")
TEXT = Column("note", "text", "")


def one_by_one(values: list[str | None], column: Column) -> tuple[list[object], list[str | None]]:
    parsed = [parse.parse_column(pl.Series([value], dtype=pl.String), column) for value in values]
    return [v[0] for v, _ in parsed], [r[0] for _, r in parsed]


def at_once(values: list[str | None], column: Column) -> tuple[list[object], list[str | None]]:
    value, reason = parse.parse_column(pl.Series(values, dtype=pl.String), column)
    return value.to_list(), reason.to_list()


MIXED = {
    TIMESTAMP: [
        "05/01/2023 08:30:15",  # the common form
        "5/1/2023 8:30",
        "31/02/2023 08:00:00",  # common shape, impossible date
        "05/01/2023 23:59:60",  # common shape, second 60
        "29/02/2024 23:59:59",
        "2023-01-05T01:30:00Z",
        "44927,5",
        None,
        "hôm qua",
        "  05/01/2023 08:30:15 ",
    ],
    STATUS: ["Hoàn thành", "hoan thanh", "Đang xử lý", None, "???", "", "Từ chối", "HOÀN THÀNH"],
    FLAG: ["1", "0", "Có", "x", None, "maybe", "không", "1", "y"],
    UNIT: ["760", "1", "01.snv", None, "abc", "7601"],
    TEXT: ["Hoa\u0300n tha\u0300nh", "Hoàn thành", " a\u00a0b ", "ký\u200bhiệu", "😀 e\u0301", "", None, "x"],
}


@pytest.mark.parametrize("column", list(MIXED), ids=lambda c: c.type)
def test_a_mixed_column_parses_as_its_values_do_one_by_one(column):
    assert at_once(MIXED[column], column) == one_by_one(MIXED[column], column)


def test_common_and_other_timestamp_forms_in_one_column():
    values, reasons = at_once(MIXED[TIMESTAMP], TIMESTAMP)
    assert values[:3] == [dt.datetime(2023, 1, 5, 8, 30, 15), dt.datetime(2023, 1, 5, 8, 30), None]
    assert reasons[2:4] == ["bad_date", "bad_date"]


def test_lookups_beyond_the_chained_values_use_the_same_mapping():
    many = [f"v{i}" for i in range(parse.MAX_CHAINED_VALUES + 5)]
    forms = {value: value.upper() for value in many}
    raw = pl.Series("v", [*many, None, "other"], dtype=pl.String)
    values, reasons = parse.lookup(raw, forms, "unknown_code", pl.String())
    assert values.to_list() == [*(v.upper() for v in many), None, None]
    assert reasons.to_list() == [*([None] * len(many)), None, "unknown_code"]


def test_digit_only_values_do_not_decide_a_column_decimal_mark():
    plain = parse.number_text(pl.Series(["12", "2.085", "2.5", None, "7%"]))
    assert plain["plain"].to_list() == ["12", "2.085", "2.5", None, "7"]
    assert plain["percent"].to_list() == [False, False, False, None, True]
    assert parse.numbers(pl.Series(["12", "2.085"])).to_list() == [12.0, 2085.0]  # no decimal dot: thousands


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["Hoàn thành", "Cá nhân", None, " Mức độ 4 "], ["Hoàn thành", "Cá nhân", None, "Mức độ 4"]),  # NFC already
        (["Hoa\u0300n", "Hoàn"], ["Hoàn", "Hoàn"]),  # one decomposed value
        (["Hoàn", "a\u00a0b", "x\u200b"], ["Hoàn", "a b", "x"]),
        (["一", "e\u0301"], ["一", "é"]),  # a character outside the checked blocks
        (["abc", " ", ""], ["abc", None, None]),
    ],
)
def test_clean_text_of_whole_columns(values, expected):
    assert read.clean_text(pl.Series(values, dtype=pl.String)).to_list() == expected


def test_utf8_check_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "READ_CHUNK", 3)  # splits every multi-byte character somewhere
    text = "Mã hồ sơ,Đà Nẵng 😀\n".encode()
    path = tmp_path / "x.csv"
    path.write_bytes(text)
    assert read._first_invalid_utf8(path, 0) is None
    path.write_bytes(text + b"\xe1\xba")  # a character cut at the end of the file
    assert read._first_invalid_utf8(path, 0) == (len(text), 0xE1)


def test_read_ahead_keeps_the_order_and_the_error_after_the_frames():
    def batches():
        yield pl.DataFrame({"n": [1]})
        yield pl.DataFrame({"n": [2]})
        raise read.ReadError("x.csv", "cut short")

    seen = []
    with pytest.raises(read.ReadError, match="cut short"):
        for frame in read.read_ahead(batches()):
            seen.append(frame["n"][0])
    assert seen == [1, 2]


def test_read_ahead_closes_a_source_left_midway():
    closed = []

    def batches():
        try:
            while True:
                yield pl.DataFrame({"n": [1]})
        finally:
            closed.append(True)

    ahead = read.read_ahead(batches())
    next(ahead)
    next(ahead)  # the third frame is being read in the background
    ahead.close()
    assert closed == [True]


def test_read_ahead_reads_nothing_more_while_the_first_frame_is_decided_on():
    notes = []

    def batches():
        yield pl.DataFrame({"n": [1]})
        notes.append("no more rows")  # as read_batches reports at the end of a file

    ahead = read.read_ahead(batches())
    next(ahead)
    time.sleep(0.05)  # time enough for a reader that ran ahead to report
    assert notes == []
    assert list(ahead) == []
    assert notes == ["no more rows"]


def test_font_detection_scores_only_unicode_when_it_reads_well():
    detection = vn_encodings.detect_font_text(["Hà Nội", "Đã giải quyết", "Cà Mau", "Tây Ninh"])
    assert detection.encoding is None
    assert list(detection.scores) == ["unicode"]


def test_a_workbook_read_ahead_in_many_batches_loads_as_in_one(tmp_path, monkeypatch):
    path = tmp_path / "hs.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Mã hồ sơ", "Mã TTHC", "Mã đơn vị", "Ngày tiếp nhận", "Trạng thái", "Kênh thực hiện"])
    for i in range(1, 60):  # ids repeat after 50 rows: duplicates in later batches
        day = f"{1 + i % 28:02d}/01/2023 08:00"
        sheet.write_row(i, 0, [f"HS-{i % 50}", "1.004227", f"{1 + i % 9:03d}", day, "Đang xử lý", "Trực tuyến"])
    book.close()

    def outcome(root):
        (result,) = load_files("dossiers", [path], data_dir=root)
        con = lake.connect_catalog(root)
        try:
            stored = con.sql("select * from dossiers order by dossier_id").fetchall()
            quarantined = con.sql("select row_number, reason, raw_record from quarantine order by 1").fetchall()
        finally:
            con.close()
        return result.rows_read, result.rows_accepted, result.top_reasons, stored, quarantined

    whole = outcome(tmp_path / "one")
    monkeypatch.setattr(read, "BATCH_ROWS", 7)
    assert outcome(tmp_path / "many") == whole
    assert whole[:3] == (59, 50, [("duplicate_id", 9)])
