"""The demo's service measures (etl/demo/measures.py), once loaded through the ETL, give the provinces'
reported figures through the query modules: TP.HCM's plans (88 of 88 tasks done in 2023; 21 targets and
98 tasks in 8 groups in 2024, partly done), Bắc Kạn's one-stop offices (1 provincial centre, 8 district
and 108 commune offices before its merger) and Hà Nội's waiting times around its 30-minute target."""

from __future__ import annotations

from pathlib import Path

import polars as pl

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
