"""The Decision 766 room: total, band and rank → six groups → metrics → the procedures (or fields) that
cost the most points on a chosen metric (procedure_cost_766). URL: ?level=…&province=…&unit=…&metric=…&by=…"""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import filters, lookups, view_chart, views
from ui.charts import service_766
from ui.drilldown.room import Room
from ui.fetch import fetch
from ui.i18n import t


def show(room: Room) -> None:
    year = room.year

    def metrics_of(level: str, province: str | None, units: str) -> pl.DataFrame:
        return fetch("service_index_766", year=year, period="year", level=level, province_code=province, units=units)

    def totals_of(level: str, province: str | None, units: str) -> pl.DataFrame:
        return fetch(
            "service_index_766_total", year=year, period="year", level=level, province_code=province, units=units
        )

    chosen = room.choose()  # the units with a total at the level (departments at their own level)
    unit, name, where = chosen.unit, chosen.name, chosen.where
    metrics = metrics_of(chosen.level, chosen.province, chosen.units)  # cached
    totals = totals_of(chosen.level, chosen.province, chosen.units)
    scoring = fetch("metrics_766")
    views.headline(service_766.headline(totals, unit, bands=lookups.band_names()))

    st.subheader(t("drilldown.groups_title", unit=name, year=year))
    view_chart(
        service_766.groups_chart(metrics, unit, scoring),
        filename=f"766-nhom-{unit}-{year}",
        meta=room.meta(t("drilldown.groups_title", unit=name, year=year), where, "service_index_766"),
        view_key=chosen.view_key("766-groups", year),
    )
    st.subheader(t("drilldown.metrics_title"))
    view_chart(
        service_766.metrics_chart(metrics, unit, scoring),
        filename=f"766-chi-tieu-{unit}-{year}",
        meta=room.meta(f"{t('drilldown.metrics_title')} — {name}, {year}", where, "service_index_766"),
        view_key=chosen.view_key("766-metrics", year),
    )

    st.subheader(t("drilldown.cost_title"))
    st.caption(t("drilldown.cost_help"))
    left, right = st.columns([3, 1])
    metric = filters.select(
        "metric",
        service_766.metric_choices(metrics, unit, scoring),
        label=t("drilldown.metric"),
        default=service_766.costliest_metric(metrics, unit, scoring),
        container=left,
    )
    by_options = {"procedure": t("drilldown.by_procedure"), "field": t("drilldown.by_field")}
    by = filters.select("by", by_options, label=t("drilldown.cost_by"), container=right, widget="segmented")
    if metric is None:
        st.info(t("drilldown.cost_none"))
        st.stop()
    cost = fetch("procedure_cost_766", year=year, unit_code=unit, metric_code=metric, by=by)
    if cost.is_empty():
        st.info(t("drilldown.cost_none"))
        st.stop()
    metric_name = service_766.metric_name(metric, scoring)
    view_chart(
        service_766.cost_chart(cost, by=by),
        filename=f"766-mat-diem-{metric}-{by}-{unit}-{year}",
        meta=room.meta(
            t("drilldown.cost_chart_title", metric=metric_name, unit=name, year=year),
            {**where, t("drilldown.metric"): metric_name, t("drilldown.cost_by"): by_options[by]},
            "procedure_cost_766",
            (t("drilldown.cost_help"),),
        ),
        view_key=chosen.view_key("766-cost", year, metric, by),
    )
