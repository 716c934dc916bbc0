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
from ui.fetch import current_viewer, fetch, per_lake
from ui.format import by_name
from ui.i18n import current_lang
from ui.indicators import indicator

GEOJSON_PATH = REFERENCE_DIR / "geo" / "vn_provinces.geojson"  # 63 provinces, before 1 July 2025
GEOJSON_2025_PATH = REFERENCE_DIR / "geo" / "vn_provinces_2025.geojson"  # 34 provinces, from 1 July 2025
UNIT_POINTS_PATH = REFERENCE_DIR / "units" / "unit_points.csv"  # commune centroids and areas
GEO_SOURCE_PATH = REFERENCE_DIR / "geo" / "SOURCE.md"


# ------------------------------------------------------------------------------------------------
# Units, provinces, years (queries)
# ------------------------------------------------------------------------------------------------
@per_lake
def unit_names(level: str | None = None, province_code: str | None = None, year: int | None = None) -> dict[str, str]:
    """unit_code -> name of the units of a level (and province), in Vietnamese order of the names: those
    of `year` with their names then (each code as at the year's end), else each code's latest."""
    frame = fetch("units", level=level, province_code=province_code, year=year)
    return by_name(dict(frame.select("unit_code", "name").iter_rows()))


@per_lake
def unit_validity(year: int) -> pl.DataFrame:
    """unit_code, level, valid_from, valid_to, formed_on of the units of `year`, each code as at the year's
    end (the `units` query): who a code named, for ui.data.with_unit_identity."""
    return fetch("units", year=year).select("unit_code", "level", "valid_from", "valid_to", "formed_on")


@per_lake
def provinces(year: int | None = None) -> dict[str, str]:
    """Province code -> name, in Vietnamese order: the provinces of `year` (34 from July 2025, 63 before;
    each code as at the year's end), else each code's latest. A scoped viewer gets the provinces they have
    a unit in."""
    viewer = current_viewer()
    if viewer.scope is None:
        return unit_names("province", year=year)
    rows = access.unit_rows()
    known = {u.unit_code: u.name for u in rows if u.level == "province"}
    if year is not None:
        known.update(unit_names("province", year=year))
    return by_name({code: known.get(code) or geo_provinces().get(code) for code in viewer.provinces(rows) or ()})


@per_lake
def years(code: str) -> list[int]:
    """Years with data for an indicator's query, newest first (available_years)."""
    frame = fetch("available_years").filter(pl.col("query") == indicator(code).query)
    return sorted({int(y) for y in frame.get_column("year").to_list()}, reverse=True)


@per_lake
def years_any(codes: Iterable[str]) -> list[int]:
    """Years in which any of the indicators has data, newest first."""
    queries = {indicator(code).query for code in codes}
    frame = fetch("available_years").filter(pl.col("query").is_in(sorted(queries)))
    return sorted({int(y) for y in frame.get_column("year").to_list()}, reverse=True)


@per_lake
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
def boundaries(era: str = "before") -> dict[str, Any]:
    """Province boundaries (GeoJSON; feature property `gso_code`): era "before" the 63 provinces to 30 June
    2025, "after" the 34 from 1 July 2025 (ui.data.map_era chooses)."""
    path = GEOJSON_2025_PATH if era == "after" else GEOJSON_PATH
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def unit_points() -> pl.DataFrame:
    """unit_code, formed_on, lat, lon, area_km2 of the communes of both eras (data/reference/units/SOURCE.md)."""
    return pl.read_csv(
        UNIT_POINTS_PATH,
        schema_overrides={"unit_code": pl.String, "formed_on": pl.Date, "lat": pl.Float64, "lon": pl.Float64},
    )


@functools.cache
def geo_provinces() -> dict[str, str]:
    """gso_code -> province name from the shipped boundaries, Vietnamese order."""
    return province_names(boundaries())


GEO_ATTRIBUTION_START = {"en": "Province boundaries:", "vi": "Ranh giới tỉnh:"}


@functools.cache
def _geo_attribution(lang: str) -> str:
    start = GEO_ATTRIBUTION_START[lang]
    for line in GEO_SOURCE_PATH.read_text(encoding="utf-8").splitlines():
        stripped = line.strip().lstrip("> ").strip()
        if line.strip().startswith(">") and stripped.startswith(start) and "geoBoundaries" in stripped:
            return stripped
    raise ValueError(f"{GEO_SOURCE_PATH} quotes no geoBoundaries attribution line starting {start!r}")


def geo_attribution(lang: str | None = None) -> str:
    """The attribution line quoted in data/reference/geo/SOURCE.md in the language ("> Province boundaries:
    …", "> Ranh giới tỉnh: …"), shown on and under every map."""
    return _geo_attribution("en" if (lang or current_lang()) == "en" else "vi")


@functools.cache
def band_names() -> dict[str, tuple[str, str]]:
    """Decision 766 band code -> (name_vi, name_en), from data/reference/766/bands.csv."""
    with (REFERENCE_DIR / "766" / "bands.csv").open(encoding="utf-8") as handle:
        return {row["band_code"]: (row["band_vi"], row["band_en"]) for row in csv.DictReader(handle)}


@functools.cache
def component_names() -> dict[str, dict[str, tuple[str, str]]]:
    """family -> component code -> (name_vi, name_en), in the reference files' order: 766 scoring groups,
    PAR framework areas (keyed by code, and by Vietnamese name: the English name of the name a year's
    framework gives), PAPI measures of both designs (2011–2017 and 2018 on). SIPAS elements are named by the
    dictionaries."""
    out: dict[str, dict[str, tuple[str, str]]] = {"766": {}, "par": {}, "papi": {}}
    with (REFERENCE_DIR / "766" / "scoring.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out["766"][row["group_code"]] = (row["group_name_vi"], row["group_name_en"] or row["group_name_vi"])
    with (REFERENCE_DIR / "par" / "frameworks.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out["par"].setdefault(row["area_code"], (row["area_name_vi"], row["area_name_en"] or row["area_name_vi"]))
            # the framework of a year names its areas, and one code names other areas in other frameworks:
            # the English name is found by the Vietnamese name the data carry
            out["par"].setdefault(
                row["area_name_vi"], (row["area_name_vi"], row["area_name_en"] or row["area_name_vi"])
            )
    with (REFERENCE_DIR / "papi" / "papi_2011_2016_long.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out["papi"].setdefault(papi_measure_code(row["measure_en"]), (row["measure_vi"], row["measure_en"]))
    # the 8-dimension design (2018 on): its file names each dimension by its 2018 name
    with (REFERENCE_DIR / "papi" / "papi_2017_2024_long.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] == "dimension":
                out["papi"].setdefault(papi_measure_code(row["measure_en"]), (row["measure_vi"], row["measure_en"]))
    return out
