"""Every target of the year against the actual value: the gap of each, online payment included.

    chart = targets.chart(data.targets_frame(2026, level="province", province_code="01"), catalogue)

Input: targets_gap rows (indicator, unit_code, target, comparator, actual, gap, met) with the catalogue code
of the indicator (`code`, empty for a target no indicator shows) and `unit_name` (ui.data.targets_frame).
Rates arrive as fractions and are shown in the indicator's display scale (percent); a rank target in
places. A target without an actual value (no data) keeps an empty gap, never 0.
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui import theme
from ui.charts.common import Chart, distinct_names, figure_builder, label_columns, right_labels, target_text
from ui.i18n import current_lang, t
from ui.indicators import Indicator

SCHEMA = {
    "indicator": pl.String,
    "name": pl.String,
    "unit_code": pl.String,
    "unit_name": pl.String,
    "unit": pl.String,
    "target": pl.Float64,
    "comparator": pl.String,
    "actual": pl.Float64,
    "gap": pl.Float64,
    "met": pl.Boolean,
    "target_text": pl.String,
}


def targets_frame(rows: pl.DataFrame, catalogue: Mapping[str, Indicator], lang: str | None = None) -> pl.DataFrame:
    """One row per target × unit, in display scale: indicator, name, unit_code, unit_name, unit, target,
    comparator, actual, gap (actual − target; for a rank target, in places), met, target_text. Targets
    not met first, then by name."""
    lang = lang or current_lang()
    out = []
    for r in rows.to_dicts():
        ind = catalogue.get(r.get("code") or "")
        scale = ind.scale if ind is not None and ind.target_on == "value" else 1.0
        unit = (ind.unit if ind.target_on == "value" else "rank") if ind is not None else "count"

        def shown(value: float | None, scale: float = scale) -> float | None:
            return None if value is None else float(value) * scale

        target = {
            "value": shown(r["target"]),
            "comparator": r["comparator"],
            "on": "rank" if unit == "rank" else "value",
        }
        out.append(
            {
                "indicator": r["indicator"],
                "name": _target_name(r["indicator"], ind, lang),
                "unit_code": r["unit_code"],
                "unit_name": r.get("unit_name") or r["unit_code"],
                "unit": unit,
                "target": shown(r["target"]),
                "comparator": r["comparator"],
                "actual": shown(r["actual"]),
                "gap": shown(r["gap"]),
                "met": r["met"],
                "target_text": target_text(target, unit if unit != "rank" else "count", lang),
            }
        )
    frame = pl.DataFrame(out, schema=SCHEMA)
    return frame.sort(["met", "name", "unit_name"], nulls_last=True)


def chart(rows: pl.DataFrame, catalogue: Mapping[str, Indicator], *, lang: str | None = None) -> Chart:
    """The gap of every target as a bar (green met, vermillion not met), the target named on its row."""
    lang = lang or current_lang()
    data = targets_frame(rows, catalogue, lang)
    table = label_columns(
        data.drop("unit", "target_text"),
        lang,
        {
            "name": t("col.indicator", lang),
            "actual": t("reform.col_actual", lang),
            "indicator": t("reform.col_code", lang),
        },
    )
    return Chart(table, lambda: _draw(data, lang))


figure = figure_builder(chart)


def _target_name(code: str, ind: Indicator | None, lang: str) -> str:
    """The indicator's name, and the field of a field's own target ("on_time_rate:DATDAI": "… (lĩnh vực
    DATDAI)"), so that two targets of one indicator are two rows that say which is which."""
    if ind is None:
        return code
    _, _, field = code.partition(":")
    return f"{ind.name(lang)} ({t('explorer.field', lang).lower()} {field})" if field else ind.name(lang)


def _label(r: dict, lang: str) -> str:
    unit = r["unit"]
    actual = fmt.integer(r["actual"], lang) if unit == "rank" else fmt.value(r["actual"], unit, lang=lang)
    if unit == "rank":
        gap = fmt.integer(r["gap"], lang, signed=True)
    else:
        gap = fmt.value(r["gap"], unit, lang=lang, signed=True)
    status = "✓" if r["met"] else ("✗" if r["met"] is False else "—")
    return f"{status} {actual} ({r['target_text']}; {t('col.gap', lang)} {gap})"


def _draw(data: pl.DataFrame, lang: str) -> go.Figure:
    rows = data.to_dicts()
    names = distinct_names([f"{r['name']} — {r['unit_name']}" for r in rows], [r["indicator"] for r in rows])
    colours = [
        theme.OKABE_ITO["bluish_green"]
        if r["met"]
        else (theme.OKABE_ITO["vermillion"] if r["met"] is False else theme.NEUTRAL)
        for r in rows
    ]
    # a rank gap counts places, a percent gap percentage points: bars show "better (+) or worse (−) than the
    # target" in the indicator's own unit, and the label says which
    signed = [None if r["gap"] is None else (-r["gap"] if r["comparator"] == "<=" else r["gap"]) for r in rows]
    labels = [_label(r, lang) for r in rows]
    fig = go.Figure(
        go.Bar(x=signed, y=names, orientation="h", marker={"color": colours}, hovertext=labels, hoverinfo="text")
    )
    fig.add_vline(x=0, line={"color": theme.TARGET, "width": 1})
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", title=None)
    fig.update_xaxes(title=t("reform.gap_axis", lang), zeroline=False)
    fig = theme.style(fig, lang, height=max(240, 120 + 30 * len(rows)))
    return right_labels(fig, names, labels)
