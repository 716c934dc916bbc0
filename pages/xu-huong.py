"""Xu hướng / Trends: any indicator over months, quarters or years for chosen units, with the target
line and markers where the methodology changed (no line is drawn across a break)."""

import streamlit as st

from ui import data, filters, lookups, navigation, t, view_chart
from ui import format as fmt
from ui.charts import trend
from ui.indicators import indicator

navigation.enter(__file__)  # the frame and the access gate, when Streamlit runs this file directly

st.title(t("trends.title"))

code = filters.indicator(default="on_time_rate")
ind = indicator(code)
available = lookups.years(code)
if not available:
    st.info(t("common.no_data_for_selection"))
    st.stop()
period = filters.period(ind.periods)
last = filters.year(available, label=t("filter.to_year"))
first = filters.select(
    "from", [y for y in available if y <= last], label=t("filter.from_year"),
    default=data.default_first_year(available, last, period),
)  # fmt: skip
level = filters.level(ind.levels, default="district" if "district" in ind.levels else ind.levels[0])
province = None
if level != "province":
    province = filters.province(lookups.provinces(), default=lookups.default_province(last))
years = [y for y in available if first <= y <= last]

frame = data.indicator_series(code, years=years, period=period, level=level, province_code=province)
if frame.is_empty():
    st.info(t("common.no_data_for_selection"))
    st.stop()
chosen = filters.units(fmt.unit_options(frame), default=data.default_units(frame, code), container=st)
if not chosen:
    st.info(t("trends.choose_units"))
    st.stop()
target = data.target_for(code, last)
where = data.describe_filters(indicator=code, year=f"{first}–{last}", level=level, province=province, period=period)
view_chart(
    trend.chart(frame, ind, grain=period, target=target, units=chosen),
    filename=f"xu-huong-{code}-{period}-{first}-{last}",
    meta=data.meta(code, filters={**where, t("filter.units"): [fmt.unit_options(frame).get(u, u) for u in chosen]}),
)
