"""The `units` reference: administrative units of both eras and departments, from data/reference/units/units.csv.

Every data directory gets these units on its first publish, so unit codes can be validated from the first
load on without a separate step. Loads of kind `units` add or replace rows (e.g. a province's own department
list) on top. units.csv is built from kept sources by `python -m etl.reference_build units` (docs/units.md).
"""

from __future__ import annotations

import re
from functools import cache

import polars as pl

from etl.contract import UNITS
from queries.paths import REFERENCE_DIR

UNITS_FILE = REFERENCE_DIR / "units" / "units.csv"

_PREFIX = re.compile(r"^(Thành phố|Thành Phố|Tỉnh|Quận|Huyện|Thị xã|Thị Xã|Phường|Xã|Thị trấn|Thị Trấn|Đặc khu)\s+")


def short_name(name: str) -> str:
    """'Quận Ba Đình' -> 'Ba Đình'; 'Quận 1' keeps its number: '1' would be ambiguous, so it stays."""
    stripped = _PREFIX.sub("", name)
    return name if stripped.isdigit() else stripped


def _schema() -> dict[str, pl.DataType]:
    types = {"date": pl.Date}
    return {c.name: types.get(c.type, pl.String) for c in UNITS.columns}


@cache
def _units() -> pl.DataFrame:
    frame = pl.read_csv(UNITS_FILE, infer_schema=False)
    dates = [c.name for c in UNITS.columns if c.type == "date"]
    return frame.with_columns(pl.col(c).str.to_date("%Y-%m-%d") for c in dates).select(_schema().keys())


def reference_units() -> pl.DataFrame:
    """Every unit of both eras with its validity rows: provinces, districts (before 1 July 2025), communes and
    departments; dates typed as Date."""
    return _units().clone()
