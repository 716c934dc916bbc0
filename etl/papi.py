"""Reader for PAPI workbooks laid out as the published "PAPI_2011-2016.xlsx".

Layout (one sheet per year, named ``<year>_PAPI``):

- row 1: English headers: ``tinhid``, ``tentinh_eng``, ``tentinh_vie``, then the measures in order, each
  dimension followed by its sub-dimensions, then the un-weighted total (``Un-weighted2015PAPI``);
- row 2: the same headers in Vietnamese;
- rows 3…: one row per province; ``tinhid`` is the GSO province code (1 = Hà Nội, 79 = TP.HCM), and a
  ``999 / Highest`` row holds the column-wise maximum (dropped here).

``read_papi_workbook`` turns the workbook into the long rows of the contract's ``papi_scores`` table,
every value as a string (the normal parse/validate steps type them), plus ``__row__`` (Int64: the Excel
row the value comes from, as ``etl.read.read_file`` gives it). The sheet of a row is ``<year>_PAPI``, so
``year`` and ``__row__`` locate a quarantined value in the workbook. ``is_papi_workbook`` tells the
loader when a ``papi`` file has this layout; a long CSV with canonical (or alias) headers goes through the
normal reader instead, and ``add_measure_codes`` fills its codes when it carries measure names only.

Choices, all checked against ``data/reference/papi/papi_2011_2016_long.csv`` by the tests:

- ``measure_code`` is the slug of the English measure name (``Land-Use Plans/Price Frames`` →
  ``land_use_plans_price_frames``); the total is ``papi_total`` in every year, so the series stays one
  measure when the number of dimensions changes (6 to 2017, 8 from 2018). ``parent_code`` of a
  sub-dimension is its dimension's code.
- Scores are rounded to 6 decimals and written with exactly six ("2.085000", never "2.085", which the
  parser would read as 2085 under Vietnamese digit grouping): the 2015 and 2016 sheets hold
  single-precision artefacts such as 5.054007053375244 for the published 5.054007.
- A province-year whose dimensions are all blank is not published: its total (``0`` in the workbook, as
  for Bắc Giang and Đồng Tháp in 2014) is blanked too, never kept as a zero score.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import python_calamine

from etl.unit_names import Resolved, issue
from queries.vocabulary import PAPI_DIMENSIONS, fold_text, papi_measure_code

DIMENSIONS = PAPI_DIMENSIONS  # a column whose English header is one of these starts a dimension
_DIMENSION_KEYS = {fold_text(name) for name in DIMENSIONS}

TOTAL_CODE = "papi_total"
ID_HEADERS = ("tinhid", "tentinh_eng", "tentinh_vie")
HIGHEST_ROW_CODE = 999
OUTPUT_COLUMNS = (
    "year",
    "province_code",
    "measure_code",
    "measure_name_vi",
    "measure_name_en",
    "parent_code",
    "level",
    "score",
    "ci_low",
    "ci_high",
)
ROW = "__row__"
_SHEET_YEAR = re.compile(r"^\s*(\d{4})_PAPI\s*$", re.IGNORECASE)


slug = papi_measure_code  # measure code of an English measure name


def _is_total(header: str) -> bool:
    return "papi" in fold_text(header)


def _number(value: object) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(",", ".")
    if not text:
        return None
    return float(text)


def _score_text(value: float | None) -> str | None:
    # Always six decimals: "2.085" would read as 2085 under Vietnamese digit grouping (etl/parse.py).
    return None if value is None else f"{round(value, 6):.6f}"


def _read_sheet(rows: list[list[object]], sheet: str, year: int) -> list[dict[str, object]]:
    if len(rows) < 3:
        raise ValueError(f"sheet {sheet}: expected two header rows and data rows")
    english = [str(h).strip() for h in rows[0]]
    vietnamese = [str(h).strip() for h in rows[1]]
    if [fold_text(h) for h in english[:3]] != [fold_text(h) for h in ID_HEADERS]:
        raise ValueError(f"sheet {sheet}: first columns must be {', '.join(ID_HEADERS)}, got {english[:3]}")

    # The measures: (column index, code, English name, Vietnamese name, level, parent code).
    measures: list[tuple[int, str, str, str, str, str | None]] = []
    parent: str | None = None
    dimensions = 0
    for idx in range(3, len(english)):
        name_en, name_vi = english[idx], vietnamese[idx] if idx < len(vietnamese) else ""
        if not name_en:
            continue
        if _is_total(name_en):
            measures.append((idx, TOTAL_CODE, name_en, name_vi, "total", None))
        elif fold_text(name_en) in _DIMENSION_KEYS:
            parent = slug(name_en)
            dimensions += 1
            measures.append((idx, parent, name_en, name_vi, "dimension", None))
        else:
            if parent is None:
                raise ValueError(f"sheet {sheet}: measure {name_en!r} comes before any known dimension")
            measures.append((idx, slug(name_en), name_en, name_vi, "sub_dimension", parent))
    if not any(m[4] == "total" for m in measures):
        raise ValueError(f"sheet {sheet}: no PAPI total column")
    total_name = f"PAPI total (unweighted sum of {dimensions} dimensions)"

    out: list[dict[str, object]] = []
    for offset, row in enumerate(rows[2:]):
        excel_row = offset + 3
        code = _number(row[0]) if row else None
        if code is None:
            continue
        if int(code) == HIGHEST_ROW_CODE:
            continue
        province_code = f"{int(code):02d}"
        values = {idx: _number(row[idx]) if idx < len(row) else None for idx, *_ in measures}
        unpublished = all(values[idx] is None for idx, *_rest, level, _p in measures if level == "dimension")
        for idx, measure_code, name_en, name_vi, level, parent_code in measures:
            score = values[idx]
            if level == "total":
                name_en = total_name
                if unpublished:
                    score = None
            out.append(
                {
                    "year": str(year),
                    "province_code": province_code,
                    "measure_code": measure_code,
                    "measure_name_vi": name_vi or None,
                    "measure_name_en": name_en,
                    "parent_code": parent_code,
                    "level": level,
                    "score": _score_text(score),
                    "ci_low": None,
                    "ci_high": None,
                    ROW: excel_row,
                }
            )
    return out


def is_papi_workbook(path: Path) -> bool:
    """True for a workbook with at least one sheet named ``<year>_PAPI`` (the published layout)."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:  # not a workbook (a CSV, a Parquet file): the normal reader takes it
        return False
    return any(_SHEET_YEAR.match(name) for name in workbook.sheet_names)


def read_papi_workbook(path: Path) -> pl.DataFrame:
    """Long ``papi_scores`` rows (contract columns as strings, ``__row__`` Int64) from a PAPI workbook."""
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    records: list[dict[str, object]] = []
    for sheet in workbook.sheet_names:
        match = _SHEET_YEAR.match(sheet)
        if not match:
            continue
        rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        records.extend(_read_sheet(rows, sheet, int(match.group(1))))
    if not records:
        raise ValueError(f"{Path(path).name}: no sheet named like '<year>_PAPI'")
    schema: dict[str, pl.DataType] = {**dict.fromkeys(OUTPUT_COLUMNS, pl.String), ROW: pl.Int64}
    return pl.DataFrame(records, schema=schema)


def add_measure_codes(frame: pl.DataFrame) -> pl.DataFrame:
    """Fill ``measure_code`` / ``parent_code`` of a long PAPI frame that carries names only.

    For long CSVs such as ``papi_2011_2016_long.csv`` (``measure_en``, ``parent_dimension_en``) once their
    headers are mapped to ``measure_name_en`` / ``parent_code``: the codes are the same slugs
    ``read_papi_workbook`` gives, and a total row is ``papi_total``. A slug of a slug is itself, so codes
    already present are kept as they are.
    """

    def code(name: str | None, level: str | None) -> str | None:
        if level is not None and fold_text(level) in {"total", "total unweighted"}:
            return TOTAL_CODE
        return None if name is None or not name.strip() else slug(name)

    if "measure_code" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("measure_code"))
    level = frame["level"] if "level" in frame.columns else pl.Series([None] * frame.height, dtype=pl.String)
    names = frame["measure_name_en"] if "measure_name_en" in frame.columns else frame["measure_code"]
    codes = [
        existing if existing else code(name, lvl)
        for existing, name, lvl in zip(frame["measure_code"], names, level, strict=True)
    ]
    frame = frame.with_columns(pl.Series("measure_code", codes, dtype=pl.String))
    if "parent_code" in frame.columns:
        frame = frame.with_columns(
            pl.Series(
                "parent_code",
                [None if p is None or not p.strip() else slug(p) for p in frame["parent_code"]],
                dtype=pl.String,
            )
        )
    return frame


# Dimension codes D1–D8 of long tables such as papi_2017_2024_long.csv -> (first year, code, English,
# Vietnamese name). D2–D4 were renamed and re-composed in 2018 (the 8-dimension design): up to 2017 they
# continue the 2011–2016 series (transparency, vertical_accountability, control_of_corruption); from 2018
# they are new measures, so no series runs across the method break.
NUMBERED_DIMENSIONS: dict[str, tuple[tuple[int, str, str, str], ...]] = {
    "D1": (
        (2011, "participation_at_local_levels", "Participation at Local Levels", "Tham gia của người dân ở cấp cơ sở"),
    ),
    "D2": (
        (2011, "transparency", "Transparency", "Công khai, minh bạch"),
        (2018, "transparency_in_local_decision_making", "Transparency in Local Decision-making",
         "Công khai, minh bạch trong việc ra quyết định ở địa phương"),
    ),
    "D3": (
        (2011, "vertical_accountability", "Vertical Accountability", "Trách nhiệm giải trình với người dân"),
        (2018, "vertical_accountability_towards_citizens", "Vertical Accountability Towards Citizens",
         "Trách nhiệm giải trình với người dân"),
    ),
    "D4": (
        (2011, "control_of_corruption", "Control of Corruption", "Kiểm soát tham nhũng trong khu vực công"),
        (2018, "control_of_corruption_in_the_public_sector", "Control of Corruption in the Public Sector",
         "Kiểm soát tham nhũng trong khu vực công"),
    ),
    "D5": ((2011, "public_administrative_procedures", "Public Administrative Procedures", "Thủ tục hành chính công"),),
    "D6": ((2011, "public_service_delivery", "Public Service Delivery", "Cung ứng dịch vụ công"),),
    "D7": ((2018, "environmental_governance", "Environmental Governance", "Quản trị môi trường"),),
    "D8": ((2018, "e_governance", "E-Governance", "Quản trị điện tử"),),
}  # fmt: skip
METHOD_BREAK_YEAR = 2018  # 6 dimensions (total 6–60) to 2017, 8 dimensions (total 8–80) from 2018
TOTAL_NAME_VI = "Chỉ số PAPI (không có trọng số)"


def numbered_measure(code: str, year: int) -> tuple[str, str, str] | None:
    """(measure_code, English, Vietnamese name) of dimension `code` (D1–D8) in `year`; None if unknown."""
    versions = [v for v in NUMBERED_DIMENSIONS.get(code.upper(), ()) if v[0] <= year]
    return versions[-1][1:] if versions else None


def prepare_long(typed: pl.DataFrame, raw: pl.DataFrame, names: object, path: Path) -> Resolved:
    """A long table numbering its dimensions D1–D8 (papi_2017_2024_long.csv): each gets the measure code
    and names of its year's design, and a total coded otherwise (`total`) becomes `papi_total` with the
    number of dimensions in its name. Rows already coded (the workbook reader's slugs) pass unchanged."""
    rows = typed.to_dicts()
    issues: list[dict] = []
    for row in rows:
        code, year = row["measure_code"], row["year"]
        if code is None or year is None:
            continue
        if row["level"] == "total" and code != TOTAL_CODE:
            dimensions = 8 if year >= METHOD_BREAK_YEAR else 6
            row["measure_code"] = TOTAL_CODE
            row["measure_name_en"] = f"PAPI total (unweighted sum of {dimensions} dimensions)"
            row["measure_name_vi"] = TOTAL_NAME_VI
        elif re.fullmatch(r"[Dd]\d", code):
            measure = numbered_measure(code, year)
            if measure is None:
                issues.append(issue(row[ROW], "measure_code", code, "unknown_code", f"no dimension {code} in {year}"))
                continue
            row["measure_code"], row["measure_name_en"], row["measure_name_vi"] = measure
    return Resolved(pl.DataFrame(rows, schema=typed.schema), issues, [])
