"""The PAR Index room: index, score and rank → areas → the criteria of a chosen area.
URL: ?level=…&province=…&unit=…&area=…"""

from __future__ import annotations

import streamlit as st

from ui import filters, lookups, view_chart, views
from ui.charts import par_index
from ui.drilldown.room import Room
from ui.fetch import fetch
from ui.i18n import t


def show(room: Room) -> None:
    year = room.year
    chosen = room.choose()
    unit, name, where = chosen.unit, chosen.name, chosen.where
    par_rows = fetch("par_index", year=year, level=chosen.level, province_code=chosen.province, units=chosen.units)
    area_names = lookups.component_names()["par"]
    views.headline(par_index.headline(par_rows, unit))

    st.subheader(t("drilldown.par_areas_title", unit=name, year=year))
    view_chart(
        par_index.areas_chart(par_rows, unit, area_names),
        filename=f"chi-so-cchc-linh-vuc-{unit}-{year}",
        meta=room.meta(t("drilldown.par_areas_title", unit=name, year=year), where, "par_index"),
        view_key=chosen.view_key("par-areas", year),
    )
    st.subheader(t("drilldown.par_criteria_title"))
    areas = par_index.area_choices(par_rows, unit, area_names)
    area = filters.select(
        "area",
        areas,
        label=t("drilldown.area"),
        default=par_index.weakest_area(par_rows, unit, area_names),
        container=st,
    )
    criteria = fetch("par_criteria", year=year, unit_code=unit, area_code=area)
    if criteria.is_empty():
        st.info(t("common.no_data_for_selection"))
        st.stop()
    view_chart(
        par_index.criteria_chart(criteria),
        filename=f"chi-so-cchc-tieu-chi-{unit}-{area}-{year}",
        meta=room.meta(
            f"{t('drilldown.par_criteria_title')} — {name}, {year}",
            {**where, t("drilldown.area"): areas.get(area, area)},
            "par_criteria",
        ),
        view_key=chosen.view_key("par-criteria", year, area),
    )
