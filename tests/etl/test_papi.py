"""The PAPI workbook reader against the committed long CSV, and the `papi` query on the real 2015 data."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from etl.load import load_files
from etl.papi import TOTAL_CODE, add_measure_codes, is_papi_workbook, read_papi_workbook, slug
from queries import run

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference" / "papi"
WORKBOOK = REFERENCE / "PAPI_2011-2016.xlsx"
LONG_CSV = REFERENCE / "papi_2011_2016_long.csv"


@pytest.fixture(scope="module")
def wide() -> pl.DataFrame:
    return read_papi_workbook(WORKBOOK)


@pytest.fixture(scope="module")
def scores(wide: pl.DataFrame) -> pl.DataFrame:
    return wide.with_columns(pl.col("year").cast(pl.Int64), pl.col("score").cast(pl.Float64))


@pytest.fixture(scope="module")
def long_csv() -> pl.DataFrame:
    frame = pl.read_csv(LONG_CSV, infer_schema=False)
    return frame.with_columns(
        pl.col("year").cast(pl.Int64),
        pl.col("gso_province_code").str.zfill(2).alias("province_code"),
        pl.col("score").cast(pl.Float64),
    )


def test_columns_are_the_contract_columns_as_strings(wide: pl.DataFrame) -> None:
    from etl.contract import TABLES

    canonical = TABLES["papi_scores"].names
    assert wide.columns == [*canonical, "__row__"]
    assert all(dtype == pl.String for dtype in wide.drop("__row__").dtypes)
    assert wide["__row__"].dtype == pl.Int64
    assert set(wide["level"].unique()) == {"dimension", "sub_dimension", "total"}


def test_63_provinces_by_6_years_by_29_measures(scores: pl.DataFrame) -> None:
    per_year = scores.group_by("year").agg(
        pl.col("province_code").n_unique().alias("provinces"), pl.len().alias("rows")
    )
    assert sorted(per_year["year"]) == [2011, 2012, 2013, 2014, 2015, 2016]
    assert set(per_year["provinces"]) == {63}
    assert set(per_year["rows"]) == {63 * 29}
    assert "99" not in set(scores["province_code"])  # the '999 / Highest' row is dropped
    assert scores.select(pl.struct("year", "province_code", "measure_code").is_unique().all()).item()


def test_every_value_equals_the_long_csv(scores: pl.DataFrame, long_csv: pl.DataFrame) -> None:
    ours = scores.with_columns(
        pl.when(pl.col("level") == "total").then(pl.lit("total_unweighted")).otherwise(pl.col("level")).alias("level")
    )
    joined = long_csv.join(
        ours,
        left_on=["year", "province_code", "measure_en"],
        right_on=["year", "province_code", "measure_name_en"],
        how="full",
        coalesce=True,
        suffix="_ours",
    )
    assert joined.height == long_csv.height == scores.height == 10962
    assert joined["measure_code"].null_count() == 0, "a workbook value has no row in the long CSV"
    assert joined["gso_province_code"].null_count() == 0, "a long-CSV row has no value in the workbook"
    assert (joined["level"] == joined["level_ours"]).all()
    assert (joined["measure_vi"] == joined["measure_name_vi"]).all()
    parents = joined.select(pl.col("parent_dimension_en").map_elements(slug, return_dtype=pl.String), "parent_code")
    assert parents["parent_dimension_en"].equals(parents["parent_code"], null_equal=True)
    assert (joined["score"].is_null() == joined["score_ours"].is_null()).all()
    both = joined.filter(pl.col("score").is_not_null())
    assert (both["score"] - both["score_ours"]).abs().max() < 1e-9


def test_unpublished_province_years_stay_missing(scores: pl.DataFrame) -> None:
    missing = scores.filter(pl.col("score").is_null())
    assert set(zip(missing["year"], missing["province_code"], strict=True)) == {(2014, "24"), (2014, "87")}
    assert missing.height == 2 * 29  # the total too: the workbook's 0 is not a score


def test_dimensions_are_sums_of_sub_dimensions_and_total_the_sum_of_dimensions(scores: pl.DataFrame) -> None:
    published = scores.filter(pl.col("score").is_not_null())
    subs = (
        published.filter(pl.col("level") == "sub_dimension")
        .group_by("year", "province_code", "parent_code")
        .agg(pl.col("score").sum().alias("sub_sum"))
    )
    dims = published.filter(pl.col("level") == "dimension").join(
        subs,
        left_on=["year", "province_code", "measure_code"],
        right_on=["year", "province_code", "parent_code"],
    )
    assert dims.height == 6 * (63 * 6 - 2)
    assert (dims["score"] - dims["sub_sum"]).abs().max() < 1e-5
    dim_sums = dims.group_by("year", "province_code").agg(pl.col("score").sum().alias("dim_sum"))
    totals = published.filter(pl.col("level") == "total").join(dim_sums, on=["year", "province_code"])
    assert totals.height == 63 * 6 - 2
    assert (totals["score"] - totals["dim_sum"]).abs().max() < 1e-5


def test_row_points_at_the_source_row(wide: pl.DataFrame) -> None:
    hanoi_2015 = wide.filter(
        (pl.col("year") == "2015") & (pl.col("province_code") == "01") & (pl.col("measure_code") == TOTAL_CODE)
    )
    assert hanoi_2015.select("__row__", "score").row(0) == (3, "34.101898")  # sheet 2015_PAPI, row 3
    ca_mau = wide.filter((pl.col("year") == "2011") & (pl.col("province_code") == "96"))
    assert set(ca_mau["__row__"]) == {65}  # the last province; the '999 / Highest' row 66 is dropped


def test_is_papi_workbook() -> None:
    assert is_papi_workbook(WORKBOOK)
    assert not is_papi_workbook(LONG_CSV)


def test_measure_codes_for_a_long_csv_match_the_workbook(wide: pl.DataFrame) -> None:
    long = pl.read_csv(LONG_CSV, infer_schema=False).rename(
        {"measure_en": "measure_name_en", "parent_dimension_en": "parent_code"}
    )
    coded = add_measure_codes(long)
    assert set(coded["measure_code"].unique()) == set(wide["measure_code"].unique())
    assert set(coded["parent_code"].drop_nulls().unique()) == set(wide["parent_code"].drop_nulls().unique())


def test_scores_cannot_be_read_as_thousands(wide: pl.DataFrame) -> None:
    # "1.234" is 1234 under Vietnamese digit grouping (etl/parse.py): every score carries six decimals.
    scores = wide["score"].drop_nulls()
    assert scores.str.contains(r"^\d+\.\d{6}$").all()


def test_slug() -> None:
    assert slug("People's Inspection Boards") == "peoples_inspection_boards"
    assert slug("Land-Use Plans/Price Frames") == "land_use_plans_price_frames"
    assert slug("E-Governance") == "e_governance"
    assert slug(slug("Public Service Delivery")) == "public_service_delivery"


# --- the workbook through the ETL, then `papi` -------------------------------------------------------------


def test_papi_2015_gives_published_totals_and_ranks_among_63(tmp_path: Path, long_csv: pl.DataFrame) -> None:
    load_files("papi", [WORKBOOK], data_dir=tmp_path)
    result = run("papi", data_dir=tmp_path, year=2015).filter(pl.col("level") == "total")

    published = (
        long_csv.filter((pl.col("year") == 2015) & (pl.col("level") == "total_unweighted"))
        .with_columns(pl.col("score").rank(method="min", descending=True).cast(pl.Int64).alias("rank"))
        .select("province_code", pl.col("score").alias("published"), pl.col("rank").alias("expected_rank"))
    )
    assert published.height == 63
    joined = published.join(result, on="province_code", how="left")
    assert joined.height == 63
    assert joined["score"].null_count() == 0
    assert (joined["score"] - joined["published"]).abs().max() < 1e-9
    assert joined["rank"].cast(pl.Int64).equals(joined["expected_rank"], check_names=False)
    assert result["rank"].min() == 1 and result["rank"].max() == 63


def test_a_long_csv_with_canonical_headers_loads_like_the_workbook(tmp_path: Path, wide: pl.DataFrame) -> None:
    long_csv = tmp_path / "papi_long.csv"
    wide.drop("__row__").write_csv(long_csv)
    load_files("papi", [WORKBOOK], data_dir=tmp_path / "from_xlsx")
    load_files("papi", [long_csv], data_dir=tmp_path / "from_csv")
    for year in (2014, 2016):
        from_xlsx = run("papi", data_dir=tmp_path / "from_xlsx", year=year)
        from_csv = run("papi", data_dir=tmp_path / "from_csv", year=year)
        assert from_xlsx.height == 63 * 29
        assert from_csv.equals(from_xlsx)


def test_every_value_survives_the_load(tmp_path: Path, long_csv: pl.DataFrame) -> None:
    load_files("papi", [WORKBOOK], data_dir=tmp_path)
    loaded = pl.concat([run("papi", data_dir=tmp_path, year=year) for year in range(2011, 2017)])
    published = long_csv.with_columns(
        pl.when(pl.col("level") == "total_unweighted")
        .then(pl.lit(TOTAL_CODE))
        .otherwise(pl.col("measure_en").map_elements(slug, return_dtype=pl.String))
        .alias("measure_code")
    ).select("year", "province_code", "measure_code", pl.col("score").alias("published"))
    joined = published.join(loaded, on=["year", "province_code", "measure_code"], how="full", coalesce=True)
    assert joined.height == published.height == loaded.height
    assert (joined["score"].is_null() == joined["published"].is_null()).all()
    assert (joined["score"] - joined["published"]).abs().max() < 1e-9
