"""Chỉ số / Index drill-down: from a unit's total down to what it is made of, one room per index
(ui/drilldown/: 766, PAR Index, SIPAS, PAPI).
URL: ?index=766|par|sipas|papi&year=…, then the room's own filters (ui/drilldown/*.py)."""

import streamlit as st

from ui import drilldown, filters, lookups, navigation, t
from ui.indicators import indicator

navigation.enter(__file__)  # the frame and the access gate, when Streamlit runs this file directly

st.title(t("drilldown.title"))
st.caption(t("drilldown.intro"))

index = filters.select(
    "index",
    {code: t(f"drilldown.index_{code}") for code in drilldown.INDEXES},
    label=t("drilldown.index"),
    default="766",
)
ind = indicator(drilldown.INDEX_INDICATOR[index])
year = filters.year(lookups.years(ind.code))
if year is None:
    st.info(t("common.no_data_for_selection"))
    st.stop()
st.caption(ind.definition())
drilldown.ROOMS[index].show(drilldown.Room(ind, year))
