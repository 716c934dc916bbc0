"""Two units side by side, with the best unit and the median of all units, component by component
(766 groups, PAR areas, SIPAS elements, PAPI dimensions).

Input: a COMPONENT FRAME (ui/indicators.py; ui.data.components_frame fetches it): unit_code, unit_name,
component_code, component_name, value, max_value — all units of the comparison (the best and the median
are taken over all of them).

    chart = compare.chart(components, indicator("par_index"), "001", "002")
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui import theme
from ui.charts.common import Chart, figure_builder, label_columns
from ui.i18n import current_lang, t
from ui.indicators import Indicator


def compare_frame(components: pl.DataFrame, ind: Indicator, unit_a: str, unit_b: str | None) -> pl.DataFrame:
    """Canonical frame, one row per component (in component-code order): component_code,
    component, unit_a (value), unit_b (value), best, best_unit (names of the best, ties joined by
    ", "), median (over units with a value), max_value."""
    if components.is_empty():
        return pl.DataFrame()
    rows = []
    for (comp_code,), part in components.group_by(["component_code"], maintain_order=True):
        values = part.filter(pl.col("value").is_not_null())
        a = part.filter(pl.col("unit_code") == unit_a).get_column("value")
        b = (
            part.filter(pl.col("unit_code") == unit_b).get_column("value")
            if unit_b
            else pl.Series([], dtype=pl.Float64)
        )
        best = None
        best_units = None
        median = None
        if not values.is_empty():
            best = values.get_column("value").max() if ind.higher_is_better else values.get_column("value").min()
            names = values.filter((pl.col("value") - best).abs() <= 1e-9).get_column("unit_name").sort().to_list()
            best_units = ", ".join(names)
            median = float(values.get_column("value").median())
        rows.append(
            {
                "component_code": comp_code,
                "component": part.get_column("component_name")[0],
                "unit_a": a[0] if len(a) else None,
                "unit_b": b[0] if len(b) else None,
                "best": best,
                "best_unit": best_units,
                "median": median,
                "max_value": part.get_column("max_value")[0],
            }
        )
    schema = {
        "component_code": pl.String,
        "component": pl.String,
        "unit_a": pl.Float64,
        "unit_b": pl.Float64,
        "best": pl.Float64,
        "best_unit": pl.String,
        "median": pl.Float64,
        "max_value": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema)  # in the component frame's order


def _name(components: pl.DataFrame, unit: str | None) -> str:
    if unit is None:
        return ""
    names = components.filter(pl.col("unit_code") == unit).get_column("unit_name")
    return names[0] if len(names) else unit


def chart(
    components: pl.DataFrame,
    ind: Indicator,
    unit_a: str,
    unit_b: str | None = None,
    *,
    lang: str | None = None,
) -> Chart:
    """Grouped horizontal bars (unit A, unit B) with the best (◆) and the median (|) per component.
    table: Mã thành phần, Thành phần, <A>, <B>, Cao nhất, Đơn vị cao nhất, Trung vị, Tối đa."""
    lang = lang or current_lang()
    if unit_b == unit_a:  # a unit beside itself (e.g. a viewer whose scope holds one unit): shown once
        unit_b = None
    data = compare_frame(components, ind, unit_a, unit_b)
    name_a, name_b = _name(components, unit_a), _name(components, unit_b)
    if data.is_empty():
        return Chart(data, lambda: theme.style(go.Figure(), lang))
    table = label_columns(
        data if unit_b else data.drop("unit_b"),
        lang,
        {
            "component_code": t("col.component_code", lang),
            "unit_a": name_a or unit_a,
            "unit_b": name_b or str(unit_b),
            "best": t("col.best", lang) if ind.higher_is_better else t("col.lowest", lang),
            "best_unit": t("col.best_unit", lang) if ind.higher_is_better else t("col.lowest_unit", lang),
        },
    )
    return Chart(table, lambda: _draw(data, ind, unit_b, name_a, name_b, lang))


figure = figure_builder(chart)


def _draw(data: pl.DataFrame, ind: Indicator, unit_b: str | None, name_a: str, name_b: str, lang: str) -> go.Figure:
    fig = go.Figure()
    rows = data.to_dicts()
    labels = [r["component"] for r in rows]

    def hover(name: str, key: str) -> list[str]:
        return [
            f"<b>{r['component']}</b><br>{name}: {fmt.value(r[key], ind.unit, ind.decimals, lang)}"
            + (f" / {fmt.value(r['max_value'], ind.unit, ind.decimals, lang)}" if r["max_value"] is not None else "")
            for r in rows
        ]

    series = [("unit_a", name_a, theme.OKABE_ITO["blue"])]
    if unit_b:
        series.append(("unit_b", name_b, theme.OKABE_ITO["orange"]))
    for key, name, colour in series:
        fig.add_trace(
            go.Bar(
                x=[r[key] for r in rows],
                y=labels,
                orientation="h",
                name=name,
                marker={"color": colour},
                text=[fmt.value(r[key], ind.unit, ind.decimals, lang) for r in rows],
                textposition="outside",
                cliponaxis=False,
                hovertext=hover(name, key),
                hoverinfo="text",
            )
        )
    best_label = t("col.best", lang) if ind.higher_is_better else t("col.lowest", lang)
    fig.add_trace(
        go.Scatter(
            x=[r["best"] for r in rows],
            y=labels,
            mode="markers",
            name=best_label,
            marker={"symbol": "diamond", "size": 11, "color": theme.OKABE_ITO["black"]},
            hovertext=[
                f"{best_label}: {fmt.value(r['best'], ind.unit, ind.decimals, lang)} ({r['best_unit']})" for r in rows
            ],
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[r["median"] for r in rows],
            y=labels,
            mode="markers",
            name=t("col.median", lang),
            marker={
                "symbol": "line-ns",
                "size": 18,
                "line": {"width": 3, "color": theme.OKABE_ITO["reddish_purple"]},
            },
            hovertext=[
                f"{t('col.median', lang)}: {fmt.value(r['median'], ind.unit, ind.decimals, lang)}" for r in rows
            ],
            hoverinfo="text",
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", title=None)
    fig.update_xaxes(title=t(f"unit_name.{ind.unit}", lang), tickformat=fmt.d3_format(ind.unit, 0))
    fig.update_layout(barmode="group", bargap=0.3)
    return theme.style(fig, lang, height=max(300, 120 + 60 * len(rows)))
