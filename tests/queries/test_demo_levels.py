"""The demo lake across the 1 July 2025 reform: nothing quarantined but the deliberate bad rows, and every
level a page offers has data in every year, through the query modules.

The generator's own tests of the same files are tests/etl/test_demo_reform.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from etl.demo.periods import LAST_DAY, YEARS
from queries import run
from queries.paths import REFERENCE_DIR

BAD_DOSSIER_ID = r"-L\d{3}$"


def exports(data: Path, kind: str) -> list[Path]:
    return sorted((data / "exports" / "demo").glob(f"demo-{kind}-*"))


def quarantined(data: Path) -> pl.DataFrame:
    return run("quarantine_rows", data_dir=data, limit=1_000_000).select(
        "source_file", "row_number", "reason", "raw_record"
    )


def dossier_ids(path: Path) -> pl.Series:
    frame = pl.read_csv(path, infer_schema=False)
    return frame[frame.columns[0]]  # every demo export style puts the dossier number first


def test_nothing_is_quarantined_but_the_deliberate_bad_rows(demo_data_dir: Path) -> None:
    rows = quarantined(demo_data_dir).with_columns(
        pl.col("source_file").map_elements(lambda f: Path(f).name, return_dtype=pl.String).alias("file")
    )
    rows = rows.filter(pl.col("file").str.starts_with("demo-"))  # the published tables loaded beside are real
    per_file = rows.group_by("file").agg(pl.col("row_number").n_unique().alias("rows"))
    counts = dict(per_file.iter_rows())
    assert set(counts) <= {p.name for kind in ("dossiers", "feedback") for p in exports(demo_data_dir, kind)}
    for path in exports(demo_data_dir, "feedback"):
        assert counts.get(path.name) == 1, path.name  # the petition answered before it arrived
        (record,) = rows.filter(pl.col("file") == path.name)["raw_record"].unique().to_list()
        assert json.loads(record)["feedback_id"].endswith("-L")
    for path in exports(demo_data_dir, "dossiers"):
        ids = dossier_ids(path)
        # the bad rows have an id of their own (`-L001`) or repeat an earlier row's id
        bad = set(ids.filter(ids.str.contains(BAD_DOSSIER_ID) | ids.is_duplicated()).to_list())
        records = rows.filter(pl.col("file") == path.name).unique("row_number")["raw_record"].to_list()
        assert {json.loads(r)["dossier_id"] for r in records} <= bad, path.name
        expected = ids.str.contains(BAD_DOSSIER_ID).sum() + ids.is_duplicated().sum() // 2
        assert counts.get(path.name, 0) == expected, path.name


def levels_of(year: int) -> tuple[str, ...]:
    """The levels a page offers for `year`: districts until the reform, communes from it (2025 has both)."""
    if year < 2025:
        return ("district", "department", "province")
    if year == 2025:
        return ("district", "commune", "department", "province")
    return ("commune", "department", "province")


@pytest.mark.parametrize("year", YEARS)
def test_dossiers_and_766_at_every_level_of_every_year(demo_data_dir: Path, year: int) -> None:
    for level in levels_of(year):
        frame = run("dossier_kpis", data_dir=demo_data_dir, year=year, level=level)
        assert frame.filter(pl.col("received") > 0).height > 0, (year, level)
        index_766 = run("service_index_766_total", data_dir=demo_data_dir, year=year, level=level)
        assert index_766.filter(pl.col("total_points") > 0).height > 0, ("766", year, level)


@pytest.mark.parametrize("year", YEARS)
def test_survey_and_par_at_every_level_of_every_year(demo_data_dir: Path, year: int) -> None:
    levels = [lvl for lvl in levels_of(year) if not (year == 2025 and lvl == "district")]  # scored at the year's end
    for level in levels:
        sipas = run("sipas", data_dir=demo_data_dir, year=year, level=level)
        assert sipas.height > 0, ("sipas", year, level)
        if level != "province":  # province level: see test_par_ranks_every_province
            par = run("par_index", data_dir=demo_data_dir, year=year, level=level)
            assert par.filter(pl.col("area_code") == "total").height > 0, ("par", year, level)


def test_par_ranks_every_province(demo_data_dir: Path) -> None:
    """At province level a province's figure is its own score, ranked among the provinces of its era,
    although the demo provinces also have districts, communes and departments scored below them."""
    for year, provinces, demo in ((2024, 63, {"01", "79", "06"}), (2026, 34, {"01", "79", "19"})):
        totals = run("par_index", data_dir=demo_data_dir, year=year, level="province").filter(
            pl.col("area_code") == "total"
        )
        assert totals.height == provinces and demo <= set(totals["unit_code"]), year
        assert totals["ranked_units"].unique().to_list() == [provinces], year
        assert sorted(totals["rank"].to_list())[0] == 1, year


def test_hanoi_communes_in_2026(demo_data_dir: Path) -> None:
    frame = run("dossier_kpis", data_dir=demo_data_dir, year=2026, level="commune", province_code="01")
    assert frame.height == 126 and (frame["received"] > 0).all()
    assert frame["unit_code"].str.len_chars().unique().to_list() == [5]
    ba_dinh = frame.filter(pl.col("unit_code") == "00004").row(0, named=True)
    assert ba_dinh["unit_name"] == "Phường Ba Đình"


def test_every_commune_of_the_demo_provinces_in_2026(demo_data_dir: Path) -> None:
    """Hà Nội's 126 communes, TP.HCM's 168 (with those of the former Bình Dương 74 and Bà Rịa - Vũng Tàu 77)
    and Thái Nguyên's 92 (with those of the former Bắc Kạn 06) each receive dossiers: the communes of the
    units list on the demo's last day, and the crosswalk's provinces they were made of."""
    units = pl.read_csv(REFERENCE_DIR / "units" / "units.csv", infer_schema=False).filter(
        (pl.col("level") == "commune")
        & (pl.col("valid_from").str.to_date() <= LAST_DAY)
        & (pl.col("valid_to").is_null() | (pl.col("valid_to").str.to_date() >= LAST_DAY))
    )
    crosswalk = pl.read_csv(REFERENCE_DIR / "units" / "crosswalk_2025.csv", infer_schema=False)
    old_provinces = dict(crosswalk.filter(pl.col("old_level") == "province").select("old_code", "new_code").iter_rows())
    for province, size, merged in (("01", 126, {"01"}), ("79", 168, {"74", "77", "79"}), ("19", 92, {"06", "19"})):
        assert {old for old, new in old_provinces.items() if new == province} == merged
        communes = set(units.filter(pl.col("province_code") == province)["unit_code"])
        frame = run("dossier_kpis", data_dir=demo_data_dir, year=2026, level="commune", province_code=province)
        assert len(communes) == size and set(frame["unit_code"]) == communes, province
        assert (frame["received"] > 0).all(), province
