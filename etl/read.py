"""Read an export file (CSV, XLSX/XLS or Parquet) into a frame of raw text.

`read_file` is the first step of the ETL. It does not parse anything: every column comes back as text
exactly as the file holds it (typed spreadsheet and Parquet cells are rendered as text, see below), with
the file's header names, plus `__row__`, the row number a user sees when opening the file in Excel
(header row = 1 when it is the first row; title rows above the header are counted).

What it does normalise, so that later steps see one form of every text:
- Unicode NFC (Vietnamese text typed on macOS often arrives decomposed, NFD);
- non-breaking spaces become spaces, zero-width characters and stray byte-order marks are removed;
- surrounding whitespace is stripped and empty cells become null;
- rows in which every cell is empty are dropped (their numbers stay unused in `__row__`).

Anything it cannot read raises `ReadError`, whose message is one line naming the file and the reason.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

import polars as pl
import python_calamine

from etl.headers import header_keys

ROW = "__row__"  # the column holding the user-visible row number

HEADER_SEARCH_ROWS = 30  # the header row must lie among the first rows of a file
SNIFF_BYTES = 1 << 20  # how much of a CSV is decoded in Python to find its separator and header
SEPARATORS = (",", ";", "\t")  # in order of preference when a header line is ambiguous
UTF8_CHECK_CHUNK = 1 << 24

MAGIC_ZIP = b"PK\x03\x04"  # XLSX (and ODS) are ZIP archives
MAGIC_OLE = b"\xd0\xcf\x11\xe0"  # legacy XLS (and password-protected XLSX)
MAGIC_PARQUET = b"PAR1"

_INVISIBLE_CHARS = "\u200b\u200c\u200d\ufeff"  # zero-width spaces/joiners, BOM
_INVISIBLE = f"[{_INVISIBLE_CHARS}]"
# A float rendered as "1.234" would later read as one thousand two hundred and thirty-four (see
# etl/parse.py: a single separator followed by exactly three digits is a thousands separator).
# Typed numbers are therefore written with a fourth decimal in that one case: 1.234 -> "1.2340".
_LOOKS_LIKE_THOUSANDS = r"^(-?[1-9]\d{0,2}\.\d{3})$"


class ReadError(Exception):
    """The file could not be read at all. str() is one line: '<file>: cannot read: <reason>'."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = " ".join(str(reason).split())  # one line, whatever the cause said
        super().__init__(f"{self.path}: cannot read: {self.reason}")


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------
def read_file(path: Path | str, sheet: str | None = None, known_headers: Iterable[str] = ()) -> pl.DataFrame:
    """Every column of the file as pl.String, named by the file's headers, plus Int64 `__row__`.

    `known_headers` are folded header names (contract.fold_text; etl.headers.known_header_keys gives a
    table's). When given, the header is the first row among the first 30 in which at least two cells
    match one, so title rows above it ("UBND QUẬN ...", "BÁO CÁO ...") are skipped (and counted in
    `__row__`). Otherwise, or when no row matches, the header is the first non-blank row.
    `sheet` picks a worksheet of a workbook by name (default: the first sheet); other formats ignore it.
    """
    path = Path(path)
    known = frozenset(known_headers)
    try:
        kind = detect_format(path)
        if kind == "parquet":
            return _read_parquet(path)
        if kind in ("xlsx", "xls"):
            return _read_workbook(path, sheet, known)
        return _read_csv(path, known)
    except ReadError:
        raise
    except Exception as error:  # a reader's own message, kept to one line; never a traceback
        raise ReadError(path, f"{type(error).__name__}: {error}") from error


def detect_format(path: Path) -> str:
    """'xlsx', 'xls', 'parquet' or 'csv', from the file's first bytes (never only from its suffix)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise ReadError(path, "no such file") from None
    except IsADirectoryError:
        raise ReadError(path, "is a directory, not a file") from None
    except OSError as error:
        raise ReadError(path, error.strerror or str(error)) from None
    if not head:
        raise ReadError(path, "the file is empty")
    if head.startswith(MAGIC_ZIP):
        return "xlsx"
    if head.startswith(MAGIC_OLE):
        return "xls"
    if head.startswith(MAGIC_PARQUET):
        return "parquet"
    return "csv"


# ---------------------------------------------------------------------------------------------
# Shared steps: header row, header names, cell normalisation
# ---------------------------------------------------------------------------------------------
def clean_text(values: pl.Series) -> pl.Series:
    """NFC, NBSP -> space, zero-width characters removed, stripped; empty -> null.

    Only values with a non-ASCII character can need the Unicode fixes, and normalising is the slow
    part, so it runs on those values alone.
    """
    text = values.cast(pl.String)
    non_ascii = text.str.contains(r"[^\x00-\x7f]").fill_null(False)
    if non_ascii.any():
        fixed = (
            text.filter(non_ascii)
            .str.replace_all(_INVISIBLE, "")
            .str.replace_all("\u00a0", " ", literal=True)
            .str.normalize("NFC")
        )
        text = text.scatter(non_ascii.arg_true(), fixed)
    stripped = text.str.strip_chars()
    return stripped.set(stripped.str.len_bytes() == 0, None)


def unique_names(names: Sequence[str]) -> list[str]:
    """Make header names unique: a repeated "Name" becomes "Name__2", "Name__3"; blank ones "column_<n>"."""
    result: list[str] = []
    taken: set[str] = set()
    for position, name in enumerate(names, start=1):
        base = name or f"column_{position}"
        candidate, copy = base, 1
        while candidate in taken or candidate == ROW:
            copy += 1
            candidate = f"{base}__{copy}"
        taken.add(candidate)
        result.append(candidate)
    return result


def find_header_row(rows: Sequence[Sequence[str | None]], known: frozenset[str]) -> int:
    """0-based index of the header row among the first rows of a file.

    With known header names: the first row with at least two cells (one when only one name is known)
    that fold to a known name. Otherwise, or when no row qualifies: the first row with a non-blank cell.
    """
    first_rows = list(rows[:HEADER_SEARCH_ROWS])
    if known:
        needed = min(2, len(known))
        for index, row in enumerate(first_rows):
            if _known_cells(row, known) >= needed:
                return index
    for index, row in enumerate(first_rows):
        if any(cell and cell.strip() for cell in row):
            return index
    return 0


def _known_cells(row: Sequence[str | None], known: frozenset[str]) -> int:
    """How many cells of a row are known header names (matched like etl.headers matches them)."""
    return sum(1 for cell in row if cell and not known.isdisjoint(header_keys(cell)))


def _finish(frame: pl.DataFrame, headers: Sequence[str], first_data_row: int) -> pl.DataFrame:
    """Name the columns, normalise every cell, add `__row__`, drop blank rows and blank unnamed columns.

    `frame` holds the data rows only, in file order, with positional column names; `first_data_row`
    is the user-visible number of its first row.
    """
    names = [normalise_header(h) for h in headers]
    frame = frame.rename(dict(zip(frame.columns, unique_names(names), strict=True)))
    frame = pl.DataFrame(
        [clean_text(frame[c]).rename(c) for c in frame.columns],
        schema=dict.fromkeys(frame.columns, pl.String),
    )
    frame = frame.with_row_index(ROW, offset=0).with_columns((pl.col(ROW).cast(pl.Int64) + first_data_row).alias(ROW))
    values = [c for c in frame.columns if c != ROW]
    if values:
        frame = frame.filter(~pl.all_horizontal(pl.col(values).is_null()))
        # A column with neither a header nor any value is an artefact of formatting, not data.
        blank = [c for c, h in zip(values, names, strict=True) if not h and frame[c].null_count() == frame.height]
        frame = frame.drop(blank)
    return frame.select(*[c for c in frame.columns if c != ROW], ROW)


def normalise_header(name: str | None) -> str:
    """A header cell as a column name: cleaned like a cell; line breaks and runs of spaces -> one space."""
    if name is None:
        return ""
    for char in _INVISIBLE_CHARS:
        name = name.replace(char, "")
    return " ".join(unicodedata.normalize("NFC", name.replace("\u00a0", " ")).split())


# ---------------------------------------------------------------------------------------------
# CSV / text
# ---------------------------------------------------------------------------------------------
def _read_csv(path: Path, known: frozenset[str]) -> pl.DataFrame:
    data = _as_utf8(path, path.read_bytes())
    head = codecs.getincrementaldecoder("utf-8")().decode(data[:SNIFF_BYTES], final=False)
    if not head.strip():
        raise ReadError(path, "the file is empty")
    records = _first_records(head)
    separator, header_index = _sniff(records, known)
    # polars starts at the header row itself, so title rows never confuse its column count.
    header_offset = len(head[: records[header_index][0]].encode("utf-8"))
    try:
        frame = pl.read_csv(
            data[header_offset:],
            has_header=True,
            separator=separator,
            quote_char='"',
            infer_schema=False,
            truncate_ragged_lines=True,  # fewer fields -> nulls; fields beyond the header's are cut off
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as error:
        detail = " ".join(str(error).split()).split(" The current offset")[0][:200]
        raise ReadError(path, f"malformed CSV (a quote left open?): {detail}") from None
    header = _fields(records[header_index][1], separator)
    header = (header + [""] * frame.width)[: frame.width]  # exact header text, one name per column
    # Rows below the header are numbered by polars, which (like Excel) counts a blank line as a row
    # and keeps a quoted line break inside its row.
    return _finish(frame, header, first_data_row=header_index + 2)


def _as_utf8(path: Path, data: bytes) -> bytes:
    """The file's bytes as UTF-8 without BOM; UTF-16 (Excel "Unicode text") is converted."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as error:
            raise ReadError(path, f"damaged UTF-16 text ({error.reason} at byte {error.start})") from None
    if b"\x00" in data[:8192]:
        raise ReadError(path, f"not a CSV, XLSX or Parquet file (starts with bytes {data[:4].hex(' ')})")
    _check_utf8(path, data)
    return data


def _check_utf8(path: Path, data: bytes) -> None:
    """Refuse text that is not UTF-8, naming the first bad byte; chunked to keep memory flat."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(data), UTF8_CHECK_CHUNK):
        carried = len(decoder.getstate()[0])  # bytes of a character cut at the previous chunk's end
        try:
            decoder.decode(data[start : start + UTF8_CHECK_CHUNK], final=start + UTF8_CHECK_CHUNK >= len(data))
        except UnicodeDecodeError as error:
            offset = start - carried + error.start
            raise ReadError(
                path,
                f"not UTF-8 or UTF-16 text (byte 0x{data[offset : offset + 1].hex()} at offset {offset}); "
                "legacy encodings (TCVN3, VNI, Windows-1258) are not supported: save the file as "
                "CSV UTF-8 or as XLSX",
            ) from None


def _first_records(head: str) -> list[tuple[int, str]]:
    """(character offset, text) of the first rows of CSV text.

    A row ends at a line break outside quotes: while a row holds an odd number of '"', a line break
    is part of a quoted cell.
    """
    records: list[tuple[int, str]] = []
    start = position = quotes = 0
    while position < len(head) and len(records) < HEADER_SEARCH_ROWS:
        end = head.find("\n", position)
        end = len(head) if end < 0 else end + 1
        quotes += head.count('"', position, end)
        position = end
        if quotes % 2 == 0 or position == len(head):
            records.append((start, head[start:end]))
            start, quotes = end, 0
    return records


def _fields(record: str, separator: str) -> list[str]:
    """The cells of one CSV row (quotes respected); [] for a blank line."""
    try:
        return next(csv.reader(io.StringIO(record.rstrip("\r\n"), newline=""), delimiter=separator), [])
    except csv.Error:  # a damaged row counts as one cell
        return [record]


def _sniff(records: list[tuple[int, str]], known: frozenset[str]) -> tuple[str, int]:
    """(separator, 0-based header row) from the first rows of a CSV.

    Each candidate separator splits the rows (respecting quotes); the header row is found as in
    `find_header_row`. With known headers the separator whose header row holds the most known names
    wins; otherwise the one that splits the header row into the most fields. Ties keep `,`, then `;`.
    """
    best: tuple[tuple[int, int], str, int] | None = None
    for separator in SEPARATORS:
        rows = [_fields(text, separator) for _, text in records]
        index = find_header_row(rows, known)
        score = (_known_cells(rows[index], known), len(rows[index]))
        if best is None or score > best[0]:
            best = (score, separator, index)
    assert best is not None
    return best[1], best[2]


# ---------------------------------------------------------------------------------------------
# XLSX / XLS
# ---------------------------------------------------------------------------------------------
def _read_workbook(path: Path, sheet: str | None, known: frozenset[str]) -> pl.DataFrame:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    except python_calamine.CalamineError as error:
        raise ReadError(path, f"not a readable XLSX/XLS workbook (damaged or password-protected?): {error}") from None
    if not workbook.sheet_names:
        raise ReadError(path, "the workbook has no sheets")
    if sheet is None:
        worksheet = workbook.get_sheet_by_index(0)
    elif sheet in workbook.sheet_names:
        worksheet = workbook.get_sheet_by_name(sheet)
    else:
        available = ", ".join(repr(name) for name in workbook.sheet_names)
        raise ReadError(path, f"no sheet named {sheet!r}; the workbook has {available}")
    # skip_empty_area=False keeps the rows and columns above/left of the data, so row numbers are Excel's.
    rows = worksheet.to_python(skip_empty_area=False)
    if not any(cell != "" for row in rows for cell in row):
        raise ReadError(path, f"sheet {worksheet.name!r} is empty")
    texts = [[cell_text(cell) for cell in row] for row in rows[:HEADER_SEARCH_ROWS]]
    header_index = find_header_row(texts, known)
    header = [cell or "" for cell in texts[header_index]]
    body = rows[header_index + 1 :]
    frame = pl.DataFrame(
        [
            pl.Series(f"c{i}", [cell_text(row[i]) if i < len(row) else None for row in body], pl.String)
            for i in range(len(header))
        ]
    )
    return _finish(frame, header, first_data_row=header_index + 2)


def cell_text(value: object) -> str | None:
    """A typed spreadsheet cell as text: 123.0 -> "123", dates ISO, booleans "true"/"false", "" -> null."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") + (f".{value.microsecond:06d}" if value.microsecond else "")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


def float_text(value: float) -> str | None:
    """A float as plain decimal text: whole -> "123", else its shortest repr without exponent.

    The one form that would read as a thousands group later ("1.234") gets a fourth decimal ("1.2340").
    NaN is treated as empty.
    """
    if value != value:  # NaN
        return None
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    digits_after = len(text.split(".", 1)[1]) if "." in text else 0
    whole = text.lstrip("-").split(".", 1)[0]
    if digits_after == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0"):
        text += "0"
    return text


# ---------------------------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------------------------
def _read_parquet(path: Path) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(path)
    except Exception as error:
        raise ReadError(path, f"damaged Parquet file ({type(error).__name__}: {error})") from None
    texts = pl.DataFrame([_series_text(frame[c]) for c in frame.columns]) if frame.width else frame
    # A Parquet file has no header row in view; number rows as if it had one, like a CSV.
    return _finish(texts.rename({c: f"c{i}" for i, c in enumerate(texts.columns)}), frame.columns, 2)


def _series_text(series: pl.Series) -> pl.Series:
    """A typed Parquet column as text, in the same forms `cell_text` gives spreadsheet cells."""
    dtype = series.dtype
    column = pl.col(series.name)
    if dtype == pl.String:
        return series
    if dtype.is_float() or dtype.is_decimal():
        return _float_series_text(series)
    if dtype == pl.Datetime:
        whole_seconds = column.dt.truncate("1s") == column
        expr = (
            pl.when(whole_seconds)
            .then(column.dt.strftime("%Y-%m-%d %H:%M:%S"))
            .otherwise(column.dt.strftime("%Y-%m-%d %H:%M:%S%.6f"))
        )
        return series.to_frame().select(expr.alias(series.name)).to_series()
    if dtype.is_numeric() or dtype in (pl.Boolean, pl.Date, pl.Time, pl.Categorical, pl.Enum):
        return series.cast(pl.String)
    # Nested, binary or duration columns are rare in exports: render each value with Python's str().
    return pl.Series(series.name, [None if v is None else str(v) for v in series.to_list()], pl.String)


def _float_series_text(series: pl.Series) -> pl.Series:
    """Vectorised `float_text` for a float or decimal column (exponent forms fall back to Python)."""
    v = pl.col(series.name)
    if series.dtype.is_decimal():  # exact digits; whole values still lose their ".00"
        whole = v == v.floor()
        as_text = v.cast(pl.String)
    else:
        whole = v.is_finite() & (v == v.floor()) & (v.abs() < 2**63)
        as_text = pl.when(v.is_nan()).then(None).otherwise(v.cast(pl.String))
    text = (
        pl.when(whole)
        .then(v.cast(pl.Int64, strict=False).cast(pl.String))
        .otherwise(as_text.str.replace(_LOOKS_LIKE_THOUSANDS, "${1}0"))
    )
    result = series.to_frame().select(text).to_series()
    exponent = result.str.contains("e", literal=True).fill_null(False)
    if exponent.any():
        fixed = [float_text(float(x)) for x in series.filter(exponent).to_list()]
        result = result.scatter(exponent.arg_true(), pl.Series(fixed, dtype=pl.String))
    return result
