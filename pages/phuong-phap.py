"""Phương pháp / Methodology: what every number means and where it comes from.

Every indicator's definition (the formula in words), unit, source and methodology version, from the
indicator catalogue; every query module's description, grain, source, columns, method and parameters,
rendered by queries/docs.py, the same code that writes docs/indicators.md; the Decision 766 scoring
table; an entry per published index (source, method versions, breaks); the data attributions of
data/reference/*/SOURCE.md. Works without data in the lake.
"""

import streamlit as st

from ui import lookups, methodology, navigation, t, view_tabs
from ui.fetch import lake_status
from ui.i18n import current_lang

navigation.enter(__file__)  # the frame and the access gate, when Streamlit runs this file directly

st.title(t("methodology.title"))
st.caption(t("methodology.intro"))
if lake_status() is None:
    st.info(t("data.empty_lake_title"), icon=":material/database:")
    st.markdown(t("data.empty_lake_body"))

st.subheader(t("methodology.indicators_title"))
view_tabs(
    None,
    methodology.indicators_frame(),
    filename="phuong-phap-chi-so",
    meta={"title": t("methodology.indicators_title"), "source": "data/reference/indicators.csv"},
    key="indicators",
)

st.subheader(t("methodology.queries_title"))
st.caption(t("methodology.queries_note"))
for name, description, section in methodology.query_sections():
    # the queries' descriptions are English (their headers); a Vietnamese page names the query only
    with st.expander(f"`{name}` — {description}" if current_lang() == "en" else f"`{name}`"):
        st.markdown(section)

st.subheader(t("methodology.units_title"))
st.markdown(t("methodology.units_text"))
st.subheader(t("methodology.rank_title"))
st.markdown(t("methodology.rank_text"))
st.subheader(t("published.methods_title"))
st.caption(t("published.methods_note"))
for title, text in methodology.published_index_sections():
    with st.expander(title):
        st.markdown(text)

st.subheader(t("methodology.scoring_title"))
st.markdown(methodology.scoring_section())

st.subheader(t("methodology.attributions_title"))
st.markdown(lookups.geo_attribution())  # the line quoted in data/reference/geo/SOURCE.md, in the language
for title, text in methodology.attributions():
    with st.expander(title):
        st.markdown(text)
