"""Decision 766 drill-down: a unit's total, band and rank → its six groups → its metrics → the procedures
(or fields) that cost the most points on one metric.

    headline(totals, unit, bands=…)            input: service_index_766_total rows
    groups_chart(metrics, unit, scoring)       input: service_index_766 rows (period year)
    metrics_chart(metrics, unit, scoring)
    cost_chart(cost, by="procedure")           input: procedure_cost_766 rows

`scoring` is the metrics_766 query: the scoring table in its order, with group and metric names and what
each metric is counted on when split by procedure (data/reference/766/metric_terms.csv). Each `*_chart`
returns a Chart (ui/charts/common.py); the `*_frame` functions return the same rows with canonical column
names (tests and pages use them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui import theme
from ui.charts import earned
from ui.charts.common import Chart, Names, band_label, figure_builder, label_columns, rank_of
from ui.i18n import current_lang, has, t
from ui.indicators import group_points_766, hidden_766_metric

EPS = 1e-9


# ------------------------------------------------------------------------------------------------
# Names and order, from the scoring table (metrics_766)
# ------------------------------------------------------------------------------------------------
def metric_name(code: str, scoring: pl.DataFrame, lang: str | None = None) -> str:
    """A 766 metric's name: the scoring table's Vietnamese name; in English the dictionary's."""
    return ScoringNames(scoring, lang or current_lang()).metric(code)


def group_name(code: str, scoring: pl.DataFrame, lang: str | None = None) -> str:
    """A 766 group's name: the scoring table's, in English its English name where it has one."""
    return ScoringNames(scoring, lang or current_lang()).group(code)


class ScoringNames:
    """The names of the scoring table's metrics and groups in one language, read from the table once (a
    unit's metrics frame names twenty metrics: one lookup each, not one filter of the table each)."""

    def __init__(self, scoring: pl.DataFrame, lang: str):
        self.lang = lang
        self.metric_vi = dict(scoring.select("metric_code", "metric_name_vi").iter_rows())
        self.groups: dict[str, tuple[str, str | None]] = {}
        for code, name_vi, name_en in scoring.select("group_code", "group_name_vi", "group_name_en").iter_rows():
            self.groups.setdefault(code, (name_vi, name_en))  # the first row of the group, in scoring order

    def metric(self, code: str) -> str:
        key = f"metric766.{code}"
        if self.lang != "vi" and has(key, self.lang):
            return t(key, self.lang)
        return self.metric_vi.get(code, code)

    def group(self, code: str) -> str:
        if code not in self.groups:
            return code
        name_vi, name_en = self.groups[code]
        return (name_en or name_vi) if self.lang == "en" else name_vi


def cost_metrics(scoring: pl.DataFrame) -> list[str]:
    """The metrics procedure_cost_766 splits by procedure (counted on something), in scoring order."""
    return scoring.filter(pl.col("counted_on").is_not_null()).get_column("metric_code").to_list()


# ------------------------------------------------------------------------------------------------
# Headline
# ------------------------------------------------------------------------------------------------
def headline(
    totals: pl.DataFrame, unit_code: str, *, bands: Names | None = None, lang: str | None = None
) -> list[tuple[str, str, str]]:
    """(label, value, help) of the unit's total, band and rank, from service_index_766_total rows."""
    lang = lang or current_lang()
    rows = totals.filter(pl.col("unit_code") == unit_code)
    if rows.is_empty():
        return []
    row = rows.sort("period_start").row(-1, named=True)
    # the N the rank is among (the query's: the unit's level and province), never the rows at hand
    ranked = row.get("ranked_units")
    return [
        (
            t("drilldown.total", lang),
            fmt.value(row["total_points"], "points", 2, lang),
            t("drilldown.total_help", lang),
        ),
        (t("drilldown.band", lang), band_label(row["band"], bands, lang) or fmt.NA, t("drilldown.band_help", lang)),
        (t("drilldown.rank", lang), rank_of(row["rank"], ranked, lang), t("drilldown.rank_help", lang)),
    ]


# ------------------------------------------------------------------------------------------------
# Groups and metrics
# ------------------------------------------------------------------------------------------------
METRICS_SCHEMA = {
    "group_code": pl.String,
    "group": pl.String,
    "metric_code": pl.String,
    "metric": pl.String,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "rate": pl.Float64,
    "points": pl.Float64,
    "max_points": pl.Float64,
    "points_lost": pl.Float64,
}
GROUPS_SCHEMA = {
    "group_code": pl.String,
    "group": pl.String,
    "points": pl.Float64,
    "max_points": pl.Float64,
    "points_lost": pl.Float64,
    "metrics_without_data": pl.Int64,
    "metrics_hidden": pl.Int64,
}


def metrics_frame(
    metrics: pl.DataFrame, unit_code: str, scoring: pl.DataFrame, lang: str | None = None
) -> pl.DataFrame:
    """One row per 766 metric of the unit (scoring-table order): group_code, group, metric_code,
    metric, numerator, denominator, rate (%), points, max_points, points_lost."""
    lang = lang or current_lang()
    rows = metrics.filter(pl.col("unit_code") == unit_code)
    if rows.is_empty():
        return pl.DataFrame(schema=METRICS_SCHEMA)
    rows = rows.filter(pl.col("period_start") == pl.col("period_start").max())  # the latest period
    order = dict(
        zip(scoring.get_column("metric_code").to_list(), scoring.get_column("position").to_list(), strict=True)
    )
    names = ScoringNames(scoring, lang)
    out = [
        {
            "group_code": r["group_code"],
            "group": names.group(r["group_code"]),
            "metric_code": r["metric_code"],
            "metric": names.metric(r["metric_code"]),
            "numerator": r["numerator"],
            "denominator": r["denominator"],
            "rate": None if r["rate"] is None else 100.0 * r["rate"],
            "points": r["points"],
            "max_points": r["max_points"],
            "points_lost": None if r["points"] is None else r["max_points"] - r["points"],
            "__order": order.get(r["metric_code"], len(order) + 1),
        }
        for r in rows.iter_rows(named=True)
    ]
    return pl.DataFrame(out, schema={**METRICS_SCHEMA, "__order": pl.Int64}).sort("__order").drop("__order")


def groups_frame(metrics: pl.DataFrame, unit_code: str, scoring: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """One row per 766 group of the unit (scoring-table order): group_code, group, points, max_points,
    points_lost, metrics_without_data (metrics whose points are empty: no denominator), metrics_hidden
    (metrics the public mode's disclosure rules hid; the group's points and points lost are then empty)."""
    per_metric = metrics_frame(metrics, unit_code, scoring, lang)
    if per_metric.is_empty():
        return pl.DataFrame(schema=GROUPS_SCHEMA)
    out = (
        per_metric.group_by(["group_code", "group"], maintain_order=True)
        .agg(
            group_points_766().alias("points"),
            pl.col("max_points").sum().alias("max_points"),
            (pl.col("points").is_null() & ~hidden_766_metric()).sum().cast(pl.Int64).alias("metrics_without_data"),
            hidden_766_metric().sum().cast(pl.Int64).alias("metrics_hidden"),
        )
        .with_columns((pl.col("max_points") - pl.col("points")).alias("points_lost"))
    )
    return out.select(list(GROUPS_SCHEMA)).cast(GROUPS_SCHEMA)


def _labels(lang: str) -> dict[str, str]:
    keys = ("group_code", "group", "metric_code", "metric", "numerator", "denominator", "points", "max_points")
    return {
        **{k: t(f"xcol.{k}", lang) for k in keys},
        "rate": t("xcol.rate_pct", lang),
        "points_lost": t("xcol.points_lost", lang),
        "metrics_without_data": t("xcol.metrics_without_data", lang),
        "metrics_hidden": t("xcol.metrics_hidden", lang),
    }


def groups_chart(metrics: pl.DataFrame, unit_code: str, scoring: pl.DataFrame, *, lang: str | None = None) -> Chart:
    """Points earned (blue) and lost (grey) in each of the six 766 groups."""
    lang = lang or current_lang()
    data = groups_frame(metrics, unit_code, scoring, lang)
    return Chart(
        label_columns(data, lang, _labels(lang)),
        lambda: earned.bars(
            data.get_column("group").to_list(),
            data.get_column("points").to_list(),
            data.get_column("max_points").to_list(),
            lang=lang,
        ),
    )


def metrics_chart(metrics: pl.DataFrame, unit_code: str, scoring: pl.DataFrame, *, lang: str | None = None) -> Chart:
    """Points earned and lost in each 766 metric, with the rate behind it in the hover."""
    lang = lang or current_lang()
    data = metrics_frame(metrics, unit_code, scoring, lang)

    def draw() -> go.Figure:
        rows = data.to_dicts()
        extra = [
            f"{r['group']}<br>{t('xcol.rate_pct', lang)}: {fmt.value(r['rate'], '%', 1, lang)}"
            f" ({fmt.integer(r['numerator'], lang)} / {fmt.integer(r['denominator'], lang)})"
            for r in rows
        ]
        return earned.bars(
            [r["metric"] for r in rows],
            [r["points"] for r in rows],
            [r["max_points"] for r in rows],
            lang=lang,
            hover_extra=extra,
        )

    return Chart(label_columns(data, lang, _labels(lang)), draw)


groups_figure = figure_builder(groups_chart)
metrics_figure = figure_builder(metrics_chart)


def metric_choices(
    metrics: pl.DataFrame, unit_code: str, scoring: pl.DataFrame, lang: str | None = None
) -> dict[str, str]:
    """metric code -> "name (−1,25 điểm)" for the metrics split by procedure, scoring-table order."""
    lang = lang or current_lang()
    data = metrics_frame(metrics, unit_code, scoring, lang).filter(pl.col("metric_code").is_in(cost_metrics(scoring)))
    return {
        r["metric_code"]: earned.with_points_lost(r["metric"], r["points_lost"], lang)
        for r in data.iter_rows(named=True)
    }


def costliest_metric(metrics: pl.DataFrame, unit_code: str, scoring: pl.DataFrame) -> str | None:
    """The metric split by procedure that lost the unit the most points (None when none lost any)."""
    data = metrics_frame(metrics, unit_code, scoring).filter(
        pl.col("metric_code").is_in(cost_metrics(scoring)) & (pl.col("points_lost") > EPS)
    )
    if data.is_empty():
        return None
    return data.sort("points_lost", descending=True, maintain_order=True).get_column("metric_code")[0]


# ------------------------------------------------------------------------------------------------
# Where the points of one metric were lost
# ------------------------------------------------------------------------------------------------
COST_SCHEMA = {
    "item_code": pl.String,
    "item": pl.String,
    "field_code": pl.String,
    "field": pl.String,
    "denominator": pl.Int64,
    "numerator": pl.Int64,
    "shortfall": pl.Int64,
    "shortfall_share": pl.Float64,
    "points_cost": pl.Float64,
    "points_lost": pl.Float64,
}


def cost_frame(cost: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """procedure_cost_766 rows in plotting order (costliest first): item_code, item, field_code, field,
    denominator, numerator, shortfall, shortfall_share (%), points_cost, points_lost."""
    lang = lang or current_lang()
    if cost.is_empty():
        return pl.DataFrame(schema=COST_SCHEMA)
    unknown = t("drilldown.unknown", lang)
    out = cost.select(
        pl.col("item_code").cast(pl.String),
        pl.coalesce(pl.col("item_name"), pl.col("item_code"), pl.lit(unknown)).alias("item"),
        pl.col("field_code").cast(pl.String),
        pl.coalesce(pl.col("field_name"), pl.col("field_code"), pl.lit(unknown)).alias("field"),
        pl.col("denominator").cast(pl.Int64),
        pl.col("numerator").cast(pl.Int64),
        pl.col("shortfall").cast(pl.Int64),
        (pl.col("shortfall_share") * 100).alias("shortfall_share"),
        pl.col("points_cost").cast(pl.Float64),
        pl.col("points_lost").cast(pl.Float64),
    )
    return out.sort(["points_cost", "shortfall"], descending=True, nulls_last=True, maintain_order=True)


def _cost_labels(by: str, lang: str) -> Mapping[str, str]:
    return {
        "item_code": t("xcol.field_code", lang) if by == "field" else t("xcol.procedure_code", lang),
        "item": t("xcol.field", lang) if by == "field" else t("xcol.procedure", lang),
        "field_code": t("xcol.field_code", lang),
        "field": t("xcol.field", lang),
        "denominator": t("xcol.denominator", lang),
        "numerator": t("xcol.numerator", lang),
        "shortfall": t("xcol.shortfall", lang),
        "shortfall_share": t("xcol.shortfall_share", lang),
        "points_cost": t("xcol.points_cost", lang),
        "points_lost": t("xcol.points_lost_metric", lang),
    }


def cost_chart(cost: pl.DataFrame, *, by: str = "procedure", top: int = 15, lang: str | None = None) -> Chart:
    """The `top` procedures (or fields) that cost the most points, largest first; the table has all."""
    lang = lang or current_lang()
    data = cost_frame(cost, lang)
    table = label_columns(data.drop("field_code", "field") if by == "field" else data, lang, _cost_labels(by, lang))
    return Chart(table, lambda: _draw_cost(data.head(top).to_dicts(), by, lang))


cost_figure = figure_builder(cost_chart)


def _draw_cost(shown: list[dict[str, Any]], by: str, lang: str) -> go.Figure:
    labels = [_short(f"{r['item']}", 60) + (f" ({r['item_code']})" if by == "procedure" else "") for r in shown]
    fig = go.Figure(
        go.Bar(
            x=[r["points_cost"] for r in shown],
            y=labels,
            orientation="h",
            marker={"color": theme.OKABE_ITO["vermillion"]},
            text=[f"−{fmt.number(r['points_cost'], 2, lang)}" for r in shown],
            textposition="outside",
            cliponaxis=False,
            hovertext=[
                f"<b>{r['item']}</b><br>{t('xcol.shortfall', lang)}: {fmt.integer(r['shortfall'], lang)} / "
                f"{fmt.integer(r['denominator'], lang)} ({fmt.value(r['shortfall_share'], '%', 1, lang)} "
                f"{t('drilldown.of_shortfall', lang)})<br>{t('xcol.points_cost', lang)}: "
                f"{fmt.number(r['points_cost'], 2, lang)} {t('unit.points', lang)}"
                for r in shown
            ],
            hoverinfo="text",
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", title=None)
    fig.update_xaxes(title=t("xcol.points_cost", lang), tickformat=",.2f", rangemode="tozero")
    return theme.style(fig, lang, height=max(260, 110 + earned.ROW_HEIGHT * len(shown)))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
