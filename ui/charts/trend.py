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


REFORM_DAY = dt.date(2025, 7, 1)  # the units of the reform (docs/units.md): a marker, never a line across a new unit


def canonical_start(day: dt.date, grain: str) -> dt.date:
    """The first day of the period `day` falls in (2025-07-01 -> 2025-01-01 for years)."""
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, 1, 1)


def segment_frame(
    frame: pl.DataFrame,
    ind: Indicator,
    lang: str | None = None,
    grain: str = "year",
    units: Sequence[str] | None = None,
) -> pl.DataFrame:
    """The canonical frame behind the chart: one row per unit in time × period, in plotting order, with
    `series` (the unit in time: its code and formed_on, so code 52 as Bình Định and as Gia Lai are two
    lines), `segment` (0, 1, … per series; a new segment starts at each methodology break and after a
    period without a value) and `period` label.

    A period the series' unit existed in (between its first and last point) with no row gets a row with an
    empty value: a gap in the line, never a zero. A break is where the `methodology` value changes between
    consecutive periods, or where the indicator's catalogue `breaks` year falls between them."""
    lang = lang or current_lang()
    if units is not None:
        frame = frame.filter(pl.col("unit_code").is_in(list(units)))
    if frame.is_empty():
        return pl.DataFrame()
    if "formed_on" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Date).alias("formed_on"))
    if "approximate" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Boolean).alias("approximate"))
    data = sort_units(frame, extra=["period_start"])
    grid = sorted({canonical_start(d, grain) for d in data.get_column("period_start").to_list()})
    rows = data.to_dicts()
    by_series: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        key = r["unit_code"] + ("@" + r["formed_on"].isoformat() if r["formed_on"] is not None else "")
        by_series.setdefault(key, []).append({**r, "series": key})
    out = []
    for points in by_series.values():
        points.sort(key=lambda r: r["period_start"])
        have = {canonical_start(r["period_start"], grain) for r in points}
        first, last = (
            canonical_start(points[0]["period_start"], grain),
            canonical_start(points[-1]["period_start"], grain),
        )
        for missing in (g for g in grid if first < g < last and g not in have):
            gap = {**points[0], "period_start": missing, "value": None, "n": None, "ci_low": None, "ci_high": None}
            gap["approximate"] = None
            points.append(gap)
        points.sort(key=lambda r: r["period_start"])
        seg = 0
        prev = None
        for r in points:
            if prev is not None and (is_break(prev, r, ind.breaks) or prev["value"] is None):
                seg += 1
            prev = r
            period = fmt.period(r["period_start"], grain, lang)
            if r["period_start"] != canonical_start(r["period_start"], grain):
                period += " " + t("reform.from_day", lang, day=fmt.date(r["period_start"], lang))
            out.append({**r, "segment": seg, "period": period})
    columns = ["series", "unit_code", "unit_name", "period", "period_start", "value"]
    result = pl.DataFrame(out, infer_schema_length=None)
    for optional in ("n", "ci_low", "ci_high", "approximate"):
        if optional in result.columns and result.get_column(optional).drop_nulls().len() > 0:
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
    for _, unit in data.group_by("series", maintain_order=True):
        rows = unit.sort("period_start").to_dicts()
        for prev, cur in itertools.pairwise(rows):
            if cur["segment"] != prev["segment"] and is_break(prev, cur, ind.breaks):
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
    targets: pl.DataFrame | None = None,
    units: Sequence[str] | None = None,
    lang: str | None = None,
) -> Chart:
    """Lines (one per unit in time, Okabe-Ito colours) of indicator `ind` over periods, with a marker at the
    reform of 1 July 2025 when the periods span it.

    targets    year, value, comparator, on (ui.data.targets_by_year): each year's own target, a dashed step
               line (value targets); `target` (one for every year) is the same for a single target
    units      unit codes to draw (default: every unit in the frame)
    table      the labelled frame of the plotted points: Mã đơn vị, Đơn vị, Kỳ, Ngày đầu kỳ,
               <indicator (unit)>, [n, CI, approximate], Phương pháp, segment
    """
    lang = lang or current_lang()
    data = segment_frame(frame, ind, lang, grain, units)
    if data.is_empty():
        return Chart(data, lambda: theme.style(go.Figure(), lang))
    if targets is None and target and target.get("value") is not None:
        years = sorted({d.year for d in data.get_column("period_start").to_list()})
        targets = pl.DataFrame(
            [{"year": y, **target} for y in years],
            schema={"year": pl.Int64, "value": pl.Float64, "comparator": pl.String, "on": pl.String},
        )
    table = label_columns(data.drop("series"), lang, {"value": ind.label(lang), "segment": t("col.segment", lang)})
    return Chart(table, lambda: _draw(data, ind, grain, targets, lang))


figure = figure_builder(chart)


def _draw(data: pl.DataFrame, ind: Indicator, grain: str, targets: pl.DataFrame | None, lang: str) -> go.Figure:
    fig = go.Figure()
    has_ci = "ci_low" in data.columns
    for i, (_, unit) in enumerate(data.group_by("series", maintain_order=True)):
        rows = unit.to_dicts()
        xs: list[Any] = []
        ys: list[Any] = []
        hi: list[Any] = []
        lo: list[Any] = []
        texts: list[str] = []
        symbols: list[str] = []
        for j, r in enumerate(rows):
            if j > 0 and r["segment"] != rows[j - 1]["segment"]:
                xs.append(None)
                ys.append(None)
                hi.append(None)
                lo.append(None)
                texts.append("")
                symbols.append("circle")
            xs.append(r["period_start"])
            ys.append(r["value"])
            shown = fmt.value(r["value"], ind.unit, ind.decimals, lang)
            if r.get("approximate"):
                shown = f"≈{shown} ({t('reform.approximate_short', lang)})"
            retro = ind.retroactive(r["period_start"].year)
            texts.append(
                f"<b>{r['unit_name']}</b> · {r['period']}<br>{shown}"
                + (
                    f" [{fmt.value(r['ci_low'], ind.unit, ind.decimals, lang)}; "
                    f"{fmt.value(r['ci_high'], ind.unit, ind.decimals, lang)}]"
                    if has_ci and r["value"] is not None
                    else ""
                )
                + (f"<br>n = {fmt.integer(r['n'], lang)}" if r.get("n") is not None else "")
                + (f"<br>{t('col.methodology', lang)}: {r['methodology']}" if r.get("methodology") else "")
                + (f"<br>{t('reform.retroactive_766_short', lang)}" if retro else "")
            )
            symbols.append("circle-open" if retro or r.get("approximate") else "circle")
            if has_ci:
                hi.append(None if r["ci_high"] is None or r["value"] is None else r["ci_high"] - r["value"])
                lo.append(None if r["ci_low"] is None or r["value"] is None else r["value"] - r["ci_low"])
        colour = theme.series_colour(i)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                name=rows[-1]["unit_name"],
                line={"color": colour, "width": 2},
                marker={"color": colour, "size": 8, "symbol": symbols},
                connectgaps=False,
                hovertext=texts,
                hoverinfo="text",
                error_y={"type": "data", "array": hi, "arrayminus": lo, "symmetric": False, "thickness": 1}
                if has_ci
                else None,
            )
        )
    for x, label in break_positions(data, ind):
        _marker(fig, x, t("trend.break", lang, label=label))
    days = data.get_column("period_start").to_list()
    if min(days) < REFORM_DAY <= max(days):
        _marker(fig, REFORM_DAY, t("reform.marker", lang), colour=theme.OKABE_ITO["reddish_purple"])
    if ind.in_force_from is not None and min(days) < ind.in_force_from:
        fig.add_vrect(
            x0=_ms(min(days)),
            x1=_ms(min(ind.in_force_from, max(days))),
            fillcolor=theme.MISSING,
            opacity=0.35,
            line_width=0,
            layer="below",
            annotation={"text": t("reform.retroactive_766_short", lang), "font": {"size": 11}, "yanchor": "bottom"},
            annotation_position="bottom left",
        )
    if targets is not None and not targets.is_empty():
        goals = targets.filter(pl.col("on") == "value").sort("year")
        first_x = min(days)
        xs_t, ys_t, hover_t = [], [], []
        for r in goals.to_dicts():
            start = max(dt.date(r["year"], 1, 1), first_x)
            end = min(dt.date(r["year"], 12, 31), max(days) if grain == "year" else dt.date(r["year"], 12, 31))
            text = f"{r['year']}: {target_text(r, ind.unit, lang)}"
            xs_t += [start, max(start, end), None]
            ys_t += [r["value"], r["value"], None]
            hover_t += [text, text, ""]
        if xs_t:
            fig.add_trace(
                go.Scatter(
                    x=xs_t, y=ys_t, mode="lines", name=t("reform.targets_by_year", lang), hovertext=hover_t,
                    hoverinfo="text", line={"color": theme.TARGET, "dash": "dash", "width": 1.5}, connectgaps=False,
                )
            )  # fmt: skip
    ticks = sorted(set(days))
    step = max(1, -(-len(ticks) // MAX_TICKS))
    shown = ticks[::step]
    fig.update_xaxes(tickmode="array", tickvals=shown, ticktext=[fmt.period(x, grain, lang) for x in shown], title=None)
    fig.update_yaxes(title=ind.label(lang), tickformat=fmt.d3_format(ind.unit, 0))
    if ind.unit == "%":
        low = data.get_column("value").drop_nulls()
        floor = 0 if low.is_empty() or low.min() < 50 else 40
        fig.update_yaxes(range=[floor, 102])
    return theme.style(fig, lang, height=460)


def _ms(day: dt.date) -> float:
    return dt.datetime.combine(day, dt.time()).timestamp() * 1000


def _marker(fig: go.Figure, day: dt.date, text: str, colour: str = theme.BREAK) -> None:
    """A dotted vertical line with its label inside the top of the plot (clear of the legend above it)."""
    fig.add_vline(
        x=_ms(day),
        line={"color": colour, "dash": "dot", "width": 1.5},
        annotation={
            "text": text,
            "showarrow": False,
            "yref": "paper",
            "y": 1.0,
            "yanchor": "top",
            "xanchor": "left",
            "font": {"size": 11, "color": colour},
            "bgcolor": "rgba(255,255,255,0.8)",
        },
    )
