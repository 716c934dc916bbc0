"""Points earned (blue) and lost (grey, up to the maximum) as stacked horizontal bars: the shape the
drill-downs share for 766 groups and metrics and for PAR areas and criteria."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from ui import format as fmt
from ui import theme
from ui.i18n import t

EARNED = theme.OKABE_ITO["blue"]
LOST = "#D9D9D9"
BEST = theme.OKABE_ITO["orange"]
ROW_HEIGHT = 34


def bars(
    labels: Sequence[str],
    earned: Sequence[float | None],
    maximum: Sequence[float | None],
    *,
    lang: str,
    decimals: int = 2,
    hover_extra: Sequence[str] | None = None,
    title: str | None = None,
) -> go.Figure:
    """One bar per label: the points earned, then the rest up to the maximum; "n/a" where nothing was
    earned because the value is missing (never drawn as 0)."""
    unit = t("unit.points", lang)
    lost = [None if e is None or m is None else max(0.0, m - e) for e, m in zip(earned, maximum, strict=True)]
    extra = list(hover_extra) if hover_extra is not None else [""] * len(labels)
    hover = []
    for label, e, m, x in zip(labels, earned, maximum, extra, strict=True):
        text = f"<b>{label}</b><br>{fmt.number(e, decimals, lang)} / {fmt.number(m, decimals, lang)} {unit}"
        hover.append(text + (f"<br>{x}" if x else ""))
    texts = [
        t("common.not_available", lang)
        if e is None
        else f"{fmt.number(e, decimals, lang)} / {fmt.number(m, decimals, lang)}"
        for e, m in zip(earned, maximum, strict=True)
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[e or 0 for e in earned],
            y=list(labels),
            orientation="h",
            name=t("drilldown.earned", lang),
            marker={"color": EARNED},
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Bar(
            x=[x or 0 for x in lost],
            y=list(labels),
            orientation="h",
            name=t("drilldown.lost", lang),
            marker={"color": LOST, "line": {"color": theme.NEUTRAL, "width": 0.5}},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.update_layout(barmode="stack", bargap=0.35)
    fig.update_yaxes(categoryorder="array", categoryarray=list(labels), autorange="reversed", title=None)
    fig.update_xaxes(title=unit, tickformat=fmt.d3_format("points", 0))
    return theme.style(fig, lang, title=title, height=max(260, 110 + ROW_HEIGHT * len(labels)))


def with_points_lost(label: str, lost: float | None, lang: str) -> str:
    """ "<label> (−1,25 điểm)": a choice named with the points it lost (the label alone when unknown)."""
    return label if lost is None else f"{label} (−{fmt.number(lost, 2, lang)} {t('unit.points', lang)})"
