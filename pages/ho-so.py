"""Hồ sơ / Dossier explorer: the dossiers behind every figure, one row each, without personal data.

Filters (all in the URL): province, level (commune, district, department: those the province's dossiers
were received at; default the lowest of the latest year), unit, field, procedure, status, channel, received from / to,
due soon (?due=N: the dossiers in progress due within N working days or overdue, ui/due_soon.py); a
paginated table (dossier_rows with limit/offset, dossier_rows_count for the pager); CSV (UTF-8 with BOM)
and XLSX downloads of the WHOLE filtered set, built only when clicked, with a sidecar / "about" sheet
naming the filters, the source and the extraction time.
URL: ?province=01&level=commune&unit=00004&field=…&procedure=…&status=resolved&channel=online
     &received_from=2024-01-01&received_to=2024-03-31&page_size=100&page=2&due=3
"""

import datetime as dt

import polars as pl
import streamlit as st

from ui import current_lang, data, due_soon, filters, lookups, navigation, t, view_tabs
from ui import format as fmt
from ui.charts import dossiers
from ui.fetch import aggregates_only, fetch
from ui.indicators import indicator

navigation.enter(__file__)  # the frame and the access gate, when Streamlit runs this file directly

st.title(t("explorer.title"))
st.caption(t("explorer.intro"))
if aggregates_only():  # public mode: no individual dossiers (docs/security.md)
    st.info(t("access.public_no_rows"), icon=":material/lock:")
    st.stop()

provinces = lookups.provinces()
latest_year = next(iter(lookups.years("on_time_rate")), None)
province = filters.province(provinces, default=lookups.default_province(latest_year))
unit_list = fetch("dossier_units", province_code=province)
levels = dossiers.levels(unit_list)  # the levels the province's dossiers were received at
latest_levels = dossiers.levels(fetch("dossier_units", province_code=province, year=latest_year))
level = filters.level(levels, default=data.default_level(latest_levels))
if level is None:
    st.info(t("explorer.empty"))
    st.stop()
units = dossiers.choices(unit_list.filter(unit_list["level"] == level), "unit_code", "unit_name")
unit = filters.select("unit", units, label=t("filter.unit"), default=dossiers.ALL)
fields = dossiers.choices(fetch("dossier_fields", province_code=province), "field_code", "field_name")
field = filters.select("field", fields, label=t("explorer.field"), default=dossiers.ALL)
procedures = fetch("dossier_procedures", province_code=province, field_code=field or None)
procedure = filters.select(
    "procedure",
    dossiers.choices(procedures, "procedure_code", "procedure_name"),
    label=t("explorer.procedure"),
    default=dossiers.ALL,
)
status = filters.select("status", dossiers.status_choices(), label=t("explorer.status"), default=dossiers.ALL)
channel = filters.select("channel", dossiers.channel_choices(), label=t("explorer.channel"), default=dossiers.ALL)
date_format = "DD/MM/YYYY" if current_lang() == "vi" else "YYYY-MM-DD"
date_bounds = {"min_value": dt.date(2000, 1, 1), "max_value": dt.date.today() + dt.timedelta(days=366)}
received_from = st.sidebar.date_input(  # default: the latest year with dossiers (keeps downloads quick)
    t("explorer.received_from"),
    value=dt.date(latest_year, 1, 1) if latest_year else None,
    key="received_from",
    bind="query-params",
    format=date_format,
    **date_bounds,
)
received_to = st.sidebar.date_input(
    t("explorer.received_to"), value=None, key="received_to", bind="query-params", format=date_format, **date_bounds
)
if received_from and received_to and received_from > received_to:
    st.warning(t("explorer.dates_swapped"), icon=":material/event_busy:")
    st.stop()

params = {
    "province_code": province,
    "level": level,
    "unit_code": unit or None,
    "field_code": field or None,
    "procedure_code": procedure or None,
    "status": status or None,
    "channel": channel or None,
    "received_from": received_from,
    "received_to": received_to,
}
total = int(fetch("dossier_rows_count", **params).get_column("n")[0])
where = {
    t("filter.province"): provinces.get(province, province),
    t("filter.level"): t(f"level.{level}"),
    t("filter.unit"): units.get(unit, unit),
    t("explorer.field"): fields.get(field, field),
    t("explorer.procedure"): dossiers.choices(procedures, "procedure_code", "procedure_name").get(procedure, procedure),
    t("explorer.status"): dossiers.status_choices().get(status, status),
    t("explorer.channel"): dossiers.channel_choices().get(channel, channel),
    t("explorer.received_from"): received_from or "—",
    t("explorer.received_to"): received_to or "—",
}
due_days = due_soon.explorer_filter()
if due_days is not None:  # dossiers due within N working days or overdue, instead of the pager
    due_soon.explorer_view(params, due_days, where)
    st.stop()
st.subheader(t("explorer.count", n=fmt.integer(total)))
if total == 0:
    st.info(t("explorer.empty"))
    st.stop()

size_col, page_col = st.columns(2)
size = filters.select(
    "page_size", list(dossiers.PAGE_SIZES), label=t("explorer.page_size"), default=100, container=size_col
)
signature = repr(sorted((k, str(v)) for k, v in params.items())) + f"|{size}"
if st.session_state.get("_explorer_filters") not in (None, signature):
    st.session_state["page"] = 1  # new filters start at the first page
st.session_state["_explorer_filters"] = signature
pages = dossiers.page_count(total, size)
page = filters.select(
    "page",
    list(range(1, pages + 1)),
    label=t("explorer.page", pages=fmt.integer(pages)),
    default=1,
    container=page_col,
)

rows = fetch("dossier_rows", **params, limit=size, offset=(page - 1) * size)


def whole_set() -> pl.DataFrame:
    """Every dossier of the filters (not just this page), read when a download button is clicked.
    Streamlit calls it on another thread: view_tabs binds it to this run's viewer and language
    (ui.fetch.bind_viewer), and fetch there runs uncached with that scope."""
    count = int(fetch("dossier_rows_count", **params).get_column("n")[0])
    return dossiers.table(fetch("dossier_rows", **params, limit=max(count, 1), offset=0))


source = indicator("on_time_rate")
notes = [t("explorer.download_note", n=fmt.integer(total)), t("explorer.no_personal_data")]
if total > dossiers.XLSX_MAX_ROWS:
    notes.append(t("explorer.xlsx_limit", n=fmt.integer(dossiers.XLSX_MAX_ROWS)))
elif total > dossiers.XLSX_SLOW_ROWS:
    notes.append(t("explorer.xlsx_slow"))
st.caption(t("explorer.showing", first=fmt.integer((page - 1) * size + 1), last=fmt.integer(min(page * size, total))))
view_tabs(
    None,
    dossiers.table(rows),
    filename=f"ho-so-{province}-{unit or 'tat-ca'}-{dt.date.today():%Y%m%d}",
    meta={
        "title": t("explorer.download_title"),
        "filters": where,
        "source": source.source() + (f" — {t('app.demo_short')}" if data.is_demo(source.code) else ""),
        "query": "dossier_rows",
        "as_of": data.as_of(source.code),
        "notes": notes,
    },
    download=whole_set,
    key="explorer",
    height=min(38 + 35 * rows.height, 600),
)
