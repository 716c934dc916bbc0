"""Overview page (Tổng quan) through AppTest: no exception, widgets, permalink, numbers equal the
query modules', empty-lake guidance, malicious URL values."""

from __future__ import annotations

import pytest

from queries import run
from tests.pages.conftest import tables
from ui import format as fmt

PAGE = "pages/tong-quan.py"


def test_renders_without_exception_with_widgets_and_cards(page_lake, app):
    at = app(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert at.title[0].value == "Tổng quan"
    keys = {w.key for w in at.selectbox}
    assert {"year", "province"} <= keys
    lang = next(w for w in at.get("button_group") if w.proto.label == "Ngôn ngữ / Language")  # the vi/en switch
    assert list(lang.proto.options[i].content for i in range(2)) == ["Tiếng Việt", "English"]
    assert len(at.metric) == 6
    assert [t.label for t in at.tabs][:3] == ["Biểu đồ", "Bảng", "Tải về"]
    assert len(at.get("download_button")) >= 3


def test_permalink_restores_year_province_and_language(page_lake, app):
    at = app(PAGE, year="2023", province="01", lang="en")
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert at.selectbox(key="year").value == 2023
    assert at.selectbox(key="province").value == "01"
    assert all(m.label.endswith("2023") for m in at.metric if not m.label.startswith("PAPI"))


def test_on_time_card_equals_the_query(small_lake, app):
    at = app(PAGE, year="2024", province="01")
    expected = run("dossier_kpis", year=2024, period="year", level="province", province_code="01", data_dir=small_lake)
    rate = expected.filter(expected["unit_code"] == "01")["on_time_rate"][0]
    card = next(m for m in at.metric if m.label.startswith("Tỷ lệ hồ sơ giải quyết đúng hạn"))
    assert card.value == fmt.percent(rate, 1, "vi")
    previous = run("dossier_kpis", year=2023, period="year", level="province", province_code="01", data_dir=small_lake)
    change = (rate - previous.filter(previous["unit_code"] == "01")["on_time_rate"][0]) * 100
    assert card.delta == fmt.value(change, "%", 1, "vi", signed=True)


def test_766_card_and_ranking_equal_the_query(small_lake, app):
    at = app(PAGE, year="2024", province="01")
    total = run("service_index_766_total", year=2024, level="province", province_code="01", data_dir=small_lake)
    card = next(m for m in at.metric if m.label.startswith("Bộ chỉ số phục vụ"))
    assert card.value == fmt.value(total["total_points"][0], "points", 2, "vi")
    districts = run("service_index_766_total", year=2024, level="district", province_code="01", data_dir=small_lake)
    column = "Bộ chỉ số phục vụ người dân (QĐ 766) (điểm)"
    shown_tables = [getattr(frame.value, "data", frame.value) for frame in tables(at)]
    table = next(frame for frame in shown_tables if column in frame.columns and "Mã đơn vị" in frame.columns)
    shown = dict(zip(table["Mã đơn vị"], table[column], strict=True))
    for code, points in zip(districts["unit_code"], districts["total_points"], strict=True):
        assert shown[code] == pytest.approx(points)


def test_demo_label_is_shown_for_demo_data(demo_data_dir, app, monkeypatch):
    monkeypatch.setenv("CCHC_DATA_DIR", str(demo_data_dir))
    at = app(None)  # the default page, through dashboard.py
    assert not at.exception
    assert at.title[0].value == "Tổng quan"
    assert any("DỮ LIỆU MẪU" in w.value for w in at.warning)
    assert any(c.value.startswith("Dữ liệu cập nhật lúc") for c in at.sidebar.caption)


def test_empty_lake_shows_guidance(empty_lake, app):
    at = app(PAGE)
    assert not at.exception
    text = " ".join(m.value for m in at.markdown) + " ".join(i.value for i in at.info)
    assert "python -m etl demo" in text and "make run" in text


def test_malicious_url_values_fall_back_with_a_notice(page_lake, app):
    at = app(PAGE, year="2024<script>", province="'; drop table units; --")
    assert not at.exception
    notices = [w.value for w in at.warning]
    assert any("`year`" in n for n in notices) and any("`province`" in n for n in notices)
