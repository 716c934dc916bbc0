"""Helpers shared by chart builders: column labels, competition ranks, quartiles, target text."""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from typing import Any

import polars as pl

from ui import format as fmt
from ui.i18n import current_lang, t

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
}


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


def band_label(code: str | None, lang: str | None = None) -> str | None:
    """Decision 766 band name from data/reference/766/bands.csv."""
    if code is None:
        return None
    bands = _bands()
    row = bands.get(code)
    if row is None:
        return code
    return row["band_en"] if (lang or current_lang()) == "en" else row["band_vi"]


@functools.cache
def _bands() -> dict[str, dict[str, str]]:
    from queries.paths import REFERENCE_DIR

    with (REFERENCE_DIR / "766" / "bands.csv").open(encoding="utf-8") as handle:
        return {row["band_code"]: row for row in csv.DictReader(handle)}


def quartile_label(q: int | None, lang: str | None = None) -> str | None:
    """1 -> "Cao" / "High" … 4 -> "Thấp" / "Low" (PAPI's quartile groups)."""
    if q is None:
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


def rank_change_text(change: int | None, lang: str | None = None) -> str:
    """▲ 2 / ▼ 1 / = ; empty when not comparable."""
    if change is None:
        return ""
    if change > 0:
        return f"▲{change}"
    if change < 0:
        return f"▼{-change}"
    return "="
