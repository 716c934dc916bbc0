"""Turn raw text cells into the lake's types, column by column, with a reason for every cell that fails.

Every parser works on a whole column at once with Polars expressions (exports hold millions of rows).
The only Python loops run over the *distinct* values of a code or yes/no column, to fold them with
`contract.fold_text`, the contract's one definition of "the same word".

An empty cell (null) parses to null with no reason: whether a column may be empty is the validator's call.

Choices where exports are ambiguous (each has a test):
- Dates are day-first: 05/01/2023 is 5 January. Month-first is never guessed; 31/02/2023 is bad_date,
  and so are two-digit years (05/01/23).
- Times written with a UTC offset (2023-01-05T01:30:00Z, ...+07:00) are converted to Vietnam time (UTC+7,
  no daylight saving); times without one are taken as Vietnam time as they are.
- Excel serials: a number from 20000 to 80000 (1954-10-03 to 2119-01-10), with an optional fraction of
  a day, rounded to the second.
- Numbers: see `number_text`. Percentages become fractions: "98,9%" -> 0.989.
- Codes: an explicit empty string maps through the vocabulary's "" form when it has one (online_level:
  "" -> "none"), else it counts as empty. A null stays null. read_file turns blank cells into nulls, so a
  blank online_level from a file reaches the lake as null, not "none".
- Text keeps its inner spacing and line breaks; only the ends are trimmed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import polars as pl

from etl.contract import BOOLEAN_FORMS, PARQUET_TYPE, Column, Table, fold_text, vocabulary_lookup
from etl.read import ROW, clean_text

LAKE_DTYPE: dict[str, pl.DataType] = {
    "VARCHAR": pl.String(),
    "DATE": pl.Date(),
    "TIMESTAMP": pl.Datetime("us"),
    "BIGINT": pl.Int64(),
    "DOUBLE": pl.Float64(),
    "BOOLEAN": pl.Boolean(),
}

ISSUE_SCHEMA = {"row_number": pl.Int64, "column_name": pl.String, "raw_value": pl.String, "reason": pl.String}

MAX_CHAINED_VALUES = 16  # lookups map up to this many distinct values with equality tests (see _replaced)

# Yes/no forms, compared after contract.fold_text (so "Có", "CÓ" and "co" are one form).

DEPARTMENT_CODE = r"^(?P<province>\d{1,2})\.(?P<short>[^\W\d_][\w\-]*)$"  # 01.SNV

VIETNAM_UTC_OFFSET_MINUTES = 7 * 60
EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system (for days after Feb 1900)
EXCEL_SERIAL_RANGE = (20000, 80000)

_TIME = r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?"
DAY_FIRST = r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})" + _TIME + "$"  # 5/1/2023 8:30
TIME_FIRST = (  # 08:30 05/01/2023, as some one-stop systems print it
    r"^(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s+(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})$"
)
ISO = r"^(?P<y>\d{4})[\-/.](?P<m>\d{1,2})[\-/.](?P<d>\d{1,2})" + _TIME + r"\s*(?P<tz>Z|[+\-]\d{2}:?\d{2})?$"
EXCEL_SERIAL = r"^\d{5}(?:[.,]\d+)?$"
# The form nearly every export uses (05/01/2023 08:30:00, two digits everywhere, a valid time): read
# directly with this format, to the value the general path gives it; other values take the general path.
COMMON_DAY_FIRST = r"^(?:0[1-9]|[12]\d|3[01])/(?:0[1-9]|1[0-2])/[12]\d{3} (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$"
COMMON_DAY_FIRST_FORMAT = "%d/%m/%Y %H:%M:%S"
UTC_OFFSET = r"^(?P<sign>[+\-])(?P<hh>\d{2}):?(?P<mm>\d{2})$"

NUMBER = r"^(?P<sign>[+\-]?)(?P<digits>[\d.,]+)$"
THOUSANDS_DOT = r"^[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?$"  # 1.234  1.234.567  1.234,5
THOUSANDS_COMMA = r"^[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$"  # 1,234  1,234,567  1,234.5
DECIMAL_COMMA = r"^\d*,\d+$"  # 1234,5  12,5  0,125
DECIMAL_DOT = r"^(?:\d+|\d*\.\d+)$"  # 1234  1234.5  0.125  .5
# One separator before exactly three digits reads either way: "2.085" is 2085 or 2.085.
AMBIGUOUS_DOT = r"^[1-9]\d{0,2}\.\d{3}$"
AMBIGUOUS_COMMA = r"^[1-9]\d{0,2},\d{3}$"


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------
def lake_dtype(column: Column) -> pl.DataType:
    """The Polars type of a column in the lake (contract.PARQUET_TYPE)."""
    return LAKE_DTYPE[PARQUET_TYPE[column.type]]


def parse_column(values: pl.Series, column: Column) -> tuple[pl.Series, pl.Series]:
    """(values in the lake type, reason codes): a reason is null where the cell parsed or was empty."""
    raw = values.cast(pl.String).rename("v")
    kind = column.type
    if kind == "code":
        assert column.codes is not None
        if column.empty_as is not None:
            raw = raw.fill_null(column.empty_as)
        value, reason = lookup(raw, vocabulary_lookup(column.codes), "unknown_code", pl.String())
    elif kind == "boolean":
        value, reason = lookup(raw, boolean_forms(), "bad_boolean", pl.Boolean())
    elif kind in ("text", "unit_code"):
        text = clean_text(raw)
        value = text if kind == "text" else unit_codes(text)
        reason = _nulls("reason", len(raw), pl.String())
    else:
        text = _stages(raw, [{"v": _trimmed(pl.col("v"))}])
        parser, reason_code = PARSERS[kind]
        value = parser(text)
        reason = _reasons(text, value, reason_code)
    return value.rename(column.name), reason.rename("reason")


def parse_frame(raw: pl.DataFrame, table: Table) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(typed frame, issues) from raw text columns named canonically, plus `__row__`.

    The typed frame has every column of `table` in contract order (absent ones as typed nulls), then
    `__row__`. Issues has one row per cell that did not parse (row_number, column_name, raw_value,
    reason), ordered by row, then by column. Columns of `raw` the table does not have are ignored.
    """
    if ROW not in raw.columns:  # a frame built in code rather than read from a file
        raw = raw.with_row_index(ROW, offset=2)
    rows = raw[ROW].cast(pl.Int64)
    # Columns parse independently and Polars releases the GIL while it works: parse them in parallel.
    present = [column for column in table.columns if column.name in raw.columns]
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        results = pool.map(lambda column: parse_column(raw[column.name], column), present)
        parsed = {column.name: result for column, result in zip(present, results, strict=True)}
    typed: list[pl.Series] = []
    issues: list[pl.DataFrame] = []
    for column in table.columns:
        if column.name not in parsed:
            typed.append(_nulls(column.name, raw.height, lake_dtype(column)))
            continue
        value, reason = parsed[column.name]
        typed.append(value)
        issues.append(_issue_rows(rows, column.name, raw[column.name].cast(pl.String), reason))
    frame = pl.DataFrame([*typed, rows.rename(ROW)])
    if not issues:
        return frame, pl.DataFrame(schema=ISSUE_SCHEMA)
    return frame, pl.concat(issues).sort("row_number", maintain_order=True)


# ---------------------------------------------------------------------------------------------
# Helpers shared by the parsers
# ---------------------------------------------------------------------------------------------
def _stages(values: pl.Series, stages: list[dict[str, pl.Expr]], result: str = "v") -> pl.Series:
    """Run named expressions stage by stage on a one-column frame {"v": values}; return `result`.

    Each stage may use the columns of the stages before it, so every intermediate (a regex match, a
    cleaned text) is computed once rather than once per expression that needs it.
    """
    frame = values.rename("v").to_frame().lazy()
    for stage in stages:
        frame = frame.with_columns(**stage)
    return frame.select(result).collect().to_series()


def _nulls(name: str, length: int, dtype: pl.DataType) -> pl.Series:
    return pl.repeat(None, length, dtype=dtype, eager=True).rename(name)


def _trimmed(text: pl.Expr) -> pl.Expr:
    """Surrounding whitespace removed, empty -> null: all that dates and numbers need."""
    stripped = text.str.strip_chars()
    return pl.when(stripped.str.len_bytes() > 0).then(stripped)


def _reasons(text: pl.Series, parsed: pl.Series, reason: str) -> pl.Series:
    """`reason` where there was text but nothing parsed, else null."""
    failed = text.is_not_null() & parsed.is_null()
    return pl.select(pl.when(failed).then(pl.lit(reason))).to_series().rename("reason")


def _issue_rows(rows: pl.Series, name: str, raw: pl.Series, reason: pl.Series) -> pl.DataFrame:
    if reason.null_count() == len(reason):  # the usual case: every cell parsed
        return pl.DataFrame(schema=ISSUE_SCHEMA)
    failed = reason.is_not_null()
    return pl.DataFrame(
        {
            "row_number": rows.filter(failed),
            "column_name": pl.repeat(name, int(failed.sum()), dtype=pl.String, eager=True),
            "raw_value": raw.filter(failed),
            "reason": reason.filter(failed),
        },
        schema=ISSUE_SCHEMA,
    )


# ---------------------------------------------------------------------------------------------
# Codes and yes/no: lookups over distinct values
# ---------------------------------------------------------------------------------------------
def boolean_forms() -> dict[str, bool]:
    """Folded yes/no form -> True/False."""
    forms = {fold_text(form): flag for flag, flag_forms in BOOLEAN_FORMS.items() for form in flag_forms}
    return forms


def lookup(raw: pl.Series, forms: dict[str, object], miss: str, dtype: pl.DataType) -> tuple[pl.Series, pl.Series]:
    """(mapped values, reasons): each raw value looked up by its folded text in `forms`.

    Values not found get the reason `miss`. A value folding to "" is empty (no reason) unless `forms`
    has a "" entry.
    """
    hits: dict[str, object] = {}
    misses: list[str] = []
    for value in raw.drop_nulls().unique().to_list():
        key = fold_text(value)
        if key in forms:
            hits[value] = forms[key]
        elif key:
            misses.append(value)
    return _replaced(raw, hits, dtype), _replaced(raw, dict.fromkeys(misses, miss), pl.String())


def _replaced(raw: pl.Series, mapping: dict[str, object], dtype: pl.DataType) -> pl.Series:
    """`raw.replace_strict(mapping, default=None)`; for the few distinct values a code or yes/no column
    has, as a chain of equality tests, several times faster than replace_strict's hash lookup."""
    if not mapping or len(mapping) > MAX_CHAINED_VALUES:
        return raw.replace_strict(list(mapping), list(mapping.values()), default=None, return_dtype=dtype)
    v = pl.col(raw.name)
    (first, target), *rest = mapping.items()
    chain = pl.when(v == first).then(pl.lit(target, dtype))
    for value, target in rest:
        chain = chain.when(v == value).then(pl.lit(target, dtype))
    return raw.to_frame().select(chain.alias(raw.name)).to_series()


# ---------------------------------------------------------------------------------------------
# Unit codes
# ---------------------------------------------------------------------------------------------
def unit_codes(text: pl.Series) -> pl.Series:
    """Unit codes as written, with department codes as `<2-digit province>.<SHORT>` (`1.stp` -> `01.STP`).

    Digit codes keep their length, because their length is their level: which unit a code names (and
    whether `1` lost its leading zeros) is decided on the row's date by etl/unit_resolution.py.
    """
    v = pl.col("v")
    department = pl.col("department").struct
    normalised = (
        pl.when(department.field("short").is_not_null())
        .then(
            pl.concat_str(
                department.field("province").str.zfill(2),
                pl.lit("."),
                department.field("short").str.to_uppercase(),
            )
        )
        .otherwise(v)
    )
    return _stages(text, [{"department": v.str.extract_groups(DEPARTMENT_CODE)}, {"v": normalised}])


# ---------------------------------------------------------------------------------------------
# Dates and timestamps
# ---------------------------------------------------------------------------------------------
def timestamps(text: pl.Series) -> pl.Series:
    """Datetime(us) from day-first, time-first, ISO or Excel-serial text; null where none fits.

    Values in the common day-first form are parsed directly; the rest as in `_timestamps_any_form`.
    """
    v = pl.col("v")
    common = v.str.strptime(pl.Datetime("us"), COMMON_DAY_FIRST_FORMAT, strict=False)
    value = text.rename("v").to_frame().select(pl.when(v.str.contains(COMMON_DAY_FIRST)).then(common)).to_series()
    rest = text.is_not_null() & value.is_null()
    if rest.any():
        value = value.scatter(rest.arg_true(), _timestamps_any_form(text.filter(rest)))
    return value


def _timestamps_any_form(text: pl.Series) -> pl.Series:
    """Datetime(us) from day-first, time-first, ISO or Excel-serial text; null where none fits.

    At most one of the three text patterns matches a value, so their parts are merged field by field,
    rebuilt as zero-padded ISO text and parsed strictly: impossible dates (31/02) and times (25:00,
    08:60) become null.
    """
    patterns = {"day_first": DAY_FIRST, "time_first": TIME_FIRST, "iso": ISO}

    def part(name: str) -> pl.Expr:
        fields = [pl.col(key).struct.field(name) for key, p in patterns.items() if name in re.compile(p).groupindex]
        return pl.coalesce(fields).alias(name)

    v = pl.col("v")
    hour, minute, second = (pl.col(n).fill_null("0").str.zfill(2) for n in ("H", "M", "S"))
    iso_text = pl.concat_str(
        pl.col("y"), pl.lit("-"), pl.col("m").str.zfill(2), pl.lit("-"), pl.col("d").str.zfill(2),
        pl.lit(" "), hour, pl.lit(":"), minute, pl.lit(":"), second,
    )  # fmt: skip
    parsed = iso_text.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
    micros = pl.col("f").str.slice(0, 6).str.pad_end(6, "0").cast(pl.Int64).fill_null(0)
    from_text = pl.when(second.cast(pl.Int64) <= 59).then(parsed) + pl.duration(microseconds=micros)
    return _stages(
        text,
        [
            {key: v.str.extract_groups(pattern) for key, pattern in patterns.items()},
            {name: part(name) for name in ("y", "m", "d", "H", "M", "S", "f", "tz")},
            {"text_time": from_text, "offset": pl.col("tz").str.extract_groups(UTC_OFFSET)},
            {
                "v": pl.coalesce(
                    pl.col("text_time") + _shift_to_vietnam(pl.col("tz"), pl.col("offset")),
                    _excel_serial(v),
                )
            },
        ],
    )


def dates(text: pl.Series) -> pl.Series:
    """Date from the same forms as `timestamps`; a time part is allowed and dropped."""
    return timestamps(text).dt.date()


def _shift_to_vietnam(tz: pl.Expr, offset: pl.Expr) -> pl.Expr:
    """Duration taking a time written with a UTC offset ("Z", "+07:00", "-0500") to Vietnam time."""
    sign = pl.when(offset.struct.field("sign") == "-").then(-1).otherwise(1)
    hours, minutes = offset.struct.field("hh").cast(pl.Int64), offset.struct.field("mm").cast(pl.Int64)
    written = pl.when(tz == "Z").then(0).otherwise((hours * 60 + minutes) * sign)
    return pl.duration(minutes=(VIETNAM_UTC_OFFSET_MINUTES - written).fill_null(0))


def _excel_serial(text: pl.Expr) -> pl.Expr:
    """Excel 1900-system serial day number (44927 = 2023-01-01, 44927.5 = 2023-01-01 12:00)."""
    low, high = EXCEL_SERIAL_RANGE
    serial = pl.when(text.str.contains(EXCEL_SERIAL)).then(
        text.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
    )
    seconds = pl.when((serial >= low) & (serial < high + 1)).then((serial * 86400).round(0).cast(pl.Int64))
    return pl.lit(EXCEL_EPOCH, dtype=pl.Datetime("us")) + pl.duration(seconds=seconds)


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------
def number_text(text: pl.Series) -> pl.DataFrame:
    """Columns `plain` (decimal text like "-1234.5") and `percent` (a trailing % was there).

    Which separator is the decimal one:
    - "." and "," both appear: the last one is decimal and the other groups digits in threes
      ("1.234,5" and "1,234.5" are 1234.5; "1.234.567,8" is 1234567.8);
    - one kind of separator only, between a first group of 1-3 digits (not starting with 0) and
      groups of exactly three digits: thousands ("1.234" and "1,234" are 1234; "1.234.567" is 1234567);
    - otherwise a single separator is decimal ("1234,5", "12,5", "1.5", "0.125", "1.2345").
    So "1.234" is one thousand two hundred and thirty-four: exports use Vietnamese digit grouping.
    Except where the column itself says otherwise: when other values of the same column use "." as the
    decimal mark ("2.5", "0.125", "1,234.5") and none uses ",", an ambiguous "2.085" is 2.085, not 2085
    (an English-format file of scores); and symmetrically "1,234" is 1.234 in a column that writes its
    decimals with commas ("12,5") and never with dots.
    (read_file renders typed spreadsheet and Parquet numbers so that this rule never misreads them.)
    Spaces around the number and before "%" are allowed; "−" (U+2212) is a minus sign.
    """
    digits_only = text.str.contains(r"^[0-9]+$").fill_null(False)  # "1234" is its own plain text
    frame = pl.DataFrame({"v": text, "digits_only": digits_only}).select(
        plain=pl.when("digits_only").then("v"), percent=pl.when("digits_only").then(False)
    )
    others = text.is_not_null() & ~digits_only  # digits alone never make a column's decimals "." or ","
    if others.any():
        general = _number_text_any_form(text.filter(others))
        positions = others.arg_true()
        frame = pl.DataFrame([frame[name].scatter(positions, general[name]) for name in ("plain", "percent")])
    return frame


def _number_text_any_form(text: pl.Series) -> pl.DataFrame:
    """`number_text` of non-empty values in any form."""
    v = pl.col("v")
    digits = pl.col("parts").struct.field("digits")
    dot_decimals = (
        (digits.str.contains(r"^\d*\.\d+$") & ~digits.str.contains(AMBIGUOUS_DOT))
        | digits.str.contains(r"^[1-9]\d{0,2}(?:,\d{3})+\.\d+$")
    ).any()
    comma_decimals = (
        (digits.str.contains(r"^\d*,\d+$") & ~digits.str.contains(AMBIGUOUS_COMMA))
        | digits.str.contains(r"^[1-9]\d{0,2}(?:\.\d{3})+,\d+$")
    ).any()
    plain = (
        pl.when(digits.str.contains(AMBIGUOUS_DOT) & dot_decimals & ~comma_decimals)
        .then(digits)
        .when(digits.str.contains(AMBIGUOUS_COMMA) & comma_decimals & ~dot_decimals)
        .then(digits.str.replace(",", ".", literal=True))
        .when(digits.str.contains(THOUSANDS_DOT))
        .then(digits.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(digits.str.contains(THOUSANDS_COMMA))
        .then(digits.str.replace_all(",", "", literal=True))
        .when(digits.str.contains(DECIMAL_COMMA))
        .then(digits.str.replace(",", ".", literal=True))
        .when(digits.str.contains(DECIMAL_DOT))
        .then(digits)
    )
    frame = text.rename("v").to_frame().lazy()
    frame = frame.with_columns(v=v.str.replace_all("\u2212", "-", literal=True))
    frame = frame.with_columns(percent=v.str.ends_with("%"))
    frame = frame.with_columns(v=pl.when("percent").then(v.str.strip_suffix("%").str.strip_chars()).otherwise(v))
    frame = frame.with_columns(parts=v.str.extract_groups(NUMBER))
    frame = frame.with_columns(plain=pl.concat_str(pl.col("parts").struct.field("sign"), plain))
    return frame.select("plain", "percent").collect()


def numbers(text: pl.Series) -> pl.Series:
    """Float64 from number text; percentages as fractions ("12,5%" -> 0.125)."""
    parts = number_text(text)
    # "98.9e-2" parses to the float nearest 0.989, where 98.9 / 100 gives 0.9890000000000001.
    scaled = pl.when("percent").then(pl.concat_str("plain", pl.lit("e-2"))).otherwise("plain")
    return parts.select(scaled.cast(pl.Float64, strict=False)).to_series()


def integers(text: pl.Series) -> pl.Series:
    """Int64 from number text that is a whole number ("1.234" -> 1234, "12,0" -> 12); else null.

    Whole numbers written without % are converted exactly, not through floating point.
    """
    parts = number_text(text)
    exact = pl.when(~pl.col("percent")).then(
        pl.col("plain").str.extract(r"^([+\-]?\d+)(?:\.0*)?$").cast(pl.Int64, strict=False)
    )
    value = numbers(text)
    whole = value.is_finite() & (value == value.floor()) & (value.abs() < 2**53)
    from_float = pl.select(pl.when(whole).then(value.cast(pl.Int64, strict=False))).to_series()
    return parts.select(pl.coalesce(exact, from_float)).to_series()


PARSERS: dict[str, tuple[Callable[[pl.Series], pl.Series], str]] = {
    "timestamp": (timestamps, "bad_date"),
    "date": (dates, "bad_date"),
    "number": (numbers, "bad_number"),
    "integer": (integers, "bad_number"),
}
