"""Index drill-down page (Chỉ số) through AppTest, its rooms (ui/drilldown/) and their chart builders
(ui/charts/service_766.py, sipas.py)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from queries import run
from tests.pages.conftest import sent_in_turn_and_alone, tables
from ui import drilldown
from ui import format as fmt
from ui.charts import service_766, sipas
from ui.drilldown.room import break_year

PAGE = "pages/chi-so.py"


def _table(at, index):
    value = tables(at)[index].value
    return getattr(value, "data", value)


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("index", drilldown.INDEXES)
def test_each_index_renders_with_its_widgets(page_lake, app, index):
    at = app(PAGE, index=index)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    keys = {w.key for w in at.selectbox}
    assert {"index", "year"} <= keys
    assert ("province" if index == "papi" else "unit") in keys
    assert at.metric, "the headline numbers are shown"
    assert tables(at), "every chart comes with its table"
    assert any(t.label == "Biểu đồ" for t in at.tabs) and any(t.label == "Tải về" for t in at.tabs)


def test_766_total_and_cost_equal_the_queries(small_lake, app):
    at = app(PAGE, index="766", year="2024", province="01", unit="003")
    assert not at.exception
    totals = run("service_index_766_total", year=2024, level="district", province_code="01", data_dir=small_lake)
    row = totals.filter(pl.col("unit_code") == "003").row(0, named=True)
    assert _metrics(at)["Tổng điểm"] == fmt.value(row["total_points"], "points", 2, "vi")
    assert _metrics(at)["Hạng"] == f"{row['rank']}/{totals.height}"

    metric = at.selectbox(key="metric").value
    metrics = run("service_index_766", year=2024, level="district", province_code="01", data_dir=small_lake)
    mine = metrics.filter((pl.col("unit_code") == "003") & (pl.col("metric_code") == metric)).row(0, named=True)
    cost = _table(at, 2)
    assert cost["Điểm mất do thủ tục"].sum() == pytest.approx(mine["max_points"] - mine["points"])
    assert cost["Số không đạt"].sum() == mine["denominator"] - mine["numerator"]
    # the default metric is the one that lost the most points among those split by procedure
    lost = metrics.filter(pl.col("unit_code") == "003").with_columns(lost=pl.col("max_points") - pl.col("points"))
    split = run("metrics_766", data_dir=small_lake).filter(pl.col("counted_on").is_not_null())
    lost = lost.filter(pl.col("metric_code").is_in(split.get_column("metric_code").to_list()))
    assert metric == lost.sort("lost", descending=True).get_column("metric_code")[0]


def test_cost_by_field_permalink(small_lake, app):
    at = app(PAGE, index="766", year="2024", province="01", unit="002", metric="PROGRESS_ON_TIME", by="field")
    assert not at.exception
    assert at.selectbox(key="metric").value == "PROGRESS_ON_TIME"
    cost = run(
        "procedure_cost_766",
        year=2024,
        unit_code="002",
        metric_code="PROGRESS_ON_TIME",
        by="field",
        data_dir=small_lake,
    )
    table = _table(at, 2)
    assert list(table["Mã lĩnh vực"]) == cost.get_column("item_code").to_list()


def test_par_permalink_restores_the_view_in_english(small_lake, app):
    at = app(PAGE, index="par", year="2024", unit="002", lang="en")
    assert not at.exception
    assert at.selectbox(key="index").value == "par"
    assert at.selectbox(key="year").value == 2024 and at.selectbox(key="unit").value == "002"
    assert at.title[0].value.startswith("Indices")
    par = run("par_index", year=2024, level="district", data_dir=small_lake)
    total = par.filter((pl.col("unit_code") == "002") & (pl.col("area_code") == "total")).row(0, named=True)
    assert _metrics(at)["PAR Index"] == fmt.value(total["index_pct"], "%", 2, "en")
    areas = _table(at, 0)
    expected = par.filter((pl.col("unit_code") == "002") & (pl.col("area_code") != "total"))
    assert list(areas["Area code"]) == expected.get_column("area_code").to_list()
    assert list(areas["Score"]) == pytest.approx(expected.get_column("score").to_list())
    # the criteria of the area chosen by default (the weakest) equal par_criteria
    area = at.selectbox(key="area").value
    criteria = run("par_criteria", year=2024, unit_code="002", area_code=area, data_dir=small_lake)
    assert list(_table(at, 1)["Score"]) == pytest.approx(criteria.get_column("score").to_list())


def test_kept_charts_follow_the_unit_the_metric_and_the_split(small_lake):
    """The rooms' figures and table texts are kept per published lake under the year, the choice (level,
    province, units, unit) and the chart's own filters: other units, metrics, splits and indices one after
    another in one process each send what the same run sends with the caches cleared."""
    runs = [
        {"index": "766", "year": "2024", "province": "01", "unit": "002", "metric": "PROGRESS_ON_TIME"},
        {"index": "766", "year": "2024", "province": "01", "unit": "003", "metric": "PROGRESS_ON_TIME"},
        {"index": "766", "year": "2024", "province": "01", "unit": "003", "metric": "PROGRESS_ON_TIME", "by": "field"},
        {"index": "par", "year": "2024", "province": "01", "unit": "003"},
        {"index": "par", "year": "2024", "province": "01", "unit": "003", "lang": "en"},
    ]
    in_turn, alone = sent_in_turn_and_alone(PAGE, runs)
    assert in_turn == alone
    assert len(set(alone)) == len(runs)


def test_sipas_small_sample_is_not_shown(small_lake, app):
    """003 has 12 respondents in 2024: no number, "không đủ mẫu" instead; the 2022 change is noted."""
    at = app(PAGE, index="sipas", year="2024", province="01", unit="003")
    assert not at.exception
    assert _metrics(at)["Chỉ số hài lòng chung"] == "không đủ mẫu"
    assert any("2022" in w.value for w in at.warning)
    table = _table(at, 0)
    assert table["Tỷ lệ hài lòng (%)"].isna().all()
    assert set(table["Ghi chú"]) == {"không đủ mẫu"}


def test_sipas_interval_equals_the_query(small_lake, app):
    at = app(PAGE, index="sipas", year="2024", province="01", unit="001", lang="en")
    assert not at.exception
    sipas = run("sipas", year=2024, level="district", data_dir=small_lake)
    overall = sipas.filter((pl.col("unit_code") == "001") & (pl.col("element_code") == "overall")).row(0, named=True)
    shown = _metrics(at)
    assert shown["Overall satisfaction"] == fmt.percent(overall["satisfied_share"], 1, "en")
    assert (
        shown["95% interval"]
        == f"{fmt.percent(overall['ci_low'], 1, 'en')} – {fmt.percent(overall['ci_high'], 1, 'en')}"
    )
    assert shown["Respondents (n)"] == str(overall["n"])


def test_papi_best_performer_alongside(small_lake, app):
    at = app(PAGE, index="papi", year="2016", province="26")
    assert not at.exception
    papi = run("papi", year=2016, data_dir=small_lake)
    dims = papi.filter(pl.col("level") == "dimension")
    table = _table(at, 0)
    assert len(table) == dims.get_column("measure_code").n_unique()
    for row in table.itertuples(index=False):
        scores = dims.filter(pl.col("measure_code") == row[0]).get_column("score")
        assert row[table.columns.get_loc("Điểm cao nhất")] == pytest.approx(scores.max())
    total = papi.filter((pl.col("level") == "total") & (pl.col("province_code") == "26")).row(0, named=True)
    assert _metrics(at)["PAPI (tổng)"] == fmt.number(total["score"], 2, "vi")


def test_papi_year_without_the_province_says_so(small_lake, app):
    at = app(PAGE, index="papi", year="2016", province="48")  # Đà Nẵng: not in the small lake's PAPI rows
    assert not at.exception
    assert any("PAPI" in i.value for i in at.info)


def test_unknown_index_falls_back_with_a_notice(page_lake, app):
    at = app(PAGE, index="drop table")
    assert not at.exception
    assert at.selectbox(key="index").value == "766"
    assert any("`index`" in w.value for w in at.warning)


def test_empty_lake_shows_guidance(empty_lake, app):
    at = app(PAGE)
    assert not at.exception
    assert "python -m etl demo" in " ".join(m.value for m in at.markdown)


# ------------------------------------------------------------------------------------------------
# Chart builder
# ------------------------------------------------------------------------------------------------
def test_sipas_frame_marks_suppressed_estimates_and_orders_elements():
    """queries/sipas.sql returns an estimate from fewer than 30 respondents with its n and no share
    (tests/queries/golden/sipas_small_sample_suppressed): the chart writes "too few responses"."""
    rows = pl.DataFrame(
        {
            "unit_code": ["001"] * 3,
            "year": [2024] * 3,
            "element_code": ["overall", "thu_tuc", "tiep_can"],
            "n": [40, 29, 40],
            "satisfied_share": [0.8, None, 0.7],
            "ci_low": [0.7, None, 0.6],
            "ci_high": [0.9, None, 0.8],
        }
    )
    frame = sipas.frame(rows, "001", "en")
    assert frame.get_column("element_code").to_list() == ["tiep_can", "thu_tuc", "overall"]
    small = frame.row(1, named=True)
    assert small["value"] is None and small["ci_low"] is None and small["note"] == "too few responses"
    assert frame.row(0, named=True)["value"] == pytest.approx(70.0)
    fig = sipas.figure(rows, "001", lang="en")
    assert fig.data[0].text[1] == "too few responses"


# the metrics_766 query's rows for the metrics used below (data/reference/766/scoring.csv, metric_terms.csv)
SCORING = pl.DataFrame(
    {
        "position": [1, 4, 5],
        "group_code": ["CKMB", "CKMB", "TDGQ"],
        "group_name_vi": ["Công khai minh bạch", "Công khai minh bạch", "Tiến độ giải quyết"],
        "group_name_en": ["Transparency", "Transparency", "Processing progress"],
        "metric_code": ["PUBLISH_ON_TIME", "DOSSIER_SYNC", "PROGRESS_ON_TIME"],
        "metric_name_vi": ["Tỷ lệ TTHC được công bố đúng hạn", "Tỷ lệ hồ sơ đồng bộ", "Tỷ lệ hồ sơ đúng hạn"],
        "max_points": [6.0, 6.0, 20.0],
        "full_marks_at": [1.0, 1.0, 1.0],
        "counted_on": ["catalogue", "dossiers", "dossiers"],
        "denominator": ["active", "received", "resolved_or_in_progress"],
        "numerator": ["published_on_time", "synced_on_time", "on_time"],
    }
)


def test_groups_add_up_to_the_total_and_name_the_groups():
    metrics = pl.DataFrame(
        {
            "unit_code": ["001", "001", "001"],
            "unit_name": ["Quận Ba Đình"] * 3,
            "period_start": [dt.date(2024, 1, 1)] * 3,
            "group_code": ["CKMB", "CKMB", "TDGQ"],
            "metric_code": ["PUBLISH_ON_TIME", "DOSSIER_SYNC", "PROGRESS_ON_TIME"],
            "numerator": [1.0, 2.0, 3.0],
            "denominator": [2.0, 2.0, 4.0],
            "rate": [0.5, 1.0, 0.75],
            "points": [3.0, 6.0, 15.0],
            "max_points": [6.0, 6.0, 20.0],
        }
    )
    groups = service_766.groups_frame(metrics, "001", SCORING, "vi")
    assert groups.get_column("group").to_list() == ["Công khai minh bạch", "Tiến độ giải quyết"]
    assert groups.get_column("points").to_list() == [9.0, 15.0]
    assert groups.get_column("points_lost").to_list() == [3.0, 5.0]
    assert service_766.costliest_metric(metrics, "001", SCORING) == "PROGRESS_ON_TIME"
    assert service_766.metric_name("PROGRESS_ON_TIME", SCORING, "en").startswith("Dossiers processed early or on time")


def test_a_group_with_a_hidden_metric_shows_no_points_and_one_without_data_adds_the_rest():
    # public mode: DOSSIER_SYNC's counts are below the threshold, so the rules emptied its numerator and
    # points (its denominator stays); PROGRESS_ON_TIME had no dossier (0 of 0, no points by the rules)
    metrics = pl.DataFrame(
        {
            "unit_code": ["001", "001", "001"],
            "unit_name": ["Quận Ba Đình"] * 3,
            "period_start": [dt.date(2024, 1, 1)] * 3,
            "group_code": ["CKMB", "CKMB", "TDGQ"],
            "metric_code": ["PUBLISH_ON_TIME", "DOSSIER_SYNC", "PROGRESS_ON_TIME"],
            "numerator": [1.0, None, 0.0],
            "denominator": [2.0, 5.0, 0.0],
            "rate": [0.5, None, None],
            "points": [3.0, None, None],
            "max_points": [6.0, 6.0, 20.0],
        }
    )
    groups = service_766.groups_frame(metrics, "001", SCORING, "vi")
    # Transparency: 3 points shown of 12 would claim 9 lost; with a metric hidden the group shows none
    assert groups.get_column("points").to_list() == [None, 0.0]
    assert groups.get_column("points_lost").to_list() == [None, 20.0]
    assert groups.get_column("metrics_hidden").to_list() == [1, 0]
    assert groups.get_column("metrics_without_data").to_list() == [0, 1]


@pytest.mark.parametrize(("year", "expected"), [(2021, None), (2022, 2022), (2024, 2022)])
def test_break_year(year, expected):
    assert break_year((2022,), year) == expected
