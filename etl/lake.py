"""The lake: immutable Parquet files plus one DuckDB catalogue that says which files are current.

Layout of a data directory:

    cchc.duckdb                          symlink to the current catalogue
    catalog/cchc-<load>.duckdb           one catalogue per load: a view per table over its current
                                         files, the manifest `lake_files`, `lake_state` (load id, demo),
                                         the chart queries' serving tables (etl/serving.py)
    lake/<table>/part-<load>.parquet     one table's rows as of load <load>
    lake/dossiers/year=<Y>/part-<load>.parquet
                                         dossiers, Hive-partitioned by the year received, sorted by
                                         unit then received_at inside each year
    lake/mart_<name>/part-<load>-<year>.parquet
                                         the marts (etl/marts/), one file per year, rebuilt by the
                                         load before its publish
    .etl.lock                            held by the one writer

Why this shape (DuckDB lets one process write a database file or many read it, never both):
- A load never modifies a file. It writes new Parquet files, then a *new* catalogue file, then
  atomically replaces the symlink `cchc.duckdb` to point at it. That rename is the commit point: a reader
  (the dashboard) that opened the old catalogue keeps reading the old files; a reader that opens it
  afterwards sees the new state whole. A load killed at any point before the rename leaves the previous
  catalogue, and so the previous lake, untouched; the files it wrote are orphans removed by the next load.
- Each catalogue has its own file name because DuckDB shares one database instance per path inside a
  process: a reader that reconnected to the same path would keep seeing the old generation.
- Files referenced by the current or the previous catalogue are kept, so queries in flight during a
  swap still find their files. Anything older is deleted after a successful publish.
- View paths are relative to the data directory (readers set DuckDB's `file_search_path` to it), so a
  data directory can be moved or copied as a whole.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from etl import contract, marts, serving
from queries.paths import CATALOG_NAME

LOCK_NAME = ".etl.lock"
CATALOG_DIR = "catalog"  # one immutable catalogue file per load; cchc.duckdb is a symlink to the current one

# Tables the ETL writes besides the contract's tables.
QUARANTINE_SCHEMA = {
    "load_id": "BIGINT",
    "source_file": "VARCHAR",
    "row_number": "BIGINT",
    "column_name": "VARCHAR",
    "raw_value": "VARCHAR",
    "reason": "VARCHAR",
    "detail": "VARCHAR",
    "raw_record": "VARCHAR",
}
LOAD_LOG_SCHEMA = {
    "load_id": "BIGINT",
    "kind": "VARCHAR",
    "source_file": "VARCHAR",
    "sha256": "VARCHAR",
    "rows_read": "BIGINT",
    "rows_accepted": "BIGINT",
    "rows_quarantined": "BIGINT",
    "started_at": "TIMESTAMP",
    "finished_at": "TIMESTAMP",
    "status": "VARCHAR",
    "message": "VARCHAR",
    "is_demo": "BOOLEAN",
}
assert tuple(QUARANTINE_SCHEMA)[:7] == contract.QUARANTINE_COLUMNS
assert tuple(LOAD_LOG_SCHEMA) == contract.LOAD_LOG_COLUMNS
# Derived from units and unit_crosswalk at every change of either (etl/unit_map.py, docs/units.md).
UNIT_MAP_SCHEMA = {
    "units_setting": "VARCHAR",
    "report_level": "VARCHAR",
    "unit_code": "VARCHAR",
    "formed_on": "DATE",
    "level": "VARCHAR",
    "report_code": "VARCHAR",
    "report_formed_on": "DATE",
    "report_province_code": "VARCHAR",
    "report_from": "DATE",
    "report_to": "DATE",
    "report_until": "DATE",
    "report_last_month": "DATE",
    "weight": "DOUBLE",
    "approximate": "BOOLEAN",
    "is_main": "BOOLEAN",
}


def table_schema(name: str) -> dict[str, str]:
    """Column -> DuckDB type of every table the catalogue exposes (without partition columns)."""
    if name == "quarantine":
        return QUARANTINE_SCHEMA
    if name == "load_log":
        return LOAD_LOG_SCHEMA
    if name == "unit_map":
        return UNIT_MAP_SCHEMA
    if name in marts.definitions():
        return marts.definitions()[name].schema
    table = contract.TABLES[name]
    return {c.name: contract.PARQUET_TYPE[c.type] for c in table.stored_columns}


def partition_column(name: str) -> str | None:
    table = contract.TABLES.get(name)
    return table.partition_by if table else None


def partition_of(path: str, partition: str) -> int | None:
    """The value of the Hive partition `partition` in a lake file's path (year=2024 -> 2024)."""
    for part in path.split("/"):
        if part.startswith(f"{partition}="):
            return int(part.split("=", 1)[1])
    return None


LAKE_TABLES: tuple[str, ...] = (*contract.TABLES, "quarantine", "load_log", "unit_map", *marts.definitions())


@dataclass(frozen=True)
class LakeState:
    """What the catalogue says is current: the files of each table and where they came from."""

    load_id: int = 0
    files: dict[str, tuple[str, ...]] = field(default_factory=dict)  # table -> paths relative to root
    reference_sha256: dict[str, str] = field(default_factory=dict)  # reference file -> hash loaded
    is_demo: bool = False

    def with_files(self, table: str, paths: tuple[str, ...]) -> LakeState:
        return replace(self, files={**self.files, table: tuple(sorted(paths))})

    def all_files(self) -> set[str]:
        return {p for paths in self.files.values() for p in paths}


# ------------------------------------------------------------------------------------------------
# Reading the current state
# ------------------------------------------------------------------------------------------------
def connect_catalog(root: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the catalogue whose relative view paths resolve against `root`."""
    return duckdb.connect(str(root / CATALOG_NAME), read_only=True, config={"file_search_path": str(root)})


def read_state(root: Path) -> LakeState | None:
    """The current state, or None when the data directory has no catalogue yet."""
    if not (root / CATALOG_NAME).exists():
        return None
    con = connect_catalog(root)
    try:
        load_id, is_demo = con.sql("select load_id, is_demo from lake_state").fetchall()[0]
        files: dict[str, list[str]] = {}
        for table_name, path in con.sql("select table_name, path from lake_files").fetchall():
            files.setdefault(table_name, []).append(path)
        refs = dict(con.sql("select reference_file, sha256 from lake_references").fetchall())
    finally:
        con.close()
    return LakeState(
        load_id=load_id,
        files={t: tuple(sorted(p)) for t, p in files.items()},
        reference_sha256=refs,
        is_demo=is_demo,
    )


def view_sql(table: str, paths: tuple[str, ...]) -> str:
    """SELECT over a table's files, or a typed empty SELECT when it has none.

    The paths are ones this module generated (never user input); DuckDB does not take bound
    parameters in view definitions, so they are quoted here.
    """
    schema = table_schema(table)
    if not paths:
        columns = ", ".join(f"cast(null as {typ}) as {col}" for col, typ in schema.items())
        partition = partition_column(table)
        if partition:
            columns += f", cast(null as bigint) as {partition}"
        return f"select {columns} limit 0"
    quoted = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
    hive = "true" if partition_column(table) else "false"
    return f"select * from read_parquet([{quoted}], hive_partitioning = {hive}, union_by_name = true)"


def attach_views(con: duckdb.DuckDBPyConnection, state: LakeState) -> None:
    """Create one view per lake table in `con` (a work connection or a new catalogue)."""
    for table in LAKE_TABLES:
        con.sql(f"create or replace view {table} as {view_sql(table, state.files.get(table, ()))}")


# The writer's DuckDB works within this much memory and spills the rest to <data dir>/.etl-tmp, so a
# load's memory does not grow with the size of the file or of the lake (docs/reliability.md).
WRITER_MEMORY_LIMIT = "256MB"
WRITER_TEMP_DIR = ".etl-tmp"


def work_connection(root: Path, state: LakeState) -> duckdb.DuckDBPyConnection:
    """An in-memory connection for the writer, with views over the current state."""
    con = duckdb.connect(
        config={
            "file_search_path": str(root),
            "memory_limit": WRITER_MEMORY_LIMIT,
            "temp_directory": str(root / WRITER_TEMP_DIR),
        }
    )
    con.sql("set enable_progress_bar = false")  # a load reports its own progress
    attach_views(con, state)
    return con


# ------------------------------------------------------------------------------------------------
# Crash testing: CCHC_KILL_AT=<step>:<n> makes the writer SIGKILL itself the n-th time it reaches
# <step>, so tests can kill a load at an exact point (no timing races). Unset in normal use.
# ------------------------------------------------------------------------------------------------
_steps_reached: dict[str, int] = {}


def crash_point(step: str) -> None:
    target = os.environ.get("CCHC_KILL_AT")
    if not target:
        return
    name, _, count = target.partition(":")
    _steps_reached[step] = _steps_reached.get(step, 0) + 1
    if name == step and _steps_reached[step] == int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)


# ------------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------------
@contextlib.contextmanager
def writer_lock(root: Path, timeout_s: float = 600.0) -> Iterator[None]:
    """Only one writer at a time; a second `python -m etl load` waits, then gives up clearly."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_NAME, "a+") as handle:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{root}: another load is still running") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def part_path(table: str, load_id: int, partition: int | None = None, suffix: str = "") -> str:
    """Relative path of a new immutable file of `table` written by load `load_id`."""
    folder = f"lake/{table}" + (f"/{partition_column(table)}={partition}" if partition is not None else "")
    return f"{folder}/part-{load_id:06d}{suffix}.parquet"


def copy_to_parquet(
    con: duckdb.DuckDBPyConnection, select: str, root: Path, relative: str, params: dict | None = None
) -> None:
    """Write the result of `select` to a new Parquet file (zstd) and flush it to disk."""
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    con.sql(
        f"copy ({select}) to '{target.as_posix()}' (format parquet, compression zstd)",
        params=params or {},
    )
    _fsync(target)
    crash_point("parquet_written")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(root: Path, state: LakeState, previous: LakeState | None) -> None:
    """Make `state` current: write a new catalogue file (with the serving tables computed from `state`),
    point `cchc.duckdb` at it, drop stale files."""
    generation = root / CATALOG_DIR / f"cchc-{state.load_id:06d}.duckdb"
    generation.parent.mkdir(parents=True, exist_ok=True)
    generation.unlink(missing_ok=True)  # a killed attempt at this load id may have left one
    con = duckdb.connect(str(generation), config={"file_search_path": str(root)})
    try:
        con.sql("create table lake_state (load_id bigint, published_at timestamp, is_demo boolean)")
        con.sql(
            "insert into lake_state values ($load_id, now()::timestamp, $is_demo)",
            params={"load_id": state.load_id, "is_demo": state.is_demo},
        )
        con.sql("create table lake_files (table_name varchar, path varchar)")
        rows = [(t, p) for t, paths in sorted(state.files.items()) for p in paths]
        if rows:
            con.executemany("insert into lake_files values (?, ?)", rows)
        con.sql("create table lake_references (reference_file varchar, sha256 varchar)")
        if state.reference_sha256:
            con.executemany("insert into lake_references values (?, ?)", sorted(state.reference_sha256.items()))
        attach_views(con, state)
        previous_catalogue = root / CATALOG_DIR / f"cchc-{previous.load_id:06d}.duckdb" if previous else None
        serving.build(con, state.files, LAKE_TABLES, previous_catalogue)
        crash_point("serving_built")
        con.sql("checkpoint")
    finally:
        con.close()
    _fsync(generation)
    crash_point("before_commit")
    pointer = root / f"{CATALOG_NAME}.new"
    pointer.unlink(missing_ok=True)
    os.symlink(generation.relative_to(root), pointer)
    os.replace(pointer, root / CATALOG_NAME)  # the commit point
    _fsync_dir(root)
    crash_point("after_commit")
    keep_catalogs = {generation.name} | ({f"cchc-{previous.load_id:06d}.duckdb"} if previous else set())
    collect_garbage(
        root,
        keep=state.all_files() | (previous.all_files() if previous else set()),
        keep_catalogs=keep_catalogs,
    )


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def collect_garbage(root: Path, keep: set[str], keep_catalogs: set[str]) -> None:
    """Delete what no catalogue refers to: superseded versions and orphans of killed loads."""
    lake = root / "lake"
    if lake.exists():
        for path in lake.rglob("*.parquet"):
            if path.relative_to(root).as_posix() not in keep:
                path.unlink(missing_ok=True)
    for stale in (root / CATALOG_DIR).glob("cchc-*.duckdb*"):
        if stale.name not in keep_catalogs:
            stale.unlink(missing_ok=True)
