"""Data quality (the Dữ liệu page): the load log, quarantined values by reason, freshness per source.

    load_log_chart(log)                    input: load_log rows      (rows accepted / quarantined per file)
    reasons_chart(summary)                 input: quarantine_summary (rows per reason, with its meaning)
    quarantine_rows_table(rows)            input: quarantine_rows    (the labelled table / download frame)
    freshness_chart(fresh, today=...)      input: freshness          (period covered per source, data as of)

Each `*_chart` returns a Chart (ui/charts/common.py): the figure and the frame behind it with headers in
the current language; `*_figure(..., return_df=False)` gives either. Reasons are explained with
queries.vocabulary.REASONS (English) and the dictionaries' `quarantine_reason.*` (Vietnamese). Builders
never query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any

import plotly.graph_objects as go
import polars as pl

from queries.vocabulary import REASONS
from ui import format as fmt
from ui import theme
from ui.charts.common import Chart, each, figure_builder, label_columns, right_labels
from ui.i18n import current_lang, has, t

ROW_HEIGHT = 30
ACCEPTED = theme.OKABE_ITO["bluish_green"]
QUARANTINED = theme.OKABE_ITO["vermillion"]
LOG_ROWS_PLOTTED = 25


# ------------------------------------------------------------------------------------------------
# Labels and metadata
# ------------------------------------------------------------------------------------------------
def reason_text(code: str | None, lang: str | None = None) -> str:
    """What a quarantine reason code means, in the language (queries.vocabulary.REASONS in English)."""
    lang = lang or current_lang()
    if code is None:
        return fmt.NA
    key = f"quarantine_reason.{code}"
    if lang == "en" and code in REASONS:  # the contract's wording is the English source of truth
        return REASONS[code]
    if has(key, lang):
        return t(key, lang)
    return REASONS.get(code, code)


def kind_label(kind: str | None, lang: str | None = None) -> str:
    lang = lang or current_lang()
    if kind is None:
        return fmt.NA
    key = f"source_kind.{kind}"
    return t(key, lang) if has(key, lang) else kind


def file_name(path: str | None) -> str | None:
    """The file name of a source path as logged (folders are the loading machine's, not the user's)."""
    if path is None:
        return None
    return PurePath(path.replace("\\", "/")).name or path


def file_meta(
    title: str,
    query: str,
    *,
    status: Mapping[str, Any] | None = None,
    filters: Mapping[str, Any] | None = None,
    notes: Iterable[str] = (),
    lang: str | None = None,
) -> dict[str, Any]:
    """The `meta` of ui.views.view_tabs for the data-quality tables (source: the ETL's own records)."""
    lang = lang or current_lang()
    status = status or {}
    demo = f" — {t('app.demo_short', lang)}" if status.get("is_demo") else ""
    return {
        "title": title,
        "filters": dict(filters or {}),
        "source": t("quality.source", lang) + demo,
        "query": query,
        # the ETL's records are as of the last publication (a time), not a day the data cover
        "published_at": status.get("published_at"),
        "notes": list(notes),
    }


# ------------------------------------------------------------------------------------------------
# Load log
# ------------------------------------------------------------------------------------------------
LOG_SCHEMA = {
    "load_id": pl.Int64,
    "kind": pl.String,
    "file": pl.String,
    "rows_read": pl.Int64,
    "rows_accepted": pl.Int64,
    "rows_quarantined": pl.Int64,
    "quarantined_pct": pl.Float64,
    "started_at": pl.Datetime("us"),
    "finished_at": pl.Datetime("us"),
    "seconds": pl.Float64,
    "status": pl.String,
    "message": pl.String,
    "is_demo": pl.Boolean,
    "sha256": pl.String,
    "source_file": pl.String,
}


def load_log_frame(log: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """The load log newest first: load_id, kind (label), file, rows_read, rows_accepted,
    rows_quarantined, quarantined_pct, started_at, finished_at, seconds, status, message, is_demo,
    sha256, source_file."""
    lang = lang or current_lang()
    if log.is_empty():
        return pl.DataFrame(schema=LOG_SCHEMA)
    out = log.with_columns(
        each(log.get_column("kind"), lambda k: kind_label(k, lang)).alias("kind"),
        each(log.get_column("source_file"), file_name).alias("file"),
        (100.0 * pl.col("rows_quarantined") / pl.when(pl.col("rows_read") > 0).then(pl.col("rows_read"))).alias(
            "quarantined_pct"
        ),
        ((pl.col("finished_at") - pl.col("started_at")).dt.total_milliseconds() / 1000.0).alias("seconds"),
    )
    return out.select(list(LOG_SCHEMA)).cast(LOG_SCHEMA)


def load_log_chart(log: pl.DataFrame, *, lang: str | None = None) -> Chart:
    """Rows accepted and quarantined per loaded file (the latest files), newest at the top."""
    lang = lang or current_lang()
    data = load_log_frame(log, lang)
    return Chart(label_columns(data, lang, _labels(lang)), lambda: _draw_load_log(data, lang))


load_log_figure = figure_builder(load_log_chart)


def _draw_load_log(data: pl.DataFrame, lang: str) -> go.Figure:
    rows = data.head(LOG_ROWS_PLOTTED).to_dicts()
    labels = [f"#{r['load_id']} · {r['kind']} · {r['file']}" for r in rows]
    fig = go.Figure()
    for key, name, colour in (
        ("rows_accepted", t("xcol.rows_accepted", lang), ACCEPTED),
        ("rows_quarantined", t("xcol.rows_quarantined", lang), QUARANTINED),
    ):
        fig.add_trace(
            go.Bar(
                x=[r[key] for r in rows],
                y=labels,
                orientation="h",
                name=name,
                marker={"color": colour},
                hovertext=[
                    f"<b>{r['file']}</b><br>{name}: {fmt.integer(r[key], lang)} / {fmt.integer(r['rows_read'], lang)}"
                    f"<br>{fmt.datetime(r['finished_at'], lang)}"
                    for r in rows
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(barmode="stack", bargap=0.3)
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", title=None)
    fig.update_xaxes(title=t("xcol.rows", lang), tickformat=",d")
    return theme.style(fig, lang, height=max(260, 110 + ROW_HEIGHT * len(rows)))


# ------------------------------------------------------------------------------------------------
# Quarantine
# ------------------------------------------------------------------------------------------------
REASONS_SCHEMA = {"reason": pl.String, "meaning": pl.String, "rows": pl.Int64, "cells": pl.Int64, "files": pl.Int64}


def reasons_frame(summary: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """Quarantine counts per reason over every file, most rows first: reason, meaning, rows, cells,
    files."""
    lang = lang or current_lang()
    if summary.is_empty():
        return pl.DataFrame(schema=REASONS_SCHEMA)
    out = (
        summary.group_by("reason")
        .agg(
            pl.col("rows").sum().alias("rows"),
            pl.col("cells").sum().alias("cells"),
            pl.struct("load_id", "source_file").n_unique().alias("files"),
        )
        .pipe(lambda f: f.with_columns(each(f.get_column("reason"), lambda r: reason_text(r, lang)).alias("meaning")))
        .sort(["rows", "cells", "reason"], descending=[True, True, False])
    )
    return out.select(list(REASONS_SCHEMA)).cast(REASONS_SCHEMA)


def reasons_chart(summary: pl.DataFrame, *, lang: str | None = None) -> Chart:
    """Quarantined rows per reason, each bar labelled with what the reason means."""
    lang = lang or current_lang()
    data = reasons_frame(summary, lang)
    return Chart(label_columns(data, lang, _labels(lang)), lambda: _draw_reasons(data, lang))


reasons_figure = figure_builder(reasons_chart)


def _draw_reasons(data: pl.DataFrame, lang: str) -> go.Figure:
    rows = data.to_dicts()
    labels = [f"{r['meaning']} ({r['reason']})" for r in rows]
    fig = go.Figure(
        go.Bar(
            x=[r["rows"] for r in rows],
            y=labels,
            orientation="h",
            marker={"color": QUARANTINED},
            text=[fmt.integer(r["rows"], lang) for r in rows],
            textposition="outside",
            cliponaxis=False,
            hovertext=[
                f"<b>{r['meaning']}</b> ({r['reason']})<br>{t('xcol.rows', lang)}: {fmt.integer(r['rows'], lang)}"
                f" · {t('xcol.cells', lang)}: {fmt.integer(r['cells'], lang)} · {t('xcol.files', lang)}: "
                f"{fmt.integer(r['files'], lang)}"
                for r in rows
            ],
            hoverinfo="text",
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", title=None)
    fig.update_xaxes(title=t("xcol.rows", lang), tickformat=",d", rangemode="tozero")
    return theme.style(fig, lang, height=max(240, 110 + ROW_HEIGHT * len(rows)))


def summary_table(summary: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """quarantine_summary labelled: load, kind, file, reason, meaning, rows, cells."""
    lang = lang or current_lang()
    if summary.is_empty():
        return label_columns(
            pl.DataFrame(
                schema={
                    "load_id": pl.Int64,
                    "kind": pl.String,
                    "file": pl.String,
                    "reason": pl.String,
                    "meaning": pl.String,
                    "rows": pl.Int64,
                    "cells": pl.Int64,
                }
            ),
            lang,
            _labels(lang),
        )
    out = summary.select(
        "load_id",
        each(summary.get_column("kind"), lambda k: kind_label(k, lang)).alias("kind"),
        each(summary.get_column("source_file"), file_name).alias("file"),
        "reason",
        each(summary.get_column("reason"), lambda r: reason_text(r, lang)).alias("meaning"),
        "rows",
        "cells",
    )
    return label_columns(out, lang, _labels(lang))


def reason_choices(summary: pl.DataFrame, lang: str | None = None) -> dict[str, str]:
    """reason code -> "meaning (code)", most rows first; "" = every reason."""
    lang = lang or current_lang()
    out = {"": t("quality.all_reasons", lang)}
    for r in reasons_frame(summary, lang).iter_rows(named=True):
        out[r["reason"]] = f"{r['meaning']} ({r['reason']})"
    return out


def file_choices(summary: pl.DataFrame, lang: str | None = None) -> dict[str, str]:
    """source file -> "file (load #n)"; "" = every file."""
    lang = lang or current_lang()
    out = {"": t("quality.all_files", lang)}
    if summary.is_empty():
        return out
    files = summary.group_by("source_file").agg(pl.col("load_id").max()).sort("load_id", descending=True)
    for r in files.iter_rows(named=True):
        out[r["source_file"]] = f"{file_name(r['source_file'])} (#{r['load_id']})"
    return out


def cells_matching(summary: pl.DataFrame, reason: str | None, source_file: str | None) -> int:
    """How many quarantined values quarantine_rows returns for these filters (its whole set)."""
    if summary.is_empty():
        return 0
    rows = summary
    if reason:
        rows = rows.filter(pl.col("reason") == reason)
    if source_file:
        rows = rows.filter(pl.col("source_file") == source_file)
    return int(rows.get_column("cells").sum() or 0)


def quarantine_rows_table(rows: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """quarantine_rows labelled, with the reason's meaning: load, file, row, column, raw value, reason,
    meaning, raw record."""
    lang = lang or current_lang()
    schema = {
        "load_id": pl.Int64,
        "file": pl.String,
        "row_number": pl.Int64,
        "column_name": pl.String,
        "raw_value": pl.String,
        "reason": pl.String,
        "meaning": pl.String,
        "raw_record": pl.String,
    }
    if rows.is_empty():
        return label_columns(pl.DataFrame(schema=schema), lang, _labels(lang))
    meanings = {r: reason_text(r, lang) for r in rows.get_column("reason").unique().to_list()}
    files = {f: file_name(f) for f in rows.get_column("source_file").unique().to_list()}
    out = rows.select(
        "load_id",
        pl.col("source_file").replace_strict(files, default=None, return_dtype=pl.String).alias("file"),
        "row_number",
        "column_name",
        "raw_value",
        "reason",
        pl.col("reason").replace_strict(meanings, default=None, return_dtype=pl.String).alias("meaning"),
        "raw_record",
    ).cast(schema)
    return label_columns(out, lang, _labels(lang))


# ------------------------------------------------------------------------------------------------
# Freshness
# ------------------------------------------------------------------------------------------------
FRESHNESS_SCHEMA = {
    "kind": pl.String,
    "source": pl.String,
    "table_rows": pl.Int64,
    "data_from": pl.Date,
    "data_as_of": pl.Date,
    "age_days": pl.Int64,
    "files_loaded": pl.Int64,
    "rows_quarantined": pl.Int64,
    "last_loaded_at": pl.Datetime("us"),
    "last_file": pl.String,
}


def freshness_frame(fresh: pl.DataFrame, today: dt.date | None = None, lang: str | None = None) -> pl.DataFrame:
    """One row per source: kind, source (label), table_rows, data_from, data_as_of, age_days (days from
    data as of to `today`), files_loaded, rows_quarantined, last_loaded_at, last_file."""
    lang = lang or current_lang()
    if fresh.is_empty():
        return pl.DataFrame(schema=FRESHNESS_SCHEMA)
    today = today or dt.date.today()
    out = fresh.with_columns(
        each(fresh.get_column("kind"), lambda k: kind_label(k, lang)).alias("source"),
        (pl.lit(today) - pl.col("data_as_of").cast(pl.Date)).dt.total_days().alias("age_days"),
        each(fresh.get_column("last_source_file"), file_name).alias("last_file"),
    )
    return out.select(list(FRESHNESS_SCHEMA)).cast(FRESHNESS_SCHEMA)


def freshness_chart(fresh: pl.DataFrame, *, today: dt.date | None = None, lang: str | None = None) -> Chart:
    """The period each source covers (first → last day of its data) on a time axis, labelled with
    "data as of"; sources without rows are listed with "no data"."""
    lang = lang or current_lang()
    data = freshness_frame(fresh, today, lang)
    return Chart(label_columns(data.drop("kind"), lang, _labels(lang)), lambda: _draw_freshness(data, lang))


freshness_figure = figure_builder(freshness_chart)


def _draw_freshness(data: pl.DataFrame, lang: str) -> go.Figure:
    rows = data.to_dicts()
    labels = [r["source"] for r in rows]
    day_ms = 86_400_000
    fig = go.Figure(
        go.Bar(
            base=[None if r["data_from"] is None else r["data_from"].isoformat() for r in rows],
            x=[
                None if r["data_from"] is None else ((r["data_as_of"] - r["data_from"]).days + 1) * day_ms for r in rows
            ],
            y=labels,
            orientation="h",
            marker={"color": theme.OKABE_ITO["sky_blue"]},
            hovertext=[_freshness_hover(r, lang) for r in rows],
            hoverinfo="text",
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", title=None)
    fig.update_xaxes(type="date", title=None, tickformat="%m/%Y" if lang == "vi" else "%Y-%m")
    fig = theme.style(fig, lang, height=max(240, 110 + ROW_HEIGHT * len(rows)))
    texts = [
        t("quality.no_rows", lang)
        if r["data_as_of"] is None
        else f"{t('meta.as_of', lang)} {fmt.date(r['data_as_of'], lang)}"
        for r in rows
    ]
    return right_labels(fig, labels, texts)  # beside the bars, never cut off at the plot's edge


def _freshness_hover(r: dict[str, Any], lang: str) -> str:
    parts = [f"<b>{r['source']}</b>", f"{t('xcol.table_rows', lang)}: {fmt.integer(r['table_rows'], lang)}"]
    if r["data_from"] is not None:
        parts.append(f"{fmt.date(r['data_from'], lang)} – {fmt.date(r['data_as_of'], lang)}")
    if r["last_loaded_at"] is not None:
        parts.append(f"{t('xcol.last_loaded_at', lang)}: {fmt.datetime(r['last_loaded_at'], lang)}")
    return "<br>".join(parts)


# ------------------------------------------------------------------------------------------------
def _labels(lang: str) -> dict[str, str]:
    keys = (
        "load_id",
        "kind",
        "file",
        "rows_read",
        "rows_accepted",
        "rows_quarantined",
        "quarantined_pct",
        "started_at",
        "finished_at",
        "seconds",
        "message",
        "is_demo",
        "sha256",
        "source_file",
        "reason",
        "meaning",
        "rows",
        "cells",
        "files",
        "row_number",
        "column_name",
        "raw_value",
        "raw_record",
        "source",
        "table_rows",
        "data_from",
        "data_as_of",
        "age_days",
        "files_loaded",
        "last_loaded_at",
        "last_file",
    )
    out = {k: t(f"xcol.{k}", lang) for k in keys}
    out["status"] = t("xcol.load_status", lang)
    return out
