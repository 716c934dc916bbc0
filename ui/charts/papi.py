"""PAPI drill-down: a province's total and rank → its dimensions → the sub-dimensions of one dimension,
the best province alongside every measure.

    headline(profile)                                  input: papi_profile rows
    chart(profile, level="dimension" | "sub_dimension", parent=None)   -> Chart (ui/charts/common.py)
"""

from __future__ import annotations

import functools
from typing import Any

import plotly.graph_objects as go
import polars as pl

from queries.vocabulary import PAPI_DIMENSIONS, papi_measure_code
from ui import format as fmt
from ui import theme
from ui.charts import earned
from ui.charts.common import Chart, figure_builder, label_columns, rank_of
from ui.i18n import current_lang, t

SCHEMA = {
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


@functools.cache
def dimension_order() -> dict[str, int]:
    """Measure code -> position in PAPI's order of dimensions (queries.vocabulary.PAPI_DIMENSIONS)."""
    order: dict[str, int] = {}
    for name in PAPI_DIMENSIONS:
        order.setdefault(papi_measure_code(name), len(order))
    return order


def frame(
    profile: pl.DataFrame, level: str = "dimension", parent: str | None = None, lang: str | None = None
) -> pl.DataFrame:
    """The province's measures of a level (dimensions, or the sub-dimensions of `parent`) with the best
    province alongside: measure_code, measure, score, rank, n_provinces, best_score, best_province,
    gap (score − best; 0 for the best), note (missing score)."""
    lang = lang or current_lang()
    rows = profile.filter(pl.col("level") == level)
    if parent is not None:
        rows = rows.filter(pl.col("parent_code") == parent)
    order = dimension_order()
    out = []
    for r in rows.iter_rows(named=True):
        best = r["best_province_name"] or r["best_province_code"]
        if best and (r["best_count"] or 1) > 1:
            best = t("drilldown.best_tied", lang, name=best, n=r["best_count"] - 1)
        vi, en = r["measure_name_vi"], r["measure_name_en"]
        name = (en or vi) if lang == "en" else (vi or en)
        out.append(
            {
                "measure_code": r["measure_code"],
                "measure": name or r["measure_code"],
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
    return pl.DataFrame(out, schema={**SCHEMA, "__order": pl.Int64}).sort(["__order", "measure_code"]).drop("__order")


def headline(profile: pl.DataFrame, lang: str | None = None) -> list[tuple[str, str, str]]:
    """(label, value, help) of the province's PAPI total, rank and the best province's total."""
    lang = lang or current_lang()
    data = frame(profile, "total", None, lang)
    if data.is_empty():
        return []
    r = data.row(0, named=True)
    score = r["note"] if r["score"] is None else fmt.number(r["score"], 2, lang)
    return [
        (t("drilldown.papi_total", lang), score, t("drilldown.papi_total_help", lang)),
        (
            t("drilldown.rank", lang),
            rank_of(r["rank"], r["n_provinces"], lang),
            t("drilldown.papi_rank_help", lang),
        ),
        (
            t("drilldown.best", lang),
            f"{fmt.number(r['best_score'], 2, lang)} ({r['best_province'] or fmt.NA})",
            t("drilldown.best_help", lang),
        ),
    ]


def dimension_choices(profile: pl.DataFrame, lang: str | None = None) -> dict[str, str]:
    """dimension code -> name, in PAPI's order, for the dimensions that have sub-dimensions."""
    lang = lang or current_lang()
    parents = set(profile.filter(pl.col("level") == "sub_dimension").get_column("parent_code").drop_nulls().to_list())
    data = frame(profile, "dimension", None, lang)
    return {r["measure_code"]: r["measure"] for r in data.iter_rows(named=True) if r["measure_code"] in parents}


def chart(
    profile: pl.DataFrame, level: str = "dimension", parent: str | None = None, *, lang: str | None = None
) -> Chart:
    """The province's score per measure (blue) beside the best province's (orange), with rank."""
    lang = lang or current_lang()
    data = frame(profile, level, parent, lang)
    table = label_columns(
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
    province = profile.get_column("province_name").drop_nulls()
    province_name = province[0] if len(province) else (profile.get_column("province_code")[0] if profile.height else "")
    return Chart(table, lambda: _draw(data.to_dicts(), province_name, lang))


figure = figure_builder(chart)


def _draw(rows: list[dict[str, Any]], province_name: str, lang: str) -> go.Figure:
    labels = [r["measure"] for r in rows]
    rank = t("drilldown.rank_short", lang)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[r["score"] for r in rows],
            y=labels,
            orientation="h",
            name=province_name,
            marker={"color": earned.EARNED},
            text=[
                r["note"]
                if r["score"] is None
                else f"{fmt.number(r['score'], 2, lang)} · {rank} "
                f"{fmt.integer(r['rank'], lang)}/{fmt.integer(r['n_provinces'], lang)}"
                for r in rows
            ],
            textposition="outside",
            cliponaxis=False,
            hovertext=[
                f"<b>{r['measure']}</b><br>{province_name}: {fmt.number(r['score'], 2, lang)}"
                + ("" if r["rank"] is None else f" ({rank} {r['rank']}/{r['n_provinces']})")
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
            marker={"color": earned.BEST},
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
    return theme.style(fig, lang, height=max(280, 120 + 2 * earned.ROW_HEIGHT * len(rows)))
