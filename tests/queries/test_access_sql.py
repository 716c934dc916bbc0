"""Scope in SQL, aggregates-only refusal, and hostile parameters on the command line (docs/security.md).

- Every catalogue query whose rows belong to units filters them by `$scope` in SQL; the runner's Python
  filter on the result is only the second line of defence. Checked by running each such query's SQL
  directly (no Python filter) with a scope and finding only in-scope units.
- Province-level rows are visible only to a caller whose scope holds the province itself.
- `aggregates_only=True` refuses the `access: detail` queries.
- `python -m queries run dossier_rows --param unit_code="'; drop table dossiers; --"` returns no rows,
  exits 0 and leaves the lake byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from queries import QueryError, catalogue, get_query, run
from queries.runner import _run_duckdb
from tests.conftest import REPO, build_lake_from
from tests.pages.conftest import small_lake_inputs

# parameters that make each unit-level query return rows on the small lake (tests/pages/conftest.py)
PARAMS: dict[str, dict] = {
    "dossier_kpis": {"year": 2024},
    "dossier_rows": {"limit": 10_000},
    "dossier_rows_count": {},
    "dossier_units": {},
    "dossiers_due": {"days": 30},
    "digital_shares": {"year": 2024},
    "papi": {"year": 2016},
    "papi_profile": {"year": 2016, "province_code": "01"},
    "par_criteria": {"year": 2024, "unit_code": "002"},
    "par_index": {"year": 2024},
    "pci": {"year": 2016},
    "petitions_on_time": {"year": 2024},
    "plan_items_status": {"year": 2024},
    "plan_progress": {"year": 2024},
    "plan_timeline": {"year": 2024},
    "one_stop_network": {"year": 2024},
    "published_766": {"year": 2026},
    "published_766_history": {},
    "published_index": {"index": "PAR", "year": 2023},
    "procedure_cost_766": {"year": 2024, "unit_code": "002", "metric_code": "on_time"},
    "service_index_766": {"year": 2024},
    "service_index_766_total": {"year": 2024},
    "sipas": {"year": 2024},
    "targets_gap": {"year": 2024},
    "units": {},
    "waiting_time": {"year": 2024},
}
UNIT_QUERIES = sorted(name for name, q in catalogue().items() if q.scope_column is not None)


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_lake_from(small_lake_inputs(), tmp_path_factory.mktemp("access-sql") / "data")


def test_every_unit_query_filters_by_scope_in_sql():
    """A query returning unit rows must use $scope (SQL), not only rely on the Python filter."""
    missing = [name for name in UNIT_QUERIES if not get_query(name).uses_scope]
    assert not missing, f"queries returning unit rows without `$scope` in their SQL: {missing}"
    assert set(UNIT_QUERIES) <= set(PARAMS), "add parameters for the new query to PARAMS"


def test_queries_without_unit_rows_declare_it():
    """The others say `scope: none` (reference data, load metadata) or filter with $scope themselves."""
    for name, query in catalogue().items():
        if query.scope_column is None:
            assert query.header.get("scope") == "none" or query.uses_scope, name


@pytest.mark.parametrize("name", UNIT_QUERIES)
@pytest.mark.parametrize("scope", [["002"], ["79", "760"]], ids=["district", "province"])
def test_the_sql_alone_returns_only_scoped_rows(lake: Path, name: str, scope: list[str]):
    query = get_query(name)
    params = dict(PARAMS[name])
    if "province_code" in params and scope == ["79", "760"]:
        params["province_code"] = "79"
    if params.get("unit_code") == "002" and scope == ["79", "760"]:
        params["unit_code"] = "760"
    bound = query.bind(params)
    everything = _run_duckdb(query, {**bound, "scope": None}, lake)
    scoped = _run_duckdb(query, {**bound, "scope": scope}, lake)  # no Python filter here
    column = query.scope_column
    assert set(scoped.get_column(column).to_list()) <= set(scope)
    expected = everything.filter(pl.col(column).is_in(scope))
    assert scoped.height == expected.height
    nobody = _run_duckdb(query, {**bound, "scope": []}, lake)
    assert nobody.is_empty()


def test_the_sql_filter_has_rows_to_remove(lake: Path):
    """The check above is not vacuous: unscoped, these queries return units outside ["002"]."""
    for name in ("dossier_kpis", "dossier_units", "par_index", "service_index_766", "sipas", "units"):
        frame = run(name, data_dir=lake, **PARAMS[name])
        assert set(frame.get_column("unit_code")) - {"002"}, name


def test_province_rows_only_for_a_scope_holding_the_province(lake: Path):
    district_only = run("dossier_kpis", data_dir=lake, scope={"002"}, year=2024, level="province")
    assert district_only.is_empty()  # a district user does not see the province's total
    province = run("dossier_kpis", data_dir=lake, scope={"01", "001", "002", "003", "006"}, year=2024, level="province")
    assert province.get_column("unit_code").to_list() == ["01"]
    papi = run("papi", data_dir=lake, scope={"002"}, year=2016)
    assert papi.is_empty()


def test_count_and_rows_agree_under_a_scope(lake: Path):
    count = run("dossier_rows_count", data_dir=lake, scope={"002"})
    rows = run("dossier_rows", data_dir=lake, scope={"002"}, limit=10_000)
    assert count.get_column("n")[0] == rows.height > 0
    assert set(rows.get_column("unit_code")) == {"002"}


def test_aggregates_only_refuses_detail_queries(lake: Path):
    detail = sorted(name for name, q in catalogue().items() if q.detail)
    assert detail == ["dossier_rows", "dossiers_due", "quarantine_rows"]
    for name in detail:
        with pytest.raises(QueryError, match="public"):
            run(name, data_dir=lake, aggregates_only=True)
    assert run("dossier_rows_count", data_dir=lake, aggregates_only=True).get_column("n")[0] > 0


# ------------------------------------------------------------------------------------------------
# The command line with hostile values
# ------------------------------------------------------------------------------------------------
def _lake_digest(data_dir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(data_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file() and not p.name.endswith(".wal")
    }


HOSTILE = [
    "'; drop table dossiers; --",
    "001' OR '1'='1",
    "%",
    "_",
    "\\",
    "x" * 10_000,
    "001\u200b",  # zero-width space (a NUL byte cannot be a command-line argument)
    "０００１",
    "$scope",
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_cli_binds_hostile_values_and_leaves_the_lake_unchanged(lake: Path, value: str):
    before = _lake_digest(lake)
    done = subprocess.run(
        [sys.executable, "-m", "queries", "run", "dossier_rows", "--param", f"unit_code={value}", "--format", "csv"],
        cwd=REPO,
        env={**os.environ, "CCHC_DATA_DIR": str(lake)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) <= 1  # the header, no rows
    assert _lake_digest(lake) == before
    assert run("dossier_rows_count", data_dir=lake).get_column("n")[0] == 400  # the dossiers are all there


@pytest.mark.parametrize(
    ("param", "value"),
    [("year", "abc"), ("year", "99999999999999999999"), ("limit", "-1"), ("received_from", "2024-13-45")],
)
def test_cli_rejects_wrong_types_with_one_line(lake: Path, param: str, value: str):
    done = subprocess.run(
        [sys.executable, "-m", "queries", "run", "dossier_rows", "--param", f"{param}={value}"],
        cwd=REPO,
        env={**os.environ, "CCHC_DATA_DIR": str(lake)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
