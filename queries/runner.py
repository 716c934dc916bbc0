"""The query runner: the only door from the dashboard (and the CLI) to the data.

Usage:

    from queries import generation, run
    frame = run("dossier_kpis", year=2024, period="quarter")        # -> polars.DataFrame
    frame = run("dossier_kpis", year=2024, scope=frozenset({"001"}))  # rows of the caller's units only
    gen = generation()   # what is published now: put it into every cache key (queries/connection.py)

`run(name, *, data_dir=None, scope=None, engine=None, aggregates_only=False, **params)`:
- looks `name` up in the catalogue (queries/*.sql, see queries/catalogue.py for the header format);
- validates the parameters (unknown, missing, ill-typed, not allowed -> QueryError, one line) and binds
  every declared parameter, defaults filled in, as a DuckDB named parameter (`$year`): SQL may rely on
  `$province_code IS NULL OR ...`. Values are never pasted into the SQL text;
- runs it on a fresh cursor of the process's read-only connection to `<data_dir>/cchc.duckdb`: from the
  query's serving table when the catalogue stores its rows for exactly these parameters (queries/serving.py:
  the rows the module returned at publish time), else the SQL; or,
  with `engine="spark"` (or CCHC_QUERY_ENGINE=spark when `engine` is not given), on Apache Spark over
  the same Parquet files: queries/spark.py transpiles the module, binds the same parameters and returns
  the same frame (tests/queries/test_spark.py checks that on every golden fixture);
- checks that the result's columns are exactly the header's `columns:` (else CatalogueError: a bug);
- applies the caller's scope (docs/security.md, "Where the scope is enforced"). `scope=None` means
  everything (no login configured); a frozenset of unit codes keeps only rows whose scope column (see
  catalogue.py) is in it, and an empty set (a logged-in user no rule matches, or nobody) returns no
  rows, also of `scope: none` queries (a query using `$scope` decides itself: dossier_rows_count counts
  0). A query that uses `$scope` receives the list (NULL when None) to filter in SQL (before pagination
  where rows are paginated). A query with neither a scope column nor `$scope` refuses a scope unless its
  header says `scope: none`. Every query that returns unit rows filters its output by `$scope` in SQL
  (tests/queries/test_access_sql.py keeps it so); the Python filter on the result stays as a second
  line of defence. The caller expands grants into unit codes (a province user's scope lists the
  province and its units: ui/access.py);
- `aggregates_only=True` (the public mode, docs/security.md) refuses the queries whose header says
  `access: detail` (individual dossiers, quarantined raw values) with a QueryError;
- applies disclosure control last (queries/disclosure.py, the query's `disclosure:` header): in every
  mode a hidden cell is never the only hidden one of a relation (complementary suppression); with
  `aggregates_only=True` counts below CCHC_PUBLIC_MIN_COUNT (default 3), server paths and file hashes
  are hidden too, and the cells another query hides that this one would show without their counts
  (a `with` clause: that query is run as the same caller). Every page, table, download and the
  command line get the result after it.

The data directory is `CCHC_DATA_DIR`, else `<repo>/data` (queries/paths.py). Connections to the
published catalogue, and the generation that tells a new load apart, are queries/connection.py's.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl

from queries import disclosure, serving
from queries.catalogue import QUERIES_DIR, CatalogueError, Query, QueryError, scan_catalogue
from queries.connection import cursor, cursor_of_generation, generation  # noqa: F401 (cursor: callers import it from here)
from queries.paths import catalog_path

ENGINES = ("duckdb", "spark")
ENV_ENGINE = "CCHC_QUERY_ENGINE"  # the engine `run` uses when the caller names none; default duckdb


# --------------------------------------------------------------------------------------------------
# Catalogue of queries (re-read when a query or a building block changes, so a running dashboard
# picks up edits)
# --------------------------------------------------------------------------------------------------
_catalogue_lock = threading.Lock()
_catalogue_cache: tuple[tuple, dict[str, Query], dict[str, CatalogueError]] | None = None


def catalogue_signature(directory: Path | None = None) -> tuple:
    """Name, modification time and size of every query file and of every building block the queries may
    use (`models/` beside them): an edited `queries/*.sql` or `queries/models/*.sql` changes it."""
    directory = directory or QUERIES_DIR
    files = sorted(directory.glob("*.sql")) + sorted((directory / "models").glob("*.sql"))
    return tuple((str(p.relative_to(directory)), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def _scan() -> tuple[dict[str, Query], dict[str, CatalogueError]]:
    global _catalogue_cache
    signature = catalogue_signature()
    with _catalogue_lock:
        if _catalogue_cache is None or _catalogue_cache[0] != signature:
            _catalogue_cache = (signature, *scan_catalogue(QUERIES_DIR))
        return _catalogue_cache[1], _catalogue_cache[2]


def catalogue() -> dict[str, Query]:
    """Every query whose file parses, keyed by name (sorted); re-read when a query file or a building
    block changes."""
    return _scan()[0]


def catalogue_errors() -> dict[str, CatalogueError]:
    """Query files that do not parse: {file name without .sql: error}. Tests keep this empty."""
    return _scan()[1]


def get_query(name: str) -> Query:
    queries, broken = _scan()
    if name in broken:
        raise broken[name]
    if name not in queries:
        raise QueryError(f"unknown query '{name}'; known: {', '.join(queries) or 'none'}")
    return queries[name]


# --------------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------------
def run(
    name: str,
    *,
    data_dir: Path | str | None = None,
    scope: Iterable[str] | None = None,
    engine: str | None = None,
    aggregates_only: bool = False,
    **params: Any,
) -> pl.DataFrame:
    """Run catalogue query `name` with `params`; see the module docstring."""
    return _run(name, data_dir, scope, engine, aggregates_only, params)[1]


def _run(
    name: str,
    data_dir: Path | str | None,
    scope: Iterable[str] | None,
    engine: str | None,
    aggregates_only: bool,
    params: dict[str, Any],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The result of `run` before and after disclosure control."""
    query = get_query(name)
    if aggregates_only and query.detail:
        raise QueryError(f"query '{name}' returns individual rows: not available in the public (aggregates-only) mode")
    bound = query.bind(params)
    try:
        threshold = disclosure.min_count()
    except ValueError as error:
        raise QueryError(str(error)) from None
    if isinstance(scope, str):
        raise QueryError("scope must be a set of unit codes, not a string")
    scope_set = None if scope is None else frozenset(scope)
    if (
        scope_set is not None
        and query.scope_column is None
        and not query.uses_scope
        and query.header.get("scope") != "none"
    ):
        raise QueryError(f"query '{name}' has no unit column to apply a scope to")
    if query.uses_scope:
        bound["scope"] = None if scope_set is None else sorted(scope_set)
    engine = engine or os.environ.get(ENV_ENGINE) or "duckdb"
    if engine == "duckdb":
        frame = _run_duckdb(query, bound, data_dir)
    elif engine == "spark":
        from queries import spark  # imported on demand: pyspark is only needed for this engine

        frame = spark.run_query(query, bound, catalog_path(data_dir).parent)
    else:
        raise QueryError(f"unknown engine '{engine}'; engines: {', '.join(ENGINES)}")
    if list(frame.columns) != list(query.columns):
        raise CatalogueError(
            f"query '{name}' returned columns {list(frame.columns)}, its header declares {list(query.columns)}"
        )
    if scope_set is not None and not scope_set and query.scope_column is None and not query.uses_scope:
        return frame.clear(), frame.clear()  # nobody (login mode, no rule matched): not even unit-less rows
    if scope_set is not None and query.scope_column is not None:
        frame = frame.filter(pl.col(query.scope_column).is_in(sorted(scope_set)))

    @functools.cache
    def source_run(other: str, extra: tuple[tuple[str, Any], ...]) -> tuple[pl.DataFrame, pl.DataFrame]:
        taken = {p.name for p in get_query(other).params}
        shared = {key: value for key, value in params.items() if key in taken}
        return _run(other, data_dir, scope_set, engine, aggregates_only, {**shared, **dict(extra)})

    def source(other: str, extra: dict[str, Any]) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Query `other` as this caller, with this query's parameters it takes and `extra` (each run once
        for this result: several clauses read the same query)."""
        return source_run(other, tuple(sorted(extra.items())))

    protected = disclosure.protect(
        frame,
        query.disclosure,
        public=aggregates_only,
        min_count=threshold,
        parents=functools.cache(lambda: _unit_parents(data_dir)),
        sources=source,
    )
    return frame, protected


_parents_lock = threading.Lock()
_parents_cache: dict[str, tuple[tuple[str, str], pl.DataFrame]] = {}  # data dir -> ((generation, SQL), parents)


def _unit_parents(data_dir: Path | str | None) -> pl.DataFrame:
    """(unit_code, parent_code) of every unit code (its latest row, the `units` query): the groups of
    disclosure control's `parent(...)` keys. Read once per published generation: the units change only
    with a publish."""
    current = generation(data_dir)
    query = get_query("units")
    key = (current.key, query.sql)
    with _parents_lock:
        cached = _parents_cache.get(current.data_dir)
    if cached is not None and cached[0] == key:
        return cached[1]
    bound = query.bind({})
    bound["scope"] = None
    parents = _run_duckdb(query, bound, data_dir).select("unit_code", "parent_code")
    with _parents_lock:
        _parents_cache[current.data_dir] = (key, parents)
    return parents


def _run_duckdb(query: Query, bound: dict[str, Any], data_dir: Path | str | None) -> pl.DataFrame:
    cur, current = cursor_of_generation(data_dir)
    try:
        served = serving.read(cur, query, bound, current.key)
        return served if served is not None else cur.sql(query.sql, params=bound).pl()
    finally:
        cur.close()
