"""The Spark engine (queries/spark.py) gives the same answers as DuckDB.

- Every golden fixture (tests/queries/golden/) runs on both engines over one lake: Spark must match
  expected.csv, and match DuckDB exactly in columns, Polars types and row order (counts exact, doubles
  within 1e-9, NULL where DuckDB has NULL). Rows are compared in order: `ORDER BY ... COLLATE vi` is kept
  on Spark (ICU collations, Spark >= 4.0), so the Vietnamese order must agree too.
- The queries over the ETL's own records (lake_state, load_log, quarantine_*, freshness), which have no
  golden case, run on both engines over a lake with quarantined rows.
- A few index queries on the demo lake (realistic volumes and values) on both engines.
- Every lake table of the demo data reads alike in both engines: Spark's own reading of the Parquet
  files (schema inferred from the files, Hive partitions discovered) has the DuckDB view's columns and
  types, and per column the same row count, non-NULL count, minimum and maximum.
- The transpiler's rules: exact percentiles, typed NULL parameters, bound values, the CLI's --engine.

One local Spark session serves the whole test run (session fixture); a test module that needs Spark
skips, saying why, only when no Java runtime exists (CI installs one: .ci/run).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest
import sqlglot
from sqlglot import exp

from queries import EngineError, get_query, run
from queries import spark as spark_engine
from queries.__main__ import main as cli
from queries.catalogue import CatalogueError, Query, QueryError
from queries.runner import cursor
from tests.conftest import build_lake_from
from tests.queries.test_golden import CASES, differences, read_expected
from tests.queries.test_quality_queries import BAD_EXPORT, DOSSIERS, UNITS

pytestmark = pytest.mark.spark


@pytest.fixture(scope="session")
def spark():
    if not spark_engine.java_available():
        pytest.skip("no Java runtime (`java` on PATH or JAVA_HOME): the Spark engine cannot start locally")
    session = spark_engine.session()
    yield session
    spark_engine.stop()


def engine_differences(duck: pl.DataFrame, spark: pl.DataFrame) -> list[str]:
    """Spark's frame against DuckDB's: same columns and types, then cell by cell as the goldens."""
    if duck.schema != spark.schema:
        return [f"schema: duckdb {dict(duck.schema)}, spark {dict(spark.schema)}"]
    return differences(spark, duck)


# --------------------------------------------------------------------------------------------------
# Golden fixtures on both engines
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_on_both_engines(case: Path, golden_lake, spark) -> None:
    spec = json.loads((case / "params.json").read_text(encoding="utf-8"))
    data_dir = golden_lake(case / "inputs")
    kwargs = {"data_dir": data_dir, "scope": spec.get("scope"), **spec.get("params", {})}
    duck = run(spec["query"], **kwargs)
    on_spark = run(spec["query"], engine="spark", **kwargs)

    problems = differences(on_spark, read_expected(case / "expected.csv", on_spark.schema))
    assert not problems, f"{case.name} on Spark vs expected.csv:\n  " + "\n  ".join(problems[:40])
    problems = engine_differences(duck, on_spark)
    assert not problems, f"{case.name}, Spark vs DuckDB:\n  " + "\n  ".join(problems[:40]) + f"\n{on_spark}"


# --------------------------------------------------------------------------------------------------
# Queries without a golden case: the ETL's own records, on a lake with quarantined rows
# --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def quality_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from etl.load import load_files

    root = tmp_path_factory.mktemp("spark-quality") / "data"
    build_lake_from({"units": UNITS, "dossiers": DOSSIERS}, root)
    export = root.parent / "bad-export.csv"
    export.write_text(BAD_EXPORT, encoding="utf-8")
    assert [r.rows_quarantined for r in load_files("dossiers", [export], data_dir=root)] == [3]
    return root


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("lake_state", {}),
        ("load_log", {}),
        ("load_log", {"kind": "dossiers", "limit": 1}),
        ("quarantine_summary", {}),
        ("quarantine_rows", {}),
        ("quarantine_rows", {"reason": "unknown_unit", "limit": 2, "offset": 0}),
        ("freshness", {}),
        ("available_years", {}),
        ("dossier_rows", {"year": 2024}),
        ("dossier_rows_count", {}),
    ],
    ids=lambda v: v if isinstance(v, str) else "-".join(f"{k}={x}" for k, x in v.items()) or "defaults",
)
def test_etl_records_on_both_engines(name: str, params: dict, quality_lake: Path, spark) -> None:
    duck = run(name, data_dir=quality_lake, **params)
    on_spark = run(name, data_dir=quality_lake, engine="spark", **params)
    assert duck.height > 0, f"{name}: the fixture lake should give rows"
    problems = engine_differences(duck, on_spark)
    assert not problems, f"{name}, Spark vs DuckDB:\n  " + "\n  ".join(problems[:40])


def test_scope_lists_on_spark(quality_lake: Path, spark) -> None:
    """$scope: a list of codes is bound; NULL (no scope) and the empty list are typed constants."""
    everything = run("dossier_rows", data_dir=quality_lake, engine="spark")
    assert everything.height == 3
    assert run("dossier_rows", data_dir=quality_lake, engine="spark", scope={"001"}).height == 3
    assert run("dossier_rows", data_dir=quality_lake, engine="spark", scope={"002"}).height == 0
    assert run("dossier_rows", data_dir=quality_lake, engine="spark", scope=set()).height == 0


# --------------------------------------------------------------------------------------------------
# Realistic volumes: the demo lake (tests/conftest.py: demo_data_dir), where weights, rates and
# percentiles take values the hand-made fixtures do not (it caught SIPAS's DECIMAL average)
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("dossier_kpis", {"year": 2023, "period": "quarter"}),
        ("service_index_766_total", {"year": 2023}),
        ("sipas", {"year": 2023}),
        ("targets_gap", {"year": 2023}),
    ],
    ids=lambda v: v if isinstance(v, str) else "-".join(f"{k}={x}" for k, x in v.items()),
)
def test_demo_lake_on_both_engines(name: str, params: dict, demo_data_dir: Path, spark) -> None:
    duck = run(name, data_dir=demo_data_dir, **params)
    on_spark = run(name, data_dir=demo_data_dir, engine="spark", **params)
    assert duck.height > 10, f"{name}: the demo lake should give rows"
    problems = engine_differences(duck, on_spark)
    assert not problems, f"{name}, Spark vs DuckDB:\n  " + "\n  ".join(problems[:40])


# --------------------------------------------------------------------------------------------------
# The lake reads alike
# --------------------------------------------------------------------------------------------------
def _duckdb_profile(root: Path) -> dict[str, dict]:
    """{table: {"types": {column: spark type}, "files": [...], "stats": {column: (rows, non-null, min, max)}}}."""
    cur = cursor(root)
    try:
        files: dict[str, list[str]] = {}
        for table, path in cur.sql("select table_name, path from lake_files order by path").fetchall():
            files.setdefault(table, []).append(path)
        types: dict[str, dict[str, str]] = {}
        for table, column, type_ in cur.sql(
            "select c.table_name, c.column_name, c.data_type from information_schema.columns as c "
            "join information_schema.tables as t using (table_catalog, table_schema, table_name) "
            "where c.table_catalog = 'cchc' and t.table_type = 'VIEW' order by c.table_name, c.ordinal_position"
        ).fetchall():
            types.setdefault(table, {})[column] = spark_engine.spark_type(table, column, type_)
        profile = {}
        for table, columns in types.items():
            profile[table] = {"types": columns, "files": files.get(table, []), "stats": _stats(cur.sql, table, columns)}
        return profile
    finally:
        cur.close()


def _stats(sql, table: str, columns: dict[str, str], quote: str = '"') -> dict[str, tuple]:
    """(rows, non-NULL values, min, max) of every column, in one query."""
    parts = [f"count({quote}{c}{quote}), min({quote}{c}{quote}), max({quote}{c}{quote})" for c in columns]
    row = sql(f"select count(*), {', '.join(parts)} from {table}").fetchall()[0]
    return {c: (row[0], *row[1 + 3 * i : 4 + 3 * i]) for i, c in enumerate(columns)}


def test_every_lake_table_reads_alike(demo_data_dir: Path, spark) -> None:
    """Spark reads the files DuckDB wrote with the same schema (inferred by Spark itself) and values."""
    profile = _duckdb_profile(demo_data_dir)
    assert {"dossiers", "units", "procedures", "quarantine", "load_log"} <= set(profile)
    assert profile["dossiers"]["types"].get("year") == "BIGINT"
    problems = []
    for table, expected in sorted(profile.items()):
        if not expected["files"]:
            continue  # no files: the engine registers an empty frame of the DuckDB schema (see below)
        paths = [f"{demo_data_dir}/{p}" for p in expected["files"]]
        frame = (
            spark.read.option("basePath", f"{demo_data_dir}/lake/{table}").option("mergeSchema", "true").parquet(*paths)
        )
        inferred = {f.name: f.dataType.simpleString().upper() for f in frame.schema.fields}
        if "year" in inferred and table == "dossiers":
            # Hive partition values are inferred as INT by Spark, BIGINT by DuckDB: the engine reads the
            # lake with DuckDB's schema, so this is the one type it states rather than infers.
            assert inferred["year"] == "INT"
            inferred["year"] = "BIGINT"
        if inferred != expected["types"]:
            problems.append(f"{table}: duckdb {expected['types']}, spark {inferred}")
            continue
        frame.createOrReplaceTempView("lake_check")
        stats = _stats(lambda q: _SparkRows(spark.sql(q)), "lake_check", expected["types"], quote="`")
        for column, values in stats.items():
            if values != expected["stats"][column]:
                problems.append(f"{table}.{column}: duckdb {expected['stats'][column]}, spark {values}")
    assert not problems, "\n".join(problems)


def test_registered_views_match_the_catalogue(demo_data_dir: Path, spark) -> None:
    """The views the engine registers (files or empty) have DuckDB's columns, types and row counts."""
    profile = _duckdb_profile(demo_data_dir)
    prefix, tables = spark_engine.register_lake(spark, demo_data_dir)
    assert set(profile) <= tables
    for table, expected in profile.items():
        view = spark.table(prefix + table)
        assert {f.name: f.dataType.simpleString().upper() for f in view.schema.fields} == expected["types"], table
        rows = next(iter(expected["stats"].values()))[0] if expected["stats"] else 0
        assert view.count() == rows, table


class _SparkRows:
    """Adapter so `_stats` reads a Spark result like a DuckDB relation."""

    def __init__(self, frame) -> None:
        self.frame = frame

    def fetchall(self) -> list[tuple]:
        return [tuple(r) for r in self.frame.collect()]


# --------------------------------------------------------------------------------------------------
# Transpiler rules (no Spark needed for the first ones)
# --------------------------------------------------------------------------------------------------
def _query(sql: str, params: str = "") -> Query:
    from queries.catalogue import parse_params

    return Query("adhoc", "ad hoc", "none", parse_params(params), ("x",), sql, Path("adhoc.sql"))


def test_percentile_cont_stays_exact() -> None:
    sql = "select percentile_cont(0.9) within group (order by x) as x from t"
    plain = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
    assert "PERCENTILE_APPROX" in plain  # what sqlglot alone would run: an approximate median
    spark_sql, _ = spark_engine.to_spark_sql(_query(sql), {})
    assert "PERCENTILE(x, 0.9)" in spark_sql and "APPROX" not in spark_sql.upper()


def test_approximate_aggregates_are_refused() -> None:
    with pytest.raises(CatalogueError, match="approximate"):
        spark_engine.to_spark_sql(_query("select approx_count_distinct(x) as x from t"), {})


def test_parameters_are_bound_and_nulls_typed() -> None:
    query = _query(
        "select x from t where ($d is null or d = $d) and ($y is null or y = $y) and ($s is null or s = $s)",
        "d DATE = NULL; y INTEGER = NULL; s VARCHAR = NULL",
    )
    sql, args = spark_engine.to_spark_sql(query, {"d": dt.date(2024, 1, 2), "y": None, "s": "x'; drop"})
    assert args == {"d": dt.date(2024, 1, 2), "s": "x'; drop"}
    assert ":d IS NULL OR d = :d" in sql and ":s IS NULL" in sql and "drop" not in sql
    assert "CAST(NULL AS INT) IS NULL OR y = CAST(NULL AS INT)" in sql


def test_every_module_transpiles_without_approximation() -> None:
    from queries import catalogue

    for query in catalogue().values():
        bound = {p.name: None for p in query.params} | {"scope": None}
        sql, _ = spark_engine.to_spark_sql(query, bound)
        # an approximate aggregate is a call (APPROX_COUNT_DISTINCT(, PERCENTILE_APPROX(); a column may
        # still be named `approximate`
        assert not re.search(r"\b\w*APPROX\w*\s*\(", sql.upper()), query.name


def test_percentiles_agree_numerically(spark) -> None:
    """DuckDB's percentile_cont and the Spark SQL the engine writes, on awkward values (ties, NULLs, one row)."""
    values = "(1, 1), (1, 2), (1, 2), (1, 10), (1, null), (2, 7), (3, null), (4, -3), (4, 5)"
    sql = (
        f"with t (g, x) as (values {values}) select g, percentile_cont(0.5) within group (order by x) as m, "
        "percentile_cont(0.9) within group (order by x) as p from t group by g order by g"
    )
    query = Query("adhoc", "ad hoc", "none", (), ("g", "m", "p"), sql, Path("adhoc.sql"))
    spark_sql, _ = spark_engine.to_spark_sql(query, {})
    duck = duckdb.sql(sql).fetchall()
    on_spark = [tuple(r) for r in spark.sql(spark_sql).collect()]
    assert len(duck) == len(on_spark) == 4
    for a, b in zip(duck, on_spark, strict=True):
        assert a[0] == b[0]
        for x, y in zip(a[1:], b[1:], strict=True):
            assert (x is None and y is None) or abs(x - y) < 1e-12, (a, b)


# --------------------------------------------------------------------------------------------------
# Differences between the engines that the SQL avoids (found by running the modules on both)
# --------------------------------------------------------------------------------------------------
def test_the_differences_the_rules_avoid(spark) -> None:
    """Pinned engine behaviour behind the rules below and in docs/scaling.md; if an upgrade changes it,
    this test says so (the rules stay harmless either way)."""
    duck = duckdb.sql(
        "select round(1.005::double, 2), cast(2.7::double as bigint), avg(x), typeof(avg(x)) "
        "from (values (1.0), (0.0), (0.0)) as t(x)"
    ).fetchall()[0]
    on_spark = spark.sql(
        "select round(cast(1.005 as double), 2), cast(2.7D as bigint), avg(x), typeof(avg(x)) "
        "from values (1.0), (0.0), (0.0) as t(x)"
    ).collect()[0]
    assert (duck[0], on_spark[0]) == (1.0, 1.01)  # round: DuckDB scales in binary, Spark rounds the decimal text
    assert (duck[1], on_spark[1]) == (3, 2)  # double -> integer: DuckDB rounds, Spark truncates
    assert duck[3] == "DOUBLE" and on_spark[3] == "decimal(6,5)"  # avg of a DECIMAL: Spark keeps 5 decimals
    assert abs(duck[2] - float(on_spark[2])) > 1e-6


def _module_trees() -> dict[str, sqlglot.exp.Expression]:
    from queries import catalogue

    return {q.name: sqlglot.parse_one(q.sql, read="duckdb") for q in catalogue().values()}


def test_modules_use_no_round() -> None:
    """round(x, n) differs at half-way values: ties are taken as floor(x * 1e6 + 0.5), bit-identical."""
    found = [
        f"{name}: {node.sql('duckdb')}" for name, tree in _module_trees().items() for node in tree.find_all(exp.Round)
    ]
    assert not found, "\n".join(found)


def test_modules_aggregate_no_decimal_literals() -> None:
    """avg/sum over a DECIMAL literal (`case when ... then 1.0 else 0.0 end`) is DOUBLE on DuckDB and a
    rounded DECIMAL on Spark: write `cast(... as double)` around the value instead. Best effort: it sees
    literals written inside the aggregate, not ones selected in a CTE and aggregated later (the demo-lake
    comparison above catches those)."""
    found = []
    for name, tree in _module_trees().items():
        for aggregate in tree.find_all(exp.Avg, exp.Sum):
            for literal in aggregate.find_all(exp.Literal):
                if literal.is_number and "." in literal.this and not _cast_to_double_between(literal, aggregate):
                    found.append(f"{name}: {aggregate.sql('duckdb')}")
    assert not found, "\n".join(found)


def _cast_to_double_between(node: exp.Expression, top: exp.Expression) -> bool:
    parent = node.parent
    while parent is not None and parent is not top:
        if isinstance(parent, exp.Cast) and parent.to.this == exp.DataType.Type.DOUBLE:
            return True
        parent = parent.parent
    return False


def test_session_settings(spark) -> None:
    for key, value in {**spark_engine.SQL_CONF, "spark.sql.shuffle.partitions": "4"}.items():
        assert spark.conf.get(key) == value, key  # ANSI on: a division by zero raises, never NULL


def test_unknown_engine_is_a_query_error(quality_lake: Path) -> None:
    with pytest.raises(QueryError, match="unknown engine"):
        run("units", data_dir=quality_lake, engine="trino")


def test_new_load_is_seen_on_spark(tmp_path: Path, spark) -> None:
    """A publish swaps the catalogue; the next Spark query reads the new generation's files."""
    root = build_lake_from({"units": UNITS, "dossiers": DOSSIERS[:1]}, tmp_path / "data")
    assert run("dossier_rows_count", data_dir=root, engine="spark")["n"].to_list() == [1]
    build_lake_from({"dossiers": DOSSIERS}, root)
    assert run("dossier_rows_count", data_dir=root, engine="spark")["n"].to_list() == [2]


# --------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------
def test_cli_prints_the_same_rows_on_both_engines(tmp_path: Path, spark, capsys) -> None:
    case = next(c for c in CASES if c.name == "dossier_kpis_quarters")
    root = build_lake_from(case / "inputs", tmp_path / "data")
    argv = ["run", "dossier_kpis", "--param", "year=2024", "--param", "period=quarter", "--data-dir", str(root)]
    assert cli(argv) == 0
    duck = capsys.readouterr().out
    assert cli([*argv, "--engine", "spark"]) == 0
    on_spark = capsys.readouterr().out
    assert duck.count("\n") > 2
    assert on_spark == duck
    assert cli([*argv, "--engine", "nope"]) == 2
    assert "engine" in capsys.readouterr().err


def test_spark_errors_are_one_line(quality_lake: Path, spark) -> None:
    query = get_query("units")
    broken = Query(query.name, "", "", (), query.columns, "select no_such_column from units", query.path)
    with pytest.raises(EngineError) as error:
        spark_engine.run_query(broken, {}, quality_lake)
    assert "\n" not in str(error.value) and "no_such_column" in str(error.value)
