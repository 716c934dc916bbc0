"""Series over months, quarters or years for chosen units, with target lines and methodology breaks.

No line is drawn across a methodology break (e.g. the SIPAS 2022 instrument, PAPI's 8 dimensions from
2018): each unit is one trace whose points are split into segments with a None between them, and a
dotted vertical marker labels the break. Input: an INDICATOR FRAME (ui/indicators.py) over several periods.

    chart = trend.chart(frame, indicator("sipas_overall"), grain="year", target=data.target_for("sipas_overall", 2024))
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui import theme
from ui.charts.common import Chart, figure_builder, label_columns, target_text
from ui.format import sort_units
from ui.i18n import current_lang, t
from ui.indicators import Indicator

MAX_TICKS = 24


def segment_frame(
    frame: pl.DataFrame,
    ind: Indicator,
    lang: str | None = None,
    grain: str = "year",
    units: Sequence[str] | None = None,
) -> pl.DataFrame:
    """The canonical frame behind the chart: one row per unit × period, in plotting order, with
    `segment` (0, 1, … per unit; a new segment starts at each methodology break) and `period` label.

    A break is where the `methodology` value changes between consecutive periods of a unit, or where
    the indicator's catalogue `breaks` year falls between them."""
    lang = lang or current_lang()
    if units is not None:
        frame = frame.filter(pl.col("unit_code").is_in(list(units)))
    if frame.is_empty():
        return pl.DataFrame()
    data = sort_units(frame, extra=["period_start"])
    rows = data.to_dicts()
    out = []
    last: dict[str, dict[str, Any]] = {}
    segments: dict[str, int] = {}
    for r in rows:
        prev = last.get(r["unit_code"])
        seg = segments.get(r["unit_code"], 0)
        if prev is not None and is_break(prev, r, ind.breaks):
            seg += 1
        segments[r["unit_code"]] = seg
        last[r["unit_code"]] = r
        out.append({**r, "segment": seg, "period": fmt.period(r["period_start"], grain, lang)})
    columns = ["unit_code", "unit_name", "period", "period_start", "value"]
    result = pl.DataFrame(out, infer_schema_length=None)
    for optional in ("n", "ci_low", "ci_high"):
        if result.get_column(optional).drop_nulls().len() > 0:
            columns.append(optional)
    columns += ["methodology", "segment"]
    return result.select(columns).with_columns(pl.col("segment").cast(pl.Int64))


def is_break(prev: Mapping[str, Any], cur: Mapping[str, Any], breaks: Iterable[int]) -> bool:
    """Whether a methodology break lies between two consecutive points of one unit."""
    pm, cm = prev.get("methodology"), cur.get("methodology")
    if pm is not None and cm is not None and pm != cm:
        return True
    py, cy = prev["period_start"].year, cur["period_start"].year
    return any(py < year <= cy for year in breaks)


def break_positions(data: pl.DataFrame, ind: Indicator) -> list[tuple[dt.date, str]]:
    """(x position, label) of each break: between the last point before and the first point after."""
    positions: dict[dt.date, str] = {}
    for _, unit in data.group_by("unit_code", maintain_order=True):
        rows = unit.sort("period_start").to_dicts()
        for prev, cur in itertools.pairwise(rows):
            if cur["segment"] != prev["segment"]:
                mid = prev["period_start"] + (cur["period_start"] - prev["period_start"]) / 2
                label = cur.get("methodology") or str(cur["period_start"].year)
                positions.setdefault(mid, label)
    return sorted(positions.items())


def chart(
    frame: pl.DataFrame,
    ind: Indicator,
    *,
    grain: str = "year",
    target: Mapping[str, Any] | None = None,
    units: Sequence[str] | None = None,
    lang: str | None = None,
) -> Chart:
    """Lines (one per unit, Okabe-Ito colours) of indicator `ind` over periods.

    target     {'value', 'comparator', 'on'} in display scale: a dashed horizontal line (value targets)
    units      unit codes to draw (default: every unit in the frame)
    table      the labelled frame of the plotted points: Mã đơn vị, Đơn vị, Kỳ, Ngày đầu kỳ,
               <indicator (unit)>, [n, CI], Phương pháp, segment
    """
    lang = lang or current_lang()
    data = segment_frame(frame, ind, lang, grain, units)
    if data.is_empty():
        return Chart(data, lambda: theme.style(go.Figure(), lang))
    table = label_columns(data, lang, {"value": ind.label(lang), "segment": t("col.segment", lang)})
    return Chart(table, lambda: _draw(data, ind, grain, target, lang))


figure = figure_builder(chart)


def _draw(data: pl.DataFrame, ind: Indicator, grain: str, target: Mapping[str, Any] | None, lang: str) -> go.Figure:
    fig = go.Figure()
    has_ci = "ci_low" in data.columns
    for i, (_, unit) in enumerate(data.group_by("unit_code", maintain_order=True)):
        rows = unit.to_dicts()
        xs: list[Any] = []
        ys: list[Any] = []
        hi: list[Any] = []
        lo: list[Any] = []
        texts: list[str] = []
        for j, r in enumerate(rows):
            if j > 0 and r["segment"] != rows[j - 1]["segment"]:
                xs.append(None)
                ys.append(None)
                hi.append(None)
                lo.append(None)
                texts.append("")
            xs.append(r["period_start"])
            ys.append(r["value"])
            shown = fmt.value(r["value"], ind.unit, ind.decimals, lang)
            texts.append(
                f"<b>{r['unit_name']}</b> · {r['period']}<br>{shown}"
                + (
                    f" [{fmt.value(r['ci_low'], ind.unit, ind.decimals, lang)}; "
                    f"{fmt.value(r['ci_high'], ind.unit, ind.decimals, lang)}]"
                    if has_ci
                    else ""
                )
                + (f"<br>n = {fmt.integer(r['n'], lang)}" if r.get("n") is not None else "")
                + (f"<br>{t('col.methodology', lang)}: {r['methodology']}" if r.get("methodology") else "")
            )
            if has_ci:
                hi.append(None if r["ci_high"] is None or r["value"] is None else r["ci_high"] - r["value"])
                lo.append(None if r["ci_low"] is None or r["value"] is None else r["value"] - r["ci_low"])
        colour = theme.series_colour(i)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                name=rows[0]["unit_name"],
                line={"color": colour, "width": 2},
                marker={"color": colour, "size": 7, "symbol": i % 8},
                connectgaps=False,
                hovertext=texts,
                hoverinfo="text",
                error_y={"type": "data", "array": hi, "arrayminus": lo, "symmetric": False, "thickness": 1}
                if has_ci
                else None,
            )
        )
    for x, label in break_positions(data, ind):
        fig.add_vline(
            x=dt.datetime.combine(x, dt.time()).timestamp() * 1000,
            line={"color": theme.BREAK, "dash": "dot", "width": 1.5},
            annotation={
                "text": t("trend.break", lang, label=label),
                "showarrow": False,
                "yref": "paper",
                "y": 1.0,
                "font": {"size": 11, "color": theme.BREAK},
            },
        )
    if target and target.get("value") is not None and target.get("on", "value") == "value":
        fig.add_hline(
            y=float(target["value"]),
            line={"color": theme.TARGET, "dash": "dash", "width": 1.5},
            annotation={
                "text": target_text(target, ind.unit, lang),
                "showarrow": False,
                "font": {"size": 12},
            },
        )
    ticks = sorted(set(data.get_column("period_start").to_list()))
    step = max(1, -(-len(ticks) // MAX_TICKS))
    shown = ticks[::step]
    fig.update_xaxes(tickmode="array", tickvals=shown, ticktext=[fmt.period(x, grain, lang) for x in shown], title=None)
    fig.update_yaxes(title=ind.label(lang), tickformat=fmt.d3_format(ind.unit, 0))
    if ind.unit == "%":
        low = data.get_column("value").drop_nulls()
        floor = 0 if low.is_empty() or low.min() < 50 else 40
        fig.update_yaxes(range=[floor, 102])
    return theme.style(fig, lang, height=440)
