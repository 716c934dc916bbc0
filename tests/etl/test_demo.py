"""The demo generator: deterministic, export-shaped, and calibrated to the published facts.

The calibration is checked on the generated CSVs themselves, read with polars and mapped through the
contract's aliases and vocabularies (not through the loader: tests/etl/demo_exports.py), so these tests
stand on their own. The years after the reform are tested in test_demo_reform.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from demo_exports import dossiers, is_yes, read_dossiers, read_export, read_reference

from etl import contract, demo
from etl.demo import calibration as cal
from etl.demo.calibration import DEFAULT_SCALE, btl_2019, rounds_to, scaled
from etl.demo.catalogue import build_catalogue, build_pool
from etl.demo.dossiers import dossier_frame, plan_for
from etl.demo.periods import window_of
from etl.demo.styles import STYLES
from etl.demo.units import build_units, pre_reform_districts, read_departments
from etl.demo.vocabulary import ELEMENTS, INSTRUMENTS
from etl.headers import map_headers
from queries import run
from queries.paths import REFERENCE_DIR

REPO = Path(__file__).resolve().parents[2]
SMALL = 0.002  # for the byte-for-byte determinism check: fast, rates not exact (warns)


# ---------------------------------------------------------------------------------------------
# Scaling arithmetic
# ---------------------------------------------------------------------------------------------
def test_scale_one_gives_the_published_counts() -> None:
    counts = btl_2019(1.0)
    assert (counts.to_resolve, counts.resolved, counts.on_time, counts.in_progress) == (
        349_247,
        345_282,
        344_843,
        3_965,
    )
    assert counts.exact


def test_default_scale_counts_worked_out_by_hand() -> None:
    # 349,247 × 0.02 = 6,984.94 -> 6,985; 345,282 × 0.02 = 6,905.64 -> 6,906; 344,843 × 0.02 = 6,896.86 -> 6,897
    # 6,906 / 6,985 = 98.869 % -> 98.9 %; 6,897 / 6,906 = 99.8697 % -> 99.87 %; in progress 6,985 - 6,906 = 79
    assert DEFAULT_SCALE == 0.02
    counts = btl_2019(DEFAULT_SCALE)
    assert (counts.to_resolve, counts.resolved, counts.on_time, counts.in_progress, counts.late) == (
        6_985,
        6_906,
        6_897,
        79,
        9,
    )
    assert round(counts.resolved / counts.to_resolve * 100, 1) == 98.9
    assert round(counts.on_time / counts.resolved * 100, 2) == 99.87
    assert scaled(cal.PHU_XUYEN_ONLINE_2021, DEFAULT_SCALE) == 6  # 305 × 0.02 = 6.1
    assert scaled(cal.PHU_XUYEN_ONLINE_2022_Q1, DEFAULT_SCALE) == 9  # 428 × 0.02 = 8.56


@pytest.mark.parametrize("scale", [0.015, 0.02, 0.03, 0.05, 0.1, 0.5, 1.0])
def test_rates_stay_exact_where_counts_allow(scale: float) -> None:
    counts = btl_2019(scale)
    assert counts.exact
    assert rounds_to(counts.resolved, counts.to_resolve, cal.BTL_2019_RESOLVED_RATE)
    assert rounds_to(counts.on_time, counts.resolved, cal.BTL_2019_ON_TIME_RATE)
    assert abs(counts.resolved - 345_282 * scale) <= 0.01 * 345_282 * scale + 1  # nudged by at most ~1 %


def test_industry_and_trade_signed_dossiers_by_hand() -> None:
    # scale 1: the published 88,500 of 91,700; 0.02: 91,700 × 0.02 = 1,834 received, 1,834 × 88,500 / 91,700 =
    # 1,770 signed, 1,770 / 1,834 = 96.51 % -> 96.5 %; 0.013: 1,192.1 -> 1,192 received, × 0.96510 =
    # 1,150.4 -> 1,150 signed (96.48 % -> 96.5 %)
    assert cal.industry_trade_signed(91_700) == 88_500
    assert cal.industry_trade_signed(scaled(91_700, DEFAULT_SCALE)) == 1_770
    assert cal.industry_trade_signed(scaled(91_700, 0.013)) == 1_150
    for received in range(1_000, 3_000, 37):  # from 1,000 dossiers on a count always gives 96.5 % (±0.05 pp)
        assert rounds_to(cal.industry_trade_signed(received), received, cal.INDUSTRY_TRADE_SIGNED_RATE)
    with pytest.warns(UserWarning, match="96.5 %"):
        cal.industry_trade_signed(20)  # 19/20 = 95 %, 20/20 = 100 %: no count gives 96.5 %


def test_bac_kan_catalogue_online_services_at_the_end_of_2024() -> None:
    cat = build_catalogue(cal.BAC_KAN, build_pool(cal.DEFAULT_SEED), cal.DEFAULT_SEED)
    in_force = cat.active_at("2024-12-31")
    assert np.bincount(cat.online_service[in_force], minlength=3)[1:].tolist() == [174, 994]
    assert not (cat.online_service == 2)[~cat.eligible].any()  # fully online only where eligible


def test_too_small_a_scale_warns_instead_of_pretending() -> None:
    with pytest.warns(UserWarning, match="cannot be reproduced"):
        assert not btl_2019(0.001).exact


def test_rounds_to_is_exact_integer_arithmetic() -> None:
    assert rounds_to(989, 1000, (989, 1000))
    assert rounds_to(9885, 10000, (989, 1000))  # 98.85 rounds half up to 98.9
    assert not rounds_to(9895, 10000, (989, 1000))
    assert not rounds_to(1, 0, (1, 1))


# ---------------------------------------------------------------------------------------------
# The generated files reproduce the stated facts
# ---------------------------------------------------------------------------------------------
def test_files_per_kind_in_load_order(demo_files: dict[str, list[Path]]) -> None:
    assert list(demo_files) == [
        "procedures", "dossiers", "feedback", "survey", "par", "targets", "queue_tickets", "one_stop_offices", "plan",
    ]  # fmt: skip
    # the service measures (etl/demo/measures.py): Hà Nội's tickets 2023–2024, Bắc Kạn's offices, TP.HCM's plans
    assert [len(demo_files[k]) for k in ("queue_tickets", "one_stop_offices", "plan")] == [2, 1, 2]
    assert set(demo_files) <= set(contract.KINDS)
    # Hà Nội and TP.HCM 2019–2026, Bắc Kạn 2019–2025 (until 30 June), Thái Nguyên 2025 (from 1 July)–2026
    assert len(demo_files["dossiers"]) == 8 + 8 + 7 + 2
    every = [p for paths in demo_files.values() for p in paths]
    assert all(p.name.startswith("demo-") and p.is_file() for p in every)
    assert any(p.suffix == ".xlsx" for p in every)
    assert any(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in every if p.suffix == ".csv")


def test_bac_tu_liem_2019(demo_files: dict[str, list[Path]]) -> None:
    btl = dossiers(demo_files, cal.HANOI, 2019).filter(pl.col("unit_code") == cal.BAC_TU_LIEM)
    year_end = dt.datetime(2019, 12, 31, 23, 59, 59)
    resolved = btl.filter((pl.col("status") == "resolved") & (pl.col("resolved_at") <= year_end))
    on_time = resolved.filter(pl.col("resolved_at").dt.date() <= pl.col("due_at").dt.date())
    in_progress = btl.filter(pl.col("resolved_at").is_null() | (pl.col("resolved_at") > year_end))
    assert (resolved.height, on_time.height, in_progress.height) == (6_906, 6_897, 79)
    assert resolved.height + in_progress.height == 6_985
    assert round(resolved.height / (resolved.height + in_progress.height) * 100, 1) == 98.9
    assert round(on_time.height / resolved.height * 100, 2) == 99.87


def test_phu_xuyen_online(demo_files: dict[str, list[Path]]) -> None:
    px_2021 = dossiers(demo_files, cal.HANOI, 2021).filter(pl.col("unit_code") == cal.PHU_XUYEN)
    assert px_2021.filter(pl.col("channel") == "online").height == 6
    px_2022 = dossiers(demo_files, cal.HANOI, 2022).filter(pl.col("unit_code") == cal.PHU_XUYEN)
    q1 = px_2022.filter((pl.col("channel") == "online") & (pl.col("received_at") < dt.datetime(2022, 4, 1)))
    assert q1.height == 9


def test_quan_1_online_share_and_rejection(demo_files: dict[str, list[Path]]) -> None:
    for year, percent in cal.QUAN_1_REJECTION.items():
        q1 = dossiers(demo_files, cal.HCMC, year).filter(pl.col("unit_code") == cal.QUAN_1)
        received = q1.height
        assert received > 1_000
        online = q1.filter(pl.col("channel") == "online").height
        rejected = q1.filter(pl.col("status") == "rejected")
        assert online / received > 0.92, year
        assert round(rejected.height / received * 100) == percent, year
        # rejections are decided within the year received, so both readings of the rate agree
        assert rejected["resolved_at"].dt.year().to_list() == [year] * rejected.height
    rates = [cal.QUAN_1_REJECTION[y] for y in range(2019, 2024)]
    assert rates == sorted(rates, reverse=True) and rates[0] == 29 and rates[-1] == 13


def read_catalogue(path: Path) -> pl.DataFrame:
    return read_export(path, contract.PROCEDURES).with_columns(
        pl.col("published_at").str.to_date("%d/%m/%Y"),
        pl.col("abolished_at").str.to_date("%d/%m/%Y", strict=False),
    )


def active_on(frame: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    return frame.filter(
        (pl.col("published_at") <= day) & (pl.col("abolished_at").is_null() | (pl.col("abolished_at") > day))
    )


def test_hanoi_catalogue(demo_files: dict[str, list[Path]]) -> None:
    counts = {}
    # the catalogues in force before 1 July 2025 (those of the reform are demo-procedures-<province>-2025-07)
    for path in [p for p in demo_files["procedures"] if "-2025-07" not in p.stem]:
        frame = read_catalogue(path)
        province = frame["province_code"].unique().to_list()
        assert len(province) == 1
        assert frame["procedure_code"].is_unique().all()
        assert frame["procedure_code"].str.contains(r"^\d\.\d{6}$").all()
        counts[province[0]] = {y: active_on(frame, dt.date(y, 12, 31)).height for y in range(2019, 2025)}
        if province[0] == cal.HANOI:
            assert active_on(frame, dt.date(2022, 12, 31)).height == 1_843
            assert active_on(frame, dt.date(2023, 12, 31)).height == 1_886
            in_2022 = active_on(frame, dt.date(2022, 12, 31))
            assert in_2022.filter(pl.col("full_online_eligible") == "Có").height == 1_685
    assert set(counts) == set(cal.PROVINCES)
    for province, by_year in counts.items():
        assert all(1_500 <= n <= 1_950 for n in by_year.values()), province


def test_survey_floor_weights_and_instruments(demo_files: dict[str, list[Path]]) -> None:
    for path in demo_files["survey"]:
        frame = read_export(path, contract.SURVEY_RESPONSES)
        year = int(frame["year"][0])
        per_unit = frame.group_by("unit_code").agg(pl.col("response_id").n_unique().alias("n"))
        assert per_unit["n"].min() >= cal.SURVEY_FLOOR
        if year < 2025:  # every district of the three provinces and the 15 departments (TP.HCM's 6)
            assert per_unit.height == 30 + 22 + 8 + 15
        else:  # every commune of Hà Nội, TP.HCM and Thái Nguyên; 5 + 6 + 4 departments
            assert per_unit.height == 126 + 168 + 92 + 15
        weights = frame.unique("response_id")["weight"].cast(pl.Float64)
        assert abs(weights.mean() - 1) < 0.01 and weights.std() > 0.1
        instrument = [i for i in INSTRUMENTS if i[1] <= year and (i[2] is None or year <= i[2])]
        assert set(frame["question_code"]) == {q[0] for q in instrument[0][3]}
        assert set(frame["answer"]) <= {"1", "2", "3", "4", "5"}
        share = (frame["answer"].cast(pl.Int64) >= 4).mean()
        assert 0.72 <= share <= 0.92, (year, share)


def test_par_scores_on_their_frameworks(demo_files: dict[str, list[Path]]) -> None:
    (path,) = demo_files["par"]
    frame = read_export(path, contract.PAR_SCORES).with_columns(
        pl.col(c).str.replace(",", ".").cast(pl.Float64)
        for c in ("max_points", "self_points", "appraised_points", "survey_points")
    )
    criteria = {}
    for row in read_reference("par/frameworks.csv"):
        criteria[row["framework"]] = criteria.get(row["framework"], 0) + int(row["criteria"])
    per_unit = frame.group_by("year", "unit_code", "framework").agg(
        pl.col("max_points").sum().alias("max"),
        pl.min_horizontal(pl.col("appraised_points") + pl.col("survey_points").fill_null(0), pl.col("max_points"))
        .sum()
        .alias("score"),
        pl.len().alias("criteria"),
    )
    assert per_unit.select("year", "unit_code").is_unique().all()  # one framework per unit and year
    assert (per_unit["max"].round(6) == 100).all()
    assert per_unit["criteria"].to_list() == [criteria[f] for f in per_unit["framework"]]
    assert per_unit["score"].min() >= 72 and per_unit["score"].max() <= 96
    over = frame.filter(pl.col("appraised_points") + pl.col("survey_points").fill_null(0) > pl.col("max_points"))
    assert 0 < over.height < frame.height * 0.05  # a few rows the query must cap
    assert frame.filter(pl.col("survey_points").is_not_null())["survey_points"].sum() > 0


def test_feedback_rates(demo_files: dict[str, list[Path]]) -> None:
    for path in demo_files["feedback"]:
        frame = read_export(path, contract.FEEDBACK).filter(~pl.col("feedback_id").str.ends_with("-L"))
        answered = frame.filter(pl.col("resolved_at").is_not_null())
        on_time = (answered["resolved_at"] <= answered["due_at"]).mean()
        assert 0.85 <= on_time <= 0.95
        rated = answered.filter(pl.col("satisfied").is_not_null())
        assert 0.8 <= rated["satisfied"].map_elements(is_yes, return_dtype=pl.Boolean).mean() <= 0.97


# ---------------------------------------------------------------------------------------------
# Export shape: headers, PII, bad rows
# ---------------------------------------------------------------------------------------------
def test_every_export_header_maps_onto_the_contract(demo_files: dict[str, list[Path]]) -> None:
    for kind, paths in demo_files.items():
        for path in paths:
            if path.suffix != ".csv":
                continue
            separator = ";" if kind == "par" else ","
            with open(path, encoding="utf-8-sig", newline="") as handle:
                headers = next(csv.reader(handle, delimiter=separator))
            mapping = map_headers(headers, contract.KINDS[kind])
            assert mapping.unknown == [] and mapping.duplicates == [], path.name
            assert mapping.missing_required == [], path.name
            if kind in ("dossiers", "feedback"):
                assert len(mapping.pii_dropped) == 2, path.name  # fake name and phone / e-mail
            else:
                assert mapping.pii_dropped == [], path.name


def test_bad_rows_are_extra_and_never_touch_calibrated_units(demo_files: dict[str, list[Path]]) -> None:
    for path in demo_files["dossiers"]:
        frame = read_dossiers(path)
        bad = frame.filter(pl.col("dossier_id").str.contains(r"-L\d{3}$"))
        duplicates = frame.filter(pl.col("dossier_id").is_duplicated())
        good = frame.height - bad.height - duplicates.height // 2
        expected = -(-good * 5 // 10_000)  # ceil(0.05 %)
        # duplicate-id rows repeat a good row's id; every other bad row has an id of its own
        assert bad.height + duplicates.height // 2 == expected, path.name
        touched = set(bad["unit_code"].drop_nulls()) | set(duplicates["unit_code"])
        assert not touched & set(cal.CALIBRATED_UNITS), path.name


# ---------------------------------------------------------------------------------------------
# Determinism
# ---------------------------------------------------------------------------------------------
@pytest.mark.slow  # generates the small demo twice
def test_same_seed_same_bytes(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # at this tiny scale some rates cannot be exact
        first = demo.generate(tmp_path / "a", SMALL, 7)
        second = demo.generate(tmp_path / "b", SMALL, 7)
    names = [p.name for paths in first.values() for p in paths]
    assert names == [p.name for paths in second.values() for p in paths]
    for kind, paths in first.items():
        for a, b in zip(paths, second[kind], strict=True):
            assert a.read_bytes() == b.read_bytes(), a.name


@pytest.mark.slow  # `python -m etl demo` at scale 0.001 in a child process: a whole demo generated and loaded
def test_a_small_scale_writes_only_files_with_rows_and_loads(tmp_path: Path) -> None:
    """At scale 0.001 a unit of Bắc Kạn's lineage draws at most 600 × 0.5 × 0.001 = 0.3 petitions a year,
    which rounds to none: Bắc Kạn (06) and Thái Nguyên (19) get no petition file, and the command still
    builds the lake from the files it wrote."""
    data = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, "-m", "etl", "demo", "--scale", "0.001", "--seed", "7"],
        cwd=REPO,
        env={**os.environ, "CCHC_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-2000:]
    exports = data / "exports" / "demo"
    feedback = sorted(exports.glob("demo-feedback-*"))
    assert [p.name for p in feedback] == ["demo-feedback-01.csv", "demo-feedback-79.csv"]
    dossier_files = sorted(exports.glob("demo-dossiers-*"))
    assert {p.name.split("-")[2] for p in dossier_files} == {"01", "79", "06", "19"}
    assert all(read_dossiers(p).height > 0 for p in dossier_files)
    log = run("load_log", data_dir=data, kind="feedback")
    assert sorted(Path(f).name for f in log["source_file"]) == [p.name for p in feedback]
    petitions = sum(pl.read_csv(p, infer_schema=False).height for p in feedback)
    assert (log["rows_accepted"].sum(), log["rows_quarantined"].sum()) == (petitions - 2, 2)


def test_another_seed_gives_other_data() -> None:
    def one_unit_year(seed: int) -> pl.DataFrame:
        unit = build_units(seed)[0]
        catalogue = build_catalogue(unit.province, build_pool(seed), seed)
        rng = np.random.default_rng([seed, 4])
        plan = plan_for(unit, window_of(2019), SMALL, rng)
        return dossier_frame(unit, window_of(2019), plan, catalogue, STYLES[unit.province], rng)

    assert one_unit_year(7).equals(one_unit_year(7))
    assert not one_unit_year(7).equals(one_unit_year(8))


# ---------------------------------------------------------------------------------------------
# Reference files written alongside the generator
# ---------------------------------------------------------------------------------------------
def test_demo_departments_are_pre_reform_units_of_the_demo_provinces() -> None:
    rows = read_departments()
    assert [r["unit_code"] for r in rows] == [
        "01.STP", "01.SKHDT", "01.STNMT", "01.SXD", "01.SLDTBXH",
        "79.STP", "79.SKHDT", "79.STNMT", "79.SXD", "79.SLDTBXH",
        "06.STP", "06.SKHDT", "06.STNMT", "06.SXD",
    ]  # fmt: skip
    for row in rows:
        province = row["unit_code"].split(".")[0]
        assert province == row["province_code"] == row["parent_code"] and row["level"] == "department"
        assert row["valid_from"] == "2000-01-01" and row["name"].startswith(row["short_name"])
    assert rows[0]["name"] == "Sở Tư pháp thành phố Hà Nội"


def test_crosswalk_covers_the_demo_units() -> None:
    rows = read_reference("units/crosswalk_2025.csv")
    assert list(rows[0]) == contract.UNIT_CROSSWALK.names
    to_province = {r["old_code"]: r["new_code"] for r in rows if r["new_level"] == "province"}
    assert [to_province[c] for c in ("01", "79", "74", "77", "06")] == ["01", "79", "79", "79", "19"]
    demo_districts = {code for p in cal.PROVINCES for code, _ in pre_reform_districts(p)}
    assert len(demo_districts) == 30 + 22 + 8
    assert demo_districts <= set(to_province)
    assert to_province[cal.BAC_TU_LIEM] == "01" and to_province["058"] == "19"
    to_department = {(r["old_code"], r["effective"]): r["new_code"] for r in rows if r["new_level"] == "department"}
    assert to_department[("01.SKHDT", "2025-03-01")] == "01.STC"
    assert to_department[("06.STP", "2025-07-01")] == "19.STP"


def test_questions_file_matches_the_generator() -> None:
    rows = read_reference("sipas/questions.csv")
    assert list(rows[0]) == contract.SURVEY_QUESTIONS.names
    names = {code: (vi, en) for code, vi, en in ELEMENTS}
    expected = [
        (name, str(first), "" if last is None else str(last), code, element, *names[element], "assessment", vi, en)
        for name, first, last, questions in INSTRUMENTS
        for code, element, vi, en in questions
    ]
    assert [tuple(r.values()) for r in rows] == expected
    for name, *_ in INSTRUMENTS:
        elements = {r["element"] for r in rows if r["instrument"] == name}
        assert elements == set(names)
        per_element = [sum(1 for r in rows if r["instrument"] == name and r["element"] == e) for e in names]
        assert all(3 <= n <= 5 for n in per_element)


@pytest.mark.parametrize(
    "table", [contract.UNIT_CROSSWALK, contract.SURVEY_QUESTIONS, contract.PAR_FRAMEWORKS], ids=lambda t: t.name
)
def test_reference_files_pass_the_contract(table: contract.Table) -> None:
    load = pytest.importorskip("etl.load")
    read = getattr(load, "read_reference", None)
    if read is None:
        pytest.skip("etl.load.read_reference not available")
    frame = read(table, REFERENCE_DIR / table.reference_file)
    assert frame.height > 0
