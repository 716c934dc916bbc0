"""The demo's service measures (etl/demo/measures.py), once loaded through the ETL, give the provinces'
reported figures through the query modules: TP.HCM's plans (88 of 88 tasks done in 2023; 21 targets and
98 tasks in 8 groups in 2024, partly done), Bắc Kạn's one-stop offices (1 provincial centre, 8 district
and 108 commune offices before its merger) and the 1,168 online services of its catalogue (994 fully and
174 partly online), Hà Nội's waiting times around its 30-minute target, and the digital signatures of
TP.HCM's Department of Industry and Trade (96.5 % of its dossiers of 2023 signed, 100 % of its results)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from etl.demo.calibration import DEFAULT_SCALE, scaled
from etl.demo.measures import PLAN_2024
from queries import run


def _total(frame: pl.DataFrame, item_type: str) -> dict:
    return frame.filter((pl.col("breakdown") == "total") & (pl.col("item_type") == item_type)).row(0, named=True)


def test_tp_hcm_2023_plan_is_88_of_88(demo_data_dir: Path) -> None:
    progress = run("plan_progress", data_dir=demo_data_dir, year=2023, province_code="79")
    tasks = _total(progress, "task")
    assert (tasks["items"], tasks["done"], tasks["late"], tasks["on_schedule"]) == (88, 88, 0, 0)
    assert tasks["done_share"] == 1.0
    assert progress.filter(pl.col("item_type") == "target").is_empty()


def test_tp_hcm_2024_plan_targets_tasks_groups_and_states(demo_data_dir: Path) -> None:
    progress = run("plan_progress", data_dir=demo_data_dir, year=2024, province_code="79")
    for item_type, items in (("target", 21), ("task", 98)):
        row = _total(progress, item_type)
        states = PLAN_2024[item_type]
        assert row["items"] == items == sum(states.values())
        assert (row["done"], row["done_late"], row["on_schedule"], row["late"]) == (
            states["done"] + states["done_late"], states["done_late"], states["on_schedule"], states["late"]
        )  # fmt: skip
        assert str(row["as_of"]) == "2024-12-16"  # reported in the demo's last month
    groups = progress.filter(pl.col("breakdown") == "group").get_column("breakdown_value").unique()
    assert groups.len() == 8
    late = run("plan_items_status", data_dir=demo_data_dir, year=2024, province_code="79", state="late")
    assert late.height == PLAN_2024["target"]["late"] + PLAN_2024["task"]["late"] == 7
    assert late.get_column("lead_unit").null_count() == 0
    quarters = run("plan_timeline", data_dir=demo_data_dir, year=2024, province_code="79", period="quarter")
    last = quarters.filter(pl.col("item_type") == "task").sort("period_start").row(-1, named=True)
    assert (last["items"], last["done"]) == (98, 78)


def test_bac_kan_one_stop_offices_1_8_108(demo_data_dir: Path) -> None:
    network = run("one_stop_network", data_dir=demo_data_dir, year=2024, province_code="06")
    row = network.row(0, named=True)
    assert str(row["list_as_of"]) == "2024-12-31"
    assert (row["province_offices"], row["district_offices"], row["commune_offices"], row["offices"]) == (
        1, 8, 108, 117
    )  # fmt: skip


def test_ha_noi_waits_around_30_minutes(demo_data_dir: Path) -> None:
    def city(year: int) -> dict:
        frame = run("waiting_time", data_dir=demo_data_dir, year=year, level="province", province_code="01")
        return frame.filter(pl.col("source") == "queue_tickets").row(0, named=True)

    earlier, later = city(2023), city(2024)
    assert 28 <= later["median_wait_minutes"] <= 31 < earlier["median_wait_minutes"] <= 34
    assert later["target_minutes"] == 30
    assert 0.4 <= later["within_target_share"] <= 0.6  # about half the visits within the target
    assert 0.02 <= later["not_called"] / (later["visits"] + later["not_called"]) <= 0.04


def test_tp_hcm_industry_and_trade_signs_96_5_percent_of_dossiers_and_every_result(demo_data_dir: Path) -> None:
    shares = run("digital_shares", data_dir=demo_data_dir, year=2023, level="department", province_code="79")
    row = shares.filter(pl.col("unit_code") == "79.SCT").row(0, named=True)
    # 91,700 × 0.02 = 1,834 received, all with the column filled; 1,834 × 88,500 / 91,700 = 1,770 signed
    assert (row["received"], row["signed_reported"], row["received_signed"]) == (1_834, 1_834, 1_770)
    assert scaled(91_700, DEFAULT_SCALE) == 1_834
    assert round(100 * row["received_signed_share"], 1) == 96.5  # 1,770 / 1,834 = 96.51 %
    assert row["resolved"] > 1_700 and row["result_signed"] == row["result_signed_reported"] == row["resolved"]
    assert row["result_signed_share"] == 1.0
    others = shares.filter(pl.col("unit_code") != "79.SCT")
    assert others.height >= 5
    assert others.get_column("received_signed_share").is_between(0.3, 0.9).all()  # plausible, below the SCT's
    assert others.get_column("result_signed_share").is_between(0.6, 0.95).all()
    earlier = run("digital_shares", data_dir=demo_data_dir, year=2021, level="department", province_code="79")
    assert earlier.get_column("signed_reported").sum() == 0  # exports carry the columns from 2022
    assert earlier.get_column("received_signed_share").null_count() == earlier.height


def test_bac_kan_catalogue_offers_1168_online_services_994_full_174_partial(demo_data_dir: Path) -> None:
    network = run("one_stop_network", data_dir=demo_data_dir, year=2024, province_code="06")
    row = network.row(0, named=True)
    assert (row["online_full"], row["online_partial"], row["online_services"]) == (994, 174, 1_168)
    # the change since the end of 2023, counted by hand from the exported catalogue itself
    catalogue = pl.read_csv(demo_data_dir / "exports" / "demo" / "demo-procedures-06.csv", infer_schema=False)
    day = pl.lit("2023-12-31").str.to_date()
    published = pl.col("Ngày công bố").str.to_date("%d/%m/%Y")
    abolished = pl.col("Ngày bãi bỏ").str.to_date("%d/%m/%Y")
    in_force = catalogue.filter((published <= day) & (abolished.is_null() | (abolished > day)))
    counts = dict(in_force.group_by("Mức độ DVCTT").len().iter_rows())
    assert row["online_full_change"] == 994 - counts["Toàn trình"]
    assert row["online_partial_change"] == 174 - counts["Một phần"]
    before = run("one_stop_network", data_dir=demo_data_dir, year=2023, province_code="06").row(0, named=True)
    assert (before["online_full"], before["online_partial"]) == (counts["Toàn trình"], counts["Một phần"])
    assert before["offices"] is None  # Bắc Kạn's list of offices is of 31/12/2024
