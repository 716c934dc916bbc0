"""So sánh / Compare: one indicator at a time, at the level chosen (commune, district before 2025,
department, province), as published or in today's units.

Ranking bars (rank of N, rank change and whether the intervals support it, target line, band or
quartile colour); a map (provinces on the map of the period's era, communes as points sized by dossiers,
the table beside); two units side by side with the best and the median, component by component (766
groups, PAR areas, SIPAS elements, PAPI dimensions). The chosen tab is in the URL (`?tab=map`).
"""

import streamlit as st

from ui import data, filters, lookups, navigation, t, view_chart
from ui import format as fmt
from ui.charts import choropleth, compare, points, ranking
from ui.indicators import indicator

navigation.enter(__file__)  # the frame and the access gate, when Streamlit runs this file directly

st.title(t("compare.title"))

code = filters.indicator(default="service_index_766")
ind = indicator(code)
year = filters.year(lookups.years(code))
if year is None:
    st.info(t("common.no_data_for_selection"))
    st.stop()
basis, level, province = filters.reported_units(code, year)
where = data.describe_filters(indicator=code, year=year, level=level, province=province, basis=basis)

frame = data.ranked_frame(code, year=year, level=level, province_code=province, units=basis)
if frame.is_empty():
    st.info(t("common.no_data_for_selection"))
    st.stop()
target = data.target_for(code, year)
st.caption(ind.definition())
for note in data.frame_notes(frame, ind, year):
    st.caption(note)

maps = level in ("province", "commune")
labels = {"ranking": t("compare.tab_ranking")}
if maps:
    labels["map"] = t("compare.tab_map")
labels["pair"] = t("compare.tab_pair")
tabs = filters.tabs("tab", labels)

with tabs["ranking"]:
    view_chart(
        ranking.chart(frame, ind, target=target, bands=lookups.band_names()),
        filename=f"xep-hang-{code}-{level}-{year}",
        meta=data.meta(code, filters=where, notes=data.rank_notes(frame)),
        view_key=("compare-ranking", code, year, level, province, basis),
    )

if maps:
    with tabs["map"]:
        attribution = lookups.geo_attribution()
        if level == "province":
            era = data.map_era(year, basis)
            view_chart(
                choropleth.chart(frame, ind, boundaries=lookups.boundaries(era), attribution=attribution),
                filename=f"ban-do-{code}-{year}",
                meta=data.meta(code, filters=where, notes=[attribution]),
            )  # drawn on every run: a province map holds its outlines, 0.9-1.4 MB, too large to keep many of
        else:
            made = points.chart(
                frame,
                ind,
                points=lookups.unit_points(),
                dossiers=data.dossier_counts(year, province, basis),
                outline=lookups.boundaries(data.map_era(year, basis)),
                province_code=province,
            )
            chart_col, table_col = st.columns([3, 2])
            with chart_col:
                view_chart(
                    made,
                    filename=f"ban-do-xa-{code}-{province}-{year}",
                    meta=data.meta(code, filters=where),
                    view_key=("compare-points", code, year, level, province, basis),
                )
            with table_col:
                st.dataframe(points.side_table(made.table), hide_index=True, width="stretch", height=560)
        st.caption(attribution)

with tabs["pair"]:
    components = data.components_frame(code, year=year, level=level, province_code=province, units=basis)
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
            view_key=("compare-pair", code, year, level, province, basis, unit_a, unit_b),
        )
