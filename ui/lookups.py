"""Lookups the filters and charts need: which units, provinces and years there are, and the names of
codes (766 groups, PAR areas, PAPI measures, 766 bands, province boundaries).

    years("on_time_rate")          -> [2024, 2023]                 (available_years)
    provinces()                    -> {"01": "Thành phố Hà Nội", …}  (units, the viewer's scope)
    unit_names("district", "01")   -> {"001": "Quận Ba Đình", …}     (units)

Lists of units and years come from queries through ui/fetch.py, so they follow the lake and the viewer's
scope; names of codes come from the committed reference files (data/reference/), read once.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Iterable
from typing import Any

import polars as pl

from queries.paths import REFERENCE_DIR
from queries.vocabulary import papi_measure_code
from ui import access
from ui.charts.choropleth import province_names
from ui.fetch import current_viewer, fetch
from ui.format import by_name
from ui.indicators import indicator

GEOJSON_PATH = REFERENCE_DIR / "geo" / "vn_provinces.geojson"
GEO_SOURCE_PATH = REFERENCE_DIR / "geo" / "SOURCE.md"


# ------------------------------------------------------------------------------------------------
# Units, provinces, years (queries)
# ------------------------------------------------------------------------------------------------
def unit_names(level: str | None = None, province_code: str | None = None) -> dict[str, str]:
    """unit_code -> name of the units of a level (and province), in Vietnamese order of the names. The
    dashboard's district level holds departments too (as dossier_kpis counts them), so it lists every
    unit of the province."""
    frame = fetch("units", level=None if level == "district" else level, province_code=province_code)
    return by_name(dict(frame.select("unit_code", "name").iter_rows()))


def provinces() -> dict[str, str]:
    """Province code -> name, in Vietnamese order. A scoped viewer gets the provinces they have a unit in."""
    viewer = current_viewer()
    if viewer.scope is None:
        return unit_names("province")
    rows = access.unit_rows()
    known = {u.unit_code: u.name for u in rows if u.level == "province"}
    return by_name({code: known.get(code) or geo_provinces().get(code) for code in viewer.provinces(rows) or ()})


def years(code: str) -> list[int]:
    """Years with data for an indicator's query, newest first (available_years)."""
    frame = fetch("available_years").filter(pl.col("query") == indicator(code).query)
    return sorted({int(y) for y in frame.get_column("year").to_list()}, reverse=True)


def years_any(codes: Iterable[str]) -> list[int]:
    """Years in which any of the indicators has data, newest first."""
    queries = {indicator(code).query for code in codes}
    frame = fetch("available_years").filter(pl.col("query").is_in(sorted(queries)))
    return sorted({int(y) for y in frame.get_column("year").to_list()}, reverse=True)


def default_province(year: int | None) -> str | None:
    """The province with the most dossiers in the year (the demo's province), else None."""
    if year is None:
        return None
    frame = fetch("dossier_kpis", year=year, period="year", level="province")
    if frame.is_empty():
        return None
    return frame.sort("received", descending=True, nulls_last=True).get_column("unit_code")[0]


# ------------------------------------------------------------------------------------------------
# Names of codes (committed reference files)
# ------------------------------------------------------------------------------------------------
@functools.cache
def boundaries() -> dict[str, Any]:
    """The 63 pre-2025 province boundaries (GeoJSON; feature property `gso_code`)."""
    return json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))


@functools.cache
def geo_provinces() -> dict[str, str]:
    """gso_code -> province name from the shipped boundaries, Vietnamese order."""
    return province_names(boundaries())


@functools.cache
def geo_attribution() -> str:
    """The attribution line quoted in data/reference/geo/SOURCE.md ("> Province boundaries: …"), shown
    on and under every map."""
    for line in GEO_SOURCE_PATH.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith(">") and "geoBoundaries" in stripped:
            return stripped.lstrip("> ").strip()
    raise ValueError(f"{GEO_SOURCE_PATH} quotes no geoBoundaries attribution line")


@functools.cache
def band_names() -> dict[str, tuple[str, str]]:
    """Decision 766 band code -> (name_vi, name_en), from data/reference/766/bands.csv."""
    with (REFERENCE_DIR / "766" / "bands.csv").open(encoding="utf-8") as handle:
        return {row["band_code"]: (row["band_vi"], row["band_en"]) for row in csv.DictReader(handle)}


@functools.cache
def component_names() -> dict[str, dict[str, tuple[str, str]]]:
    """family -> component code -> (name_vi, name_en), in the reference files' order: 766 scoring groups,
    PAR framework areas, PAPI measures of both designs (2011–2017 and 2018 on). SIPAS elements are named by the
    dictionaries."""
    out: dict[str, dict[str, tuple[str, str]]] = {"766": {}, "par": {}, "papi": {}}
    with (REFERENCE_DIR / "766" / "scoring.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out["766"][row["group_code"]] = (row["group_name_vi"], row["group_name_en"] or row["group_name_vi"])
    with (REFERENCE_DIR / "par" / "frameworks.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out["par"].setdefault(row["area_code"], (row["area_name_vi"], row["area_name_en"] or row["area_name_vi"]))
    with (REFERENCE_DIR / "papi" / "papi_2011_2016_long.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out["papi"].setdefault(papi_measure_code(row["measure_en"]), (row["measure_vi"], row["measure_en"]))
    # the 8-dimension design (2018 on): its file names each dimension by its 2018 name
    with (REFERENCE_DIR / "papi" / "papi_2017_2024_long.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] == "dimension":
                out["papi"].setdefault(papi_measure_code(row["measure_en"]), (row["measure_vi"], row["measure_en"]))
    return out
