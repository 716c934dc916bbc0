"""SIPAS drill-down: a unit's overall satisfaction share with its 95 % interval and n → the five elements
with theirs. An estimate from fewer than 30 respondents arrives from queries/sipas.sql with its n but no
share or interval (suppressed at the source) and reads "không đủ mẫu" / "too few responses", never a bar.
A share hidden so that such an estimate cannot be worked out (the unit's overall, the mean of its element
shares; a province's element pooled from a unit with fewer than 30 respondents: queries/sipas.sql) has 30
or more respondents and reads "hidden so that a too-small estimate cannot be worked out" (`hidden_note`).

    headline(sipas_rows, unit)          input: sipas rows
    chart(sipas_rows, unit)             -> Chart (ui/charts/common.py)
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui import theme
from ui.charts import earned
from ui.charts.common import Chart, figure_builder, label_columns
from ui.i18n import current_lang, has, t

ELEMENTS: tuple[str, ...] = ("tiep_can", "thu_tuc", "cong_chuc", "ket_qua", "pakn")
SURVEY_MIN_RESPONDENTS = 30  # queries/sipas.sql suppresses estimates from fewer (tests/queries/test_disclosure.py)
SCHEMA = {
    "element_code": pl.String,
    "element": pl.String,
    "n": pl.Int64,
    "value": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "note": pl.String,
}


def hidden_note(n: int | None, lang: str | None = None) -> str:
    """Why a SIPAS share is empty: too few respondents, else hidden so that such a share cannot be
    worked out from it (complementary suppression); both by queries/sipas.sql."""
    if n is None or n < SURVEY_MIN_RESPONDENTS:
        return t("drilldown.too_few", lang)
    return t("drilldown.hidden_complement", lang)


def element_name(code: str, lang: str | None = None) -> str:
    lang = lang or current_lang()
    if code == "overall":
        return t("drilldown.sipas_overall", lang)
    key = f"sipas_element.{code}"
    return t(key, lang) if has(key, lang) else code


def frame(sipas_rows: pl.DataFrame, unit_code: str, lang: str | None = None) -> pl.DataFrame:
    """One row per element, then the overall index: element_code, element, n, value (%), ci_low, ci_high
    (%), note ("không đủ mẫu" where the query suppressed the estimate)."""
    lang = lang or current_lang()
    rows = sipas_rows.filter(pl.col("unit_code") == unit_code)
    order = {code: i for i, code in enumerate((*ELEMENTS, "overall"))}
    out = []
    for r in rows.iter_rows(named=True):
        small = r["satisfied_share"] is None  # suppressed (n < 30, or it would give such a share), or no answer
        out.append(
            {
                "element_code": r["element_code"],
                "element": element_name(r["element_code"], lang),
                "n": r["n"],
                "value": None if small else 100.0 * r["satisfied_share"],
                "ci_low": None if small or r["ci_low"] is None else 100.0 * r["ci_low"],
                "ci_high": None if small or r["ci_high"] is None else 100.0 * r["ci_high"],
                "note": hidden_note(r["n"], lang) if small else None,
                "__order": order.get(r["element_code"], len(order)),
            }
        )
    return pl.DataFrame(out, schema={**SCHEMA, "__order": pl.Int64}).sort("__order").drop("__order")


def headline(sipas_rows: pl.DataFrame, unit_code: str, lang: str | None = None) -> list[tuple[str, str, str]]:
    """(label, value, help) of the unit's overall SIPAS index with its interval and n."""
    lang = lang or current_lang()
    data = frame(sipas_rows, unit_code, lang).filter(pl.col("element_code") == "overall")
    if data.is_empty():
        return []
    r = data.row(0, named=True)
    value = r["note"] if r["value"] is None else fmt.value(r["value"], "%", 1, lang)
    interval = (
        fmt.NA
        if r["ci_low"] is None
        else f"{fmt.value(r['ci_low'], '%', 1, lang)} – {fmt.value(r['ci_high'], '%', 1, lang)}"
    )
    return [
        (t("drilldown.sipas_overall", lang), value, t("drilldown.sipas_help", lang)),
        (t("drilldown.interval", lang), interval, t("drilldown.interval_help", lang)),
        (t("drilldown.respondents", lang), fmt.integer(r["n"], lang), t("drilldown.respondents_help", lang)),
    ]


def chart(sipas_rows: pl.DataFrame, unit_code: str, *, lang: str | None = None) -> Chart:
    """Satisfied share per element (and overall) with its 95 % interval as an error bar and n in the
    label; an element with fewer than 30 respondents shows "không đủ mẫu" instead of a bar."""
    lang = lang or current_lang()
    data = frame(sipas_rows, unit_code, lang)
    table = label_columns(
        data,
        lang,
        {
            "element_code": t("xcol.element_code", lang),
            "element": t("xcol.element", lang),
            "value": t("xcol.satisfied_pct", lang),
            "note": t("xcol.note", lang),
        },
    )
    return Chart(table, lambda: _draw(data.to_dicts(), lang))


figure = figure_builder(chart)


def _draw(rows: list[dict[str, Any]], lang: str) -> go.Figure:
    labels = [f"{r['element']} (n = {fmt.integer(r['n'], lang)})" for r in rows]
    colours = [theme.OKABE_ITO["bluish_green"] if r["element_code"] == "overall" else earned.EARNED for r in rows]
    fig = go.Figure(
        go.Bar(
            x=[r["value"] for r in rows],
            y=labels,
            orientation="h",
            marker={"color": colours},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [None if r["value"] is None else r["ci_high"] - r["value"] for r in rows],
                "arrayminus": [None if r["value"] is None else r["value"] - r["ci_low"] for r in rows],
                "color": theme.OKABE_ITO["black"],
                "thickness": 1.5,
                "width": 6,
            },
            text=[r["note"] if r["value"] is None else fmt.value(r["value"], "%", 1, lang) for r in rows],
            textposition="outside",
            cliponaxis=False,
            hovertext=[_hover(r, lang) for r in rows],
            hoverinfo="text",
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", title=None)
    fig.update_xaxes(title=t("xcol.satisfied_pct", lang), range=[0, 105], ticksuffix="%")
    return theme.style(fig, lang, height=max(260, 110 + earned.ROW_HEIGHT * len(rows)))


def _hover(r: dict[str, Any], lang: str) -> str:
    head = f"<b>{r['element']}</b> · n = {fmt.integer(r['n'], lang)}"
    if r["value"] is None:
        return f"{head}<br>{t('drilldown.too_few_long', lang)}"
    return (
        f"{head}<br>{fmt.value(r['value'], '%', 1, lang)} "
        f"({t('drilldown.interval', lang)}: {fmt.value(r['ci_low'], '%', 1, lang)} – "
        f"{fmt.value(r['ci_high'], '%', 1, lang)})"
    )
