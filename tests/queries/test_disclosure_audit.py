"""An audit of disclosure control on the demo lake (docs/security.md, "Disclosure control"): every query
with a `disclosure:` header is run by the real runner in the public mode, and each sum its counts are
part of is attacked by differencing on one dimension.

A relation is a total and the cells that add up to it: a row's own terms (resolved = on time + late),
the units of a province and the province's row (dossier_kpis at level province), the months or quarters
of a unit and its year, the units of a province in dossier_units and the province's received dossiers.
For each relation whose cells add up exactly on the demo's figures (checked on the figures before
disclosure control, so the attack is real) and whose total is shown, the number of hidden cells must
not be 1: with one hidden cell, total − the cells shown gives it back. Each relation must be found on
the demo at least once with a hidden cell, so that the audit cannot pass by finding nothing.

The figures before and after disclosure control come from one run (`queries.runner._run`, the runner
behind `queries.run`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pytest

from queries import get_query
from queries.runner import _run

FLOWS = ("received", "resolved", "resolved_on_time", "resolved_early", "resolved_late")  # add up over time
STOCKS = ("in_progress", "overdue_in_progress")  # at the period's end: add up over units, not over time
YEARS = (2024, 2026)
THRESHOLD = (
    3  # CCHC_PUBLIC_MIN_COUNT's default  # years without a unit re-formed mid-year: a unit has one row per period
)


def _public(lake: Path, name: str, **params) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`name` on `lake` in the public mode: (before, after) disclosure control."""
    return _run(name, lake, None, None, True, params)


def _cells(before: pl.DataFrame, after: pl.DataFrame, column: str, keys: Sequence[str]) -> pl.DataFrame:
    """One row per cell: its keys, its value before, whether disclosure control hid it."""
    return before.select(*keys, pl.col(column).alias("value")).with_columns(
        hidden=before.get_column(column).is_not_null() & after.get_column(column).is_null()
    )


def _attack(parts: pl.DataFrame, totals: pl.DataFrame, keys: Sequence[str]) -> tuple[int, int, list[str]]:
    """Differencing across rows: `parts` and `totals` from `_cells`, joined on `keys`. Returns (relations
    that add up exactly with a shown total, of them with a hidden part, the ones with one hidden part)."""
    small = pl.col("hidden") & (pl.col("value") >= 1) & (pl.col("value") < THRESHOLD)
    groups = parts.group_by(keys).agg(
        pl.col("value").sum().alias("parts"),
        pl.col("hidden").sum().alias("hidden_parts"),
        small.sum().alias("small_parts"),
        pl.len().alias("cells"),
        pl.col("value").filter(pl.col("hidden")).sum().alias("hidden_sum"),
    )
    joined = groups.join(totals.rename({"value": "total", "hidden": "total_hidden"}), on=list(keys), how="inner")
    exact = joined.filter(
        (pl.col("parts") == pl.col("total")) & ~pl.col("total_hidden") & pl.col("total").is_not_null()
    )
    # one hidden part; or hidden parts all below the threshold adding up to their least or most possible
    # sum (two adding up to 2 are both 1, to 4 both 2): each is pinned to one value. Where every part is
    # hidden no other part of the table can be hidden with them: the residual risk of docs/security.md
    pinned = (
        (pl.col("small_parts") == pl.col("hidden_parts"))
        & (pl.col("hidden_parts") < pl.col("cells"))
        & (
            (pl.col("hidden_sum") == pl.col("hidden_parts"))
            | (pl.col("hidden_sum") == pl.col("hidden_parts") * (THRESHOLD - 1))
        )
    )
    broken = exact.filter((pl.col("hidden_parts") == 1) | ((pl.col("hidden_parts") > 1) & pinned))
    return exact.height, exact.filter(pl.col("hidden_parts") > 0).height, [str(r) for r in broken.rows(named=True)]


def _parents(lake: Path) -> pl.DataFrame:
    return (
        _run("units", lake, None, None, False, {})[0]
        .select("unit_code", "parent_code")
        .unique("unit_code", keep="last")
    )


# query: (its counts that add up over a province's units, those that add up over time too, its other keys)
UNIT_COUNTS = {
    "dossier_kpis": ((*FLOWS, *STOCKS), FLOWS, ()),
    "petitions_on_time": (("petitions", "answered", "answered_on_time", "open_overdue", "in_time"), ("petitions",), ()),
    "digital_shares": (DIGITAL := ("received", "data_reused", "signed_reported", "received_signed", "resolved",
                                   "result_signed_reported", "result_signed"), DIGITAL, ()),
    "waiting_time": (("visits", "not_called"), ("visits", "not_called"), ("source",)),
}  # fmt: skip
# the relations each query must show with a hidden cell on the demo (the others may have none to hide)
MUST_HIDE = {"dossier_kpis", "petitions_on_time"}


@pytest.fixture(scope="module")
def lake(demo_data_dir: Path) -> Path:
    return demo_data_dir


@pytest.fixture(scope="module")
def unit_levels(lake: Path) -> dict[tuple[str, int], list[tuple[str, pl.DataFrame, pl.DataFrame]]]:
    """Per query and year, its public figures of the units that add up to a province: districts and
    departments (2024), communes and departments (2026)."""
    return {
        (name, year): [(level, *_public(lake, name, year=year, level=level)) for level in ("district", "commune")]
        for name in UNIT_COUNTS
        for year in YEARS
    }


@pytest.mark.parametrize("name", list(UNIT_COUNTS))
def test_a_unit_count_cannot_be_differenced_from_its_province(lake, unit_levels, name):
    parents = _parents(lake)
    columns, _, keys = UNIT_COUNTS[name]
    keys = ["unit_code", *keys]
    found, with_hidden, broken = 0, 0, []
    for year in YEARS:
        province = _public(lake, name, year=year, level="province")
        for column in columns:
            parts = pl.concat([_cells(b, a, column, keys) for _, b, a in unit_levels[name, year]])
            parts = (
                parts.join(parents, on="unit_code", how="left").drop("unit_code").rename({"parent_code": "unit_code"})
            )
            n, h, bad = _attack(parts, _cells(*province, column, keys), keys)
            found, with_hidden, broken = found + n, with_hidden + h, broken + [f"{year} {column}: {b}" for b in bad]
    assert found > 0 and (with_hidden > 0 or name not in MUST_HIDE), (found, with_hidden)
    assert broken == [], f"{len(broken)} of {found}: {broken[:5]}"


@pytest.mark.parametrize("period", ["month", "quarter"])
@pytest.mark.parametrize("name", list(UNIT_COUNTS))
def test_a_month_or_quarter_cannot_be_differenced_from_the_year(lake, unit_levels, name, period):
    _, columns, keys = UNIT_COUNTS[name]
    keys = ["unit_code", *keys]
    found, with_hidden, broken = 0, 0, []
    for year in YEARS:
        for level, *whole in unit_levels[name, year]:
            parts_before, parts_after = _public(lake, name, year=year, level=level, period=period)
            for column in columns:
                n, h, bad = _attack(_cells(parts_before, parts_after, column, keys), _cells(*whole, column, keys), keys)
                found, with_hidden = found + n, with_hidden + h
                broken += [f"{year} {level} {column}: {b}" for b in bad]
    assert found > 0 and (with_hidden > 0 or name not in MUST_HIDE), (found, with_hidden)
    assert broken == [], f"{len(broken)} of {found}: {broken[:5]}"


def test_a_row_term_cannot_be_differenced_within_its_row(lake, unit_levels):
    """dossier_kpis' `sum`: resolved = on time + late. A row with one hidden term, or with its total
    shown and its parts hidden counts pinned by it (4 = 2 + 2), gives them back."""
    rules = get_query("dossier_kpis").disclosure
    checked = 0
    for year in YEARS:
        for _, before, after in unit_levels["dossier_kpis", year]:
            for terms in rules.sums:
                hidden = sum(
                    (before.get_column(t).is_not_null() & after.get_column(t).is_null()).cast(pl.Int32) for t in terms
                )
                checked += int((hidden > 0).sum())
                assert int((hidden == 1).sum()) == 0, (year, terms)
                total, parts = terms[0], terms[1:]
                shown_total = after.get_column(total).is_not_null()
                hidden_parts = [after.get_column(p).is_null() for p in parts]
                count = sum(h.cast(pl.Int32) for h in hidden_parts)
                small = sum(
                    (h & (before.get_column(p) < THRESHOLD)).cast(pl.Int32)
                    for p, h in zip(parts, hidden_parts, strict=True)
                )
                value = sum(before.get_column(p) * h.cast(pl.Int64) for p, h in zip(parts, hidden_parts, strict=True))
                least, most = value == count, value == count * (THRESHOLD - 1)
                pinned = shown_total & (count >= 2) & (small == count) & (least | most)
                assert int(pinned.sum()) == 0, (year, terms)
    assert checked > 0


def test_a_unit_of_dossier_units_cannot_be_differenced_from_its_province(lake):
    """dossier_units lists each unit's dossiers received in the year; summed over a province's units they
    are the province's received dossiers in dossier_kpis at level province."""
    found, with_hidden, broken = 0, 0, []
    for year in YEARS:
        units = _public(lake, "dossier_units", year=year)
        parts = _cells(*units, "dossiers", ["province_code"]).rename({"province_code": "unit_code"})
        province = _public(lake, "dossier_kpis", year=year, level="province")
        n, h, bad = _attack(parts, _cells(*province, "received", ["unit_code"]), ["unit_code"])
        found, with_hidden, broken = found + n, with_hidden + h, broken + [f"{year}: {b}" for b in bad]
    assert found > 0, found  # the demo has no unit with fewer than 3 dossiers in a year: test_disclosure.py
    assert broken == [], f"{len(broken)} of {found}: {broken[:5]}"


def test_a_766_count_cannot_be_differenced_from_its_province_or_its_year(lake):
    parents = _parents(lake)
    found, with_hidden, broken = 0, 0, []
    keys = ["unit_code", "metric_code"]
    for year in YEARS:
        province = _public(lake, "service_index_766", year=year, level="province")
        for level in ("district", "commune"):
            whole = _public(lake, "service_index_766", year=year, level=level)
            quarters = _public(lake, "service_index_766", year=year, level=level, period="quarter")
            for column in ("numerator", "denominator"):
                parts = _cells(*whole, column, keys).join(parents, on="unit_code", how="left")
                parts = parts.drop("unit_code").rename({"parent_code": "unit_code"})
                n, h, bad = _attack(parts, _cells(*province, column, keys), keys)
                found, with_hidden, broken = found + n, with_hidden + h, broken + [f"{year} {level}: {b}" for b in bad]
                n, h, bad = _attack(_cells(*quarters, column, keys), _cells(*whole, column, keys), keys)
                found, with_hidden, broken = (
                    found + n,
                    with_hidden + h,
                    broken + [f"{year} {level} Q: {b}" for b in bad],
                )
    assert found > 0 and with_hidden > 0, (found, with_hidden)
    assert broken == [], f"{len(broken)} of {found}: {broken[:5]}"


@pytest.mark.parametrize("name", list(UNIT_COUNTS))
def test_no_count_below_the_threshold_is_shown(unit_levels, name):
    """The counts of dossiers, petitions and visits per unit are declared (`counts`) and hidden below the
    threshold: no shown count from 1 to 2, while the figures before disclosure control have some."""
    columns, _, _ = UNIT_COUNTS[name]
    small_before, small_shown = 0, 0
    for levels in (unit_levels[name, year] for year in YEARS):
        for _, before, after in levels:
            for column in columns:
                small_before += int(before.get_column(column).is_between(1, THRESHOLD - 1).sum())
                small_shown += int(after.get_column(column).is_between(1, THRESHOLD - 1).sum())
    assert small_before > 0 or name not in MUST_HIDE
    assert small_shown == 0


def test_a_766_metric_points_cannot_be_differenced_from_the_total(lake):
    """service_index_766_total = the sum of the unit's metrics' points (those with data): where the total
    is shown, the points the rules hid are never one metric's."""
    checked, with_hidden = 0, 0
    keys = ["unit_code", "period_start"]
    for year in YEARS:
        for level in ("district", "commune", "province"):
            before, after = _public(lake, "service_index_766", year=year, level=level)
            totals = _public(lake, "service_index_766_total", year=year, level=level)[1]
            hidden = (
                _cells(before, after, "points", keys)
                .group_by(keys)
                .agg(pl.col("value").sum().alias("parts"), pl.col("hidden").sum().alias("hidden_parts"))
            )
            joined = hidden.join(totals.filter(pl.col("total_points").is_not_null()), on=keys, how="inner")
            assert joined.filter((pl.col("parts") - pl.col("total_points")).abs() > 1e-6).is_empty()
            checked += joined.height
            with_hidden += joined.filter(pl.col("hidden_parts") > 0).height
            assert joined.filter(pl.col("hidden_parts") == 1).is_empty(), (year, level)
    assert checked > 0 and with_hidden > 0, (checked, with_hidden)
