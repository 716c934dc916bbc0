"""Compare page (So sánh) through AppTest."""

from __future__ import annotations

import pytest

from queries import run
from tests.pages.conftest import tables

PAGE = "pages/so-sanh.py"


def _table(at, index):
    value = tables(at)[index].value
    return getattr(value, "data", value)


def test_renders_ranking_and_pair_with_widgets(page_lake, app):
    at = app(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert {"indicator", "year", "province", "unit", "unit2"} <= {w.key for w in at.selectbox}
    labels = [t.label for t in at.tabs]
    assert labels[0] == "Xếp hạng" and "So sánh hai đơn vị" in labels
    assert len(tables(at)) >= 2


def test_ranking_numbers_equal_the_query(small_lake, app):
    at = app(PAGE, indicator="on_time_rate", year="2024", province="01")
    kpis = run("dossier_kpis", year=2024, period="year", level="district", province_code="01", data_dir=small_lake)
    table = _table(at, 0)
    shown = dict(zip(table["Mã đơn vị"], table["Tỷ lệ hồ sơ giải quyết đúng hạn (%)"], strict=True))
    assert set(shown) == set(kpis["unit_code"])
    for code, rate in zip(kpis["unit_code"], kpis["on_time_rate"], strict=True):
        assert shown[code] == pytest.approx(rate * 100)
    ranks = list(table["Hạng"])
    assert ranks == sorted(ranks)  # best first


def test_papi_has_a_map_tab_with_attribution_in_english(small_lake, app):
    at = app(PAGE, indicator="papi_total", year="2016", lang="en")
    assert not at.exception
    labels = [t.label for t in at.tabs]
    assert "Map" in labels
    assert any("geoBoundaries" in c.value for c in at.caption)
    papi = run("papi", year=2016, data_dir=small_lake)
    totals = papi.filter(papi["level"] == "total")
    table = _table(at, 0)
    shown = dict(zip(table["Unit code"], table["PAPI total (points)"], strict=True))
    for code, score in zip(totals["province_code"], totals["score"], strict=True):
        assert shown[code] == pytest.approx(score)
    map_table = _table(at, 1)
    assert len(map_table) == 63


def test_pair_permalink_and_component_values(small_lake, app):
    at = app(PAGE, indicator="par_index", year="2024", level="district", province="01", unit="002", unit2="003")
    assert not at.exception
    assert at.selectbox(key="unit").value == "002" and at.selectbox(key="unit2").value == "003"
    par = run("par_index", year=2024, level="district", data_dir=small_lake)
    area1 = par.filter((par["area_code"] == "1") & (par["unit_code"] == "002"))["area_index"][0]
    pair = _table(at, len(tables(at)) - 1)
    row = pair[pair["Mã thành phần"] == "1"].iloc[0]
    assert row["Quận Hoàn Kiếm"] == pytest.approx(area1)


def test_unknown_indicator_falls_back_with_a_notice(page_lake, app):
    at = app(PAGE, indicator="drop_table")
    assert not at.exception
    assert any("`indicator`" in w.value for w in at.warning)
    assert at.selectbox(key="indicator").value == "service_index_766"


def test_empty_lake_shows_guidance(empty_lake, app):
    at = app(PAGE)
    assert not at.exception
    assert "python -m etl demo" in " ".join(m.value for m in at.markdown)
