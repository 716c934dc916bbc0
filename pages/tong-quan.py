"""Tổng quan / Overview: where the chosen province stands in the chosen year.

Headline cards (766 total and band, PAR Index and rank, SIPAS with interval, PAPI total and quartile,
on-time and online rates) with the change from last year and the target; data as of per source; then
the province's districts ranked on the 766 service index (on-time rate when the index has no data).
"""

import streamlit as st

from ui import data, filters, lookups, navigation, t, view_chart, views
from ui.charts import cards, ranking
from ui.indicators import indicator, indicators

navigation.enter(__file__)  # the frame and the access gate, when Streamlit runs this file directly

st.title(t("overview.title"))
st.caption(t("overview.intro"))

year = filters.year(lookups.years_any(data.OVERVIEW_CARDS))
if year is None:
    st.info(t("common.no_data_for_selection"))
    st.stop()
provinces = lookups.provinces()
province = filters.province(provinces, default=lookups.default_province(year))
where = {t("filter.province"): provinces.get(province, province), t("filter.year"): year}
st.caption(data.as_of_text())

title = t("overview.cards_title", province=provinces.get(province, province), year=year)
st.subheader(title)
inputs = data.card_inputs(data.OVERVIEW_CARDS, year=year, unit_code=province, level="province")
views.metric_grid(cards.metric_cards(inputs, indicators(), bands=lookups.band_names()))
with st.expander(t("overview.cards_table")):
    view_chart(
        cards.chart(inputs, indicators(), bands=lookups.band_names()),
        filename=f"tong-quan-{province}-{year}",
        meta=data.cards_meta(where, title),
    )

st.subheader(t("overview.districts_title", province=provinces.get(province, province), year=year))
code = "service_index_766"
frame = data.ranked_frame(code, year=year, level="district", province_code=province)
if frame.is_empty():
    code = "on_time_rate"
    frame = data.ranked_frame(code, year=year, level="district", province_code=province)
if frame.is_empty():
    st.info(t("common.no_data_for_selection"))
    st.stop()
view_chart(
    ranking.chart(frame, indicator(code), target=data.target_for(code, year), bands=lookups.band_names()),
    filename=f"xep-hang-{code}-{province}-{year}",
    meta=data.meta(code, filters=where),
)
