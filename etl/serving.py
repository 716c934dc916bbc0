"""Building the serving tables inside a new catalogue, before its publish (queries/serving.py says what
they are and how the runner reads them).

`build(con, files, previous_catalogue)` runs on the connection that writes the new catalogue file, after
its views are created and before it is checkpointed and swapped in: the serving rows are computed from
exactly the lake being published and become visible with it, or not at all (a load killed before the
swap leaves the previous catalogue, serving tables included).

A served query's rows are copied from the previous catalogue when its definition (the module as run,
building blocks included, and the serving grid) and the files of every lake table its SQL names are the
same; else its rows are recomputed for every key of its grid, by running the module, as the runner would.
So a load of dossiers recomputes the dossier queries, a load of survey responses only sipas and
targets_gap, and a change of units or of the unit map every query.

A command-line load (`python -m etl load`, and each load of `python -m etl demo`) publishes with
CCHC_SERVING=reuse: it copies the rows of the queries it left unchanged and computes none, so a load of
dossiers keeps PAR, SIPAS and PAPI served and leaves the dossier queries to their SQL. `python -m etl marts`
(run by `make run`) publishes the lake again when serving rows are missing or were stored by other query
definitions (a new release), and `python -m etl demo` computes them once, after its last load.

CCHC_SERVING=off skips the build, and the runner then reads no serving rows: every query runs its SQL.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path

import duckdb

from queries import serving
from queries.catalogue import QUERIES_DIR, Query, scan_catalogue

# The province a reported unit of a key belongs to: the one province of its unit_map rows whose reporting
# window meets the year (a commune kept its code across the reform and changed province on 1 July 2025:
# in 2025 it has two, and a province filter that year falls back to the SQL; in 2026 one).
UNIT_PROVINCES_OF_YEAR = """
select report_code,
    case when count(distinct report_province_code) = 1 then min(report_province_code) end as province
from unit_map
where units_setting = $units and report_level = $level
    and coalesce(report_from, date '0001-01-01') <= make_date($year, 12, 31)
    and coalesce(report_to, date '9999-12-31') >= make_date($year, 1, 1)
group by report_code
"""
PREVIOUS = "serving_previous"  # the previous catalogue, attached read-only to copy unchanged rows


def inputs(query: Query, files: dict[str, tuple[str, ...]], tables: tuple[str, ...]) -> str:
    """Hash of the files of every lake table the query's SQL names (a name in a comment counts too: one
    rebuild too many, never one too few), and of unit_map, which places the stored rows in provinces."""
    named = {t for t in tables if re.search(rf"\b{re.escape(t)}\b", query.sql)} | {"unit_map"}
    listing = {t: list(files.get(t, ())) for t in sorted(named)}
    return hashlib.sha256(json.dumps(listing, sort_keys=True).encode()).hexdigest()


def build(
    con: duckdb.DuckDBPyConnection,
    files: dict[str, tuple[str, ...]],
    tables: tuple[str, ...],
    previous_catalogue: Path | None,
) -> dict[str, float]:
    """Create the serving tables in `con` (the new catalogue); {query: seconds spent computing it} for the
    queries recomputed (copied ones are left out)."""
    if not serving.enabled():
        return {}
    queries, _broken = scan_catalogue(QUERIES_DIR)
    con.sql(f"create table {serving.KEYS_TABLE} (query varchar, params varchar, year integer, province_filter boolean)")
    con.sql(f"create table {serving.SOURCES_TABLE} (query varchar, version varchar, inputs varchar)")
    years = _years(con)
    reusable = _attach_previous(con, previous_catalogue)
    attached = bool(
        con.sql(f"select count(*) from duckdb_databases() where database_name = '{PREVIOUS}'").fetchall()[0][0]
    )
    spent: dict[str, float] = {}
    try:
        for name in serving.SERVED:
            query = queries.get(name)
            if query is None:
                continue  # a broken module: the runner reports it; nothing to store
            source = (name, serving.version(query), inputs(query, files, tables))
            if source in reusable:
                _copy(con, name)
            elif serving.reuse_only():
                continue  # not stored: the runner runs its SQL until a publish that computes (etl marts)
            else:
                started = time.perf_counter()
                _compute(con, query, years.get(name, []))
                spent[name] = time.perf_counter() - started
            con.execute(f"insert into {serving.SOURCES_TABLE} values (?, ?, ?)", source)
    finally:
        if attached:
            con.sql(f"detach {PREVIOUS}")
    return spent


def is_current(catalogue: Path, files: dict[str, tuple[str, ...]], tables: tuple[str, ...]) -> bool:
    """Whether the published catalogue's serving tables are those a publish of `files` would store: every
    served query stored under its current version and inputs (always true with CCHC_SERVING=off)."""
    if not serving.enabled():
        return True
    queries, _broken = scan_catalogue(QUERIES_DIR)
    wanted = {
        (n, serving.version(queries[n]), inputs(queries[n], files, tables)) for n in serving.SERVED if n in queries
    }
    con = duckdb.connect(str(catalogue), read_only=True)
    try:
        stored = set(con.sql(f"select query, version, inputs from {serving.SOURCES_TABLE}").fetchall())
    except duckdb.CatalogException:
        return False  # published without serving tables
    finally:
        con.close()
    return stored == wanted


def _years(con: duckdb.DuckDBPyConnection) -> dict[str, list[int]]:
    queries, _ = scan_catalogue(QUERIES_DIR)
    rows = con.sql(queries["available_years"].sql).fetchall()
    years: dict[str, list[int]] = {}
    for _family, query, year in rows:
        years.setdefault(query, []).append(int(year))
    return {q: sorted(set(y)) for q, y in years.items()}


def _attach_previous(con: duckdb.DuckDBPyConnection, path: Path | None) -> set[tuple[str, str, str]]:
    """Attach the previous catalogue when it has serving tables; the (query, version, inputs) it stored."""
    if path is None or not path.exists():
        return set()
    con.execute(f"attach '{_sql_string(str(path))}' as {PREVIOUS} (read_only)")
    found = con.sql(
        "select count(*) from information_schema.tables where table_catalog = $c and table_name = $t",
        params={"c": PREVIOUS, "t": serving.SOURCES_TABLE},
    ).fetchall()[0][0]
    if not found:
        return set()  # detached in build()
    return set(con.sql(f"select query, version, inputs from {PREVIOUS}.{serving.SOURCES_TABLE}").fetchall())


def _copy(con: duckdb.DuckDBPyConnection, name: str) -> None:
    table = serving.table_name(name)
    con.execute(
        f"insert into {serving.KEYS_TABLE} select * from {PREVIOUS}.{serving.KEYS_TABLE} where query = ?", [name]
    )
    exists = con.sql(
        "select count(*) from information_schema.tables where table_catalog = $c and table_name = $t",
        params={"c": PREVIOUS, "t": table},
    ).fetchall()[0][0]
    if exists:
        con.sql(f"create table {table} as select * from {PREVIOUS}.{table}")


def _compute(con: duckdb.DuckDBPyConnection, query: Query, years: list[int]) -> None:
    table = serving.table_name(query.name)
    created = False
    for bound in serving.grid(query, years):
        if query.uses_scope:
            bound["scope"] = None
        con.execute(f"create or replace temp table serving_batch as {query.sql}", bound)
        where = serving.province_column(query, bound)
        if where == "unit":
            province = "m.province"
            source = f"serving_batch as b left join ({UNIT_PROVINCES_OF_YEAR}) as m on m.report_code = b.unit_code"
            keys = {"units": bound["units"], "level": bound["level"], "year": bound["year"]}
        else:
            province = f'b."{where}"' if where else "cast(null as varchar)"
            source = "serving_batch as b"
            keys = {}
        select = (
            f"select $params as serving_params, cast($year as integer) as serving_year, "
            f"{province} as serving_province, b.rowid as serving_row, b.* from {source}"
        )
        params = {"params": serving.key_text(bound), "year": bound["year"], **keys}
        if not created:
            con.execute(f"create table {table} as {select} limit 0", params)
            created = True
        con.execute(f"insert into {table} {select}", params)
        unplaced = con.execute(f"select count(*) from {source} where {province} is null", keys).fetchall()[0][0]
        con.execute(
            f"insert into {serving.KEYS_TABLE} values (?, ?, ?, ?)",
            [query.name, params["params"], bound["year"], where is not None and unplaced == 0],
        )
    con.sql("drop table if exists serving_batch")


def _sql_string(text: str) -> str:
    return text.replace("'", "''")
