"""Tổng quan / Overview: where the chosen province stands in the chosen year.

Headline cards (766 total and band, PAR Index and rank, SIPAS with interval, PAPI total and quartile,
on-time and online rates) with the change from last year and the target; data as of per source; then
the province's districts ranked on the 766 service index (on-time rate when the index has no data).
"""

import streamlit as st

from ui import data, filters, lookups, t, view_tabs
from ui.charts import cards, ranking

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
cards.render(inputs)
with st.expander(t("overview.cards_table")):
    view_tabs(
        cards.figure(inputs),
        cards.figure(inputs, return_df=True),
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
target = data.target_for(code, year)
view_tabs(
    ranking.figure(frame, code, target=target),
    ranking.figure(frame, code, target=target, return_df=True),
    filename=f"xep-hang-{code}-{province}-{year}",
    meta=data.meta(code, filters=where),
)
