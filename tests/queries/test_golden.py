"""Golden tests: one parametrised test runs every case folder under tests/queries/golden/.

A case folder (name it `<query>_<what it checks>`, e.g. `dossier_kpis_quarters`) holds:

    inputs/<table>.csv   input rows, canonical contract column names and values (ISO dates
                         `2024-03-05 23:59`, `true`/`false`, canonical codes), plus a `note` column
                         saying why each row exists (dropped before loading). Tables not given are
                         empty, except reference tables, which come from data/reference/.
    params.json          {"query": "<name>", "params": {...}, "scope": ["001", ...] (optional)}
    expected.csv         the rows the query must return, in order, worked out by hand; header = the
                         query's columns exactly; an empty cell is NULL
    README.md            the arithmetic, line by line

The inputs are published into a data directory through the ETL (`golden_lake` in tests/conftest.py: one
lake per case and session, shared with tests/queries/test_marts.py), the query runs through `queries.run`, and the result is compared with
expected.csv: exact for integers, strings, booleans, dates and timestamps; within 1e-9 for doubles;
NULL equals NULL; row order matters (every query has an ORDER BY).

To add a case: make the folder, write the inputs and expected.csv by hand (never paste the query's
output), run `pytest tests/queries/test_golden.py -k <folder>`. A mismatch prints each differing cell.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import polars as pl
import pytest

from queries import get_query, run

GOLDEN_DIR = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN_DIR.iterdir() if p.is_dir()) if GOLDEN_DIR.exists() else []
TOLERANCE = 1e-9


def read_expected(path: Path, schema: pl.Schema) -> pl.DataFrame:
    """expected.csv typed like the actual result (every cell read as text, then parsed)."""
    raw = pl.read_csv(path, infer_schema=False)
    columns = []
    for name in raw.columns:
        dtype = schema.get(name, pl.String)
        text = pl.col(name).str.strip_chars()
        if dtype == pl.Boolean:
            lowered = text.str.to_lowercase()
            expr = (
                pl.when(lowered.is_in(["true", "1"]))
                .then(True)
                .when(lowered.is_in(["false", "0"]))
                .then(False)
                .otherwise(None)
            )
        elif dtype == pl.Date:
            expr = text.str.to_date("%Y-%m-%d")
        elif isinstance(dtype, pl.Datetime):
            expr = text.str.to_datetime(time_unit=dtype.time_unit or "us")
        elif dtype.is_numeric():
            expr = text.cast(dtype)
        else:
            expr = pl.col(name)
        columns.append(expr.alias(name))
    return raw.select(columns)


def differences(actual: pl.DataFrame, expected: pl.DataFrame) -> list[str]:
    """Human-readable list of every mismatch; empty when the frames agree."""
    problems: list[str] = []
    if actual.columns != expected.columns:
        return [f"columns: expected {expected.columns}, got {actual.columns}"]
    if actual.height != expected.height:
        problems.append(f"row count: expected {expected.height}, got {actual.height}")
    for i in range(min(actual.height, expected.height)):
        got, want = actual.row(i, named=True), expected.row(i, named=True)
        for column in actual.columns:
            a, e = got[column], want[column]
            if a is None or e is None:
                same = a is None and e is None
            elif isinstance(a, float) or isinstance(e, float):
                same = math.isclose(float(a), float(e), rel_tol=0.0, abs_tol=TOLERANCE)
            else:
                same = a == e
            if not same:
                problems.append(f"row {i + 1} ({_row_key(got)}) {column}: expected {e!r}, got {a!r}")
    return problems


def _row_key(row: dict) -> str:
    keys = [k for k in ("unit_code", "dossier_id", "period_start", "element_code", "metric_code") if k in row]
    return ", ".join(f"{k}={row[k]}" for k in keys)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path, golden_lake) -> None:
    for required in ("params.json", "expected.csv", "README.md", "inputs"):
        assert (case / required).exists(), f"{case.name}: missing {required}"
    spec = json.loads((case / "params.json").read_text(encoding="utf-8"))
    query = get_query(spec["query"])
    expected_header = pl.read_csv(case / "expected.csv", infer_schema=False, n_rows=0).columns
    assert expected_header == list(query.columns), f"{case.name}: expected.csv header is not {query.name}'s columns"

    data_dir = golden_lake(case / "inputs")
    actual = run(spec["query"], data_dir=data_dir, scope=spec.get("scope"), **spec.get("params", {}))
    expected = read_expected(case / "expected.csv", actual.schema)
    problems = differences(actual, expected)
    assert not problems, f"{case.name}:\n  " + "\n  ".join(problems[:40]) + f"\nactual:\n{actual}"


def test_differences_helper() -> None:
    """The comparison itself: tolerance for doubles, NULL == NULL, exact for the rest."""
    a = pl.DataFrame({"n": [1, None], "r": [0.1 + 0.2, None], "s": ["x", "y"]})
    e = pl.DataFrame({"n": [1, None], "r": [0.3, None], "s": ["x", "y"]})
    assert differences(a, e) == []
    assert differences(a, e.with_columns(pl.Series("r", [0.3 + 2e-9, None]))) != []
    assert differences(a, e.with_columns(pl.Series("n", [1, 0]))) != []
    assert differences(a, e.with_columns(pl.Series("r", [0.3, 0.0]))) != []
