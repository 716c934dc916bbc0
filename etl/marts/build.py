"""Rebuilding the marts inside a load, before its publish (so a published lake never has stale marts).

Which years are rebuilt:
- every year when the lake has no marts yet, when the mart definitions changed (their hash is kept in
  `lake_references` under MART_VERSION_KEY) or when `units`, `unit_crosswalk`, `unit_map` or `procedures`
  changed (a dossier's field, fee and the units it is reported under come from them);
- else, when the load changed dossier partitions, the years from the earliest changed one on: a dossier
  of year Y counts in later years too while it is open;
- else none: the previous load's mart files are kept.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from etl import lake, marts, unit_map

MART_VERSION_KEY = "etl/marts"
MART_MEMORY_LIMIT = "1GB"  # the writer's DuckDB while building marts (it spills the rest to disk)
_FILE_YEAR = re.compile(r"-(\d{4})\.parquet$")


def dossier_years(state: lake.LakeState) -> list[int]:
    """The years of the dossier partitions in `state`, ascending."""
    return sorted({lake.partition_of(p, "year") for p in state.files.get("dossiers", ())})


def years_to_rebuild(state: lake.LakeState, previous: lake.LakeState | None) -> list[int]:
    years = dossier_years(state)
    before = previous or lake.LakeState()
    stale = before.reference_sha256.get(MART_VERSION_KEY) != marts.version() or any(
        state.files.get(t) != before.files.get(t) for t in ("units", "unit_crosswalk", "unit_map", "procedures")
    )
    if stale:
        return years
    changed = set(state.files.get("dossiers", ())) - set(before.files.get("dossiers", ()))
    if not changed:
        return []
    earliest = min(lake.partition_of(p, "year") for p in changed)
    return [y for y in years if y >= earliest]


def refresh(root: Path, state: lake.LakeState, previous: lake.LakeState | None, load_id: int) -> lake.LakeState:
    """`state` with mart files for the years that need them (see the module docstring)."""
    rebuild = years_to_rebuild(state, previous)
    current = marts.definitions()
    state = lake.LakeState(
        load_id=state.load_id,
        # a mart an older release had and this one does not is dropped (its files are then collected)
        files={t: p for t, p in state.files.items() if not t.startswith(marts.PREFIX) or t in current},
        reference_sha256={**state.reference_sha256, MART_VERSION_KEY: marts.version()},
        is_demo=state.is_demo,
    )
    if not rebuild:
        return state  # a mart without files reads as an empty view (etl.lake.view_sql)
    all_years = dossier_years(state)
    con = lake.work_connection(root, state)
    # the marts' aggregations hold one entry per unit × procedure × month: more than the merge needs
    con.sql("set memory_limit = $limit", params={"limit": MART_MEMORY_LIMIT})
    try:
        for mart in marts.definitions().values():
            kept = [p for p in state.files.get(mart.name, ()) if _file_year(p) < rebuild[0]]
            columns = ", ".join(f"cast({c} as {t}) as {c}" for c, t in mart.schema.items())
            con.sql(
                f"create or replace temp table new_mart as select {columns} from ({mart.sql})",
                params={"from_year": rebuild[0], "to_year": all_years[-1]},
            )
            written = []
            for (year,) in con.sql("select distinct year from new_mart order by year").fetchall():
                relative = lake.part_path(mart.name, load_id, suffix=f"-{year}")
                lake.copy_to_parquet(con, "select * from new_mart where year = $year", root, relative, {"year": year})
                written.append(relative)
            state = state.with_files(mart.name, (*kept, *written))
    finally:
        con.close()
    return state


def rebuild_if_stale(root: Path) -> int | None:
    """Publish a new load with marts of the current definitions when the lake was built with others
    (a lake from an older release); the new load id, or None when the marts are current or there is no lake."""
    with lake.writer_lock(root):
        previous = lake.read_state(root)
        if previous is None or (
            previous.reference_sha256.get(MART_VERSION_KEY) == marts.version() and not unit_map.is_stale(previous)
        ):
            return None
        load_id = previous.load_id + 1
        state = unit_map.refresh(root, replace(previous, load_id=load_id), previous, load_id)
        state = refresh(root, state, previous, load_id)
        lake.publish(root, state, previous)
        return load_id


def _file_year(path: str) -> int:
    match = _FILE_YEAR.search(path)
    if match is None:
        raise ValueError(f"{path}: a mart file name ends with -<year>.parquet")
    return int(match.group(1))
