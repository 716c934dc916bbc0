"""The demo across the 1 July 2025 reform: its time frame, the units of each era, every level a page offers
in every year, rows only at units that existed on their date, catalogues republished on 1 July 2025,
each province on its own PAR framework, and volumes that run through the break.

Checked on the export files (tests/etl/demo_exports.py); the lake built from them is checked in
tests/queries/test_demo_levels.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from demo_exports import good_dossiers, read_dossiers, read_export, units_on

from etl import contract
from etl.demo import calibration as cal
from etl.demo.catalogue import COMMUNE_LEVEL, DISTRICT_LEVEL, before_reform, build_catalogue, build_pool, from_reform
from etl.demo.par import FRAMEWORKS, PROVINCIAL_FRAMEWORK, criteria_of, read_frameworks
from etl.demo.periods import LAST_DAY, YEARS, Window, window_of, windows
from etl.demo.units import THAI_NGUYEN, build_units, crosswalk

SEED = 20190101
REFORM = dt.date(2025, 7, 1)


# ---------------------------------------------------------------------------------------------
# Time frame and units
# ---------------------------------------------------------------------------------------------
def test_the_demo_runs_to_the_last_complete_month_of_a_fixed_today() -> None:
    assert dt.date(2026, 11, 30) == LAST_DAY  # DEMO_TODAY 6 December 2026: November is the last whole month
    assert YEARS == (2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026)
    assert windows(dt.date(2025, 3, 1), None) == [
        Window(2025, np.datetime64("2025-03-01"), np.datetime64("2025-12-31")),
        Window(2026, np.datetime64("2026-01-01"), np.datetime64("2026-11-30")),
    ]
    district_2025 = windows(dt.date(2000, 1, 1), dt.date(2025, 6, 30))[-1]
    assert (district_2025.first, district_2025.last) == (np.datetime64("2025-01-01"), np.datetime64("2025-06-30"))
    assert [w.tag for w in windows(dt.date(2025, 3, 1), None)] == ["202503", "2026"]
    assert (district_2025.tag, district_2025.whole_year, district_2025.at_snapshot) == ("2025", False, False)
    assert window_of(2024).whole_year and windows(REFORM, None)[-1].at_snapshot


def test_units_of_each_era() -> None:
    units = build_units(SEED)
    kinds: dict[tuple[str, str, dt.date, dt.date | None], int] = {}
    for u in units:
        key = (u.province, u.kind, u.first_day, u.last_day)
        kinds[key] = kinds.get(key, 0) + 1
    end_of_june, end_of_february = dt.date(2025, 6, 30), dt.date(2025, 2, 28)
    assert kinds[(cal.HANOI, "district", dt.date(2019, 1, 1), end_of_june)] == 30
    assert kinds[(cal.HCMC, "district", dt.date(2019, 1, 1), end_of_june)] == 22
    assert kinds[(cal.BAC_KAN, "district", dt.date(2019, 1, 1), end_of_june)] == 8
    assert kinds[(cal.HANOI, "commune", REFORM, None)] == 126
    assert kinds[(cal.HCMC, "commune", REFORM, None)] == 168  # with the former Bình Dương and Bà Rịa - Vũng Tàu
    assert kinds[(THAI_NGUYEN, "commune", REFORM, None)] == 92  # with the former Bắc Kạn
    by_code = {(u.code, u.first_day): u for u in units}
    # Decree 45/2025: Sở Kế hoạch và Đầu tư merged into Sở Tài chính on 1 March 2025, same flows
    skhdt, stc = by_code[("01.SKHDT", dt.date(2019, 1, 1))], by_code[("01.STC", dt.date(2025, 3, 1))]
    assert skhdt.last_day == end_of_february and stc.last_day is None
    assert (stc.size, stc.field_weights, stc.on_time) == (skhdt.size, skhdt.field_weights, skhdt.on_time)
    assert by_code[("01.STP", dt.date(2019, 1, 1))].last_day is None  # Sở Tư pháp went on unchanged
    # TP.HCM's departments of 1 July 2025 are new units, serving the merged territory too
    old, new = by_code[("79.STP", dt.date(2019, 1, 1))], by_code[("79.STP", REFORM)]
    assert old.last_day == end_of_june and new.size > 1.3 * old.size
    assert by_code[("19.STP", REFORM)].name == "Sở Tư pháp tỉnh Thái Nguyên"


def test_a_commune_receives_its_districts_shares() -> None:
    units = build_units(SEED)
    size = {u.code: u.size for u in units if u.kind == "district"}
    # Phường Ba Đình (00004) is made of parts of Quận Ba Đình (001) and others: its size is the sum of their
    # sizes times the crosswalk's weights, so Hà Nội's communes together receive what its districts did
    parts = [r for r in crosswalk() if r["new_code"] == "00004" and r["old_level"] == "district"]
    assert {r["old_code"] for r in parts} >= {"001"}
    (ba_dinh,) = [u for u in units if u.code == "00004" and u.kind == "commune"]
    assert ba_dinh.size == pytest.approx(sum(size[r["old_code"]] * float(r["weight"]) for r in parts))
    communes = sum(u.size for u in units if u.kind == "commune" and u.province == cal.HANOI)
    districts = sum(u.size for u in units if u.kind == "district" and u.province == cal.HANOI)
    assert communes == pytest.approx(districts, rel=0.02)  # a few small communes are raised to the floor


# ---------------------------------------------------------------------------------------------
# Every level in every year, every row at a unit of its date
# ---------------------------------------------------------------------------------------------
def test_dossiers_at_every_level_of_each_era(demo_files: dict[str, list[Path]]) -> None:
    before: dict[str, set[str]] = {}
    after: dict[str, set[str]] = {}
    years: set[int] = set()
    for path in demo_files["dossiers"]:
        frame = good_dossiers(path).with_columns(pl.col("received_at").dt.date().alias("day"))
        found = units_on(frame, "day").with_columns((pl.col("day") >= REFORM).alias("after"))
        kinds = found.group_by("after", "province_code").agg(pl.col("level").unique())
        for after_reform, province, levels in kinds.iter_rows():
            era = after if after_reform else before
            era[province] = era.get(province, set()) | set(levels)
        years |= set(found["day"].dt.year().unique().to_list())
    assert before == {p: {"district", "department"} for p in cal.PROVINCES}
    assert after == {p: {"commune", "department"} for p in (cal.HANOI, cal.HCMC, THAI_NGUYEN)}
    assert years == set(YEARS)


def test_every_good_row_is_at_a_unit_that_existed_on_its_date(demo_files: dict[str, list[Path]]) -> None:
    for path in demo_files["dossiers"]:
        frame = good_dossiers(path).with_columns(pl.col("received_at").dt.date().alias("day"))
        unmatched = units_on(frame, "day").filter(pl.col("level").is_null())
        assert unmatched.height == 0, (path.name, unmatched["unit_code"].unique().to_list()[:5])
    for path in demo_files["feedback"]:
        frame = read_export(path, contract.FEEDBACK).filter(~pl.col("feedback_id").str.ends_with("-L"))
        frame = frame.with_columns(pl.col("received_at").dt.date().alias("day"))
        assert units_on(frame, "day").filter(pl.col("level").is_null()).height == 0, path.name


def test_bad_rows_after_the_reform_include_a_retired_district(demo_files: dict[str, list[Path]]) -> None:
    frame = read_dossiers(next(p for p in demo_files["dossiers"] if p.name == "demo-dossiers-01-2026.csv"))
    bad = frame.filter(pl.col("dossier_id").str.contains(r"-L\d{3}$")).with_columns(
        pl.col("received_at").dt.date().alias("day")
    )
    retired = bad.filter(pl.col("unit_code") == "001")  # Quận Ba Đình, a district until 30 June 2025
    assert retired.height >= 1 and (retired["day"] >= REFORM).all()
    assert units_on(retired, "day")["level"].is_null().all()  # the loader quarantines it: no unit then


def year_end(year: int) -> dt.date:
    return min(dt.date(year, 12, 31), LAST_DAY)


def test_survey_and_par_at_every_level_of_each_year(demo_files: dict[str, list[Path]]) -> None:
    survey = pl.concat(
        read_export(p, contract.SURVEY_RESPONSES).select("unit_code", "year") for p in demo_files["survey"]
    ).unique()
    (par_path,) = demo_files["par"]
    par = read_export(par_path, contract.PAR_SCORES).select("unit_code", "year", "framework").unique()
    for name, frame in (("survey", survey), ("par", par)):
        dated = frame.with_columns(
            pl.col("year").cast(pl.Int32),
            pl.col("year").cast(pl.Int32).map_elements(year_end, return_dtype=pl.Date).alias("day"),
        )
        found = units_on(dated, "day")
        assert found["level"].null_count() == 0, name
        levels = found.group_by("year").agg(pl.col("level").unique()).sort("year")
        expected = {"district", "department"} if name == "survey" else {"district", "department", "province"}
        for year, kinds in levels.iter_rows():
            era = (expected - {"district"}) | {"commune"} if year >= 2025 else expected
            assert set(kinds) == era, (name, year)
    provinces = par.filter(pl.col("framework") == PROVINCIAL_FRAMEWORK).group_by("year").agg(pl.len())
    assert dict(provinces.iter_rows()) == {str(y): 63 if y < 2025 else 34 for y in YEARS}


# ---------------------------------------------------------------------------------------------
# Catalogues, frameworks, continuity
# ---------------------------------------------------------------------------------------------
def test_catalogues_are_republished_on_the_reform_day() -> None:
    catalogue = build_catalogue(cal.HANOI, build_pool(SEED), SEED)
    before, after = before_reform(catalogue), from_reform(catalogue)
    day = np.datetime64(REFORM)
    assert (before.published < day).all() and not (before.abolished >= day).any()
    assert (after.published >= day).all() and not (after.authority == DISTRICT_LEVEL).any()
    in_force = set(before.code[np.isnat(before.abolished)])  # not abolished before 1 July 2025
    republished = set(after.code[after.published == day]) & set(before.code)
    assert in_force == republished and len(republished) > 1_800
    moved = (catalogue.authority == DISTRICT_LEVEL) & np.isin(catalogue.code, list(republished))
    assert (after.authority[np.isin(after.code, catalogue.code[moved])] == COMMUNE_LEVEL).all()


def test_procedure_files_of_the_new_era_are_keyed_by_its_provinces(demo_files: dict[str, list[Path]]) -> None:
    names = {p.name: p for p in demo_files["procedures"]}
    for province in (cal.HANOI, cal.HCMC, THAI_NGUYEN):
        frame = read_export(names[f"demo-procedures-{province}-2025-07.csv"], contract.PROCEDURES)
        assert frame["province_code"].unique().to_list() == [province]
        published = frame["published_at"].str.to_date("%d/%m/%Y")
        assert published.min() == REFORM and published.max() <= LAST_DAY
        assert "district" not in frame["authority_level"].to_list()


def test_each_province_scores_on_its_own_frameworks() -> None:
    frameworks = read_frameworks()
    used = {code for versions in FRAMEWORKS.values() for _, code in versions} | {PROVINCIAL_FRAMEWORK}
    assert used <= set(frameworks)
    for (province, level), versions in FRAMEWORKS.items():
        prefix = {cal.HANOI: "HANOI-", cal.HCMC: "HCMC-", cal.BAC_KAN: "BACKAN-", THAI_NGUYEN: "THAINGUYEN-"}
        assert all(code.startswith(prefix[province] + level.upper()) for _, code in versions)
        for _, code in versions:
            areas = frameworks[code]
            assert {a["level"] for a in areas} == {level}
            assert sum(float(a["max_points"]) for a in areas) == 100
            survey = sum(float(a["survey_max_points"]) for a in areas)
            assert survey == (30 if level == "commune" or province == cal.HANOI else 20), code
            criteria = criteria_of(areas)
            assert len(criteria) == sum(int(a["criteria"]) for a in areas)
            assert sum(a + s for _, _, a, s in criteria) == pytest.approx(100)


def test_hanoi_receives_as_much_after_the_reform_as_before(demo_files: dict[str, list[Path]]) -> None:
    frame = good_dossiers(next(p for p in demo_files["dossiers"] if p.name == "demo-dossiers-01-2025.csv"))
    frame = frame.with_columns(pl.col("received_at").dt.date().alias("day"))
    local = units_on(frame, "day").filter(pl.col("level").is_in(["district", "commune"]))
    q2 = local.filter((pl.col("day") >= dt.date(2025, 4, 1)) & (pl.col("day") < REFORM)).height
    q3 = local.filter((pl.col("day") >= REFORM) & (pl.col("day") < dt.date(2025, 10, 1))).height
    assert 0.9 < q3 / q2 < 1.15  # the communes take over the districts' flows at about the same volume


def test_the_reform_dips_the_on_time_rate(demo_files: dict[str, list[Path]]) -> None:
    rates = {}
    for name in ("demo-dossiers-01-2024.csv", "demo-dossiers-01-2025.csv", "demo-dossiers-01-2026.csv"):
        frame = good_dossiers(next(p for p in demo_files["dossiers"] if p.name == name))
        frame = units_on(frame.with_columns(pl.col("received_at").dt.date().alias("day")), "day")
        resolved = frame.filter((pl.col("status") == "resolved") & pl.col("level").is_in(["district", "commune"]))
        on_time = resolved.with_columns(
            (pl.col("resolved_at").dt.date() <= pl.col("due_at").dt.date()).alias("on_time"),
            (pl.col("received_at").dt.date() >= REFORM).alias("after"),
        )
        for after, part in on_time.group_by("after"):
            rates[(name[-8:-4], after[0])] = part["on_time"].mean()
    assert rates[("2025", True)] < rates[("2025", False)]  # the communes' first months
    assert rates[("2026", True)] > rates[("2025", True)]  # and their recovery
