"""What chart builders share: the `Chart` they return, column labels, competition ranks, quartiles,
band names, target text, Python functions over a column (`each`).

A chart builder is a pure function: frames (and the indicator, names of codes) in, a `Chart` out. It
never queries, reads a file or calls Streamlit (tests/test_layers.py keeps it so):

    chart = ranking.chart(frame, ind, target=target, bands=band_names)
    chart.table      # the exact frame behind the chart: sorted as plotted, labelled in the language
    chart.figure     # the Plotly figure, drawn from the same prepared rows on first use

`figure_builder(chart)` gives the module's `figure(..., return_df=False)`: the figure, or with
`return_df=True` the frame behind it. Pages show a chart with ui.views.view_chart, which computes it once.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl

from ui import format as fmt
from ui.i18n import current_lang, t


class BuiltFigure(go.Figure):
    """A figure given as the dict plotly made of it (`Figure.to_dict()`, e.g. from a cache), shown by
    st.plotly_chart without building plotly's objects again: Streamlit sends a figure's `to_dict()`,
    serialised, so the chart sent is byte for byte the one the dict came from
    (tests/ui/test_view_cache.py checks it against the installed Streamlit)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        super().__init__()
        self._spec = spec

    def to_dict(self) -> dict[str, Any]:
        return self._spec


class Chart:
    """What a chart builder returns: the frame behind the chart (`table`), computed once, and the figure,
    drawn from the same rows when first asked for."""

    def __init__(self, table: pl.DataFrame, draw: Callable[[], go.Figure]) -> None:
        self.table = table
        self._draw = draw
        self._figure: go.Figure | None = None

    @property
    def figure(self) -> go.Figure:
        if self._figure is None:
            self._figure = self._draw()
        return self._figure


def figure_builder(build: Callable[..., Chart]) -> Callable[..., go.Figure | pl.DataFrame]:
    """`figure(*args, return_df=False, **kwargs)` from a builder returning a Chart: the figure, or with
    `return_df=True` the frame behind it (the figure is then not drawn)."""

    @functools.wraps(build)
    def figure(*args: Any, return_df: bool = False, **kwargs: Any) -> go.Figure | pl.DataFrame:
        made = build(*args, **kwargs)
        return made.table if return_df else made.figure

    return figure


# canonical column -> dictionary key of its header (ui/i18n/*.toml [col])
COLUMN_LABELS: dict[str, str] = {
    "rank": "col.rank",
    "unit_code": "col.unit_code",
    "unit_name": "col.unit",
    "period": "col.period",
    "period_start": "col.period_start",
    "year": "col.year",
    "value": "col.value",
    "rank_change": "col.rank_change",
    "band": "col.band",
    "quartile": "col.quartile_no",
    "group": "col.group",
    "n": "col.n",
    "ci_low": "col.ci_low",
    "ci_high": "col.ci_high",
    "target": "col.target",
    "target_on": "col.target_on",
    "gap": "col.gap",
    "met": "col.met",
    "methodology": "col.methodology",
    "indicator": "col.indicator",
    "previous": "col.previous",
    "change": "col.change",
    "source": "col.source",
    "component": "col.component",
    "max_value": "col.max_value",
    "best": "col.best",
    "best_unit": "col.best_unit",
    "median": "col.median",
    "status": "col.status",
    "ranked_units": "col.ranked_units",
    "rank_best": "col.rank_best",
    "rank_worst": "col.rank_worst",
    "change_significant": "col.change_significant",
    "approximate": "col.approximate",
}


def each(values: pl.Series, function: Callable[[Any], Any], dtype: Any = pl.String) -> pl.Series:
    """`function` of every value of `values`, computed in the calling thread (a null stays null).

    The dashboard never passes a Python function to Polars (`map_elements`, `map_batches`): Polars
    runs it on its worker threads, which must then take the interpreter lock. With several sessions
    at once, another session's thread can hold that lock while it waits for the same workers
    (`DataFrame.to_pandas` does), and the whole server hangs. Chart frames are small: a list does."""
    return pl.Series(values.name, [None if v is None else function(v) for v in values.to_list()], dtype=dtype)


def label_columns(
    frame: pl.DataFrame, lang: str | None = None, overrides: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """Rename canonical columns to their headers in `lang`; `overrides` maps column -> header text
    (e.g. the value column named after the indicator and its unit)."""
    lang = lang or current_lang()
    overrides = dict(overrides or {})
    mapping = {}
    for col in frame.columns:
        if col in overrides:
            mapping[col] = overrides[col]
        elif col in COLUMN_LABELS:
            mapping[col] = t(COLUMN_LABELS[col], lang)
    return frame.rename(mapping)


def competition_rank(values: pl.Expr, higher_is_better: bool = True) -> pl.Expr:
    """1, 1, 3 ranking (ties share, the next skips); nulls get no rank."""
    return values.rank(method="min", descending=higher_is_better).cast(pl.Int64)


def quartile_from_rank(rank: pl.Expr, n: pl.Expr | int) -> pl.Expr:
    """1 + floor(4 (rank − 1) / n): 1 = best quarter … 4 (the PAPI quartile-group rule)."""
    return (1 + ((rank - 1) * 4 / n).floor()).cast(pl.Int64)


Names = Mapping[str, tuple[str, str]]  # code -> (name_vi, name_en), e.g. ui.lookups.band_names()


def name_of(code: str | None, names: Names | None, lang: str | None = None) -> str | None:
    """The name of a code in the language (English falls back to Vietnamese); the code itself when
    `names` do not know it."""
    if code is None:
        return None
    pair = (names or {}).get(code)
    if pair is None:
        return code
    return (pair[1] or pair[0]) if (lang or current_lang()) == "en" else pair[0]


def band_label(code: str | None, bands: Names | None, lang: str | None = None) -> str | None:
    """Decision 766 band name (`bands`: ui.lookups.band_names(), from data/reference/766/bands.csv)."""
    return name_of(code, bands, lang)


def quartile_label(q: int | None, lang: str | None = None) -> str | None:
    """1 -> "Cao" / "High" … 4 -> "Thấp" / "Low" (PAPI's quartile groups); None outside 1–4 (a quartile
    computed over the wrong N), never a raw dictionary key."""
    if q is None or not 1 <= int(q) <= 4:
        return None
    return t(f"quartile.q{int(q)}", lang or current_lang())


def meets(value: float | None, target: float | None, comparator: str = ">=") -> bool | None:
    """Whether `value` meets `target` under `comparator` (>=, <=, =); None when either is missing."""
    if fmt.is_missing(value) or fmt.is_missing(target):
        return None
    if comparator == "<=":
        return value <= target + 1e-9
    if comparator == "=":
        return abs(value - target) <= 1e-9
    return value >= target - 1e-9


def target_text(target: Mapping[str, Any], unit: str, lang: str | None = None) -> str:
    """ "Mục tiêu ≥ 85,0%" / "Target ≥ 85.0%" (a rank target: "Mục tiêu: hạng ≤ 5")."""
    lang = lang or current_lang()
    comparator = {">=": "≥", "<=": "≤", "=": "="}.get(target.get("comparator") or ">=", "≥")
    if target.get("on") == "rank":
        return t("target.rank", lang, comparator=comparator, value=fmt.integer(target.get("value"), lang))
    return t("target.value", lang, comparator=comparator, value=fmt.value(target.get("value"), unit, lang=lang))


def distinct_names(names: Sequence[str | None], codes: Sequence[str]) -> list[str]:
    """The names as chart categories, each once: a name two units share gets its code ("Phường 15 (26740)"),
    so their bars and labels never fall on one row. A missing name is the code."""
    counts = Counter(names)
    return [
        code if name is None else (f"{name} ({code})" if counts[name] > 1 else name)
        for name, code in zip(names, codes, strict=True)
    ]


LABEL_CHAR_PX = 7  # about the width of one character of the 12 px labels


def right_labels(fig: go.Figure, categories: list[str], labels: list[str]) -> go.Figure:
    """Write each bar's label in a column right of the plot, at its category, and make the right margin wide
    enough for the longest: a label never sits on a whisker or a target line, and is never cut off at the
    plot's edge however long its bar. Call after theme.style.

    The labels are added in one layout update: Plotly validates the whole list of annotations again on
    every `add_annotation`, so adding them one by one costs the square of their number (2.4 s of CPU for
    160 communes, against 0.02 s at once)."""
    added = [
        {"x": 1.0, "xref": "paper", "xanchor": "left", "xshift": 8, "y": category, "yref": "y", "text": label,
         "showarrow": False, "font": {"size": 12}, "align": "left"}
        for category, label in zip(categories, labels, strict=True)
    ]  # fmt: skip
    widest = max((len(label) for label in labels), default=0)
    return fig.update_layout(annotations=[*fig.layout.annotations, *added], margin={"r": 24 + LABEL_CHAR_PX * widest})


def rank_of(rank: int | None, among: int | None, lang: str | None = None) -> str:
    """ "3/27": a rank among the `among` units it was taken among (the query's ranked_units, never the units
    shown); "3" when that is unknown, "—" without a rank."""
    if rank is None:
        return fmt.NA
    return fmt.integer(rank, lang) + (f"/{fmt.integer(among, lang)}" if among is not None else "")


def rank_of_text(rank: int | None, among: int | None, lang: str | None = None) -> str:
    """ "Hạng 3/27" / "Rank 3/27"."""
    return f"{t('col.rank', lang or current_lang())} {rank_of(rank, among, lang)}"


def rank_change_text(change: int | None, lang: str | None = None) -> str:
    """▲ 2 / ▼ 1 / = ; empty when not comparable."""
    if change is None:
        return ""
    if change > 0:
        return f"▲{change}"
    if change < 0:
        return f"▼{-change}"
    return "="
