"""Where a province stands on the five published indices (the "Vị trí của tỉnh" page): the headline cards,
the summary table, a trend per index and the portal's Decision 766 score beside the province's own.

Inputs are the frames of ui/standing.py: the STANDING FRAME (every published figure of the province and of
the provinces it is made of) and its latest rows with their targets. Every figure is shown as published
(`rank_basis` says when a rank is computed); the province's own 766 figure is marked derived.

    cards(latest, index_names)                 -> [(index_code, title, [MetricCard, …]), …] (st.metric)
    summary_table(latest, index_names)         one row per index × province (Table / Download)
    figures_table(frame, index_names)          every figure, labelled (the page's whole download)
    trend(frame, "PAPI", index_name)           lines per province, no line across a method change
    comparison(groups, group_names, total)     portal vs own per group, with the gap
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui import theme
from ui.charts.cards import MetricCard, _md_escape
from ui.charts.common import Chart, Names, figure_builder, label_columns, meets, name_of, target_text
from ui.i18n import current_lang, t


# ------------------------------------------------------------------------------------------------
# Shared wording
# ------------------------------------------------------------------------------------------------
def province_label(row: Mapping[str, Any], lang: str | None = None) -> str:
    """The province as published; one that no longer exists with its last day ("Tỉnh Bình Định (đến
    30/06/2025)")."""
    lang = lang or current_lang()
    if row.get("valid_to") is None:
        return row["province_name"]
    return t("standing.until", lang, name=row["province_name"], day=fmt.date(row["valid_to"], lang))


def rank_text(row: Mapping[str, Any], lang: str | None = None) -> str:
    """ "3/63" (published) or "42/61 (tính)" (computed from the published scores); "—" without a rank."""
    lang = lang or current_lang()
    if row.get("rank") is None:
        return fmt.NA
    text = fmt.integer(row["rank"], lang)
    if row.get("rank_of") is not None:
        text = f"{text}/{fmt.integer(row['rank_of'], lang)}"
    if row.get("rank_basis") == "computed":
        text = f"{text} ({t('standing.rank_computed_short', lang)})"
    return text


def period_text(row: Mapping[str, Any], lang: str | None = None) -> str:
    """ "2024"; the portal's "Năm 2026, đọc ngày 17/09/2026"."""
    lang = lang or current_lang()
    if row.get("as_of") is None:
        return str(row["period"])
    return t("standing.period_read", lang, period=row["period"], day=fmt.date(row["as_of"], lang))


def _target_state(row: Mapping[str, Any], lang: str) -> tuple[str | None, bool | None]:
    if row.get("target") is None:
        return None, None
    target = {"value": row["target"], "comparator": row.get("comparator") or ">=", "on": row.get("target_on")}
    basis = row.get("rank") if target["on"] == "rank" else row.get("value")
    return target_text(target, row["unit"], lang), meets(basis, row["target"], target["comparator"])


# ------------------------------------------------------------------------------------------------
# Cards and the summary table
# ------------------------------------------------------------------------------------------------
def card_value(value: float | None, unit: str, lang: str | None = None) -> str:
    """A card's number: "96,17%"; points without the word (the caption under it names the unit)."""
    lang = lang or current_lang()
    if value is None:
        return t("standing.no_value", lang)
    return fmt.value(value, unit, 2, lang) if unit == "%" else fmt.number(value, 2, lang)


def cards(
    latest: pl.DataFrame, index_names: Mapping[str, str], *, lang: str | None = None
) -> list[tuple[str, str, list[MetricCard]]]:
    """Per index, in `index_names` order: (code, title, one card per province with a figure). A card is
    labelled with the province's short name and shows the value as published; its caption gives the
    province as published (a former one with its last day), the rank among how many, the period and unit,
    the PAR Index group, the target and whether it is met, and the method version."""
    lang = lang or current_lang()
    out = []
    for code, title in index_names.items():
        made = []
        for r in latest.filter(pl.col("index_code") == code).to_dicts():
            lines = []
            if r["role"] != "today":
                lines.append(province_label(r, lang))
            lines.append(f"{t('standing.rank', lang)} {rank_text(r, lang)}")
            unit = t(f"unit_name.{r['unit']}", lang)
            lines.append(f"{period_text(r, lang)} · {t('meta.unit', lang).lower()}: {unit}")
            if r.get("band"):
                lines.append(r["band"])
            target, met = _target_state(r, lang)
            if target:
                lines.append(
                    target if met is None else f"{target}: {t('target.met' if met else 'target.not_met', lang)}"
                )
            lines.append(f"{t('meta.methodology', lang)}: {r['method_version'] or fmt.NA}")
            made.append(
                MetricCard(
                    label=r.get("short_name") or r["province_name"],
                    value=card_value(r["value"], r["unit"], lang),
                    delta=None,
                    delta_color="normal",
                    help=f"{province_label(r, lang)}. {t('standing.published_help', lang)}\n\n"
                    f"{t('meta.source', lang)}: {r['source']}",
                    caption="  \n".join(_md_escape(line) for line in lines),
                )
            )
        out.append((code, title, made))
    return out


SUMMARY_COLUMNS = (
    "index", "province_code", "province", "role", "period", "value", "unit", "rank", "rank_of", "rank_basis",
    "band", "national", "target", "met", "method_version", "figure", "source",
)  # fmt: skip


def summary_frame(latest: pl.DataFrame, index_names: Mapping[str, str], lang: str | None = None) -> pl.DataFrame:
    """One row per index × province: the latest figure as published, with its rank among how many, the
    national figure, the target and whether it is met, the method version and the source."""
    lang = lang or current_lang()
    rows = []
    for r in latest.to_dicts():
        target, met = _target_state(r, lang)
        rows.append(
            {
                "index": index_names.get(r["index_code"], r["index_code"]),
                "province_code": r["province_code"],
                "province": province_label(r, lang),
                "role": t(f"standing.role_{r['role']}", lang),
                "period": period_text(r, lang),
                "value": r["value"],
                "unit": t(f"unit_name.{r['unit']}", lang),
                "rank": r["rank"],
                "rank_of": r["rank_of"],
                "rank_basis": t(f"standing.basis_{r['rank_basis']}", lang) if r["rank_basis"] else None,
                "band": r["band"],
                "national": r["national"],
                "target": target,
                "met": met,
                "method_version": r["method_version"],
                "figure": t("standing.figure_published", lang),
                "source": r["source"],
            }
        )
    schema = dict.fromkeys(SUMMARY_COLUMNS, pl.String) | {
        "value": pl.Float64, "rank": pl.Int64, "rank_of": pl.Int64, "national": pl.Float64, "met": pl.Boolean,
    }  # fmt: skip
    return pl.DataFrame(rows, schema=schema)


def summary_table(latest: pl.DataFrame, index_names: Mapping[str, str], *, lang: str | None = None) -> pl.DataFrame:
    """The summary frame labelled in the language (a table: the cards show the same rows)."""
    lang = lang or current_lang()
    table = summary_frame(latest, index_names, lang)
    return label_columns(table, lang, {c: t(f"standing_col.{c}", lang) for c in SUMMARY_COLUMNS})


def figures_table(frame: pl.DataFrame, index_names: Mapping[str, str], *, lang: str | None = None) -> pl.DataFrame:
    """Every figure of the STANDING FRAME, labelled (the page's download of everything it shows)."""
    lang = lang or current_lang()
    rows = []
    for r in frame.to_dicts():
        rows.append(
            {
                "index": index_names.get(r["index_code"], r["index_code"]),
                "province_code": r["province_code"],
                "province": province_label(r, lang),
                "role": t(f"standing.role_{r['role']}", lang),
                "year": r["year"],
                "period": period_text(r, lang),
                "as_of": r["as_of"],
                "value": r["value"],
                "unit": t(f"unit_name.{r['unit']}", lang),
                "rank": r["rank"],
                "rank_of": r["rank_of"],
                "rank_basis": t(f"standing.basis_{r['rank_basis']}", lang) if r["rank_basis"] else None,
                "band": r["band"],
                "national": r["national"],
                "method_version": r["method_version"],
                "figure": t("standing.figure_published", lang),
                "source": r["source"],
            }
        )
    columns = (
        "index", "province_code", "province", "role", "year", "period", "as_of", "value", "unit", "rank", "rank_of",
        "rank_basis", "band", "national", "method_version", "figure", "source",
    )  # fmt: skip
    schema = dict.fromkeys(columns, pl.String) | {
        "year": pl.Int64, "as_of": pl.Date, "value": pl.Float64, "rank": pl.Int64, "rank_of": pl.Int64,
        "national": pl.Float64,
    }  # fmt: skip
    table = pl.DataFrame(rows, schema=schema)
    return label_columns(table, lang, {c: t(f"standing_col.{c}", lang) for c in columns})


# ------------------------------------------------------------------------------------------------
# Trend of one index
# ------------------------------------------------------------------------------------------------
TREND_COLUMNS = ("province_code", "province", "x", "period", "value", "rank", "method_version", "segment", "source")


def trend_frame(frame: pl.DataFrame, index_code: str, lang: str | None = None) -> pl.DataFrame:
    """The points of one index in plotting order: one series per province (as published), x the year (the
    day the portal was read for 766), and `segment` numbering the stretches of one method version: a new
    segment starts where the version changes, and no line joins two segments."""
    lang = lang or current_lang()
    rows = frame.filter(pl.col("index_code") == index_code).to_dicts()
    out = []
    for _, points in itertools.groupby(rows, key=lambda r: (r["province_code"], r["formed_on"])):
        segment, previous = 0, None
        for r in sorted(points, key=lambda r: (r["year"], r["as_of"] or dt.date.min)):
            if previous is not None and r["method_version"] != previous:
                segment += 1
            previous = r["method_version"]
            out.append(
                {
                    "province_code": r["province_code"],
                    "province": province_label(r, lang),
                    "x": r["as_of"].isoformat() if r["as_of"] is not None else str(r["year"]),
                    "period": period_text(r, lang),
                    "value": r["value"],
                    "rank": rank_text(r, lang),
                    "method_version": r["method_version"],
                    "segment": segment,
                    "source": r["source"],
                }
            )
    schema = dict.fromkeys(TREND_COLUMNS, pl.String) | {"value": pl.Float64, "segment": pl.Int64}
    return pl.DataFrame(out, schema=schema)


def trend(frame: pl.DataFrame, index_code: str, index_name: str, unit: str, *, lang: str | None = None) -> Chart:
    """Lines of one index for the province and the provinces it is made of, a dotted marker where the
    method changed, labelled with the new version."""
    lang = lang or current_lang()
    data = trend_frame(frame, index_code, lang)
    overrides = {c: t(f"standing_col.{c}", lang) for c in TREND_COLUMNS}
    overrides["value"] = f"{index_name} ({t(f'unit_name.{unit}', lang)})"
    table = label_columns(data, lang, overrides)
    return Chart(table, lambda: _draw_trend(data, index_code, index_name, unit, lang))


trend_figure = figure_builder(trend)


def _x(value: str, daily: bool) -> Any:
    return dt.date.fromisoformat(value) if daily else int(value)


def _draw_trend(data: pl.DataFrame, index_code: str, index_name: str, unit: str, lang: str) -> go.Figure:
    fig = go.Figure()
    daily = index_code == "766"
    breaks: dict[Any, str] = {}
    for i, (_, points) in enumerate(data.group_by("province_code", "province", maintain_order=True)):
        rows = points.to_dicts()
        xs: list[Any] = []
        ys: list[Any] = []
        texts: list[str] = []
        for j, r in enumerate(rows):
            if j > 0 and r["segment"] != rows[j - 1]["segment"]:
                xs.append(None)
                ys.append(None)
                texts.append("")
                before, after = _x(rows[j - 1]["x"], daily), _x(r["x"], daily)
                breaks.setdefault(before + (after - before) / 2, r["method_version"] or "")
            xs.append(_x(r["x"], daily))
            ys.append(r["value"])
            texts.append(
                f"<b>{r['province']}</b> · {r['period']}<br>{fmt.value(r['value'], unit, 2, lang)}"
                f"<br>{t('standing.rank', lang)}: {r['rank']}<br>{t('meta.methodology', lang)}: {r['method_version']}"
            )
        colour = theme.series_colour(i)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                name=rows[0]["province"],
                line={"color": colour, "width": 2},
                marker={"color": colour, "size": 7, "symbol": i % 8},
                connectgaps=False,
                hovertext=texts,
                hoverinfo="text",
            )
        )
    for x, label in sorted(breaks.items()):
        position = dt.datetime.combine(x, dt.time()).timestamp() * 1000 if daily else x
        fig.add_vline(
            x=position,
            line={"color": theme.BREAK, "dash": "dot", "width": 1.5},
            annotation={
                "text": t("trend.break", lang, label=label),
                "showarrow": False,
                "yref": "paper",
                "y": 1.0,
                "font": {"size": 11, "color": theme.BREAK},
            },
        )
    xs = sorted({_x(x, daily) for x in data.get_column("x").to_list()})
    if daily:
        fig.update_xaxes(type="date", tickformat="%d/%m/%Y" if lang == "vi" else "%Y-%m-%d")
        if len(xs) == 1:  # one reading: a month either side, not an axis of hours
            fig.update_xaxes(range=[xs[0] - dt.timedelta(days=30), xs[0] + dt.timedelta(days=30)])
    elif xs:
        step = max(1, -(-len(xs) // 16))
        fig.update_xaxes(tickmode="array", tickvals=xs[::step], ticktext=[str(y) for y in xs[::step]])
        if len(xs) == 1:
            fig.update_xaxes(range=[xs[0] - 1, xs[0] + 1])
    fig.update_xaxes(title=None)
    fig.update_yaxes(title=f"{index_name} ({t(f'unit_name.{unit}', lang)})", tickformat=fmt.d3_format(unit, 1))
    fig.update_layout(showlegend=True)  # the province is named even when it is the only line
    return theme.style(fig, lang, title=index_name, height=400)


# ------------------------------------------------------------------------------------------------
# The portal's 766 score beside the province's own
# ------------------------------------------------------------------------------------------------
COMPARISON_COLUMNS = ("group_code", "portal_key", "group", "max_points", "published", "own", "gap")


def comparison_frame(groups: pl.DataFrame, group_names: Names, lang: str | None = None) -> pl.DataFrame:
    """One row per scoring group, then the total: the portal's published score, the province's own
    (derived from its dossiers) and gap = own − published (empty when either is missing).

    `groups`: group_code (scoring table), portal_key (the portal's column), max_points, published, own; a
    row with group_code `total` is the total."""
    lang = lang or current_lang()
    rows = []
    for r in groups.to_dicts():
        gap = None if r["own"] is None or r["published"] is None else r["own"] - r["published"]
        name = t("standing.total", lang) if r["group_code"] == "total" else name_of(r["group_code"], group_names, lang)
        rows.append({**r, "group": name, "gap": gap})
    schema = {
        "group_code": pl.String, "portal_key": pl.String, "group": pl.String, "max_points": pl.Float64,
        "published": pl.Float64, "own": pl.Float64, "gap": pl.Float64,
    }  # fmt: skip
    return pl.DataFrame(rows, schema=schema).select(COMPARISON_COLUMNS)


def comparison(groups: pl.DataFrame, group_names: Names, *, lang: str | None = None) -> Chart:
    """Per group, the portal's score (published) beside the province's own (derived), bars of points with
    the group's maximum in the label, and the gap in the table."""
    lang = lang or current_lang()
    data = comparison_frame(groups, group_names, lang)
    overrides = {c: t(f"standing_col.{c}", lang) for c in COMPARISON_COLUMNS}
    return Chart(label_columns(data, lang, overrides), lambda: _draw_comparison(data, lang))


comparison_figure = figure_builder(comparison)


def comparison_headline(groups: pl.DataFrame, *, lang: str | None = None) -> list[tuple[str, str, str]]:
    """(label, value, help) of the totals: the portal's (published), the province's own (derived), the gap."""
    lang = lang or current_lang()
    total = comparison_frame(groups, {}, lang).filter(pl.col("group_code") == "total").row(0, named=True)
    return [
        (
            t("standing.series_published", lang),
            fmt.value(total["published"], "points", 2, lang),
            t("standing.published_help", lang),
        ),
        (t("standing.series_own", lang), fmt.value(total["own"], "points", 2, lang), t("standing.derived_help", lang)),
        (
            t("standing_col.gap", lang),
            fmt.value(total["gap"], "points", 2, lang, signed=True),
            t("standing.gap_help", lang),
        ),
    ]


def _draw_comparison(data: pl.DataFrame, lang: str) -> go.Figure:
    rows = [r for r in data.to_dicts() if r["group_code"] != "total"]
    labels = [f"{r['group']} ({fmt.number(r['max_points'], 0, lang)})" for r in rows]
    fig = go.Figure()
    for key, colour in (("published", theme.OKABE_ITO["blue"]), ("own", theme.OKABE_ITO["orange"])):
        fig.add_trace(
            go.Bar(
                y=labels,
                x=[r[key] for r in rows],
                orientation="h",
                name=t(f"standing.series_{key}", lang),
                marker={"color": colour},
                text=[fmt.number(r[key], 2, lang) for r in rows],
                textposition="outside",
                cliponaxis=False,
                hovertext=[
                    f"<b>{r['group']}</b><br>{t(f'standing.series_{key}', lang)}: {fmt.number(r[key], 2, lang)}"
                    f" / {fmt.number(r['max_points'], 0, lang)}"
                    + (
                        ""
                        if r["gap"] is None
                        else f"<br>{t('standing_col.gap', lang)}: {fmt.number(r['gap'], 2, lang, signed=True)}"
                    )
                    for r in rows
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", title=None)
    fig.update_xaxes(title=t("unit.points", lang), rangemode="tozero")
    return theme.style(fig, lang, title=t("standing.compare_title", lang), height=max(340, 130 + 56 * len(rows)))
