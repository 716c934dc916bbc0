"""Early warning on dossiers about to go late (query dossiers_due), as two page parts:

    overview_section(province, province_name)   the Overview's "Sắp quá hạn" section: dossiers due
                                                within N working days or overdue per unit (chart, table,
                                                the 766 points at risk), per procedure, the list, downloads
    explorer_filter()                           the explorer's "due" filter: "" (all dossiers) or the
                                                working days of the horizon, bound to ?due=
    explorer_view(params, days, where)          the explorer's table and download when that filter is set

Working days are Monday to Friday less the official days off of data/reference/calendar/holidays.csv
(queries/models/working_days.sql). The list is row-level (`access: detail`): in the public mode the
section says so and shows nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
import streamlit as st

from ui import filters, t, view_chart, view_tabs
from ui import format as fmt
from ui.charts import due_soon
from ui.fetch import aggregates_only, fetch, lake_status

DAY_CHOICES: tuple[int, ...] = (1, 2, 3, 5, 10)
DEFAULT_DAYS = 3
QUERY = "dossiers_due"


def _meta(title: str, where: Mapping[str, Any], rows: pl.DataFrame) -> dict[str, Any]:
    status = lake_status() or {}
    demo = f" — {t('app.demo_short')}" if status.get("is_demo") else ""
    head = due_soon.totals(rows)
    return {
        "title": title,
        "filters": dict(where),
        "source": t("due.source") + demo,
        "methodology": t("due.methodology"),
        "query": QUERY,
        "as_of": head["as_of"],
        "notes": [t("due.working_days_note"), t("due.points_note"), t("explorer.no_personal_data")],
    }


def _summary(head: dict, days: int) -> str:
    """One sentence: how many dossiers are due soon and overdue, in how many units, by when, as of when."""
    return t(
        "due.summary",
        due_soon=fmt.integer(head["due_soon"]),
        overdue=fmt.integer(head["overdue"]),
        units=fmt.integer(head["units"]),
        horizon=_days_label(days),
        due_by=fmt.date(head["due_by"]),
        as_of=fmt.date(head["as_of"]),
    )


def _days_label(days: int) -> str:
    return t("due.days_option_one") if days == 1 else t("due.days_option", n=days)


def overview_section(province: str, province_name: str) -> None:
    """The "Sắp quá hạn" section of the Overview for one province."""
    st.subheader(t("due.title", province=province_name))
    if aggregates_only():  # public mode: no individual dossiers (docs/security.md)
        st.info(t("due.public"), icon=":material/lock:")
        return
    days = filters.select(
        "due_days", list(DAY_CHOICES), label=t("due.days"), default=DEFAULT_DAYS, format_func=_days_label
    )
    rows = fetch(QUERY, days=days, province_code=province)
    head = due_soon.totals(rows)
    if rows.is_empty():
        st.success(t("due.none", horizon=_days_label(days)), icon=":material/event_available:")
        st.caption(t("due.working_days_note"))
        return
    st.markdown(_summary(head, days))
    where = {t("filter.province"): province_name, t("due.days"): _days_label(days)}
    title = t("due.units_title", province=province_name)
    view_chart(
        due_soon.units_chart(rows),
        filename=f"sap-qua-han-{province}-{days}",
        meta=_meta(title, where, rows),
        key="due-units",
        view_key=("due-units", province, days),
    )
    with st.expander(t("due.procedures_title")):
        view_tabs(
            None,
            due_soon.procedures_frame(rows),
            filename=f"sap-qua-han-thu-tuc-{province}-{days}",
            meta=_meta(t("due.procedures_title"), where, rows),
            key="due-procedures",
            view_key=("due-procedures", province, days),
        )
    with st.expander(t("due.list_title", n=fmt.integer(rows.height))):
        view_tabs(
            None,
            due_soon.dossier_table(rows),
            filename=f"sap-qua-han-ho-so-{province}-{days}",
            meta=_meta(t("due.list_title", n=fmt.integer(rows.height)), where, rows),
            key="due-dossiers",
            view_key=("due-dossiers", province, days),
            height=min(38 + 35 * rows.height, 600),
        )


def explorer_filter() -> int | None:
    """The explorer's due filter (sidebar, ?due=N): the horizon in working days, or None for all dossiers."""
    options: dict[Any, str] = {"": t("explorer.all"), **{str(d): _days_label(d) for d in DAY_CHOICES}}
    chosen = filters.select("due", options, label=t("due.filter"), default="")
    return int(chosen) if chosen else None


def explorer_view(params: Mapping[str, Any], days: int, where: Mapping[str, Any]) -> None:
    """The explorer's table when the due filter is set: the dossiers of dossiers_due under the page's
    province and unit, narrowed by its field, procedure, status and channel."""
    rows = fetch(QUERY, days=days, province_code=params.get("province_code"), unit_code=params.get("unit_code"))
    for column in ("field_code", "procedure_code", "status", "channel"):
        if params.get(column):
            rows = rows.filter(pl.col(column) == params[column])
    head = due_soon.totals(rows)
    # the received dates do not narrow the list: a dossier due now may have been received any time
    where = {k: v for k, v in where.items() if k not in (t("explorer.received_from"), t("explorer.received_to"))}
    st.subheader(t("explorer.count", n=fmt.integer(rows.height)))
    if rows.is_empty():
        st.info(t("due.none", horizon=_days_label(days)))
        return
    st.caption(_summary(head, days))
    view_tabs(
        None,
        due_soon.dossier_table(rows),
        filename=f"ho-so-sap-qua-han-{params.get('province_code') or 'tat-ca'}-{days}",
        meta=_meta(
            t("due.list_title", n=fmt.integer(rows.height)), {**where, t("due.filter"): _days_label(days)}, rows
        ),
        key="explorer-due",
        height=min(38 + 35 * rows.height, 600),
    )
