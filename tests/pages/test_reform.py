"""The pages across the reform of 1 July 2025 (AppTest on `reform_lake`, tests/pages/reform_inputs.py): the
level, period and units switches and their permalinks, ranks of n of N within a level, maps of each era,
series through the break, the dossier measures and every target's gap. Numbers are checked against the
queries and against the fixture's arithmetic."""

from __future__ import annotations

import json

import pytest

from queries import run
from tests.pages.conftest import tables

COMPARE, TRENDS, OVERVIEW, DRILLDOWN, EXPLORER = (
    "pages/so-sanh.py", "pages/xu-huong.py", "pages/tong-quan.py", "pages/chi-so.py", "pages/ho-so.py",
)  # fmt: skip


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _table(at, index: int = 0):
    value = tables(at)[index].value
    return getattr(value, "data", value)


def _figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _segments(at, key: str) -> list[str]:
    return list(at.segmented_control(key=key).options)


# ------------------------------------------------------------------------------------------------
# Defaults from the data, levels offered, permalinks
# ------------------------------------------------------------------------------------------------
def test_compare_opens_on_the_latest_year_at_commune_level_and_writes_both_to_the_url(reform_lake, app):
    at = app(COMPARE, indicator="on_time_rate")
    _ok(at)
    assert at.selectbox(key="year").value == 2026
    assert at.segmented_control(key="level").value == "commune"
    assert at.query_params["year"] == "2026" and at.query_params["level"] == "commune"
    assert at.query_params["province"] == "01"
    # 2026 has communes, departments and provinces; no district after the reform
    assert _segments(at, "level") == ["Cấp xã", "Sở, ban, ngành", "Cấp tỉnh"]
    table = _table(at)
    # Hà Nội's three communes, ranked among themselves: 28/30, 21/30, 15/30 on time (+ 00070's one late
    # December dossier resolved in January: 15/31)
    assert list(table["Đơn vị"]) == ["Phường Ba Đình", "Phường Ngọc Hà", "Phường Hoàn Kiếm"]
    assert list(table["Hạng"]) == [1, 2, 3] and set(table["Số đơn vị xếp hạng"]) == {3}
    kpis = run("dossier_kpis", year=2026, level="commune", province_code="01", data_dir=reform_lake)
    expected = dict(zip(kpis["unit_code"], kpis["on_time_rate"], strict=True))
    for code, shown in zip(table["Mã đơn vị"], table["Tỷ lệ hồ sơ giải quyết đúng hạn (%)"], strict=True):
        assert shown == pytest.approx(expected[code] * 100)
    assert expected["00004"] == pytest.approx(28 / 30)


def test_2024_offers_districts_and_ranks_them_without_the_departments(reform_lake, app):
    at = app(COMPARE, indicator="on_time_rate", year="2024")
    _ok(at)
    assert _segments(at, "level") == ["Cấp huyện", "Sở, ban, ngành", "Cấp tỉnh"]  # no commune data in 2024
    assert at.segmented_control(key="level").value == "district"
    table = _table(at)
    # 001 27/30 on time; 002 18/29 (its late dossier of 24 December is resolved on 7 January 2025, a
    # 2025 dossier); 01.SCT (a department) is ranked at its own level, not here
    assert list(table["Mã đơn vị"]) == ["001", "002"]
    assert list(table["Tỷ lệ hồ sơ giải quyết đúng hạn (%)"]) == pytest.approx([90.0, 100 * 18 / 29])
    assert list(table["Hạng"]) == [1, 2] and set(table["Số đơn vị xếp hạng"]) == {2}
    at = app(COMPARE, indicator="on_time_rate", year="2024", level="department")
    _ok(at)
    assert list(_table(at)["Mã đơn vị"]) == ["01.SCT"] and list(_table(at)["Hạng"]) == [1]


def test_a_2024_district_link_in_todays_units_says_why_it_shows_communes(reform_lake, app):
    at = app(COMPARE, indicator="on_time_rate", year="2024", level="district", basis="current")
    _ok(at)
    assert not at.warning  # not called invalid: explained
    assert any("2025" in i.value for i in at.info)
    assert at.segmented_control(key="level").value == "commune"
    # 2024's districts re-based onto today's communes through the crosswalk's weights: approximate
    table = _table(at)
    assert table["Ước tính"].all()
    assert any(c.value.startswith("≈") for c in at.caption)


def test_the_permalink_of_a_tab_opens_that_tab(reform_lake, app):
    at = app(COMPARE, indicator="on_time_rate", level="province", tab="map")
    _ok(at)
    assert at.query_params["tab"] == "map"
    maps = [f for f in _figures(at) if any(trace["type"] == "choropleth" for trace in f["data"])]
    assert maps, "the map tab was not drawn"


def test_switching_year_level_and_units_rewrites_the_permalink(reform_lake, app):
    at = app(COMPARE, indicator="on_time_rate")
    at.selectbox(key="year").set_value(2024).run()
    _ok(at)
    assert at.query_params["year"] == "2024" and at.query_params["level"] == "district"
    at.segmented_control(key="level").set_value("province").run()
    at.segmented_control(key="basis").set_value("current").run()
    _ok(at)
    assert at.query_params["level"] == "province" and at.query_params["basis"] == "current"
    table = _table(at)
    # in today's units 2024's Bình Định is today's Gia Lai (52), exactly: provinces merged whole
    assert dict(zip(table["Mã đơn vị"], table["Đơn vị"], strict=True)) == {
        "01": "Thành phố Hà Nội",
        "52": "Tỉnh Gia Lai",
    }
    assert not table.get("Ước tính", [False]).any() if "Ước tính" in table else True


# ------------------------------------------------------------------------------------------------
# Maps of each era
# ------------------------------------------------------------------------------------------------
def _choropleth_locations(at) -> set[str]:
    for figure in _figures(at):
        for trace in figure["data"]:
            if trace["type"] == "choropleth" and "features" in trace.get("geojson", {}):
                return {f["properties"]["gso_code"] for f in trace["geojson"]["features"]}
    return set()


def test_province_map_is_the_34_province_map_from_the_reform_and_the_63_before(reform_lake, app):
    after = app(COMPARE, indicator="on_time_rate", level="province", tab="map")
    before = app(COMPARE, indicator="on_time_rate", year="2024", level="province", tab="map")
    _ok(after)
    _ok(before)
    assert len(_choropleth_locations(after)) == 34 and "64" not in _choropleth_locations(after)
    assert len(_choropleth_locations(before)) == 63 and "64" in _choropleth_locations(before)
    assert len(_table(after, 1)) == 34 and len(_table(before, 1)) == 63


def test_communes_are_points_sized_by_dossiers_with_the_table_beside(reform_lake, app):
    at = app(COMPARE, indicator="on_time_rate", tab="map")
    _ok(at)
    points = [t for f in _figures(at) for t in f["data"] if t["type"] == "scattergeo"]
    assert len(points) == 1 and len(points[0]["lat"]) == 3  # Hà Nội's three communes, each at its centroid
    assert len(set(points[0]["marker"]["size"])) == 1  # 30 dossiers each: one size
    beside = [_table(at, i) for i in range(len(tables(at)))]
    assert any(list(frame.columns)[:2] == ["Mã đơn vị", "Đơn vị"] and len(frame) == 3 for frame in beside)


# ------------------------------------------------------------------------------------------------
# Trends across the break
# ------------------------------------------------------------------------------------------------
def test_trend_as_published_splits_code_52_at_the_reform_with_a_marker(reform_lake, app):
    at = app(TRENDS, indicator="on_time_rate", level="province", units=["01", "52"], **{"from": "2024"})
    _ok(at)
    figure = next(iter(_figures(at)))
    lines = {t["name"]: t for t in figure["data"] if t.get("mode") == "lines+markers"}
    # Bình Định (2024, 2025 to June) and Gia Lai (from July 2025) are two units under one code: two lines
    assert set(lines) == {"Thành phố Hà Nội", "Tỉnh Bình Định", "Tỉnh Gia Lai"}
    assert len([x for x in lines["Tỉnh Bình Định"]["x"] if x]) == 2
    assert len([x for x in lines["Tỉnh Gia Lai"]["x"] if x]) == 2
    assert any("01/7/2025" in a["text"] for a in figure["layout"]["annotations"])  # the reform marker
    targets = [t for t in figure["data"] if t.get("name") == "Mục tiêu từng năm"]
    assert targets and sorted({y for y in targets[0]["y"] if y is not None}) == [90.0, 95.0]  # each year's own


def test_trend_in_todays_units_is_one_line_for_gia_lai(reform_lake, app):
    at = app(TRENDS, indicator="on_time_rate", level="province", units=["52"], basis="current", **{"from": "2024"})
    _ok(at)
    table = _table(at)
    assert list(table["Kỳ"]) == ["2024", "2025", "2026"] and set(table["Đơn vị"]) == {"Tỉnh Gia Lai"}
    kpis = run("dossier_kpis", year=2025, level="province", units="current", data_dir=reform_lake)
    gia_lai = kpis.filter(kpis["unit_code"] == "52")["on_time_rate"][0]
    assert table["Tỷ lệ hồ sơ giải quyết đúng hạn (%)"].iloc[1] == pytest.approx(gia_lai * 100)
    assert any("Định nghĩa" in c.value or "ngày hẹn" in c.value for c in at.caption)  # the definition


def test_a_commune_that_did_not_exist_has_no_point_never_a_zero(reform_lake, app):
    at = app(TRENDS, indicator="on_time_rate", level="commune", units=["00004"], period="quarter", **{"from": "2025"})
    _ok(at)
    table = _table(at)
    # 00004 is the new Phường Ba Đình from July 2025: quarters Q3 2025 to Q4 2026, no earlier row, no zero
    assert list(table["Kỳ"]) == ["Quý 3/2025", "Quý 4/2025", "Quý 1/2026", "Quý 2/2026", "Quý 3/2026", "Quý 4/2026"]
    assert (table["Tỷ lệ hồ sơ giải quyết đúng hạn (%)"].dropna() > 0).all()


# ------------------------------------------------------------------------------------------------
# Overview, drill-down, explorer
# ------------------------------------------------------------------------------------------------
def test_overview_shows_every_target_gap_and_the_dossier_measures(reform_lake, app):
    at = app(OVERVIEW, province="01")
    _ok(at)
    assert at.selectbox(key="year").value == 2026
    texts = [c for frame in (_table(at, i) for i in range(len(tables(at)))) for c in frame.columns]
    assert "Quá hạn (%)" in texts and "Số ngày giải quyết (phân vị 90)" in texts
    gaps = run("targets_gap", year=2026, level="province", province_code="01", units="current", data_dir=reform_lake)
    assert "online_payment_rate" in set(gaps["indicator"])
    frames = [_table(at, i) for i in range(len(tables(at)))]
    goals = next(f for f in frames if "Mã chỉ tiêu" in f.columns)
    assert "online_payment_rate" in set(goals["Mã chỉ tiêu"])
    row = goals[goals["Mã chỉ tiêu"] == "online_payment_rate"].iloc[0]
    expected = gaps.filter(gaps["indicator"] == "online_payment_rate")["gap"][0]
    assert row["Chênh lệch so với mục tiêu"] == pytest.approx(expected * 100)
    assert row["Chênh lệch so với mục tiêu"] == pytest.approx(100 / 3 - 50)  # every third dossier paid online


def test_drilldown_at_commune_level(reform_lake, app):
    at = app(DRILLDOWN, index="766")
    _ok(at)
    assert at.segmented_control(key="level").value == "commune"
    rank = next(m for m in at.metric if m.label == "Hạng")
    totals = run("service_index_766_total", year=2026, level="commune", province_code="01", data_dir=reform_lake)
    unit = at.selectbox(key="unit").value
    row = totals.filter(totals["unit_code"] == unit).row(0, named=True)
    assert rank.value == f"{row['rank']}/{row['ranked_units']}"  # n of N over the same N


def test_explorer_lists_communes(reform_lake, app):
    at = app(EXPLORER, province="01")
    _ok(at)
    assert at.segmented_control(key="level").value == "commune"
    assert set(at.selectbox(key="unit").options) >= {
        "Phường Ba Đình (00004)", "Phường Ngọc Hà (00008)", "Phường Hoàn Kiếm (00070)"
    }  # fmt: skip


# ------------------------------------------------------------------------------------------------
# Rank changes against uncertainty
# ------------------------------------------------------------------------------------------------
def test_sipas_rank_changes_say_whether_the_intervals_support_them(reform_lake, app):
    at = app(COMPARE, indicator="sipas_overall", province="01")
    _ok(at)
    table = _table(at)
    rows = {r["Mã đơn vị"]: r for _, r in table.iterrows()}
    # 00004 fell from 95 % (first of three) to 30 % (last): its rank intervals, 1–1 in 2025 and 3–3 in 2026,
    # do not overlap
    assert rows["00004"]["Thay đổi hạng (+ là tăng)"] == -2 and bool(rows["00004"]["Thay đổi hạng có ý nghĩa"]) is True
    # 00008 rose from 70 % to 75 %: first place now, but inside intervals of ±13 points: not significant
    assert rows["00008"]["Thay đổi hạng (+ là tăng)"] == 1 and bool(rows["00008"]["Thay đổi hạng có ý nghĩa"]) is False
    figure = next(iter(_figures(at)))
    labels = [a["text"] for a in figure["layout"]["annotations"] if a.get("xref") == "paper"]
    assert any("▲1 (không có ý nghĩa thống kê)" in label for label in labels)
