"""Headline cards: value, change from the previous period, target met / gap, band / rank / quartile,
interval and sample size, period, source and methodology.

Input: CARD INPUTS, one row per indicator (ui.data.card_inputs builds it):
    indicator (code), unit_code, unit_name, year, value, previous, comparable (bool: same methodology
    as the previous period), n, ci_low, ci_high, band, quartile, rank, rank_change, target, comparator,
    target_on ('value'|'rank'), as_of
Values are in display scale (percent for rates). `catalogue` is the indicator catalogue
(ui.indicators.indicators()), `bands` the 766 band names (ui.lookups.band_names()).

    metric_cards(inputs, catalogue, bands=…)   what each st.metric card shows (ui.views.metric_grid draws them)
    chart(inputs, catalogue, bands=…)          .table: the frame behind them (the table tab and the downloads);
                                               .figure: the same cards as Plotly indicator tiles
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui import theme
from ui.charts.common import (
    Chart,
    Names,
    band_label,
    figure_builder,
    label_columns,
    meets,
    quartile_label,
    rank_change_text,
    rank_of_text,
    target_text,
)
from ui.charts.sipas import SURVEY_MIN_RESPONDENTS, hidden_note
from ui.i18n import current_lang, t
from ui.indicators import Indicator

Catalogue = Mapping[str, Indicator]

COLUMNS_PER_ROW = 3


def card_frame(
    inputs: pl.DataFrame, catalogue: Catalogue, bands: Names | None = None, lang: str | None = None
) -> pl.DataFrame:
    """Canonical frame, one row per card in input order: indicator, name, unit, period, value,
    previous, change, rank, rank_change, group, ci_low, ci_high, n, target, met, gap, source,
    methodology. change is empty when the previous period is missing or not comparable; gap = value
    − target (for rank targets: target − rank, positive = better than the target)."""
    lang = lang or current_lang()
    rows = []
    for r in inputs.to_dicts():
        ind = catalogue[r["indicator"]]
        value, previous = r.get("value"), r.get("previous")
        comparable = r.get("comparable", True) is not False
        change = value - previous if comparable and not fmt.is_missing(value) and not fmt.is_missing(previous) else None
        group = None
        if r.get("band") is not None:
            group = band_label(r["band"], bands, lang)
        elif r.get("quartile") is not None:
            group = quartile_label(r["quartile"], lang)
        target = r.get("target")
        comparator = r.get("comparator") or ">="
        target_on = r.get("target_on") or "value"
        basis = r.get("rank") if target_on == "rank" else value
        met = meets(basis, target, comparator)
        gap = None
        if not fmt.is_missing(basis) and not fmt.is_missing(target):
            gap = (target - basis) if target_on == "rank" else (basis - target)
        rows.append(
            {
                "indicator": r["indicator"],
                "name": ind.name(lang),
                "unit": ind.unit,
                "period": str(r.get("year")) if r.get("year") is not None else None,
                "value": value,
                "previous": previous,
                "change": change,
                "comparable": comparable,
                "rank": r.get("rank"),
                "ranked_units": r.get("ranked_units"),
                "rank_change": r.get("rank_change"),
                "group": group,
                "ci_low": r.get("ci_low"),
                "ci_high": r.get("ci_high"),
                "n": r.get("n"),
                "target": target,
                "target_on": target_on if target is not None else None,
                "comparator": comparator if target is not None else None,
                "met": met,
                "gap": gap,
                "source": ind.source(lang),
                "methodology": ind.methodology_text(lang),
                "approximate": bool(r.get("approximate")),
                "retroactive": r.get("year") is not None and ind.retroactive(int(r["year"])),
            }
        )
    schema = {
        "indicator": pl.String,
        "name": pl.String,
        "unit": pl.String,
        "period": pl.String,
        "value": pl.Float64,
        "previous": pl.Float64,
        "change": pl.Float64,
        "comparable": pl.Boolean,
        "rank": pl.Int64,
        "ranked_units": pl.Int64,
        "rank_change": pl.Int64,
        "group": pl.String,
        "ci_low": pl.Float64,
        "ci_high": pl.Float64,
        "n": pl.Int64,
        "target": pl.Float64,
        "target_on": pl.String,
        "comparator": pl.String,
        "met": pl.Boolean,
        "gap": pl.Float64,
        "source": pl.String,
        "methodology": pl.String,
        "approximate": pl.Boolean,
        "retroactive": pl.Boolean,
    }
    return pl.DataFrame(rows, schema=schema)


def chart(inputs: pl.DataFrame, catalogue: Catalogue, *, bands: Names | None = None, lang: str | None = None) -> Chart:
    """Plotly indicator tiles; table: the labelled card frame."""
    lang = lang or current_lang()
    data = card_frame(inputs, catalogue, bands, lang)
    out = data.drop(["indicator", "comparator", "comparable"]).with_columns(
        pl.col("target_on").replace_strict(
            {"rank": t("target.on_rank", lang), "value": t("target.on_value", lang)}, default=None
        )
    )
    order = [c for c in out.columns if c != "target_on"]
    order.insert(order.index("target") + 1, "target_on")
    table = label_columns(out.select(order), lang, {"name": t("col.indicator", lang), "unit": t("meta.unit", lang)})
    return Chart(table, lambda: _draw(data, catalogue, lang))


figure = figure_builder(chart)


def _draw(data: pl.DataFrame, catalogue: Catalogue, lang: str) -> go.Figure:
    fig = go.Figure()
    rows = data.to_dicts()
    n_cols = min(COLUMNS_PER_ROW, max(1, len(rows)))
    n_rows = max(1, math.ceil(len(rows) / n_cols))
    for i, r in enumerate(rows):
        ind = catalogue[r["indicator"]]
        row, col = divmod(i, n_cols)
        suffix = "%" if r["unit"] == "%" else ""
        fig.add_trace(
            go.Indicator(
                mode="number+delta" if r["change"] is not None else "number",
                value=r["value"],
                number={"suffix": suffix, "valueformat": f",.{ind.decimals}f"},
                delta={
                    "reference": r["previous"],
                    "valueformat": f",.{ind.decimals}f",
                    "increasing": {"color": theme.OKABE_ITO["bluish_green" if ind.higher_is_better else "vermillion"]},
                    "decreasing": {"color": theme.OKABE_ITO["vermillion" if ind.higher_is_better else "bluish_green"]},
                }
                if r["change"] is not None
                else None,
                title={"text": f"{r['name']}<br><span style='font-size:0.8em'>{subtitle(r, lang)}</span>"},
                domain={"row": row, "column": col},
            )
        )
    fig.update_layout(grid={"rows": n_rows, "columns": n_cols, "pattern": "independent"})
    return theme.style(fig, lang, height=220 * n_rows)


def subtitle(r: dict[str, Any], lang: str | None = None) -> str:
    """One line under a card: band/quartile, rank and its change, target met or gap."""
    lang = lang or current_lang()
    parts = []
    if r.get("group"):
        parts.append(r["group"])
    if r.get("rank") is not None:
        change = rank_change_text(r.get("rank_change"), lang)
        parts.append(rank_of_text(r["rank"], r.get("ranked_units"), lang) + (f" ({change})" if change else ""))
    if r.get("target") is not None:
        parts.append(target_status(r, lang))
    return " · ".join(parts)


def target_status(r: dict[str, Any], lang: str | None = None) -> str:
    """ "Đạt mục tiêu ≥ 85,0%" or "Chưa đạt mục tiêu ≥ 85,0% (-3,2 điểm %)"."""
    lang = lang or current_lang()
    goal = target_text(
        {"value": r["target"], "comparator": r.get("comparator"), "on": r.get("target_on")}, r["unit"], lang
    )
    if r.get("met") is None:
        return goal
    if r["met"]:
        return f"✓ {t('target.met', lang)} ({goal})"
    if r.get("target_on") == "rank":
        gap = fmt.integer(r.get("gap"), lang, signed=True)
    else:
        gap = fmt.value(r.get("gap"), r["unit"], lang=lang, signed=True)
    return f"✗ {t('target.not_met', lang)}: {goal} ({gap})"


@dataclass(frozen=True)
class MetricCard:
    """What one headline card shows (st.metric's arguments and the caption under it)."""

    label: str
    value: str
    delta: str | None
    delta_color: str  # normal | inverse (lower is better)
    help: str
    caption: str  # Markdown, generated text escaped


def metric_cards(
    inputs: pl.DataFrame, catalogue: Catalogue, *, bands: Names | None = None, lang: str | None = None
) -> list[MetricCard]:
    """The headline cards, in input order. Each carries its unit, period, source and methodology (in the
    help tooltip and the caption)."""
    lang = lang or current_lang()
    cards = []
    for r in card_frame(inputs, catalogue, bands, lang).to_dicts():
        ind = catalogue[r["indicator"]]
        delta = None
        if r["change"] is not None:
            delta = fmt.value(r["change"], r["unit"], ind.decimals, lang, signed=True)
        value = fmt.value(r["value"], r["unit"], ind.decimals, lang)
        # a suppressed survey estimate arrives empty with its n (queries/sipas.sql): fewer than 30
        # respondents, or hidden so that such an estimate cannot be worked out (ui/charts/sipas.hidden_note)
        small = ind.family == "sipas" and fmt.is_missing(r["value"]) and r.get("n") is not None
        if fmt.is_missing(r["value"]):
            value = hidden_note(r["n"], lang) if small else t("common.not_available", lang)
        lines = []
        sub = subtitle(r, lang)
        if sub:
            lines.append(sub)
        if r["ci_low"] is not None and r["ci_high"] is not None:
            lines.append(
                t(
                    "cards.interval",
                    lang,
                    low=fmt.value(r["ci_low"], r["unit"], ind.decimals, lang),
                    high=fmt.value(r["ci_high"], r["unit"], ind.decimals, lang),
                    n=fmt.integer(r["n"], lang),
                )
            )
        if small:
            few = r["n"] < SURVEY_MIN_RESPONDENTS
            lines.append(t("cards.small_sample" if few else "cards.hidden_complement", lang))
        if r.get("approximate"):
            lines.append(t("reform.approximate_note", lang))
        if r.get("retroactive"):
            lines.append(t("reform.retroactive_766", lang))
        if not fmt.is_missing(r["value"]):
            if r["previous"] is None:
                lines.append(t("cards.no_previous", lang))
            elif not r["comparable"]:
                lines.append(t("cards.not_comparable", lang))
        lines.append(f"{t('meta.source', lang)}: {r['source']}")
        cards.append(
            MetricCard(
                label=f"{r['name']} · {r['period'] or ''}",
                value=value,
                delta=delta,
                delta_color="normal" if ind.higher_is_better else "inverse",
                help=f"{ind.definition(lang)}\n\n{t('meta.source', lang)}: {r['source']}\n\n"
                f"{t('meta.methodology', lang)}: {r['methodology']}",
                caption="  \n".join(_md_escape(line) for line in lines),
            )
        )
    return cards


def _md_escape(text: str) -> str:
    """Escape Markdown control characters in generated text (names come from data)."""
    for ch in ("\\", "*", "_", "[", "]", "<", ">", "#", "`", "|"):
        text = text.replace(ch, "\\" + ch)
    return text
