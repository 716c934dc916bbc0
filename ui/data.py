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
from ui.fetch import fetch, lake_status, per_lake
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
    rank_intervals,
)

# ------------------------------------------------------------------------------------------------
# Indicator frames
# ------------------------------------------------------------------------------------------------


REFORM_DAY = dt.date(2025, 7, 1)  # the 1 July 2025 reform of the units (docs/units.md)
LEVEL_PREFERENCE = ("district", "commune", "department", "province")  # a page's default: the first with data


def _names_if_needed(
    frame: pl.DataFrame, level: str | None, province_code: str | None, year: int | None = None
) -> dict[str, str] | None:
    """Unit names for a query frame that names no unit (sipas), from `units` of the year."""
    if {"unit_name", "province_name"} & set(frame.columns):
        return None
    return lookups.unit_names(level, province_code, year)


def _keep_province(
    frame: pl.DataFrame, ind: Indicator, province_code: str | None, level: str | None, year: int | None = None
) -> pl.DataFrame:
    """Queries without a province_code parameter (sipas): keep the province's own units. At province
    level every province stays (they are compared nationally)."""
    if province_code is None or "province_code" in ind.params or ind.map or level == "province":
        return frame
    if frame.is_empty():
        return frame
    codes = set(lookups.unit_names(level, province_code, year))
    codes |= {c for c in frame.get_column("unit_code").unique().to_list() if c.startswith(f"{province_code}.")}
    return frame.filter(pl.col("unit_code").is_in(sorted(codes)))


def with_unit_identity(
    frame: pl.DataFrame, year: int, level: str | None, units: str | None, *, dated: bool = True
) -> pl.DataFrame:
    """An INDICATOR FRAME of one year with formed_on and ended_on (the unit in time, docs/units.md), and at
    district level without departments (the queries' district level counts them too; the pages rank each
    level on its own: departments have their own level).

    A row's unit is the code's unit at the year's end when the row starts on or after that unit's first
    day (or the unit was formed earlier and only renamed); else the code's unit of the year before (code 52
    in 2025: Bình Định from 1 January, then Gia Lai from 1 July). In today's units (units=current) every
    row is today's unit: formed_on and ended_on stay empty. A figure of the whole year without dates of its
    own (`dated=False`: a survey, a published index, the PAR Index) is the unit its code named at the year's
    end, as the ETL read it (docs/units.md): SIPAS 2025 of code 00004 is the Phường Ba Đình formed on 1 July."""
    if frame.is_empty() or units == "current":
        return frame
    now = lookups.unit_validity(year)
    before = lookups.unit_validity(year - 1).rename(lambda c: f"prev_{c}" if c != "unit_code" else c)
    out = (
        frame.drop("formed_on", "ended_on")
        .join(now, on="unit_code", how="left")
        .join(before, on="unit_code", how="left")
    )
    same_unit = pl.col("formed_on").is_not_null() & (
        (pl.col("period_start") >= pl.col("valid_from"))
        | (pl.col("formed_on") == pl.col("prev_formed_on"))
        | pl.lit(not dated)
    )
    out = out.with_columns(
        pl.when(same_unit).then(pl.col("formed_on")).otherwise(pl.col("prev_formed_on")).alias("formed_on"),
        pl.when(same_unit).then(pl.col("valid_to")).otherwise(pl.col("prev_valid_to")).alias("ended_on"),
        pl.when(same_unit).then(pl.col("level")).otherwise(pl.col("prev_level")).alias("unit_level"),
    )
    if level == "district":
        out = out.filter(pl.col("unit_level").is_null() | (pl.col("unit_level") != "department"))
    return out.select(list(INDICATOR_COLUMNS))


@per_lake
def indicator_frame(
    code: str,
    *,
    year: int,
    period: str = "year",
    level: str | None = None,
    province_code: str | None = None,
    units: str | None = None,
) -> pl.DataFrame:
    """The INDICATOR FRAME of `code` for one year (all periods of that year when period != year), each row
    with its unit in time (with_unit_identity)."""
    ind = indicator(code)
    params = indicator_params(ind, year=year, period=period, level=level, province_code=province_code, units=units)
    named_in = None if units == "current" else year  # today's units carry today's names
    frame = _keep_province(fetch(ind.query, **params), ind, province_code, level, named_in)
    dated = "period_start" in frame.columns
    frame = normalise(frame, ind, year=year, names=_names_if_needed(frame, level, province_code, named_in))
    return with_unit_identity(frame, year, level, units, dated=dated)


@per_lake
def indicator_series(
    code: str,
    *,
    years: Iterable[int],
    period: str = "year",
    level: str | None = None,
    province_code: str | None = None,
    units: str | None = None,
) -> pl.DataFrame:
    """The indicator frame over several years (one query per year, each cached)."""
    parts = [
        indicator_frame(code, year=y, period=period, level=level, province_code=province_code, units=units)
        for y in sorted(set(years))
    ]
    parts = [p for p in parts if not p.is_empty()]
    if not parts:
        return empty_indicator_frame()
    return fmt.sort_units(pl.concat(parts, how="vertical"), extra=["period_start"])


@per_lake
def ranked_frame(
    code: str,
    *,
    year: int,
    level: str | None = None,
    province_code: str | None = None,
    units: str | None = None,
) -> pl.DataFrame:
    """The units of a year's end with `rank` (the query's, else competition rank of the value among
    them), `ranked_units` (the N of "rank n of N"), `rank_change` (the query's, else against the previous
    year's rank of the same unit when the methodology is the same) and, where the value has a confidence
    interval, each rank's interval and whether the change is significant (ui.indicators.rank_intervals)."""
    ind = indicator(code)
    cur = indicator_frame(code, year=year, period="year", level=level, province_code=province_code, units=units)
    if cur.is_empty():
        return cur
    cur = rank_intervals(_with_rank(year_end_units(cur), ind), ind.higher_is_better)
    if cur.get_column("rank_change").drop_nulls().len() > 0 or any(year - 1 < b <= year for b in ind.breaks):
        return cur
    prev = indicator_frame(code, year=year - 1, period="year", level=level, province_code=province_code, units=units)
    if prev.is_empty():
        return cur
    prev = rank_intervals(_with_rank(year_end_units(prev), ind), ind.higher_is_better).select(
        "unit_code",
        pl.col("formed_on").alias("__prev_formed"),
        pl.col("rank").alias("__prev_rank"),
        pl.col("methodology").alias("__prev_m"),
        pl.col("rank_best").alias("__prev_best"),
        pl.col("rank_worst").alias("__prev_worst"),
    )
    out = cur.join(prev, on="unit_code", how="left")
    same = (pl.col("methodology").is_null() & pl.col("__prev_m").is_null()) | (
        pl.col("methodology") == pl.col("__prev_m")
    )
    same_unit = pl.col("formed_on").eq_missing(pl.col("__prev_formed"))
    comparable = same & same_unit & pl.col("__prev_rank").is_not_null() & pl.col("rank").is_not_null()
    out = out.with_columns(
        pl.when(comparable)
        .then(pl.col("__prev_rank") - pl.col("rank"))
        .otherwise(None)
        .cast(pl.Int64)
        .alias("rank_change"),
        pl.when(comparable & pl.col("rank_best").is_not_null() & pl.col("__prev_best").is_not_null())
        .then((pl.col("rank_best") > pl.col("__prev_worst")) | (pl.col("rank_worst") < pl.col("__prev_best")))
        .otherwise(None)
        .alias("change_significant"),
    )
    return out.select(list(INDICATOR_COLUMNS))


def year_end_units(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows of the last period of a frame, of the units that still existed at its end: in 2025 as
    published, Gia Lai (from 1 July) and Hà Nội, not Bình Định (to 30 June). A code's latest part wins."""
    if frame.is_empty():
        return frame
    last_year = frame.get_column("year").max()
    end = dt.date(last_year, 12, 31)
    rows = frame.filter(pl.col("year") == last_year)
    rows = rows.filter(pl.col("ended_on").is_null() | (pl.col("ended_on") >= end))
    return rows.sort("period_start").unique(subset="unit_code", keep="last", maintain_order=True).pipe(fmt.sort_units)


def _with_rank(frame: pl.DataFrame, ind: Indicator) -> pl.DataFrame:
    """The query's rank, else the competition rank of the value; ranked_units = the N the rank is among."""
    if frame.get_column("rank").drop_nulls().len() > 0:
        if frame.get_column("ranked_units").drop_nulls().len() > 0:
            return frame
        return frame.with_columns(
            pl.lit(frame.get_column("rank").drop_nulls().len(), dtype=pl.Int64).alias("ranked_units")
        )
    # values equal to six decimals tie, as in the queries' ranks (docs/architecture.md, "Exact sums and ties")
    to_millionths = (pl.col("value") * 1_000_000 + 0.5).floor()
    ranked = to_millionths.rank(method="min", descending=ind.higher_is_better).cast(pl.Int64)
    return frame.with_columns(
        ranked.alias("rank"),
        pl.lit(frame.get_column("value").drop_nulls().len(), dtype=pl.Int64).alias("ranked_units"),
    )


@per_lake
def components_frame(
    code: str,
    *,
    year: int,
    level: str | None = None,
    province_code: str | None = None,
    units: str | None = None,
) -> pl.DataFrame:
    """The COMPONENT FRAME of an indicator for one year (ui/indicators.py: normalise_components)."""
    ind = indicator(code)
    if len(ind.components) < 3:
        return pl.DataFrame(schema=COMPONENT_COLUMNS)
    params = indicator_params(ind, year=year, period="year", level=level, province_code=province_code, units=units)
    named_in = None if units == "current" else year  # today's units carry today's names
    frame = _keep_province(fetch(ind.components[0], **params), ind, province_code, level, named_in)
    return normalise_components(
        frame,
        ind,
        component_names=lookups.component_names().get(ind.family, {}),
        unit_names=_names_if_needed(frame, level, province_code, named_in),
    )


# ------------------------------------------------------------------------------------------------
# Targets
# ------------------------------------------------------------------------------------------------
ALL_UNITS = "all"  # the unit_code of a target set for every unit (the targets table, docs/data-contract.md)


@per_lake
def target_for(code: str, year: int, unit_code: str | None = None) -> dict[str, Any] | None:
    """The target of an indicator for a year, from the targets set (`targets_set`), in display scale:
    {'value', 'comparator', 'on' ('value'|'rank')}; None when no target is set.

    A unit's own target wins, then the target set for `all` (every unit, at every level). Without a
    unit (the target line of a chart), or for a unit with neither, the target applies when every
    target of the indicator the viewer may see is the same, i.e. it holds for all units; differing unit
    targets give None. Reads the targets alone, never the actual values (targets_gap): a chart's line
    costs a read of a small table, for any year."""
    ind = indicator(code)
    if not ind.target_indicator:
        return None
    rows = fetch("targets_set", year=year).filter(pl.col("indicator") == ind.target_indicator)
    if rows.is_empty():
        return None
    chosen = rows.clear()
    if unit_code is not None:
        chosen = rows.filter(pl.col("unit_code") == unit_code)
        if chosen.is_empty():
            chosen = rows.filter(pl.col("unit_code") == ALL_UNITS)
    if chosen.is_empty():
        if rows.select("target", "comparator").unique().height != 1:
            return None
        chosen = rows
    row = chosen.row(0, named=True)
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
# published with a lag (PAPI; the PAR Index of a year is appraised and announced the next year): cards show
# the latest published year up to the chosen one, and say which year it is
LAGGED_FAMILIES = ("papi", "par")
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
    "ranked_units": pl.Int64,
    "approximate": pl.Boolean,
    "rank_change": pl.Int64,
    "target": pl.Float64,
    "comparator": pl.String,
    "target_on": pl.String,
}


def _one(frame: pl.DataFrame, unit_code: str) -> dict[str, Any] | None:
    """The unit's row; None when it has several (a published index in today's units, where today's province
    is several provinces of the time, each with its own score: never one of them picked for the whole)."""
    rows = frame.filter(pl.col("unit_code") == unit_code)
    if rows.height != 1:
        return None
    return rows.row(0, named=True)


@per_lake
def card_inputs(
    codes: Iterable[str], *, year: int, unit_code: str, level: str = "province", units: str | None = None
) -> pl.DataFrame:
    """CARD INPUTS (ui/charts/cards.py) for one unit and year: this year's and last year's value per
    indicator, whether the two are comparable (same methodology), rank change (from the query, else
    from the two ranks when comparable), interval, band/quartile and the target (target_for: targets_set)."""
    rows = []
    for code in codes:
        ind = indicator(code)
        lvl = level if (not ind.levels or level in ind.levels) else ind.levels[0]
        province = unit_code if lvl != "province" else None

        def value_in(y: int, code: str = code, lvl: str = lvl, province: str | None = province) -> dict | None:
            frame = indicator_frame(code, year=y, period="year", level=lvl, province_code=province, units=units)
            return _one(
                _with_rank(year_end_units(frame), indicator(code)) if not frame.is_empty() else frame, unit_code
            )

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
                **{k: now.get(k) for k in ("n", "ci_low", "ci_high", "band", "quartile", "rank", "ranked_units")},
                "approximate": now.get("approximate"),
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
# indicator family -> the load kinds (sources) its numbers come from
FAMILY_KINDS: dict[str, tuple[str, ...]] = {
    "dossier": ("dossiers",),
    "766": ("dossiers", "feedback"),
    "sipas": ("survey",),
    "par": ("par",),
    "papi": ("papi",),
}


@per_lake
def as_of_by_source() -> dict[str, Any]:
    """Source (dossiers, feedback, survey, par, papi, targets) -> the last day its data cover
    (freshness.data_as_of); sources without data are left out."""
    frame = fetch("freshness")
    latest = frame.group_by("kind").agg(pl.col("data_as_of").max())
    found = dict(zip(latest.get_column("kind").to_list(), latest.get_column("data_as_of").to_list(), strict=True))
    return {kind: found[kind] for kind in AS_OF_KINDS if found.get(kind) is not None}


@per_lake
def demo_kinds() -> frozenset[str]:
    """The sources (load kinds) loaded by `python -m etl demo` with generated data: a demo lake's PAPI and
    PCI are the real published tables and are not among them (load_log.is_demo per file)."""
    if not (lake_status() or {}).get("is_demo"):
        return frozenset()
    log = fetch("load_log", limit=100_000)
    if log.is_empty():
        return frozenset()
    return frozenset(log.filter(pl.col("is_demo").fill_null(False)).get_column("kind").unique().to_list())


def as_of(code: str) -> Any:
    """The last day the data of an indicator's sources cover (the earliest of its sources' last days:
    the 766 index is as of the older of its dossiers and petitions), None when none has data."""
    found = as_of_by_source()
    days = [found[kind] for kind in FAMILY_KINDS.get(indicator(code).family, ()) if kind in found]
    return min(days) if days else None


@per_lake
def as_of_text(lang: str | None = None) -> str:
    """ "Dữ liệu đến: hồ sơ 31/12/2024 (dữ liệu mẫu) · PAPI 31/12/2024 …" for the Overview: the last day each
    source covers, demo sources labelled."""
    lang = lang or current_lang()
    demo = demo_kinds()
    parts = []
    for kind, when in as_of_by_source().items():
        label = t(f"source_kind.{kind}", lang) if has(f"source_kind.{kind}", lang) else kind
        shown = fmt.date(when, lang)
        parts.append(f"{label} {shown}" + (f" ({t('app.demo_short', lang)})" if kind in demo else ""))
    return f"{t('meta.as_of', lang)}: " + " · ".join(parts) if parts else ""


def is_demo(code: str) -> bool:
    """Whether any source of the indicator is demo data."""
    return bool(set(FAMILY_KINDS.get(indicator(code).family, ())) & demo_kinds())


def _demo_suffix(codes: Iterable[str]) -> str:
    return f" — {t('app.demo_short')}" if any(is_demo(c) for c in codes) else ""


def cards_meta(filters: dict[str, Any], title: str) -> dict[str, Any]:
    """`meta` for the Overview's card table: the sources and methodologies of the card indicators, each
    source as of the last day it covers."""
    inds = [indicator(c) for c in OVERVIEW_CARDS]
    sources = [f"{i.source()}{_demo_suffix([i.code])}" for i in inds]
    return {
        "title": title,
        "filters": dict(filters),
        "source": "; ".join(dict.fromkeys(sources)),
        "methodology": "; ".join(dict.fromkeys(i.methodology_text() for i in inds)),
        "as_of": as_of_text(),
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
    among `filters`), filters, source (labelled when demo), methodology, query and data as of (the last day
    its sources cover, as_of)."""
    ind = indicator(code)
    filters = dict(filters or {})
    return {
        "title": title or ind.name(),
        "unit": ind.unit,
        "period": filters.get(t("filter.year")) if period is None else period,
        "filters": filters,
        "source": ind.source() + _demo_suffix([code]),
        "methodology": ind.methodology_text(),
        "query": ind.query,
        "as_of": as_of(code),
        "notes": list(notes),
    }


def describe_filters(
    *,
    indicator: str | None = None,
    year: Any = None,
    level: str | None = None,
    province: str | None = None,
    period: str | None = None,
    basis: str | None = None,
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
    if basis:
        out[t("reform.basis")] = t(f"reform.basis_{basis}")
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


@per_lake
def levels_with_data(code: str, year: int, *, units: str | None = None) -> list[str]:
    """The levels of an indicator with data in the year, in the order of ui.filters.LEVELS: a page offers
    no level it has nothing for. District exists only before the reform (years before 2025)."""
    ind = indicator(code)
    out = []
    for lv in ind.levels:
        if lv == "district" and (year >= REFORM_DAY.year or units == "current"):
            continue  # no district after the reform, nor among today's units
        if not indicator_frame(code, year=year, level=lv, units=units).filter(pl.col("value").is_not_null()).is_empty():
            out.append(lv)
    return out


def default_level(levels: Iterable[str]) -> str | None:
    """The lowest local level with data (district before the reform, commune after), else departments,
    else provinces: the level the year's data are kept at (LEVEL_PREFERENCE)."""
    offered = list(levels)
    return next((lv for lv in LEVEL_PREFERENCE if lv in offered), None)


def map_era(year: int, units: str | None = None) -> str:
    """Which province map a year is drawn on: "after" (34 provinces) for periods from July 2025 and for
    today's units, "before" (63) for earlier years. The year 2025 ends in the 34 provinces."""
    return "after" if units == "current" or year >= REFORM_DAY.year else "before"


@per_lake
def targets_by_year(code: str, years: Iterable[int]) -> pl.DataFrame:
    """year, value, comparator, on: the target of each year that has one (display scale), for a trend
    that draws each year's own target."""
    rows = []
    for year in sorted(set(years)):
        target = target_for(code, year)
        if target and target.get("value") is not None:
            rows.append({"year": year, **target})
    schema = {"year": pl.Int64, "value": pl.Float64, "comparator": pl.String, "on": pl.String}
    return pl.DataFrame(rows, schema=schema)


@per_lake
def targets_frame(year: int, *, level: str, province_code: str | None, units: str | None = None) -> pl.DataFrame:
    """Every target of the year against the actual values of the province's units at `level` (targets_gap,
    rates as fractions), with the indicator's catalogue code and the unit's name: online payment included."""
    rows = fetch("targets_gap", year=year, level=level, units=units, province_code=province_code)
    if rows.is_empty():
        return rows
    names = lookups.unit_names(None, None, year) if units != "current" else lookups.unit_names()
    by_target = {ind.target_indicator: ind.code for ind in indicators().values() if ind.target_indicator}
    return rows.with_columns(
        pl.col("unit_code")
        .replace_strict(names, default=pl.col("unit_code"), return_dtype=pl.String)
        .alias("unit_name"),
        pl.col("indicator")
        .str.split(":")
        .list.first()
        .replace_strict(by_target, default=None, return_dtype=pl.String)
        .alias("code"),
    )


def frame_notes(frame: pl.DataFrame, ind: Indicator, year: int) -> list[str]:
    """What a reader must know about the values shown: some are re-based approximately (a split unit's
    weights, docs/units.md); the 766 index of years before Decision 766 is computed retroactively."""
    notes = []
    if "approximate" in frame.columns and frame.get_column("approximate").fill_null(False).any():
        notes.append(t("reform.approximate_note"))
    years = set(frame.get_column("year").drop_nulls().to_list()) | {year}
    early = sorted(y for y in years if ind.retroactive(y))
    if early:
        notes.append(t("reform.retroactive_766_years", years=", ".join(str(y) for y in early)))
    return notes


def rank_notes(frame: pl.DataFrame) -> list[str]:
    """How rank changes are read against the intervals, when the values have intervals."""
    if "change_significant" in frame.columns and frame.get_column("change_significant").drop_nulls().len() > 0:
        return [t("reform.significance_note")]
    return []


@per_lake
def dossier_counts(year: int, province_code: str | None, units: str | None = None) -> pl.DataFrame:
    """unit_code, received: the dossiers each commune of a province received in the year (what the commune
    points of the map are sized by)."""
    frame = fetch("dossier_kpis", year=year, level="commune", province_code=province_code, units=units)
    if frame.is_empty():
        return pl.DataFrame(schema={"unit_code": pl.String, "received": pl.Int64})
    return frame.group_by("unit_code").agg(pl.col("received").sum().cast(pl.Int64))


@per_lake
def kpis_frame(year: int, *, level: str, province_code: str | None, units: str | None = None) -> pl.DataFrame:
    """dossier_kpis rows of a year at a level; at district level without the departments the query's
    district level also counts (each level on its own)."""
    frame = fetch("dossier_kpis", year=year, level=level, province_code=province_code, units=units)
    if level != "district" or frame.is_empty():
        return frame
    departments = lookups.unit_validity(year).filter(pl.col("level") == "department").get_column("unit_code")
    return frame.filter(~pl.col("unit_code").is_in(departments.to_list()))
