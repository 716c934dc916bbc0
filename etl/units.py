"""The `units` reference: the pre-2025 GSO list (from vietnam-provinces 0.6.0) plus department codes.

Every data directory gets these units on its first publish, so unit codes can be validated from the
first load on without a separate step. Loads of kind `units` add or replace rows (e.g. a province's own
department list) on top.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl
import vietnam_provinces

from etl.contract import UNITS
from etl.paths import REFERENCE_DIR

# The package is a snapshot of the list in force before the 1 July 2025 reform; when each unit was
# created is not in it, so every unit is treated as valid for all historic data up to the reform.
GSO_VALID_FROM = date(2000, 1, 1)
GSO_VALID_TO = date(2025, 6, 30)
DEPARTMENTS_FILE = REFERENCE_DIR / "units" / "departments.csv"

_PREFIX = re.compile(r"^(Thành phố|Thành Phố|Tỉnh|Quận|Huyện|Thị xã|Thị Xã|Phường|Xã|Thị trấn|Thị Trấn)\s+")


def short_name(name: str) -> str:
    """'Quận Ba Đình' -> 'Ba Đình'; 'Quận 1' keeps its number: '1' would be ambiguous, so it stays."""
    stripped = _PREFIX.sub("", name)
    return name if stripped.isdigit() else stripped


def _gso_rows() -> list[dict]:
    path = Path(vietnam_provinces.__file__).parent / "data" / "flat-divisions.json"
    divisions = json.loads(path.read_text(encoding="utf-8"))
    rows: dict[str, dict] = {}
    for d in divisions:
        province = f"{d['province_code']:02d}"
        district = f"{d['district_code']:03d}"
        rows.setdefault(province, _unit(province, d["province_name"], "province", None, province))
        rows.setdefault(district, _unit(district, d["district_name"], "district", province, province))
        if d["ward_code"] is not None:  # a few island districts have no communes
            commune = f"{d['ward_code']:05d}"
            rows.setdefault(commune, _unit(commune, d["ward_name"], "commune", district, province))
    return list(rows.values())


def _unit(code: str, name: str, level: str, parent: str | None, province: str) -> dict:
    return {
        "unit_code": code,
        "name": name,
        "short_name": short_name(name),
        "level": level,
        "parent_code": parent,
        "province_code": province,
        "valid_from": GSO_VALID_FROM,
        "valid_to": GSO_VALID_TO,
    }


def _schema() -> dict[str, pl.DataType]:
    types = {"date": pl.Date}
    return {c.name: types.get(c.type, pl.String) for c in UNITS.columns}


@cache
def gso_units() -> pl.DataFrame:
    """63 provinces, 696 districts and their communes, with validity periods."""
    return pl.DataFrame(_gso_rows(), schema=_schema())


def department_units() -> pl.DataFrame:
    """Departments (sở, ban, ngành) coded `<province>.<short>` from the checked-in mapping."""
    if not DEPARTMENTS_FILE.exists():
        return pl.DataFrame(schema=_schema())
    frame = pl.read_csv(DEPARTMENTS_FILE, infer_schema=False)
    return (
        frame.with_columns(
            pl.col("valid_from").str.to_date("%Y-%m-%d"),
            pl.col("valid_to").str.to_date("%Y-%m-%d", strict=False),
        )
        .select(_schema().keys())
        .cast(_schema())
    )


def reference_units() -> pl.DataFrame:
    return pl.concat([gso_units(), department_units()])
