"""How each unit resolves its dossiers: resolved early, on time (on the due date) and late as stacked bars,
with the dossiers in progress and overdue at the period's end, the median and 90th-percentile processing
days beside them (the dossier measures of dossier_kpis that the command line gives).

    chart = timeliness.chart(fetch("dossier_kpis", year=2026, level="commune", province_code="01"))

Input: dossier_kpis rows (unit_code, unit_name, period_start, resolved, resolved_on_time, resolved_early,
resolved_late, in_progress, overdue_in_progress, median_processing_days, p90_processing_days, approximate);
the last year of the frame, each code's latest part of it. "On time" in dossier_kpis includes the early
ones; the bars split it: early, on the due date (on time − early), late.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui import theme
from ui.charts.common import Chart, figure_builder, label_columns
from ui.format import sort_units
from ui.i18n import current_lang, t

ROW_HEIGHT = 24
PARTS = ("resolved_early", "resolved_due_day", "resolved_late")
COLOURS = {
    "resolved_early": theme.OKABE_ITO["bluish_green"],
    "resolved_due_day": theme.OKABE_ITO["sky_blue"],
    "resolved_late": theme.OKABE_ITO["vermillion"],
}
SCHEMA = {
    "unit_code": pl.String,
    "unit_name": pl.String,
    "resolved": pl.Int64,
    "resolved_early": pl.Int64,
    "resolved_due_day": pl.Int64,
    "resolved_late": pl.Int64,
    "early_pct": pl.Float64,
    "due_day_pct": pl.Float64,
    "late_pct": pl.Float64,
    "in_progress": pl.Int64,
    "overdue_in_progress": pl.Int64,
    "median_processing_days": pl.Float64,
    "p90_processing_days": pl.Float64,
    "approximate": pl.Boolean,
}


def timeliness_frame(kpis: pl.DataFrame) -> pl.DataFrame:
    """One row per unit with dossiers resolved, most late share first: counts, the shares of resolved
    (percent; empty with nothing resolved), in progress, overdue in progress, median and p90 days."""
    if kpis.is_empty():
        return pl.DataFrame(schema=SCHEMA)
    last = kpis.get_column("period_start").max().year
    cur = kpis.filter(pl.col("period_start").dt.year() == last)
    cur = cur.sort("period_start").unique(subset="unit_code", keep="last", maintain_order=True)
    if "approximate" not in cur.columns:
        cur = cur.with_columns(pl.lit(None, dtype=pl.Boolean).alias("approximate"))
    resolved = pl.col("resolved").cast(pl.Float64)

    def share(column: str) -> pl.Expr:
        return pl.when(resolved > 0).then(100.0 * pl.col(column) / resolved).otherwise(None)

    out = cur.with_columns((pl.col("resolved_on_time") - pl.col("resolved_early")).alias("resolved_due_day"))
    out = out.with_columns(
        share("resolved_early").alias("early_pct"),
        share("resolved_due_day").alias("due_day_pct"),
        share("resolved_late").alias("late_pct"),
    )
    out = sort_units(out).with_row_index("__order")
    out = out.sort(["late_pct", "__order"], descending=[True, False], nulls_last=True)
    return out.select(list(SCHEMA)).cast(SCHEMA)


def chart(kpis: pl.DataFrame, *, lang: str | None = None) -> Chart:
    """Stacked bars of the shares resolved early, on the due date and late per unit; table: the counts,
    shares, in progress, overdue, median and p90 days."""
    lang = lang or current_lang()
    data = timeliness_frame(kpis)
    labels = {
        "resolved": t("reform.col_resolved", lang),
        "resolved_early": t("reform.col_resolved_early", lang),
        "resolved_due_day": t("reform.col_resolved_due_day", lang),
        "resolved_late": t("reform.col_resolved_late", lang),
        "early_pct": t("reform.col_early_pct", lang),
        "due_day_pct": t("reform.col_due_day_pct", lang),
        "late_pct": t("reform.col_late_pct", lang),
        "in_progress": t("reform.col_in_progress", lang),
        "overdue_in_progress": t("reform.col_overdue_in_progress", lang),
        "median_processing_days": t("reform.col_median_days", lang),
        "p90_processing_days": t("reform.col_p90_days", lang),
        "approximate": t("col.approximate", lang),
    }
    return Chart(label_columns(data, lang, labels), lambda: _draw(data, lang))


figure = figure_builder(chart)


def _hover(r: dict, part: str, pct: str, lang: str) -> str:
    days = "days"
    return "<br>".join(
        (
            f"<b>{r['unit_name']}</b>",
            f"{t(f'reform.col_{part}', lang)}: {fmt.integer(r[part], lang)} ({fmt.value(r[pct], '%', 1, lang)})",
            f"{t('reform.col_overdue_in_progress', lang)}: {fmt.integer(r['overdue_in_progress'], lang)}"
            f" / {fmt.integer(r['in_progress'], lang)}",
            f"{t('reform.col_median_days', lang)}: {fmt.value(r['median_processing_days'], days, 1, lang)}",
            f"{t('reform.col_p90_days', lang)}: {fmt.value(r['p90_processing_days'], days, 1, lang)}",
        )
    )


def _draw(data: pl.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure()
    rows = data.filter(pl.col("resolved") > 0).to_dicts()
    names = [r["unit_name"] for r in rows]
    for part, pct in zip(PARTS, ("early_pct", "due_day_pct", "late_pct"), strict=True):
        fig.add_trace(
            go.Bar(
                x=[r[pct] for r in rows],
                y=names,
                orientation="h",
                name=t(f"reform.col_{part}", lang),
                marker={"color": COLOURS[part]},
                hovertext=[_hover(r, part, pct, lang) for r in rows],
                hoverinfo="text",
            )
        )
    fig.update_layout(barmode="stack", bargap=0.25)
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", title=None)
    fig.update_xaxes(range=[0, 100], title=t("reform.share_resolved", lang), ticksuffix="%")
    return theme.style(fig, lang, height=max(280, 150 + ROW_HEIGHT * len(rows)))
