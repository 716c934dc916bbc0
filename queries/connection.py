"""Connections to the published lake, and the one signature of what is published ("the generation").

    from queries.connection import cursor, generation
    gen = generation()        # which catalogue file the symlink cchc.duckdb points at right now
    cur = cursor()            # a fresh cursor on that catalogue, read-only

The ETL publishes by atomically renaming a new symlink `cchc.duckdb` over the old one, each load pointing
at its own catalogue file `catalog/cchc-<load>.duckdb` (docs/architecture.md, "The lake and its
catalogue"). `generation(directory)` identifies what is published now: the data directory and the
catalogue file's device, inode and modification time. Everything that must notice a new load compares
generations, and nothing else: the reader connections below, the Spark engine's views
(queries/spark.py), the dashboard's query cache (ui/fetch.py) and the viewer's unit scope (ui/access.py).

Connections. The runner keeps one read-only connection per catalogue file per process and opens a new one
when the generation changed; the old one is dropped, not closed: queries still running on it finish
against the old file, which stays readable until closed. The catalogue is ATTACHed READ_ONLY to a private
in-memory database rather than opened with duckdb.connect(path): connect() shares one database instance
per path within a process, so a reconnect after the rename would silently return the old instance and
stale data while any cursor of it is alive. Every call gets its own cursor(): sharing a connection across
Streamlit's threads gives wrong results.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from queries.paths import catalog_path

ALIAS = "cchc"  # the catalogue's name inside a reader connection
# The dashboard's DuckDB works within this much memory (by default DuckDB may keep up to 80 % of the
# machine's RAM as cache); a query needing more spills to a temporary folder. Chart queries read marts
# and need a few MB; a drill-down over raw rows streams. Not everything spills: the Decision 766 index
# by month at commune level in today's units (Trends) needs 256-384 MB on a province of 1 M dossiers a
# year, and failed at 256 MB with an out-of-memory error (docs/performance.md, "Serving many users").
READER_MEMORY_LIMIT = "512MB"


class EmptyLakeError(RuntimeError):
    """There is no published catalogue yet; pages show this message instead of a chart."""

    def __init__(self, data_dir: Path | None = None) -> None:
        where = f" in {data_dir}" if data_dir is not None else ""
        super().__init__(f"no data yet{where}: run `python -m etl demo` or load files")


class EngineError(RuntimeError):
    """The chosen engine cannot run the query: for Spark, pyspark or Java missing, the cluster
    unreachable, or Spark refused the query (see queries/spark.py). Message: one line."""


@dataclass(frozen=True)
class Generation:
    """What a data directory publishes right now: the catalogue file its symlink points at."""

    data_dir: str
    catalogue: str  # the catalogue file, symlink resolved
    device: int
    inode: int
    mtime_ns: int

    @property
    def key(self) -> str:
        """A short text naming this generation (cache keys, Spark view names)."""
        raw = f"{self.data_dir}|{self.catalogue}|{self.device}|{self.inode}|{self.mtime_ns}"
        return hashlib.sha1(raw.encode()).hexdigest()[:10]


def generation(directory: Path | str | None = None) -> Generation:
    """The generation published in `directory` (default: the data directory); EmptyLakeError when
    nothing is published there yet."""
    link = catalog_path(directory)
    target = link.resolve()
    try:
        stat = os.stat(target)
    except FileNotFoundError:
        raise EmptyLakeError(link.parent) from None
    return Generation(str(link.parent), str(target), stat.st_dev, stat.st_ino, stat.st_mtime_ns)


# --------------------------------------------------------------------------------------------------
# Connections
# --------------------------------------------------------------------------------------------------
@dataclass
class _Handle:
    connection: duckdb.DuckDBPyConnection
    generation: Generation


_connections_lock = threading.Lock()
_connections: dict[str, _Handle] = {}


def _open(current: Generation) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(
        ":memory:",
        config={
            "file_search_path": current.data_dir,
            "memory_limit": READER_MEMORY_LIMIT,
            "temp_directory": str(Path(tempfile.gettempdir()) / "cchc-duckdb"),
        },
    )
    connection.sql(f"ATTACH '{_sql_string(current.catalogue)}' AS {ALIAS} (READ_ONLY)")
    return connection


def _sql_string(text: str) -> str:
    return text.replace("'", "''")


def cursor(directory: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh cursor on the current published catalogue, its default database set to it.

    Raises EmptyLakeError when nothing has been published in the data directory yet.
    """
    return cursor_of_generation(directory)[0]


def cursor_of_generation(directory: Path | str | None = None) -> tuple[duckdb.DuckDBPyConnection, Generation]:
    """`cursor(directory)` and the generation it reads (a publish between two calls cannot part them)."""
    current = generation(directory)
    with _connections_lock:
        handle = _connections.get(current.data_dir)
        if handle is None or handle.generation != current:
            # The old connection is dropped, not closed: cursors running on it keep it alive.
            handle = _Handle(_open(current), current)
            _connections[current.data_dir] = handle
        cur = handle.connection.cursor()
    cur.sql(f"USE {ALIAS}")
    return cur, handle.generation


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
            params={"c": ALIAS},
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
    """lake_state.load_id of the published catalogue (changes with every load). EmptyLakeError when
    nothing is published."""
    return lake_info(directory)["load_id"]
