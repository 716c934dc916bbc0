"""The query runner: the only door from the dashboard (and the CLI) to the data.

Usage:

    from queries import run, load_id
    frame = run("dossier_kpis", year=2024, period="quarter")        # -> polars.DataFrame
    frame = run("dossier_kpis", year=2024, scope=frozenset({"001"}))  # rows of the caller's units only
    key = load_id()      # id of the published load; put it into every cache key

`run(name, *, data_dir=None, scope=None, engine=None, aggregates_only=False, **params)`:
- looks `name` up in the catalogue (queries/*.sql, see queries/catalogue.py for the header format);
- validates the parameters (unknown, missing, ill-typed, not allowed -> QueryError, one line) and binds
  every declared parameter, defaults filled in, as a DuckDB named parameter (`$year`): SQL may rely on
  `$province_code IS NULL OR ...`. Values are never pasted into the SQL text;
- runs it on a fresh cursor of the process's read-only connection to `<data_dir>/cchc.duckdb`, or,
  with `engine="spark"` (or CCHC_QUERY_ENGINE=spark when `engine` is not given), on Apache Spark over
  the same Parquet files: queries/spark.py transpiles the module, binds the same parameters and returns
  the same frame (tests/queries/test_spark.py checks that on every golden fixture);
- checks that the result's columns are exactly the header's `columns:` (else CatalogueError: a bug);
- applies the caller's scope (DESIGN.md §8). `scope=None` means everything (no login configured);
  a frozenset of unit codes keeps only rows whose scope column (see catalogue.py) is in it, and an
  empty set (a logged-in user no rule matches, or nobody) returns no rows, also of `scope: none`
  queries (a query using `$scope` decides itself: dossier_rows_count counts 0). A query that uses
  `$scope` receives the list (NULL when None) to filter in SQL (before pagination where rows are
  paginated). A query with neither a scope column nor `$scope`
  refuses a scope unless its header says `scope: none`. Every query that returns unit rows filters
  its output by `$scope` in SQL (tests/queries/test_access_sql.py keeps it so); the Python filter on
  the result stays as a second line of defence. The caller expands grants into unit codes (a
  province user's scope lists the province and its units: ui/access.py);
- `aggregates_only=True` (the public mode, docs/security.md) refuses the queries whose header says
  `access: detail` (individual dossiers, quarantined raw values) with a QueryError.

The data directory is `CCHC_DATA_DIR`, else `<repo>/data` (etl.paths.data_dir when it exists).

Connections. The ETL publishes by atomically renaming a new cchc.duckdb over the old one. The runner
keeps one read-only connection per catalogue file per process, and before each call compares the
file's (inode, mtime); when it changed it opens a new connection and drops the old one (queries still
running on it finish against the old inode, which stays readable until closed). The catalogue is
ATTACHed READ_ONLY to a private in-memory database rather than opened with duckdb.connect(path):
connect() shares one database instance per path within a process, so a reconnect after the rename
would silently return the old instance and stale data while any cursor of it is alive.
Every call gets its own cursor(): sharing a connection across Streamlit's threads gives wrong results.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from queries.catalogue import QUERIES_DIR, CatalogueError, Query, QueryError, scan_catalogue

CATALOG_FILE = "cchc.duckdb"
_ALIAS = "cchc"
ENGINES = ("duckdb", "spark")
ENV_ENGINE = "CCHC_QUERY_ENGINE"  # the engine `run` uses when the caller names none; default duckdb


class EmptyLakeError(RuntimeError):
    """There is no published catalogue yet; pages show this message instead of a chart."""

    def __init__(self, data_dir: Path | None = None) -> None:
        where = f" in {data_dir}" if data_dir is not None else ""
        super().__init__(f"no data yet{where}: run `python -m etl demo` or load files")


class EngineError(RuntimeError):
    """The chosen engine cannot run the query: for Spark, pyspark or Java missing, the cluster
    unreachable, or Spark refused the query (see queries/spark.py). Message: one line."""


def data_dir() -> Path:
    """The data directory: CCHC_DATA_DIR, else <repo>/data."""
    try:
        from etl.paths import data_dir as etl_data_dir  # the ETL's definition, when it exists
    except ImportError:
        env = os.environ.get("CCHC_DATA_DIR")
        return Path(env).expanduser().resolve() if env else QUERIES_DIR.parent / "data"
    return Path(etl_data_dir()).resolve()


def catalog_path(directory: Path | str | None = None) -> Path:
    return Path(directory).resolve() / CATALOG_FILE if directory is not None else data_dir() / CATALOG_FILE


# --------------------------------------------------------------------------------------------------
# Catalogue of queries (re-read when a .sql file changes, so a running dashboard picks up edits)
# --------------------------------------------------------------------------------------------------
_catalogue_lock = threading.Lock()
_catalogue_cache: tuple[tuple, dict[str, Query], dict[str, CatalogueError]] | None = None


def _scan() -> tuple[dict[str, Query], dict[str, CatalogueError]]:
    global _catalogue_cache
    files = sorted(QUERIES_DIR.glob("*.sql"))
    signature = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    with _catalogue_lock:
        if _catalogue_cache is None or _catalogue_cache[0] != signature:
            _catalogue_cache = (signature, *scan_catalogue(QUERIES_DIR))
        return _catalogue_cache[1], _catalogue_cache[2]


def catalogue() -> dict[str, Query]:
    """Every query whose file parses, keyed by name (sorted); re-read when a .sql file changes."""
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
# Connections
# --------------------------------------------------------------------------------------------------
@dataclass
class _Handle:
    connection: duckdb.DuckDBPyConnection
    signature: tuple[int, int, int]


_connections_lock = threading.Lock()
_connections: dict[Path, _Handle] = {}


# The dashboard's DuckDB works within this much memory (by default DuckDB may keep up to 80 % of the
# machine's RAM as cache); a query needing more spills to a temporary folder. Chart queries read marts
# and need a few MB; a drill-down over raw rows streams.
READER_MEMORY_LIMIT = "256MB"


def _open(path: Path, data_root: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(
        ":memory:",
        config={
            "file_search_path": str(data_root),
            "memory_limit": READER_MEMORY_LIMIT,
            "temp_directory": str(Path(tempfile.gettempdir()) / "cchc-duckdb"),
        },
    )
    connection.sql(f"ATTACH '{_sql_string(str(path))}' AS {_ALIAS} (READ_ONLY)")
    return connection


def _sql_string(text: str) -> str:
    return text.replace("'", "''")


def cursor(directory: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh cursor on the current published catalogue, its default database set to it.

    Raises EmptyLakeError when nothing has been published in the data directory yet.
    """
    path = catalog_path(directory)
    # cchc.duckdb is a symlink the ETL swaps atomically; attach the file it points at right now.
    generation = path.resolve()
    try:
        stat = os.stat(generation)
    except FileNotFoundError:
        raise EmptyLakeError(path.parent) from None
    signature = (stat.st_dev, stat.st_ino, stat.st_mtime_ns)
    with _connections_lock:
        handle = _connections.get(path)
        if handle is None or handle.signature != signature:
            # The old connection is dropped, not closed: cursors running on it keep it alive.
            handle = _Handle(_open(generation, data_root=path.parent), signature)
            _connections[path] = handle
        cur = handle.connection.cursor()
    cur.sql(f"USE {_ALIAS}")
    return cur


def reset_connections() -> None:
    """Forget every cached connection (tests; or after moving the data directory)."""
    with _connections_lock:
        _connections.clear()


def lake_info(directory: Path | str | None = None) -> dict[str, Any]:
    """The published load: {'load_id', 'published_at', 'is_demo'} (values None if lake_state is absent)."""
    cur = cursor(directory)
    try:
        rows = cur.sql(
            "select count(*) from information_schema.tables where table_catalog = $c and table_name = 'lake_state'",
            params={"c": _ALIAS},
        ).fetchall()
        if rows[0][0]:
            state = cur.sql("select load_id, published_at, is_demo from lake_state limit 1").fetchall()
            if state:
                load, published_at, is_demo = state[0]
                return {"load_id": load, "published_at": published_at, "is_demo": is_demo}
        return {"load_id": None, "published_at": None, "is_demo": None}
    finally:
        cur.close()


def load_id(directory: Path | str | None = None) -> int | None:
    """lake_state.load_id of the published catalogue: changes with every load, so cache keys that
    include it are invalidated by a new load. EmptyLakeError when nothing is published."""
    return lake_info(directory)["load_id"]


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
    query = get_query(name)
    if aggregates_only and query.detail:
        raise QueryError(f"query '{name}' returns individual rows: not available in the public (aggregates-only) mode")
    bound = query.bind(params)
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
        return frame.clear()  # nobody (login mode, no rule matched): not even unit-less rows, DESIGN.md §8
    if scope_set is not None and query.scope_column is not None:
        frame = frame.filter(pl.col(query.scope_column).is_in(sorted(scope_set)))
    return frame


def _run_duckdb(query: Query, bound: dict[str, Any], data_dir: Path | str | None) -> pl.DataFrame:
    cur = cursor(data_dir)
    try:
        return cur.sql(query.sql, params=bound).pl()
    finally:
        cur.close()
