"""What the indicator pages (Overview, Compare, Trends, the drill-down) need: indicator frames for a
year or a series, ranked, broken into components, the headline cards, targets, "data as of", and the
metadata every download carries.

The walk from a page to the SQL, for one indicator:

    page         frame = data.ranked_frame("on_time_rate", year=2024, level="district", province_code="01")
    ui/data.py   ind = indicator("on_time_rate")                   the catalogue row (ui/indicators.py)
                 fetch(ind.query, **indicator_params(ind, ...))     the query, cached (ui/fetch.py)
                 normalise(query_frame, ind)                        -> INDICATOR FRAME (ui/indicators.py)
    page         ranking.chart(frame, ind, ...)                     -> figure + table (ui/charts/)

Every function here fetches through ui/fetch.py (so it follows the viewer's scope and the published
lake) and returns frames or plain values; none draws anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import polars as pl

from ui import format as fmt
from ui import lookups
from ui.fetch import fetch, lake_status
from ui.i18n import current_lang, has, t
from ui.indicators import (
    COMPONENT_COLUMNS,
    INDICATOR_COLUMNS,
    Indicator,
    empty_indicator_frame,
    indicator,
    indicator_params,
    indicators,
    normalise,
    normalise_components,
)

# ------------------------------------------------------------------------------------------------
# Indicator frames
# ------------------------------------------------------------------------------------------------


def _names_if_needed(frame: pl.DataFrame, level: str | None, province_code: str | None) -> dict[str, str] | None:
    """Unit names for a query frame that names no unit (sipas), from `units`."""
    if {"unit_name", "province_name"} & set(frame.columns):
        return None
    return lookups.unit_names(level, province_code)


def _keep_province(frame: pl.DataFrame, ind: Indicator, province_code: str | None, level: str | None) -> pl.DataFrame:
    """Queries without a province_code parameter (sipas, par_index): keep the province's own units.
    At province level every province stays (they are compared nationally)."""
    if province_code is None or "province_code" in ind.params or ind.map or level == "province":
        return frame
    if frame.is_empty():
        return frame
    codes = set(lookups.unit_names(level, province_code))
    codes |= {c for c in frame.get_column("unit_code").unique().to_list() if c.startswith(f"{province_code}.")}
    return frame.filter(pl.col("unit_code").is_in(sorted(codes)))


def indicator_frame(
    code: str, *, year: int, period: str = "year", level: str | None = None, province_code: str | None = None
) -> pl.DataFrame:
    """The INDICATOR FRAME of `code` for one year (all periods of that year when period != year)."""
    ind = indicator(code)
    params = indicator_params(ind, year=year, period=period, level=level, province_code=province_code)
    frame = _keep_province(fetch(ind.query, **params), ind, province_code, level)
    return normalise(frame, ind, year=year, names=_names_if_needed(frame, level, province_code))


def indicator_series(
    code: str,
    *,
    years: Iterable[int],
    period: str = "year",
    level: str | None = None,
    province_code: str | None = None,
) -> pl.DataFrame:
    """The indicator frame over several years (one query per year, each cached)."""
    parts = [
        indicator_frame(code, year=y, period=period, level=level, province_code=province_code)
        for y in sorted(set(years))
    ]
    parts = [p for p in parts if not p.is_empty()]
    if not parts:
        return empty_indicator_frame()
    return fmt.sort_units(pl.concat(parts, how="vertical"), extra=["period_start"])


def ranked_frame(code: str, *, year: int, level: str | None = None, province_code: str | None = None) -> pl.DataFrame:
    """The indicator frame of a year with `rank` (the query's, else competition rank of the value)
    and `rank_change` (the query's, else against the previous year's rank when the methodology is
    the same), for the ranking chart."""
    ind = indicator(code)
    cur = indicator_frame(code, year=year, period="year", level=level, province_code=province_code)
    if cur.is_empty():
        return cur
    cur = _with_rank(cur, ind)
    if cur.get_column("rank_change").drop_nulls().len() > 0 or any(year - 1 < b <= year for b in ind.breaks):
        return cur
    prev = indicator_frame(code, year=year - 1, period="year", level=level, province_code=province_code)
    if prev.is_empty():
        return cur
    prev = _with_rank(prev, ind).select(
        "unit_code", pl.col("rank").alias("__prev_rank"), pl.col("methodology").alias("__prev_m")
    )
    out = cur.join(prev, on="unit_code", how="left")
    same = (pl.col("methodology").is_null() & pl.col("__prev_m").is_null()) | (
        pl.col("methodology") == pl.col("__prev_m")
    )
    out = out.with_columns(
        pl.when(same & pl.col("__prev_rank").is_not_null() & pl.col("rank").is_not_null())
        .then(pl.col("__prev_rank") - pl.col("rank"))
        .otherwise(None)
        .cast(pl.Int64)
        .alias("rank_change")
    )
    return out.select(list(INDICATOR_COLUMNS))


def _with_rank(frame: pl.DataFrame, ind: Indicator) -> pl.DataFrame:
    if frame.get_column("rank").drop_nulls().len() > 0:
        return frame
    latest = frame.get_column("period_start").max()
    frame = frame.filter(pl.col("period_start") == latest)
    return frame.with_columns(
        pl.col("value").rank(method="min", descending=ind.higher_is_better).cast(pl.Int64).alias("rank")
    )


def components_frame(
    code: str, *, year: int, level: str | None = None, province_code: str | None = None
) -> pl.DataFrame:
    """The COMPONENT FRAME of an indicator for one year (ui/indicators.py: normalise_components)."""
    ind = indicator(code)
    if len(ind.components) < 3:
        return pl.DataFrame(schema=COMPONENT_COLUMNS)
    params = indicator_params(ind, year=year, period="year", level=level, province_code=province_code)
    frame = _keep_province(fetch(ind.components[0], **params), ind, province_code, level)
    return normalise_components(
        frame,
        ind,
        component_names=lookups.component_names().get(ind.family, {}),
        unit_names=_names_if_needed(frame, level, province_code),
    )


# ------------------------------------------------------------------------------------------------
# Targets
# ------------------------------------------------------------------------------------------------
def target_for(code: str, year: int, unit_code: str | None = None) -> dict[str, Any] | None:
    """The target of an indicator for a year, from `targets_gap`, in display scale:
    {'value', 'comparator', 'on' ('value'|'rank')}; None when no target is set.

    A unit's own row wins. Otherwise (e.g. a province, while targets for `all` expand to district-level
    units, or the target line of a chart) the target applies when every row of the indicator has the
    same target and comparator, i.e. it was set for all units; differing unit targets give None."""
    ind = indicator(code)
    if not ind.target_indicator:
        return None
    rows = fetch("targets_gap", year=year).filter(pl.col("indicator") == ind.target_indicator)
    if rows.is_empty():
        return None
    own = rows.filter(pl.col("unit_code") == unit_code) if unit_code is not None else rows.clear()
    if not own.is_empty():
        rows = own
    elif rows.select("target", "comparator").unique().height != 1:
        return None
    row = rows.row(0, named=True)
    scale = ind.scale if ind.target_on == "value" else 1.0
    value = row["target"]
    return {
        "value": None if value is None else float(value) * scale,
        "comparator": row["comparator"] or ">=",
        "on": ind.target_on,
    }


# ------------------------------------------------------------------------------------------------
# Headline cards
# ------------------------------------------------------------------------------------------------
LAGGED_FAMILIES = ("papi",)  # cards show the latest published year up to the chosen one
OVERVIEW_CARDS: tuple[str, ...] = (
    "service_index_766",
    "par_index",
    "sipas_overall",
    "papi_total",
    "on_time_rate",
    "online_rate",
)
CARD_SCHEMA = {
    "indicator": pl.String,
    "unit_code": pl.String,
    "unit_name": pl.String,
    "year": pl.Int64,
    "value": pl.Float64,
    "previous": pl.Float64,
    "comparable": pl.Boolean,
    "n": pl.Int64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "band": pl.String,
    "quartile": pl.Int64,
    "rank": pl.Int64,
    "rank_change": pl.Int64,
    "target": pl.Float64,
    "comparator": pl.String,
    "target_on": pl.String,
}


def _one(frame: pl.DataFrame, unit_code: str) -> dict[str, Any] | None:
    rows = frame.filter(pl.col("unit_code") == unit_code)
    if rows.is_empty():
        return None
    return rows.sort("period_start").row(-1, named=True)


def card_inputs(codes: Iterable[str], *, year: int, unit_code: str, level: str = "province") -> pl.DataFrame:
    """CARD INPUTS (ui/charts/cards.py) for one unit and year: this year's and last year's value per
    indicator, whether the two are comparable (same methodology), rank change (from the query, else
    from the two ranks when comparable), interval, band/quartile and the target (targets_gap)."""
    rows = []
    for code in codes:
        ind = indicator(code)
        lvl = level if (not ind.levels or level in ind.levels) else ind.levels[0]
        province = unit_code if lvl != "province" else None

        def value_in(y: int, code: str = code, lvl: str = lvl, province: str | None = province) -> dict | None:
            return _one(indicator_frame(code, year=y, period="year", level=lvl, province_code=province), unit_code)

        shown_year = year
        cur = value_in(year)
        if cur is None and ind.family in LAGGED_FAMILIES:  # published with a lag: the latest year before
            for earlier in (y for y in lookups.years(code) if y < year):
                cur = value_in(earlier)
                if cur is not None:
                    shown_year = earlier
                    break
        prev = value_in(shown_year - 1)
        comparable = True
        if cur is not None and prev is not None:
            if cur["methodology"] != prev["methodology"]:
                comparable = False
            if any(shown_year - 1 < b <= shown_year for b in ind.breaks):
                comparable = False
        rank_change = cur["rank_change"] if cur else None
        if rank_change is None and cur and prev and comparable and cur["rank"] is not None and prev["rank"] is not None:
            rank_change = int(prev["rank"]) - int(cur["rank"])
        target = target_for(code, shown_year, unit_code) or {}
        now = cur or {}
        rows.append(
            {
                "indicator": code,
                "unit_code": unit_code,
                "unit_name": (cur or prev or {}).get("unit_name"),
                "year": shown_year,
                "value": now.get("value"),
                "previous": prev["value"] if prev else None,
                "comparable": comparable,
                **{k: now.get(k) for k in ("n", "ci_low", "ci_high", "band", "quartile", "rank")},
                "rank_change": rank_change,
                "target": target.get("value"),
                "comparator": target.get("comparator"),
                "target_on": target.get("on"),
            }
        )
    return pl.DataFrame(rows, schema=CARD_SCHEMA)


# ------------------------------------------------------------------------------------------------
# Data as of, per source; the metadata of downloads
# ------------------------------------------------------------------------------------------------
AS_OF_KINDS = ("dossiers", "feedback", "survey", "par", "papi", "targets")  # the sources behind the indices


def as_of_by_source() -> dict[str, Any]:
    """Source (dossiers, feedback, survey, par, papi, targets) -> the last day its data cover
    (freshness.data_as_of); sources without data are left out."""
    frame = fetch("freshness")
    latest = frame.group_by("kind").agg(pl.col("data_as_of").max())
    found = dict(zip(latest.get_column("kind").to_list(), latest.get_column("data_as_of").to_list(), strict=True))
    return {kind: found[kind] for kind in AS_OF_KINDS if found.get(kind) is not None}


def as_of_text(lang: str | None = None) -> str:
    """ "Dữ liệu đến: hồ sơ 21/11/2026 · khảo sát …" for the Overview."""
    lang = lang or current_lang()
    parts = []
    for kind, when in as_of_by_source().items():
        label = t(f"source_kind.{kind}", lang) if has(f"source_kind.{kind}", lang) else kind
        shown = fmt.datetime(when, lang) if isinstance(when, dt.datetime) else fmt.date(when, lang)
        parts.append(f"{label} {shown}")
    return f"{t('meta.as_of', lang)}: " + " · ".join(parts) if parts else ""


def _demo_suffix(status: dict[str, Any]) -> str:
    return f" — {t('app.demo_short')}" if status.get("is_demo") else ""


def cards_meta(filters: dict[str, Any], title: str) -> dict[str, Any]:
    """`meta` for the Overview's card table: the sources and methodologies of the card indicators."""
    status = lake_status() or {}
    inds = [indicator(c) for c in OVERVIEW_CARDS]
    return {
        "title": title,
        "filters": dict(filters),
        "source": "; ".join(dict.fromkeys(i.source() for i in inds)) + _demo_suffix(status),
        "methodology": "; ".join(dict.fromkeys(i.methodology for i in inds)),
        "as_of": status.get("published_at"),
        "notes": [t("cards.small_sample_rule")],
    }


def meta(
    code: str,
    *,
    filters: dict[str, Any] | None = None,
    title: str | None = None,
    notes: Iterable[str] = (),
    period: Any = None,
) -> dict[str, Any]:
    """The `meta` of ui.views.view_tabs for an indicator: title, unit, period (default: the year
    among `filters`), filters, source, methodology, query and data as of (publication of the lake)."""
    ind = indicator(code)
    status = lake_status() or {}
    filters = dict(filters or {})
    return {
        "title": title or ind.name(),
        "unit": ind.unit,
        "period": filters.get(t("filter.year")) if period is None else period,
        "filters": filters,
        "source": ind.source() + _demo_suffix(status),
        "methodology": ind.methodology,
        "query": ind.query,
        "as_of": status.get("published_at"),
        "notes": list(notes),
    }


def describe_filters(
    *,
    indicator: str | None = None,
    year: Any = None,
    level: str | None = None,
    province: str | None = None,
    period: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """{label: value} of the filters in force, in the current language, for view_tabs' meta."""
    out: dict[str, Any] = {}
    if indicator:
        out[t("filter.indicator")] = indicators()[indicator].name()
    if year is not None:
        out[t("filter.year")] = year
    if period:
        out[t("filter.period")] = t(f"period.{period}")
    if level:
        out[t("filter.level")] = t(f"level.{level}")
    if province:
        out[t("filter.province")] = lookups.provinces().get(province, province)
    out.update(extra)
    return out


# ------------------------------------------------------------------------------------------------
# Page defaults
# ------------------------------------------------------------------------------------------------
def default_units(frame: pl.DataFrame, code: str, n: int = 3) -> list[str]:
    """The `n` best units of the latest period of an indicator frame (the Trends page's default)."""
    if frame.is_empty():
        return []
    latest = frame.filter(pl.col("period_start") == pl.col("period_start").max())
    latest = latest.filter(pl.col("value").is_not_null()).sort("value", descending=indicator(code).higher_is_better)
    return latest.get_column("unit_code").head(n).to_list()


def default_pair(frame: pl.DataFrame, code: str) -> tuple[str | None, str | None]:
    """The best and the worst unit of the latest period (the side-by-side default)."""
    ranked = default_units(frame, code, n=10_000)
    if not ranked:
        return None, None
    return ranked[0], ranked[-1] if len(ranked) > 1 else None


def default_first_year(available: Iterable[int], last: int, period: str) -> int:
    """First year of a trend: every year for yearly series, the year before `last` for quarters and
    months (two years of points)."""
    years_ = sorted(y for y in available if y <= last)
    if not years_:
        return last
    if period == "year":
        return years_[0]
    return max(years_[0], last - 1)
