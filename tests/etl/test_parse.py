"""parse_column / parse_frame: raw text -> lake types, with a reason for every cell that does not parse."""

from __future__ import annotations

import datetime as dt
import unicodedata

import polars as pl
import pytest

from etl.contract import DOSSIERS, REASONS, TABLES, Column
from etl.parse import ISSUE_SCHEMA, lake_dtype, parse_column, parse_frame
from etl.read import ROW

TIMESTAMP = Column("at", "timestamp", "")
DATE = Column("day", "date", "")
NUMBER = Column("value", "number", "")
INTEGER = Column("count", "integer", "")
BOOLEAN = Column("flag", "boolean", "")
TEXT = Column("note", "text", "")


def parse_one(value: str | None, column: Column) -> tuple[object, str | None]:
    values, reasons = parse_column(pl.Series([value], dtype=pl.String), column)
    return values[0], reasons[0]


def code(vocabulary: str) -> Column:
    return Column("code", "code", "", codes=vocabulary)


def unit(level: str) -> Column:
    return Column("unit_code", "unit_code", "", unit_level=level)


# ---------------------------------------------------------------------------------------------
# Dates and timestamps
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("05/01/2023", dt.datetime(2023, 1, 5)),  # day first: 5 January
        ("5/1/2023", dt.datetime(2023, 1, 5)),
        ("5/1/2023 8:30", dt.datetime(2023, 1, 5, 8, 30)),
        ("05/01/2023 08:30:15", dt.datetime(2023, 1, 5, 8, 30, 15)),
        ("05-01-2023 08:30", dt.datetime(2023, 1, 5, 8, 30)),
        ("05.01.2023", dt.datetime(2023, 1, 5)),
        ("29/02/2024", dt.datetime(2024, 2, 29)),
        ("08:30 05/01/2023", dt.datetime(2023, 1, 5, 8, 30)),
        ("08:30:15 5/1/2023", dt.datetime(2023, 1, 5, 8, 30, 15)),
        ("2023-01-05", dt.datetime(2023, 1, 5)),
        ("2023-01-05T08:30:00", dt.datetime(2023, 1, 5, 8, 30)),
        ("2023-01-05 08:30", dt.datetime(2023, 1, 5, 8, 30)),
        ("2023-01-05 08:30:00.123456", dt.datetime(2023, 1, 5, 8, 30, 0, 123456)),
        ("2023-01-05 08:30:00.5", dt.datetime(2023, 1, 5, 8, 30, 0, 500000)),
        ("2023-01-05T01:30:00Z", dt.datetime(2023, 1, 5, 8, 30)),  # UTC -> Vietnam (+7)
        ("2023-01-05T08:30:00+07:00", dt.datetime(2023, 1, 5, 8, 30)),
        ("2023-01-05T10:30:00+0900", dt.datetime(2023, 1, 5, 8, 30)),  # 01:30 UTC
        ("44927", dt.datetime(2023, 1, 1)),  # Excel serial
        ("44927.5", dt.datetime(2023, 1, 1, 12)),
        ("44927,25", dt.datetime(2023, 1, 1, 6)),
        ("45000.354166666664", dt.datetime(2023, 3, 15, 8, 30)),  # 44927 + 73 days; 0.3541666 d = 8:30
        ("20000", dt.datetime(1954, 10, 3)),
        ("  05/01/2023  ", dt.datetime(2023, 1, 5)),
    ],
)
def test_timestamps(raw, expected):
    assert parse_one(raw, TIMESTAMP) == (expected, None)


@pytest.mark.parametrize(
    "raw",
    [
        "31/02/2023",
        "29/02/2023",
        "01/13/2023",  # month 13: never read as 13 January
        "5/1/23",  # two-digit year
        "2023-13-01",
        "25:00 05/01/2023",
        "05/01/2023 08:60",
        "05/01/2023 23:59:60",
        "12345",  # serial out of range
        "80001",
        "2023",
        "hôm qua",
    ],
)
def test_bad_dates(raw):
    assert parse_one(raw, TIMESTAMP) == (None, "bad_date")


def test_date_drops_the_time_part():
    values, reasons = parse_column(pl.Series(["05/01/2023 08:30", "44927.9", "2023-01-06", "x"]), DATE)
    assert values.dtype == pl.Date
    assert values.to_list() == [dt.date(2023, 1, 5), dt.date(2023, 1, 1), dt.date(2023, 1, 6), None]
    assert reasons.to_list() == [None, None, None, "bad_date"]


def test_empty_cells_have_no_reason():
    for column in (TIMESTAMP, DATE, NUMBER, INTEGER, BOOLEAN, TEXT, code("status"), unit("district")):
        values, reasons = parse_column(pl.Series([None, "", "   "], dtype=pl.String), column)
        assert values.to_list() == [None, None, None], column.type
        assert reasons.to_list() == [None, None, None], column.type


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.234", 1234.0),  # one separator + exactly three digits: thousands
        ("1,234", 1234.0),
        ("1.234.567", 1234567.0),
        ("1.234,5", 1234.5),  # both separators: the last one is decimal
        ("1,234.5", 1234.5),
        ("1.234.567,89", 1234567.89),
        ("1234,5", 1234.5),  # first group of four digits: cannot be thousands
        ("1234.567", 1234.567),
        ("0.125", 0.125),  # a leading 0 cannot start a thousands group
        ("0,125", 0.125),
        ("1.2345", 1.2345),  # four digits after the separator: decimal
        ("12,5", 12.5),
        (".5", 0.5),
        ("12,5%", 0.125),
        ("98,9%", 0.989),
        ("12,5 %", 0.125),
        ("0.5%", 0.005),
        ("100%", 1.0),
        ("-3", -3.0),
        ("+2", 2.0),
        ("−5", -5.0),  # U+2212 minus
        (" 7 ", 7.0),
    ],
)
def test_numbers(raw, expected):
    assert parse_one(raw, NUMBER) == (expected, None)


@pytest.mark.parametrize("raw", ["abc", "1.2.3", "1.23.456", "1,5,6", "12a", "1 234", "--3", "%", "1e5"])
def test_bad_numbers(raw):
    assert parse_one(raw, NUMBER) == (None, "bad_number")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023", 2023),
        ("1.234", 1234),
        ("1,234", 1234),
        ("12,0", 12),
        ("1.234,00", 1234),
        ("-3", -3),
        ("9007199254740993", 9007199254740993),  # exact, not through a float
        ("100%", 1),
    ],
)
def test_integers(raw, expected):
    assert parse_one(raw, INTEGER) == (expected, None)


@pytest.mark.parametrize("raw", ["1,5", "0.125", "12,5%", "99999999999999999999", "x"])
def test_integers_reject_fractions_and_overflow(raw):
    assert parse_one(raw, INTEGER) == (None, "bad_number")


# ---------------------------------------------------------------------------------------------
# Booleans
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *[(form, True) for form in ("có", "Có", "CÓ", "co", "x", "X", "1", "true", "TRUE", "yes", "Yes", "đúng")],
        *[(form, True) for form in ("Y", "y", unicodedata.normalize("NFD", "Có"))],
        *[(form, False) for form in ("không", "Không", "khong", "0", "false", "False", "no", "sai", "N")],
    ],
)
def test_booleans(raw, expected):
    assert parse_one(raw, BOOLEAN) == (expected, None)


@pytest.mark.parametrize("raw", ["2", "maybe", "✓", "có thể"])
def test_bad_booleans(raw):
    assert parse_one(raw, BOOLEAN) == (None, "bad_boolean")


# ---------------------------------------------------------------------------------------------
# Codes
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("vocabulary", "raw", "expected"),
    [
        ("status", "Đã giải quyết", "resolved"),
        ("status", "da giai quyet", "resolved"),
        ("status", "HOÀN THÀNH", "resolved"),
        ("status", "resolved", "resolved"),
        ("status", unicodedata.normalize("NFD", "Đang xử lý"), "processing"),
        ("status", "Chờ bổ sung", "supplement"),
        ("status", "Công dân rút hồ sơ", "withdrawn"),
        ("channel", "1", "direct"),
        ("channel", "Trực tuyến", "online"),
        ("channel", "BCCI", "postal"),
        ("online_level", "Mức độ 4", "full"),
        ("online_level", "mức độ 3", "partial"),
        ("online_level", "Toàn trình", "full"),
        ("online_level", "Cung cấp thông tin", "none"),
        ("applicant_type", "Cá nhân", "citizen"),
        ("applicant_type", "Doanh nghiệp", "organisation"),
        ("comparator", "≥", ">="),
    ],
)
def test_codes(vocabulary, raw, expected):
    assert parse_one(raw, code(vocabulary)) == (expected, None)


@pytest.mark.parametrize(("vocabulary", "raw"), [("status", "Xong"), ("status", "99"), ("online_level", "Mức độ 5")])
def test_unknown_codes(vocabulary, raw):
    assert parse_one(raw, code(vocabulary)) == (None, "unknown_code")


def test_blank_online_level():
    """An explicit empty string takes the vocabulary's "" form; a null (blank cell from read_file) stays null."""
    values, reasons = parse_column(pl.Series(["", "  ", None], dtype=pl.String), code("online_level"))
    assert values.to_list() == ["none", "none", None]
    assert reasons.to_list() == [None, None, None]


# ---------------------------------------------------------------------------------------------
# Unit codes and text
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # digit codes keep their length: which unit they name is decided on the row's date
        # (tests/etl/test_unit_resolution.py)
        ("1", "1"),
        ("01", "01"),
        ("001", "001"),
        ("00004", "00004"),
        ("01.SNV", "01.SNV"),
        ("1.snv", "01.SNV"),
        ("79.stp", "79.STP"),
        (" Ba Đình ", "Ba Đình"),
    ],
)
def test_unit_codes(raw, expected):
    assert parse_one(raw, unit("any")) == (expected, None)


def test_text_is_nfc_and_trimmed():
    values, reasons = parse_column(
        pl.Series(["  Thiếu giấy tờ  ", unicodedata.normalize("NFD", "Lý do"), "", "a\nb"]), TEXT
    )
    assert values.to_list() == ["Thiếu giấy tờ", "Lý do", None, "a\nb"]
    assert reasons.to_list() == [None, None, None, None]


@pytest.mark.parametrize(
    ("column", "dtype"),
    [
        (TIMESTAMP, pl.Datetime("us")),
        (DATE, pl.Date),
        (NUMBER, pl.Float64),
        (INTEGER, pl.Int64),
        (BOOLEAN, pl.Boolean),
        (TEXT, pl.String),
        (code("status"), pl.String),
        (unit("district"), pl.String),
    ],
)
def test_lake_types(column, dtype):
    values, reasons = parse_column(pl.Series(["x", None], dtype=pl.String), column)
    assert values.dtype == dtype == lake_dtype(column)
    assert reasons.dtype == pl.String
    assert set(reasons.drop_nulls().to_list()) <= set(REASONS)


def test_every_contract_column_has_a_parser():
    for table in TABLES.values():
        for column in table.columns:
            values, _ = parse_column(pl.Series(["1"], dtype=pl.String), column)
            assert values.dtype == lake_dtype(column), f"{table.name}.{column.name}"


# ---------------------------------------------------------------------------------------------
# Whole frames
# ---------------------------------------------------------------------------------------------
def test_parse_frame():
    raw = pl.DataFrame(
        {
            ROW: [2, 3, 5],
            "dossier_id": ["H1", "H2", "H3"],
            "received_at": ["05/01/2023 08:30", "31/02/2023", "44927"],
            "status": ["Hoàn thành", "Xong", None],
            "channel": ["1", "2", "9"],
            "has_fee": ["x", None, "maybe"],
            "wait_minutes": ["1.234", "12,5", "abc"],
            "not_in_contract": ["a", "b", "c"],
        }
    )
    typed, issues = parse_frame(raw, DOSSIERS)

    assert typed.columns == [*DOSSIERS.names, ROW]
    assert typed.schema == pl.Schema({**{c.name: lake_dtype(c) for c in DOSSIERS.columns}, ROW: pl.Int64})
    assert typed[ROW].to_list() == [2, 3, 5]
    assert typed["dossier_id"].to_list() == ["H1", "H2", "H3"]
    assert typed["received_at"].to_list() == [dt.datetime(2023, 1, 5, 8, 30), None, dt.datetime(2023, 1, 1)]
    assert typed["status"].to_list() == ["resolved", None, None]
    assert typed["channel"].to_list() == ["direct", "online", None]
    assert typed["has_fee"].to_list() == [True, None, None]
    assert typed["wait_minutes"].to_list() == [1234.0, 12.5, None]
    assert typed["due_at"].to_list() == [None, None, None]  # absent: typed nulls

    assert issues.schema == pl.Schema(ISSUE_SCHEMA)
    assert list(issues.iter_rows()) == [
        (3, "received_at", "31/02/2023", "bad_date"),
        (3, "status", "Xong", "unknown_code"),
        (5, "channel", "9", "unknown_code"),
        (5, "has_fee", "maybe", "bad_boolean"),
        (5, "wait_minutes", "abc", "bad_number"),
    ]


def test_parse_frame_without_row_numbers_or_issues():
    typed, issues = parse_frame(pl.DataFrame({"dossier_id": ["H1", "H2"]}), DOSSIERS)
    assert typed[ROW].to_list() == [2, 3]
    assert issues.height == 0
    assert issues.schema == pl.Schema(ISSUE_SCHEMA)


@pytest.mark.slow
def test_parse_frame_on_a_million_rows():
    """Vectorised: a million dossiers parse in seconds (no timing assertion; the counts are exact)."""
    n = 1_000_000
    i = pl.int_range(0, n, eager=True)
    frame = pl.DataFrame({"i": i}).select(
        (pl.col("i") + 2).alias(ROW),
        pl.concat_str(pl.lit("H"), pl.col("i")).alias("dossier_id"),
        pl.concat_str(
            (pl.col("i") % 28 + 1),
            pl.lit("/"),
            (pl.col("i") % 12 + 1),
            pl.lit("/2023 "),
            (pl.col("i") % 24),
            pl.lit(":"),
            (pl.col("i") % 50 + 10),
        ).alias("received_at"),
        pl.col("i").cast(pl.String).alias("unit_code"),
        pl.col("i").mod(4).replace_strict([0, 1, 2, 3], ["Hoàn thành", "Đang xử lý", "Từ chối", "xyz"]).alias("status"),
        pl.col("i").mod(4).replace_strict([0, 1, 2, 3], ["12", "1.234", "5,5", "abc"]).alias("wait_minutes"),
        pl.col("i").mod(2).replace_strict([0, 1], ["x", None], return_dtype=pl.String).alias("has_fee"),
    )
    typed, issues = parse_frame(frame, DOSSIERS)
    assert typed.height == n
    assert typed["received_at"].null_count() == 0
    assert typed["received_at"][0] == dt.datetime(2023, 1, 1, 0, 10)
    assert typed["unit_code"][5] == "5"  # its length is its level: read on its date by the validator
    assert typed["has_fee"].sum() == n // 2
    assert typed["wait_minutes"].sum() == pytest.approx((12 + 1234 + 5.5) * n / 4)
    counts = dict(issues.group_by("reason").len().iter_rows())
    assert counts == {"unknown_code": n // 4, "bad_number": n // 4}


def test_a_column_that_writes_decimals_with_dots_reads_an_ambiguous_value_as_a_decimal() -> None:
    # PAPI-style scores in an English-format file: "2.085" is not two thousand and eighty-five there.
    from etl.parse import numbers

    assert numbers(pl.Series(["2.085", "2.5", "0.125"])).to_list() == [2.085, 2.5, 0.125]
    # Vietnamese decimals elsewhere in the column: "1,234" is one point two three four.
    assert numbers(pl.Series(["1,234", "12,5"])).to_list() == [1.234, 12.5]
    # No evidence either way, or evidence both ways: Vietnamese digit grouping, as before.
    assert numbers(pl.Series(["2.085"])).to_list() == [2085.0]
    assert numbers(pl.Series(["1.234", "1.234.567"])).to_list() == [1234.0, 1234567.0]
    assert numbers(pl.Series(["1.234", "2.5", "3,75"])).to_list() == [1234.0, 2.5, 3.75]
