"""Vị trí của tỉnh / Where the province stands: one province on the five published indices (the portal's
Decision 766 score, PAR Index, SIPAS, PAPI, PCI).

- Cards and a summary table: each index's latest published value, rank (of how many), period, method
  version and the target where one is set; under today's province, each province it is made of, as
  published (ui/standing.py).
- The portal's 766 score beside the province's own, derived from its dossiers, group by group, with the gap.
- A trend per index (weekly for the portal's 766), no line across a method change, a link to its detail page.
- Every table downloadable (CSV/XLSX with the source, method versions and notes).
URL: ?province=52&basis=current|as_published (the units filter of every page; here today's units by default)
"""

import streamlit as st

from ui import filters, lookups, navigation, standing, t, view_chart, view_tabs, views
from ui.charts import standing as charts
from ui.published import INDEX, INDEXES, breaks, detail_link, method_versions

navigation.enter(__file__)  # the frame and the access gate, when Streamlit runs this file directly

st.title(t("standing.title"))
st.caption(t("standing.intro"))

lineage = standing.lineage()
units = filters.basis(default="current", help=t("standing.units_help"))
options = standing.province_options(lineage, units)
dossier_years = lookups.years("service_index_766")
home = lookups.default_province(dossier_years[0] if dossier_years else None)
province = filters.province(options, default=home if home in options else None)
if province is None:
    st.info(t("standing.no_provinces"))
    st.stop()

listed = standing.provinces_listed(lineage, province, units)
figures = standing.province_figures(province, units)
latest = standing.latest_figures(figures)
names = {code: t(f"published.name_{code.lower()}") for code in INDEXES}
card_titles = {code: t(f"published.card_{code.lower()}") for code in INDEXES}
where = {t("filter.province"): options[province], t("reform.basis"): t(f"reform.basis_{units}")}

predecessors = listed.filter(listed["role"] == "predecessor")
if not predecessors.is_empty():
    shown = ", ".join(charts.province_label(r) for r in predecessors.iter_rows(named=True))
    st.info(t("standing.predecessors", province=options[province], names=shown), icon=":material/merge:")

st.subheader(t("standing.cards_title", province=options[province]))
for column, (_, title, cards) in zip(st.columns(len(INDEXES)), charts.cards(latest, card_titles), strict=True):
    with column.container(border=True):
        st.markdown(f"**{title}**")
        if not cards:
            st.caption(t("standing.not_loaded"))
        for card in cards:
            st.metric(card.label, card.value, help=card.help)
            st.caption(card.caption)

st.subheader(t("standing.summary_title"))
view_tabs(
    None,
    charts.summary_table(latest, names),
    filename=f"vi-tri-{province}-{units}",
    meta=standing.download_meta(latest, where, t("standing.cards_title", province=options[province])),
    key="standing-summary",
    view_key=("standing-summary", province, units),
)

st.subheader(t("standing.compare_title"))
year = standing.own_766_year(figures)
published = standing.portal_groups(figures)
own, own_total = standing.own_766_groups(province, year, units) if year else (None, None)
if published is None and own_total is None:
    st.info(t("standing.compare_none"))
else:
    if published is None:
        st.info(t("standing.compare_no_published"))
    elif own_total is None:
        st.info(t("standing.compare_no_own", year=year))
    else:
        st.caption(t("standing.compare_versions", version=published["scoring_version"]))
    st.caption(standing.comparison_note(published, own_total, year))
    groups = standing.comparison_groups(published, own, own_total)
    views.headline(charts.comparison_headline(groups))
    view_chart(
        charts.comparison(groups, lookups.component_names()["766"]),
        filename=f"diem-766-cong-va-tu-tinh-{province}-{year}",
        meta=standing.comparison_meta(published, own_total, year, where),
        key="standing-766",
        view_key=("standing-766", province, year, units),
    )

st.subheader(t("standing.trends_title"))
st.caption(t("standing.trend_note"))
for code, tab in zip(INDEXES, st.tabs([names[c] for c in INDEXES]), strict=True):
    with tab:
        changed = [str(y) for y in breaks(code)]
        st.caption(t("standing.breaks", years=", ".join(changed)) if changed else t("standing.no_breaks"))
        with st.expander(t("standing.versions")):
            for version in method_versions()[code]:
                st.markdown(
                    t("standing.version_line", version=version.version, years=version.years(), change=version.change())
                )
        if figures.filter(figures["index_code"] == code).is_empty():
            st.info(t("standing.not_loaded_index", index=names[code]))
        else:
            view_chart(
                charts.trend(figures, code, names[code], INDEX[code].unit),
                filename=f"dien-bien-{code}-{province}-{units}",
                meta=standing.index_meta(figures, code, names[code], where),
                key=f"standing-trend-{code}",
                view_key=("standing-trend", code, province, units),
            )
        page, params = detail_link(code)
        st.page_link(
            page, label=t(f"standing.detail_{code.lower()}"), query_params=params, icon=":material/arrow_forward:"
        )

with st.expander(t("standing.all_title")):
    view_tabs(
        None,
        charts.figures_table(figures, names),
        filename=f"vi-tri-tat-ca-{province}-{units}",
        meta=standing.download_meta(figures, where, t("standing.all_title")),
        key="standing-all",
        view_key=("standing-all", province, units),
    )
