"""PAR Index drill-down: a unit's index, score and rank → its areas → the criteria of one area.

    headline(par_rows, unit)                    input: par_index rows
    areas_chart(par_rows, unit, area_names)     area_names: ui.lookups.component_names()["par"]
    criteria_chart(criteria)                    input: par_criteria rows

Each `*_chart` returns a Chart (ui/charts/common.py); the `*_frame` functions return the same rows with
canonical column names.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui.charts import earned
from ui.charts.common import Chart, Names, each, figure_builder, label_columns, rank_change_text, rank_of
from ui.format import natural_key
from ui.i18n import current_lang, t


def headline(par_rows: pl.DataFrame, unit_code: str, lang: str | None = None) -> list[tuple[str, str, str]]:
    """(label, value, help) of the unit's PAR Index, score and rank, from par_index rows."""
    lang = lang or current_lang()
    rows = par_rows.filter((pl.col("unit_code") == unit_code) & (pl.col("area_code") == "total"))
    if rows.is_empty():
        return []
    row = rows.row(0, named=True)
    ranked = row.get("ranked_units")  # among the units of its level, framework and province (par_index)
    change = rank_change_text(row["rank_change"], lang)
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
            rank_of(row["rank"], ranked, lang) + (f" ({change})" if change else ""),
            t("drilldown.par_rank_help", lang),
        ),
    ]


AREAS_SCHEMA = {
    "area_code": pl.String,
    "area": pl.String,
    "score": pl.Float64,
    "max_points": pl.Float64,
    "points_lost": pl.Float64,
    "area_index": pl.Float64,
}
CRITERIA_SCHEMA = {
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


def _area_name(code: str, name_vi: str | None, names: Names, lang: str) -> str:
    """ "1. <name>": the framework of the year names its areas; in English the name the reference
    frameworks give that Vietnamese name (`names` is keyed by code and by Vietnamese name)."""
    if lang == "en" and name_vi is not None and name_vi in names:
        return f"{code}. {names[name_vi][1]}"
    if lang == "en" and code in names and (name_vi is None or names[code][0] == name_vi):
        return f"{code}. {names[code][1]}"
    return f"{code}. {name_vi or names.get(code, (code,))[0]}"


def areas_frame(par_rows: pl.DataFrame, unit_code: str, area_names: Names, lang: str | None = None) -> pl.DataFrame:
    """One row per area of the unit (area order): area_code, area, score, max_points, points_lost,
    area_index (%)."""
    lang = lang or current_lang()
    rows = par_rows.filter((pl.col("unit_code") == unit_code) & (pl.col("area_code") != "total"))
    if rows.is_empty():
        return pl.DataFrame(schema=AREAS_SCHEMA)
    out = rows.with_columns(
        each(
            rows.select(pl.struct("area_code", "area_name_vi")).to_series(),
            lambda s: _area_name(s["area_code"], s["area_name_vi"], area_names, lang),
        ).alias("area"),
        (pl.col("max_points") - pl.col("score")).alias("points_lost"),
    ).sort(natural_key(pl.col("area_code")))
    return out.select(list(AREAS_SCHEMA)).cast(AREAS_SCHEMA)


def criteria_frame(criteria: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """One row per criterion (area, then criterion order): area_code, area, criterion_code,
    max_points, self_points, appraised_points, survey_points, score, points_lost, capped."""
    lang = lang or current_lang()
    if criteria.is_empty():
        return pl.DataFrame(schema=CRITERIA_SCHEMA)

    def area(s: dict) -> str:
        name = (s["area_name_en"] or s["area_name_vi"]) if lang == "en" else (s["area_name_vi"] or s["area_name_en"])
        return f"{s['area_code']}. {name or ''}".rstrip(". ")

    out = criteria.with_columns(
        each(criteria.select(pl.struct("area_code", "area_name_vi", "area_name_en")).to_series(), area).alias("area")
    ).sort(natural_key(pl.col("area_code")), natural_key(pl.col("criterion_code")), maintain_order=True)
    return out.select(list(CRITERIA_SCHEMA)).cast(CRITERIA_SCHEMA)


def _labels(lang: str) -> dict[str, str]:
    keys = ("area_code", "area", "score", "max_points", "points_lost", "area_index", "self_points",
            "appraised_points", "survey_points", "capped")  # fmt: skip
    return {**{k: t(f"xcol.{k}", lang) for k in keys}, "criterion_code": t("xcol.criterion", lang)}


def areas_chart(par_rows: pl.DataFrame, unit_code: str, area_names: Names, *, lang: str | None = None) -> Chart:
    """Points earned and lost in each PAR area, with the area index in the hover."""
    lang = lang or current_lang()
    data = areas_frame(par_rows, unit_code, area_names, lang)

    def draw() -> go.Figure:
        rows = data.to_dicts()
        return earned.bars(
            [r["area"] for r in rows],
            [r["score"] for r in rows],
            [r["max_points"] for r in rows],
            lang=lang,
            hover_extra=[f"{t('xcol.area_index', lang)}: {fmt.value(r['area_index'], '%', 1, lang)}" for r in rows],
        )

    return Chart(label_columns(data, lang, _labels(lang)), draw)


def criteria_chart(criteria: pl.DataFrame, *, lang: str | None = None) -> Chart:
    """Points earned and lost per criterion; the hover shows the appraised and survey points and
    whether they were capped at the maximum."""
    lang = lang or current_lang()
    data = criteria_frame(criteria, lang)

    def draw() -> go.Figure:
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
        return earned.bars(
            [f"{t('xcol.criterion', lang)} {r['criterion_code']}" for r in rows],
            [r["score"] for r in rows],
            [r["max_points"] for r in rows],
            lang=lang,
            hover_extra=extra,
        )

    return Chart(label_columns(data, lang, _labels(lang)), draw)


areas_figure = figure_builder(areas_chart)
criteria_figure = figure_builder(criteria_chart)


def weakest_area(par_rows: pl.DataFrame, unit_code: str, area_names: Names) -> str | None:
    """The area with the lowest area index (most room to gain), None without areas."""
    data = areas_frame(par_rows, unit_code, area_names).filter(pl.col("area_index").is_not_null())
    if data.is_empty():
        return None
    return data.sort("area_index", maintain_order=True).get_column("area_code")[0]


def area_choices(par_rows: pl.DataFrame, unit_code: str, area_names: Names, lang: str | None = None) -> dict[str, str]:
    """area code -> "1. name (−0,70 điểm)", area order."""
    lang = lang or current_lang()
    data = areas_frame(par_rows, unit_code, area_names, lang)
    return {
        r["area_code"]: earned.with_points_lost(r["area"], r["points_lost"], lang) for r in data.iter_rows(named=True)
    }
