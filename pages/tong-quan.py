"""Tổng quan / Overview: where the chosen province stands in the chosen year, in today's units.

Headline cards (766 total and band, PAR Index and rank of N, SIPAS with interval, PAPI total and quartile,
on-time and online rates) with the change from last year and the target, for the province as it is today
(history re-based: docs/units.md); data as of per source; every target's gap, online payment included;
then the province's units at the year's local level (communes from the reform, districts before) ranked on
the 766 service index (on-time rate when the index has no data), and how they resolve their dossiers
(early, on time, late, overdue, median and p90 days).
"""

import streamlit as st

from ui import data, due_soon, filters, lookups, navigation, t, view_chart, views
from ui.charts import cards, ranking, targets, timeliness
from ui.indicators import indicator, indicators

navigation.enter(__file__)  # the frame and the access gate, when Streamlit runs this file directly

st.title(t("overview.title"))
st.caption(t("overview.intro"))

years = lookups.years_any(data.OVERVIEW_CARDS)
year = filters.year(years)
if year is None:
    st.info(t("common.no_data_for_selection"))
    st.stop()
provinces = lookups.provinces(years[0])  # the provinces of the latest year with data: the cards are in today's units
province = filters.province(provinces, default=lookups.default_province(year))
where = {t("filter.province"): provinces.get(province, province), t("filter.year"): year}
st.caption(data.as_of_text())

title = t("overview.cards_title", province=provinces.get(province, province), year=year)
st.subheader(title)
st.caption(t("reform.overview_current_units"))
inputs = data.card_inputs(data.OVERVIEW_CARDS, year=year, unit_code=province, level="province", units="current")
views.metric_grid(cards.metric_cards(inputs, indicators(), bands=lookups.band_names()))
with st.expander(t("overview.cards_table")):
    view_chart(
        cards.chart(inputs, indicators(), bands=lookups.band_names()),
        filename=f"tong-quan-{province}-{year}",
        meta=data.cards_meta(where, title),
        view_key=("overview-cards", year, province),
    )

goals = data.targets_frame(year, level="province", province_code=province, units="current")
if not goals.is_empty():
    st.subheader(t("reform.targets_title", province=provinces.get(province, province), year=year))
    view_chart(
        targets.chart(goals, indicators()),
        filename=f"muc-tieu-{province}-{year}",
        meta={
            **data.meta(
                "on_time_rate",
                filters=where,
                title=t("reform.targets_title", province=provinces.get(province, province), year=year),
            ),
            "query": "targets_gap",
            "unit": None,
        },
        key="targets",
        view_key=("overview-targets", year, province),
    )

due_soon.overview_section(province, provinces.get(province, province))  # "Sắp quá hạn": ui/due_soon.py

code = "service_index_766"
levels = [lv for lv in data.levels_with_data(code, year) if lv != "province"]
if not levels:
    code = "on_time_rate"
    levels = [lv for lv in data.levels_with_data(code, year) if lv != "province"]
level = data.default_level(levels)
if level is None:
    st.stop()
st.subheader(t("reform.units_title", level=t(f"level.{level}"), province=provinces.get(province, province), year=year))
frame = data.ranked_frame(code, year=year, level=level, province_code=province)
if frame.is_empty():
    st.info(t("common.no_data_for_selection"))
    st.stop()
level_where = {**where, t("filter.level"): t(f"level.{level}")}
view_chart(
    ranking.chart(frame, indicator(code), target=data.target_for(code, year), bands=lookups.band_names()),
    filename=f"xep-hang-{code}-{province}-{level}-{year}",
    meta=data.meta(code, filters=level_where),
    view_key=("overview-ranking", code, year, level, province),
)

st.subheader(t("reform.timeliness_title", year=year))
st.caption(t("reform.timeliness_help"))
view_chart(
    timeliness.chart(data.kpis_frame(year, level=level, province_code=province)),
    filename=f"tien-do-giai-quyet-{province}-{level}-{year}",
    meta={
        **data.meta("on_time_rate", filters=level_where, title=t("reform.timeliness_title", year=year)),
        "unit": None,
    },
    key="timeliness",
    view_key=("overview-timeliness", year, level, province),
)
