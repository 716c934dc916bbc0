"""Service measures (the Phục vụ page): waiting time at the counter, data re-use, digital signatures,
petitions handled on time and the one-stop network of a province (queries waiting_time, digital_shares,
petitions_on_time, one_stop_network).

    wait_chart(waits, source, target_label)        one source's median wait per unit (bars) and 90th
                                                   percentile (diamonds) against the target line; the
                                                   two sources are never drawn together
    share_chart(frame, measures, target, target_label)
                                                   shares per unit in percent, one bar per measure, with
                                                   an optional target line
    network_cards(network)                         (label, value, change) of the province's one-stop
                                                   offices per level and its online services
    network_table(network)                         the same per period, labelled

Builders never query. Shares come as fractions and are shown in percent; a target is given in the
frame's own scale (minutes, or a fraction) and named in the legend with its source.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui import theme
from ui.charts.common import Chart, distinct_names, label_columns
from ui.i18n import current_lang, t

SOURCES: tuple[str, ...] = ("queue_tickets", "dossiers")
WAIT_INDICATORS = {"queue_tickets": "wait_median_tickets", "dossiers": "wait_median_dossiers"}  # indicators.csv
MEDIAN = theme.OKABE_ITO["blue"]
P90 = theme.OKABE_ITO["vermillion"]
SHARE_COLOURS = (theme.OKABE_ITO["blue"], theme.OKABE_ITO["orange"], theme.OKABE_ITO["bluish_green"])
ROW_HEIGHT = 26

WAIT_COLUMNS: tuple[str, ...] = (
    "unit_name", "unit_code", "visits", "not_called", "median_wait_minutes", "p90_wait_minutes",
    "within_target_share", "target_minutes",
)  # fmt: skip
# measure -> the count it is a share of (shown beside it in the table)
SHARE_BASES: dict[str, str] = {
    "data_reuse_share": "received",
    "received_signed_share": "signed_reported",
    "result_signed_share": "result_signed_reported",
    "on_time_share": "petitions",
}
NETWORK_COLUMNS: tuple[str, ...] = (
    "province_name", "province_code", "period_start", "list_as_of", "province_offices", "department_offices",
    "district_offices", "commune_offices", "offices", "offices_change", "online_full", "online_full_change",
    "online_partial", "online_partial_change", "online_services",
)  # fmt: skip
NETWORK_CARDS: tuple[tuple[str, str | None], ...] = (
    ("province_offices", None), ("department_offices", None), ("district_offices", None),
    ("commune_offices", None), ("offices", "offices_change"), ("online_full", "online_full_change"),
    ("online_partial", "online_partial_change"), ("online_services", None),
)  # fmt: skip


def _label(column: str, lang: str) -> str:
    return t(f"service.col_{column}", lang)


def _target_trace(fig: go.Figure, value: float, name: str) -> None:
    """A dashed vertical line at the target, named in the legend (a label on the line would sit on bars)."""
    fig.add_vline(x=value, line={"color": theme.TARGET, "dash": "dash", "width": 1.5})
    fig.add_trace(
        go.Scatter(
            x=[None], y=[None], mode="lines", name=name, hoverinfo="skip",
            line={"color": theme.TARGET, "dash": "dash", "width": 1.5}, showlegend=True,
        )
    )  # fmt: skip


def wait_chart(waits: pl.DataFrame, source: str, target_label: str, *, lang: str | None = None) -> Chart:
    """The units' waits from one source (queue_tickets or dossiers), longest median first: median (bar)
    and 90th percentile (diamond) in minutes, and the target (the rows' target_minutes) as a line."""
    lang = lang or current_lang()
    rows = waits.filter(pl.col("source") == source)
    data = fmt.sort_units(rows).sort("median_wait_minutes", descending=True, nulls_last=True, maintain_order=True)
    data = data.select(list(WAIT_COLUMNS)) if data.height else pl.DataFrame(schema=dict.fromkeys(WAIT_COLUMNS))
    table = label_columns(
        data.with_columns((pl.col("within_target_share") * 100).round(1)),
        lang,
        {c: _label(c, lang) for c in WAIT_COLUMNS},
    )
    return Chart(table, lambda: _draw_wait(data, target_label, lang))


def _draw_wait(data: pl.DataFrame, target_label: str, lang: str) -> go.Figure:
    rows = data.to_dicts()
    names = distinct_names([r["unit_name"] for r in rows], [r["unit_code"] for r in rows])
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[r["median_wait_minutes"] for r in rows],
            y=names,
            orientation="h",
            name=_label("median_wait_minutes", lang),
            marker={"color": MEDIAN},
            hovertext=[
                f"<b>{n}</b><br>{_label('median_wait_minutes', lang)}: {fmt.number(r['median_wait_minutes'], 1, lang)}"
                f"<br>{_label('visits', lang)}: {fmt.integer(r['visits'], lang)}"
                for n, r in zip(names, rows, strict=True)
            ],
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[r["p90_wait_minutes"] for r in rows],
            y=names,
            mode="markers",
            name=_label("p90_wait_minutes", lang),
            marker={"color": P90, "symbol": "diamond", "size": 9},
            hovertext=[
                f"<b>{n}</b><br>{_label('p90_wait_minutes', lang)}: {fmt.number(r['p90_wait_minutes'], 1, lang)}"
                for n, r in zip(names, rows, strict=True)
            ],
            hoverinfo="text",
        )
    )
    targets = [r["target_minutes"] for r in rows if r["target_minutes"] is not None]
    if targets:
        _target_trace(fig, float(targets[0]), target_label)
    # the axis reaches past the longest wait and the target line, so neither sits on the plot's edge
    waited = [v for r in rows for v in (r["median_wait_minutes"], r["p90_wait_minutes"]) if v is not None]
    longest = max(waited + targets, default=1.0)
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", title=None)
    fig.update_xaxes(title=t("service.axis_minutes", lang), range=[0, 1.08 * float(longest)])
    fig.update_layout(bargap=0.3)
    return theme.style(fig, lang, height=max(300, 150 + ROW_HEIGHT * len(rows)))


def share_chart(
    frame: pl.DataFrame,
    measures: Sequence[str],
    *,
    target: float | None = None,
    target_label: str | None = None,
    lang: str | None = None,
) -> Chart:
    """Per unit, each measure (a share column of SHARE_BASES) in percent, first measure highest first; the
    table has each share's base count beside it. Units with none of the measures are left out."""
    lang = lang or current_lang()
    columns = ["unit_name", "unit_code"]
    for measure in measures:
        columns += [SHARE_BASES[measure], measure]
    rows = frame.filter(pl.any_horizontal(pl.col(m).is_not_null() for m in measures)) if frame.height else frame
    data = (
        fmt.sort_units(rows).sort(measures[0], descending=True, nulls_last=True, maintain_order=True).select(columns)
        if rows.height
        else pl.DataFrame(schema=dict.fromkeys(columns))
    )
    shown = data.with_columns((pl.col(m) * 100).round(1) for m in measures)
    table = label_columns(shown, lang, {c: _label(c, lang) for c in columns})
    return Chart(table, lambda: _draw_shares(shown, measures, target, target_label, lang))


def _draw_shares(
    data: pl.DataFrame, measures: Sequence[str], target: float | None, target_label: str | None, lang: str
) -> go.Figure:
    rows = data.to_dicts()
    names = distinct_names([r["unit_name"] for r in rows], [r["unit_code"] for r in rows])
    fig = go.Figure()
    for measure, colour in zip(measures, SHARE_COLOURS, strict=False):
        fig.add_trace(
            go.Bar(
                x=[r[measure] for r in rows],
                y=names,
                orientation="h",
                name=_label(measure, lang),
                marker={"color": colour},
                hovertext=[
                    f"<b>{n}</b><br>{_label(measure, lang)}: {fmt.value(r[measure], '%', 1, lang)}"
                    f"<br>{_label(SHARE_BASES[measure], lang)}: {fmt.integer(r[SHARE_BASES[measure]], lang)}"
                    for n, r in zip(names, rows, strict=True)
                ],
                hoverinfo="text",
            )
        )
    if target is not None and target_label:
        _target_trace(fig, 100 * target, target_label)
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", title=None)
    fig.update_xaxes(title=t("service.axis_percent", lang), range=[0, 105], tickformat=fmt.d3_format("%", 0))
    fig.update_layout(barmode="group", bargap=0.25)
    height = 150 + ROW_HEIGHT * len(rows) * max(1, len(measures)) * 0.7
    return theme.style(fig, lang, height=max(300, int(height)))


def network_cards(network: pl.DataFrame, *, lang: str | None = None) -> list[tuple[str, str, str | None]]:
    """(label, value, change since the period before or None) of the latest period's row: offices per
    level (levels with none on the list left out) and the online services. Empty without a row."""
    lang = lang or current_lang()
    if network.is_empty():
        return []
    row = network.sort("period_start").row(-1, named=True)
    cards = []
    for column, change in NETWORK_CARDS:
        value = row[column]
        if value is None or (column.endswith("_offices") and column != "offices" and value == 0):
            continue
        delta = None if change is None or row[change] is None else fmt.integer(row[change], lang, signed=True)
        cards.append((_label(column, lang), fmt.integer(value, lang), delta))
    return cards


def network_table(network: pl.DataFrame, *, lang: str | None = None) -> pl.DataFrame:
    """The province's network per period, labelled."""
    lang = lang or current_lang()
    data = network.sort("period_start").select(list(NETWORK_COLUMNS)) if network.height else (
        pl.DataFrame(schema=dict.fromkeys(NETWORK_COLUMNS))
    )  # fmt: skip
    return label_columns(data, lang, {c: _label(c, lang) for c in NETWORK_COLUMNS})
