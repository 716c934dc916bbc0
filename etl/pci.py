"""Reader for VCCI's yearly PCI workbooks, in every layout they were published in (2005 on).

The layouts differ from year to year (data/reference/pci/SOURCE.md):
- one row per province, a column per measure: 2005 (ranks on a second sheet), 2006, 2007, 2009, and
  2017 on (sheet `Summary`: Province, Rank, the weighted PCI, sub-indices 1–10);
- a province column before every measure, each pair sorted by that measure: 2008, 2010–2016 (the
  Vietnamese summary sheet; the English `Summary` sheet of the 2014–2016 workbooks is a stale copy of
  2013 and is skipped because its header names another year).

So nothing is read by position. `read_pci_workbook` looks at every sheet, finds the header rows above
the first row of numbers, reads each column's header (all header rows of the column joined) and
classifies it with `classify` (`MEASURES`: Vietnamese and English keywords of each sub-index and of the
weighted index; also rank, unweighted total, tier, order, province). A measure column's province is the
sheet's only province column, or in paired layouts the nearest province column to its left. The summary
sheet is the one with the most measures recognised (and a header year, when it has one, equal to the
workbook's); when it has no rank column, the rank is taken from another sheet listing the same weighted
scores with a rank (2005), else from the row order of a table sorted by the weighted index (2006, 2008).

Rows: from the first row of numbers to the first blank row, or the first row whose province cell is
empty or a label (Min, Max, Median, Trung vị, Xếp hạng, Thứ tự). What follows (a province repeated or
highlighted, Min/Median/Max) is not a province and is not read; the load summary says how many rows
were left. Later workbooks following the 2017–2018 layout read the same way.

The year: the 4-digit year in the file name (PCI_2019.xlsx), else the header's "PCI <year>".

Output: the long rows of `pci_scores` as text (the normal parse and validate steps type them), plus
`__row__`: the Excel row of the province in the weighted index's column, for all of its values (one
province is one row of the load: quarantined whole, its values each with its raw record). Provinces
keep the workbook's spelling (`province_name_published`); `prepare` matches them to the units valid in
the year (etl/unit_names.py).
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import python_calamine

from etl.unit_names import Resolved, UnitNames, fold_name, issue, year_end

ROW = "__row__"
TOTAL_CODE = "pci"

# code, level, Vietnamese name, English name, keyword groups (folded; a group matches when every word
# of it is in the header). Checked in this order: the first match wins.
MEASURES: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("entry_costs", "sub_index", "Chi phí gia nhập thị trường", "Entry costs",
     ("gia nhap", "entry")),
    ("land_access", "sub_index", "Tiếp cận đất đai", "Land access and security of tenure",
     ("dat dai", "land")),
    ("transparency", "sub_index", "Tính minh bạch", "Transparency and access to information",
     ("minh bach", "transparency")),
    ("time_costs", "sub_index", "Chi phí thời gian", "Time costs and regulatory compliance",
     ("thoi gian", "time cost", "regulatory compliance")),
    ("informal_charges", "sub_index", "Chi phí không chính thức", "Informal charges",
     ("khong chinh thuc", "informal")),
    ("policy_implementation", "sub_index", "Thực hiện chính sách của Trung ương",
     "Implementation and consistency of central policies", ("thuc hien chinh sach", "thuc hien cs", "implementation")),
    ("soe_bias", "sub_index", "Ưu đãi đối với doanh nghiệp nhà nước", "SOE bias",
     ("dnnn", "doanh nghiep nha nuoc", "soe")),
    ("policy_bias", "sub_index", "Cạnh tranh bình đẳng", "Policy bias",
     ("canh tranh binh dang", "bias")),
    ("proactivity", "sub_index", "Tính năng động của chính quyền tỉnh", "Proactivity of provincial leadership",
     ("nang dong", "proactiv")),
    ("business_support", "sub_index", "Dịch vụ hỗ trợ doanh nghiệp", "Business support services",
     ("ho tro", "business support", "bss", "chinh sach phat trien", "phat trien khu vuc", "private sector",
      "csptkvkttn")),
    ("labor_training", "sub_index", "Đào tạo lao động", "Labour and training",
     ("lao dong", "labor", "labour")),
    ("legal_institutions", "sub_index", "Thiết chế pháp lý", "Legal institutions",
     ("phap ly", "legal", "law")),
)  # fmt: skip
TOTAL_NAMES = ("Chỉ số PCI (có trọng số)", "PCI (weighted)")
MEASURE_NAMES = {code: (vi, en) for code, _level, vi, en, _words in MEASURES} | {TOTAL_CODE: TOTAL_NAMES}

# Labels in a province cell that end the province table.
_STOP_LABELS = {"min", "max", "median", "trung vi", "trung binh", "mean", "average", "xep hang", "thu tu", "ranking"}
_YEAR_IN_HEADER = re.compile(r"\bpci\s+(\d{4})\b")
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


class PciReadError(ValueError):
    """The workbook has no sheet a PCI table can be read from, or its year cannot be told."""


def _words_in(header: str, group: str) -> bool:
    tokens = header.split()
    words = group.split()
    return all(any(t.startswith(w) for t in tokens) for w in words) if len(words) == 1 else group in header


def classify(header: str) -> str | None:
    """What a column is, from its folded header: a measure code, or rank, unweighted, tier, order,
    province, ignore (region, traditional conditions, a code); None when the header is empty."""
    h = fold_name(header)
    if not h:
        return None
    if "chua co trong so" in h or "unweighted" in h or "un weighted" in h or "khong trong so" in h:
        return "unweighted"
    if "nhom xep hang" in h or "tier" in h.split() or h in {"excellent", "nhom"}:
        return "tier"
    if "xep hang" in h or "thu hang" in h or re.search(r"\brank", h):
        return "rank"
    if "trong so" in h or "weighted" in h or "pci cuoi cung" in h or _YEAR_IN_HEADER.fullmatch(h) or h == "pci":
        return TOTAL_CODE
    if h in {"tinh", "tinh thanh pho", "province", "tinh tp", "tinh thanh"}:
        return "province"
    if h in {"thu tu", "no", "stt"}:
        return "order"
    if "ma pci" in h or h.startswith("vung") or "dieu kien truyen thong" in h or "region" in h:
        return "ignore"
    for code, _level, _vi, _en, groups in MEASURES:
        if any(_words_in(h, group) for group in groups):
            return code
    return "ignore"


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, str):
        try:
            float(value.strip().replace(",", "."))
        except ValueError:
            return False
        return bool(value.strip())
    return False


def _number(value: object) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return float(str(value).strip().replace(",", ".")) if isinstance(value, str) else float(value)


def _text(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())


def decimal_text(value: float) -> str:
    """A score as text the parser reads unambiguously: at least four decimals ("9.125" would read as
    9125 under Vietnamese digit grouping, etl/parse.py)."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = f"{value:.15f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(4, '0')}"


@dataclass
class SheetTable:
    """One sheet read as a PCI table."""

    sheet: str
    header_year: int | None
    measures: dict[int, str]  # column -> measure code (sub-indices and pci)
    rank_column: int | None
    province_of: dict[int, int]  # measure or rank column -> its province column
    order_column: int | None
    rows: list[list[object]]
    first: int  # index of the first data row
    last: int  # index after the last data row
    skipped_after: int  # non-empty rows after the table


def _header_parts(rows: list[list[object]], first: int, column: int) -> list[str]:
    """The column's header cells in the (up to three) rows above the first data row, top down."""
    parts: list[str] = []
    for r in range(max(0, first - 3), first):
        row = rows[r]
        text = _text(row[column]) if column < len(row) else ""
        if text and text not in parts:
            parts.append(text)
    return parts


def _column_class(parts: list[str]) -> str | None:
    """The class of the lowest header cell that says something ("Chỉ số 1" under "Chỉ số 1: Chi phí gia
    nhập thị trường" says nothing; a group label above "Tỉnh, thành phố" does not hide it)."""
    for part in reversed(parts):
        found = classify(part)
        if found not in (None, "ignore"):
            return found
    return "ignore" if parts else None


def _first_data_row(rows: list[list[object]]) -> int | None:
    for i, row in enumerate(rows[:12]):
        numbers = sum(1 for v in row if _is_number(v))
        texts = sum(1 for v in row if isinstance(v, str) and v.strip() and not _is_number(v))
        if numbers >= 2 and texts >= 1:
            return i
    return None


def _read_sheet_table(name: str, rows: list[list[object]]) -> SheetTable | None:
    first = _first_data_row(rows)
    if first is None or first == 0:
        return None
    width = max(len(r) for r in rows)
    rows = [list(r) + [""] * (width - len(r)) for r in rows]
    headers = {c: _header_parts(rows, first, c) for c in range(width)}
    classes = {c: _column_class(headers[c]) for c in range(width)}
    data = rows[first]

    def is_text(c: int) -> bool:
        v = data[c]
        return isinstance(v, str) and bool(v.strip()) and not _is_number(v)

    province_columns = [c for c in range(width) if is_text(c) and classes[c] in ("province", None)]
    measures = {c: k for c, k in classes.items() if k == TOTAL_CODE or k in MEASURE_NAMES}
    measures = {c: k for c, k in measures.items() if _is_number(data[c])}
    if not province_columns or not measures:
        return None
    ranks = [c for c, k in classes.items() if k == "rank" and _is_number(data[c])]

    def province_for(c: int) -> int:
        if len(province_columns) == 1:
            return province_columns[0]
        left = [p for p in province_columns if p < c]
        return left[-1] if left else province_columns[0]

    province_of = {c: province_for(c) for c in (*measures, *ranks)}
    main_province = province_of[next(iter(measures))]
    last = first
    while last < len(rows):
        cell = _text(rows[last][main_province])
        if not cell or fold_name(cell) in _STOP_LABELS:
            break
        last += 1
    skipped = sum(1 for row in rows[last:] if any(_text(v) for v in row))
    order = next(
        (
            c
            for c in range(width)
            if classes[c] in ("order", None) and c not in province_columns and _is_order(rows, first, last, c)
        ),
        None,
    )
    years = {
        int(m.group(1)) for parts in headers.values() for m in [_YEAR_IN_HEADER.search(fold_name(" ".join(parts)))] if m
    }
    return SheetTable(
        sheet=name,
        header_year=min(years) if len(years) == 1 else None,
        measures=measures,
        rank_column=ranks[0] if ranks else None,
        province_of=province_of,
        order_column=order,
        rows=rows,
        first=first,
        last=last,
        skipped_after=skipped,
    )


def _is_order(rows: list[list[object]], first: int, last: int, column: int) -> bool:
    values = [_number(rows[r][column]) if _is_number(rows[r][column]) else None for r in range(first, last)]
    return all(v is not None for v in values) and values == [float(i) for i in range(1, len(values) + 1)]


def _open_workbook(path: Path) -> python_calamine.CalamineWorkbook:
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            for index in range(len(workbook.sheet_names)):
                workbook.get_sheet_by_index(index)
        except python_calamine.CalamineError:
            return python_calamine.CalamineWorkbook.from_filelike(_without_dimensions(path))
    return workbook


def _without_dimensions(path: Path) -> io.BytesIO:
    """The workbook with each sheet's `<dimension ref=...>` removed: the PCI 2014 workbook declares
    `ref="1:69"` (rows only), which the reader refuses; the element is only a size hint."""
    source = zipfile.ZipFile(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                content = re.sub(rb"<dimension ref=\"[^\"]*\"\s*/>", b"", content, count=1)
            target.writestr(info, content)
    buffer.seek(0)
    return buffer


def workbook_year(path: Path, tables: list[SheetTable]) -> int:
    match = _YEAR_IN_NAME.search(path.stem)
    if match:
        return int(match.group(1))
    years = {t.header_year for t in tables if t.header_year}
    if len(years) == 1:
        return years.pop()
    raise PciReadError(f"{path.name}: cannot tell the PCI year; name the file with it, e.g. PCI_2019.xlsx")


def read_pci_workbook(path: Path) -> tuple[pl.DataFrame, list[str]]:
    """(long `pci_scores` rows as text with `__row__`, notes for the load summary)."""
    path = Path(path)
    try:
        workbook = _open_workbook(path)
    except python_calamine.CalamineError as error:
        raise PciReadError(f"{path.name}: not a readable workbook ({error})") from None
    tables: list[SheetTable] = []
    for index, name in enumerate(workbook.sheet_names):
        rows = workbook.get_sheet_by_index(index).to_python(skip_empty_area=False)
        table = _read_sheet_table(name, rows) if rows else None
        if table is not None and table.last - table.first >= 20:
            tables.append(table)
    year = workbook_year(path, tables)
    tables = [t for t in tables if t.header_year in (None, year)]
    if not tables:
        raise PciReadError(f"{path.name}: no sheet with a province column and PCI scores was found")
    summary = max(tables, key=lambda t: len(t.measures))  # first of the largest
    if TOTAL_CODE not in summary.measures.values():
        raise PciReadError(f"{path.name}, sheet {summary.sheet}: no weighted PCI column was found")
    notes = [
        f"read sheet {summary.sheet!r}, {summary.last - summary.first} provinces, {len(summary.measures)} measures"
    ]
    if summary.skipped_after:
        notes.append(
            f"{summary.skipped_after} row(s) after the province table not read "
            "(a province repeated or highlighted, Min/Median/Max)"
        )
    ranks = _ranks(summary, tables, notes)
    return _long_rows(path, year, summary, ranks), notes


def _ranks(summary: SheetTable, tables: list[SheetTable], notes: list[str]) -> dict[str, tuple[int, int]]:
    """Folded province -> (published rank, Excel row) of the weighted index."""
    total_column = next(c for c, k in summary.measures.items() if k == TOTAL_CODE)
    own = _column_values(summary, summary.rank_column) if summary.rank_column is not None else None
    if own is not None:
        return {p: (int(v), r) for p, (v, r) in own.items() if v is not None}
    scores = _column_values(summary, total_column)
    for donor in tables:
        if donor is summary or donor.rank_column is None or TOTAL_CODE not in donor.measures.values():
            continue
        donor_total = next(c for c, k in donor.measures.items() if k == TOTAL_CODE)
        donor_scores = _column_values(donor, donor_total)
        same = set(donor_scores) == set(scores) and all(
            abs((donor_scores[p][0] or 0) - (scores[p][0] or 0)) < 1e-6 for p in scores
        )
        if same:
            notes.append(f"ranks read from sheet {donor.sheet!r}, where the same weighted scores are listed")
            return {p: (int(v), r) for p, (v, r) in _column_values(donor, donor.rank_column).items() if v is not None}
    province_column = summary.province_of[total_column]
    if summary.order_column is not None:
        ordered = [
            scores[fold_name(_text(summary.rows[r][province_column]))][0] for r in range(summary.first, summary.last)
        ]
        if all(a is not None and b is not None and a >= b for a, b in itertools.pairwise(ordered)):
            notes.append("ranks read from the row order of the table, which is sorted by the weighted PCI")
            return {
                fold_name(_text(summary.rows[r][province_column])): (
                    int(_number(summary.rows[r][summary.order_column])),
                    r + 1,
                )
                for r in range(summary.first, summary.last)
            }
    notes.append("no published rank found for the weighted PCI")
    return {}


def _column_values(table: SheetTable, column: int) -> dict[str, tuple[float | None, int]]:
    """Folded province -> (value, Excel row) for one measure or rank column."""
    province_column = table.province_of[column]
    values: dict[str, tuple[float | None, int]] = {}
    for r in range(table.first, table.last):
        province = fold_name(_text(table.rows[r][province_column]))
        cell = table.rows[r][column]
        values[province] = (_number(cell) if _is_number(cell) else None, r + 1)
    return values


def _long_rows(path: Path, year: int, table: SheetTable, ranks: dict[str, tuple[int, int]]) -> pl.DataFrame:
    # Every value of a province carries the Excel row of the province in the weighted index's column:
    # a province is one row of the load (quarantined whole when its name matches no unit), also in the
    # paired layouts, where its values stand in different rows.
    total_column = next(c for c, k in table.measures.items() if k == TOTAL_CODE)
    spelled: dict[str, str] = {}
    province_row: dict[str, int] = {}
    for r in range(table.first, table.last):
        name = _text(table.rows[r][table.province_of[total_column]])
        spelled.setdefault(fold_name(name), name)
        province_row.setdefault(fold_name(name), r + 1)
    source = f"{path.name}, sheet {table.sheet}"
    records: list[dict[str, object]] = []
    for column, code in table.measures.items():
        name_vi, name_en = MEASURE_NAMES[code]
        for province, (value, _row) in _column_values(table, column).items():
            if province not in province_row:
                raise PciReadError(
                    f"{path.name}, sheet {table.sheet}: {province!r} has a {code} value but no weighted PCI"
                )
            rank = ranks.get(province) if code == TOTAL_CODE else None
            records.append(
                {
                    "year": str(year),
                    "province_name_published": spelled.get(province, province),
                    "measure_code": code,
                    "measure_name_vi": name_vi,
                    "measure_name_en": name_en,
                    "level": "total" if code == TOTAL_CODE else "sub_index",
                    "score": None if value is None else decimal_text(value),
                    "published_rank": None if rank is None else str(rank[0]),
                    "source": source,
                    ROW: province_row[province],
                }
            )
    schema = dict.fromkeys(
        ("year", "province_name_published", "measure_code", "measure_name_vi", "measure_name_en", "level", "score",
         "published_rank", "source"),
        pl.String,
    ) | {ROW: pl.Int64}  # fmt: skip
    frame = pl.DataFrame(records, schema=schema)
    order = [c for c, _ in sorted(table.measures.items())]
    rank_of = {code: i for i, code in enumerate(table.measures[c] for c in order)}
    return frame.sort(pl.col("measure_code").replace_strict(rank_of, return_dtype=pl.Int64), ROW)


def prepare(typed: pl.DataFrame, raw: pl.DataFrame, names: UnitNames, path: Path) -> Resolved:
    """Fill province_code: the province named `province_name_published` on 31 December of `year`."""
    codes: list[str | None] = []
    issues: list[dict] = []
    problems: dict[str, str] = {}
    for row, name, year in typed.select(ROW, "province_name_published", "year").iter_rows():
        if name is None or year is None:
            codes.append(None)  # the parser or the required-value check reports it
            continue
        match = names.match(name, year_end(year), ("province",))
        codes.append(match.unit_code)
        if match.unit is None:
            issues.append(issue(row, "province_name_published", name, match.reason, match.candidates))
            problems[name] = f"{name!r} in {year}: {match.reason} (candidates: {match.candidates})"
    typed = typed.with_columns(pl.Series("province_code", codes, dtype=pl.String))
    return Resolved(typed, issues, list(problems.values()))
