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
    methodology: str
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
) -> dict[str, Any]:
    """The query parameters an indicator's query takes, from the page's filter values."""
    given = {"year": year, "period": period, "level": level, "province_code": province_code}
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


def normalise_components(
    frame: pl.DataFrame,
    ind: Indicator,
    *,
    component_names: Mapping[str, tuple[str, str]],
    unit_names: Mapping[str, str] | None = None,
    lang: str | None = None,
) -> pl.DataFrame:
    """A component query frame -> COMPONENT FRAME (module docstring). Pure.

    766: service_index_766 metric rows summed per group (points, max_points); PAR: area rows (area_index,
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
            pl.col(value_col).sum().alias("value"), pl.col(max_col).sum().alias("max_value")
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
