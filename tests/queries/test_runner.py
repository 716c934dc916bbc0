"""The query runner, the catalogue's header format and the `python -m queries` command line."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import polars as pl
import pytest

import queries
from queries import runner
from queries.__main__ import main
from queries.catalogue import (
    CatalogueError,
    Param,
    QueryError,
    load_catalogue,
    parse_params,
    parse_query,
)

REPO = Path(__file__).resolve().parents[2]

UNITS = [
    {"unit_code": "01", "name": "Thành phố Hà Nội", "level": "province", "province_code": "01", "valid_from": "2000-01-01"},
    {"unit_code": "001", "name": "Quận Ba Đình", "level": "district", "parent_code": "01", "province_code": "01", "valid_from": "2000-01-01"},
    {"unit_code": "002", "name": "Quận Hoàn Kiếm", "level": "district", "parent_code": "01", "province_code": "01", "valid_from": "2000-01-01"},
]  # fmt: skip


def _dossier(dossier_id: str, unit: str, received: str, status: str = "processing") -> dict:
    return {
        "dossier_id": dossier_id,
        "procedure_code": "1.000001",
        "unit_code": unit,
        "received_at": received,
        "status": status,
        "channel": "direct",
        "resolved_at": received if status == "resolved" else None,
        "due_at": received,
    }


@pytest.fixture
def small_lake(tmp_path: Path, build_lake) -> Path:
    return build_lake(
        {
            "units": UNITS,
            "dossiers": [_dossier("A", "001", "2024-02-01 08:00"), _dossier("B", "002", "2024-03-01 08:00")],
        },
        tmp_path / "data",
    )


@pytest.fixture
def query_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A private queries folder for the runner: write(name, text) adds a query file."""
    folder = tmp_path / "queries"
    folder.mkdir()
    monkeypatch.setattr(runner, "QUERIES_DIR", folder)
    monkeypatch.setattr(runner, "_catalogue_cache", None)

    def write(name: str, text: str) -> Path:
        path = folder / f"{name}.sql"
        path.write_text(text, encoding="utf-8")
        return path

    yield write
    runner._catalogue_cache = None


ECHO = """-- name: echo
-- description: Echoes its parameters.
-- grain: one row
-- key: none
-- params: n INTEGER (required); label VARCHAR = 'x'; day DATE = NULL; ratio DOUBLE = 0.5;
--         flag BOOLEAN = false; mode VARCHAR = 'a' (a|b)
-- columns: n, label, day, ratio, flag, mode, label_is_null
-- scope: none
select $n as n, $label as label, $day as day, $ratio as ratio, $flag as flag, $mode as mode,
       $label is null as label_is_null
"""


# --------------------------------------------------------------------------------------------------
# Header format
# --------------------------------------------------------------------------------------------------
def test_every_query_file_parses() -> None:
    catalogue = load_catalogue()
    assert {"dossier_kpis", "dossier_rows", "dossier_rows_count"} <= set(catalogue)
    for query in catalogue.values():
        assert query.description and query.grain and query.columns


def test_dossier_interfaces_are_as_specified() -> None:
    catalogue = load_catalogue()
    kpis = catalogue["dossier_kpis"]
    assert [p.describe() for p in kpis.params] == [
        "year INTEGER (required)",
        "period VARCHAR = 'year' (year|quarter|month)",
        "level VARCHAR = 'district' (district|province|commune|department)",
        "units VARCHAR = 'as_published' (as_published|current)",
        "province_code VARCHAR = NULL",
        "field_code VARCHAR = NULL",
    ]
    assert kpis.columns == (
        "unit_code", "unit_name", "period_start", "received", "resolved", "resolved_on_time",
        "resolved_early", "resolved_late", "in_progress", "overdue_in_progress", "on_time_rate",
        "online_rate", "full_online_rate", "online_payment_rate", "digitised_rate",
        "electronic_result_rate", "rejection_rate", "median_processing_days", "p90_processing_days",
        "approximate",
    )  # fmt: skip
    assert kpis.key == ("unit_code", "period_start")
    rows = catalogue["dossier_rows"]
    assert [p.name for p in rows.params] == [
        "year", "unit_code", "province_code", "level", "field_code", "procedure_code", "status", "channel",
        "received_from", "received_to", "limit", "offset",
    ]  # fmt: skip
    assert rows.param("limit").default == 1000 and rows.param("offset").default == 0
    assert rows.columns[-2:] == ("processing_days", "on_time")
    count = catalogue["dossier_rows_count"]
    assert [p.name for p in count.params] == [p.name for p in rows.params][:-2]
    assert count.columns == ("n",)


def test_parse_params_forms() -> None:
    params = parse_params(
        "year INTEGER (required); period VARCHAR = 'year' (year|quarter|month); p VARCHAR = NULL; "
        "d DATE = '2024-01-31'; x DOUBLE = 1.5; b BOOLEAN = true; q VARCHAR"
    )
    assert params[0] == Param("year", "INTEGER", required=True)
    assert params[1] == Param("period", "VARCHAR", default="year", allowed=("year", "quarter", "month"))
    assert params[2].default is None and not params[2].required
    assert params[3].default == dt.date(2024, 1, 31)
    assert params[4].default == 1.5 and params[5].default is True
    assert params[6] == Param("q", "VARCHAR")
    assert parse_params("none") == () and parse_params("") == ()


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        ("year INT", "type INT"),
        ("year INTEGER = abc", "not INTEGER"),
        ("mode VARCHAR = 'c' (a|b)", "not among allowed"),
        ("year INTEGER = 1 (required)", "required parameter has no default"),
        ("scope VARCHAR", "reserved"),
        ("a INTEGER; a INTEGER", "twice"),
        ("just-words", "cannot read"),
    ],
)
def test_parse_params_rejects(declaration: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        parse_params(declaration)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "-- name: other\n-- description: d\n-- grain: g\n-- key: none\n-- columns: a\nselect 1 as a",
            "differs from the file",
        ),
        ("-- name: q\n-- grain: g\n-- key: none\n-- columns: a\nselect 1 as a", "lacks description"),
        (
            "-- name: q\n-- description: d\n-- grain: g\n-- key: none\n-- columns: a\nselect $x as a",
            "undeclared parameters: x",
        ),
        (
            "-- name: q\n-- description: d\n-- grain: g\n-- key: none\n-- params: x INTEGER\n-- columns: a\nselect 1 as a",
            "unused in SQL: x",
        ),
        (
            "-- name: q\n-- description: d\n-- grain: g\n-- key: none\n-- columns: a, A b\nselect 1 as a",
            "lower_snake_case",
        ),
        (
            "-- name: q\n-- description: d\n-- grain: g\n-- key: none\n-- columns: a\n-- scope: b\nselect 1 as a",
            "scope column",
        ),
        ("-- name: q\n-- description: d\n-- grain: g\n-- key: none\n-- columns: a\n", "no SQL"),
        ("-- name: q\n-- description: d\n-- grain: g\n-- columns: a\nselect 1 as a", "header lacks key"),
        (
            "-- name: q\n-- description: d\n-- grain: g\n-- key: b\n-- columns: a\nselect 1 as a",
            "key columns are not output",
        ),
    ],
)
def test_parse_query_rejects(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "q.sql"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError, match=f"q.sql: .*{message}"):
        parse_query(path)


def test_header_continuation_lines_and_placeholders_in_strings(tmp_path: Path) -> None:
    path = tmp_path / "q.sql"
    path.write_text(
        "-- name: q\n-- description: Two\n--   lines.\n-- grain: g\n-- key: none\n-- params: a INTEGER;\n--   b INTEGER = 2\n"
        "-- columns: a,\n--   b\nselect $a as a, $b as b, '$not_a_param' as c -- $nor_this\n",
        encoding="utf-8",
    )
    query = parse_query(path)
    assert query.description == "Two lines."
    assert [p.name for p in query.params] == ["a", "b"]
    assert query.columns == ("a", "b")
    assert query.scope_column is None


# --------------------------------------------------------------------------------------------------
# Parameter validation and binding
# --------------------------------------------------------------------------------------------------
def test_unknown_query_lists_known_ones() -> None:
    with pytest.raises(QueryError, match=r"unknown query 'nope'; known: .*dossier_kpis"):
        queries.run("nope")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "parameter 'year' is required"),
        ({"year": "abc"}, "parameter 'year' expects INTEGER, got 'abc'"),
        ({"year": 2024.5}, "expects INTEGER"),
        ({"year": True}, "expects INTEGER"),
        ({"year": 2024, "period": "week"}, "must be one of year|quarter|month, got 'week'"),
        ({"year": 2024, "colour": "red"}, "has no parameter 'colour'; parameters: year, period"),
        ({"year": 2024, "province_code": 1}, "expects VARCHAR"),
    ],
)
def test_bad_parameters_are_refused_before_running(params: dict, message: str, lake_dir: Path) -> None:
    with pytest.raises(QueryError, match=message):
        queries.run("dossier_kpis", **params)


def test_values_are_bound_not_pasted(query_dir, small_lake: Path) -> None:
    query_dir("echo", ECHO)
    hostile = "'; drop table units; --"
    frame = queries.run("echo", data_dir=small_lake, n="7", label=hostile, day="2024-02-29", flag="yes")
    assert frame.row(0) == (7, hostile, dt.date(2024, 2, 29), 0.5, True, "a", False)
    frame = queries.run("echo", data_dir=small_lake, n=1, label=None, mode="b")
    assert frame.row(0) == (1, None, None, 0.5, False, "b", True)  # every declared parameter is bound


def test_result_must_have_the_declared_columns(query_dir, small_lake: Path) -> None:
    query_dir(
        "bad", "-- name: bad\n-- description: d\n-- grain: g\n-- key: none\n-- columns: a, b\nselect 1 as a, 2 as c\n"
    )
    with pytest.raises(CatalogueError, match=r"returned columns \['a', 'c'\], its header declares \['a', 'b'\]"):
        queries.run("bad", data_dir=small_lake)


def test_catalogue_picks_up_edited_files(query_dir, small_lake: Path) -> None:
    path = query_dir("q", "-- name: q\n-- description: d\n-- grain: g\n-- key: none\n-- columns: a\nselect 1 as a\n")
    assert queries.run("q", data_dir=small_lake)["a"].to_list() == [1]
    path.write_text(
        "-- name: q\n-- description: d\n-- grain: g\n-- key: none\n-- columns: a\nselect 22 as a\n", encoding="utf-8"
    )
    os.utime(path, ns=(1, 1))  # a different mtime even on coarse file systems
    assert queries.run("q", data_dir=small_lake)["a"].to_list() == [22]


def test_catalogue_picks_up_edited_building_blocks(query_dir, small_lake: Path) -> None:
    """A running dashboard sees an edited queries/models/*.sql as it sees an edited query file."""
    models = query_dir(
        "q", "-- name: q\n-- description: d\n-- grain: g\n-- key: a\n-- columns: a\n-- uses: m\nselect a from m\n"
    )
    models = models.parent / "models"
    models.mkdir()
    block = models / "m.sql"
    block.write_text("-- name: m\n-- description: d\n-- grain: g\n-- columns: a\nselect 1 as a\n", encoding="utf-8")
    assert queries.run("q", data_dir=small_lake)["a"].to_list() == [1]
    block.write_text("-- name: m\n-- description: d\n-- grain: g\n-- columns: a\nselect 333 as a\n", encoding="utf-8")
    os.utime(block, ns=(1, 1))
    assert queries.run("q", data_dir=small_lake)["a"].to_list() == [333]


def test_a_broken_file_fails_only_its_own_query(query_dir, small_lake: Path, capsys) -> None:
    query_dir("good", "-- name: good\n-- description: d\n-- grain: g\n-- key: none\n-- columns: a\nselect 1 as a\n")
    query_dir(
        "broken", "-- name: broken\n-- description: d\n-- grain: g\n-- key: none\n-- columns: a\nselect $x as a\n"
    )
    assert queries.run("good", data_dir=small_lake)["a"].to_list() == [1]
    with pytest.raises(CatalogueError, match=r"broken\.sql: SQL uses undeclared parameters: x"):
        queries.run("broken", data_dir=small_lake)
    assert list(queries.catalogue_errors()) == ["broken"]
    assert main(["list"]) == 2
    captured = capsys.readouterr()
    assert captured.out.startswith("good\n")
    assert captured.err == "error: broken.sql: SQL uses undeclared parameters: x\n"


# --------------------------------------------------------------------------------------------------
# Scope (docs/security.md, "Where the scope is enforced")
# --------------------------------------------------------------------------------------------------
UNIT_ROWS = """-- name: unit_rows
-- description: Dossiers and their units.
-- grain: one row per dossier
-- key: dossier_id
-- columns: dossier_id, unit_code
select dossier_id, unit_code from dossiers order by dossier_id
"""


def test_scope_filters_rows(query_dir, small_lake: Path) -> None:
    query_dir("unit_rows", UNIT_ROWS)
    assert queries.run("unit_rows", data_dir=small_lake)["unit_code"].to_list() == ["001", "002"]
    assert queries.run("unit_rows", data_dir=small_lake, scope={"002"})["unit_code"].to_list() == ["002"]
    assert queries.run("unit_rows", data_dir=small_lake, scope=frozenset()).is_empty()
    with pytest.raises(QueryError, match="set of unit codes"):
        queries.run("unit_rows", data_dir=small_lake, scope="002")


def test_scope_is_bound_to_queries_that_use_it(query_dir, small_lake: Path) -> None:
    query_dir(
        "scoped_count",
        "-- name: scoped_count\n-- description: d\n-- grain: one row\n-- key: none\n-- columns: n\n"
        "select count(*) as n from dossiers where $scope is null or array_contains($scope, unit_code)\n",
    )
    assert queries.run("scoped_count", data_dir=small_lake)["n"].to_list() == [2]
    assert queries.run("scoped_count", data_dir=small_lake, scope={"001", "003"})["n"].to_list() == [1]
    assert queries.run("scoped_count", data_dir=small_lake, scope=set())["n"].to_list() == [0]


def test_scope_refused_where_it_cannot_apply(query_dir, small_lake: Path) -> None:
    query_dir(
        "total", "-- name: total\n-- description: d\n-- grain: one row\n-- key: none\n-- columns: n\nselect 1 as n\n"
    )
    with pytest.raises(QueryError, match="no unit column"):
        queries.run("total", data_dir=small_lake, scope={"001"})
    query_dir("echo", ECHO)  # `scope: none`: rows belong to no unit
    assert queries.run("echo", data_dir=small_lake, scope={"001"}, n=1).height == 1


def test_dossier_rows_scope_applies_before_pagination(small_lake: Path) -> None:
    rows = queries.run("dossier_rows", data_dir=small_lake, scope={"002"}, limit=1)
    assert rows["dossier_id"].to_list() == ["B"]  # not an empty page after filtering A out
    count = queries.run("dossier_rows_count", data_dir=small_lake, scope={"002"})
    assert count["n"].to_list() == [1]


# --------------------------------------------------------------------------------------------------
# Connections: empty lake, atomic replacement, threads, relative paths
# --------------------------------------------------------------------------------------------------
def test_empty_lake(lake_dir: Path) -> None:
    with pytest.raises(queries.EmptyLakeError, match=r"no data yet.*python -m etl demo"):
        queries.run("dossier_kpis", year=2024)
    with pytest.raises(queries.EmptyLakeError):
        queries.load_id()


def test_data_dir_follows_the_environment(lake_dir: Path) -> None:
    assert queries.data_dir() == lake_dir.resolve()


def test_load_id_and_new_catalogue_after_atomic_replace(tmp_path: Path, build_lake) -> None:
    live = build_lake({"units": UNITS, "dossiers": [_dossier("A", "001", "2024-02-01 08:00")]}, tmp_path / "live")
    first_id = queries.load_id(live)
    assert isinstance(first_id, int)
    assert queries.run("dossier_rows_count", data_dir=live)["n"].to_list() == [1]
    in_flight = queries.cursor(live)  # a query running on the old catalogue while the ETL publishes

    rows = [_dossier(x, "001", "2024-02-01 08:00") for x in ("A", "B", "C")]
    build_lake({"units": UNITS, "dossiers": rows}, live)  # publishes by renaming a new cchc.duckdb

    assert queries.run("dossier_rows_count", data_dir=live)["n"].to_list() == [3]
    assert queries.load_id(live) != first_id
    assert in_flight.sql("select count(*) from dossiers").fetchall() == [(1,)]  # old inode still readable
    in_flight.close()


def test_concurrent_calls_get_their_own_cursor(small_lake: Path) -> None:
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def work(unit: str) -> None:
        try:
            for _ in range(10):
                frame = queries.run("dossier_rows", data_dir=small_lake, unit_code=unit)
                results.append(frame["dossier_id"].to_list())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(u,)) for u in ("001", "002") * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 80 and all(r in (["A"], ["B"]) for r in results)


def test_views_over_relative_parquet_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, query_dir) -> None:
    """The published catalogue's views name Parquet files relative to the data directory."""
    data = tmp_path / "data"
    (data / "lake" / "units").mkdir(parents=True)
    con = duckdb.connect(str(data / "cchc.duckdb"), config={"file_search_path": str(data)})
    target = data / "lake" / "units" / "part-1.parquet"
    con.sql(f"copy (select 'A' as dossier_id, '001' as unit_code) to '{target}'")
    con.sql("create view dossiers as select * from read_parquet('lake/units/*.parquet')")
    con.close()
    monkeypatch.chdir(tmp_path)  # the reader's working directory is not the data directory
    query_dir("unit_rows", UNIT_ROWS)
    assert queries.run("unit_rows", data_dir=data).rows() == [("A", "001")]
    assert queries.load_id(data) is None  # no lake_state table: no id


# --------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------
def test_cli_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in load_catalogue():
        assert f"\n{name}\n" in f"\n{out}"
    assert "period VARCHAR = 'year' (year|quarter|month)" in out
    assert "grain:   one row per unit_code × period_start" in out


def test_cli_run_csv_and_json(small_lake: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["run", "dossier_rows", "--data-dir", str(small_lake), "--param", "unit_code=001"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("dossier_id,unit_code,unit_name,")
    assert out.splitlines()[1].startswith("A,001,Quận Ba Đình,")
    assert main([*args, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["dossier_id"] == "A" and rows[0]["received_at"] == "2024-02-01T08:00:00"
    assert main(["run", "dossier_kpis", "--data-dir", str(small_lake), "-p", "year=2024", "-p", "field_code="]) == 0
    frame = pl.read_csv(capsys.readouterr().out.encode(), infer_schema=False)
    assert frame["unit_code"].to_list() == ["001", "002"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "nope"], "error: unknown query 'nope'; known: "),
        (
            ["run", "dossier_kpis", "--param", "year=abc"],
            "error: query 'dossier_kpis': parameter 'year' expects INTEGER",
        ),
        (["run", "dossier_kpis", "--param", "year"], "error: --param expects KEY=VALUE"),
        (["run", "dossier_kpis", "-p", "year=1", "-p", "year=2"], "error: parameter 'year' given twice"),
        (["run", "dossier_kpis", "--format", "xml"], "error: argument --format: invalid choice"),
        (["frobnicate"], "error: argument command: invalid choice"),
        (["run", "dossier_kpis", "-p", "year=2024"], "error: no data yet"),
    ],
)
def test_cli_errors_are_one_line(argv, message, lake_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(message)
    assert captured.err.count("\n") == 1


def test_cli_as_a_process(small_lake: Path) -> None:
    env = {**os.environ, "CCHC_DATA_DIR": str(small_lake)}
    ok = subprocess.run(
        [sys.executable, "-m", "queries", "run", "dossier_rows_count", "--param", "unit_code=002"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "n\n1\n", "")
    bad = subprocess.run(
        [sys.executable, "-m", "queries", "run", "dossier_kpis", "--param", "year=abc"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("error: ") and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
