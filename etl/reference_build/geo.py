"""The 34-province map: the 63 committed province polygons dissolved through the province crosswalk (shapely).

Input: data/reference/geo/vn_provinces.geojson (63 provinces, see geo/SOURCE.md) and the built
units/crosswalk_2025.csv and units/units.csv. Output: geo/vn_provinces_2025.geojson, one feature per
province in force from 1 July 2025, with the properties `gso_code`, `name`, `name_gso` and `merged_from`.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

from etl.units import short_name

SOURCE_FILE = "vn_provinces.geojson"
OUTPUT_FILE = "vn_provinces_2025.geojson"
REFORM = "2025-07-01"
GRID = 1e-5  # degrees (about 1 m): the source's own precision
SLIVER = 1e-4  # square degrees (about 1 km²): gaps the dissolve leaves between former neighbours' outlines
SPECK = 1e-6  # square degrees (about 0.01 km²): smaller parts are debris; every island of the source is larger
MAX_BYTES = 1_500_000


def _provinces(units_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(old province -> new province, new province -> its name on 1 July 2025)."""
    with (units_dir / "crosswalk_2025.csv").open(encoding="utf-8", newline="") as handle:
        mapping = {
            r["old_code"]: r["new_code"]
            for r in csv.DictReader(handle)
            if r["old_level"] == "province" and r["new_level"] == "province"
        }
    names: dict[str, str] = {}
    with (units_dir / "units.csv").open(encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            valid = r["valid_from"] <= REFORM and (not r["valid_to"] or r["valid_to"] >= REFORM)
            if r["level"] == "province" and valid:
                names[r["unit_code"]] = r["name"]
    return mapping, names


def dissolve(features: list[dict], mapping: dict[str, str], names: dict[str, str]) -> dict:
    from shapely import make_valid, set_precision, unary_union
    from shapely.geometry import mapping as to_geojson
    from shapely.geometry import shape

    parts: dict[str, list] = defaultdict(list)
    merged_from: dict[str, list[str]] = defaultdict(list)
    for feature in features:
        old = feature["properties"]["gso_code"]
        parts[mapping[old]].append(make_valid(shape(feature["geometry"])))
        merged_from[mapping[old]].append(old)
    out = []
    for code in sorted(parts):
        # Snapped to the source's grid, the shared borders of merged provinces coincide and dissolve away;
        # nothing is simplified (the file stays well under its budget), so outer borders match the 63-province map.
        geometry = _without_slivers(set_precision(unary_union(parts[code]), GRID))
        out.append(
            {
                "type": "Feature",
                "properties": {
                    "name": short_name(names[code]),
                    "name_gso": names[code],
                    "gso_code": code,
                    "merged_from": ",".join(sorted(merged_from[code])),
                },
                "geometry": _rounded(to_geojson(make_valid(geometry))),
            }
        )
    return {"type": "FeatureCollection", "features": out}


def _without_slivers(geometry):
    """Drops holes smaller than SLIVER and parts smaller than SPECK; the source's islands stay."""
    from shapely.geometry import MultiPolygon, Polygon

    polygons = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.geom_type != "Polygon" or polygon.area < SPECK:
            continue
        holes = [ring for ring in polygon.interiors if Polygon(ring).area >= SLIVER]
        polygons.append(Polygon(polygon.exterior, holes))
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def _rounded(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], float):
                return [round(v, 5) for v in value]
            return [walk(v) for v in value]
        return value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def build(geo_dir: Path, units_dir: Path, out: Path) -> list[tuple[Path, int]]:
    features = json.loads((geo_dir / SOURCE_FILE).read_text(encoding="utf-8"))["features"]
    mapping, names = _provinces(units_dir)
    collection = dissolve(features, mapping, names)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ValueError(f"{OUTPUT_FILE}: {len(text.encode('utf-8'))} bytes, over the {MAX_BYTES} budget")
    out.mkdir(parents=True, exist_ok=True)
    path = out / OUTPUT_FILE
    path.write_text(text, encoding="utf-8")
    return [(path, len(collection["features"]))]
