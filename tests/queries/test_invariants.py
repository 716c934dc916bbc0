"""Invariants of the index queries on the demo data, and the consistency of the
definitions some queries repeat (one query per file: service_index_766_total repeats the metric CTEs
of service_index_766; targets_gap's dossier rates, from its own yearly block, equal dossier_kpis').

The demo data comes from the session fixture `demo_data_dir` of tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from queries import run

REPO = Path(__file__).resolve().parents[2]
QUERIES = REPO / "queries"
EPS = 1e-9


# ---------------------------------------------------------------------------------------------------
# Shared SQL lives in one building block
# ---------------------------------------------------------------------------------------------------
def test_766_queries_read_the_metric_definitions_from_one_building_block() -> None:
    for name in ("service_index_766", "service_index_766_total"):
        text = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
        assert "-- uses: service_766_metric_points" in text
        assert "metric_values as (" not in text  # the definitions are not copied into the query


# ---------------------------------------------------------------------------------------------------
# Helpers over the demo data
# ---------------------------------------------------------------------------------------------------
def local_level(year: int) -> str:
    """The local level surveys and PAR assess in `year`: districts before the reform of 1 July 2025,
    communes from its year on (docs/units.md; the demo scores units that exist at the year's end)."""
    return "district" if year < 2025 else "commune"


def _years(data_dir: Path, table: str) -> list[int]:
    from queries.runner import cursor

    cur = cursor(data_dir)
    try:
        column = "year(received_at)" if table == "dossiers" else "year"
        rows = cur.sql(f"select distinct {column} as y from {table} where {column} is not null order by y").fetchall()
    finally:
        cur.close()
    return [int(y) for (y,) in rows]


def _table(data_dir: Path, sql: str) -> pl.DataFrame:
    from queries.runner import cursor

    cur = cursor(data_dir)
    try:
        return cur.sql(sql).pl()
    finally:
        cur.close()


def _assert_fraction(frame: pl.DataFrame, column: str, what: str) -> None:
    values = frame[column].drop_nulls()
    assert values.is_nan().sum() == 0, f"{what}: {column} has NaN"
    if values.len():
        assert values.min() >= -EPS and values.max() <= 1 + EPS, (
            f"{what}: {column} outside [0, 1]: {values.min()} … {values.max()}"
        )


@pytest.fixture(scope="module")
def demo(demo_data_dir: Path) -> Path:
    return Path(demo_data_dir)


@pytest.fixture(scope="module")
def dossier_years(demo: Path) -> list[int]:
    years = _years(demo, "dossiers")
    assert years, "the demo data has no dossiers"
    return years


# ---------------------------------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------------------------------
def test_dossier_kpis_rates_and_counts(demo: Path, dossier_years: list[int]) -> None:
    for year in dossier_years:
        for period in ("year", "quarter"):
            for level in ("district", "province"):
                frame = run("dossier_kpis", data_dir=demo, year=year, period=period, level=level)
                what = f"dossier_kpis {year} {period} {level}"
                assert frame.height, f"{what}: no rows"
                for column in (c for c in frame.columns if c.endswith("_rate")):
                    _assert_fraction(frame, column, what)
                bad = frame.filter(pl.col("resolved_on_time") + pl.col("resolved_late") != pl.col("resolved"))
                assert bad.is_empty(), f"{what}: on time + late != resolved:\n{bad}"


def test_service_index_766_points_within_maxima(demo: Path, dossier_years: list[int]) -> None:
    scoring = _table(demo, "select group_code, max(group_max) as group_max from scoring_766 group by group_code")
    for year in dossier_years:
        for level in ("district", "province"):
            what = f"service_index_766 {year} {level}"
            frame = run("service_index_766", data_dir=demo, year=year, level=level)
            assert frame.height, f"{what}: no rows"
            _assert_fraction(frame, "rate", what)
            points = frame.filter(pl.col("points").is_not_null())
            assert (points["points"] >= -EPS).all(), f"{what}: negative points"
            over = points.filter(pl.col("points") > pl.col("max_points") + EPS)
            assert over.is_empty(), f"{what}: points above the metric maximum:\n{over}"
            assert (frame["numerator"] <= frame["denominator"]).all(), f"{what}: numerator > denominator"
            groups = (
                frame.group_by("unit_code", "period_start", "group_code")
                .agg(pl.col("points").sum().alias("points"))
                .join(scoring, on="group_code")
            )
            over = groups.filter(pl.col("points") > pl.col("group_max") + EPS)
            assert over.is_empty(), f"{what}: group sums above the group maximum:\n{over}"

            totals = run("service_index_766_total", data_dir=demo, year=year, level=level)
            summed = frame.group_by("unit_code", "period_start").agg(pl.col("points").sum().alias("sum_points"))
            joined = totals.join(summed, on=["unit_code", "period_start"], how="full", coalesce=True)
            assert joined.height == totals.height == summed.height, f"{what}: units differ between the two queries"
            assert ((joined["total_points"] - joined["sum_points"]).abs() < 1e-6).all(), f"{what}: total != Σ points"
            assert (totals["total_points"] <= 100 + EPS).all(), f"{what}: total above 100"
            assert totals["band"].null_count() == 0, f"{what}: a total without a band"
            assert totals["rank"].min() == 1, f"{what}: ranks do not start at 1"


def test_sipas_shares_and_intervals(demo: Path) -> None:
    years = _years(demo, "survey_responses")
    assert years, "the demo data has no survey responses"
    for year in years:
        for level in (local_level(year), "province"):
            what = f"sipas {year} {level}"
            frame = run("sipas", data_dir=demo, year=year, level=level)
            assert frame.height, f"{what}: no rows"
            for column in ("satisfied_share", "ci_low", "ci_high"):
                _assert_fraction(frame, column, what)
            assert (frame["ci_low"] <= frame["satisfied_share"] + EPS).all(), f"{what}: ci_low above the share"
            assert (frame["ci_high"] >= frame["satisfied_share"] - EPS).all(), f"{what}: ci_high below the share"
            assert (frame["n"] > 0).all()
            assert set(frame.filter(pl.col("element_code") == "overall")["unit_code"]) == set(frame["unit_code"])


def test_par_index_areas_sum_to_the_total(demo: Path) -> None:
    years = _years(demo, "par_scores")
    assert years, "the demo data has no PAR scores"
    for year in years:
        what = f"par_index {year}"
        frame = run("par_index", data_dir=demo, year=year, level=local_level(year))
        assert frame.height, f"{what}: no rows"
        areas = frame.filter(pl.col("area_code") != "total")
        totals = frame.filter(pl.col("area_code") == "total")
        summed = areas.group_by("unit_code").agg(pl.col("score").sum().alias("area_sum"))
        joined = totals.join(summed, on="unit_code")
        assert joined.height == totals.height
        assert ((joined["score"] - joined["area_sum"]).abs() < 1e-6).all(), f"{what}: Σ areas != total"
        scored = areas.filter(pl.col("score").is_not_null())
        assert (scored["score"] <= scored["max_points"] + EPS).all(), f"{what}: an area above its maximum"
        assert (totals["index_pct"].drop_nulls() <= 100 + EPS).all()
        assert totals["rank"].null_count() == 0 and totals["rank"].min() == 1


def test_papi_dimensions_are_sums_of_sub_dimensions(demo: Path) -> None:
    scores = _table(
        demo,
        "select year, province_code, measure_code, parent_code, level, score from papi_scores where score is not null",
    )
    if scores.is_empty():
        pytest.skip("no PAPI scores in the demo data")
    subs = (
        scores.filter(pl.col("level") == "sub_dimension")
        .group_by("year", "province_code", "parent_code")
        .agg(pl.col("score").sum().alias("sub_sum"))
    )
    dims = scores.filter(pl.col("level") == "dimension").join(
        subs,
        left_on=["year", "province_code", "measure_code"],
        right_on=["year", "province_code", "parent_code"],
    )
    assert dims.height, "no dimension has sub-dimensions"
    assert (dims["score"] - dims["sub_sum"]).abs().max() < 1e-5
    dim_sums = dims.group_by("year", "province_code").agg(pl.col("score").sum().alias("dim_sum"))
    totals = scores.filter(pl.col("level") == "total").join(dim_sums, on=["year", "province_code"])
    assert (totals["score"] - totals["dim_sum"]).abs().max() < 1e-5
    for year in sorted(set(scores["year"])):
        frame = run("papi", data_dir=demo, year=int(year))
        ranked = frame.filter(pl.col("score").is_not_null())
        assert (ranked["rank"] >= 1).all() and ranked["quartile_group"].is_between(1, 4).all()
        assert frame.filter(pl.col("score").is_null())["rank"].null_count() == frame["score"].null_count()


def test_targets_gap_actuals_match_the_queries_they_repeat(demo: Path, dossier_years: list[int]) -> None:
    year = dossier_years[-1]
    frame = run("targets_gap", data_dir=demo, year=year)
    if frame.is_empty():
        pytest.skip(f"no targets for {year} in the demo data")
    for column in ("actual",):
        rates = frame.filter(pl.col("indicator").str.contains("rate|sipas"))
        _assert_fraction(rates, column, "targets_gap")
    met = frame.filter(pl.col("actual").is_not_null())
    assert met["met"].null_count() == 0
    assert frame.filter(pl.col("actual").is_null())["met"].null_count() == frame["actual"].null_count()

    kpis = run("dossier_kpis", data_dir=demo, year=year, level="district").select(
        "unit_code", "on_time_rate", "online_payment_rate", "digitised_rate"
    )
    for indicator in ("on_time_rate", "online_payment_rate", "digitised_rate"):
        mine = frame.filter(pl.col("indicator") == indicator).select("unit_code", "actual")
        joined = mine.join(kpis.select("unit_code", indicator), on="unit_code", how="left")
        same = (joined["actual"] - joined[indicator]).abs() < EPS
        both_null = joined["actual"].is_null() & joined[indicator].is_null()
        assert (same.fill_null(False) | both_null).all(), f"{indicator} differs from dossier_kpis:\n{joined}"
    # sipas_overall and par_rank read the building blocks of sipas and par_index (sipas_estimates, par_ranked)
