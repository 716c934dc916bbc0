"""Dữ liệu / Data quality: how fresh each source is, what was loaded, and what was rejected and why.

- Freshness: per source the period the data cover ("data as of"), rows, last load (freshness).
- Load log: every file loaded, rows read / accepted / quarantined (load_log).
- Quarantine: rejected values counted by reason, with each reason's meaning (quarantine_summary), and
  the rejected values themselves, filtered by reason and file, downloadable whole (quarantine_rows).
URL: ?reason=bad_date&file=<source file as logged>
"""

import polars as pl
import streamlit as st

from ui import filters, navigation, t, view_chart, view_tabs
from ui import format as fmt
from ui.charts import quality
from ui.fetch import aggregates_only, current_scope, fetch, lake_info

navigation.enter(__file__)  # the frame and the access gate, when Streamlit runs this file directly

QUARANTINE_ROWS_SHOWN = 200

st.title(t("quality.title"))
st.caption(t("quality.intro"))
status = lake_info()  # the empty-lake guidance stops the page here

st.subheader(t("quality.freshness_title"))
fresh = fetch("freshness")
view_chart(
    quality.freshness_chart(fresh),
    filename="du-lieu-cap-nhat",
    meta=quality.file_meta(t("quality.freshness_title"), "freshness", status=status),
    key="freshness",
)

st.subheader(t("quality.log_title"))
log = fetch("load_log")
if log.is_empty():
    st.info(t("quality.log_empty"))
else:
    view_chart(
        quality.load_log_chart(log),
        filename="nhat-ky-nap-du-lieu",
        meta=quality.file_meta(t("quality.log_title"), "load_log", status=status),
        key="load-log",
    )

st.subheader(t("quality.reasons_title"))
summary = fetch("quarantine_summary")
if summary.is_empty():
    st.success(t("quality.no_quarantine"), icon=":material/check_circle:")
    st.stop()
view_chart(
    quality.reasons_chart(summary),
    filename="cach-ly-theo-ly-do",
    meta=quality.file_meta(t("quality.reasons_title"), "quarantine_summary", status=status),
    key="reasons",
)
with st.expander(t("quality.by_file_title")):
    view_tabs(
        None,
        quality.summary_table(summary),
        filename="cach-ly-theo-tep",
        meta=quality.file_meta(t("quality.by_file_title"), "quarantine_summary", status=status),
        key="by-file",
    )

st.subheader(t("quality.rows_title"))
if aggregates_only():  # public mode: no raw values of the files (docs/security.md)
    st.info(t("access.public_no_quarantine"), icon=":material/lock:")
    st.stop()
left, right = st.columns(2)
reason_options = quality.reason_choices(summary)
file_options = quality.file_choices(summary)
reason = filters.select("reason", reason_options, label=t("quality.reason"), default="", container=left)
source_file = filters.select("file", file_options, label=t("quality.file"), default="", container=right)
where = {t("quality.reason"): reason_options[reason], t("quality.file"): file_options[source_file]}
matching = quality.cells_matching(summary, reason, source_file)
params = {"reason": reason or None, "source_file": source_file or None}
rows = fetch("quarantine_rows", **params, limit=QUARANTINE_ROWS_SHOWN, offset=0)
if rows.is_empty():
    st.info(t("quality.rows_hidden") if current_scope() is not None else t("common.no_data_for_selection"))
    st.stop()
st.caption(t("quality.rows_shown", shown=fmt.integer(rows.height), total=fmt.integer(matching)))


def whole_set() -> pl.DataFrame:
    """Every quarantined value of the filters (not just the rows shown), read when a button is clicked
    (on another thread: view_tabs binds it to this run's viewer and language, ui.fetch.bind_viewer)."""
    return quality.quarantine_rows_table(fetch("quarantine_rows", **params, limit=max(matching, 1), offset=0))


view_tabs(
    None,
    quality.quarantine_rows_table(rows),
    filename="cach-ly-dong",
    meta=quality.file_meta(
        t("quality.rows_title"),
        "quarantine_rows",
        status=status,
        filters=where,
        notes=[t("quality.rows_download_note", total=fmt.integer(matching))],
    ),
    download=whole_set,
    key="quarantine-rows",
)
