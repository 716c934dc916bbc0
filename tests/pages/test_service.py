"""The Phục vụ page (service measures) through AppTest on the demo lake, in both languages: TP.HCM's
Department of Industry and Trade's 96.5 % signed dossiers and 100 % signed results (2023), Bắc Kạn's
1 + 8 + 108 one-stop offices and 994 + 174 online services with the change since 2023 (2024), Hà Nội's
waits from queue tickets against the 30-minute target (2024); every number as the queries give it, with
its unit, period, source (demo labelled) and methodology; targets named with their source."""

from __future__ import annotations

import io
import json
from pathlib import Path

import polars as pl
import pytest

from queries import run
from tests.pages.conftest import _reset_caches, on_another_thread, sent_in_turn_and_alone, table_with, tables

PAGE = "pages/phuc-vu.py"


@pytest.fixture
def demo_lake(demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CCHC_DATA_DIR", str(demo_data_dir))
    _reset_caches()
    return demo_data_dir


def _trace_names(at) -> list[list[str]]:
    return [[trace.get("name") for trace in json.loads(chart.proto.spec)["data"]] for chart in at.get("plotly_chart")]


def test_tp_hcm_departments_2023_signatures_reuse_and_petitions(demo_lake, app, deferred_files):
    at = app(PAGE, year="2023", province="79", level="department")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Chất lượng phục vụ tại bộ phận một cửa"
    signed = table_with(at, "Hồ sơ có chữ ký số (%)")
    expected = run("digital_shares", data_dir=demo_lake, year=2023, level="department", province_code="79")
    assert signed["Mã đơn vị"].to_list()[0] == "79.SCT"  # highest share first
    sct = signed.filter(pl.col("Mã đơn vị") == "79.SCT").row(0, named=True)
    assert (sct["Hồ sơ có ghi chữ ký số"], sct["Hồ sơ có chữ ký số (%)"], sct["Kết quả có chữ ký số (%)"]) == (
        1_834, 96.5, 100.0
    )  # fmt: skip
    shown = dict(zip(signed["Mã đơn vị"], signed["Hồ sơ có chữ ký số (%)"], strict=True))
    assert shown == {
        code: round(100 * share, 1) for code, share in expected.select("unit_code", "received_signed_share").iter_rows()
    }
    reuse = table_with(at, "Tái sử dụng dữ liệu (%)")
    assert reuse.height == expected.height
    names = _trace_names(at)
    assert ["Tái sử dụng dữ liệu (%)", "Mục tiêu 30 % (Kế hoạch CCHC của TP Hà Nội)"] in names
    assert ["PAKN đúng hạn (%)", "Mục tiêu 100 % (Kế hoạch CCHC của TP Hà Nội)"] in names
    captions = [c.value for c in at.caption]
    assert any(
        "Đơn vị tính: %" in c
        and "Kỳ: 2023" in c
        and "dữ liệu mẫu" in c
        and "Phương pháp: Hồ sơ có chữ ký số / hồ sơ tiếp nhận có ghi thông tin ký số" in c
        for c in captions
    )
    csv = on_another_thread(deferred_files["phuc-vu-chu-ky-so-79-2023.csv"])
    rows = pl.read_csv(io.BytesIO(csv[3:]), infer_schema=False)  # after the BOM
    assert rows.filter(pl.col("Mã đơn vị") == "79.SCT")["Hồ sơ có ghi chữ ký số"].to_list() == ["1834"]
    about = on_another_thread(deferred_files["phuc-vu-chu-ky-so-79-2023.about.txt"]).decode("utf-8-sig")
    assert "digital_shares" in about and "dữ liệu mẫu" in about


def test_bac_kan_2024_network_and_online_services_in_english(demo_lake, app):
    at = app(PAGE, year="2024", province="06", lang="en")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Service quality at the one-stop counters"
    network = run("one_stop_network", data_dir=demo_lake, year=2024, province_code="06").row(0, named=True)
    metrics = {m.label: (m.value, m.proto.delta or None) for m in at.metric}
    assert metrics == {
        "Provincial centre": ("1", None),
        "District offices": ("8", None),
        "Commune offices": ("108", None),
        "One-stop offices": ("117", None),
        "Fully online services": ("994", f"{network['online_full_change']:+d}"),
        "Partly online services": ("174", "±0" if network["online_partial_change"] == 0 else None),
        "Online services": ("1,168", None),
    }
    assert any("The dossiers of these units do not say whether they were signed" in i.value for i in at.info)
    assert any(
        "Unit: minutes · Period: 2024 · Source: One-stop-shop systems — demo data · Methodology: Dossiers: minutes"
        in c.value
        for c in at.caption
    )
    waits = table_with(at, "Median (minutes)")  # Bắc Kạn's dossiers record waits; it has no ticket machines
    expected = run("waiting_time", data_dir=demo_lake, year=2024, level="district", province_code="06")
    assert set(expected["source"]) == {"dossiers"} and waits.height == expected.height
    assert [
        "Median (minutes)",
        "90th percentile (minutes)",
        "Target 30 minutes (Hà Nội's administrative-reform plan)",
    ] in (_trace_names(at))


def test_ha_noi_2024_waits_from_tickets_and_dossiers_never_mixed(demo_lake, app):
    at = app(PAGE, year="2024", province="01", level="district")
    assert not at.exception, [e.value for e in at.exception]
    expected = run("waiting_time", data_dir=demo_lake, year=2024, level="district", province_code="01")
    waits = [
        pl.from_pandas(getattr(d.value, "data", d.value)) for d in tables(at) if "Trung vị (phút)" in d.value.columns
    ]
    assert len(waits) == 2  # one per source, tickets first
    for table, source in zip(waits, ("queue_tickets", "dossiers"), strict=True):
        rows = expected.filter(pl.col("source") == source)
        medians = dict(zip(table["Mã đơn vị"], table["Trung vị (phút)"], strict=True))
        assert medians == dict(zip(rows["unit_code"], rows["median_wait_minutes"], strict=True))
        assert table["Trung vị (phút)"].to_list() == sorted(medians.values(), reverse=True)
    assert waits[0].height == 30 and waits[0]["Vé không được gọi"].sum() > 0  # the machines of 30 districts


def test_bac_kan_2024_in_todays_units_under_thai_nguyen(demo_lake, app, deferred_files):
    """?basis=current: Bắc Kạn's 2024 offices and services count under today's Thái Nguyên (19), which took
    it on 1 July 2025, marked approximate; the shares are those of today's communes, never of districts."""
    at = app(PAGE, year="2024", province="19", basis="current", level="commune", lang="en")
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["One-stop offices"], metrics["Fully online services"], metrics["Partly online services"]) == (
        "117", "994", "174"
    )  # fmt: skip
    network = run("one_stop_network", data_dir=demo_lake, year=2024, units="current", province_code="19")
    assert network.select("offices", "approximate").rows() == [(117, True)]
    assert run("one_stop_network", data_dir=demo_lake, year=2024, province_code="19").is_empty()  # as published
    expected = run(
        "digital_shares", data_dir=demo_lake, year=2024, level="commune", units="current", province_code="19"
    )
    reuse = table_with(at, "Data re-used (%)")
    assert expected.height > 0 and sorted(reuse["Unit code"]) == sorted(expected["unit_code"])
    about = on_another_thread(deferred_files["phuc-vu-tai-su-dung-19-2024.about.txt"]).decode("utf-8-sig")
    assert "Units: Today's units" in about and "Level: Commune" in about


def test_kept_charts_follow_the_level_and_the_units(demo_lake):
    """The page's figures and table texts are kept per published lake under year, level, units and province:
    Hà Nội 2024 by district as published, by commune in today's units, then by district in English, one
    after another in one process, each send what the same run sends with the caches cleared."""
    runs = [
        {"year": "2024", "province": "01", "level": "district"},
        {"year": "2024", "province": "01", "level": "commune", "basis": "current"},
        {"year": "2024", "province": "01", "level": "district", "lang": "en"},
    ]
    in_turn, alone = sent_in_turn_and_alone(PAGE, runs)
    assert in_turn == alone
    assert len(set(alone)) == 3
