"""Published yearly index results typed from press releases and reports (kind `published_index`).

The Ministry of Home Affairs publishes PAR Index and SIPAS results as press releases and PDF reports, so
they reach a province as a sheet someone types: index (PAR, SIPAS, PAPI, PCI), year, province (name or
code), measure (the index itself, or an area, element or dimension), value, rank and source
(docs/templates/chi-so-cong-bo.csv; headers in docs/data-contract.md). The file goes through the normal
reader; `prepare` then fills, for each parsed row:

- `geography` and `province_code`: a national label ("Cả nước", "Toàn quốc", "Trung bình 63 tỉnh",
  "Giá trị trung bình") is the national figure, without a province; a code (`52`, `1`) is the province
  with that code on 31 December of the year, a name is matched to the provinces valid then
  (etl/unit_names.py), so 52 in 2023 is Bình Định and in 2025 Gia Lai. A name or code matching no
  province is quarantined with the candidates;
- `measure_code` and `level`: `total` for the index itself ("Tổng", "Chỉ số chung", "PAR Index", ...),
  else the slug of the measure's name, level `component`;
- `value`: in the index's unit. PAR Index and SIPAS are percentages: "92,18" and "92,18 %" are both
  92.18 (a cell with % is not read as the fraction 0.9218 here).
Blank values and ranks stay blank (not published).
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from etl.papi import slug
from etl.parse import numbers
from etl.unit_names import Resolved, UnitNames, fold_name, issue, year_end

ROW = "__row__"
NATIONAL_LABELS = {"ca nuoc", "toan quoc", "viet nam", "vietnam", "national", "quoc gia"}
NATIONAL_PREFIXES = ("trung binh", "gia tri trung binh", "binh quan", "average", "mean")
TOTAL_FORMS = {
    "total", "tong", "tong diem", "tong hop", "chung", "chi so", "chi so chung", "chi so tong hop",
    "ket qua chung", "par index", "chi so cchc", "chi so cai cach hanh chinh", "sipas", "chi so sipas",
    "chi so hai long", "papi", "chi so papi", "pci", "chi so pci",
}  # fmt: skip
_CODE = re.compile(r"^\d{1,2}$")


def is_national(label: str) -> bool:
    folded = fold_name(label)
    return folded in NATIONAL_LABELS or folded.startswith(NATIONAL_PREFIXES)


def measure_code(name: str) -> tuple[str, str]:
    """(measure_code, level) of a typed measure name."""
    folded = fold_name(name)
    if folded in TOTAL_FORMS:
        return "total", "total"
    return slug(name), "component"


def prepare(typed: pl.DataFrame, raw: pl.DataFrame, names: UnitNames, path: Path) -> Resolved:
    """Fill geography, province_code, measure_code and level; read percentages typed with %."""
    percent_rows = _percent_values(raw)
    rows = typed.to_dicts()
    issues: list[dict] = []
    problems: dict[str, str] = {}
    for row in rows:
        if row[ROW] in percent_rows:
            row["value"] = percent_rows[row[ROW]]
        if row["measure_name"]:
            row["measure_code"], row["level"] = measure_code(row["measure_name"])
        label, year = row["province_published"], row["year"]
        if label is None or year is None:
            continue  # reported as a missing or bad value
        if is_national(label):
            row["geography"], row["province_code"] = "national", None
            continue
        day = year_end(year)
        if _CODE.match(label.strip()):
            code = label.strip().zfill(2)
            unit = names.province(code, day)
            if unit is None:
                reason, candidates = "unmatched_name", f"no province has code {code} on {day.isoformat()}"
                issues.append(issue(row[ROW], "province_published", label, reason, candidates))
                problems[label] = f"{label!r} in {year}: {candidates}"
                continue
        else:
            match = names.match(label, day, ("province",))
            if match.unit is None:
                issues.append(issue(row[ROW], "province_published", label, match.reason, match.candidates))
                problems[label] = f"{label!r} in {year}: {match.reason} (candidates: {match.candidates})"
                continue
            unit = match.unit
        row["geography"], row["province_code"] = "province", unit.unit_code
    return Resolved(pl.DataFrame(rows, schema=typed.schema), issues, list(problems.values()))


def _percent_values(raw: pl.DataFrame) -> dict[int, float | None]:
    """Row -> value of the `value` cells written with a % sign, read as the percentage itself."""
    if "value" not in raw.columns:
        return {}
    marked = raw.filter(pl.col("value").str.contains("%"))
    if not marked.height:
        return {}
    values = numbers(marked["value"].str.replace_all("%", "").str.strip_chars())
    return dict(zip(marked[ROW].to_list(), values.to_list(), strict=True))
