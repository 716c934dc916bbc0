"""Province map of an indicator at province level, on the map of the period's era: the 63 provinces before 1
July 2025, the 34 from then (ui.data.map_era; ui.lookups.boundaries). Provinces without a value are drawn
grey and listed as missing (never as 0). The boundaries' attribution is drawn on the map and must be shown under it too.

    chart = choropleth.chart(frame, indicator("papi_total"), boundaries=lookups.boundaries(),
                             attribution=lookups.geo_attribution())     # frame: INDICATOR FRAME, provinces

`boundaries` is the GeoJSON of data/reference/geo/vn_provinces.geojson or vn_provinces_2025.geojson
(feature property `gso_code`, `name`); `attribution` the line their SOURCE.md quotes, in the language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui import theme
from ui.charts.common import Chart, each, figure_builder, label_columns, quartile_from_rank, quartile_label
from ui.format import by_name, sort_units
from ui.i18n import current_lang, t
from ui.indicators import Indicator


def province_names(boundaries: Mapping[str, Any]) -> dict[str, str]:
    """gso_code -> province name of the boundary file, in Vietnamese order."""
    return by_name({f["properties"]["gso_code"]: f["properties"]["name"] for f in boundaries["features"]})


def map_frame(frame: pl.DataFrame, provinces: Mapping[str, str], lang: str | None = None) -> pl.DataFrame:
    """One row per province of the boundary file (63: `provinces`, code -> name), in Vietnamese order:
    unit_code, unit_name, value, rank, quartile, group (label), has_data. Provinces missing from `frame`
    keep empty values."""
    lang = lang or current_lang()
    provinces = pl.DataFrame(
        {"unit_code": list(provinces.keys()), "geo_name": list(provinces.values())},
        schema={"unit_code": pl.String, "geo_name": pl.String},
    )
    if frame.is_empty():
        cur = pl.DataFrame(
            schema={
                "unit_code": pl.String,
                "unit_name": pl.String,
                "value": pl.Float64,
                "rank": pl.Int64,
                "quartile": pl.Int64,
            }
        )
    else:
        last = frame.get_column("period_start").max().year  # the last year, each code's latest part of it
        cur = (
            frame.filter(pl.col("period_start").dt.year() == last)
            .sort("period_start")
            .unique(subset="unit_code", keep="last", maintain_order=True)
            .select("unit_code", "unit_name", "value", "rank", "quartile")
        )
    merged = provinces.join(cur, on="unit_code", how="left")
    ranked = merged.get_column("rank").drop_nulls().len()
    if merged.get_column("quartile").drop_nulls().is_empty() and ranked:
        merged = merged.with_columns(quartile_from_rank(pl.col("rank"), ranked).alias("quartile"))
    merged = merged.with_columns(
        pl.col("unit_name").fill_null(pl.col("geo_name")),
        each(merged.get_column("quartile"), lambda q: quartile_label(q, lang)).alias("group"),
        pl.col("value").is_not_null().alias("has_data"),
    ).drop("geo_name")
    return sort_units(merged).select("unit_code", "unit_name", "value", "rank", "quartile", "group", "has_data")


def chart(
    frame: pl.DataFrame,
    ind: Indicator,
    *,
    boundaries: Mapping[str, Any],
    attribution: str,
    lang: str | None = None,
) -> Chart:
    """Choropleth of indicator `ind`: quartile colours when quartiles/ranks exist, else a sequential
    scale; grey for provinces without data. table: the labelled 63-row frame behind it."""
    lang = lang or current_lang()
    data = map_frame(frame, province_names(boundaries), lang)
    table = label_columns(data.drop("has_data"), lang, {"value": ind.label(lang), "group": t("col.quartile", lang)})
    return Chart(table, lambda: _draw(data, ind, boundaries, attribution, lang))


figure = figure_builder(chart)


def _draw(data: pl.DataFrame, ind: Indicator, gj: Mapping[str, Any], attribution: str, lang: str) -> go.Figure:
    fig = go.Figure()
    missing = data.filter(~pl.col("has_data"))
    if not missing.is_empty():
        fig.add_trace(
            go.Choropleth(
                geojson=gj,
                featureidkey="properties.gso_code",
                locations=missing.get_column("unit_code").to_list(),
                z=[0] * missing.height,
                colorscale=[[0, theme.MISSING], [1, theme.MISSING]],
                showscale=False,
                marker={"line": {"color": "#FFFFFF", "width": 0.5}},
                name=t("map.no_data", lang),
                hovertext=[f"<b>{n}</b><br>{t('map.no_data', lang)}" for n in missing.get_column("unit_name")],
                hoverinfo="text",
            )
        )
    present = data.filter(pl.col("has_data"))
    rows = present.to_dicts()
    hover = [
        f"<b>{r['unit_name']}</b><br>{ind.name(lang)}: {fmt.value(r['value'], ind.unit, ind.decimals, lang)}"
        + (f"<br>{t('col.rank', lang)}: {r['rank']}" if r["rank"] is not None else "")
        + (f"<br>{r['group']}" if r["group"] else "")
        for r in rows
    ]
    if rows and present.get_column("quartile").drop_nulls().len() == present.height:
        for q in (1, 2, 3, 4):
            part = [r for r, h in zip(rows, hover, strict=True) if r["quartile"] == q]
            if not part:
                continue
            colour = theme.quartile_colour(q)
            fig.add_trace(
                go.Choropleth(
                    geojson=gj,
                    featureidkey="properties.gso_code",
                    locations=[r["unit_code"] for r in part],
                    z=[q] * len(part),
                    colorscale=[[0, colour], [1, colour]],
                    showscale=False,
                    marker={"line": {"color": "#FFFFFF", "width": 0.5}},
                    name=quartile_label(q, lang),
                    showlegend=True,
                    hoverinfo="text",
                    hovertext=[h for r, h in zip(rows, hover, strict=True) if r["quartile"] == q],
                )
            )
    elif rows:
        fig.add_trace(
            go.Choropleth(
                geojson=gj,
                featureidkey="properties.gso_code",
                locations=[r["unit_code"] for r in rows],
                z=[r["value"] for r in rows],
                colorscale=theme.SEQUENTIAL,
                reversescale=not ind.higher_is_better,
                marker={"line": {"color": "#FFFFFF", "width": 0.5}},
                colorbar={"title": {"text": ind.label(lang)}, "tickformat": fmt.d3_format(ind.unit)},
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.add_annotation(
        text=attribution,
        xref="paper",
        yref="paper",
        x=0,
        y=-0.02,
        showarrow=False,
        font={"size": 10, "color": "#595959"},
        xanchor="left",
        yanchor="top",
    )
    fig.update_layout(legend={"orientation": "v", "x": 0.78, "y": 0.95}, margin={"l": 0, "r": 0, "t": 30, "b": 40})
    return theme.style(fig, lang, height=720)
