"""Trends page (Xu hướng) through AppTest."""

from __future__ import annotations

import pytest

from queries import run
from tests.pages.conftest import tables

PAGE = "pages/xu-huong.py"


def _table(at):
    value = tables(at)[0].value
    return getattr(value, "data", value)


def test_renders_with_widgets(page_lake, app):
    at = app(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert {"indicator", "year", "from", "province"} <= {w.key for w in at.selectbox}
    assert at.multiselect(key="units").value
    assert [t.label for t in at.tabs] == ["Biểu đồ", "Bảng", "Tải về"]


def test_sipas_series_is_split_at_the_2022_instrument_change(small_lake, app):
    at = app(PAGE, indicator="sipas_overall", units=["001"], **{"from": "2021"}, year="2024")
    assert not at.exception
    table = _table(at)
    assert list(table["Kỳ"]) == ["2021", "2022", "2023", "2024"]
    assert list(table["Đoạn (tách tại điểm đổi phương pháp)"]) == [0, 1, 1, 1]
    sipas = run("sipas", year=2023, level="district", data_dir=small_lake)
    share = sipas.filter((sipas["unit_code"] == "001") & (sipas["element_code"] == "overall"))["satisfied_share"][0]
    assert table["Chỉ số hài lòng SIPAS (%)"].iloc[2] == pytest.approx(share * 100)


def test_quarterly_permalink_in_english(small_lake, app):
    at = app(PAGE, indicator="online_rate", period="quarter", year="2024", **{"from": "2024"}, units=["002"], lang="en")
    assert not at.exception
    assert at.title[0].value == "Trends"
    table = _table(at)
    assert list(table["Period"]) == ["Q1 2024", "Q2 2024", "Q3 2024", "Q4 2024"]
    kpis = run("dossier_kpis", year=2024, period="quarter", level="district", province_code="01", data_dir=small_lake)
    expected = kpis.filter(kpis["unit_code"] == "002").sort("period_start")["online_rate"].to_list()
    assert list(table["Online submission rate (%)"]) == pytest.approx([r * 100 for r in expected])


def test_no_unit_chosen_gives_a_message(page_lake, app):
    at = app(PAGE, units="zzz")
    assert not at.exception
    assert any("`units`" in w.value for w in at.warning)


def test_empty_lake_shows_guidance(empty_lake, app):
    at = app(PAGE)
    assert not at.exception
    assert "python -m etl demo" in " ".join(m.value for m in at.markdown)
