"""Xu hướng / Trends: any indicator over months, quarters or years for chosen units, at the level chosen,
as published or in today's units: each year's own target, markers where the methodology changed and at
the reform of 1 July 2025 (no line is drawn across either), gaps where a unit did not exist or has no
value, a note on approximate (re-based) values."""

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
    default=data.default_first_year(available, last, period), pin=True,
)  # fmt: skip
basis, level, province = filters.reported_units(code, last)
years = [y for y in available if first <= y <= last]
st.caption(ind.definition())

frame = data.indicator_series(code, years=years, period=period, level=level, province_code=province, units=basis)
if frame.is_empty():
    st.info(t("common.no_data_for_selection"))
    st.stop()
options = fmt.unit_options(frame)
chosen = filters.units(options, default=data.default_units(frame, code), container=st)
if not chosen:
    st.info(t("trends.choose_units"))
    st.stop()
for note in data.frame_notes(frame.filter(frame["unit_code"].is_in(chosen)), ind, last):
    st.caption(note)
targets = data.targets_by_year(code, years)
where = data.describe_filters(
    indicator=code, year=f"{first}–{last}", level=level, province=province, period=period, basis=basis
)
view_chart(
    trend.chart(frame, ind, grain=period, targets=targets, units=chosen),
    filename=f"xu-huong-{code}-{period}-{first}-{last}",
    meta=data.meta(code, filters={**where, t("filter.units"): [options.get(u, u) for u in chosen]}),
)
