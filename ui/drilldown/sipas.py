"""The SIPAS room: the overall index with its 95 % interval and n → the five elements with theirs;
estimates from fewer than 30 respondents read "không đủ mẫu"; the 2022 instrument change is noted.
URL: ?level=…&province=…&unit=…"""

from __future__ import annotations

import streamlit as st

from ui import view_chart, views
from ui.charts import sipas
from ui.drilldown.room import Room
from ui.fetch import fetch
from ui.i18n import t


def show(room: Room) -> None:
    year = room.year
    chosen = room.choose()
    unit, name, where = chosen.unit, chosen.name, chosen.where
    sipas_rows = fetch("sipas", year=year, level=chosen.level, units=chosen.units)
    if (since := room.break_year()) is not None:
        st.warning(t("drilldown.sipas_break", year=since), icon=":material/info:")
    views.headline(sipas.headline(sipas_rows, unit))
    st.subheader(t("drilldown.sipas_title", unit=name, year=year))
    view_chart(
        sipas.chart(sipas_rows, unit),
        filename=f"sipas-yeu-to-{unit}-{year}",
        meta=room.meta(
            t("drilldown.sipas_title", unit=name, year=year), where, "sipas", (t("drilldown.too_few_long"),)
        ),
        view_key=chosen.view_key("sipas", year),
    )
    st.caption(t("drilldown.too_few_long"))
