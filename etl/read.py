"""Read an export file (CSV, XLSX/XLS or Parquet) into frames of raw text, batch by batch.

`read_batches` is the first step of the ETL (`read_file` is the same, concatenated). It does not parse
anything: every column comes back as text exactly as the file holds it (typed spreadsheet and Parquet
cells are rendered as text, see below), with the file's header names, plus `__row__`, the row number a
user sees when opening the file in Excel (header row = 1 when it is the first row; title rows above the
header are counted), and `__extra__` (CSV: the text of fields beyond the header's last column, which
the validator quarantines: an unquoted separator inside a value shifts every field after it).

Memory stays flat whatever the file's size: a CSV is parsed in blocks of about `BATCH_BYTES`, cut at
row boundaries; workbooks and Parquet files are turned into frames `BATCH_ROWS` rows at a time.

What it normalises, so that later steps see one form of every text:
- encodings: a CSV's encoding is decided and converted in one place, `etl.vn_encodings.open_text` (UTF-8
  with or without BOM, UTF-16 from Excel's "Unicode text", and the legacy Vietnamese encodings
  Windows-1258, TCVN3 (ABC) and VNI Windows); cells typed with the old TCVN3/VNI fonts inside XLSX or
  UTF-8 files are converted cell by cell (`etl.vn_encodings.cell_fixer`);
- Unicode NFC (Vietnamese text typed on macOS often arrives decomposed, NFD);
- non-breaking spaces become spaces, zero-width characters and stray byte-order marks are removed;
- surrounding whitespace is stripped and empty cells become null;
- rows in which every cell is empty are dropped (their numbers stay unused in `__row__`);
- totals rows ("Tổng cộng", "Cộng", "Tổng số", "Total" as a row's first value) are skipped: they sum
  other rows and are not records. Each one is reported in the notes.

`notes` (a list the caller passes) receives one line per thing a user should know about the read:
an encoding converted, totals rows skipped, other sheets in a workbook, no data rows.

Anything it cannot read raises `ReadError`, whose message is one line naming the file and the reason:
empty files, binary files (named when recognised: PNG, PDF, ZIP, ...), HTML pages saved as ".xls",
damaged workbooks, text in no recognisable encoding, and CSV files that end in the middle of a row
(a truncated export is refused whole: the rows after the cut are missing and nothing says how many).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import polars as pl
import python_calamine

from etl import vn_encodings
from etl.headers import header_keys

ROW = "__row__"  # the column holding the user-visible row number
EXTRA = "__extra__"  # CSV: text beyond the header's last column (null when the row fits)

HEADER_SEARCH_ROWS = 30  # the header row must lie among the first rows of a file
SNIFF_BYTES = 1 << 20  # how much of a CSV is decoded at once to find its separator and header
SEPARATORS = (",", ";", "\t")  # in order of preference when a header line is ambiguous
READ_CHUNK = 4 << 20  # bytes read from disk at a time
BATCH_BYTES = 8 << 20  # CSV text parsed per batch (about 70,000 dossier rows)
BATCH_ROWS = 100_000  # workbook / Parquet rows per batch
MAX_ROW_BYTES = 64 << 20  # a single CSV row longer than this means a quote was left open
NOTE_ROWS = 5  # rows listed by number in a note before "and N more"

MAGIC_ZIP = b"PK\x03\x04"  # XLSX (and ODS) are ZIP archives
MAGIC_OLE = b"\xd0\xcf\x11\xe0"  # legacy XLS (and password-protected XLSX)
MAGIC_PARQUET = b"PAR1"
# Files people save with a .csv/.xlsx name that are not tables at all.
NOT_TABULAR = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive: decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive: extract it first"),
    (b"Rar!\x1a\x07", "a RAR archive: extract it first"),
    (b"\xfd7zXZ\x00", "an xz archive: decompress it first"),
    (b"\x7fELF", "a program, not data"),
    (b"{\\rtf", "an RTF document"),
)
SAVE_AS = "open it in Excel and save it as XLSX or CSV UTF-8"
_MARKUP = (
    ("<!doctype html", "an HTML page, not a spreadsheet (web systems often name HTML tables .xls)"),
    ("<html", "an HTML page, not a spreadsheet (web systems often name HTML tables .xls)"),
    ("<table", "an HTML table, not a spreadsheet (web systems often name HTML tables .xls)"),
    ("<?xml", "an XML file (Excel 2003 XML?), not CSV or XLSX"),
)

_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width spaces/joiners, word joiner, BOM
_INVISIBLE = f"[{_INVISIBLE_CHARS}]"
_NO_BREAK_SPACES = "[\u00a0\u2007\u202f]"  # become plain spaces
# Latin, combining diacritics, Vietnamese letters and general punctuation: Unicode blocks whose every
# code point was assigned by Unicode 5.1, so NFC treats them alike in every Unicode version in use.
_STABLE_BLOCKS = "\x00-\u024f\u0300-\u036f\u1e00-\u1eff\u2010-\u2027\u2030-\u205e"
# A float rendered as "1.234" would later read as one thousand two hundred and thirty-four (see
# etl/parse.py: a single separator followed by exactly three digits is a thousands separator).
# Typed numbers are therefore written with a fourth decimal in that one case: 1.234 -> "1.2340".
_LOOKS_LIKE_THOUSANDS = r"^(-?[1-9]\d{0,2}\.\d{3})$"
# A totals row: its first value is one of these labels, optionally with ":" and a count or remark.
TOTALS_LABEL = (
    r"(?i)^(?:tổng\s+cộng|tổng\s+số|tổng|cộng|tong\s+cong|tong\s+so|total|grand\s+total|sum)"
    r"\s*:?\s*(?:\([^)]*\))?\s*[\d.,\s]*$"
)


class ReadError(Exception):
    """The file could not be read at all. str() is one line: '<file>: cannot read: <reason>'."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = " ".join(str(reason).split())  # one line, whatever the cause said
        super().__init__(f"{self.path}: cannot read: {self.reason}")


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------
def read_file(
    path: Path | str, sheet: str | None = None, known_headers: Iterable[str] = (), notes: list[str] | None = None
) -> pl.DataFrame:
    """The whole file as one frame (see `read_batches`); `__extra__` is left out when every row fits."""
    batches = list(read_batches(path, sheet=sheet, known_headers=known_headers, notes=notes))
    frame = pl.concat(batches) if len(batches) > 1 else batches[0]
    if frame[EXTRA].null_count() == frame.height:
        frame = frame.drop(EXTRA)
    return frame


def read_batches(
    path: Path | str,
    sheet: str | None = None,
    known_headers: Iterable[str] = (),
    notes: list[str] | None = None,
    batch_bytes: int | None = None,
    batch_rows: int | None = None,
) -> Iterator[pl.DataFrame]:
    """Frames of the file's rows in file order, each: every column as pl.String named by the file's
    headers, then String `__extra__`, then Int64 `__row__`. At least one frame, even without rows.

    `known_headers` are folded header names (contract.fold_text; etl.headers.known_header_keys gives a
    table's). When given, the header is the first row among the first 30 in which at least two cells
    match one, so title rows above it ("UBND QUẬN ...", "BÁO CÁO ...") are skipped (and counted in
    `__row__`). Otherwise, or when no row matches, the header is the first non-blank row.
    `sheet` picks a worksheet of a workbook by name (default: the first visible sheet); other formats
    ignore it. A `ReadError` may come after some frames were produced (a CSV cut short is only seen at
    its end): the caller must then discard the file's frames.
    """
    path = Path(path)
    known = frozenset(known_headers)
    notes = notes if notes is not None else []
    batch_bytes = batch_bytes or BATCH_BYTES
    batch_rows = batch_rows or BATCH_ROWS
    try:
        kind = detect_format(path)
        if kind == "parquet":
            batches = _parquet_batches(path, notes, batch_rows)
        elif kind in ("xlsx", "xls"):
            batches = _workbook_batches(path, sheet, known, notes, batch_rows)
        else:
            batches = _csv_batches(path, known, notes, batch_bytes)
        yield from batches
    except ReadError:
        raise
    except vn_encodings.EncodingError as error:  # the text's encoding: its own message
        raise ReadError(path, str(error)) from None
    except Exception as error:  # a reader's own message, kept to one line; never a traceback
        raise ReadError(path, f"{type(error).__name__}: {error}") from error


def read_ahead(batches: Generator[pl.DataFrame, None, None]) -> Iterator[pl.DataFrame]:
    """The frames of `batches` (read_batches), the next one read in a background thread while the caller
    works on the current one, so that reading and the caller's work run on different cores. Holds at most
    one frame more than the caller; errors surface where they did, in order.

    The first frame is handed over before anything more is read: a caller deciding on it (refusing a file
    whose header lacks a column) sees the reader's notes as a sequential read leaves them.
    """
    try:
        first = next(batches, None)
        if first is None:
            return
        yield first
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead") as pool:
            upcoming = pool.submit(next, batches, None)
            while (batch := upcoming.result()) is not None:
                upcoming = pool.submit(next, batches, None)
                yield batch
    finally:
        batches.close()  # once the thread is done: a file abandoned midway is closed at once


def detect_format(path: Path) -> str:
    """'xlsx', 'xls', 'parquet' or 'csv', from the file's first bytes (never only from its suffix).

    Files that are recognisably something else (images, PDF, archives, a ZIP that is no workbook)
    are refused here, by name.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        raise ReadError(path, "no such file") from None
    except IsADirectoryError:
        raise ReadError(path, "is a directory, not a file") from None
    except OSError as error:
        raise ReadError(path, error.strerror or str(error)) from None
    if not head:
        raise ReadError(path, "the file is empty")
    if head.startswith(MAGIC_ZIP):
        _check_workbook_zip(path)
        return "xlsx"
    if head.startswith(MAGIC_OLE):
        return "xls"
    if head.startswith(MAGIC_PARQUET):
        return "parquet"
    for magic, what in NOT_TABULAR:
        if head.startswith(magic):
            raise ReadError(path, f"not a CSV, XLSX or Parquet file: it is {what}")
    return "csv"


def _check_workbook_zip(path: Path) -> None:
    """A ZIP file must be a workbook (XLSX, or ODS which calamine reads too)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ReadError(path, f"a damaged XLSX/ZIP file (truncated download?): {error}") from None
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names or "content.xml" in names:
        return
    if "word/document.xml" in names:
        raise ReadError(path, "a Word document (DOCX), not a workbook")
    if any(name.startswith("ppt/") for name in names):
        raise ReadError(path, "a PowerPoint file (PPTX), not a workbook")
    listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    raise ReadError(path, f"a ZIP archive, not an XLSX workbook (it holds: {listed or 'nothing'}); extract it first")


# ---------------------------------------------------------------------------------------------
# Shared steps: header row, header names, cell normalisation, finishing a batch
# ---------------------------------------------------------------------------------------------
def clean_text(values: pl.Series) -> pl.Series:
    """NFC, NBSP -> space, zero-width characters removed, stripped; empty -> null.

    Only values with a non-ASCII character can need the Unicode fixes, and normalising is the slow
    part, so it runs on those values alone, and only when some value would change.
    """
    text = values.cast(pl.String)
    if _unicode_fixes_may_change(text):
        non_ascii = text.str.contains(r"[^\x00-\x7f]").fill_null(False)
        fixed = (
            text.filter(non_ascii)
            .str.replace_all(_INVISIBLE, "")
            .str.replace_all(_NO_BREAK_SPACES, " ")
            .str.normalize("NFC")
        )
        text = text.scatter(non_ascii.arg_true(), fixed)
    stripped = text.str.strip_chars()
    return stripped.set(stripped.str.len_bytes() == 0, None)


def _unicode_fixes_may_change(text: pl.Series) -> bool:
    """False when no value can change under clean_text's Unicode fixes: the text is ASCII, or it has no
    invisible or non-breaking character and is already NFC (the common case, and a cheap check).

    Whether text is NFC is asked of Python, on the distinct values, and only when every character
    lies in `_STABLE_BLOCKS`, where Python's and Polars' NFC agree whatever Unicode version each has.
    """
    if text.str.len_bytes().sum() == text.str.len_chars().sum():
        return False  # ASCII only: one byte per character
    distinct = text.drop_nulls().unique()
    if distinct.str.contains(f"{_INVISIBLE}|{_NO_BREAK_SPACES}|[^{_STABLE_BLOCKS}]").any():
        return True
    # "\n" never combines with a neighbour, so the joined text is NFC exactly when every value is.
    return not unicodedata.is_normalized("NFC", distinct.str.join("\n").item())


def unique_names(names: Sequence[str]) -> list[str]:
    """Make header names unique: a repeated "Name" becomes "Name__2", "Name__3"; blank ones "column_<n>"."""
    result: list[str] = []
    taken: set[str] = set()
    for position, name in enumerate(names, start=1):
        base = name or f"column_{position}"
        candidate, copy = base, 1
        while candidate in taken or candidate in (ROW, EXTRA):
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
    return sum(1 for cell in row if cell and _is_known(cell, known))


def _is_known(cell: str, known: frozenset[str]) -> bool:
    return not known.isdisjoint(header_keys(cell))


def header_names(rows: Sequence[Sequence[str | None]], index: int, known: frozenset[str]) -> tuple[list[str], int]:
    """(column names, header rows below `index` that belong to the header: 0 or 1).

    Reports often have two header rows: a group name merged over several columns ("Thời gian") above
    the column names ("Ngày tiếp nhận", "Ngày hẹn trả"), and names merged down over both rows ("Mã hồ
    sơ") that appear only in the upper row. So:
    - a known name in the row above the header fills a blank cell below it;
    - when the row below holds at least two known names, alone or after the group name above them
      ("Ngày" + "tiếp nhận"), it is a second header row: its names win, and data starts after it.
    """
    header = [normalise_header(cell) for cell in rows[index]]
    if index > 0:
        above = [normalise_header(cell) for cell in rows[index - 1]]
        for column, name in enumerate(above[: len(header)]):
            if name and not header[column] and _is_known(name, known):
                header[column] = name
    if not known or index + 1 >= len(rows):
        return header, 0
    below = [normalise_header(cell) for cell in rows[index + 1]]
    combined, hits, group = [], 0, ""
    for column in range(max(len(header), len(below))):
        upper = header[column] if column < len(header) else ""
        lower = below[column] if column < len(below) else ""
        group = upper or group  # a merged group name is in its first column only
        choice = upper
        for candidate in (lower, f"{group} {lower}") if lower else ():
            if _is_known(candidate, known):
                choice, hits = candidate, hits + 1
                break
        combined.append(choice)
    return (combined, 1) if hits >= 2 else (header, 0)


def normalise_header(name: str | None) -> str:
    """A header cell as a column name: cleaned like a cell; line breaks and runs of spaces -> one space."""
    if name is None:
        return ""
    for char in _INVISIBLE_CHARS:
        name = name.replace(char, "")
    for space in "\u00a0\u2007\u202f":
        name = name.replace(space, " ")
    return " ".join(unicodedata.normalize("NFC", name).split())


@dataclass
class _Layout:
    """What every batch of one file shares: column names, which columns to keep, text fixes, and what
    was noticed on the way (reported in the notes at the end)."""

    headers: list[str]  # header cells as found (normalised), one per column
    cell_fix: Callable[[str], str] = vn_encodings.no_fix  # applied to each distinct non-ASCII cell value
    names: list[str] = field(default_factory=list)
    keep: list[int] | None = None  # decided on the first batch
    rows: int = 0  # data rows produced
    totals: list[tuple[int, str]] = field(default_factory=list)
    ignored_values: set[str] = field(default_factory=set)  # unnamed columns dropped, values seen later

    def __post_init__(self) -> None:
        self.names = unique_names(self.headers)

    def finish(self, frame: pl.DataFrame, first_row: int) -> pl.DataFrame:
        """Positional columns (c0, c1, ... and optionally the overflow column) -> the batch frame.

        `frame` holds the data rows only, in file order; `first_row` is the user-visible number of
        its first row.
        """
        width = len(self.names)
        columns = []
        for index in range(width):
            if index < frame.width:
                columns.append(self._clean(frame.to_series(index)).rename(self.names[index]))
            else:
                columns.append(pl.repeat(None, frame.height, dtype=pl.String, eager=True).rename(self.names[index]))
        extra = (
            clean_text(frame.to_series(width)).rename(EXTRA)
            if frame.width > width
            else pl.repeat(None, frame.height, dtype=pl.String, eager=True).rename(EXTRA)
        )
        rows = pl.int_range(first_row, first_row + frame.height, dtype=pl.Int64, eager=True).rename(ROW)
        batch = pl.DataFrame([*columns, extra, rows])
        if width:
            batch = batch.filter(~pl.all_horizontal(pl.col([*self.names, EXTRA]).is_null()))
        if self.keep is None:
            # A column with neither a header nor any value is an artefact of formatting, not data.
            named = zip(self.headers, self.names, strict=True)
            self.keep = [i for i, (h, n) in enumerate(named) if h or batch[n].null_count() < batch.height]
        for index in range(width):
            if index not in self.keep and batch[self.names[index]].null_count() < batch.height:
                self.ignored_values.add(f"column {index + 1}")
        batch = batch.select(*[self.names[i] for i in self.keep], EXTRA, ROW)
        batch = self._skip_totals(batch)
        self.rows += batch.height
        return batch

    def _clean(self, values: pl.Series) -> pl.Series:
        text = clean_text(values)
        if self.cell_fix is vn_encodings.no_fix:
            return text
        candidates = text.filter(text.str.contains(r"[^\x00-\x7f]").fill_null(False)).unique()
        mapping = {}
        for value in candidates.to_list():
            fixed = self.cell_fix(value)
            if fixed != value:
                mapping[value] = fixed
        return text.replace(mapping) if mapping else text

    def _skip_totals(self, batch: pl.DataFrame) -> pl.DataFrame:
        values = [c for c in batch.columns if c not in (ROW, EXTRA)]
        if not values or not batch.height:
            return batch
        first = pl.coalesce(pl.col(values))
        is_total = first.str.contains(TOTALS_LABEL).fill_null(False)
        found = batch.filter(is_total).select(ROW, first.alias("label"))
        if found.height:
            self.totals.extend(found.iter_rows())
            batch = batch.filter(~is_total)
        return batch

    def report(self, notes: list[str]) -> None:
        if self.totals:
            count = len(self.totals)
            listed = ", ".join(f"row {row} {label!r}" for row, label in self.totals[:NOTE_ROWS])
            more = f" and {count - NOTE_ROWS} more" if count > NOTE_ROWS else ""
            notes.append(f"skipped {count} totals row{'s' if count > 1 else ''} (not records): {listed}{more}")
        if self.ignored_values:
            notes.append(f"values in columns without a header ignored: {', '.join(sorted(self.ignored_values))}")
        if not self.rows:
            notes.append("no data rows below the header")


# ---------------------------------------------------------------------------------------------
# CSV / text
# ---------------------------------------------------------------------------------------------
def _first_invalid_utf8(path: Path, skip: int) -> tuple[int, int] | None:
    """(offset, byte) of the file's first byte after `skip` that is not UTF-8, read as the CSV reader reads."""
    return vn_encodings.first_invalid_utf8(path, skip, READ_CHUNK)


def _csv_batches(path: Path, known: frozenset[str], notes: list[str], batch_bytes: int) -> Iterator[pl.DataFrame]:
    text = vn_encodings.open_text(path, notes, READ_CHUNK, SNIFF_BYTES)
    head = text.head
    if not head.strip():
        raise ReadError(path, "the file is empty")
    start = head.lstrip()[:64].lower()  # enough for the markup prefixes; the head is megabytes long
    for prefix, what in _MARKUP:
        if start.startswith(prefix):
            raise ReadError(path, f"{what}: {SAVE_AS}")
    line_end = "\n"
    if "\n" not in head and "\r" in head:
        line_end = "\r"  # classic Mac line ends
    records = _first_records(head, line_end)
    cell_fix = text.cell_fix
    separator, header_index = _sniff(records, known, cell_fix)
    top = [[cell_fix(normalise_header(f)) for f in _fields(text, separator)] for _, text in records]
    header, second = header_names(top, header_index, known)
    header_start, header_text = records[header_index + second]
    layout = _Layout(header, cell_fix=cell_fix)
    data_offset = len(head[: header_start + len(header_text)].encode("utf-8"))
    positional = [f"c{i}" for i in range(len(header) + 1)]  # one more: fields beyond the header
    first_row = header_index + second + 2  # 1-based: the header row is header_index + 1
    chunks = _skip_bytes(text.utf8_chunks(), data_offset)
    for block, final in _record_blocks(path, chunks, batch_bytes, line_end):
        if final:
            _check_not_truncated(path, block, separator, positional, _named_width(header), line_end, first_row)
        frame = _parse_block(path, block, separator, positional, line_end)
        yield layout.finish(frame, first_row)
        first_row += frame.height
    layout.report(notes)


def _skip_bytes(chunks: Iterator[bytes], count: int) -> Iterator[bytes]:
    for chunk in chunks:
        if count >= len(chunk):
            count -= len(chunk)
            continue
        yield chunk[count:]
        count = 0


def _record_blocks(
    path: Path, chunks: Iterator[bytes], batch_bytes: int, line_end: str
) -> Iterator[tuple[bytes, bool]]:
    """(block, is_last) with whole rows only: each block ends at a line end outside quotes.

    Quotes are counted, as RFC 4180 writes them (a quote inside a quoted cell is doubled), so a line
    end is outside quotes when the number of '"' before it is even. Polars counts the same way.
    """
    pending = b""
    eol = line_end.encode()
    for chunk in chunks:
        pending += chunk
        while len(pending) >= batch_bytes:
            cut = _last_row_end(pending, eol)
            if cut <= 0:
                if len(pending) > MAX_ROW_BYTES:
                    raise ReadError(
                        path,
                        f'a row longer than {MAX_ROW_BYTES >> 20} MB: a quote (") is probably left open; '
                        "the file is damaged",
                    )
                break
            yield pending[:cut], False
            pending = pending[cut:]
    yield pending, True


def _last_row_end(data: bytes, eol: bytes) -> int:
    """Index just after the last line end outside quotes in `data` (which starts a row), or -1."""
    total = data.count(b'"')
    position = data.rfind(eol)
    after = 0  # quotes after `position`
    end = len(data)
    while position >= 0:
        after += data.count(b'"', position + 1, end)
        if (total - after) % 2 == 0:
            return position + 1
        end = position + 1
        position = data.rfind(eol, 0, position)
    return -1


def _named_width(header: list[str]) -> int:
    """Header cells up to the last one with a name (a trailing separator names no column)."""
    return max((i + 1 for i, name in enumerate(header) if name), default=len(header))


def _check_not_truncated(
    path: Path, block: bytes, separator: str, positional: list[str], width: int, line_end: str, first_row: int
) -> None:
    """Refuse a CSV whose last row was cut: a quote left open, or a last line without a line end that
    has fewer fields than the header. `block` is the file's last block, whose first row is `first_row`."""
    eol = line_end.encode()
    open_quote = block.count(b'"') % 2 == 1
    if not open_quote and (not block.strip() or block.endswith(eol)):
        return
    cut = max(_last_row_end(block, eol), 0)
    row = first_row + _parse_block(path, block[:cut], separator, positional, line_end).height
    if open_quote:
        raise ReadError(
            path,
            f'a quote (") opened in row {row} is never closed: the file looks truncated or damaged; export it again',
        )
    fields = _fields(block[cut:].decode("utf-8", errors="replace"), separator)
    if 0 < len(fields) < width:
        raise ReadError(
            path,
            f"the file looks truncated: its last line (row {row}) ends without a line break and has "
            f"{len(fields)} of {width} fields; export it again",
        )


def _parse_block(path: Path, block: bytes, separator: str, positional: list[str], line_end: str) -> pl.DataFrame:
    if not block:
        return pl.DataFrame(schema=dict.fromkeys(positional, pl.String))
    try:
        return pl.read_csv(
            block,
            has_header=False,
            schema=dict.fromkeys(positional, pl.String),
            separator=separator,
            quote_char='"',
            eol_char=line_end,
            missing_columns="insert",
            extra_columns="ignore",
            truncate_ragged_lines=True,  # fewer fields -> nulls; beyond the overflow column: cut off
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as error:
        detail = " ".join(str(error).split()).split(" The current offset")[0][:200]
        raise ReadError(path, f"malformed CSV (a quote left open?): {detail}") from None


def _first_records(head: str, line_end: str = "\n") -> list[tuple[int, str]]:
    """(character offset, text) of the first rows of CSV text.

    A row ends at a line break outside quotes: while a row holds an odd number of '"', a line break
    is part of a quoted cell.
    """
    records: list[tuple[int, str]] = []
    start = position = quotes = 0
    while position < len(head) and len(records) < HEADER_SEARCH_ROWS:
        end = head.find(line_end, position)
        end = len(head) if end < 0 else end + 1
        quotes += head.count('"', position, end)
        position = end
        if quotes % 2 == 0 or position == len(head):
            records.append((start, head[start:end]))
            start, quotes = end, 0
    return records or [(0, head)]


def _fields(record: str, separator: str) -> list[str]:
    """The cells of one CSV row (quotes respected); [] for a blank line."""
    try:
        return next(csv.reader(io.StringIO(record.rstrip("\r\n"), newline=""), delimiter=separator), [])
    except csv.Error:  # a damaged row counts as one cell
        return [record]


def _sniff(
    records: list[tuple[int, str]], known: frozenset[str], cell_fix: Callable[[str], str] = vn_encodings.no_fix
) -> tuple[str, int]:
    """(separator, 0-based header row) from the first rows of a CSV.

    Each candidate separator splits the rows (respecting quotes); the header row is found as in
    `find_header_row`. With known headers the separator whose header row holds the most known names
    wins; otherwise the one that splits the header row into the most fields. Ties keep `,`, then `;`.
    """
    best: tuple[tuple[int, int], str, int] | None = None
    for separator in SEPARATORS:
        rows = [[cell_fix(normalise_header(f)) for f in _fields(text, separator)] for _, text in records]
        index = find_header_row(rows, known)
        score = (_known_cells(rows[index], known), len(rows[index]))
        if best is None or score > best[0]:
            best = (score, separator, index)
    assert best is not None
    return best[1], best[2]


# ---------------------------------------------------------------------------------------------
# XLSX / XLS
# ---------------------------------------------------------------------------------------------
def _workbook_batches(
    path: Path, sheet: str | None, known: frozenset[str], notes: list[str], batch_rows: int
) -> Iterator[pl.DataFrame]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.CalamineError as error:
        raise ReadError(path, f"not a readable XLSX/XLS workbook (damaged or password-protected?): {error}") from None
    if not workbook.sheet_names:
        raise ReadError(path, "the workbook has no sheets")
    if sheet is None:
        visible = [
            m.name
            for m in workbook.sheets_metadata
            if str(m.visible).endswith("Visible") and str(m.typ).endswith("WorkSheet")
        ] or list(workbook.sheet_names)
        chosen = visible[0]
        others = [name for name in workbook.sheet_names if name != chosen]
        if others:
            listed = ", ".join(repr(name) for name in others)
            notes.append(f"read sheet {chosen!r}; the workbook also has {listed} (choose one with --sheet)")
    elif sheet in workbook.sheet_names:
        chosen = sheet
    else:
        available = ", ".join(repr(name) for name in workbook.sheet_names)
        raise ReadError(path, f"no sheet named {sheet!r}; the workbook has {available}")
    worksheet = workbook.get_sheet_by_name(chosen)
    # iter_rows keeps the rows and columns above/left of the data, so row numbers are Excel's.
    rows = iter(worksheet.iter_rows())
    first: list[list[str | None]] = []
    for row in rows:
        first.append([cell_text(cell) for cell in row])
        if len(first) >= batch_rows:
            break
    if not any(cell for row in first for cell in row):
        raise ReadError(path, f"sheet {worksheet.name!r} is empty")
    cell_fix = vn_encodings.cell_fixer((cell for row in first[:5000] for cell in row if cell), notes)
    fixed_top = [[cell_fix(normalise_header(c)) if c else c for c in row] for row in first[:HEADER_SEARCH_ROWS]]
    header_index = find_header_row(fixed_top, known)
    header, second = header_names(fixed_top, header_index, known)
    header_index += second
    layout = _Layout(header, cell_fix=cell_fix)
    width = len(header)
    first_row = header_index + 2

    def frame_of(body: list[list[str | None]]) -> pl.DataFrame:
        return pl.DataFrame(
            [pl.Series(f"c{i}", [row[i] if i < len(row) else None for row in body], pl.String) for i in range(width)]
        )

    body = first[header_index + 1 :]
    yield layout.finish(frame_of(body), first_row)
    first_row += len(body)
    while True:
        body = []
        for row in rows:
            body.append([cell_text(cell) for cell in row])
            if len(body) >= batch_rows:
                break
        if not body:
            break
        yield layout.finish(frame_of(body), first_row)
        first_row += len(body)
    layout.report(notes)


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
def _parquet_batches(path: Path, notes: list[str], batch_rows: int) -> Iterator[pl.DataFrame]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
        names = parquet.schema_arrow.names
    except Exception as error:
        raise ReadError(path, f"damaged Parquet file ({type(error).__name__}: {error})") from None
    # A Parquet file has no header row in view; number rows as if it had one, like a CSV.
    layout = _Layout([normalise_header(n) for n in names])
    first_row = 2
    produced = False
    try:
        for record_batch in parquet.iter_batches(batch_size=batch_rows):
            frame = pl.from_arrow(record_batch)
            assert isinstance(frame, pl.DataFrame)
            texts = pl.DataFrame([_series_text(frame[c]).rename(f"c{i}") for i, c in enumerate(frame.columns)])
            produced = True
            yield layout.finish(texts, first_row)
            first_row += frame.height
    except Exception as error:
        raise ReadError(path, f"damaged Parquet file ({type(error).__name__}: {error})") from None
    if not produced:
        yield layout.finish(pl.DataFrame(schema={f"c{i}": pl.String for i in range(len(names))}), first_row)
    layout.report(notes)


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
