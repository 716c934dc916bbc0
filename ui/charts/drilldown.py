"""Index drill-down (the Chỉ số page): from a unit's total down to what it is made of.

- Decision 766: groups → metrics → the procedures (or fields) that cost the most points
      groups_figure(metrics, unit)            input: service_index_766 rows (period year)
      metrics_figure(metrics, unit)
      cost_figure(cost, by="procedure")       input: procedure_cost_766 rows
- PAR Index: areas → criteria
      par_areas_figure(par_rows, unit)        input: par_index rows
      par_criteria_figure(criteria)           input: par_criteria rows
- SIPAS: elements with 95 % intervals and n; fewer than 30 respondents: "không đủ mẫu", no number
      sipas_figure(sipas_rows, unit)          input: sipas rows
- PAPI: dimensions → sub-dimensions, the best province alongside
      papi_figure(profile, level="dimension" | "sub_dimension", parent=None)   input: papi_profile rows

Every `*_figure(..., return_df=True)` returns the frame behind the chart, in plotting order, with
headers in the current language and numbers still numeric (the table tab formats them). The
`*_frame` functions return the same rows with canonical column names (tests and pages use them).
Builders never query: pages fetch the frames through ui.data.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl

from queries.paths import REFERENCE_DIR
from queries.vocabulary import PAPI_DIMENSIONS, papi_measure_code
from ui import format as fmt
from ui import theme
from ui.charts.common import band_label, label_columns, rank_change_text
from ui.format import natural_key, vi_sort_key
from ui.i18n import current_lang, has, t
from ui.lookups import component_names

INDEXES: tuple[str, ...] = ("766", "par", "sipas", "papi")
# indicator of ui/data's catalogue that stands for each index (years, units, source, methodology)
INDEX_INDICATOR: dict[str, str] = {
    "766": "service_index_766",
    "par": "par_index",
    "sipas": "sipas_overall",
    "papi": "papi_total",
}
SIPAS_ELEMENTS: tuple[str, ...] = ("tiep_can", "thu_tuc", "cong_chuc", "ket_qua", "pakn")
# 766 metrics procedure_cost_766 splits by procedure (the others concern petitions or communes)
COST_METRICS: frozenset[str] = frozenset(
    {
        "PUBLISH_ON_TIME",
        "PUBLIC_UPDATE_ON_TIME",
        "PUBLIC_CONTENT_FULL",
        "DOSSIER_SYNC",
        "PROGRESS_ON_TIME",
        "FULL_ONLINE_SHARE",
        "PAYMENT_DOSSIER_SHARE",
        "PAYMENT_PROCEDURE_SHARE",
        "PAYMENT_PROCEDURE_COVERAGE",
        "ORIGINAL_RESULT_AVAILABLE",
        "SO_HOA_GIAY_TO_GIAI_QUYET",
        "REUSED_DIGITIZED_DATA",
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
        "CITIZEN_DATA_CONNECTED_DOSSIER",
        "CITIZEN_DATA_CONNECTED_FORMALITY",
        "DOSSIER_RECEIVING_SATISFACTION",
    }
)
EARNED = theme.OKABE_ITO["blue"]
LOST = "#D9D9D9"
BEST = theme.OKABE_ITO["orange"]
ROW_HEIGHT = 34
EPS = 1e-9


# ------------------------------------------------------------------------------------------------
# Labels
# ------------------------------------------------------------------------------------------------
@functools.cache
def _scoring_rows() -> tuple[dict[str, str], ...]:
    with (REFERENCE_DIR / "766" / "scoring.csv").open(encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def metric_order() -> dict[str, int]:
    """766 metric code -> its position in the scoring table."""
    return {row["metric_code"]: i for i, row in enumerate(_scoring_rows())}


def metric_name(code: str, lang: str | None = None) -> str:
    """A 766 metric's name: the scoring table's Vietnamese name; in English the dictionary's."""
    lang = lang or current_lang()
    key = f"metric766.{code}"
    if lang != "vi" and has(key, lang):
        return t(key, lang)
    for row in _scoring_rows():
        if row["metric_code"] == code:
            return row["metric_name_vi"]
    return code


def group_name(code: str, lang: str | None = None) -> str:
    names = component_names().get("766", {}).get(code)
    if names is None:
        return code
    return names[1] if (lang or current_lang()) == "en" else names[0]


def sipas_element_name(code: str, lang: str | None = None) -> str:
    lang = lang or current_lang()
    if code == "overall":
        return t("drilldown.sipas_overall", lang)
    key = f"sipas_element.{code}"
    return t(key, lang) if has(key, lang) else code


def _pick(vi: Any, en: Any, lang: str) -> Any:
    return (en or vi) if lang == "en" else (vi or en)


def _unknown(lang: str) -> str:
    return t("drilldown.unknown", lang)


def break_year(breaks: Sequence[int], year: int) -> int | None:
    """The first year of the methodology in force in `year` when it differs from earlier years'
    (SIPAS 2022, PAPI 2018), else None: the page notes that earlier years are not comparable."""
    started = [b for b in breaks if b <= year]
    return max(started) if started else None


def unit_options(frame: pl.DataFrame) -> dict[str, str]:
    """unit_code -> unit_name of a query frame's units, in Vietnamese order of the names."""
    if frame.is_empty() or "unit_code" not in frame.columns:
        return {}
    name_col = "unit_name" if "unit_name" in frame.columns else "unit_code"
    pairs = frame.select("unit_code", name_col).unique(subset="unit_code").iter_rows()
    return dict(sorted(((c, n or c) for c, n in pairs), key=lambda kv: vi_sort_key(kv[1])))


# ------------------------------------------------------------------------------------------------
# A bar of points earned, the rest up to the maximum in grey (766 groups and metrics, PAR areas
# and criteria)
# ------------------------------------------------------------------------------------------------
def _earned_bars(
    labels: Sequence[str],
    earned: Sequence[float | None],
    maximum: Sequence[float | None],
    *,
    lang: str,
    decimals: int = 2,
    hover_extra: Sequence[str] | None = None,
    title: str | None = None,
) -> go.Figure:
    unit = t("unit.points", lang)
    lost = [None if e is None or m is None else max(0.0, m - e) for e, m in zip(earned, maximum, strict=True)]
    extra = list(hover_extra) if hover_extra is not None else [""] * len(labels)
    hover = []
    for label, e, m, x in zip(labels, earned, maximum, extra, strict=True):
        text = f"<b>{label}</b><br>{fmt.number(e, decimals, lang)} / {fmt.number(m, decimals, lang)} {unit}"
        hover.append(text + (f"<br>{x}" if x else ""))
    texts = [
        t("common.not_available", lang)
        if e is None
        else f"{fmt.number(e, decimals, lang)} / {fmt.number(m, decimals, lang)}"
        for e, m in zip(earned, maximum, strict=True)
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[e or 0 for e in earned],
            y=list(labels),
            orientation="h",
            name=t("drilldown.earned", lang),
            marker={"color": EARNED},
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Bar(
            x=[x or 0 for x in lost],
            y=list(labels),
            orientation="h",
            name=t("drilldown.lost", lang),
            marker={"color": LOST, "line": {"color": theme.NEUTRAL, "width": 0.5}},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.update_layout(barmode="stack", bargap=0.35)
    fig.update_yaxes(categoryorder="array", categoryarray=list(labels), autorange="reversed", title=None)
    fig.update_xaxes(title=unit, tickformat=fmt.d3_format("points", 0))
    return theme.style(fig, lang, title=title, height=max(260, 110 + ROW_HEIGHT * len(labels)))


# ------------------------------------------------------------------------------------------------
# Decision 766
# ------------------------------------------------------------------------------------------------
def headline_766(totals: pl.DataFrame, unit_code: str, lang: str | None = None) -> list[tuple[str, str, str]]:
    """(label, value, help) of the unit's total, band and rank, from service_index_766_total rows."""
    lang = lang or current_lang()
    rows = totals.filter(pl.col("unit_code") == unit_code) if not totals.is_empty() else totals
    if rows.is_empty():
        return []
    row = rows.sort("period_start").row(-1, named=True)
    ranked = totals.filter(pl.col("rank").is_not_null()).height
    rank = f"{fmt.integer(row['rank'], lang)}/{fmt.integer(ranked, lang)}" if row["rank"] is not None else fmt.NA
    return [
        (
            t("drilldown.total", lang),
            fmt.value(row["total_points"], "points", 2, lang),
            t("drilldown.total_help", lang),
        ),
        (t("drilldown.band", lang), band_label(row["band"], lang) or fmt.NA, t("drilldown.band_help", lang)),
        (t("drilldown.rank", lang), rank, t("drilldown.rank_help", lang)),
    ]


def metrics_frame(metrics: pl.DataFrame, unit_code: str, lang: str | None = None) -> pl.DataFrame:
    """One row per 766 metric of the unit (scoring-table order): group_code, group, metric_code,
    metric, numerator, denominator, rate (%), points, max_points, points_lost."""
    lang = lang or current_lang()
    schema = {
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
    if metrics.is_empty():
        return pl.DataFrame(schema=schema)
    rows = metrics.filter(pl.col("unit_code") == unit_code)
    if "period_start" in rows.columns and rows.get_column("period_start").drop_nulls().len():
        rows = rows.filter(pl.col("period_start") == pl.col("period_start").max())  # the latest period
    order = metric_order()
    out = [
        {
            "group_code": r["group_code"],
            "group": group_name(r["group_code"], lang),
            "metric_code": r["metric_code"],
            "metric": metric_name(r["metric_code"], lang),
            "numerator": r["numerator"],
            "denominator": r["denominator"],
            "rate": None if r["rate"] is None else 100.0 * r["rate"],
            "points": r["points"],
            "max_points": r["max_points"],
            "points_lost": None if r["points"] is None else r["max_points"] - r["points"],
            "__order": order.get(r["metric_code"], len(order)),
        }
        for r in rows.iter_rows(named=True)
    ]
    if not out:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(out, schema={**schema, "__order": pl.Int64}).sort("__order").drop("__order")


def groups_frame(metrics: pl.DataFrame, unit_code: str, lang: str | None = None) -> pl.DataFrame:
    """One row per 766 group of the unit (scoring-table order): group_code, group, points, max_points,
    points_lost, metrics_without_data (metrics whose points are empty: no denominator)."""
    lang = lang or current_lang()
    per_metric = metrics_frame(metrics, unit_code, lang)
    schema = {
        "group_code": pl.String,
        "group": pl.String,
        "points": pl.Float64,
        "max_points": pl.Float64,
        "points_lost": pl.Float64,
        "metrics_without_data": pl.Int64,
    }
    if per_metric.is_empty():
        return pl.DataFrame(schema=schema)
    out = (
        per_metric.group_by(["group_code", "group"], maintain_order=True)
        .agg(
            pl.col("points").sum().alias("points"),
            pl.col("max_points").sum().alias("max_points"),
            pl.col("points").is_null().sum().cast(pl.Int64).alias("metrics_without_data"),
        )
        .with_columns((pl.col("max_points") - pl.col("points")).alias("points_lost"))
    )
    return out.select(list(schema)).cast(schema)


def _labels_766(lang: str) -> dict[str, str]:
    return {
        "group_code": t("xcol.group_code", lang),
        "group": t("xcol.group", lang),
        "metric_code": t("xcol.metric_code", lang),
        "metric": t("xcol.metric", lang),
        "numerator": t("xcol.numerator", lang),
        "denominator": t("xcol.denominator", lang),
        "rate": t("xcol.rate_pct", lang),
        "points": t("xcol.points", lang),
        "max_points": t("xcol.max_points", lang),
        "points_lost": t("xcol.points_lost", lang),
        "metrics_without_data": t("xcol.metrics_without_data", lang),
    }


def groups_figure(
    metrics: pl.DataFrame, unit_code: str, *, lang: str | None = None, return_df: bool = False
) -> go.Figure | pl.DataFrame:
    """Points earned (blue) and lost (grey) in each of the six 766 groups."""
    lang = lang or current_lang()
    data = groups_frame(metrics, unit_code, lang)
    if return_df:
        return label_columns(data, lang, _labels_766(lang))
    return _earned_bars(
        data.get_column("group").to_list(),
        data.get_column("points").to_list(),
        data.get_column("max_points").to_list(),
        lang=lang,
    )


def metrics_figure(
    metrics: pl.DataFrame, unit_code: str, *, lang: str | None = None, return_df: bool = False
) -> go.Figure | pl.DataFrame:
    """Points earned and lost in each 766 metric, with the rate behind it in the hover."""
    lang = lang or current_lang()
    data = metrics_frame(metrics, unit_code, lang)
    if return_df:
        return label_columns(data, lang, _labels_766(lang))
    rows = data.to_dicts()
    extra = [
        f"{r['group']}<br>{t('xcol.rate_pct', lang)}: {fmt.value(r['rate'], '%', 1, lang)}"
        f" ({fmt.integer(r['numerator'], lang)} / {fmt.integer(r['denominator'], lang)})"
        for r in rows
    ]
    return _earned_bars(
        [f"{r['metric']}" for r in rows],
        [r["points"] for r in rows],
        [r["max_points"] for r in rows],
        lang=lang,
        hover_extra=extra,
    )


def metric_choices(metrics: pl.DataFrame, unit_code: str, lang: str | None = None) -> dict[str, str]:
    """metric code -> "name (−1,25 điểm)" for the metrics split by procedure, scoring-table order."""
    lang = lang or current_lang()
    data = metrics_frame(metrics, unit_code, lang).filter(pl.col("metric_code").is_in(sorted(COST_METRICS)))
    out = {}
    for r in data.iter_rows(named=True):
        lost = r["points_lost"]
        suffix = "" if lost is None else f" (−{fmt.number(lost, 2, lang)} {t('unit.points', lang)})"
        out[r["metric_code"]] = f"{r['metric']}{suffix}"
    return out


def costliest_metric(metrics: pl.DataFrame, unit_code: str) -> str | None:
    """The metric split by procedure that lost the unit the most points (None when none lost any)."""
    data = metrics_frame(metrics, unit_code).filter(
        pl.col("metric_code").is_in(sorted(COST_METRICS)) & (pl.col("points_lost") > EPS)
    )
    if data.is_empty():
        return None
    return data.sort("points_lost", descending=True, maintain_order=True).get_column("metric_code")[0]


def cost_frame(cost: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """procedure_cost_766 rows in plotting order (costliest first): item_code, item, field_code, field,
    denominator, numerator, shortfall, shortfall_share (%), points_cost, points_lost."""
    lang = lang or current_lang()
    schema = {
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
    if cost.is_empty():
        return pl.DataFrame(schema=schema)
    unknown = _unknown(lang)
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


def cost_figure(
    cost: pl.DataFrame,
    *,
    by: str = "procedure",
    top: int = 15,
    lang: str | None = None,
    return_df: bool = False,
) -> go.Figure | pl.DataFrame:
    """The `top` procedures (or fields) that cost the most points, largest first; the table has all."""
    lang = lang or current_lang()
    data = cost_frame(cost, lang)
    if return_df:
        if by == "field":
            data = data.drop("field_code", "field")
        item = t("xcol.field", lang) if by == "field" else t("xcol.procedure", lang)
        code = t("xcol.field_code", lang) if by == "field" else t("xcol.procedure_code", lang)
        return label_columns(
            data,
            lang,
            {
                "item_code": code,
                "item": item,
                "field_code": t("xcol.field_code", lang),
                "field": t("xcol.field", lang),
                "denominator": t("xcol.denominator", lang),
                "numerator": t("xcol.numerator", lang),
                "shortfall": t("xcol.shortfall", lang),
                "shortfall_share": t("xcol.shortfall_share", lang),
                "points_cost": t("xcol.points_cost", lang),
                "points_lost": t("xcol.points_lost_metric", lang),
            },
        )
    shown = data.head(top).to_dicts()
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
    return theme.style(fig, lang, height=max(260, 110 + ROW_HEIGHT * len(shown)))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ------------------------------------------------------------------------------------------------
# PAR Index
# ------------------------------------------------------------------------------------------------
def headline_par(par_rows: pl.DataFrame, unit_code: str, lang: str | None = None) -> list[tuple[str, str, str]]:
    """(label, value, help) of the unit's PAR Index, score and rank, from par_index rows."""
    lang = lang or current_lang()
    rows = par_rows.filter((pl.col("unit_code") == unit_code) & (pl.col("area_code") == "total"))
    if rows.is_empty():
        return []
    row = rows.row(0, named=True)
    ranked = par_rows.filter((pl.col("area_code") == "total") & pl.col("rank").is_not_null()).height
    change = rank_change_text(row.get("rank_change"), lang)
    change_text = f" ({change})" if change else ""
    return [
        (
            t("drilldown.par_index", lang),
            fmt.value(row["index_pct"], "%", 2, lang),
            t("drilldown.par_index_help", lang),
        ),
        (
            t("drilldown.par_score", lang),
            f"{fmt.number(row['score'], 2, lang)} / {fmt.number(row['max_points'], 2, lang)}",
            t("drilldown.par_score_help", lang),
        ),
        (
            t("drilldown.rank", lang),
            (f"{fmt.integer(row['rank'], lang)}/{fmt.integer(ranked, lang)}" if row["rank"] is not None else fmt.NA)
            + change_text,
            t("drilldown.par_rank_help", lang),
        ),
    ]


def par_areas_frame(par_rows: pl.DataFrame, unit_code: str, lang: str | None = None) -> pl.DataFrame:
    """One row per area of the unit (area order): area_code, area, score, max_points, points_lost,
    area_index (%)."""
    lang = lang or current_lang()
    schema = {
        "area_code": pl.String,
        "area": pl.String,
        "score": pl.Float64,
        "max_points": pl.Float64,
        "points_lost": pl.Float64,
        "area_index": pl.Float64,
    }
    if par_rows.is_empty():
        return pl.DataFrame(schema=schema)
    rows = par_rows.filter((pl.col("unit_code") == unit_code) & (pl.col("area_code") != "total"))
    if rows.is_empty():
        return pl.DataFrame(schema=schema)
    names = component_names().get("par", {})
    out = rows.with_columns(
        pl.struct("area_code", "area_name_vi")
        .map_elements(lambda s: _par_area_name(s["area_code"], s["area_name_vi"], names, lang), return_dtype=pl.String)
        .alias("area"),
        (pl.col("max_points") - pl.col("score")).alias("points_lost"),
    ).sort(natural_key(pl.col("area_code")))
    return out.select(list(schema)).cast(schema)


def _par_area_name(code: str, name_vi: str | None, names: dict[str, tuple[str, str]], lang: str) -> str:
    if lang == "en" and code in names and (name_vi is None or names[code][0] == name_vi):
        return f"{code}. {names[code][1]}"
    return f"{code}. {name_vi or names.get(code, (code,))[0]}"


def par_areas_figure(
    par_rows: pl.DataFrame, unit_code: str, *, lang: str | None = None, return_df: bool = False
) -> go.Figure | pl.DataFrame:
    """Points earned and lost in each PAR area, with the area index in the hover."""
    lang = lang or current_lang()
    data = par_areas_frame(par_rows, unit_code, lang)
    if return_df:
        return label_columns(data, lang, _labels_par(lang))
    rows = data.to_dicts()
    return _earned_bars(
        [r["area"] for r in rows],
        [r["score"] for r in rows],
        [r["max_points"] for r in rows],
        lang=lang,
        hover_extra=[f"{t('xcol.area_index', lang)}: {fmt.value(r['area_index'], '%', 1, lang)}" for r in rows],
    )


def weakest_area(par_rows: pl.DataFrame, unit_code: str) -> str | None:
    """The area with the lowest area index (most room to gain), None without areas."""
    data = par_areas_frame(par_rows, unit_code).filter(pl.col("area_index").is_not_null())
    if data.is_empty():
        return None
    return data.sort("area_index", maintain_order=True).get_column("area_code")[0]


def par_criteria_frame(criteria: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """One row per criterion (area, then criterion order): area_code, area, criterion_code,
    max_points, self_points, appraised_points, survey_points, score, points_lost, capped."""
    lang = lang or current_lang()
    schema = {
        "area_code": pl.String,
        "area": pl.String,
        "criterion_code": pl.String,
        "max_points": pl.Float64,
        "self_points": pl.Float64,
        "appraised_points": pl.Float64,
        "survey_points": pl.Float64,
        "score": pl.Float64,
        "points_lost": pl.Float64,
        "capped": pl.Boolean,
    }
    if criteria.is_empty():
        return pl.DataFrame(schema=schema)
    out = criteria.with_columns(
        pl.struct("area_code", "area_name_vi", "area_name_en")
        .map_elements(
            lambda s: f"{s['area_code']}. {_pick(s['area_name_vi'], s['area_name_en'], lang) or ''}".rstrip(". "),
            return_dtype=pl.String,
        )
        .alias("area")
    ).sort(natural_key(pl.col("area_code")), natural_key(pl.col("criterion_code")), maintain_order=True)
    return out.select(list(schema)).cast(schema)


def _labels_par(lang: str) -> dict[str, str]:
    return {
        "area_code": t("xcol.area_code", lang),
        "area": t("xcol.area", lang),
        "criterion_code": t("xcol.criterion", lang),
        "score": t("xcol.score", lang),
        "max_points": t("xcol.max_points", lang),
        "points_lost": t("xcol.points_lost", lang),
        "area_index": t("xcol.area_index", lang),
        "self_points": t("xcol.self_points", lang),
        "appraised_points": t("xcol.appraised_points", lang),
        "survey_points": t("xcol.survey_points", lang),
        "capped": t("xcol.capped", lang),
    }


def par_criteria_figure(
    criteria: pl.DataFrame, *, lang: str | None = None, return_df: bool = False
) -> go.Figure | pl.DataFrame:
    """Points earned and lost per criterion; the hover shows the appraised and survey points and
    whether they were capped at the maximum."""
    lang = lang or current_lang()
    data = par_criteria_frame(criteria, lang)
    if return_df:
        return label_columns(data, lang, _labels_par(lang))
    rows = data.to_dicts()
    extra = []
    for r in rows:
        line = (
            f"{r['area']}<br>{t('xcol.appraised_points', lang)}: {fmt.number(r['appraised_points'], 2, lang)} · "
            f"{t('xcol.survey_points', lang)}: {fmt.number(r['survey_points'], 2, lang)} · "
            f"{t('xcol.self_points', lang)}: {fmt.number(r['self_points'], 2, lang)}"
        )
        if r["capped"]:
            line += f"<br>{t('drilldown.capped_note', lang)}"
        extra.append(line)
    return _earned_bars(
        [f"{t('xcol.criterion', lang)} {r['criterion_code']}" for r in rows],
        [r["score"] for r in rows],
        [r["max_points"] for r in rows],
        lang=lang,
        hover_extra=extra,
    )


def par_area_choices(par_rows: pl.DataFrame, unit_code: str, lang: str | None = None) -> dict[str, str]:
    """area code -> "1. name (−0,70 điểm)", area order."""
    lang = lang or current_lang()
    data = par_areas_frame(par_rows, unit_code, lang)
    return {
        r["area_code"]: r["area"]
        + ("" if r["points_lost"] is None else f" (−{fmt.number(r['points_lost'], 2, lang)} {t('unit.points', lang)})")
        for r in data.iter_rows(named=True)
    }


# ------------------------------------------------------------------------------------------------
# SIPAS
# ------------------------------------------------------------------------------------------------
def sipas_frame(sipas_rows: pl.DataFrame, unit_code: str, lang: str | None = None) -> pl.DataFrame:
    """One row per element, then the overall index: element_code, element, n, value (%), ci_low,
    ci_high (%), note. Estimates from fewer than 30 respondents arrive from queries/sipas.sql with their
    n but no share or interval (suppressed at the source); they get the note "không đủ mẫu" / "too few
    responses"."""
    lang = lang or current_lang()
    schema = {
        "element_code": pl.String,
        "element": pl.String,
        "n": pl.Int64,
        "value": pl.Float64,
        "ci_low": pl.Float64,
        "ci_high": pl.Float64,
        "note": pl.String,
    }
    if sipas_rows.is_empty():
        return pl.DataFrame(schema=schema)
    rows = sipas_rows.filter(pl.col("unit_code") == unit_code)
    order = {code: i for i, code in enumerate((*SIPAS_ELEMENTS, "overall"))}
    out = []
    for r in rows.iter_rows(named=True):
        small = r["satisfied_share"] is None  # the query suppressed it (n < SMALL_SAMPLE) or nobody answered
        out.append(
            {
                "element_code": r["element_code"],
                "element": sipas_element_name(r["element_code"], lang),
                "n": r["n"],
                "value": None if small or r["satisfied_share"] is None else 100.0 * r["satisfied_share"],
                "ci_low": None if small or r["ci_low"] is None else 100.0 * r["ci_low"],
                "ci_high": None if small or r["ci_high"] is None else 100.0 * r["ci_high"],
                "note": t("drilldown.too_few", lang) if small else None,
                "__order": order.get(r["element_code"], len(order)),
            }
        )
    if not out:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(out, schema={**schema, "__order": pl.Int64}).sort("__order").drop("__order")


def headline_sipas(sipas_rows: pl.DataFrame, unit_code: str, lang: str | None = None) -> list[tuple[str, str, str]]:
    """(label, value, help) of the unit's overall SIPAS index with its interval and n."""
    lang = lang or current_lang()
    data = sipas_frame(sipas_rows, unit_code, lang).filter(pl.col("element_code") == "overall")
    if data.is_empty():
        return []
    r = data.row(0, named=True)
    value = r["note"] if r["value"] is None else fmt.value(r["value"], "%", 1, lang)
    interval = (
        fmt.NA
        if r["ci_low"] is None
        else f"{fmt.value(r['ci_low'], '%', 1, lang)} – {fmt.value(r['ci_high'], '%', 1, lang)}"
    )
    return [
        (t("drilldown.sipas_overall", lang), value, t("drilldown.sipas_help", lang)),
        (t("drilldown.interval", lang), interval, t("drilldown.interval_help", lang)),
        (t("drilldown.respondents", lang), fmt.integer(r["n"], lang), t("drilldown.respondents_help", lang)),
    ]


def sipas_figure(
    sipas_rows: pl.DataFrame, unit_code: str, *, lang: str | None = None, return_df: bool = False
) -> go.Figure | pl.DataFrame:
    """Satisfied share per element (and overall) with its 95 % interval as an error bar and n in the
    label; an element with fewer than 30 respondents shows "không đủ mẫu" instead of a bar."""
    lang = lang or current_lang()
    data = sipas_frame(sipas_rows, unit_code, lang)
    if return_df:
        return label_columns(
            data,
            lang,
            {
                "element_code": t("xcol.element_code", lang),
                "element": t("xcol.element", lang),
                "value": t("xcol.satisfied_pct", lang),
                "note": t("xcol.note", lang),
            },
        )
    rows = data.to_dicts()
    labels = [f"{r['element']} (n = {fmt.integer(r['n'], lang)})" for r in rows]
    colours = [theme.OKABE_ITO["bluish_green"] if r["element_code"] == "overall" else EARNED for r in rows]
    fig = go.Figure(
        go.Bar(
            x=[r["value"] for r in rows],
            y=labels,
            orientation="h",
            marker={"color": colours},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [None if r["value"] is None else r["ci_high"] - r["value"] for r in rows],
                "arrayminus": [None if r["value"] is None else r["value"] - r["ci_low"] for r in rows],
                "color": theme.OKABE_ITO["black"],
                "thickness": 1.5,
                "width": 6,
            },
            text=[r["note"] if r["value"] is None else fmt.value(r["value"], "%", 1, lang) for r in rows],
            textposition="outside",
            cliponaxis=False,
            hovertext=[_sipas_hover(r, lang) for r in rows],
            hoverinfo="text",
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", title=None)
    fig.update_xaxes(title=t("xcol.satisfied_pct", lang), range=[0, 105], ticksuffix="%")
    return theme.style(fig, lang, height=max(260, 110 + ROW_HEIGHT * len(rows)))


def _sipas_hover(r: dict[str, Any], lang: str) -> str:
    head = f"<b>{r['element']}</b> · n = {fmt.integer(r['n'], lang)}"
    if r["value"] is None:
        return f"{head}<br>{t('drilldown.too_few_long', lang)}"
    return (
        f"{head}<br>{fmt.value(r['value'], '%', 1, lang)} "
        f"({t('drilldown.interval', lang)}: {fmt.value(r['ci_low'], '%', 1, lang)} – "
        f"{fmt.value(r['ci_high'], '%', 1, lang)})"
    )


# ------------------------------------------------------------------------------------------------
# PAPI
# ------------------------------------------------------------------------------------------------
@functools.cache
def _papi_dimension_order() -> dict[str, int]:
    order: dict[str, int] = {}
    for name in PAPI_DIMENSIONS:
        order.setdefault(papi_measure_code(name), len(order))
    return order


def papi_frame(
    profile: pl.DataFrame, level: str = "dimension", parent: str | None = None, lang: str | None = None
) -> pl.DataFrame:
    """The province's measures of a level (dimensions, or the sub-dimensions of `parent`) with the best
    province alongside: measure_code, measure, score, rank, n_provinces, best_score, best_province,
    gap (score − best; 0 for the best), note (missing score)."""
    lang = lang or current_lang()
    schema = {
        "measure_code": pl.String,
        "measure": pl.String,
        "score": pl.Float64,
        "rank": pl.Int64,
        "n_provinces": pl.Int64,
        "best_score": pl.Float64,
        "best_province": pl.String,
        "gap": pl.Float64,
        "note": pl.String,
    }
    if profile.is_empty():
        return pl.DataFrame(schema=schema)
    rows = profile.filter(pl.col("level") == level)
    if parent is not None:
        rows = rows.filter(pl.col("parent_code") == parent)
    order = _papi_dimension_order()
    out = []
    for r in rows.iter_rows(named=True):
        best = r["best_province_name"] or r["best_province_code"]
        if best and (r["best_count"] or 1) > 1:
            best = t("drilldown.best_tied", lang, name=best, n=r["best_count"] - 1)
        out.append(
            {
                "measure_code": r["measure_code"],
                "measure": _pick(r["measure_name_vi"], r["measure_name_en"], lang) or r["measure_code"],
                "score": r["score"],
                "rank": r["rank"],
                "n_provinces": r["n_provinces"],
                "best_score": r["best_score"],
                "best_province": best,
                "gap": None if r["score"] is None or r["best_score"] is None else r["score"] - r["best_score"],
                "note": t("drilldown.papi_missing", lang) if r["score"] is None else None,
                "__order": order.get(r["measure_code"], len(order)),
            }
        )
    if not out:
        return pl.DataFrame(schema=schema)
    frame = pl.DataFrame(out, schema={**schema, "__order": pl.Int64})
    return frame.sort(["__order", "measure_code"]).drop("__order")


def headline_papi(profile: pl.DataFrame, lang: str | None = None) -> list[tuple[str, str, str]]:
    """(label, value, help) of the province's PAPI total, rank and the best province's total."""
    lang = lang or current_lang()
    data = papi_frame(profile, "total", None, lang)
    if data.is_empty():
        return []
    r = data.row(0, named=True)
    score = r["note"] if r["score"] is None else fmt.number(r["score"], 2, lang)
    rank = fmt.NA if r["rank"] is None else f"{fmt.integer(r['rank'], lang)}/{fmt.integer(r['n_provinces'], lang)}"
    return [
        (t("drilldown.papi_total", lang), score, t("drilldown.papi_total_help", lang)),
        (t("drilldown.rank", lang), rank, t("drilldown.papi_rank_help", lang)),
        (
            t("drilldown.best", lang),
            f"{fmt.number(r['best_score'], 2, lang)} ({r['best_province'] or fmt.NA})",
            t("drilldown.best_help", lang),
        ),
    ]


def papi_dimension_choices(profile: pl.DataFrame, lang: str | None = None) -> dict[str, str]:
    """dimension code -> name, in PAPI's order, for the dimensions that have sub-dimensions."""
    lang = lang or current_lang()
    data = papi_frame(profile, "dimension", None, lang)
    if data.is_empty():
        return {}
    parents = set(profile.filter(pl.col("level") == "sub_dimension").get_column("parent_code").drop_nulls().to_list())
    return {r["measure_code"]: r["measure"] for r in data.iter_rows(named=True) if r["measure_code"] in parents}


def papi_figure(
    profile: pl.DataFrame,
    level: str = "dimension",
    parent: str | None = None,
    *,
    lang: str | None = None,
    return_df: bool = False,
) -> go.Figure | pl.DataFrame:
    """The province's score per measure (blue) beside the best province's (orange), with rank."""
    lang = lang or current_lang()
    data = papi_frame(profile, level, parent, lang)
    if return_df:
        return label_columns(
            data,
            lang,
            {
                "measure_code": t("xcol.measure_code", lang),
                "measure": t("xcol.measure", lang),
                "score": t("xcol.province_score", lang),
                "n_provinces": t("xcol.n_provinces", lang),
                "best_score": t("xcol.best_score", lang),
                "best_province": t("xcol.best_province", lang),
                "gap": t("xcol.gap_to_best", lang),
                "note": t("xcol.note", lang),
            },
        )
    rows = data.to_dicts()
    province = profile.get_column("province_name").drop_nulls()
    province_name = province[0] if len(province) else (profile.get_column("province_code")[0] if profile.height else "")
    labels = [r["measure"] for r in rows]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[r["score"] for r in rows],
            y=labels,
            orientation="h",
            name=province_name,
            marker={"color": EARNED},
            text=[
                r["note"]
                if r["score"] is None
                else f"{fmt.number(r['score'], 2, lang)} · {t('drilldown.rank_short', lang)} "
                f"{fmt.integer(r['rank'], lang)}/{fmt.integer(r['n_provinces'], lang)}"
                for r in rows
            ],
            textposition="outside",
            cliponaxis=False,
            hovertext=[
                f"<b>{r['measure']}</b><br>{province_name}: {fmt.number(r['score'], 2, lang)}"
                + ("" if r["rank"] is None else f" ({t('drilldown.rank_short', lang)} {r['rank']}/{r['n_provinces']})")
                for r in rows
            ],
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Bar(
            x=[r["best_score"] for r in rows],
            y=labels,
            orientation="h",
            name=t("drilldown.best", lang),
            marker={"color": BEST},
            text=[f"{fmt.number(r['best_score'], 2, lang)} · {r['best_province'] or ''}" for r in rows],
            textposition="outside",
            cliponaxis=False,
            hovertext=[
                f"<b>{r['measure']}</b><br>{t('drilldown.best', lang)}: {r['best_province']} "
                f"{fmt.number(r['best_score'], 2, lang)}"
                for r in rows
            ],
            hoverinfo="text",
        )
    )
    fig.update_layout(barmode="group", bargap=0.3)
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", title=None)
    fig.update_xaxes(title=t("unit.points", lang), tickformat=",.1f", rangemode="tozero")
    return theme.style(fig, lang, height=max(280, 120 + 2 * ROW_HEIGHT * len(rows)))


# ------------------------------------------------------------------------------------------------
# Headline numbers
# ------------------------------------------------------------------------------------------------
def render_headline(items: Sequence[tuple[str, str, str]]) -> None:
    """Draw (label, value, help) headline numbers side by side with st.metric."""
    import streamlit as st

    if not items:
        return
    for col, (label, value, help_text) in zip(st.columns(len(items)), items, strict=True):
        col.metric(label, value, help=help_text)
