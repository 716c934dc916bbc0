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
    distinct_names,
    each,
    figure_builder,
    label_columns,
    meets,
    quartile_from_rank,
    quartile_label,
    rank_change_text,
    rank_of,
    right_labels,
    target_text,
)
from ui.charts.sipas import hidden_note
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

    Columns: rank, ranked_units (the N of "rank n of N"), unit_code, unit_name, value, rank_change,
    colour_by ('band'|'quartile'), group (band or quartile code as text), group_label, [n, ci_low, ci_high,
    rank_best, rank_worst, change_significant, approximate when given], [target, met]. The last year of
    the frame is ranked, each code's latest part of it (ui.data.ranked_frame keeps the units of the year's
    end)."""
    lang = lang or current_lang()
    if frame.is_empty():
        return pl.DataFrame()
    # The last year's rows, a code's latest part (in 2025 as published, code 52 is Gia Lai from 1 July)
    last = frame.get_column("period_start").max().year
    cur = frame.filter(pl.col("period_start").dt.year() == last)
    cur = cur.sort("period_start").unique(subset="unit_code", keep="last", maintain_order=True)
    has_rank = cur.get_column("rank").drop_nulls().len() > 0
    cur = cur.with_columns(
        (pl.col("rank") if has_rank else competition_rank(pl.col("value"), ind.higher_is_better)).alias("rank")
    )
    # N of "rank n of N": how many units the query ranked the unit among (its level, province and, for PAR,
    # framework), else the units ranked here; quartiles come from the same N, so they stay 1–4
    shown_ranked = cur.get_column("rank").drop_nulls().len() or 1
    ranked_units = (
        pl.col("ranked_units").fill_null(shown_ranked)
        if "ranked_units" in cur.columns and has_rank
        else pl.lit(shown_ranked, dtype=pl.Int64)
    )
    cur = cur.with_columns(ranked_units.cast(pl.Int64).alias("ranked_units"))
    if cur.get_column("band").drop_nulls().len() > 0:
        colour_by = "band"
        cur = cur.with_columns(pl.col("band").alias("group"))
        cur = cur.with_columns(each(cur.get_column("band"), lambda b: band_label(b, bands, lang)).alias("group_label"))
    else:
        colour_by = "quartile"
        quart = (
            pl.col("quartile")
            if cur.get_column("quartile").drop_nulls().len() > 0
            else quartile_from_rank(pl.col("rank"), pl.col("ranked_units"))
        )
        cur = cur.with_columns(quart.clip(1, 4).alias("quartile"))
        cur = cur.with_columns(
            pl.col("quartile").cast(pl.String).alias("group"),
            each(cur.get_column("quartile"), lambda q: quartile_label(q, lang)).alias("group_label"),
        )
    # Best value first; names in Vietnamese order break ties.
    cur = sort_units(cur).with_row_index("__name_order")
    cur = cur.sort(["value", "__name_order"], descending=[ind.higher_is_better, False], nulls_last=True).drop(
        "__name_order"
    )
    columns = ["rank", "ranked_units", "unit_code", "unit_name", "value", "rank_change", "group", "group_label"]
    for optional in ("n", "ci_low", "ci_high", "rank_best", "rank_worst", "change_significant", "approximate"):
        if optional in cur.columns and cur.get_column(optional).drop_nulls().len() > 0:
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


def bar_label(r: Mapping[str, Any], ind: Indicator, lang: str) -> str:
    """The text right of a bar: value, rank of N, rank change ("98,5% · 3/27 ▲2"), "(không ý nghĩa)" where
    the intervals cannot support the change, "≈" where the value is re-based approximately."""
    text = fmt.value(r["value"], ind.unit, ind.decimals, lang)
    if r["value"] is None and ind.family == "sipas" and r.get("n") is not None:
        text = hidden_note(r["n"], lang)  # suppressed: fewer than 30 respondents, or it would give such a share
    if r.get("approximate"):
        text = f"≈{text}"
    parts = [text]
    if r["rank"] is not None:
        parts.append(rank_of(r["rank"], r.get("ranked_units"), lang))
    change = rank_change_text(r["rank_change"], lang)
    if change:
        if r.get("change_significant") is False:
            change += f" ({t('reform.not_significant', lang)})"
        parts.append(change)
    return " · ".join(parts)


def _draw(
    data: pl.DataFrame, ind: Indicator, target: Mapping[str, Any] | None, highlight: str | None, lang: str
) -> go.Figure:
    fig = go.Figure()
    rows = data.to_dicts()
    names = distinct_names([r["unit_name"] for r in rows], [r["unit_code"] for r in rows])
    colours = [_colour(r, highlight) for r in rows]
    labels = [bar_label(r, ind, lang) for r in rows]
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
        + (
            f" [{fmt.value(r['ci_low'], ind.unit, ind.decimals, lang)};"
            f" {fmt.value(r['ci_high'], ind.unit, ind.decimals, lang)}]"
            if r.get("ci_low") is not None
            else ""
        )
        + f"<br>{t('col.rank', lang)}: {rank_of(r['rank'], r.get('ranked_units'), lang)}"
        + (f" ({rank_change_text(r['rank_change'], lang)})" if r["rank_change"] is not None else "")
        + (
            f"<br>{t('reform.rank_interval', lang, best=r['rank_best'], worst=r['rank_worst'])}"
            if r.get("rank_best") is not None
            else ""
        )
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
        # the line across the plot, named in the legend (a label on the line would sit on bars and whiskers)
        fig.add_vline(x=float(target["value"]), line={"color": theme.TARGET, "dash": "dash", "width": 1.5})
        fig.add_trace(
            go.Scatter(
                x=[None], y=[None], mode="lines", name=target_text(target, ind.unit, lang), hoverinfo="skip",
                line={"color": theme.TARGET, "dash": "dash", "width": 1.5}, showlegend=True,
            )
        )  # fmt: skip
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", title=None)
    fig.update_xaxes(title=ind.label(lang), tickformat=fmt.d3_format(ind.unit, 0 if ind.unit == "%" else None))
    if ind.unit == "%":
        fig.update_xaxes(range=[0, 105])
    fig.update_layout(barmode="overlay", bargap=0.25)
    fig = theme.style(fig, lang, height=max(300, 150 + ROW_HEIGHT * len(rows)))
    # value, rank and rank change in a column right of the plot (common.right_labels)
    return right_labels(fig, names, labels)
