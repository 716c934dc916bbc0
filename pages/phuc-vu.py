"""Phục vụ / Service measures: the measures the provinces set targets in, for the units of one province.

Waiting time at the counter (median and 90th percentile per unit, queue tickets and dossiers apart)
against 30 minutes; data re-use against 30 %; digital signatures on dossiers received and on results;
petitions handled on time against 100 %; the province's one-stop offices per level and the online
services its catalogue offers, with the change since the year before.
URL: ?year=2024&province=01&level=district&basis=current
"""

import polars as pl
import streamlit as st

from ui import data, filters, lookups, navigation, t, view_chart, view_tabs
from ui import format as fmt
from ui.charts import service
from ui.fetch import fetch, lake_status
from ui.indicators import indicator

navigation.enter(__file__)  # the frame and the access gate, when Streamlit runs this file directly

INDICATORS = (*service.WAIT_INDICATORS.values(), "data_reuse_share", "petitions_on_time_share")
LOCAL_LEVELS = ("commune", "district", "department")

st.title(t("service.title"))
st.caption(t("service.intro"))

network_years = fetch("available_years").filter(pl.col("query") == "one_stop_network").get_column("year").to_list()
year = filters.year(sorted({*lookups.years_any(INDICATORS), *(int(y) for y in network_years)}, reverse=True))
if year is None:
    st.info(t("service.none"))
    st.stop()
# As published, each unit as it was in the year; in today's units, the year's figures under today's
# communes and departments of today's province (docs/units.md).
basis = filters.basis()
names = lookups.provinces(None if basis == "current" else year)
province = filters.province(names, default=lookups.default_province(year) or next(iter(names), None))
levels = [lv for lv in data.levels_with_data("data_reuse_share", year, units=basis) if lv in LOCAL_LEVELS]
fallback = ["district" if year < data.REFORM_DAY.year and basis == "as_published" else "commune"]
level = filters.level(levels or fallback, default=data.default_level(levels))
province_name = names.get(province, province)
where = {
    t("filter.province"): province_name,
    t("filter.year"): year,
    t("filter.level"): t(f"level.{level}"),
    t("reform.basis"): t(f"reform.basis_{basis}"),
}
demo_kinds = data.demo_kinds()
demo_note = f" — {t('app.demo_short')}" if (lake_status() or {}).get("is_demo") else ""


def meta(title: str, query: str, unit: str, source: str, methodology: str, kinds: tuple[str, ...]) -> dict:
    """What every number carries: unit, period, source (demo labelled), methodology, data as of."""
    found = data.as_of_by_source()
    days = [found[k] for k in kinds if k in found]
    demo = demo_note if any(k in demo_kinds for k in kinds) else ""
    return {
        "title": title,
        "filters": where,
        "unit": unit,
        "period": str(year),
        "source": source + demo,
        "methodology": methodology,
        "query": query,
        "as_of": min(days) if days else None,
    }


params = {"year": year, "level": level, "units": basis, "province_code": province}
shown_for = (year, level, basis, province)  # what every chart below is fetched with (its view_key)

# Waiting time at the counter
st.header(t("service.wait_title"))
waits = fetch("waiting_time", **params)
target_wait = t("service.target_wait")
if waits.is_empty():
    st.info(t("service.wait_none"))
for source in service.SOURCES:
    if waits.filter(pl.col("source") == source).is_empty():
        continue
    ind = indicator(service.WAIT_INDICATORS[source])
    title = t(f"service.wait_chart_{source}", province=province_name, year=year)
    view_chart(
        service.wait_chart(waits, source, target_wait),
        filename=f"phuc-vu-cho-{source}-{province}-{year}",
        meta=meta(title, "waiting_time", "minutes", ind.source(), t(f"service.method_wait_{source}"), (source,)),
        view_key=("service-wait", source, *shown_for),
    )

# Data re-use and digital signatures
shares = fetch("digital_shares", **params)
st.header(t("service.reuse_title"))
ind = indicator("data_reuse_share")
title = t("service.reuse_chart", province=province_name, year=year)
view_chart(
    service.share_chart(shares, ["data_reuse_share"], target=0.3, target_label=t("service.target_reuse")),
    filename=f"phuc-vu-tai-su-dung-{province}-{year}",
    meta=meta(title, "digital_shares", "%", ind.source(), t("service.method_reuse"), ("dossiers",)),
    view_key=("service-reuse", *shown_for),
)
st.header(t("service.signed_title"))
signed = service.share_chart(shares, ["received_signed_share", "result_signed_share"])
if signed.table.is_empty():
    st.info(t("service.signed_none"))
else:
    ind = indicator("received_signed_share")
    title = t("service.signed_chart", province=province_name, year=year)
    view_chart(
        signed,
        filename=f"phuc-vu-chu-ky-so-{province}-{year}",
        meta=meta(title, "digital_shares", "%", ind.source(), t("service.method_signed"), ("dossiers",)),
        view_key=("service-signed", *shown_for),
    )

# Petitions handled on time
st.header(t("service.petitions_title"))
petitions = fetch("petitions_on_time", **params)
ind = indicator("petitions_on_time_share")
title = t("service.petitions_chart", province=province_name, year=year)
view_chart(
    service.share_chart(petitions, ["on_time_share"], target=1.0, target_label=t("service.target_petitions")),
    filename=f"phuc-vu-pakn-{province}-{year}",
    meta=meta(title, "petitions_on_time", "%", ind.source(), t("service.method_petitions"), ("feedback",)),
    view_key=("service-petitions", *shown_for),
)

# The one-stop network
st.header(t("service.network_title"))
network = fetch("one_stop_network", year=year, units=basis, province_code=province)
cards = service.network_cards(network)
if not cards:
    st.info(t("service.network_none", province=province_name, year=year))
else:
    row = network.sort("period_start").row(-1, named=True)
    st.caption(
        t("service.network_as_of", list_as_of=fmt.date(row["list_as_of"]) if row["list_as_of"] else "—", year=year)
    )
    for start in range(0, len(cards), 4):
        for column, (label, value, delta) in zip(st.columns(4, border=True), cards[start : start + 4], strict=False):
            column.metric(label, value, delta=delta, delta_color="off")
    title = t("service.network_chart", province=province_name, year=year)
    view_tabs(
        None,
        service.network_table(network),
        filename=f"phuc-vu-mang-luoi-{province}-{year}",
        meta=meta(
            title,
            "one_stop_network",
            "count",
            t("service.network_source"),
            t("service.network_method"),
            ("one_stop_offices", "procedures"),
        ),
        key="service-network",
        view_key=("service-network", year, basis, province),
    )
