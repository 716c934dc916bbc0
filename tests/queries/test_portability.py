"""Portable SQL (docs/scaling.md, "Portable SQL"): every queries/*.sql transpiles to Spark SQL and Trino, and avoids the
constructs that change results between engines.

For each query module (whoever wrote it) this test:
1. replaces each `$param` by a typed placeholder: `CAST(:param AS <header type>)` (`$scope`:
   VARCHAR[]), a bare placeholder in LIMIT/OFFSET;
2. transpiles it with sqlglot from DuckDB to Spark and to Trino, `unsupported_level=RAISE`;
3. checks the DuckDB syntax tree for the banned constructs:
   - `date_diff`/`datediff` whose two date arguments are not both written `CAST(... AS DATE)`;
   - a division whose denominator is not `NULLIF(...)` (optionally inside a CAST) or a non-zero
     numeric literal: every `/` in the module is checked, CTEs included;
   - a percentile other than `percentile_cont(p) WITHIN GROUP (ORDER BY x)`: median, quantile*,
     percentile_disc, approx_* / reservoir_quantile, or percentile_cont in function form;
   - `* EXCLUDE (...)`, `* REPLACE (...)`, `* RENAME (...)` and DuckDB's `COLUMNS(...)`;
   - in the final SELECT (followed through `select * from <cte>` to that CTE), a rate column (name
     ending in `_rate`, `_share`, `_pct`, `_ratio`, or named `rate`) that is not explicitly DOUBLE:
     it must be `CAST(... AS DOUBLE)`, or a division one of whose operands is `CAST(... AS DOUBLE)`.
     Best effort: a rate computed in an earlier CTE and selected by name fails this check, which is
     the point: the cast belongs in the final SELECT, where the output type is decided.
What it cannot see: column types (a `/` between two DOUBLE columns is fine but still needs NULLIF),
and functions sqlglot transpiles to a different but existing function (it trusts sqlglot for those).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from queries.catalogue import QUERIES_DIR, load_catalogue, parse_header, parse_query

SQL_FILES = sorted(QUERIES_DIR.glob("*.sql"))
RATE_NAME = re.compile(r"(^|_)(rate|share|pct|ratio)$")
BANNED_PERCENTILES = {
    "median",
    "quantile",
    "quantile_cont",
    "quantile_disc",
    "percentile_disc",
    "approx_quantile",
    "approx_percentile",
    "percentile_approx",
    "reservoir_quantile",
}
PARAM_TYPES = {"INTEGER": "INTEGER", "VARCHAR": "VARCHAR", "DATE": "DATE", "DOUBLE": "DOUBLE", "BOOLEAN": "BOOLEAN"}


def typed_tree(path: Path) -> exp.Expression:
    """The module's body parsed as DuckDB, each `$param` a typed placeholder."""
    query = parse_query(path)
    types = {p.name: PARAM_TYPES[p.type] for p in query.params} | {"scope": "VARCHAR[]"}
    _, body = parse_header(path.read_text(encoding="utf-8"))
    tree = sqlglot.parse_one(body, read="duckdb")

    def typed(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder) and not isinstance(node.parent, exp.Limit | exp.Offset):
            return exp.cast(exp.Placeholder(this=node.name), exp.DataType.build(types[node.name], dialect="duckdb"))
        return node

    return tree.transform(typed, copy=True)


def _unwrap(node: exp.Expression) -> exp.Expression:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def _is_cast_to(node: exp.Expression, *types: exp.DataType.Type) -> bool:
    node = _unwrap(node)
    return isinstance(node, exp.Cast | exp.TryCast) and node.to.this in types


def _function_name(node: exp.Expression) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower()
    return node.sql_name().lower() if isinstance(node, exp.Func) else ""


def banned_constructs(tree: exp.Expression) -> list[str]:
    problems: list[str] = []
    for node in tree.walk():
        if isinstance(node, exp.DateDiff | exp.DatetimeDiff | exp.TimestampDiff):
            for arg in (node.this, node.expression):
                if not _is_cast_to(arg, exp.DataType.Type.DATE):
                    problems.append(f"date_diff on a non-DATE-cast argument: {node.sql('duckdb')}")
                    break
        elif isinstance(node, exp.Div):
            denominator = _unwrap(node.expression)
            if isinstance(denominator, exp.Cast | exp.TryCast):
                denominator = _unwrap(denominator.this)
            literal_ok = isinstance(denominator, exp.Literal) and not denominator.is_string
            if literal_ok:
                literal_ok = float(denominator.this) != 0
            if not (isinstance(denominator, exp.Nullif) or literal_ok):
                problems.append(f"division without NULLIF in the denominator: {node.sql('duckdb')}")
        elif isinstance(node, exp.PercentileCont):
            if not isinstance(node.parent, exp.WithinGroup):
                problems.append(f"percentile_cont not in WITHIN GROUP form: {node.sql('duckdb')}")
        elif isinstance(node, exp.Median | exp.PercentileDisc | exp.Quantile | exp.ApproxQuantile):
            problems.append(f"banned percentile form: {node.sql('duckdb')}")
        elif _function_name(node) in BANNED_PERCENTILES | {"columns"}:
            problems.append(f"banned function: {node.sql('duckdb')}")
        elif isinstance(node, exp.Star):
            modifiers = [k for k in ("except", "except_", "replace", "rename") if node.args.get(k)]
            if modifiers:
                problems.append(f"star modifier {modifiers[0].rstrip('_').upper()}: {node.sql('duckdb')}")
        elif isinstance(node, exp.Columns):  # DuckDB's COLUMNS(...) star expression
            problems.append(f"COLUMNS(...) expression: {node.sql('duckdb')}")
    return problems


def final_select(tree: exp.Expression) -> exp.Select | None:
    """The SELECT whose columns are the output, following `select * from <cte>` to that CTE."""
    ctes = {cte.alias_or_name: cte.this for cte in tree.find_all(exp.CTE)}
    select = tree if isinstance(tree, exp.Select) else None
    seen: set[str] = set()
    while select is not None and len(select.expressions) == 1 and isinstance(select.expressions[0], exp.Star):
        source = select.args.get("from_") or select.args.get("from")
        table = source.this if source is not None else None
        name = table.name if isinstance(table, exp.Table) else None
        if name is None or name not in ctes or name in seen or select.args.get("joins"):
            break
        seen.add(name)
        select = ctes[name] if isinstance(ctes[name], exp.Select) else None
    return select


def uncast_rates(tree: exp.Expression) -> list[str]:
    select = final_select(tree)
    if select is None:
        return []
    problems = []
    for projection in select.expressions:
        name = projection.alias_or_name
        if not RATE_NAME.search(name):
            continue
        value = _unwrap(projection.this if isinstance(projection, exp.Alias) else projection)
        double = (exp.DataType.Type.DOUBLE,)
        ok = _is_cast_to(value, *double) or (
            isinstance(value, exp.Div) and (_is_cast_to(value.this, *double) or _is_cast_to(value.expression, *double))
        )
        if not ok:
            problems.append(f"rate column {name} is not explicitly DOUBLE in the final SELECT: {value.sql('duckdb')}")
    return problems


@pytest.mark.parametrize("path", SQL_FILES, ids=[p.stem for p in SQL_FILES])
@pytest.mark.parametrize("dialect", ["spark", "trino"])
def test_transpiles(path: Path, dialect: str) -> None:
    tree = typed_tree(path)
    out = sqlglot.transpile(
        tree.sql("duckdb"), read="duckdb", write=dialect, unsupported_level=sqlglot.ErrorLevel.RAISE
    )
    assert len(out) == 1 and out[0]


@pytest.mark.parametrize("name", sorted(load_catalogue()))
def test_cte_names_are_unique_once_blocks_are_composed(name: str) -> None:
    """Spark (and the transpiler) lift the CTEs of every building block into one WITH list, so two blocks
    a query uses may not both define a CTE of the same name."""
    tree = sqlglot.parse_one(load_catalogue()[name].sql, read="duckdb")
    names = [cte.alias for cte in tree.find_all(exp.CTE)]
    repeated = sorted({n for n in names if names.count(n) > 1})
    assert not repeated, f"{name}: CTE names defined twice once its blocks are composed: {repeated}"


@pytest.mark.parametrize("path", SQL_FILES, ids=[p.stem for p in SQL_FILES])
def test_no_banned_constructs(path: Path) -> None:
    tree = typed_tree(path)
    problems = banned_constructs(tree) + uncast_rates(tree)
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


# The checker itself, on small examples.
@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        ("select date_diff('day', a, cast(b as date)) as d from t", "date_diff on a non-DATE-cast"),
        ("select datediff('day', cast(a as timestamp), cast(b as date)) as d from t", "date_diff on a non-DATE"),
        ("select a / b as x from t", "division without NULLIF"),
        ("select a / (b + 0) as x from t", "division without NULLIF"),
        ("select a / 0 as x from t", "division without NULLIF"),
        ("select median(x) as m from t", "percentile"),
        ("select quantile_cont(x, 0.5) as m from t", "percentile"),
        ("select percentile_disc(0.5) within group (order by x) as m from t", "percentile"),
        ("select approx_quantile(x, 0.5) as m from t", "percentile"),
        ("select * exclude (a) from t", "star modifier EXCEPT"),
        ("select * replace (1 as a) from t", "star modifier REPLACE"),
    ],
)
def test_checker_finds(sql: str, problem: str) -> None:
    problems = banned_constructs(sqlglot.parse_one(sql, read="duckdb"))
    assert any(problem in p for p in problems), problems


def test_checker_accepts_the_portable_forms() -> None:
    sql = """
    with m as (select cast(a as double) / nullif(b, 0) as r, x / 100.0 as pct_points from t),
    final as (
        select
            cast(n as double) / nullif(d, 0) as on_time_rate,
            cast(r as double) as share,
            percentile_cont(0.9) within group (order by x) as p90,
            date_diff('day', cast(a as date), cast(b as date)) as days
        from m
    )
    select * from final
    """
    tree = sqlglot.parse_one(sql, read="duckdb")
    assert banned_constructs(tree) == []
    assert uncast_rates(tree) == []


def test_checker_finds_uncast_final_rates() -> None:
    tree = sqlglot.parse_one(
        "with f as (select r as on_time_rate, a / nullif(b, 0) as online_rate from t) select * from f"
    )
    assert [p.split(" is ")[0] for p in uncast_rates(tree)] == ["rate column on_time_rate", "rate column online_rate"]
