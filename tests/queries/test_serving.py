"""Serving tables (queries/serving.py, etl/serving.py): a chart query answered from the rows the ETL stored
at publish time returns what its SQL returns, in every access mode, and the stored rows follow the lake.

Float columns are compared to 1e-12 relative: weighted counts and SIPAS shares are exact sums
(docs/architecture.md, "Exact sums and ties"), but the rest of the SQL's DOUBLE arithmetic (the 766 points
of a unit added up, for one) is not bit-stable from one run of the same query to the next (DuckDB adds in
parallel), so a stored run and a fresh run can differ in the last bit, as two fresh runs can."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from etl import lake
from etl.load import load_files
from queries import serving
from queries.connection import cursor, generation
from queries.runner import get_query, run

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "etl"))
from test_mart_rebuilds import DOSSIERS_2023, DOSSIERS_2024, write_export  # noqa: E402

SAMPLES_PER_QUERY = 10
PAPI_LONG = REPO / "data" / "reference" / "papi" / "papi_2017_2024_long.csv"


def republish(data_dir: Path) -> None:
    """Publish the current state again as a new load: its catalogue gets serving tables built from scratch."""
    with lake.writer_lock(data_dir):
        previous = lake.read_state(data_dir)
        assert previous is not None
        lake.publish(data_dir, replace(previous, load_id=previous.load_id + 1), previous)


@pytest.fixture(scope="module")
def served_demo(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo lake (built without serving tables, like every test lake) republished with them, in a copy
    whose Parquet files are hard links to the demo's (a publish never modifies a file)."""
    copy = tmp_path_factory.mktemp("served") / "data"
    shutil.copytree(demo_data_dir, copy, symlinks=True, copy_function=os.link)
    before = os.environ.get(serving.ENV_SERVING)
    os.environ[serving.ENV_SERVING] = "on"
    try:
        republish(copy)
    finally:
        if before is None:
            del os.environ[serving.ENV_SERVING]
        else:
            os.environ[serving.ENV_SERVING] = before
    return copy


@pytest.fixture(autouse=True)
def serving_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test lakes publish without serving tables and the runner reads none (tests/conftest.py); here
    both are on, unless a test switches them off to compare."""
    monkeypatch.setenv(serving.ENV_SERVING, "on")


def assert_same(served: pl.DataFrame, computed: pl.DataFrame) -> None:
    assert_frame_equal(served, computed, check_exact=False, rel_tol=1e-12, abs_tol=0.0)


def samples(data_dir: Path) -> list[tuple[str, dict, bool]]:
    """A fixed sample of stored keys per served query: (query, parameters, province filter served)."""
    cur = cursor(data_dir)
    try:
        keys = cur.sql(f"select query, params, province_filter from {serving.KEYS_TABLE} order by all").fetchall()
    finally:
        cur.close()
    rng = random.Random(15)
    chosen = []
    for name in serving.SERVED:
        of_query = [k for k in keys if k[0] == name]
        assert of_query, f"no serving rows stored for {name}"
        chosen += [(n, json.loads(p), f) for n, p, f in rng.sample(of_query, min(SAMPLES_PER_QUERY, len(of_query)))]
    return chosen


def provinces(data_dir: Path) -> list[str]:
    cur = cursor(data_dir)
    try:
        rows = cur.sql("select distinct serving_province from serving_dossier_kpis where serving_province is not null")
        return sorted(p for (p,) in rows.fetchall())
    finally:
        cur.close()


def test_every_served_query_returns_what_its_sql_returns(served_demo: Path) -> None:
    cur = cursor(served_demo)
    province_checked = 0
    try:
        for name, given, province_filter in samples(served_demo):
            query = get_query(name)
            for province in [None, *(provinces(served_demo)[:2] if province_filter else [])]:
                bound = query.bind({**given, "province_code": province} if province else given)
                if query.uses_scope:
                    bound["scope"] = None
                served = serving.read(cur, query, bound, generation(served_demo).key)
                assert served is not None, (name, bound)
                assert_same(served, cur.sql(query.sql, params=bound).pl())
                province_checked += province is not None
    finally:
        cur.close()
    assert province_checked > 0  # the sample reached a province filter served as a WHERE


def test_what_is_not_stored_runs_the_sql(served_demo: Path) -> None:
    cur = cursor(served_demo)
    try:
        query = get_query("dossier_kpis")
        year = max(given["year"] for name, given, _ in samples(served_demo) if name == "dossier_kpis")
        for other in ({"period": "month"}, {"field_code": "x"}, {"level": "province", "province_code": "01"}):
            bound = query.bind({"year": year, **other})
            bound["scope"] = None
            assert serving.read(cur, query, bound, generation(served_demo).key) is None, other
    finally:
        cur.close()


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("dossier_kpis", {"level": "commune"}),
        ("dossier_kpis", {"level": "district", "period": "quarter"}),
        ("service_index_766_total", {"level": "commune", "units": "current"}),
        ("service_index_766", {"level": "district"}),
        ("targets_gap", {"level": "province"}),
        ("sipas", {"level": "district"}),
        ("par_index", {"level": "province"}),
        ("waiting_time", {"level": "district"}),
    ],
)
def test_public_mode_and_a_scoped_login_see_the_same_with_and_without_serving_tables(
    served_demo: Path, monkeypatch: pytest.MonkeyPatch, name: str, params: dict
) -> None:
    monkeypatch.setenv("CCHC_DATA_DIR", str(served_demo))
    year = max(k["year"] for n, k, _ in samples(served_demo) if n == name)
    province = provinces(served_demo)[0]
    cur = cursor(served_demo)
    try:
        scope = frozenset(
            code
            for (code,) in cur.sql(
                "select distinct unit_code from serving_dossier_kpis where serving_province = $p",
                params={"p": province},
            ).fetchall()
        ) | {province}
    finally:
        cur.close()
    calls = [
        {"aggregates_only": True},
        {"scope": scope},
        {"scope": scope, "aggregates_only": True, "province_code": province}
        if params.get("level") not in ("province", None)
        else {"scope": frozenset()},
    ]
    for call in calls:
        monkeypatch.setenv(serving.ENV_SERVING, "on")
        served = run(name, year=year, **params, **call)
        monkeypatch.setenv(serving.ENV_SERVING, "off")
        computed = run(name, year=year, **params, **call)
        assert_same(served, computed)


def test_a_load_refreshes_the_stored_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(serving.ENV_SERVING, "on")
    data_dir = tmp_path / "data"
    load_files("dossiers", [write_export(tmp_path / "2023.csv", DOSSIERS_2023)], data_dir=data_dir)
    first = run("dossier_kpis", data_dir=data_dir, year=2023, level="district")
    # unit 001 received one dossier in 2023 and resolved it on time; unit 002 received one, still open
    assert first.select("unit_code", "received", "resolved", "in_progress").rows() == [
        ("001", 1, 1, 0),
        ("002", 1, 0, 1),
    ]
    more = [("A3", "1.000001", "001", "2023-05-02 08:00", "2023-05-20 17:00", "", "processing", "online")]
    load_files("dossiers", [write_export(tmp_path / "more.csv", more)], data_dir=data_dir)
    stored = stored_rows(data_dir, "dossier_kpis", year=2023, level="district")
    assert stored is not None  # answered from the new catalogue's serving rows
    assert stored.select("unit_code", "received", "resolved", "in_progress").rows() == [
        ("001", 2, 1, 1),
        ("002", 1, 0, 1),
    ]
    # a load of another year: 2024 is served as its SQL computes it
    load_files("dossiers", [write_export(tmp_path / "2024.csv", DOSSIERS_2024)], data_dir=data_dir)
    monkeypatch.setenv(serving.ENV_SERVING, "off")
    computed = run("dossier_kpis", data_dir=data_dir, year=2024, level="district")
    monkeypatch.setenv(serving.ENV_SERVING, "on")
    assert_same(run("dossier_kpis", data_dir=data_dir, year=2024, level="district"), computed)
    # 2024: 001 received B1; A3 (001) and A2 (002), received in 2023, are still open
    assert computed.select("unit_code", "received", "in_progress").rows() == [("001", 1, 1), ("002", 0, 1)]


def stored_rows(data_dir: Path, name: str, **params: object) -> pl.DataFrame | None:
    """The serving rows the lake's current catalogue holds for a query call, or None."""
    cur = cursor(data_dir)
    try:
        query = get_query(name)
        bound = query.bind(params)
        bound["scope"] = None
        return serving.read(cur, query, bound, generation(data_dir).key)
    finally:
        cur.close()


def test_the_command_line_load_defers_the_serving_tables_to_marts_which_a_kill_cannot_half_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(serving.ENV_SERVING, "on")
    data_dir = tmp_path / "data"
    load_files("papi", [PAPI_LONG], data_dir=data_dir)
    load_files("dossiers", [write_export(tmp_path / "2023.csv", DOSSIERS_2023)], data_dir=data_dir)
    assert stored_rows(data_dir, "papi", year=2024) is not None
    env = {**os.environ, "CCHC_DATA_DIR": str(data_dir)}

    def etl(*args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "etl", *args], cwd=REPO, env={**env, **extra}, capture_output=True, text=True,
            check=False,
        )  # fmt: skip

    loaded = etl("load", "dossiers", str(write_export(tmp_path / "2024.csv", DOSSIERS_2024)))
    assert loaded.returncode == 0, loaded.stderr
    assert "python -m etl marts" in loaded.stdout
    # the load computed no serving rows: 2024 is computed by its SQL meanwhile
    assert stored_rows(data_dir, "dossier_kpis", year=2024, level="district") is None
    computed = run("dossier_kpis", data_dir=data_dir, year=2024, level="district")
    # 2024: 001 received B1 and resolved it on 12 February; 002's A2, received in 2023, is still open
    assert computed.select("unit_code", "received", "in_progress").rows() == [("001", 1, 0), ("002", 0, 1)]
    # it copied the rows of the queries it left unchanged: PAPI stays served, and as its SQL computes it
    kept = stored_rows(data_dir, "papi", year=2024)
    assert kept is not None and kept.height > 0
    monkeypatch.setenv(serving.ENV_SERVING, "off")
    assert_same(kept, run("papi", data_dir=data_dir, year=2024))
    monkeypatch.setenv(serving.ENV_SERVING, "on")

    catalogue = (data_dir / "cchc.duckdb").resolve()
    killed = etl("marts", CCHC_KILL_AT="serving_built:1")
    assert killed.returncode == -9, killed.stderr
    assert (data_dir / "cchc.duckdb").resolve() == catalogue  # the load's lake, whole
    assert stored_rows(data_dir, "dossier_kpis", year=2024, level="district") is None

    built = etl("marts")
    assert built.returncode == 0, built.stderr
    assert "serving tables built" in built.stdout
    stored = stored_rows(data_dir, "dossier_kpis", year=2024, level="district")
    assert stored is not None
    assert_same(stored, computed)


def test_every_indicator_query_is_served() -> None:
    from ui.indicators import indicators

    wanted = {ind.query for ind in indicators().values()} | {
        ind.components[0] for ind in indicators().values() if ind.components
    }
    assert wanted | {"targets_gap"} <= set(serving.SERVED)
