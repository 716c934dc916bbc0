"""The marts change no result (docs/architecture.md, "Marts"): every query module that reads a mart (etl/marts/)
returns exactly what its definition over raw rows returns, on the demo data and on every golden fixture,
at every level and in both unit settings (as published, today's units).

The raw-row definition of a mart-backed query is the query itself with the building blocks that read a
mart replaced by their twins under queries/from_rows/models/ (a twin folder searched before
queries/models/): a query reads a mart only through a block. Exact means: same columns, types and rows in the same order, integers, strings and
dates equal, doubles within 1e-9 (the golden tests' tolerance).

What runs: on the demo, a covering design (`param_grid`): every period × level × unit setting once, the
years spread over those runs with the first and the last year taken and each (level, units) in both
halves of the years (before and after the reform), each province and each field filter once. A raw
twin scans every demo dossier (0.3-3 s a run): the cross product with every year would be 91 runs a
query. On each golden fixture: its own parameters, then every distinct variant of period × level × unit
setting (24, fewer for a query without some of them). Each test runs on one cursor. Time, one process
with the demo build, 2 cores shared: 832 s wall (633 CPU s) with the cross product, 384 s wall (387 CPU
s) with the covering design (docs/performance.md, "Test lanes").
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from queries import catalogue
from queries.catalogue import MODELS_DIR, Query, parse_header, parse_query, strip_comments_and_strings
from queries.runner import cursor

QUERIES = Path(__file__).resolve().parents[2] / "queries"
FROM_ROWS = QUERIES / "from_rows"
GOLDEN = Path(__file__).parent / "golden"


def mart_backed() -> list[Query]:
    return [q for q in catalogue().values() if "mart_" in q.sql]


def raw_twin(query: Query) -> Query:
    return parse_query(query.path, models_dir=[FROM_ROWS / "models", MODELS_DIR])


def run_sql(
    cur: duckdb.DuckDBPyConnection, query: Query, params: dict[str, Any], scope: list[str] | None = None
) -> pl.DataFrame:
    """What queries.run does on DuckDB, for a Query that need not be in the catalogue, on the cursor `cur`."""
    bound = query.bind(params)
    if query.uses_scope:
        bound["scope"] = None if scope is None else sorted(scope)
    return cur.sql(query.sql, params=bound).pl()


def assert_same(
    cur: duckdb.DuckDBPyConnection, query: Query, params: dict[str, Any], scope: list[str] | None = None
) -> int:
    from_marts = run_sql(cur, query, params, scope)
    from_rows = run_sql(cur, raw_twin(query), params, scope)
    try:
        assert_frame_equal(from_marts, from_rows, check_exact=False, rel_tol=0.0, abs_tol=1e-9)
    except AssertionError as error:
        raise AssertionError(f"{query.name} {params}: marts differ from raw rows: {error}") from None
    return from_marts.height


REFORM_YEAR = 2025  # 1 July 2025: 34 provinces, no districts, 3,321 communes (docs/units.md)


def unique(grid: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`grid` without repeats, in order."""
    seen: list[dict[str, Any]] = []
    for params in grid:
        if params not in seen:
            seen.append(params)
    return seen


def param_grid(query: Query, years: list[int], provinces: list[str], fields: list[str]) -> list[dict[str, Any]]:
    """A covering design, not the cross product: each run of a raw twin on the demo scans every dossier
    (0.3-3 s), so every (period, level, units) runs once, and the years are spread over those runs:
    - period year (or no period): the (level, units) in turn take the years from both ends inwards (the
      first year, the last, the second, the last but one, ...), so the first and the last year are
      taken and, with as many years as pairs, every year once;
    - quarter and month: each (level, units) at the end its period-year run is not nearest, so that each
      pair meets both halves of the years (before and after the reform) and each period both ends; a
      query without a period runs each pair at that other end with period year's parameters instead;
    - the year of the reform (units of both eras within one year, split at 1 July 2025) by quarter under
      every (level, units): where a mart's grouping of units in time is most likely to go wrong;
    - each province and each field alone, in the last year by quarter, under the (level, units) in turn.
    Parameters the query lacks are left out and repeats dropped."""
    names = {p.name for p in query.params}
    periods = ("year", "quarter", "month") if "period" in names else (None,)
    levels = ("district", "province", "commune", "department") if "level" in names else (None,)
    settings = ("as_published", "current") if "units" in names else (None,)
    pairs = list(itertools.product(levels, settings))
    years = years if "year" in names else [None]
    grid: list[dict[str, Any]] = []
    for j, (level, units) in enumerate(pairs):
        step = (j // 2) % len(years)
        spread, other = (years[step], years[-1]) if j % 2 == 0 else (years[-1 - step], years[0])
        grid.append({"year": spread, "period": periods[0], "level": level, "units": units})
        for period in periods[1:] or (None,):
            grid.append({"year": other, "period": period, "level": level, "units": units})
    if REFORM_YEAR in years:
        grid += [{"year": REFORM_YEAR, "period": periods[1 % len(periods)], "level": lv, "units": u} for lv, u in pairs]
    last = {"year": years[-1], "period": "quarter" if "period" in names else None}
    if "province_code" in names:
        grid += [{**last, **_pair(pairs, i), "province_code": code} for i, code in enumerate(provinces)]
    if "field_code" in names:
        grid += [{**last, **_pair(pairs, i), "field_code": code} for i, code in enumerate(fields)]
    return unique([{k: v for k, v in params.items() if k in names and v is not None} for params in grid])


def _pair(pairs: list[tuple[str | None, str | None]], i: int) -> dict[str, str | None]:
    level, units = pairs[i % len(pairs)]
    return {"level": level, "units": units}


def test_every_mart_backed_query_has_a_raw_twin() -> None:
    backed = mart_backed()
    assert {q.name for q in backed} >= {"dossier_kpis", "service_index_766", "service_index_766_total", "targets_gap"}
    for query in backed:
        twin = raw_twin(query)
        assert "mart_" not in twin.sql, f"{twin.path}: the raw-row definition reads a mart"
        assert twin.columns == query.columns and twin.params == query.params
        _, own_sql = parse_header(query.path.read_text(encoding="utf-8"))
        assert "mart_" not in strip_comments_and_strings(own_sql), f"{query.path}: reads a mart, not through a block"
    # a twin folder holds the twins of the blocks that read a mart, and what those twins need: no copies
    for path in (FROM_ROWS / "models").glob("*.sql"):
        block = MODELS_DIR / path.name
        reads_mart = block.exists() and "mart_" in block.read_text(encoding="utf-8")
        used_by_twins = any(
            path.stem in p.read_text(encoding="utf-8") for p in (FROM_ROWS / "models").glob("*.sql") if p != path
        )
        assert reads_mart or used_by_twins, f"{path}: not the twin of a block that reads a mart"


@pytest.mark.parametrize("name", [q.name for q in mart_backed()])
def test_marts_equal_raw_rows_on_the_demo(name: str, demo_data_dir: Path) -> None:
    query = catalogue()[name]
    con = cursor(demo_data_dir)
    try:
        years = [y for (y,) in con.sql("select distinct cast(year as integer) from dossiers order by 1").fetchall()]
        provinces = [p for (p,) in con.sql("select distinct province_code from procedures order by 1").fetchall()]
        fields = [f for (f,) in con.sql("select distinct field_code from dossiers order by 1 limit 3").fetchall()]
        rows = [assert_same(con, query, params) for params in param_grid(query, years, provinces, fields)]
    finally:
        con.close()
    assert sum(rows) > 0, f"{name}: the comparison ran on empty results only"


GOLDEN_CASES = sorted(
    case
    for case in GOLDEN.iterdir()
    if (case / "params.json").exists()
    and json.loads((case / "params.json").read_text(encoding="utf-8"))["query"] in {q.name for q in mart_backed()}
)


def _query_of(case: Path) -> str:
    return json.loads((case / "params.json").read_text(encoding="utf-8"))["query"]


# The first case of each mart-backed query runs in the quick lane (`make check`); the other cases are
# marked slow and run in `make test` (a case runs the query and its raw twin under up to 25 parameter sets, 3-11 s).
QUICK_CASES = {next(c for c in GOLDEN_CASES if _query_of(c) == name) for name in {_query_of(c) for c in GOLDEN_CASES}}


@pytest.mark.parametrize(
    "case",
    [c if c in QUICK_CASES else pytest.param(c, marks=pytest.mark.slow) for c in GOLDEN_CASES],
    ids=[c.name for c in GOLDEN_CASES],
)
def test_marts_equal_raw_rows_on_the_golden_fixtures(case: Path, golden_lake) -> None:
    spec = json.loads((case / "params.json").read_text(encoding="utf-8"))
    query = catalogue()[spec["query"]]
    data_dir = golden_lake(case / "inputs")
    params = spec.get("params", {})
    names = {p.name for p in query.params}
    # the fixture's edge cases under every period, level and unit setting too
    variants = [
        {k: v for k, v in {**params, "period": period, "level": level, "units": units}.items() if k in names}
        for period, level, units in itertools.product(
            ("year", "quarter", "month"), ("district", "province", "commune", "department"), ("as_published", "current")
        )
    ]
    con = cursor(data_dir)
    try:
        assert_same(con, query, params, spec.get("scope"))
        for variant in unique(variants):
            if variant != params or spec.get("scope") is not None:
                assert_same(con, query, variant)
    finally:
        con.close()


def test_the_architecture_page_lists_every_mart() -> None:
    from etl import marts

    text = (QUERIES.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for name in marts.definitions():
        assert f"| `{name}` |" in text, f"docs/architecture.md: the marts table lacks {name}"
