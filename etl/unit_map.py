"""`unit_map`: which unit a row of each unit is reported under, at each level, as published or in
today's units (docs/units.md, "Levels" and "Re-basing").

A unit in time is its code together with `formed_on`, the day it took its territory (a rename keeps
it): 52 formed 2000-01-01 is Bình Định, 52 formed 2025-07-01 is Gia Lai. The lake's rows carry codes
read on their dates, so every row belongs to one such unit. This table maps each of them to the units
a query reports:

- `as_published`: at level commune, district or department a unit is reported as itself (level
  district also reports departments, as before the reform); at level province under the province it
  belonged to then. A reported unit is shown only in the months it existed (report_from, report_to).
- `current`: history under today's units. At level province every unit goes to today's province of
  its province: exact, because provinces merged whole. At level commune a commune (or a district,
  whose dossiers were received before communes took them over) goes to today's communes through the
  crosswalk's weights; department to department. A weight below 1 makes the result approximate.
  Chains of changes (a department merged on 1 March 2025, its province on 1 July 2025) are followed
  to today, multiplying weights.

`is_main` marks, per unit, setting and level, the reported unit with the largest weight: measures that
do not add up (percentiles, distinct counts) put a split unit wholly there, and say it is approximate.

The ETL rebuilds this table whenever `units` or `unit_crosswalk` change (etl/load.py), and when the
lake's table was built by another version of this module (`version()`, kept in `lake_references` under
VERSION_KEY like the marts' version): a rule changed here reaches lakes built before.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from etl import lake

TABLE = "unit_map"
VERSION_KEY = "etl/unit_map"
SETTINGS = ("as_published", "current")
SCHEMA = {
    "units_setting": pl.String,
    "report_level": pl.String,
    "unit_code": pl.String,
    "formed_on": pl.Date,
    "level": pl.String,  # the unit's own level
    "report_code": pl.String,
    "report_formed_on": pl.Date,
    "report_province_code": pl.String,
    "report_from": pl.Date,
    "report_to": pl.Date,
    "report_until": pl.Date,  # the day after report_to
    "report_last_month": pl.Date,  # the first day of report_to's month
    "weight": pl.Float64,
    "approximate": pl.Boolean,
    "is_main": pl.Boolean,
}
# The level today's successor of a unit has: districts were abolished, communes took their work over.
CURRENT_LEVEL = {"commune": "commune", "district": "commune", "department": "department", "province": "province"}
MAX_HOPS = 10  # changes followed from a unit to today's units (two in practice: March and July 2025)


def entities(units: pl.DataFrame) -> pl.DataFrame:
    """One row per unit in time (unit_code, formed_on): its level and province (of its latest row)
    and the first and last day it existed (span_to null while it exists)."""
    frame = units.with_columns(
        pl.col("formed_on").fill_null(pl.col("valid_from"))
        if "formed_on" in units.columns
        else pl.col("valid_from").alias("formed_on")
    )
    return (
        frame.sort("valid_from")
        .group_by("unit_code", "formed_on", maintain_order=True)
        .agg(
            pl.col("level").last(),
            pl.col("province_code").last(),
            pl.col("valid_from").min().alias("span_from"),
            pl.when(pl.col("valid_to").null_count() == 0).then(pl.col("valid_to").max()).alias("span_to"),
        )
        .sort("unit_code", "formed_on")
    )


def build_unit_map(units: pl.DataFrame, crosswalk: pl.DataFrame) -> pl.DataFrame:
    """The unit_map table (see the module docstring) from the lake's units and crosswalk. The same
    inputs give the same table, so it is built once per process for them (every data directory seeded
    from the committed reference files shares it)."""
    key = (_digest(units), _digest(crosswalk))
    if key not in _BUILT:
        _BUILT.clear()  # one entry: the reference units, or a test's
        _BUILT[key] = _build(units, crosswalk)
    return _BUILT[key]


_BUILT: dict[tuple[int, int], pl.DataFrame] = {}


def _digest(frame: pl.DataFrame) -> int:
    return hash((tuple(frame.columns), frame.height, int(frame.hash_rows(seed=7).sum()) if frame.height else 0))


def _build(units: pl.DataFrame, crosswalk: pl.DataFrame) -> pl.DataFrame:
    spans = entities(units)
    by_code: dict[str, list[dict]] = {}
    for row in spans.iter_rows(named=True):
        by_code.setdefault(row["unit_code"], []).append(row)
    successors = _successor_index(crosswalk)

    def entity_on(code: str, day: date) -> dict | None:
        for row in by_code.get(code, ()):
            if row["span_from"] <= day and (row["span_to"] is None or row["span_to"] >= day):
                return row
        return None

    def province_of(entity: dict) -> dict | None:
        if entity["level"] == "province":
            return entity
        return entity_on(entity["province_code"], entity["span_to"] or entity["span_from"])

    provinces_then = _provinces_of_rows(units)

    def provinces_over_time(entity: dict) -> list[dict]:
        """Every province the entity belonged to, in order: a commune that kept its code and territory
        through 1 July 2025 belonged to Bắc Kạn, then to today's Thái Nguyên."""
        if entity["level"] == "province":
            return [entity]
        found: list[dict] = []
        for code, first, last in provinces_then.get((entity["unit_code"], entity["formed_on"]), ()):
            for row in by_code.get(code, ()):
                overlaps = row["span_from"] <= (last or date.max) and (
                    row["span_to"] is None or row["span_to"] >= first
                )
                if overlaps and row not in found:
                    found.append(row)
        return found

    def today(entity: dict, level: str, weight: float = 1.0, approximate: bool = False, hops: int = 0):
        """(today's unit, weight, approximate) for every unit of `level` the entity's territory went to."""
        if entity["span_to"] is None:
            return [(entity, weight, approximate)]
        if hops >= MAX_HOPS:
            return []
        effective = entity["span_to"] + timedelta(days=1)
        found = []
        for new_code, new_level, share, approx in successors.get((entity["unit_code"], effective), ()):
            if new_level != level:
                continue
            successor = entity_on(new_code, effective)
            if successor is not None:
                found += today(successor, level, weight * share, approximate or approx, hops + 1)
        return found

    rows = []
    for entity in spans.iter_rows(named=True):
        source = (entity["unit_code"], entity["formed_on"], entity["level"])
        province = province_of(entity)
        level = entity["level"]
        if level != "province":
            rows.append(_row("as_published", level, source, entity, 1.0, False))
        if level == "department":
            rows.append(_row("as_published", "district", source, entity, 1.0, False))
        for then in provinces_over_time(entity):
            rows.append(_row("as_published", "province", source, then, 1.0, False))
        if province is not None:
            for unit, weight, approximate in today(province, "province"):
                rows.append(_row("current", "province", source, unit, weight, approximate))
        if level != "province":
            target = CURRENT_LEVEL[level]
            for unit, weight, approximate in today(entity, target):
                rows.append(_row("current", target, source, unit, weight, approximate))
    names = [k for k in SCHEMA if k != "is_main"]
    frame = pl.DataFrame(
        {name: [row[i] for row in rows] for i, name in enumerate(names)},
        schema={k: SCHEMA[k] for k in names},
    )
    frame = frame.group_by([c for c in frame.columns if c not in ("weight", "approximate")], maintain_order=True).agg(
        pl.col("weight").sum(), pl.col("approximate").any()
    )
    # as published a unit is never split: each of its rows (one per province it belonged to) is main
    main = (
        frame.filter(pl.col("units_setting") == "current")
        .sort(["weight", "report_code"], descending=[True, False])
        .unique(["units_setting", "report_level", "unit_code", "formed_on"], keep="first")
        .select("units_setting", "report_level", "unit_code", "formed_on", "report_code", "report_formed_on")
        .with_columns(pl.lit(True).alias("is_main"))
    )
    frame = frame.join(
        main,
        on=["units_setting", "report_level", "unit_code", "formed_on", "report_code", "report_formed_on"],
        how="left",
    ).with_columns(pl.col("is_main").fill_null(pl.col("units_setting") == "as_published"))
    return (
        frame.select(SCHEMA.keys())
        .cast(SCHEMA)
        .sort("units_setting", "report_level", "unit_code", "formed_on", "report_code")
    )


def _provinces_of_rows(units: pl.DataFrame) -> dict[tuple[str, date], list[tuple[str, date, date | None]]]:
    """(unit_code, formed_on) -> (province code, valid_from, valid_to) of each of its validity rows."""
    frame = units.with_columns(
        pl.col("formed_on").fill_null(pl.col("valid_from"))
        if "formed_on" in units.columns
        else pl.col("valid_from").alias("formed_on")
    ).sort("valid_from")
    out: dict[tuple[str, date], list[tuple[str, date, date | None]]] = {}
    for code, formed_on, province, first, last in frame.select(
        "unit_code", "formed_on", "province_code", "valid_from", "valid_to"
    ).iter_rows():
        out.setdefault((code, formed_on), []).append((province, first, last))
    return out


def _row(
    setting: str, level: str, source: tuple[str, date, str], unit: dict, weight: float, approximate: bool
) -> tuple:
    return (
        setting,
        level,
        source[0],
        source[1],
        source[2],
        unit["unit_code"],
        unit["formed_on"],
        unit["province_code"] if unit["level"] != "province" else unit["unit_code"],
        unit["span_from"],
        unit["span_to"],
        None if unit["span_to"] is None else unit["span_to"] + timedelta(days=1),
        None if unit["span_to"] is None else unit["span_to"].replace(day=1),
        weight,
        approximate,
    )


def _successor_index(crosswalk: pl.DataFrame) -> dict[tuple[str, date], list[tuple[str, str, float, bool]]]:
    """(old code, day the change took effect) -> [(new code, new level, weight, approximate)]."""
    frame = crosswalk
    if "new_level" not in frame.columns:
        frame = frame.with_columns(
            pl.col("new_code")
            .str.len_chars()
            .replace_strict({2: "province", 3: "district", 5: "commune"}, default="department")
            .alias("new_level")
        )
    if "approximate" not in frame.columns:
        frame = frame.with_columns((pl.col("weight") < 1).alias("approximate"))
    index: dict[tuple[str, date], list] = {}
    for old, new, level, weight, approximate, effective in frame.select(
        "old_code",
        "new_code",
        "new_level",
        pl.col("weight").cast(pl.Float64),
        pl.col("approximate").fill_null(False),
        "effective",
    ).iter_rows():
        index.setdefault((old, effective), []).append((new, level, weight, bool(approximate)))
    return index


def version() -> str:
    """Hash of this module's source: the rules that build the table."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def is_stale(state: lake.LakeState) -> bool:
    """The lake's unit_map was built by another version of this module (or there is none)."""
    return TABLE not in state.files or state.reference_sha256.get(VERSION_KEY) != version()


def refresh(root: Path, state: lake.LakeState, previous: lake.LakeState | None, load_id: int) -> lake.LakeState:
    """`state` with a unit_map rebuilt when units or the crosswalk changed since `previous`, or when the
    lake has none yet or one built by another version of this module."""
    before = previous or lake.LakeState()
    changed = any(state.files.get(t) != before.files.get(t) for t in ("units", "unit_crosswalk"))
    if not changed and not is_stale(state):
        return state
    con = lake.work_connection(root, state)
    try:
        frame = build_unit_map(con.sql("select * from units").pl(), con.sql("select * from unit_crosswalk").pl())
        relative = lake.part_path(TABLE, load_id)
        con.register("unit_map_rows", frame.to_arrow())
        lake.copy_to_parquet(con, "select * from unit_map_rows", root, relative)
        con.unregister("unit_map_rows")
    finally:
        con.close()
    state = state.with_files(TABLE, (relative,))
    return replace(state, reference_sha256={**state.reference_sha256, VERSION_KEY: version()})
