"""The indicator catalogue (data/reference/indicators.csv) and the two frame shapes every chart takes.

    ind = indicator("on_time_rate")            # which query and column, unit, scale, levels, targets …
    frame = normalise(query_frame, ind)         # a query's rows -> the INDICATOR FRAME

An indicator is one number the dashboard shows for a unit and a period (the on-time rate, the 766 total, the
SIPAS overall share …): its row in indicators.csv names the query that computes it and the column holding
it, and how to show it (unit, scale, decimals, better direction, levels, periods, target, methodology
breaks, components). The page layer (ui/data.py) fetches the query and calls `normalise`; the chart
builders (ui/charts/) take the result. Nothing here queries or calls Streamlit.

INDICATOR FRAME (`normalise`), one row per unit × period, sorted by unit name in Vietnamese order:

    unit_code      str    unit (GSO code or department code)
    unit_name      str    its name (Vietnamese, as published)
    period_start   date   first day of the period (1 Jan for yearly figures)
    year           int
    value          f64    in DISPLAY scale: rates in percent (98.5), points, days
    n              i64    sample size / denominator when the source gives one (else null)
    ci_low,ci_high f64    95 % interval in display scale (SIPAS), else null
    band           str    band code (766: excellent|good|average|weak), else null
    quartile       i64    1 (best) … 4, else null
    rank           i64    competition rank as published by the query, else null
    rank_change    i64    positive = moved up, null when not comparable
    methodology    str    methodology version / instrument of this value (breaks are where it changes)
    ranked_units   i64    how many units the query's rank is among (the N of "rank n of N"), else null
    approximate    bool   re-based to today's units through a split unit's weights (docs/units.md)
    formed_on      date   the unit in time: with unit_code, who the row is about (code 52 is Bình Định
                          formed 2000-01-01 to June 2025, Gia Lai formed 2025-07-01 after); null in
                          today's units. Filled by ui/data.py from `units`, null from normalise
    ended_on       date   the unit's last day (null while it exists). Filled by ui/data.py
    rank_best, rank_worst  i64   the ranks the unit's 95 % interval allows (rank_intervals), else null
    change_significant    bool  whether the rank change is more than the intervals allow, else null

COMPONENT FRAME (`normalise_components`), what an indicator is made of, one row per unit × component:
unit_code, unit_name, component_code, component_name, value (display scale), max_value.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from queries.paths import REFERENCE_DIR
from ui.format import natural_key, sort_units
from ui.i18n import current_lang, has, t

INDICATORS_CSV = REFERENCE_DIR / "indicators.csv"
# The levels units are compared at, in the order filters offer them: communes, districts (before the reform
# of 1 July 2025 only), departments, provinces (docs/units.md)
LEVELS: tuple[str, ...] = ("commune", "district", "department", "province")


@dataclass(frozen=True)
class Indicator:
    """One row of data/reference/indicators.csv (its header comment lines describe the columns)."""

    code: str
    family: str  # dossier | 766 | sipas | par | papi
    query: str
    column: str
    row_filter: tuple[tuple[str, str], ...]
    unit: str  # % | points | rank | count | days
    scale: float  # multiply the query value by this to get the display scale
    decimals: int
    higher_is_better: bool
    levels: tuple[str, ...]  # `level` values it exists for (district, province, department)
    periods: tuple[str, ...]  # year | quarter | month
    params: tuple[str, ...]  # query parameters it takes among year, period, level, province_code
    n_column: str | None
    ci_low_column: str | None
    ci_high_column: str | None
    band_column: str | None
    rank_column: str | None
    rank_change_column: str | None
    quartile_column: str | None
    methodology_column: str | None
    target_indicator: str | None
    target_on: str  # value | rank
    breaks: tuple[int, ...]  # first years of a new, non-comparable methodology
    components: tuple[str, ...]  # component query, key column, value column, max column
    map: bool  # provincial: can be drawn on the province map
    source_vi: str
    source_en: str
    methodology: str  # Vietnamese
    methodology_en: str
    in_force_from: dt.date | None  # the rule behind it came into force; earlier periods are retroactive
    name_vi: str
    name_en: str
    definition_vi: str
    definition_en: str

    def name(self, lang: str | None = None) -> str:
        return self.name_en if (lang or current_lang()) == "en" else self.name_vi

    def source(self, lang: str | None = None) -> str:
        return self.source_en if (lang or current_lang()) == "en" else self.source_vi

    def definition(self, lang: str | None = None) -> str:
        return self.definition_en if (lang or current_lang()) == "en" else self.definition_vi

    def methodology_text(self, lang: str | None = None) -> str:
        return (self.methodology_en or self.methodology) if (lang or current_lang()) == "en" else self.methodology

    def retroactive(self, year: int) -> bool:
        """Whether the values of `year` are computed under a rule not yet in force for the whole year (the
        766 index before Decision 766 of 23 June 2022: 2019–2021)."""
        return self.in_force_from is not None and year < self.in_force_from.year

    def label(self, lang: str | None = None) -> str:
        """Name with its unit: "Tỷ lệ hồ sơ đúng hạn (%)"."""
        return f"{self.name(lang)} ({t(f'unit_name.{self.unit}', lang or current_lang())})"


def _split(value: str, sep: str = ";") -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(sep) if part.strip())


def _bool(value: str) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes", "có")


@functools.cache
def indicators(path: Path = INDICATORS_CSV) -> dict[str, Indicator]:
    """Every indicator of the catalogue, keyed by code, in file order."""
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    out: dict[str, Indicator] = {}
    for row in csv.DictReader(lines):
        opt = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in row.items()}
        out[row["code"]] = Indicator(
            code=row["code"],
            family=row["family"],
            query=row["query"],
            column=row["column"],
            row_filter=tuple(tuple(p.split("=", 1)) for p in _split(row["row_filter"])),  # type: ignore[misc]
            unit=row["unit"],
            scale=float(row["scale"] or 1),
            decimals=int(row["decimals"] or 1),
            higher_is_better=_bool(row["higher_is_better"]),
            levels=_split(row["levels"]),
            periods=_split(row["periods"]) or ("year",),
            params=_split(row["params"]),
            n_column=opt["n_column"],
            ci_low_column=opt["ci_low_column"],
            ci_high_column=opt["ci_high_column"],
            band_column=opt["band_column"],
            rank_column=opt["rank_column"],
            rank_change_column=opt["rank_change_column"],
            quartile_column=opt["quartile_column"],
            methodology_column=opt["methodology_column"],
            target_indicator=opt["target_indicator"],
            target_on=row["target_on"] or "value",
            breaks=tuple(int(y) for y in _split(row["breaks"])),
            components=_split(row["components"], ":"),
            map=_bool(row["map"]),
            source_vi=row["source_vi"],
            source_en=row["source_en"],
            methodology=row["methodology"],
            methodology_en=row.get("methodology_en") or "",
            in_force_from=dt.date.fromisoformat(opt["in_force_from"]) if opt.get("in_force_from") else None,
            name_vi=row["name_vi"],
            name_en=row["name_en"],
            definition_vi=row["definition_vi"],
            definition_en=row["definition_en"],
        )
    return out


def indicator(code: str) -> Indicator:
    """The catalogue entry of `code` (KeyError when unknown; validate URL values with ui.filters)."""
    return indicators()[code]


def indicator_params(
    ind: Indicator,
    *,
    year: int,
    period: str = "year",
    level: str | None = None,
    province_code: str | None = None,
    units: str | None = None,
) -> dict[str, Any]:
    """The query parameters an indicator's query takes, from the page's filter values. `units`:
    as_published (the queries' default) or current (history in today's units, docs/units.md)."""
    given = {"year": year, "period": period, "level": level, "province_code": province_code, "units": units}
    return {k: v for k, v in given.items() if k in ind.params and v is not None}


# ------------------------------------------------------------------------------------------------
# INDICATOR FRAME
# ------------------------------------------------------------------------------------------------
INDICATOR_COLUMNS: dict[str, pl.DataType] = {
    "unit_code": pl.String(),
    "unit_name": pl.String(),
    "period_start": pl.Date(),
    "year": pl.Int64(),
    "value": pl.Float64(),
    "n": pl.Int64(),
    "ci_low": pl.Float64(),
    "ci_high": pl.Float64(),
    "band": pl.String(),
    "quartile": pl.Int64(),
    "rank": pl.Int64(),
    "rank_change": pl.Int64(),
    "methodology": pl.String(),
    "ranked_units": pl.Int64(),
    "approximate": pl.Boolean(),
    "formed_on": pl.Date(),
    "ended_on": pl.Date(),
    "rank_best": pl.Int64(),
    "rank_worst": pl.Int64(),
    "change_significant": pl.Boolean(),
}


def empty_indicator_frame() -> pl.DataFrame:
    return pl.DataFrame(schema=INDICATOR_COLUMNS)


def _code_and_name(frame: pl.DataFrame) -> tuple[str, str | None]:
    """The unit code and unit name columns of a query frame: unit_code and unit_name; PAPI's queries
    name provinces (province_code, province_name); sipas names none (the names come from `units`)."""
    code_col = "unit_code" if "unit_code" in frame.columns else "province_code"
    for name_col in ("unit_name", "province_name"):
        if name_col in frame.columns:
            return code_col, name_col
    return code_col, None


def normalise(
    frame: pl.DataFrame, ind: Indicator, *, year: int | None = None, names: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """A query frame -> the INDICATOR FRAME (module docstring). Pure.

    Rows are filtered by the indicator's row_filter; values multiplied by its scale (fractions ->
    percent); unit names come from the frame or, for a query that names no unit, from `names`.
    """
    for col, wanted in ind.row_filter:
        frame = frame.filter(pl.col(col).cast(pl.String) == wanted)
    if frame.is_empty():
        return empty_indicator_frame()
    code_col, name_col = _code_and_name(frame)
    exprs: list[pl.Expr] = [pl.col(code_col).cast(pl.String).alias("unit_code")]
    if name_col is not None:
        exprs.append(pl.col(name_col).cast(pl.String).alias("unit_name"))
    else:
        exprs.append(
            pl.col(code_col)
            .cast(pl.String)
            .replace_strict(dict(names or {}), default=None, return_dtype=pl.String)
            .alias("unit_name")
        )
    if "period_start" in frame.columns:
        exprs.append(pl.col("period_start").cast(pl.Date))
    elif "year" in frame.columns:
        exprs.append(pl.date(pl.col("year").cast(pl.Int32), 1, 1).alias("period_start"))
    else:
        exprs.append(pl.lit(dt.date(year or 1900, 1, 1)).alias("period_start"))
    exprs.append((pl.col(ind.column).cast(pl.Float64) * ind.scale).alias("value"))

    def opt(column: str | None, alias: str, dtype: pl.DataType, scale: float = 1.0) -> pl.Expr:
        if column is None:
            return pl.lit(None, dtype=dtype).alias(alias)
        expr = pl.col(column)
        if scale != 1.0:
            expr = expr.cast(pl.Float64) * scale
        return expr.cast(dtype, strict=False).alias(alias)

    exprs += [
        opt(ind.n_column, "n", pl.Int64()),
        opt(ind.ci_low_column, "ci_low", pl.Float64(), ind.scale),
        opt(ind.ci_high_column, "ci_high", pl.Float64(), ind.scale),
        opt(ind.band_column, "band", pl.String()),
        opt(ind.quartile_column, "quartile", pl.Int64()),
        opt(ind.rank_column, "rank", pl.Int64()),
        opt(ind.rank_change_column, "rank_change", pl.Int64()),
        opt(ind.methodology_column, "methodology", pl.String()),
        # the N of "rank n of N": ranked_units (dossier, 766, PAR queries), n_ranked (papi)
        opt(next((c for c in ("ranked_units", "n_ranked") if c in frame.columns), None), "ranked_units", pl.Int64()),
        opt("approximate" if "approximate" in frame.columns else None, "approximate", pl.Boolean()),
        pl.lit(None, dtype=pl.Date()).alias("formed_on"),
        pl.lit(None, dtype=pl.Date()).alias("ended_on"),
        pl.lit(None, dtype=pl.Int64()).alias("rank_best"),
        pl.lit(None, dtype=pl.Int64()).alias("rank_worst"),
        pl.lit(None, dtype=pl.Boolean()).alias("change_significant"),
    ]
    out = frame.select(exprs).with_columns(
        pl.col("unit_name").fill_null(pl.col("unit_code")),
        pl.col("period_start").dt.year().cast(pl.Int64).alias("year"),
    )
    # Survey estimates from fewer than 30 respondents arrive empty, with their n: queries/sipas.sql
    # suppresses them at the source (one rule for the CLI, the downloads and the pages).
    if ind.methodology_column is None and ind.breaks:
        out = out.with_columns(methodology_by_breaks(pl.col("year"), ind.breaks).alias("methodology"))
    return sort_units(out.select(list(INDICATOR_COLUMNS)), extra=["period_start"])


def rank_intervals(frame: pl.DataFrame, higher_is_better: bool = True) -> pl.DataFrame:
    """rank_best and rank_worst of every ranked unit whose value has a 95 % interval: the ranks its interval
    allows among the others'. rank_best = 1 + the units whose interval lies wholly above it (certainly
    better); rank_worst = N − the units whose interval lies wholly below it (certainly worse), N = the ranked
    units with an interval. Two ranks of a unit differ
    significantly only when their intervals do not overlap (ui/data.py ranked_frame). Pure.

    Hà Nội 80 [75, 85], Huế 70 [66, 74], Đà Nẵng 78 [70, 86]: Hà Nội ranks 1–2 (Đà Nẵng's interval
    overlaps), Huế 2–3 (only Hà Nội is certainly better), Đà Nẵng 1–2."""
    if frame.is_empty():
        return frame
    rows = frame.select("ci_low", "ci_high", "value").to_dicts()
    known = [r for r in rows if None not in (r["ci_low"], r["ci_high"], r["value"])]
    best: list[int | None] = []
    worst: list[int | None] = []
    for r in rows:
        if None in (r["ci_low"], r["ci_high"], r["value"]):
            best.append(None)
            worst.append(None)
            continue
        above = sum(1 for o in known if o["ci_low"] > r["ci_high"])
        below = sum(1 for o in known if o["ci_high"] < r["ci_low"])
        better, worse = (above, below) if higher_is_better else (below, above)
        best.append(1 + better)
        worst.append(len(known) - worse)
    return frame.with_columns(
        pl.Series("rank_best", best, dtype=pl.Int64), pl.Series("rank_worst", worst, dtype=pl.Int64)
    )


def methodology_by_breaks(year: pl.Expr, breaks: Iterable[int]) -> pl.Expr:
    """A label per value naming the methodology in force: "≤2021", "≥2022" for breaks=(2022,)."""
    points = sorted(breaks)
    expr = pl.lit(f"≤{points[0] - 1}")
    for i, start in enumerate(points):
        end = points[i + 1] - 1 if i + 1 < len(points) else None
        label = f"{start}–{end}" if end is not None else f"≥{start}"
        expr = pl.when(year >= start).then(pl.lit(label)).otherwise(expr)
    return expr


# ------------------------------------------------------------------------------------------------
# COMPONENT FRAME (766 groups, PAR areas, SIPAS elements, PAPI dimensions)
# ------------------------------------------------------------------------------------------------
COMPONENT_COLUMNS: dict[str, pl.DataType] = {
    "unit_code": pl.String(),
    "unit_name": pl.String(),
    "component_code": pl.String(),
    "component_name": pl.String(),
    "value": pl.Float64(),
    "max_value": pl.Float64(),
}


def hidden_766_metric() -> pl.Expr:
    """True on a Decision 766 metric row (service_index_766) whose figures the disclosure rules hid in the
    public mode: its points and its numerator are both empty. A metric without data keeps its numerator
    (0 when nothing was counted), so the two never mix (docs/security.md, "Disclosure control")."""
    return pl.col("points").is_null() & pl.col("numerator").is_null()


def group_points_766(points: str = "points") -> pl.Expr:
    """The points of a group of 766 metrics (an aggregation): their sum, empty when one of them is hidden,
    since the shown points alone would understate the group and overstate the points it lost."""
    return pl.when(hidden_766_metric().any()).then(None).otherwise(pl.col(points).sum())


def normalise_components(
    frame: pl.DataFrame,
    ind: Indicator,
    *,
    component_names: Mapping[str, tuple[str, str]],
    unit_names: Mapping[str, str] | None = None,
    lang: str | None = None,
) -> pl.DataFrame:
    """A component query frame -> COMPONENT FRAME (module docstring). Pure.

    766: service_index_766 metric rows summed per group (points, max_points; points empty where a metric
    of the group is hidden); PAR: area rows (area_index,
    without the total); SIPAS: element rows × 100 (without overall; n < 30 empty from the query); PAPI:
    dimensions. `component_names`: code -> (name_vi, name_en) of the family's components, in their order
    (ui.lookups.component_names); SIPAS elements are named by the dictionaries. `unit_names` names the
    units of a query that names none."""
    lang = lang or current_lang()
    if frame.is_empty() or len(ind.components) < 3:
        return pl.DataFrame(schema=COMPONENT_COLUMNS)
    _, key, value_col = ind.components[:3]
    max_col = ind.components[3] if len(ind.components) > 3 else None
    code_col, name_col = _code_and_name(frame)
    if ind.family == "766":
        frame = frame.filter(pl.col("period_start") == pl.col("period_start").max())
        group_cols = [code_col] + ([name_col] if name_col else [])
        frame = frame.group_by([*group_cols, key]).agg(
            group_points_766(value_col).alias("value"), pl.col(max_col).sum().alias("max_value")
        )
        value_expr, max_expr = pl.col("value"), pl.col("max_value")
    elif ind.family == "par":
        frame = frame.filter(pl.col(key) != "total")
        value_expr, max_expr = pl.col(value_col) * ind.scale, pl.lit(100.0)
    elif ind.family == "sipas":  # n < 30: the share arrives empty (queries/sipas.sql)
        frame = frame.filter(pl.col(key) != "overall")
        value_expr, max_expr = pl.col(value_col) * ind.scale, pl.lit(100.0)
    elif ind.family == "papi":
        frame = frame.filter(pl.col("level") == "dimension")
        value_expr, max_expr = pl.col(value_col), pl.lit(10.0)
    else:
        value_expr, max_expr = pl.col(value_col) * ind.scale, pl.lit(None, dtype=pl.Float64)
    index = 1 if lang == "en" else 0
    published = {}  # PAR: the framework of the year names its areas
    if "area_name_vi" in frame.columns:
        published = dict(zip(frame.get_column(key).to_list(), frame.get_column("area_name_vi").to_list(), strict=False))

    def component_name(code: str | None) -> str | None:
        if code is None:
            return None
        if ind.family == "sipas":
            return t(f"sipas_element.{code}", lang) if has(f"sipas_element.{code}", lang) else code
        if ind.family == "par" and published.get(code):
            if lang == "en" and published[code] in component_names:  # PAR areas are also keyed by name
                return component_names[published[code]][1]
            if lang == "en" and code in component_names and component_names[code][0] == published[code]:
                return component_names[code][1]
            return published[code]
        if code in component_names:
            return component_names[code][index]
        return code.replace("_", " ").capitalize()

    if name_col:
        unit_name = pl.col(name_col).cast(pl.String)
    else:
        unit_name = (
            pl.col(code_col)
            .cast(pl.String)
            .replace_strict(dict(unit_names or {}), default=pl.col(code_col).cast(pl.String), return_dtype=pl.String)
        )
    out = frame.select(
        pl.col(code_col).cast(pl.String).alias("unit_code"),
        unit_name.alias("unit_name"),
        pl.col(key).cast(pl.String).alias("component_code"),
        value_expr.cast(pl.Float64).alias("value"),
        max_expr.cast(pl.Float64).alias("max_value"),
    )
    codes = out.get_column("component_code").unique().to_list()
    out = out.with_columns(
        pl.col("component_code")
        .replace_strict({c: component_name(c) for c in codes}, default=None, return_dtype=pl.String)
        .alias("component_name")
    )
    order = {c: i for i, c in enumerate(component_names)} if ind.family == "766" else {}
    out = out.with_columns(
        pl.col("component_code").replace_strict(order, default=len(order), return_dtype=pl.Int64).alias("__order")
    )
    return out.sort(["__order", natural_key(pl.col("component_code")), "unit_code"]).select(list(COMPONENT_COLUMNS))
