"""Ranking bars: one bar per unit, best at the top, with rank, rank change, a target line and the
band (766) or quartile colour. Input: an INDICATOR FRAME (ui/indicators.py) — the latest period in it is used.

    chart = ranking.chart(frame, indicator("service_index_766"), target=data.target_for(...), bands=band_names)
    chart.figure, chart.table                      # or figure(..., return_df=True) for the table alone
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui import theme
from ui.charts.common import (
    Chart,
    Names,
    band_label,
    competition_rank,
    each,
    figure_builder,
    label_columns,
    meets,
    quartile_from_rank,
    quartile_label,
    rank_change_text,
    target_text,
)
from ui.format import sort_units
from ui.i18n import current_lang, t
from ui.indicators import Indicator

ROW_HEIGHT = 26


def ranking_frame(
    frame: pl.DataFrame,
    ind: Indicator,
    target: Mapping[str, Any] | None = None,
    lang: str | None = None,
    bands: Names | None = None,
) -> pl.DataFrame:
    """The canonical (unlabelled) frame behind the chart, in plotting order (best first).

    Columns: rank, unit_code, unit_name, value, rank_change, colour_by ('band'|'quartile'), group
    (band or quartile code as text), group_label, [n, ci_low, ci_high when given], [target, met]."""
    lang = lang or current_lang()
    if frame.is_empty():
        return pl.DataFrame()
    latest = frame.get_column("period_start").max()
    cur = frame.filter(pl.col("period_start") == latest)
    has_rank = cur.get_column("rank").drop_nulls().len() > 0
    cur = cur.with_columns(
        (pl.col("rank") if has_rank else competition_rank(pl.col("value"), ind.higher_is_better)).alias("rank")
    )
    n_ranked = cur.get_column("rank").drop_nulls().len() or 1
    if cur.get_column("band").drop_nulls().len() > 0:
        colour_by = "band"
        cur = cur.with_columns(pl.col("band").alias("group"))
        cur = cur.with_columns(each(cur.get_column("band"), lambda b: band_label(b, bands, lang)).alias("group_label"))
    else:
        colour_by = "quartile"
        quart = (
            pl.col("quartile")
            if cur.get_column("quartile").drop_nulls().len() > 0
            else quartile_from_rank(pl.col("rank"), n_ranked)
        )
        cur = cur.with_columns(quart.alias("quartile"))
        cur = cur.with_columns(
            pl.col("quartile").cast(pl.String).alias("group"),
            each(cur.get_column("quartile"), lambda q: quartile_label(q, lang)).alias("group_label"),
        )
    # Best value first (units of several levels, e.g. districts and departments, ranked each among
    # their own, interleave correctly); names in Vietnamese order break ties.
    cur = sort_units(cur).with_row_index("__name_order")
    cur = cur.sort(["value", "__name_order"], descending=[ind.higher_is_better, False], nulls_last=True).drop(
        "__name_order"
    )
    columns = ["rank", "unit_code", "unit_name", "value", "rank_change", "group", "group_label"]
    for optional in ("n", "ci_low", "ci_high"):
        if cur.get_column(optional).drop_nulls().len() > 0:
            columns.append(optional)
    out = cur.select(columns).with_columns(pl.lit(colour_by).alias("colour_by"))
    if target and target.get("value") is not None:
        basis = "rank" if target.get("on") == "rank" else "value"
        comparator = target.get("comparator") or ">="
        value = float(target["value"])
        out = out.with_columns(
            pl.lit(value).alias("target"),
            each(out.get_column(basis), lambda v: meets(v, value, comparator), pl.Boolean).alias("met"),
        )
    return out


def _colour(row: dict[str, Any], highlight: str | None) -> str:
    if row["colour_by"] == "band":
        colour = theme.band_colour(row["group"])
    else:
        colour = theme.quartile_colour(int(row["group"])) if row["group"] is not None else theme.NEUTRAL
    return colour


def chart(
    frame: pl.DataFrame,
    ind: Indicator,
    *,
    target: Mapping[str, Any] | None = None,
    highlight: str | None = None,
    bands: Names | None = None,
    lang: str | None = None,
) -> Chart:
    """Horizontal ranking bars of indicator `ind` (see module docstring).

    target     {'value', 'comparator', 'on'} in display scale (ui.data.target_for); a dashed line
               when on='value', a `met` column either way
    highlight  a unit code drawn with a thick outline (the user's own unit)
    bands      766 band code -> (name_vi, name_en) (ui.lookups.band_names)
    table      the labelled frame exactly as plotted: Hạng, Mã đơn vị, Đơn vị, <indicator (unit)>,
               Thay đổi hạng, Xếp loại/Nhóm, [n, CI], [Mục tiêu, Đạt]
    """
    lang = lang or current_lang()
    data = ranking_frame(frame, ind, target, lang, bands)
    if data.is_empty():
        return Chart(data, lambda: theme.style(go.Figure(), lang))
    group_header = t("col.band" if data.get_column("colour_by")[0] == "band" else "col.quartile", lang)
    out = data.drop(["group", "colour_by"]).rename({"group_label": "group"})
    table = label_columns(out, lang, {"value": ind.label(lang), "group": group_header})
    return Chart(table, lambda: _draw(data, ind, target, highlight, lang))


figure = figure_builder(chart)


def _draw(
    data: pl.DataFrame, ind: Indicator, target: Mapping[str, Any] | None, highlight: str | None, lang: str
) -> go.Figure:
    fig = go.Figure()
    rows = data.to_dicts()
    names = [r["unit_name"] for r in rows]
    colours = [_colour(r, highlight) for r in rows]
    texts = []
    for r in rows:
        text = fmt.value(r["value"], ind.unit, ind.decimals, lang)
        if r["value"] is None and ind.family == "sipas" and r.get("n") is not None:
            text = t("drilldown.too_few", lang)  # fewer than 30 respondents: suppressed by queries/sipas.sql
        change = rank_change_text(r["rank_change"], lang)
        rank = f"#{r['rank']}" if r["rank"] is not None else ""
        texts.append(" ".join(part for part in (text, rank, change) if part))
    error_x = None
    if "ci_low" in data.columns:
        error_x = {
            "type": "data",
            "symmetric": False,
            "array": [
                (r["ci_high"] - r["value"]) if r["ci_high"] is not None and r["value"] is not None else None
                for r in rows
            ],
            "arrayminus": [
                (r["value"] - r["ci_low"]) if r["ci_low"] is not None and r["value"] is not None else None for r in rows
            ],
            "color": "#595959",
            "thickness": 1,
        }
    hover = [
        f"<b>{r['unit_name']}</b><br>{ind.name(lang)}: {fmt.value(r['value'], ind.unit, ind.decimals, lang)}"
        f"<br>{t('col.rank', lang)}: {r['rank'] if r['rank'] is not None else fmt.NA}"
        + (f" ({rank_change_text(r['rank_change'], lang)})" if r["rank_change"] is not None else "")
        + (f"<br>{r['group_label']}" if r["group_label"] else "")
        for r in rows
    ]
    line_widths = [3 if highlight is not None and r["unit_code"] == highlight else 0 for r in rows]
    fig.add_trace(
        go.Bar(
            x=[r["value"] for r in rows],
            y=names,
            orientation="h",
            marker={"color": colours, "line": {"color": "#000000", "width": line_widths}},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            error_x=error_x,
            hovertext=hover,
            hoverinfo="text",
            showlegend=False,
            name=ind.name(lang),
        )
    )
    # Legend entries for the colour groups present (colour is never the only carrier: text says it too)
    seen: dict[str, str] = {}
    for r, colour in zip(rows, colours, strict=True):
        if r["group_label"] and r["group_label"] not in seen:
            seen[r["group_label"]] = colour
    for label_, colour in seen.items():
        fig.add_trace(
            go.Bar(x=[None], y=[None], marker={"color": colour}, name=label_, showlegend=True, hoverinfo="skip")
        )
    if target and target.get("value") is not None and target.get("on", "value") == "value":
        fig.add_vline(
            x=float(target["value"]),
            line={"color": theme.TARGET, "dash": "dash", "width": 1.5},
            annotation={
                "text": target_text(target, ind.unit, lang),
                "yref": "paper",
                "y": 1.0,
                "showarrow": False,
                "font": {"size": 12},
            },
        )
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", title=None)
    fig.update_xaxes(title=ind.label(lang), tickformat=fmt.d3_format(ind.unit, 0 if ind.unit == "%" else None))
    if ind.unit == "%":
        fig.update_xaxes(range=[0, 105])
    fig.update_layout(barmode="overlay", bargap=0.25)
    fig = theme.style(fig, lang, height=max(260, 90 + ROW_HEIGHT * len(rows)))
    # Room on the right for the value, rank and rank-change labels drawn outside the bars.
    return fig.update_layout(margin={"r": 150})
