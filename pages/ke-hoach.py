"""Kế hoạch CCHC / Reform plans: a province's yearly administrative-reform plan, item by item.

Headline "done / items" for tasks and targets as reported; monthly or quarterly progress (done, late,
due); progress by group; the late items with their lead units; the targets that name an indicator the
dashboard computes, with its latest value beside them.
URL: ?year=2024&province=79&period=quarter
"""

import polars as pl
import streamlit as st

from ui import data, filters, navigation, t, view_chart, view_tabs
from ui import format as fmt
from ui.charts import plans
from ui.fetch import fetch, lake_status
from ui.indicators import indicator, indicators

navigation.enter(__file__)  # the frame and the access gate, when Streamlit runs this file directly

st.title(t("plans.title"))
st.caption(t("plans.intro"))

years = fetch("available_years").filter(pl.col("query") == "plan_progress").get_column("year").to_list()
year = filters.year(sorted({int(y) for y in years}, reverse=True))
if year is None:
    st.info(t("plans.none"))
    st.stop()
progress_all = fetch("plan_progress", year=year)
names = dict(progress_all.select("province_code", "province_name").unique().iter_rows())
province = filters.province(fmt.by_name(names), default=next(iter(sorted(names)), None))
progress = progress_all.filter(pl.col("province_code") == province)
if progress.is_empty():
    st.info(t("plans.none"))
    st.stop()
as_of = progress.get_column("as_of")[0]
status = lake_status() or {}
where = {t("filter.province"): names.get(province, province), t("filter.year"): year}


def meta(title: str, query: str) -> dict:
    demo = f" — {t('app.demo_short')}" if status.get("is_demo") else ""
    return {
        "title": title,
        "filters": where,
        "source": t("plans.source") + demo,
        "methodology": t("plans.methodology"),
        "query": query,
        "as_of": as_of,
        "notes": [t("plans.as_of_note", as_of=fmt.date(as_of))],
    }


head = plans.headline(progress)
st.subheader(t("plans.headline_title", province=names.get(province, province), year=year))
columns = st.columns(len(head) or 1)
for column, item_type in zip(columns, [k for k in plans.ITEM_TYPES if k in head], strict=False):
    done, items = head[item_type]
    column.metric(t(f"plans.done_of_{item_type}"), f"{fmt.integer(done)}/{fmt.integer(items)}")
st.caption(t("plans.as_of_note", as_of=fmt.date(as_of)))

period = filters.select(
    "period", {"month": t("period.month"), "quarter": t("period.quarter")}, label=t("filter.period"), default="month"
)
timeline = fetch("plan_timeline", year=year, province_code=province, period=period)
title = t("plans.timeline_title", year=year)
view_chart(
    plans.timeline_chart(timeline), filename=f"ke-hoach-{province}-{year}-{period}", meta=meta(title, "plan_timeline")
)

st.subheader(t("plans.groups_title"))
view_tabs(
    None,
    plans.groups_table(progress),
    filename=f"ke-hoach-nhom-{province}-{year}",
    meta=meta(t("plans.groups_title"), "plan_progress"),
    key="plan-groups",
)

items = fetch("plan_items_status", year=year, province_code=province)
late = items.filter(pl.col("state") == "late")
st.subheader(t("plans.late_title", n=fmt.integer(late.height)))
if late.is_empty():
    st.success(t("plans.no_late"))
else:
    view_tabs(
        None,
        plans.late_table(late),
        filename=f"ke-hoach-tre-han-{province}-{year}",
        meta=meta(t("plans.late_title", n=fmt.integer(late.height)), "plan_items_status"),
        key="plan-late",
    )

known = indicators()
codes = sorted({c for c in items.get_column("indicator").drop_nulls().to_list() if c in known})
if codes:
    cards = data.card_inputs(codes, year=year, unit_code=province, level="province")
    values = {
        row["indicator"]: {
            "name": indicator(row["indicator"]).name(),
            "value": row["value"],
            "unit": indicator(row["indicator"]).unit,
            "scale": indicator(row["indicator"]).scale,
            "decimals": indicator(row["indicator"]).decimals,
            "year": row["year"],
        }
        for row in cards.iter_rows(named=True)
    }
    st.subheader(t("plans.targets_title"))
    view_tabs(
        None,
        plans.targets_table(items, values),
        filename=f"ke-hoach-muc-tieu-{province}-{year}",
        meta=meta(t("plans.targets_title"), "plan_items_status"),
        key="plan-targets",
    )
