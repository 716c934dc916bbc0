"""Communes as points on a map: each at its centroid, coloured by the indicator and sized by the dossiers it
received, over its province's outline. Input: an INDICATOR FRAME at commune level (ui/indicators.py).

    chart = points.chart(frame, indicator("on_time_rate"), points=lookups.unit_points(),
                         dossiers=data.dossier_counts(2026, "01"), outline=lookups.boundaries("after"),
                         province_code="01")

`points` is data/reference/units/unit_points.csv (unit_code, formed_on, lat, lon, area_km2: the centroids of
the communes of both eras); a row's commune is its code and formed_on (code 00004 is Trúc Bạch formed
2000-01-01, and Ba Đình formed 2025-07-01); a row without formed_on (today's units) takes the code's latest
point. A commune without a point is listed in the table, never placed at 0, 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui import theme
from ui.charts.common import Chart, figure_builder, label_columns
from ui.i18n import current_lang, t
from ui.indicators import Indicator

MARKER_MIN_PX = 6
MARKER_MAX_PX = 28


def points_frame(frame: pl.DataFrame, points: pl.DataFrame, dossiers: pl.DataFrame) -> pl.DataFrame:
    """One row per commune of the frame's last year (a code's latest part), best value first: unit_code,
    unit_name, value, received, lat, lon, size (marker diameter in px: area proportional to the dossiers,
    MARKER_MIN_PX for none). lat and lon are empty for a commune without a point."""
    schema = {
        "unit_code": pl.String,
        "unit_name": pl.String,
        "value": pl.Float64,
        "received": pl.Int64,
        "lat": pl.Float64,
        "lon": pl.Float64,
        "size": pl.Float64,
    }
    if frame.is_empty():
        return pl.DataFrame(schema=schema)
    last = frame.get_column("period_start").max().year
    cur = frame.filter(pl.col("period_start").dt.year() == last)
    cur = cur.sort("period_start").unique(subset="unit_code", keep="last", maintain_order=True)
    latest = (
        points.sort("formed_on")
        .unique(subset="unit_code", keep="last")
        .select("unit_code", pl.col("lat").alias("__lat"), pl.col("lon").alias("__lon"))
    )
    out = (
        cur.select("unit_code", "unit_name", "value", "formed_on")
        .join(points.select("unit_code", "formed_on", "lat", "lon"), on=["unit_code", "formed_on"], how="left")
        .join(latest, on="unit_code", how="left")
        .with_columns(
            # today's units carry no formed_on: the code's latest point
            pl.when(pl.col("formed_on").is_null()).then(pl.col("__lat")).otherwise(pl.col("lat")).alias("lat"),
            pl.when(pl.col("formed_on").is_null()).then(pl.col("__lon")).otherwise(pl.col("lon")).alias("lon"),
        )
        .join(dossiers.select("unit_code", pl.col("received").cast(pl.Int64)), on="unit_code", how="left")
    )
    most = out.get_column("received").max() or 0
    sizes = [
        MARKER_MIN_PX
        if not received or most == 0
        else MARKER_MIN_PX + (MARKER_MAX_PX - MARKER_MIN_PX) * math.sqrt(received / most)
        for received in out.get_column("received").to_list()
    ]
    out = out.with_columns(pl.Series("size", sizes, dtype=pl.Float64))
    return out.sort(["value", "unit_name"], descending=[True, False], nulls_last=True).select(list(schema))


def chart(
    frame: pl.DataFrame,
    ind: Indicator,
    *,
    points: pl.DataFrame,
    dossiers: pl.DataFrame,
    outline: Mapping[str, Any] | None = None,
    province_code: str | None = None,
    lang: str | None = None,
) -> Chart:
    """The communes as points (see the module docstring); table: the labelled points frame, best first."""
    lang = lang or current_lang()
    data = points_frame(frame, points, dossiers)
    if not ind.higher_is_better:
        data = data.sort(["value", "unit_name"], nulls_last=True)
    table = label_columns(
        data.drop("size"),
        lang,
        {"value": ind.label(lang), "received": t("reform.col_received", lang), "lat": "lat", "lon": "lon"},
    )
    return Chart(table, lambda: _draw(data, ind, outline, province_code, lang))


figure = figure_builder(chart)


def side_table(table: pl.DataFrame) -> pl.DataFrame:
    """The table shown beside the map: the chart's table without the coordinates."""
    return table.drop([c for c in ("lat", "lon") if c in table.columns])


def _draw(
    data: pl.DataFrame, ind: Indicator, outline: Mapping[str, Any] | None, province_code: str | None, lang: str
) -> go.Figure:
    fig = go.Figure()
    if outline is not None and province_code is not None:
        fig.add_trace(
            go.Choropleth(
                geojson=outline,
                featureidkey="properties.gso_code",
                locations=[province_code],
                z=[0],
                colorscale=[[0, theme.MISSING], [1, theme.MISSING]],
                showscale=False,
                hoverinfo="skip",
                marker={"line": {"color": "#FFFFFF", "width": 1}},
            )
        )
    placed = data.filter(pl.col("lat").is_not_null() & pl.col("lon").is_not_null())
    rows = placed.to_dicts()
    hover = [
        f"<b>{r['unit_name']}</b><br>{ind.name(lang)}: {fmt.value(r['value'], ind.unit, ind.decimals, lang)}"
        f"<br>{t('reform.col_received', lang)}: {fmt.integer(r['received'], lang)}"
        for r in rows
    ]
    fig.add_trace(
        go.Scattergeo(
            lat=[r["lat"] for r in rows],
            lon=[r["lon"] for r in rows],
            mode="markers",
            marker={
                "size": [r["size"] for r in rows],
                "color": [r["value"] for r in rows],
                "colorscale": theme.SEQUENTIAL,
                "reversescale": not ind.higher_is_better,
                "line": {"color": "#404040", "width": 0.5},
                "colorbar": {"title": {"text": ind.label(lang)}, "tickformat": fmt.d3_format(ind.unit)},
            },
            hovertext=hover,
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(margin={"l": 0, "r": 0, "t": 30, "b": 10})
    return theme.style(fig, lang, height=560)
