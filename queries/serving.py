"""Serving tables: the final rows of the chart queries, stored by the ETL at publish time, read by the runner.

A chart query (dossier_kpis, service_index_766_total, ...) costs tens of milliseconds even on a small lake:
planning a long module, joining the reference tables, converting the result. The publish runs each query
of SERVED for every combination of its serving grid and stores the rows in the new catalogue
(`serving_<query>`), so a chart reads a few hundred stored rows instead (docs/performance.md, "Chart
queries: serving tables"). The query module stays the one definition: the rows are what the module
returned, and the runner falls back to running it for any other combination.

The grid of a served query, every other parameter at its default:
- year: the latest YEARS years `available_years` lists for the query (older years fall back to the SQL:
  computing every year costs a load about 0.1–0.8 s of CPU per key and query, see docs/performance.md);
- period: year and quarter (month falls back to the SQL);
- level and units: every allowed value;
- province_code: NULL (the whole lake). A province is then a WHERE over the stored rows, where that is
  what the SQL does: at a level below province (every such level ranks within its province, and a
  province's units are those its reported units belong to in the key's year, `unit_map.report_province_code`
  of the rows whose reporting window meets the year), and for a
  query without a level whose rows are provinces (papi filters its final rows). Each stored row keeps the
  province it belongs to; a key whose rows are not each in exactly one province, and a province filter at
  province level (ranks among the provinces), fall back to the SQL.

`$scope`, which every served query applies to its final rows, is applied the same way to the stored rows;
the runner then applies the Python scope filter and disclosure control exactly as after the SQL.

Tables (in the catalogue file, so they are published, and replaced, with the lake they were computed from):
- `serving_keys`: query, params (key_text of the bound parameters), year, province_filter (whether a
  province filter is served as a WHERE);
- `serving_sources`: query, version (its SQL and this grid), inputs (the files of the lake tables it reads):
  what the ETL compares to reuse a query's rows in the next publish;
- `serving_<query>`: serving_params, serving_year, serving_province, serving_row, then the query's columns.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
from typing import Any

import duckdb
import polars as pl

from queries.catalogue import Query

SERVED = (
    "dossier_kpis",
    "service_index_766_total",
    "service_index_766",
    "digital_shares",
    "waiting_time",
    "petitions_on_time",
    "targets_gap",
    "sipas",
    "par_index",
    "papi",
)
PERIODS = ("year", "quarter")
YEARS = 2  # the latest years with data: the year every page opens on, and the year before (rank changes)
# "off": the ETL stores no serving rows and the runner reads none; "reuse": the ETL copies the rows of the
# queries whose definition and inputs a publish left unchanged and computes none (a command-line load:
# etl/__main__.py serving_deferred), the runner reads what is there; anything else ("on", the default): both
ENV_SERVING = "CCHC_SERVING"
REUSE = "reuse"
KEYS_TABLE = "serving_keys"
SOURCES_TABLE = "serving_sources"
PROVINCE = "province_code"
# what the stored keys are: part of each query's serving version, so a changed grid rebuilds the rows
GRID_VERSION = f"latest {YEARS} years × period {'|'.join(PERIODS)} × level × units, province NULL"
_NOT_KEYED = (PROVINCE, "scope")


def enabled() -> bool:
    return os.environ.get(ENV_SERVING, "on").strip().lower() not in ("off", "0", "false", "no")


def reuse_only() -> bool:
    """A publish that copies the unchanged queries' rows and computes no others (CCHC_SERVING=reuse)."""
    return os.environ.get(ENV_SERVING, "on").strip().lower() == REUSE


def table_name(query: str) -> str:
    return f"serving_{query}"


def version(query: Query) -> str:
    """Hash of what a query's stored rows depend on besides the data: its SQL as run, columns, parameters
    and the grid. The runner reads rows stored under another version (a release changed the module) never."""
    return _version(query.name, query.sql, query.columns, repr(query.params))


@functools.lru_cache(maxsize=64)
def _version(name: str, sql: str, columns: tuple[str, ...], params: str) -> str:
    text = "\0".join((GRID_VERSION, name, sql, ",".join(columns), params))
    return hashlib.sha256(text.encode()).hexdigest()


def key_text(bound: dict[str, Any]) -> str:
    """The stored key of a call: its bound parameters except the province and the scope, as JSON."""
    return json.dumps({k: v for k, v in sorted(bound.items()) if k not in _NOT_KEYED}, default=str)


def grid(query: Query, years: list[int]) -> list[dict[str, Any]]:
    """Every parameter combination stored for `query`: bound parameters, defaults filled in."""
    combos: list[dict[str, Any]] = [{}]
    for param in query.params:
        if param.name == "year":
            values: tuple[Any, ...] = tuple(sorted(years)[-YEARS:])
        elif param.name == "period":
            values = PERIODS
        elif param.name in ("level", "units"):
            values = param.allowed or (param.default,)
        else:
            continue
        combos = [{**c, param.name: v} for c in combos for v in values]
    return [query.bind(c) for c in combos]


def province_column(query: Query, bound: dict[str, Any]) -> str | None:
    """How a stored row's province is known for a province filter served as a WHERE: 'unit' (its unit's
    reported province at the key's level and units), a column of the row, or None (not served)."""
    if PROVINCE not in {p.name for p in query.params}:
        return None
    if "level" in bound:
        return "unit" if bound["level"] != "province" and query.scope_column == "unit_code" else None
    return PROVINCE if query.scope_column == PROVINCE else None


def read(cur: duckdb.DuckDBPyConnection, query: Query, bound: dict[str, Any], generation: str) -> pl.DataFrame | None:
    """The stored rows of `query` for `bound` (scope and province applied as the SQL applies them), or None
    when the catalogue holds none for it: the caller runs the SQL then. `generation`: the published
    generation `cur` reads (queries.connection), under which the stored keys are remembered."""
    if query.name not in SERVED or not enabled():
        return None
    province = bound.get(PROVINCE)
    scope = bound.get("scope")
    if scope is not None and query.scope_column is None:
        return None
    key = key_text(bound)
    found = _stored_keys(cur, generation).get((query.name, key))
    if found is None or found[0] != version(query) or (province is not None and not found[1]):
        return None
    columns = ", ".join(f'"{c}"' for c in query.columns)
    scope_test = f'array_contains($scope, "{query.scope_column}")' if query.scope_column else "true"
    return cur.sql(
        f"select {columns} from {table_name(query.name)} "
        "where serving_params = $params and ($province is null or serving_province = $province) "
        f"and ($scope is null or {scope_test}) order by serving_row",
        params={"params": key, "province": province, "scope": scope},
    ).pl()


_keys_lock = threading.Lock()
_keys_cache: dict[str, dict[tuple[str, str], tuple[str, bool]]] = {}  # generation -> stored keys


def _stored_keys(cur: duckdb.DuckDBPyConnection, generation: str) -> dict[tuple[str, str], tuple[str, bool]]:
    """{(query, params): (version, province_filter)} of the catalogue `cur` reads, read once per
    generation (a catalogue file never changes once published)."""
    with _keys_lock:
        cached = _keys_cache.get(generation)
    if cached is not None:
        return cached
    try:
        rows = cur.sql(
            f"select k.query, k.params, s.version, k.province_filter "
            f"from {KEYS_TABLE} as k join {SOURCES_TABLE} as s using (query)"
        ).fetchall()
    except duckdb.CatalogException:  # a lake published without serving tables
        rows = []
    keys = {(q, p): (v, f) for q, p, v, f in rows}
    with _keys_lock:
        if len(_keys_cache) >= 8:  # old generations: a process follows the newest
            _keys_cache.clear()
        _keys_cache[generation] = keys
    return keys
