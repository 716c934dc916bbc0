"""Early warning: the dossiers in progress due within a few working days or already overdue (query
dossiers_due), for the Overview's "Sắp quá hạn" section and the explorer's due filter.

    units_chart(rows)        dossiers_due -> per unit: due soon and overdue (stacked bars) and the
                             Decision 766 points at risk; the frame: unit_code, unit_name, due_soon,
                             overdue, points_at_risk, approximate
    procedures_frame(rows)   per unit × procedure: due soon, overdue (the labelled table)
    dossier_table(rows)      the dossiers, labelled in the language (the list and its download)
    totals(rows)             {"as_of", "due_by", "due_soon", "overdue", "units"} of the rows

The rows never carry applicant personal data: dossiers_due selects the dossier number, procedure and
dates only. Builders never query.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui import theme
from ui.charts.common import Chart, figure_builder, label_columns
from ui.charts.dossiers import CHANNELS, STATUSES
from ui.i18n import current_lang, t

DUE_SOON = theme.OKABE_ITO["orange"]
OVERDUE = theme.OKABE_ITO["vermillion"]
ROW_HEIGHT = 30
UNITS_PLOTTED = 30

UNITS_SCHEMA = {
    "unit_code": pl.String,
    "unit_name": pl.String,
    "due_soon": pl.Int64,
    "overdue": pl.Int64,
    "points_at_risk": pl.Float64,
    "approximate": pl.Boolean,
}
PROCEDURES_SCHEMA = {
    "unit_code": pl.String,
    "unit_name": pl.String,
    "procedure_code": pl.String,
    "procedure_name": pl.String,
    "due_soon": pl.Int64,
    "overdue": pl.Int64,
}
DOSSIER_COLUMNS: tuple[str, ...] = (
    "dossier_id",
    "unit_code",
    "unit_name",
    "procedure_code",
    "procedure_name",
    "received_date",
    "due_date",
    "working_days_left",
    "is_overdue",
    "status",
    "channel",
)


def _labels(lang: str) -> dict[str, str]:
    columns = (*UNITS_SCHEMA, *PROCEDURES_SCHEMA, *DOSSIER_COLUMNS)
    return {c: t(f"due.col_{c}", lang) for c in dict.fromkeys(columns)}


def totals(rows: pl.DataFrame) -> dict[str, Any]:
    """The day the list is as of, the last day of its horizon, and the dossiers and units it holds."""
    if rows.is_empty():
        return {"as_of": None, "due_by": None, "due_soon": 0, "overdue": 0, "units": 0}
    overdue = int(rows.get_column("is_overdue").sum())
    return {
        "as_of": rows.get_column("as_of")[0],
        "due_by": rows.get_column("due_by")[0],
        "due_soon": rows.height - overdue,
        "overdue": overdue,
        "units": rows.get_column("unit_code").n_unique(),
    }


def units_frame(rows: pl.DataFrame) -> pl.DataFrame:
    """One row per unit (the query repeats its counts on each of its dossiers), most points at risk
    first, then most dossiers due soon."""
    if rows.is_empty():
        return pl.DataFrame(schema=UNITS_SCHEMA)
    out = rows.group_by("unit_code").agg(
        pl.col("unit_name").first(),
        pl.col("unit_due_soon").first().alias("due_soon"),
        pl.col("unit_overdue").first().alias("overdue"),
        pl.col("points_at_risk").first(),
        pl.col("approximate").any(),
    )
    out = out.sort(["points_at_risk", "due_soon", "overdue", "unit_code"], descending=[True, True, True, False])
    return out.select(list(UNITS_SCHEMA)).cast(UNITS_SCHEMA)


def units_chart(rows: pl.DataFrame, *, lang: str | None = None) -> Chart:
    """Dossiers due soon and overdue per unit (stacked bars), the points at risk in the hover and the
    table."""
    lang = lang or current_lang()
    data = units_frame(rows)
    labels = _labels(lang)
    return Chart(label_columns(data, lang, labels), lambda: _draw_units(data, lang))


units_figure = figure_builder(units_chart)


def _draw_units(data: pl.DataFrame, lang: str) -> go.Figure:
    rows = data.head(UNITS_PLOTTED).to_dicts()
    names = [f"{r['unit_name'] or r['unit_code']} ({r['unit_code']})" for r in rows]
    fig = go.Figure()
    for key, colour in (("due_soon", DUE_SOON), ("overdue", OVERDUE)):
        fig.add_trace(
            go.Bar(
                x=[r[key] for r in rows],
                y=names,
                orientation="h",
                name=t(f"due.col_{key}", lang),
                marker={"color": colour},
                hovertext=[
                    f"<b>{name}</b><br>{t(f'due.col_{key}', lang)}: {fmt.integer(r[key], lang)}"
                    f"<br>{t('due.col_points_at_risk', lang)}: {fmt.value(r['points_at_risk'], 'points', 2, lang)}"
                    for name, r in zip(names, rows, strict=True)
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(barmode="stack", bargap=0.3)
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", title=None)
    fig.update_xaxes(title=t("due.axis_dossiers", lang), tickformat=",d")
    return theme.style(fig, lang, height=max(240, 110 + ROW_HEIGHT * len(rows)))


def procedures_frame(rows: pl.DataFrame, *, lang: str | None = None) -> pl.DataFrame:
    """Dossiers due soon and overdue per unit and procedure, labelled; the units in the order of
    units_frame, the procedures with most dossiers first."""
    lang = lang or current_lang()
    if rows.is_empty():
        return label_columns(pl.DataFrame(schema=PROCEDURES_SCHEMA), lang, _labels(lang))
    order = units_frame(rows).with_row_index("unit_order").select("unit_code", "unit_order")
    out = (
        rows.group_by("unit_code", "procedure_code")
        .agg(
            pl.col("unit_name").first(),
            pl.col("procedure_name").first(),
            pl.col("procedure_due_soon").first().alias("due_soon"),
            pl.col("procedure_overdue").first().alias("overdue"),
        )
        .join(order, on="unit_code")
        .with_columns((pl.col("due_soon") + pl.col("overdue")).alias("listed"))
        .sort(["unit_order", "listed", "procedure_code"], descending=[False, True, False])
    )
    return label_columns(out.select(list(PROCEDURES_SCHEMA)).cast(PROCEDURES_SCHEMA), lang, _labels(lang))


def dossier_table(rows: pl.DataFrame, *, lang: str | None = None) -> pl.DataFrame:
    """The dossiers in the query's order (unit, overdue first, due date) with statuses, channels and
    yes/no in the language."""
    lang = lang or current_lang()
    if rows.is_empty():
        rows = pl.DataFrame(schema={c: rows.schema.get(c, pl.String) for c in DOSSIER_COLUMNS})
    yes, no = t("explorer.yes", lang), t("explorer.no", lang)
    statuses = {s: t(f"dossier_status.{s}", lang) for s in STATUSES}
    channels = {c: t(f"dossier_channel.{c}", lang) for c in CHANNELS}
    out = rows.select(list(DOSSIER_COLUMNS)).with_columns(
        pl.col("status").replace_strict(statuses, default=pl.col("status"), return_dtype=pl.String),
        pl.col("channel").replace_strict(channels, default=pl.col("channel"), return_dtype=pl.String),
        pl.when(pl.col("is_overdue")).then(pl.lit(yes)).otherwise(pl.lit(no)).alias("is_overdue"),
    )
    return label_columns(out, lang, _labels(lang))
