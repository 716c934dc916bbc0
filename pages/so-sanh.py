"""So sánh / Compare: one indicator at a time.

Ranking bars (rank, rank change, target line, band or quartile colour); a province map for provincial
indicators (PAPI), with the boundaries' attribution; two units side by side with the best and the
median, component by component (766 groups, PAR areas, SIPAS elements, PAPI dimensions).
"""

import streamlit as st

from ui import data, filters, lookups, navigation, t, view_chart
from ui import format as fmt
from ui.charts import choropleth, compare, ranking
from ui.indicators import indicator

navigation.enter(__file__)  # the frame and the access gate, when Streamlit runs this file directly

st.title(t("compare.title"))

code = filters.indicator(default="service_index_766")
ind = indicator(code)
year = filters.year(lookups.years(code))
if year is None:
    st.info(t("common.no_data_for_selection"))
    st.stop()
level = filters.level(ind.levels, default="district" if "district" in ind.levels else ind.levels[0])
provinces = lookups.provinces()
province = None
if level != "province":
    province = filters.province(provinces, default=lookups.default_province(year))
where = data.describe_filters(indicator=code, year=year, level=level, province=province)

frame = data.ranked_frame(code, year=year, level=level, province_code=province)
if frame.is_empty():
    st.info(t("common.no_data_for_selection"))
    st.stop()
target = data.target_for(code, year)
st.caption(ind.definition())

labels = [t("compare.tab_ranking"), t("compare.tab_pair")]
if ind.map:
    labels.insert(1, t("compare.tab_map"))
tabs = dict(zip(labels, st.tabs(labels), strict=True))

with tabs[t("compare.tab_ranking")]:
    view_chart(
        ranking.chart(frame, ind, target=target, bands=lookups.band_names()),
        filename=f"xep-hang-{code}-{year}",
        meta=data.meta(code, filters=where),
    )

if ind.map:
    with tabs[t("compare.tab_map")]:
        attribution = lookups.geo_attribution()
        view_chart(
            choropleth.chart(frame, ind, boundaries=lookups.boundaries(), attribution=attribution),
            filename=f"ban-do-{code}-{year}",
            meta=data.meta(code, filters=where, notes=[attribution]),
        )
        st.caption(attribution)

with tabs[t("compare.tab_pair")]:
    components = data.components_frame(code, year=year, level=level, province_code=province)
    options = fmt.unit_options(components if not components.is_empty() else frame)
    first, second = data.default_pair(frame, code)
    left, right = st.columns(2)
    unit_a = filters.unit(options, key="unit", default=first, container=left)
    unit_b = filters.unit(options, key="unit2", label=t("compare.second_unit"), default=second, container=right)
    if components.is_empty():
        st.info(t("compare.no_components"))
    else:
        view_chart(
            compare.chart(components, ind, unit_a, unit_b),
            filename=f"so-sanh-{code}-{unit_a}-{unit_b}-{year}",
            meta=data.meta(
                code, filters=where, title=t("compare.pair_title", a=options.get(unit_a), b=options.get(unit_b))
            ),
        )
