"""The PAPI room (provinces only): the province's total and rank → dimensions → the sub-dimensions of a
chosen dimension, the best province alongside. URL: ?province=…&dimension=…"""

from __future__ import annotations

import streamlit as st

from ui import data, filters, lookups, view_chart, views
from ui.charts import papi
from ui.drilldown.room import Room
from ui.fetch import fetch
from ui.i18n import t


def show(room: Room) -> None:
    year = room.year
    provinces = lookups.provinces(year)
    province = filters.province(provinces, default=room.home_province())
    profile = fetch("papi_profile", year=year, province_code=province)
    if profile.is_empty() or profile.get_column("score").drop_nulls().is_empty():
        st.info(t("drilldown.papi_missing_year"))
        st.stop()
    name = provinces.get(province, province)
    where = data.describe_filters(year=year, province=province)
    if (since := room.break_year()) is not None:
        st.warning(t("drilldown.papi_break", year=since), icon=":material/info:")
    views.headline(papi.headline(profile))
    st.subheader(t("drilldown.papi_dimensions_title", province=name, year=year))
    view_chart(
        papi.chart(profile, "dimension"),
        filename=f"papi-chi-so-noi-dung-{province}-{year}",
        meta=room.meta(t("drilldown.papi_dimensions_title", province=name, year=year), where, "papi_profile"),
        view_key=("drilldown", "papi-dimensions", year, province),
    )
    dimensions = papi.dimension_choices(profile)
    if not dimensions:
        return
    st.subheader(t("drilldown.papi_sub_title"))
    dimension = filters.select("dimension", dimensions, label=t("drilldown.dimension"), container=st)
    view_chart(
        papi.chart(profile, "sub_dimension", dimension),
        filename=f"papi-chi-so-thanh-phan-{dimension}-{province}-{year}",
        meta=room.meta(
            f"{t('drilldown.papi_sub_title')} — {dimensions[dimension]}, {name}, {year}",
            {**where, t("drilldown.dimension"): dimensions[dimension]},
            "papi_profile",
        ),
        view_key=("drilldown", "papi-sub-dimensions", year, province, dimension),
    )
