"""The Spark engine: the same query modules, run on Apache Spark over the same Parquet lake.

    from queries import run
    frame = run("dossier_kpis", year=2023, engine="spark")   # same Polars frame as engine="duckdb"

Nothing here is specific to one query: a module runs on Spark exactly as written for DuckDB (the
portable subset of docs/scaling.md, "Portable SQL"), and `tests/queries/test_spark.py` checks that both engines return
equal results on every golden fixture. A difference is fixed in the SQL, never by a branch here.

How a call runs (`run_query`):
1. Session. One per process, reused: Spark Connect when CCHC_SPARK_REMOTE is set (`sc://host:15002`),
   else a local session (`local[2]`, 4 shuffle partitions, UI off) on PySpark's bundled jars and the
   machine's Java. Both get the same SQL settings (`SQL_CONF`): session time zone UTC, `TIMESTAMP`
   meaning TIMESTAMP_NTZ (DuckDB's TIMESTAMP has no zone; the lake's timestamps are written that way),
   ANSI mode on (a division by zero raises instead of returning NULL: the NULLIF rule keeps it away).
2. Views. The lake's tables are registered as temp views over the very Parquet files the DuckDB
   catalogue lists (manifest `lake_files`, read through the runner's read-only connection), with the
   column types of the catalogue's views, dossiers with their Hive `year` partition; a table without
   files is an empty frame of that schema; the catalogue's own small tables (lake_state, ...) are
   copied. View names carry the catalogue generation (`cchc_<key>_<table>`), so queries on an older
   generation, or on another data directory, never see a view swapped under them; the query's table
   references are renamed on the syntax tree. A new generation registers new views (a few ms: no file is
   read until a query runs); the oldest registrations are dropped.
3. SQL. The module is parsed as DuckDB and written as Spark SQL by sqlglot, unsupported constructs
   raised (`ErrorLevel.RAISE`), never ignored. Rewrites on the syntax tree, none by text:
   - `$name` -> Spark's named parameter marker `:name`; values go through `spark.sql(args=...)`.
     A NULL value (and the empty scope list) becomes a typed constant `CAST(NULL AS <declared type>)`,
     because Spark types a bare NULL argument as VOID, which e.g. `array_contains` refuses. Only the
     constant NULL / empty array is written into the SQL; every other value is bound.
   - `percentile_cont(p) WITHIN GROUP (ORDER BY x)` -> `percentile(x, p)`: sqlglot writes the
     WITHIN GROUP form as Spark's *approximate* `percentile_approx`, which silently changes medians.
     Spark's `percentile` is exact with the same linear interpolation as DuckDB's percentile_cont.
     The generated SQL is then checked to hold no approximate aggregate at all.
   - `COLLATE vi` is kept: Spark >= 4.0 has ICU collations and orders Vietnamese as DuckDB does.
4. Result. Arrow -> Polars, each column cast to the type DuckDB returns for the same SQL type
   (`POLARS_TYPE`); the runner then checks the columns against the header and applies the scope.

Needs pyspark (a dev extra, `pip install -e '.[dev]'`) and Java 17+ for a local session; with
CCHC_SPARK_REMOTE the cluster needs Spark >= 4.0 and read access to the lake at the same path, or at
CCHC_SPARK_DATA_URI (e.g. `s3a://bucket/cchc`: the data directory as the cluster sees it).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
import sqlglot
from sqlglot import exp

from queries.catalogue import CatalogueError, Query
from queries.connection import ALIAS, EngineError, cursor, generation

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

ENV_REMOTE = "CCHC_SPARK_REMOTE"
ENV_DATA_URI = "CCHC_SPARK_DATA_URI"
LOCAL_MASTER = "local[2]"
# SQL settings of every session, local or remote (runtime settings, which Spark Connect accepts too).
SQL_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.ansi.enabled": "true",
}
# Settings of a local session only: small shuffles for small data, no UI; a cluster keeps its own.
LOCAL_CONF = {
    "spark.sql.shuffle.partitions": "4",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.memory": "2g",
}
CATALOGUE_TABLES = ("lake_state", "lake_files", "lake_references")  # small tables inside the catalogue
REGISTRATIONS_KEPT = 4  # catalogue generations (or data directories) whose views stay registered

# DuckDB column type of the lake -> Spark type used to read the Parquet files.
SPARK_TYPE = {
    "VARCHAR": "STRING",
    "BIGINT": "BIGINT",
    "INTEGER": "INT",
    "SMALLINT": "SMALLINT",
    "DOUBLE": "DOUBLE",
    "FLOAT": "FLOAT",
    "BOOLEAN": "BOOLEAN",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP_NTZ",
}
# Spark result type -> the Polars type DuckDB returns for the same SQL type.
POLARS_TYPE = {
    "string": pl.String,
    "bigint": pl.Int64,
    "int": pl.Int32,
    "smallint": pl.Int16,
    "tinyint": pl.Int8,
    "double": pl.Float64,
    "float": pl.Float32,
    "boolean": pl.Boolean,
    "date": pl.Date,
    "timestamp_ntz": pl.Datetime("us"),
    "void": pl.Null,
    "array<string>": pl.List(pl.String),
}
_DECIMAL = re.compile(r"decimal\((\d+),(\d+)\)")
_APPROXIMATE = ("approx", "percentile_approx")  # function-name prefixes that must not reach Spark


# --------------------------------------------------------------------------------------------------
# Session
# --------------------------------------------------------------------------------------------------
_session_lock = threading.Lock()
_session: SparkSession | None = None


def java_available() -> bool:
    """A local session needs a Java runtime: `java` on PATH or JAVA_HOME."""
    return bool(shutil.which("java") or os.environ.get("JAVA_HOME"))


def session() -> SparkSession:
    """The process's Spark session, created on first use (see the module docstring)."""
    global _session
    with _session_lock:
        if _session is not None:
            return _session
        # pyspark 4.3 warns on every session that it is not yet tested with pandas 3; no pandas is used here.
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise EngineError("the spark engine needs pyspark: pip install -e '.[dev]'") from None
        # Spark raises its errors as Python exceptions; don't also log each one as a JSON blob.
        for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        remote = os.environ.get(ENV_REMOTE)
        if not remote and not java_available():
            raise EngineError("a local Spark session needs Java 17+ (`java` on PATH or JAVA_HOME)")
        try:
            if remote:
                spark = SparkSession.builder.remote(remote).getOrCreate()
            else:
                builder = SparkSession.builder.master(LOCAL_MASTER).appName("cchc-dashboard")
                for key, value in {**LOCAL_CONF, **SQL_CONF}.items():
                    builder = builder.config(key, value)
                spark = builder.getOrCreate()
                spark.sparkContext.setLogLevel("ERROR")
            for key, value in SQL_CONF.items():
                spark.conf.set(key, value)
        except Exception as exc:  # no JVM, wrong Java, cluster unreachable: one line for the CLI
            where = remote or LOCAL_MASTER
            raise EngineError(f"cannot start a Spark session ({where}): {' '.join(str(exc).split())[:300]}") from exc
        _session = spark
        return spark


def stop() -> None:
    """Stop the process's session (tests; a new one starts on the next query)."""
    global _session
    with _session_lock:
        if _session is not None:
            _session.stop()
        _session = None
        _registrations.clear()


# --------------------------------------------------------------------------------------------------
# The lake as temp views
# --------------------------------------------------------------------------------------------------
_registry_lock = threading.Lock()
_registrations: OrderedDict[str, frozenset[str]] = OrderedDict()  # view prefix -> tables registered


def data_uri(root: Path) -> str:
    """The data directory as Spark sees it: CCHC_SPARK_DATA_URI, else the local path."""
    return os.environ.get(ENV_DATA_URI, "").rstrip("/") or root.as_posix()


def spark_type(table: str, column: str, duckdb_type: str) -> str:
    if duckdb_type in SPARK_TYPE:
        return SPARK_TYPE[duckdb_type]
    if duckdb_type.startswith("DECIMAL"):
        return duckdb_type
    raise EngineError(f"{table}.{column}: DuckDB type {duckdb_type} has no Spark mapping in queries/spark.py")


def register_lake(spark: SparkSession, root: Path) -> tuple[str, frozenset[str]]:
    """Temp views over the current generation of `root`'s lake: (view name prefix, table names)."""
    prefix = f"cchc_{generation(root).key}_"  # EmptyLakeError when nothing is published
    with _registry_lock:
        if prefix in _registrations:
            _registrations.move_to_end(prefix)
            return prefix, _registrations[prefix]
        cur = cursor(root)
        try:
            columns: dict[str, list[tuple[str, str]]] = {}
            kinds: dict[str, str] = {}
            for table, kind in cur.sql(
                "select table_name, table_type from information_schema.tables where table_catalog = $c",
                params={"c": ALIAS},
            ).fetchall():
                kinds[table] = kind
            for table, column, type_ in cur.sql(
                "select table_name, column_name, data_type from information_schema.columns "
                "where table_catalog = $c order by table_name, ordinal_position",
                params={"c": ALIAS},
            ).fetchall():
                columns.setdefault(table, []).append((column, type_))
            if "lake_files" not in kinds:
                raise EngineError(f"{root}: the catalogue has no lake_files manifest (not published by etl/)")
            files: dict[str, list[str]] = {}
            for table, path in cur.sql("select table_name, path from lake_files order by path").fetchall():
                files.setdefault(table, []).append(path)
            copies = {t: _read_all(cur.sql(f"select * from {t}").arrow()) for t in CATALOGUE_TABLES if t in kinds}
        finally:
            cur.close()
        base = data_uri(root)
        for table, kind in sorted(kinds.items()):
            if table in copies:
                frame = spark.createDataFrame(copies[table])
            elif kind == "VIEW":
                schema = ", ".join(f"`{c}` {spark_type(table, c, t)}" for c, t in columns[table])
                paths = [f"{base}/{p}" for p in files.get(table, [])]
                if paths:
                    frame = spark.read.schema(schema).option("basePath", f"{base}/lake/{table}").parquet(*paths)
                else:
                    frame = spark.createDataFrame([], schema)
            else:
                continue  # a base table other than the catalogue's own: not part of the lake
            frame.createOrReplaceTempView(prefix + table)
        tables = frozenset(t for t, k in kinds.items() if t in copies or k == "VIEW")
        _registrations[prefix] = tables
        while len(_registrations) > REGISTRATIONS_KEPT:
            old_prefix, old_tables = _registrations.popitem(last=False)
            for table in old_tables:
                spark.catalog.dropTempView(old_prefix + table)
        return prefix, tables


def _read_all(table: Any) -> Any:
    """duckdb 2.0's .arrow() is a RecordBatchReader holding the cursor's result open: read it whole."""
    return table.read_all() if hasattr(table, "read_all") else table


# --------------------------------------------------------------------------------------------------
# DuckDB SQL -> Spark SQL
# --------------------------------------------------------------------------------------------------
def to_spark_sql(
    query: Query, bound: dict[str, Any], prefix: str = "", tables: frozenset[str] = frozenset()
) -> tuple[str, dict[str, Any]]:
    """The module as Spark SQL plus the arguments to bind (see the module docstring, step 3).

    `tables` found in the SQL are renamed to `prefix + name` (the registered views), keeping the
    name they were written with as their alias."""
    tree = sqlglot.parse_one(query.sql, read="duckdb")
    cte_names = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    declared = {p.name: p.type for p in query.params} | {"scope": "VARCHAR[]"}
    args: dict[str, Any] = {}

    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder) and node.name:
            name = node.name
            if name not in bound:
                raise CatalogueError(f"query '{query.name}': ${name} has no bound value")
            value = bound[name]
            if value is None or (isinstance(value, list | tuple) and not value):
                constant = exp.null() if value is None else exp.Array(expressions=[])
                return exp.cast(constant, exp.DataType.build(declared[name], dialect="duckdb"))
            args[name] = list(value) if isinstance(value, list | tuple) else value
            return node
        if isinstance(node, exp.WithinGroup) and isinstance(node.this, exp.PercentileCont):
            ordered = node.expression.expressions if isinstance(node.expression, exp.Order) else []
            if len(ordered) != 1 or ordered[0].args.get("desc"):
                raise CatalogueError(f"query '{query.name}': percentile_cont needs one ascending ORDER BY key")
            return exp.Quantile(this=ordered[0].this.copy(), quantile=node.this.this.copy())
        if isinstance(node, exp.Table) and not node.args.get("db") and node.name in tables - cte_names:
            renamed = exp.to_table(prefix + node.name)
            renamed.set("alias", node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(node.name)))
            return renamed
        return node

    tree = tree.transform(rewrite)
    try:
        sql = tree.sql(dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)
    except sqlglot.errors.UnsupportedError as exc:
        raise CatalogueError(f"query '{query.name}' does not transpile to Spark SQL: {exc}") from None
    approximate = sorted(
        {
            _function_name(f)
            for f in sqlglot.parse_one(sql, read="spark").find_all(exp.Func)
            if isinstance(f, exp.ApproxQuantile | exp.ApproxDistinct) or _function_name(f).startswith(_APPROXIMATE)
        }
    )
    if approximate:
        raise CatalogueError(f"query '{query.name}': Spark SQL would be approximate ({', '.join(approximate)})")
    return sql, args


def _function_name(node: exp.Expression) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower()
    return node.sql_name().lower()


# --------------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------------
def polars_type(spark_type_name: str) -> pl.DataType:
    """The Polars type DuckDB returns for the SQL type Spark reports (`DataType.simpleString()`)."""
    name = re.sub(r" collate \w+$", "", spark_type_name.lower())  # a collated string is a string
    if name in POLARS_TYPE:
        return POLARS_TYPE[name]
    decimal = _DECIMAL.fullmatch(name)
    if decimal:
        return pl.Decimal(int(decimal.group(1)), int(decimal.group(2)))
    raise EngineError(f"Spark result type {spark_type_name} has no Polars mapping in queries/spark.py")


def run_query(query: Query, bound: dict[str, Any], root: Path) -> pl.DataFrame:
    """Run `query` with its bound parameters on Spark over the lake in `root` (the runner's seam)."""
    spark = session()
    prefix, tables = register_lake(spark, root)
    sql, args = to_spark_sql(query, bound, prefix, tables)
    try:
        frame = spark.sql(sql, args=args)
        arrow = frame.toArrow()
    except Exception as exc:  # pyspark / py4j / grpc errors: one line for the CLI and the pages
        message = " ".join(str(exc).split())[:500]
        raise EngineError(f"query '{query.name}' failed on Spark: {message}") from exc
    return _to_polars(frame, arrow)


def _to_polars(frame: DataFrame, arrow: Any) -> pl.DataFrame:
    result = pl.from_arrow(arrow)
    assert isinstance(result, pl.DataFrame)
    types = {field.name: polars_type(field.dataType.simpleString()) for field in frame.schema.fields}
    return result.cast(types)  # type: ignore[arg-type]
