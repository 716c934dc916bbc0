"""Reform plans page (Kế hoạch CCHC) through AppTest on the demo's TP.HCM plans (etl/demo/measures.py):
88/88 in 2023, 78/98 tasks and 14/21 targets as reported on 16/12/2024, the late items with their lead
units, and the targets beside the latest value of their indicator; in both languages."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from queries import run
from tests.pages.conftest import _reset_caches, table_with
from ui import format as fmt

PAGE = "pages/ke-hoach.py"


@pytest.fixture
def demo_lake(demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CCHC_DATA_DIR", str(demo_data_dir))
    _reset_caches()
    return demo_data_dir


def test_2024_plan_headline_late_items_and_targets(demo_lake, app):
    at = app(PAGE, year="2024", province="79")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Kế hoạch cải cách hành chính"
    assert {m.label: m.value for m in at.metric} == {"Nhiệm vụ đã hoàn thành": "78/98", "Mục tiêu đã đạt": "14/21"}
    late = table_with(at, "Số ngày chậm")
    expected = run("plan_items_status", data_dir=demo_lake, year=2024, province_code="79", state="late")
    assert sorted(late["Mã"].to_list()) == sorted(expected["item_code"].to_list()) and late.height == 7
    assert late["Cơ quan chủ trì"].null_count() == 0
    assert late["Số ngày chậm"].to_list() == sorted(late["Số ngày chậm"].to_list(), reverse=True)
    targets = table_with(at, "Giá trị mới nhất")
    on_time = targets.filter(pl.col("Mã") == "MT-01").row(0, named=True)
    kpis = run("dossier_kpis", data_dir=demo_lake, year=2024, level="province", province_code=None)
    rate = kpis.filter(pl.col("unit_code") == "79")["on_time_rate"][0]
    assert on_time["Giá trị mới nhất"] == fmt.value(100 * rate, "%", 1, "vi")
    assert on_time["Giá trị mục tiêu"] == "98,0%"
    groups = table_with(at, "Hoàn thành muộn")
    assert groups["Nhóm"].n_unique() == 8 and groups["Số mục"].sum() == 21 + 98


def test_2023_plan_in_english_by_quarter(demo_lake, app):
    at = app(PAGE, year="2023", province="79", period="quarter", lang="en")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Administrative reform plans"
    assert {m.label: m.value for m in at.metric} == {"Tasks done": "88/88"}
    timeline = table_with(at, "Period end")
    assert timeline["Period end"].n_unique() == 4
    assert timeline.filter(pl.col("Period end") == timeline["Period end"].max())["Done"].to_list() == [88]
    assert any(s.value == "0 items late" for s in at.subheader)


def test_an_empty_lake_says_how_to_load_a_plan(small_lake, app):
    at = app(PAGE)
    assert not at.exception
    assert any("python -m etl load plan" in i.value for i in at.info)
