"""Reform plans (the Kế hoạch page): a province's yearly CCHC plan, item by item (queries plan_progress,
plan_timeline, plan_items_status).

    headline(progress)                 {"target": (done, items), "task": (done, items)} of the plan's totals
    timeline_chart(timeline)           items done and late at the end of each month or quarter, and the
                                       items due by then (a line); the frame: period_last_day, item_type,
                                       items, due, done, late, done_share
    groups_table(progress)             done, on schedule and late per group of the plan, labelled
    late_table(items)                  the late items with their lead units, most days late first, labelled
    targets_table(items, values)       the targets naming an indicator the dashboard computes, with the
                                       indicator's value beside them (values: indicator -> (value, unit,
                                       scale, year))

Builders never query.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui import theme
from ui.charts.common import Chart, figure_builder, label_columns
from ui.i18n import current_lang, t

DONE = theme.OKABE_ITO["bluish_green"]
LATE = theme.OKABE_ITO["vermillion"]
DUE = theme.OKABE_ITO["black"]
ITEM_TYPES: tuple[str, ...] = ("task", "target")

TIMELINE_COLUMNS: tuple[str, ...] = ("period_last_day", "item_type", "items", "due", "done", "late", "done_share")
GROUP_COLUMNS: tuple[str, ...] = ("breakdown_value", "item_type", "items", "done", "done_late", "on_schedule", "late")
LATE_COLUMNS: tuple[str, ...] = (
    "item_code", "item_type", "group_name", "description", "lead_unit", "deadline", "days_late",
)  # fmt: skip
TARGET_COLUMNS: tuple[str, ...] = (
    "item_code", "description", "indicator_name", "target", "latest", "latest_year", "state",
)  # fmt: skip


def _labels(lang: str) -> dict[str, str]:
    columns = (*TIMELINE_COLUMNS, *GROUP_COLUMNS, *LATE_COLUMNS, *TARGET_COLUMNS)
    return {c: t(f"plans.col_{c}", lang) for c in dict.fromkeys(columns)}


def _item_types(column: str, lang: str) -> pl.Expr:
    names = {k: t(f"plans.type_{k}", lang) for k in ITEM_TYPES}
    return pl.col(column).replace_strict(names, default=pl.col(column), return_dtype=pl.String)


def headline(progress: pl.DataFrame) -> dict[str, tuple[int, int]]:
    """Done and items of the plan, per item type (the `total` breakdown of plan_progress)."""
    totals = progress.filter(pl.col("breakdown") == "total")
    return {row["item_type"]: (int(row["done"]), int(row["items"])) for row in totals.iter_rows(named=True)}


def timeline_chart(timeline: pl.DataFrame, *, lang: str | None = None) -> Chart:
    """Per item type, items done (green) and late (vermillion) at the end of each period, stacked, and the
    items due by then (a line)."""
    lang = lang or current_lang()
    data = timeline.sort("item_type", "period_last_day").select(list(TIMELINE_COLUMNS)) if timeline.height else (
        pl.DataFrame(schema={c: pl.String for c in TIMELINE_COLUMNS})
    )  # fmt: skip
    table = label_columns(data.with_columns(_item_types("item_type", lang)), lang, _labels(lang))
    return Chart(table, lambda: _draw_timeline(data, lang))


timeline_figure = figure_builder(timeline_chart)


def _draw_timeline(data: pl.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure()
    for item_type in ITEM_TYPES:
        rows = data.filter(pl.col("item_type") == item_type).to_dicts()
        if not rows:
            continue
        kind = t(f"plans.type_{item_type}", lang)
        x = [r["period_last_day"] for r in rows]
        for key, colour in (("done", DONE), ("late", LATE)):
            fig.add_trace(
                go.Bar(
                    x=x,
                    y=[r[key] for r in rows],
                    name=f"{kind}: {t(f'plans.col_{key}', lang)}",
                    marker={"color": colour, "opacity": 1.0 if item_type == "task" else 0.55},
                    offsetgroup=item_type,
                    hovertext=[
                        f"{kind} · {fmt.date(r['period_last_day'], lang)}<br>{t(f'plans.col_{key}', lang)}: "
                        f"{fmt.integer(r[key], lang)} / {fmt.integer(r['items'], lang)}"
                        for r in rows
                    ],
                    hoverinfo="text",
                )
            )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[r["due"] for r in rows],
                mode="lines+markers",
                name=f"{kind}: {t('plans.col_due', lang)}",
                line={"color": DUE, "dash": "solid" if item_type == "task" else "dot"},
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=t("plans.axis_items", lang), tickformat=",d")
    fig.update_xaxes(title=None)
    return theme.style(fig, lang, height=380)


def groups_table(progress: pl.DataFrame, *, lang: str | None = None) -> pl.DataFrame:
    """Per group of the plan and item type: items, done (of them late), on schedule, late."""
    lang = lang or current_lang()
    rows = progress.filter(pl.col("breakdown") == "group").sort("breakdown_value", "item_type")
    out = rows.select(list(GROUP_COLUMNS)).with_columns(_item_types("item_type", lang))
    return label_columns(out, lang, {**_labels(lang), "breakdown_value": t("plans.col_group_name", lang)})


def late_table(items: pl.DataFrame, *, lang: str | None = None) -> pl.DataFrame:
    """The late items, most days late first, with their lead units."""
    lang = lang or current_lang()
    rows = items.sort(["days_late", "item_code"], descending=[True, False], nulls_last=True)
    out = rows.select(list(LATE_COLUMNS)).with_columns(_item_types("item_type", lang))
    return label_columns(out, lang, _labels(lang))


def targets_table(
    items: pl.DataFrame, values: Mapping[str, Mapping[str, Any]], *, lang: str | None = None
) -> pl.DataFrame:
    """The plan's targets that name an indicator of the dashboard: the target in the indicator's unit and
    the indicator's latest value beside it (values: indicator code -> {"name", "value", "unit", "scale",
    "decimals", "year"}; a code the dashboard does not compute is left out)."""
    lang = lang or current_lang()
    rows = []
    for item in items.filter(pl.col("indicator").is_not_null()).sort("item_code").iter_rows(named=True):
        known = values.get(item["indicator"])
        if known is None:
            continue
        target = None if item["target_value"] is None else item["target_value"] * known["scale"]
        rows.append(
            {
                "item_code": item["item_code"],
                "description": item["description"],
                "indicator_name": known["name"],
                "target": fmt.value(target, known["unit"], known["decimals"], lang),
                "latest": fmt.value(known["value"], known["unit"], known["decimals"], lang),
                "latest_year": known["year"],
                "state": t(f"plans.state_{item['state']}", lang),
            }
        )
    schema = {c: pl.String for c in TARGET_COLUMNS} | {"latest_year": pl.Int64}
    return label_columns(pl.DataFrame(rows, schema=schema), lang, _labels(lang))
