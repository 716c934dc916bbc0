"""Chart builders on hand-made frames with the queries' columns: the frame returned with
return_df=True is what is plotted, and the numbers are as worked out by hand. Also the indicator
normalisation, the download files, Vietnamese sorting and the URL-bound filters."""

from __future__ import annotations

import csv
import datetime as dt
import io

import plotly.graph_objects as go
import polars as pl
import pytest

from tests.ui.test_views_table import grid_texts
from ui import data, i18n, lookups, theme, views
from ui.charts import cards, choropleth, compare, ranking, trend
from ui.charts.common import Chart, figure_builder
from ui.format import vi_sort_key
from ui.indicators import (
    COMPONENT_COLUMNS,
    INDICATOR_COLUMNS,
    empty_indicator_frame,
    indicator,
    indicators,
    normalise,
    normalise_components,
)

Y2024 = dt.date(2024, 1, 1)


# ------------------------------------------------------------------------------------------------
# hand-made query frames (the queries' column names)
# ------------------------------------------------------------------------------------------------
def dossier_kpis_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "unit_code": ["001", "002", "003", "006"],
            "unit_name": ["Quận Ba Đình", "Quận Hoàn Kiếm", "Quận Tây Hồ", "Quận Đống Đa"],
            "period_start": [Y2024] * 4,
            "received": [100, 80, 0, 50],
            "resolved": [90, 70, 0, 40],
            "on_time_rate": [0.95, 0.99, None, 0.95],
            "online_rate": [0.5, 0.6, None, 0.7],
        }
    )


def service_total_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "unit_code": ["001", "002", "003"],
            "period_start": [Y2024] * 3,
            "total_points": [92.5, 71.0, 45.25],
            "band": ["excellent", "good", "weak"],
            "rank": [1, 2, 3],
        }
    )


def sipas_frame() -> pl.DataFrame:
    rows = []
    for year, share in ((2020, 0.80), (2021, 0.82), (2022, 0.70), (2023, 0.72)):
        rows.append(("001", year, "overall", 100, share, share - 0.05, share + 0.05))
        rows.append(("001", year, "tiep_can", 100, share + 0.02, share - 0.03, share + 0.07))
        rows.append(("002", year, "overall", 20, None, None, None))  # n < 30: empty from queries/sipas.sql
    return pl.DataFrame(
        rows, schema=["unit_code", "year", "element_code", "n", "satisfied_share", "ci_low", "ci_high"], orient="row"
    )


NAMES = {"001": "Quận Ba Đình", "002": "Quận Hoàn Kiếm", "003": "Quận Tây Hồ"}
BANDS = lookups.band_names()  # data/reference/766/bands.csv
MAP = {"boundaries": lookups.boundaries(), "attribution": lookups.geo_attribution()}


# ------------------------------------------------------------------------------------------------
# normalisation
# ------------------------------------------------------------------------------------------------
def test_normalise_turns_fractions_into_percent_and_sorts_in_vietnamese_order():
    frame = normalise(dossier_kpis_frame(), indicator("on_time_rate"))
    assert frame.columns == list(INDICATOR_COLUMNS)
    assert frame.get_column("unit_name").to_list() == ["Quận Ba Đình", "Quận Đống Đa", "Quận Hoàn Kiếm", "Quận Tây Hồ"]
    assert frame.get_column("value").to_list() == pytest.approx([95.0, 95.0, 99.0, None], nan_ok=True)
    assert frame.get_column("n").to_list() == [90, 40, 70, 0]  # n = resolved, the denominator


def test_normalise_sipas_keeps_overall_and_the_n_of_suppressed_estimates():
    frame = normalise(sipas_frame(), indicator("sipas_overall"), names=NAMES)
    assert set(frame.get_column("unit_code")) == {"001", "002"}
    small = frame.filter(pl.col("unit_code") == "002")
    assert small.get_column("value").null_count() == small.height  # n = 20 < 30: suppressed by the query
    assert small.get_column("ci_low").null_count() == small.height
    assert set(small.get_column("n")) == {20}  # the n is still shown
    big = frame.filter((pl.col("unit_code") == "001") & (pl.col("year") == 2022)).row(0, named=True)
    assert big["value"] == pytest.approx(70.0) and big["ci_low"] == pytest.approx(65.0)
    assert big["unit_name"] == "Quận Ba Đình"
    assert big["methodology"] == "≥2022"


def test_normalise_without_names_falls_back_to_codes():
    frame = normalise(service_total_frame(), indicator("service_index_766"))
    assert frame.get_column("unit_name").to_list() == ["001", "002", "003"]


# ------------------------------------------------------------------------------------------------
# ranking
# ------------------------------------------------------------------------------------------------
def bar_labels(fig) -> dict[str, str]:
    """unit name -> the label written right of its bar (ui.charts.common.right_labels)."""
    return {a.y: a.text for a in fig.layout.annotations if a.xref == "paper" and a.yref == "y"}


def test_ranking_frame_is_what_is_plotted_with_competition_ranks():
    frame = normalise(dossier_kpis_frame(), indicator("on_time_rate"))
    target = {"value": 98.0, "comparator": ">=", "on": "value"}
    fig = ranking.figure(frame, indicator("on_time_rate"), target=target, lang="vi")
    table = ranking.figure(frame, indicator("on_time_rate"), target=target, lang="vi", return_df=True)
    bar = fig.data[0]
    assert list(bar.y) == table.get_column("Đơn vị").to_list()
    assert list(bar.x) == table.get_column("Tỷ lệ hồ sơ giải quyết đúng hạn (%)").to_list()
    # 99 first; the two 95s tie at rank 2 (then Vietnamese order: Ba Đình before Đống Đa); no data last
    assert table.get_column("Hạng").to_list() == [1, 2, 2, None]
    assert list(bar.y) == ["Quận Hoàn Kiếm", "Quận Ba Đình", "Quận Đống Đa", "Quận Tây Hồ"]
    assert table.get_column("Đạt mục tiêu").to_list() == [True, False, False, None]
    assert fig.layout.shapes[0].x0 == 98.0 and fig.layout.shapes[0].line.dash == "dash"
    # value · rank of N (three units ranked: no-data is not ranked), in the column right of the plot
    assert bar_labels(fig)["Quận Hoàn Kiếm"] == "99,0% · 1/3"
    assert bar_labels(fig)["Quận Tây Hồ"] == "—"


def test_ranking_colours_by_766_band_with_labels():
    frame = normalise(service_total_frame(), indicator("service_index_766"), names=NAMES)
    fig = ranking.figure(frame, indicator("service_index_766"), bands=BANDS, lang="en")
    table = ranking.figure(frame, indicator("service_index_766"), bands=BANDS, lang="en", return_df=True)
    assert list(fig.data[0].marker.color) == [theme.BAND_COLOURS[b] for b in ("excellent", "good", "weak")]
    assert table.get_column("Band").to_list() == ["Excellent", "Good", "Weak"]
    assert table.get_column("Rank").to_list() == [1, 2, 3]
    assert {trace.name for trace in fig.data[1:]} == {"Excellent", "Good", "Weak"}


def test_ranking_uses_quartiles_and_rank_change_given():
    frame = normalise(service_total_frame(), indicator("service_index_766"), names=NAMES).with_columns(
        pl.lit(None, dtype=pl.String).alias("band"), pl.Series("rank_change", [2, 0, -1])
    )
    table = ranking.figure(frame, indicator("service_index_766"), lang="vi", return_df=True)
    assert table.get_column("Nhóm").to_list() == ["Cao", "Trung bình cao", "Trung bình thấp"]
    fig = ranking.figure(frame, indicator("service_index_766"), lang="vi")
    labels = list(bar_labels(fig).values())
    assert labels[0].endswith("▲2") and labels[2].endswith("▼1")


def test_ranking_quartiles_come_from_the_n_the_query_ranked_among():
    """PAR ranks 5…11 among the 60 units the query ranked: every one is in the best quarter ("Cao"), labelled
    "5/60", never quartile 5…11 of the 7 shown (raw keys `quartile.q5` and grey bars)."""
    frame = normalise(
        pl.DataFrame(
            {
                "unit_code": [f"00{i}" for i in range(7)],
                "period_start": [Y2024] * 7,
                "area_code": ["total"] * 7,
                "index_pct": [90.0 - i for i in range(7)],
                "rank": list(range(5, 12)),
                "rank_change": [None] * 7,
                "ranked_units": [60] * 7,
            }
        ),
        indicator("par_index"),
    )
    table = ranking.figure(frame, indicator("par_index"), lang="vi", return_df=True)
    assert table.get_column("Nhóm").to_list() == ["Cao"] * 7  # 1 + floor(4 (r − 1) / 60) = 1 for r ≤ 15
    fig = ranking.figure(frame, indicator("par_index"), lang="en")
    assert {trace.name for trace in fig.data if trace.showlegend is not False} <= {"High"}
    assert bar_labels(fig)["000"] == "90.00% · 5/60"
    assert not any("quartile." in str(trace.name) for trace in fig.data)
    colours = [
        c
        for trace in fig.data
        if trace.type == "bar"
        for c in ([trace.marker.color] if isinstance(trace.marker.color, str) else trace.marker.color)
    ]
    assert set(colours) == {theme.quartile_colour(1)}


def test_ranking_gives_two_units_of_one_name_a_row_each():
    """Two wards named "Phường 15" (of two former districts) are two bars with their codes, each label on
    its own row, never two labels written on one."""
    frame = normalise(
        pl.DataFrame(
            {
                "unit_code": ["26740", "27427", "26911"],
                "unit_name": ["Phường 15", "Phường 15", "Phường 27"],
                "period_start": [Y2024] * 3,
                "total_points": [90.4, 86.7, 86.6],
                "band": ["excellent", "good", "good"],
                "rank": [1, 2, 3],
            }
        ),
        indicator("service_index_766"),
    )
    fig = ranking.figure(frame, indicator("service_index_766"), lang="vi")
    assert list(fig.data[0].y) == ["Phường 15 (26740)", "Phường 15 (27427)", "Phường 27"]
    assert set(bar_labels(fig)) == set(fig.data[0].y)


def test_a_tall_ranking_keeps_its_title_above_its_legend():
    """168 communes: a 4,500 px figure. The title sits at the very top in pixels, the legend 6 px above the
    plot, the top margin holds both (a legend at 1.02 of the plot's height was 88 px up, on the title)."""
    frame = normalise(
        pl.DataFrame(
            {
                "unit_code": [f"{i:05d}" for i in range(168)],
                "period_start": [Y2024] * 168,
                "total_points": [95.0 - i / 4 for i in range(168)],
                "band": ["excellent" if i < 20 else "good" for i in range(168)],
                "rank": list(range(1, 169)),
            }
        ),
        indicator("service_index_766"),
    )
    fig = theme.place_title(ranking.figure(frame, indicator("service_index_766"), lang="vi"), "Xếp hạng")
    plot = fig.layout.height - fig.layout.margin.t
    assert fig.layout.height > 4000 and fig.layout.margin.t >= 90
    assert fig.layout.title.yref == "container" and fig.layout.title.y == 1.0 and fig.layout.title.yanchor == "top"
    assert (fig.layout.legend.y - 1) * plot == pytest.approx(6.0)  # px above the plot, below the title's 8 + 20 px


def test_ranking_of_an_empty_frame():
    empty = empty_indicator_frame()
    assert ranking.figure(empty, indicator("on_time_rate"), return_df=True).is_empty()
    assert len(ranking.figure(empty, indicator("on_time_rate")).data) == 0


# ------------------------------------------------------------------------------------------------
# trend
# ------------------------------------------------------------------------------------------------
def test_trend_draws_no_line_across_the_sipas_2022_break():
    frame = normalise(sipas_frame(), indicator("sipas_overall"), names=NAMES)
    target = {"value": 85.0, "comparator": ">=", "on": "value"}
    fig = trend.figure(frame, indicator("sipas_overall"), target=target, units=["001"], lang="vi")
    table = trend.figure(frame, indicator("sipas_overall"), target=target, units=["001"], lang="vi", return_df=True)
    line = fig.data[0]
    assert list(line.y) == pytest.approx([80.0, 82.0, None, 70.0, 72.0], nan_ok=True)
    assert line.x[2] is None and line.connectgaps is False
    plotted = [y for y in line.y if y is not None]
    assert plotted == pytest.approx(table.get_column("Chỉ số hài lòng SIPAS (%)").to_list())
    assert table.get_column("Kỳ").to_list() == ["2020", "2021", "2022", "2023"]
    assert table.get_column("Đoạn (tách tại điểm đổi phương pháp)").to_list() == [0, 0, 1, 1]
    assert [shape.line.dash for shape in fig.layout.shapes] == ["dot"]  # the break marker
    goal = [trace for trace in fig.data if trace.line.dash == "dash"]  # the target of each year, in the legend
    assert len(goal) == 1 and [y for y in goal[0].y if y is not None] == [85.0] * 8
    assert any("Đổi phương pháp" in a.text for a in fig.layout.annotations)


def test_trend_breaks_where_the_methodology_column_changes():
    frame = (
        pl.DataFrame(
            {
                "unit_code": ["01"] * 3,
                "unit_name": ["Hà Nội"] * 3,
                "period_start": [dt.date(2021, 1, 1), dt.date(2022, 1, 1), dt.date(2023, 1, 1)],
                "value": [80.0, 82.0, 85.0],
                "methodology": ["QD2948", "QD2948", "QD876"],
            }
        )
        .with_columns(
            [
                pl.lit(None, dtype=d).alias(c)
                for c, d in INDICATOR_COLUMNS.items()
                if c not in ("unit_code", "unit_name", "period_start", "value", "methodology")
            ]
        )
        .select(list(INDICATOR_COLUMNS))
    )
    fig = trend.figure(frame, indicator("par_index"), lang="en")
    assert list(fig.data[0].y) == [80.0, 82.0, None, 85.0]


def test_trend_draws_each_years_own_target():
    """Targets of 90 % in 2022 and 95 % in 2023: the 2022 point is drawn against 90, not 2023's 95."""
    frame = normalise(sipas_frame(), indicator("sipas_overall"), names=NAMES).filter(pl.col("year") >= 2022)
    targets = pl.DataFrame(
        {"year": [2022, 2023], "value": [90.0, 95.0], "comparator": [">=", ">="], "on": ["value", "value"]}
    )
    fig = trend.figure(frame, indicator("sipas_overall"), targets=targets, units=["001"], lang="vi")
    goal = next(trace for trace in fig.data if trace.line.dash == "dash")
    steps = [(x, y) for x, y in zip(goal.x, goal.y, strict=True) if y is not None]
    assert {y for x, y in steps if str(x).startswith("2022")} == {90.0}
    assert {y for x, y in steps if str(x).startswith("2023")} == {95.0}


def test_766_values_before_decision_766_say_they_are_retroactive():
    """Decision 766 was issued on 23 June 2022: the index of 2020 and 2021 is computed retroactively, and the
    trend says so on those points (open markers, the hover), never on 2022 or 2023."""
    frame = normalise(
        pl.DataFrame(
            {
                "unit_code": ["001"] * 4,
                "period_start": [dt.date(y, 1, 1) for y in (2020, 2021, 2022, 2023)],
                "total_points": [70.0, 72.0, 75.0, 80.0],
                "band": ["fair", "fair", "good", "good"],
                "rank": [1, 1, 1, 1],
            }
        ),
        indicator("service_index_766"),
        names=NAMES,
    )
    fig = trend.figure(frame, indicator("service_index_766"), units=["001"], lang="vi")
    line = fig.data[0]
    short = i18n.t("reform.retroactive_766_short", "vi")
    said = [short in text for text in line.hovertext or line.text]
    assert said == [True, True, False, False]
    assert list(line.marker.symbol) == ["circle-open", "circle-open", "circle", "circle"]
    notes = data.frame_notes(frame, indicator("service_index_766"), 2023)
    assert notes == [i18n.t("reform.retroactive_766_years", "vi", years="2020, 2021")]


def test_trend_month_ticks_are_labelled_in_the_language():
    frame = pl.DataFrame(
        {"unit_code": ["001"] * 3, "unit_name": ["Ba Đình"] * 3,
         "period_start": [dt.date(2024, m, 1) for m in (1, 2, 3)], "value": [90.0, 91.0, 92.0]}
    ).with_columns(
        [pl.lit(None, dtype=d).alias(c) for c, d in INDICATOR_COLUMNS.items() if c not in ("unit_code", "unit_name", "period_start", "value")]
    ).select(list(INDICATOR_COLUMNS))  # fmt: skip
    fig = trend.figure(frame, indicator("on_time_rate"), grain="month", lang="vi")
    assert list(fig.layout.xaxis.ticktext) == ["Tháng 01/2024", "Tháng 02/2024", "Tháng 03/2024"]


# ------------------------------------------------------------------------------------------------
# cards
# ------------------------------------------------------------------------------------------------
def card_inputs() -> pl.DataFrame:
    base = {"unit_code": "01", "unit_name": "Hà Nội", "year": 2024, "n": None, "ci_low": None, "ci_high": None,
            "band": None, "quartile": None, "rank": None, "rank_change": None, "target": None, "comparator": None,
            "target_on": None, "comparable": True}  # fmt: skip
    rows = [
        {**base, "indicator": "sipas_overall", "value": 83.5, "previous": 80.0, "n": 400, "ci_low": 80.0,
         "ci_high": 87.0, "target": 85.0, "comparator": ">=", "target_on": "value"},
        {**base, "indicator": "par_index", "value": 91.4, "previous": 90.0, "rank": 3, "rank_change": 1,
         "target": 5.0, "comparator": "<=", "target_on": "rank"},
        {**base, "indicator": "service_index_766", "value": 92.0, "previous": 88.0, "band": "excellent",
         "comparable": False},
        {**base, "indicator": "on_time_rate", "value": None, "previous": 97.0},
    ]  # fmt: skip
    return pl.DataFrame(rows, infer_schema_length=None)


def test_cards_change_target_met_and_gap():
    frame = cards.card_frame(card_inputs(), indicators(), BANDS, "vi")
    rows = {r["indicator"]: r for r in frame.to_dicts()}
    assert rows["sipas_overall"]["change"] == pytest.approx(3.5)
    assert rows["sipas_overall"]["met"] is False and rows["sipas_overall"]["gap"] == pytest.approx(-1.5)
    assert rows["par_index"]["met"] is True and rows["par_index"]["gap"] == pytest.approx(2.0)  # rank 3 ≤ 5
    assert rows["service_index_766"]["change"] is None  # methodology changed: not compared
    assert rows["service_index_766"]["group"] == "Xuất sắc"
    assert rows["on_time_rate"]["change"] is None and rows["on_time_rate"]["met"] is None
    table = cards.figure(card_inputs(), indicators(), bands=BANDS, lang="vi", return_df=True)
    assert table.height == 4 and "Chênh lệch so với mục tiêu" in table.columns
    assert cards.target_status(rows["sipas_overall"], "vi") == "✗ Chưa đạt: Mục tiêu ≥ 85,0% (-1,5 điểm %)"
    assert cards.target_status(rows["par_index"], "en").startswith("✓ Target met")


def test_cards_figure_has_one_tile_per_card():
    fig = cards.figure(card_inputs(), indicators(), lang="en")
    assert len(fig.data) == 4
    assert fig.data[0].value == 83.5 and fig.data[0].delta.reference == 80.0


# ------------------------------------------------------------------------------------------------
# choropleth
# ------------------------------------------------------------------------------------------------
def papi_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "province_code": ["01", "79", "26", "48"],
            "province_name": ["Hà Nội", "Hồ Chí Minh", "Vĩnh Phúc", "Đà Nẵng"],
            "year": [2015] * 4,
            "measure_code": ["papi_total"] * 4,
            "level": ["total"] * 4,
            "score": [37.5, 40.1, None, 39.0],
            "rank": [3, 1, None, 2],
            "quartile_group": [3, 1, None, 2],
        }
    )


def test_choropleth_covers_63_provinces_missing_kept_missing():
    frame = normalise(papi_frame(), indicator("papi_total"))
    table = choropleth.figure(frame, indicator("papi_total"), **MAP, lang="vi", return_df=True)
    assert table.height == 63
    by_code = {r["Mã đơn vị"]: r for r in table.to_dicts()}
    assert by_code["79"]["Chỉ số PAPI (tổng) (điểm)"] == pytest.approx(40.1)
    assert by_code["26"]["Chỉ số PAPI (tổng) (điểm)"] is None  # published as missing: never 0
    fig = choropleth.figure(frame, indicator("papi_total"), **MAP, lang="vi")
    grey = fig.data[0]
    assert len(grey.locations) == 60 and "26" in grey.locations
    coloured = {loc: trace.name for trace in fig.data[1:] for loc in trace.locations}
    assert coloured == {"79": "Cao", "48": "Trung bình cao", "01": "Trung bình thấp"}
    assert fig.data[1].featureidkey == "properties.gso_code"
    assert any("geoBoundaries" in a.text for a in fig.layout.annotations)
    assert "geoBoundaries" in lookups.geo_attribution()


# ------------------------------------------------------------------------------------------------
# compare
# ------------------------------------------------------------------------------------------------
def par_frame() -> pl.DataFrame:
    rows = []
    for unit, name, a1, a2 in (("001", "Quận Ba Đình", 80.0, 70.0), ("002", "Quận Hoàn Kiếm", 90.0, 60.0),
                               ("003", "Quận Tây Hồ", 85.0, 65.0), ("006", "Quận Đống Đa", 85.0, 50.0)):  # fmt: skip
        rows.append((unit, name, 2024, "1", "Chỉ đạo điều hành", 8.0, 10.0, a1, None, None, None))
        rows.append((unit, name, 2024, "10", "Khu vực 10", 6.0, 10.0, a2, None, None, None))
        rows.append((unit, name, 2024, "total", None, 14.0, 20.0, None, 70.0, 1, None))
    columns = ["unit_code", "unit_name", "year", "area_code", "area_name_vi", "score", "max_points", "area_index",
               "index_pct", "rank", "rank_change"]  # fmt: skip
    return pl.DataFrame(rows, schema=columns, orient="row")


def test_compare_two_units_with_best_and_median_component_by_component():
    components = normalise_components(
        par_frame(), indicator("par_index"), component_names=lookups.component_names()["par"], lang="vi"
    )
    assert components.get_column("component_code").unique(maintain_order=True).to_list() == ["1", "10"]
    table = compare.figure(components, indicator("par_index"), "001", "002", lang="vi", return_df=True)
    assert table.columns[:4] == ["Mã thành phần", "Thành phần", "Quận Ba Đình", "Quận Hoàn Kiếm"]
    first, second = table.to_dicts()
    assert first["Thành phần"] == "Chỉ đạo điều hành"  # the name the framework of the year gives
    assert first["Cao nhất"] == 90.0 and first["Đơn vị cao nhất"] == "Quận Hoàn Kiếm"
    assert first["Trung vị"] == pytest.approx(85.0)  # median of 80, 90, 85, 85
    assert second["Trung vị"] == pytest.approx(62.5)  # median of 70, 60, 65, 50
    fig = compare.figure(components, indicator("par_index"), "001", "002", lang="vi")
    assert list(fig.data[0].x) == table.get_column("Quận Ba Đình").to_list()
    assert list(fig.data[1].x) == table.get_column("Quận Hoàn Kiếm").to_list()
    assert list(fig.data[2].x) == table.get_column("Cao nhất").to_list()
    assert list(fig.data[3].x) == table.get_column("Trung vị").to_list()


def test_compare_766_sums_metric_points_per_group_in_scoring_order():
    rows = []
    for unit, ontime in (("001", 20.0), ("002", 10.0)):
        rows += [
            (unit, "Quận A", Y2024, "MDHL", "PETITION_PROCESSING_ON_TIME", 1, 1, 1.0, 6.0, 6.0),
            (unit, "Quận A", Y2024, "TDGQ", "PROGRESS_ON_TIME", 1, 1, 1.0, ontime, 20.0),
            (unit, "Quận A", Y2024, "CKMB", "PUBLISH_ON_TIME", 1, 1, 1.0, 6.0, 6.0),
            (unit, "Quận A", Y2024, "CKMB", "DOSSIER_SYNC", 1, 1, 0.5, 3.0, 6.0),
        ]
    columns = ["unit_code", "unit_name", "period_start", "group_code", "metric_code", "numerator", "denominator",
               "rate", "points", "max_points"]  # fmt: skip
    components = normalise_components(
        pl.DataFrame(rows, schema=columns, orient="row"),
        indicator("service_index_766"),
        component_names=lookups.component_names()["766"],
        lang="en",
    )
    table = compare.compare_frame(components, indicator("service_index_766"), "001", "002")
    assert table.get_column("component_code").to_list() == ["CKMB", "TDGQ", "MDHL"]
    assert table.get_column("unit_a").to_list() == [9.0, 20.0, 6.0]
    assert table.get_column("max_value").to_list() == [12.0, 20.0, 6.0]
    assert table.get_column("component").to_list()[0] == "Transparency"


def test_compare_lower_is_better_picks_the_lowest():
    components = pl.DataFrame(
        {"unit_code": ["001", "002"], "unit_name": ["A", "B"], "component_code": ["x", "x"],
         "component_name": ["X", "X"], "value": [3.0, 5.0], "max_value": [None, None]},
        schema=COMPONENT_COLUMNS,
    )  # fmt: skip
    table = compare.compare_frame(components, indicator("median_processing_days"), "001", "002")
    assert table.get_column("best").to_list() == [3.0] and table.get_column("best_unit").to_list() == ["A"]


# ------------------------------------------------------------------------------------------------
# downloads
# ------------------------------------------------------------------------------------------------
def test_csv_has_a_bom_a_header_first_numbers_as_numbers_and_no_formulas():
    frame = pl.DataFrame(
        {"Đơn vị": ["Quận Đống Đa", '=HYPERLINK("x")', "+1", "@SUM(A1)"], "Giá trị": [98.5, 1.0, None, -2.0]}
    )
    raw = views.to_csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw[3:].decode("utf-8").splitlines()
    assert lines[0] == "Đơn vị,Giá trị"
    assert lines[1] == "Quận Đống Đa,98.5"
    assert lines[3] == "'+1," and lines[4] == "'@SUM(A1),-2.0"
    parsed = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert parsed[2] == ['\'=HYPERLINK("x")', "1.0"]


RISKY = pl.DataFrame(
    {
        "text": ["-5 ngày", "=1+1", "+84 912", "@cmd", "\tTab", "\rCR", "a-b", "5", None],
        "number": [-5, 3, -0, 7, 1, 2, 3, 4, None],
        "share": [-0.25, 0.5, 1.0, -1.5, 0.0, 2.0, 3.0, 4.0, None],
        "kind": pl.Series(["=x", "-y", "z", "z", "z", "z", "z", "z", None], dtype=pl.Categorical),
    }
)
NEUTRALISED = ["'-5 ngày", "'=1+1", "'+84 912", "'@cmd", "'\tTab", "'\rCR", "a-b", "5", None]


def test_csv_neutralises_risky_text_and_keeps_negative_numbers_numeric():
    raw = views.to_csv_bytes(RISKY)
    frame = pl.read_csv(io.BytesIO(raw[3:]), infer_schema=False)
    assert frame.get_column("text").to_list() == NEUTRALISED
    assert frame.get_column("number").to_list()[:3] == ["-5", "3", "0"]  # written as numbers, unquoted
    assert frame.get_column("share").to_list()[0] == "-0.25"
    assert frame.get_column("kind").to_list()[:3] == ["'=x", "'-y", "z"]  # categoricals are text too
    assert b"\n-5," not in raw and b",-5," in raw  # the number -5 is a bare number, not text


def test_xlsx_neutralises_risky_text_and_keeps_negative_numbers_numeric():
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(views.to_xlsx_bytes(RISKY, {"title": "=evil()"}, "en")))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0] == ["text", "number", "share", "kind"]
    assert [r[0] for r in rows[1:9]] == NEUTRALISED[:8]  # (the all-empty last row is trimmed by the reader)
    assert rows[1][1] == -5 and isinstance(rows[1][1], int | float)  # a number cell, negative
    assert rows[1][2] == -0.25 and rows[4][2] == -1.5
    assert rows[1][3] == "'=x"
    about = {r[0]: r[1] for r in book.get_sheet_by_index(1).to_python()}
    assert "'=evil()" in about.values()  # metadata cells too


def test_xlsx_has_a_data_sheet_and_an_about_sheet():
    from python_calamine import CalamineWorkbook

    frame = pl.DataFrame({"Đơn vị": ["Quận Ba Đình", "=1+1"], "Giá trị": [98.5, None], "Ngày": [Y2024, Y2024]})
    meta = {"title": "Xếp hạng", "filters": {"Năm": 2024}, "source": "Nguồn A", "methodology": "QĐ 766"}
    book = CalamineWorkbook.from_filelike(io.BytesIO(views.to_xlsx_bytes(frame, meta, "vi")))
    assert book.sheet_names == ["Dữ liệu", "Thông tin"]
    rows = book.get_sheet_by_name("Dữ liệu").to_python()
    assert rows[0] == ["Đơn vị", "Giá trị", "Ngày"]
    assert rows[1][:2] == ["Quận Ba Đình", 98.5]
    assert rows[2][0] == "'=1+1"  # stored as text, never as a formula, and neutralised as in the CSV
    about = dict((r[0], r[1]) for r in book.get_sheet_by_name("Thông tin").to_python())
    assert about["Bộ lọc"] == "Năm: 2024" and about["Nguồn"] == "Nguồn A" and about["Phương pháp"] == "QĐ 766"
    assert "Thời điểm trích xuất" in about


def test_metadata_sidecar_names_filters_source_methodology_and_time():
    text = views.to_metadata_bytes({"filters": {"Year": 2024}, "source": "S", "methodology": "M"}, "en").decode(
        "utf-8-sig"
    )
    assert (
        "Filters: Year: 2024" in text and "Source: S" in text and "Methodology: M" in text and "Extracted at:" in text
    )


def test_slug_folds_vietnamese():
    assert views.slug("Xếp hạng Đống Đa 2024") == "xep-hang-dong-da-2024"


# ------------------------------------------------------------------------------------------------
# Vietnamese order
# ------------------------------------------------------------------------------------------------
def test_vietnamese_sort_order():
    names = ["Đống Đa", "Ba Đình", "Hoàn Kiếm", "Ân Thi", "An Lão", "Dĩ An", "Ứng Hòa", "Uông Bí"]
    assert sorted(names, key=vi_sort_key) == [
        "An Lão",
        "Ân Thi",
        "Ba Đình",
        "Dĩ An",
        "Đống Đa",
        "Hoàn Kiếm",
        "Uông Bí",
        "Ứng Hòa",
    ]


def test_ranking_marks_a_suppressed_survey_estimate():
    """SIPAS below 30 respondents arrives empty from the query: the bar's label says so."""
    frame = normalise(sipas_frame(), indicator("sipas_overall"), names=NAMES)
    fig = ranking.figure(frame, indicator("sipas_overall"), lang="en")
    labels = bar_labels(fig)
    assert labels["Quận Hoàn Kiếm"] == "too few responses"
    assert labels["Quận Ba Đình"].startswith("72")


def test_table_grid_holds_neutralised_values_and_shows_the_text_as_loaded():
    """The grid's toolbar export and copy write the underlying values: they are neutralised as the
    downloads are; what the grid shows is the text as loaded; numbers stay numbers."""
    styler = views.display_table(RISKY, "en")
    assert styler.data["text"].tolist()[:8] == NEUTRALISED[:8]
    assert styler.data["kind"].tolist()[:3] == ["'=x", "'-y", "z"]
    assert styler.data["number"].tolist()[0] == -5  # still the number -5 (sorting, export)
    shown = pl.DataFrame({"Thủ tục": ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-", "@A1", "Cấp phép"]})
    rows = grid_texts(views.display_table(shown, "vi"))
    assert [row[0] for row in rows] == ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-", "@A1", "Cấp phép"]
    assert views.display_table(shown, "vi").data["Thủ tục"].tolist() == [
        '\'=HYPERLINK("http://x","y")',
        "'+cmd|' /C calc'!A0",
        "'-",
        "'@A1",
        "Cấp phép",
    ]


# ------------------------------------------------------------------------------------------------
# Chart: the table and the figure from one computation
# ------------------------------------------------------------------------------------------------
def test_a_chart_is_computed_once_and_drawn_only_when_shown():
    draws: list[int] = []

    def build(x: int) -> Chart:
        return Chart(pl.DataFrame({"a": [x]}), lambda: draws.append(x) or go.Figure())

    chart = build(1)
    assert draws == []  # the table is there; nothing drawn yet
    assert chart.figure is chart.figure and draws == [1]  # drawn once, on first use
    figure = figure_builder(build)
    assert figure(5, return_df=True)["a"].to_list() == [5] and draws == [1]  # the table alone: no drawing
    assert isinstance(figure(6), go.Figure) and draws == [1, 6]


def test_targets_of_one_indicator_by_field_are_rows_of_their_own():
    """On time ≥ 100 % overall and ≥ 99 % for land (DATDAI): two rows that say which is which."""
    from ui.charts import targets

    rows = pl.DataFrame(
        {
            "indicator": ["on_time_rate", "on_time_rate:DATDAI"],
            "unit_code": ["79", "79"],
            "target": [1.0, 0.99],
            "comparator": [">=", ">="],
            "actual": [0.990, 0.969],
            "gap": [-0.010, -0.021],
            "met": [False, False],
            "unit_name": ["Thành phố Hồ Chí Minh"] * 2,
            "code": ["on_time_rate", "on_time_rate"],
        }
    )
    fig = targets.figure(rows, indicators(), lang="vi")
    name = indicator("on_time_rate").name("vi")
    assert sorted(fig.data[0].y) == [
        f"{name} (lĩnh vực DATDAI) — Thành phố Hồ Chí Minh",
        f"{name} — Thành phố Hồ Chí Minh",
    ]
    assert sorted(fig.data[0].x) == pytest.approx([-2.1, -1.0])


def test_labels_at_a_bars_end_have_room_in_the_right_margin():
    """Số hóa hồ sơ 16,82 of 22 points: the label "16,82 / 22,00" after the longest bar fits in the margin
    (13 characters of about 7 px), never cut off at the figure's edge ("16,82 / 2…")."""
    from ui.charts import earned

    fig = earned.bars(["Công khai minh bạch", "Số hóa hồ sơ"], [17.3, 16.82], [18.0, 22.0], lang="vi")
    assert list(fig.data[1].text) == ["17,30 / 18,00", "16,82 / 22,00"]
    assert fig.layout.margin.r >= 16 + theme.OUTSIDE_LABEL_CHAR_PX * len("16,82 / 22,00")
