"""The ONE place pages get data from.

    frame = fetch("dossier_kpis", year=2024, period="quarter", level="district", province_code="01")

`fetch(name, **params)` is `queries.run` behind `st.cache_data` (ttl, max_entries), keyed by the query
name, the primitive parameter values, the caller's scope and `queries.load_id()`: a new load changes
the key, so nobody sees stale numbers after a load. When the lake is empty it shows the guidance to run
the demo or load data and stops the page; a rejected parameter shows one clear line and stops the page.
Never a traceback.

Who is asking (docs/security.md): every fetch passes the viewer's scope (the unit codes they may see,
None = all) and, in the public mode, `aggregates_only=True` to the runner. The viewer is the one of
the script run (ui/access.py, from `st.user`), or, inside a callable wrapped by `bind_viewer(fn)`, the
one captured when it was wrapped: Streamlit builds `st.download_button(data=callable)` files on another
thread where the session is not visible, so ui.views.download_buttons wraps every such callable; there
`fetch` runs the query uncached, as that viewer and in that language. Outside both (a bare thread in the
login mode) the viewer is nobody: no rows, never all rows.

On top of it, the indicator layer used by the Overview, Compare and Trends pages:

    ind = indicator("on_time_rate")                         # catalogue entry (data/reference/indicators.csv)
    frame = indicator_frame("on_time_rate", year=2024, period="year", level="district", province_code="01")

`indicator_frame` returns the normalised INDICATOR FRAME every chart builder takes:

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

rows sorted by unit name in Vietnamese order, then period.
"""

from __future__ import annotations

import contextvars
import csv
import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import polars as pl
import streamlit as st

from queries.vocabulary import papi_measure_code
from ui.i18n import current_lang, t, using_lang

if TYPE_CHECKING:
    from ui.access import Viewer

CACHE_TTL_SECONDS = 600
SMALL_SAMPLE = 30  # survey estimates from fewer respondents: NULL from queries/sipas.sql (DESIGN.md §8)
CACHE_MAX_ENTRIES = 512
REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "reference"
INDICATORS_CSV = REFERENCE_DIR / "indicators.csv"

Primitive = str | int | float | bool | None


# ------------------------------------------------------------------------------------------------
# Scope and load id
# ------------------------------------------------------------------------------------------------
_BOUND_VIEWER: contextvars.ContextVar[Viewer | None] = contextvars.ContextVar("cchc_viewer", default=None)
T = TypeVar("T")


def current_viewer() -> Viewer:
    """The viewer whose data is being fetched: the one bound by `bind_viewer` (a download being
    built), else the script run's (ui.access.current_viewer)."""
    bound = _BOUND_VIEWER.get()
    if bound is not None:
        return bound
    from ui import access

    return access.current_viewer()


def current_scope() -> frozenset[str] | None:
    """The unit codes the viewer may see; None = everything (open and public modes, DESIGN.md §8).
    Every fetch passes it to the runner."""
    return current_viewer().scope


def aggregates_only() -> bool:
    """The public mode: row-level queries (`access: detail`) are refused; pages say so."""
    return current_viewer().aggregates_only


def bind_viewer(fn: Callable[[], T]) -> Callable[[], T]:
    """`fn` to be called later, maybe on another thread, as the current viewer and in the current
    language (captured now). ui.views.download_buttons wraps every download callable with it."""
    viewer, lang = current_viewer(), current_lang()

    @functools.wraps(fn)
    def bound() -> T:
        token = _BOUND_VIEWER.set(viewer)
        try:
            with using_lang(lang):
                return fn()
        finally:
            _BOUND_VIEWER.reset(token)

    return bound


def _direct() -> bool:
    """Run queries uncached: outside a script run, or inside a bound callable (a download)."""
    return _BOUND_VIEWER.get() is not None or not _in_streamlit()


def _in_streamlit() -> bool:
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        return get_script_run_ctx(suppress_warning=True) is not None
    except Exception:
        return False


def _primitive(name: str, value: Any) -> Primitive | tuple:
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return tuple(_primitive(name, v) for v in items)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"fetch: parameter {name}={value!r} is not a primitive value")


def _empty_lake_stop() -> None:
    st.info(t("data.empty_lake_title"), icon=":material/database:")
    st.markdown(t("data.empty_lake_body"))
    st.stop()


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _cached_run(
    name: str,
    params: tuple[tuple[str, Any], ...],
    scope: tuple[str, ...] | None,
    load_key: Any,
    where: str = "",
    aggregates_only: bool = False,
):
    del load_key, where  # parts of the cache key only (the load id and the data directory)
    return _run(name, params, None if scope is None else frozenset(scope), aggregates_only)


def _run(
    name: str, params: tuple[tuple[str, Any], ...], scope: frozenset[str] | None, aggregates_only: bool
) -> pl.DataFrame:
    from queries import run

    kwargs = {k: (list(v) if isinstance(v, tuple) else v) for k, v in params}
    return run(name, scope=scope, aggregates_only=aggregates_only, **kwargs)


@st.cache_data(ttl=30, max_entries=4, show_spinner=False)
def _lake_info_cached(where: str) -> dict[str, Any]:
    """lake_info of the data directory `where` (cached 30 s: a new load shows within 30 s)."""
    from queries import lake_info

    return lake_info()


def _where() -> str:
    from queries import data_dir

    return str(data_dir())


def lake_info() -> dict[str, Any]:
    """{'load_id', 'published_at', 'is_demo'} of the published lake (cached for 30 s).
    Shows the empty-lake guidance and stops the page when nothing is published."""
    from queries import EmptyLakeError
    from queries import lake_info as raw

    if not _in_streamlit():
        return raw()
    try:
        return _lake_info_cached(_where())
    except EmptyLakeError:
        _empty_lake_stop()
        raise  # not reached: st.stop() raises


def fetch(name: str, **params: Any) -> pl.DataFrame:
    """Run query `name` with `params` through the cache (see module docstring). Parameters must be
    primitives (str, int, float, bool, None, date, or lists of them). None values are dropped so the
    query's default applies."""
    from queries import EmptyLakeError, QueryError

    key = tuple(sorted((k, _primitive(k, v)) for k, v in params.items() if v is not None))
    viewer = current_viewer()
    scope = viewer.scope
    scope_key = None if scope is None else tuple(sorted(scope))
    try:
        if _direct():
            return _run(name, key, scope, viewer.aggregates_only)
        load_key = lake_info().get("load_id")
        return _cached_run(name, key, scope_key, load_key, _where(), viewer.aggregates_only)
    except EmptyLakeError:
        _empty_lake_stop()
        raise
    except QueryError as error:
        st.error(t("data.query_error", error=str(error)), icon=":material/error:")
        st.stop()
        raise


def has_query(name: str) -> bool:
    """Whether the query catalogue offers `name` (pages adapt to optional queries)."""
    from queries import catalogue

    try:
        return name in catalogue()
    except Exception:
        return False


def try_fetch(name: str, **params: Any) -> pl.DataFrame | None:
    """Like fetch, but None (instead of stopping the page) when the query does not exist or rejects
    the parameters, e.g. an optional card whose source is not loaded. An empty lake still stops."""
    from queries import EmptyLakeError, QueryError

    if not has_query(name):
        return None
    key = tuple(sorted((k, _primitive(k, v)) for k, v in params.items() if v is not None))
    viewer = current_viewer()
    scope = viewer.scope
    try:
        if _direct():
            return _run(name, key, scope, viewer.aggregates_only)
        scope_key = None if scope is None else tuple(sorted(scope))
        return _cached_run(name, key, scope_key, lake_info().get("load_id"), _where(), viewer.aggregates_only)
    except EmptyLakeError:
        _empty_lake_stop()
        raise
    except QueryError:
        return None


# ------------------------------------------------------------------------------------------------
# Indicator catalogue (data/reference/indicators.csv)
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Indicator:
    """One row of data/reference/indicators.csv (see docs in that file's header comment lines)."""

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
    components: tuple[str, ...]  # component query, key column, value column, label columns
    map: bool  # provincial: can be drawn on the province map
    source_vi: str
    source_en: str
    methodology: str
    name_vi: str
    name_en: str
    definition_vi: str
    definition_en: str
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

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
    out: dict[str, Indicator] = {}
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    for row in csv.DictReader(lines):
        opt = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in row.items()}
        known = set(Indicator.__dataclass_fields__)
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
            extra={k: v for k, v in row.items() if k not in known and k not in ("levels", "periods")},
        )
    return out


def indicator(code: str) -> Indicator:
    """The catalogue entry of `code` (KeyError when unknown; validate URL values with ui.filters)."""
    return indicators()[code]


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


def normalise(
    frame: pl.DataFrame, ind: Indicator, *, year: int | None = None, names: dict[str, str] | None = None
) -> pl.DataFrame:
    """Turn a query frame (issue 3 columns) into the indicator frame (module docstring). Pure.

    Rows are filtered by the indicator's row_filter; values multiplied by its scale (fractions ->
    percent); unit names come from the frame (`unit_name`, `province_name`) or from `names`.
    """
    for col, wanted in ind.row_filter:
        if col in frame.columns:
            frame = frame.filter(pl.col(col).cast(pl.String) == wanted)
    if frame.is_empty():
        return empty_indicator_frame()
    code_col = "unit_code" if "unit_code" in frame.columns else "province_code"
    exprs: list[pl.Expr] = [pl.col(code_col).cast(pl.String).alias("unit_code")]
    if "unit_name" in frame.columns:
        exprs.append(pl.col("unit_name").cast(pl.String))
    elif "province_name" in frame.columns:
        exprs.append(pl.col("province_name").cast(pl.String).alias("unit_name"))
    else:
        mapping = names or {}
        exprs.append(
            pl.col(code_col)
            .cast(pl.String)
            .replace_strict(mapping, default=None, return_dtype=pl.String)
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
        if column and column in frame.columns:
            expr = pl.col(column)
            if scale != 1.0:
                expr = expr.cast(pl.Float64) * scale
            return expr.cast(dtype, strict=False).alias(alias)
        return pl.lit(None, dtype=dtype).alias(alias)

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
    out = frame.select(exprs)
    out = out.with_columns(
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


def vi_sort_key(text: str | None) -> tuple:
    """Sort key giving Vietnamese alphabetical order (a ă â b c d đ e ê … o ô ơ … u ư …, then tones).
    For sorting in Python; SQL uses ORDER BY … COLLATE vi."""
    import unicodedata

    if text is None:
        return ((9,),)
    base_letters = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    tones = {"\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0301": 5, "\u0323": 6}  # huyền hỏi ngã sắc nặng
    letters: list[int] = []
    marks: list[int] = []
    for ch in unicodedata.normalize("NFD", text.lower()):
        if ch in tones:
            marks.append(tones[ch])
            continue
        if ch in ("\u0306", "\u0302", "\u031b") and letters:  # breve, circumflex, horn: a new letter
            prev = letters[-1]
            base = base_letters[prev] if 0 <= prev < len(base_letters) else ""
            composed = unicodedata.normalize("NFC", base + ch)
            if composed in base_letters:
                letters[-1] = base_letters.index(composed)
            continue
        if ch == "đ":
            letters.append(base_letters.index("đ"))
        elif ch in base_letters:
            letters.append(base_letters.index(ch))
        elif ch.isdigit():
            letters.append(-100 + int(ch))
        elif ch.isspace():
            letters.append(-200)
        else:
            letters.append(100 + ord(ch))
    return (tuple(letters), tuple(marks))


def sort_units(frame: pl.DataFrame, *, name_col: str = "unit_name", extra: list[str] | None = None) -> pl.DataFrame:
    """Sort a frame by unit name in Vietnamese order (then `extra` columns)."""
    if frame.is_empty() or name_col not in frame.columns:
        return frame
    names = frame.get_column(name_col).unique().to_list()
    order = {name: i for i, name in enumerate(sorted(names, key=vi_sort_key))}
    key = "__vi_order"
    out = frame.with_columns(pl.col(name_col).replace_strict(order, default=None, return_dtype=pl.Int64).alias(key))
    return out.sort([key, *(extra or [])], nulls_last=True).drop(key)


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


def indicator_frame(
    code: str, *, year: int, period: str = "year", level: str | None = None, province_code: str | None = None
) -> pl.DataFrame:
    """The indicator frame of `code` for one year (all periods of that year when period != year)."""
    ind = indicator(code)
    frame = fetch(
        ind.query, **indicator_params(ind, year=year, period=period, level=level, province_code=province_code)
    )
    frame = _keep_province(frame, province_code, ind, year, level)
    names = unit_names(level, province_code, year) if _needs_names(frame) else None
    return normalise(frame, ind, year=year, names=names)


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
    return sort_units(pl.concat(parts, how="vertical"), extra=["period_start"])


def _needs_names(frame: pl.DataFrame) -> bool:
    return "unit_name" not in frame.columns and "province_name" not in frame.columns


def _keep_province(
    frame: pl.DataFrame,
    province_code: str | None,
    ind: Indicator,
    year: int | None = None,
    level: str | None = None,
) -> pl.DataFrame:
    """Queries without a province_code parameter (sipas, par_index): keep the province's own units.
    At province level every province stays (they are compared nationally)."""
    if province_code is None or "province_code" in ind.params or ind.map or level == "province":
        return frame
    if "unit_code" in frame.columns and not frame.is_empty():
        codes = set(unit_names(level, province_code, year))
        codes |= {c for c in frame.get_column("unit_code").unique().to_list() if c.startswith(f"{province_code}.")}
        if codes:
            return frame.filter(pl.col("unit_code").is_in(sorted(codes)))
    return frame


def unit_names(level: str | None = None, province_code: str | None = None, year: int | None = None) -> dict[str, str]:
    """unit_code -> name for the units of a level/province, in Vietnamese order: from a `units` query
    when the catalogue has one; else `dossier_units` or dossier_kpis of `year` (units with dossiers);
    else, for provinces, the shipped boundaries. {} when nothing is known (charts fall back to codes)."""
    names: dict[str, str] = {}
    if has_query("units"):
        # The district level of the dashboard holds departments too (as dossier_kpis counts them).
        frame = try_fetch("units", level=None if level == "district" else level, province_code=province_code)
        if frame is not None and not frame.is_empty():
            name_col = "name" if "name" in frame.columns else "unit_name"
            names = dict(
                zip(
                    frame.get_column("unit_code").to_list(),
                    frame.get_column(name_col).to_list(),
                    strict=False,
                )
            )
    if not names and has_query("dossier_units"):
        frame = try_fetch("dossier_units", province_code=province_code if level != "province" else None)
        if frame is not None and not frame.is_empty():
            if level == "province" and "level" in frame.columns:
                frame = frame.filter(pl.col("level") == "province")
            codes = frame.get_column("unit_code").to_list()
            names = dict(zip(codes, frame.get_column("unit_name").to_list(), strict=True))
    if not names and year is not None and has_query("dossier_kpis"):
        kpi_level = "province" if level == "province" else "district"
        dossier_years = years("on_time_rate")
        for y in dict.fromkeys([year, *(dossier_years[:1])]):
            frame = try_fetch("dossier_kpis", year=y, period="year", level=kpi_level, province_code=province_code)
            if frame is not None and not frame.is_empty():
                codes = frame.get_column("unit_code").to_list()
                pairs = dict(zip(codes, frame.get_column("unit_name").to_list(), strict=True))
                names = {**pairs, **names}
    if not names and level == "province":
        names = dict(geo_provinces())
    return dict(sorted(names.items(), key=lambda kv: vi_sort_key(kv[1])))


def target_for(code: str, year: int, unit_code: str | None = None) -> dict[str, Any] | None:
    """The target of an indicator for a year, from `targets_gap`, in display scale:
    {'value', 'comparator', 'on' ('value'|'rank'), 'source'}; None when no target is set.

    A unit's own row wins. Otherwise (e.g. a province, while targets for `all` expand to district-level
    units, or the target line of a chart) the target applies when every row of the indicator has the
    same target and comparator, i.e. it was set for all units; differing unit targets give None."""
    ind = indicator(code)
    if not ind.target_indicator:
        return None
    frame = try_fetch("targets_gap", year=year)
    if frame is None or frame.is_empty():
        return None
    rows = frame.filter(pl.col("indicator") == ind.target_indicator)
    if rows.is_empty():
        return None
    own = rows.filter(pl.col("unit_code") == unit_code) if unit_code is not None else rows.clear()
    if not own.is_empty():
        rows = own
    elif rows.select("target", "comparator").unique().height != 1:
        return None
    row = rows.row(0, named=True)
    scale = ind.scale if ind.target_on == "value" else 1.0
    value = row.get("target")
    return {
        "value": None if value is None else float(value) * scale,
        "comparator": row.get("comparator") or ">=",
        "on": ind.target_on,
        "source": row.get("source"),
    }


# ------------------------------------------------------------------------------------------------
# Lists for the filters, "data as of", download metadata
# ------------------------------------------------------------------------------------------------
GEOJSON_PATH = REFERENCE_DIR / "geo" / "vn_provinces.geojson"
GEO_SOURCE_PATH = REFERENCE_DIR / "geo" / "SOURCE.md"
FIRST_YEAR = 2011  # PAPI's first year in data/reference/papi
PROBE_YEARS_BACK = 8  # without an `available_years` query, dossier/survey/PAR years are probed this far back


@functools.cache
def geo_provinces() -> dict[str, str]:
    """gso_code -> province name from the shipped boundaries (63 pre-2025 provinces), Vietnamese order."""
    import json

    features = json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))["features"]
    pairs = {f["properties"]["gso_code"]: f["properties"]["name"] for f in features}
    return dict(sorted(pairs.items(), key=lambda kv: vi_sort_key(kv[1])))


def provinces() -> dict[str, str]:
    """Province code -> name, in Vietnamese order: the `units` query when there is one, else the
    shipped province boundaries. A scoped viewer gets the provinces they have a unit in."""
    viewer = current_viewer()
    if viewer.scope is not None:
        from ui import access

        rows = access.unit_rows()
        visible = viewer.provinces(rows)
        known = {u.unit_code: u.name for u in rows if u.level == "province"}
        geo = geo_provinces()
        names = {c: known.get(c) or geo.get(c) or c for c in visible or ()}
        return dict(sorted(names.items(), key=lambda kv: vi_sort_key(kv[1])))
    names = unit_names("province", None)
    if names:
        return dict(sorted(names.items(), key=lambda kv: vi_sort_key(kv[1])))
    return geo_provinces()


def lake_status() -> dict[str, Any] | None:
    """{'load_id', 'published_at', 'is_demo'}, or None when nothing is published (never stops)."""
    from queries import EmptyLakeError

    try:
        if _in_streamlit():
            return _lake_info_cached(_where())
        from queries import lake_info as raw

        return raw()
    except EmptyLakeError:
        return None


def years(code: str) -> list[int]:
    """Years with data for an indicator, newest first. Uses an `available_years` query (columns
    query|family, year) when the catalogue has one; else probes recent years (each probe cached)."""
    ind = indicator(code)
    if has_query("available_years"):
        frame = try_fetch("available_years")
        if frame is not None and not frame.is_empty():
            for col in ("query", "family"):
                if col in frame.columns:
                    value = ind.query if col == "query" else ind.family
                    got = frame.filter(pl.col(col) == value).get_column("year").to_list()
                    return sorted({int(y) for y in got}, reverse=True)
    if ind.family == "766":  # the 766 index exists where dossiers do; probe the cheaper query
        return years("on_time_rate")
    this_year = dt.date.today().year
    first = FIRST_YEAR if ind.family == "papi" else this_year - PROBE_YEARS_BACK
    found = []
    for y in range(this_year, first - 1, -1):
        params = indicator_params(ind, year=y, period="year", level=_probe_level(ind))
        frame = try_fetch(ind.query, **params)
        if frame is not None and not frame.is_empty():
            if ind.column in frame.columns and frame.get_column(ind.column).drop_nulls().is_empty():
                continue
            if "received" in frame.columns and not (frame.get_column("received").sum() or 0):
                continue  # only dossiers of earlier years ending in this one
            found.append(y)
    return found


def years_any(codes: Iterable[str]) -> list[int]:
    """Years in which any of the indicators has data, newest first."""
    found: set[int] = set()
    for family_code in dict.fromkeys(_family_probe(c) for c in codes):
        found.update(years(family_code))
    return sorted(found, reverse=True)


def _family_probe(code: str) -> str:
    """One indicator per family stands for the family's years (same query)."""
    family = indicator(code).family
    return {"dossier": "on_time_rate", "766": "on_time_rate"}.get(family, code)


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


def default_units(frame: pl.DataFrame, code: str, n: int = 3) -> list[str]:
    """The `n` best units of the latest period of an indicator frame (the Trends page's default)."""
    if frame.is_empty():
        return []
    ind = indicator(code)
    latest = frame.filter(pl.col("period_start") == pl.col("period_start").max())
    latest = latest.filter(pl.col("value").is_not_null()).sort("value", descending=ind.higher_is_better)
    return latest.get_column("unit_code").head(n).to_list()


def unit_options(frame: pl.DataFrame) -> dict[str, str]:
    """unit_code -> unit_name of the units in an indicator or component frame, in Vietnamese order."""
    if frame.is_empty():
        return {}
    pairs = frame.select("unit_code", "unit_name").unique(subset="unit_code").to_dicts()
    return {
        p["unit_code"]: p["unit_name"] or p["unit_code"]
        for p in sorted(pairs, key=lambda p: vi_sort_key(p["unit_name"]))
    }


def _probe_level(ind: Indicator) -> str | None:
    if "level" not in ind.params:
        return None
    return "province" if "province" in ind.levels else ind.levels[0]


def default_province(year: int | None = None) -> str | None:
    """The province with the most dossiers in the year (the demo's province), else None."""
    if year is None or not has_query("dossier_kpis"):
        return None
    frame = try_fetch("dossier_kpis", year=year, period="year", level="province")
    if frame is None or frame.is_empty():
        return None
    return frame.sort("received", descending=True, nulls_last=True).get_column("unit_code")[0]


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
    if period is None:
        period = filters.get(t("filter.year"))
    out = {
        "title": title or ind.name(),
        "unit": ind.unit,
        "period": period,
        "filters": dict(filters or {}),
        "source": ind.source() + (f" — {t('app.demo_short')}" if status.get("is_demo") else ""),
        "methodology": ind.methodology,
        "query": ind.query,
        "as_of": status.get("published_at"),
        "notes": list(notes),
    }
    return out


# ------------------------------------------------------------------------------------------------
# Components (766 groups, PAR areas, SIPAS elements, PAPI dimensions) for the side-by-side comparison
# ------------------------------------------------------------------------------------------------
COMPONENT_COLUMNS: dict[str, pl.DataType] = {
    "unit_code": pl.String(),
    "unit_name": pl.String(),
    "component_code": pl.String(),
    "component_name": pl.String(),
    "value": pl.Float64(),
    "max_value": pl.Float64(),
}


@functools.cache
def component_names() -> dict[str, dict[str, tuple[str, str]]]:
    """family -> component code -> (name_vi, name_en), from the reference files (766 scoring groups,
    PAR frameworks, PAPI measure names); SIPAS elements come from the dictionaries."""
    out: dict[str, dict[str, tuple[str, str]]] = {"766": {}, "par": {}, "papi": {}}
    with (REFERENCE_DIR / "766" / "scoring.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out["766"][row["group_code"]] = (
                row["group_name_vi"],
                row["group_name_en"] or row["group_name_vi"],
            )
    with (REFERENCE_DIR / "par" / "frameworks.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out["par"].setdefault(
                row["area_code"], (row["area_name_vi"], row.get("area_name_en") or row["area_name_vi"])
            )
    papi_csv = REFERENCE_DIR / "papi" / "papi_2011_2016_long.csv"
    if papi_csv.exists():
        with papi_csv.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                out["papi"].setdefault(papi_measure_code(row["measure_en"]), (row["measure_vi"], row["measure_en"]))
    return out


def normalise_components(
    frame: pl.DataFrame, ind: Indicator, lang: str | None = None, names: dict[str, str] | None = None
) -> pl.DataFrame:
    """A component query frame (issue 3 columns) -> COMPONENT FRAME: unit_code, unit_name,
    component_code, component_name, value (display scale), max_value. Pure.

    766: service_index_766 metric rows summed per group (points, max_points); PAR: area rows (area_index,
    without the total); SIPAS: element rows × 100 (without overall; n < 30 empty from the query); PAPI: dimensions."""
    lang = lang or current_lang()
    if frame.is_empty() or len(ind.components) < 3:
        return pl.DataFrame(schema=COMPONENT_COLUMNS)
    _, key, value_col = ind.components[:3]
    max_col = ind.components[3] if len(ind.components) > 3 else None
    code_col = "unit_code" if "unit_code" in frame.columns else "province_code"
    name_col = (
        "unit_name" if "unit_name" in frame.columns else ("province_name" if "province_name" in frame.columns else None)
    )
    if ind.family == "766":
        if "period_start" in frame.columns:
            frame = frame.filter(pl.col("period_start") == pl.col("period_start").max())
        aggs = [pl.col(value_col).sum().alias("value")]
        aggs.append(
            pl.col(max_col).sum().alias("max_value")
            if max_col and max_col in frame.columns
            else pl.lit(None, dtype=pl.Float64).alias("max_value")
        )
        group_cols = [code_col] + ([name_col] if name_col else [])
        frame = frame.group_by([*group_cols, key]).agg(aggs)
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
    known = component_names().get(ind.family, {})
    index = 1 if lang == "en" else 0

    def component_name(code: str | None, fallback: str | None = None) -> str | None:
        if code is None:
            return None
        if ind.family == "sipas":
            return t(f"sipas_element.{code}", lang) if has_key(f"sipas_element.{code}") else code
        if ind.family == "par" and fallback:  # the framework of the year names its areas
            if lang == "en" and code in known and known[code][0] == fallback:
                return known[code][1]
            return fallback
        if code in known:
            return known[code][index]
        return fallback or code.replace("_", " ").capitalize()

    fallback_names = {}
    if "area_name_vi" in frame.columns:
        fallback_names = dict(
            zip(frame.get_column(key).to_list(), frame.get_column("area_name_vi").to_list(), strict=False)
        )
    if name_col:
        unit_name = pl.col(name_col).cast(pl.String)
    else:
        unit_name = (
            pl.col(code_col)
            .cast(pl.String)
            .replace_strict(names or {}, default=pl.col(code_col).cast(pl.String), return_dtype=pl.String)
        )
    out = frame.select(
        pl.col(code_col).cast(pl.String).alias("unit_code"),
        unit_name.alias("unit_name"),
        pl.col(key).cast(pl.String).alias("component_code"),
        value_expr.cast(pl.Float64).alias("value"),
        max_expr.cast(pl.Float64).alias("max_value"),
    )
    codes = out.get_column("component_code").unique().to_list()
    mapping = {c: component_name(c, fallback_names.get(c)) for c in codes}
    out = out.with_columns(
        pl.col("component_code").replace_strict(mapping, default=None, return_dtype=pl.String).alias("component_name")
    )
    order = {c: i for i, c in enumerate(known)} if ind.family == "766" else {}
    out = out.with_columns(
        pl.col("component_code").replace_strict(order, default=len(order), return_dtype=pl.Int64).alias("__order")
    )
    return out.sort(["__order", natural_key(pl.col("component_code")), "unit_code"]).select(list(COMPONENT_COLUMNS))


def natural_key(codes: pl.Expr) -> pl.Expr:
    """Sort codes like 1, 2, 10 (and 3.2 before 3.10) naturally: digit runs left-padded."""
    return codes.str.replace_all(r"(\d+)", "0000000000$1").str.replace_all(r"0*(\d{10})", "$1")


def has_key(key: str) -> bool:
    from ui.i18n import has

    return has(key)


def components_frame(
    code: str, *, year: int, level: str | None = None, province_code: str | None = None
) -> pl.DataFrame:
    """The COMPONENT FRAME of an indicator for one year (see normalise_components)."""
    ind = indicator(code)
    if len(ind.components) < 3:
        return pl.DataFrame(schema=COMPONENT_COLUMNS)
    query = ind.components[0]
    params = indicator_params(ind, year=year, period="year", level=level, province_code=province_code)
    frame = fetch(query, **params)
    frame = _keep_province(frame, province_code, ind, year, level)
    names = unit_names(level, province_code, year) if _needs_names(frame) else None
    return normalise_components(frame, ind, names=names)


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


def _one(frame: pl.DataFrame, unit_code: str) -> dict[str, Any] | None:
    if frame.is_empty():
        return None
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
        shown_year = year
        cur = _one(indicator_frame(code, year=year, period="year", level=lvl, province_code=province), unit_code)
        if cur is None and ind.family in LAGGED_FAMILIES:  # published with a lag: the latest year before
            for earlier in (y for y in years(code) if y < year):
                cur = _one(
                    indicator_frame(code, year=earlier, period="year", level=lvl, province_code=province), unit_code
                )
                if cur is not None:
                    shown_year = earlier
                    break
        prev = _one(
            indicator_frame(code, year=shown_year - 1, period="year", level=lvl, province_code=province), unit_code
        )
        comparable = True
        if cur is not None and prev is not None:
            if cur.get("methodology") != prev.get("methodology"):
                comparable = False
            if any(shown_year - 1 < b <= shown_year for b in ind.breaks):
                comparable = False
        rank_change = cur.get("rank_change") if cur else None
        if (
            rank_change is None
            and cur
            and prev
            and comparable
            and cur.get("rank") is not None
            and prev.get("rank") is not None
        ):
            rank_change = int(prev["rank"]) - int(cur["rank"])
        target = target_for(code, shown_year, unit_code)
        rows.append(
            {
                "indicator": code,
                "unit_code": unit_code,
                "unit_name": (cur or prev or {}).get("unit_name"),
                "year": shown_year,
                "value": cur.get("value") if cur else None,
                "previous": prev.get("value") if prev else None,
                "comparable": comparable,
                "n": cur.get("n") if cur else None,
                "ci_low": cur.get("ci_low") if cur else None,
                "ci_high": cur.get("ci_high") if cur else None,
                "band": cur.get("band") if cur else None,
                "quartile": cur.get("quartile") if cur else None,
                "rank": cur.get("rank") if cur else None,
                "rank_change": rank_change,
                "target": target.get("value") if target else None,
                "comparator": target.get("comparator") if target else None,
                "target_on": target.get("on") if target else None,
            }
        )
    schema = {
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
    return pl.DataFrame(rows, schema=schema)


# ------------------------------------------------------------------------------------------------
# Data as of, per source
# ------------------------------------------------------------------------------------------------
FRESHNESS_QUERIES = ("freshness", "load_log")
AS_OF_KINDS = ("dossiers", "feedback", "survey", "par", "papi", "targets")  # the sources behind the indices
FRESHNESS_TIME_COLUMNS = ("data_as_of", "as_of", "last_loaded_at", "last_load_at", "finished_at", "loaded_at")


def as_of_by_source() -> dict[str, Any]:
    """Source (dossiers, feedback, survey, par, papi, targets) -> the date its data reach ("data as
    of"), from the `freshness` query (else `load_log`: when it was last loaded); sources without data
    are left out. Without either query: {'*': the time the lake was published}."""
    for name in FRESHNESS_QUERIES:
        frame = try_fetch(name) if has_query(name) else None
        if frame is None or frame.is_empty() or "kind" not in frame.columns:
            continue
        time_col = next((c for c in FRESHNESS_TIME_COLUMNS if c in frame.columns), None)
        if time_col is None:
            continue
        latest = frame.group_by("kind").agg(pl.col(time_col).max())
        found = dict(zip(latest.get_column("kind").to_list(), latest.get_column(time_col).to_list(), strict=True))
        return {kind: found[kind] for kind in AS_OF_KINDS if found.get(kind) is not None}
    status = lake_status() or {}
    return {"*": status.get("published_at")} if status.get("published_at") else {}


def as_of_text(lang: str | None = None) -> str:
    """ "Dữ liệu đến: hồ sơ 21/11/2026 08:00 · khảo sát …" for the Overview."""
    from ui import format as fmt

    lang = lang or current_lang()
    parts = []
    for kind, when in as_of_by_source().items():
        label = (
            t("app.all_sources", lang)
            if kind == "*"
            else t(f"source_kind.{kind}", lang)
            if has_key(f"source_kind.{kind}")
            else kind
        )
        parts.append(f"{label} {fmt.datetime(when, lang) if isinstance(when, dt.datetime) else fmt.date(when, lang)}")
    return f"{t('meta.as_of', lang)}: " + " · ".join(parts) if parts else ""


def cards_meta(filters: dict[str, Any], title: str) -> dict[str, Any]:
    """`meta` for the Overview's card table: the sources and methodologies of the card indicators."""
    status = lake_status() or {}
    inds = [indicator(c) for c in OVERVIEW_CARDS]
    demo = f" — {t('app.demo_short')}" if status.get("is_demo") else ""
    return {
        "title": title,
        "filters": dict(filters),
        "source": "; ".join(dict.fromkeys(i.source() for i in inds)) + demo,
        "methodology": "; ".join(dict.fromkeys(i.methodology for i in inds)),
        "as_of": status.get("published_at"),
        "notes": [t("cards.small_sample_rule")],
    }


# ------------------------------------------------------------------------------------------------
# Small page helpers (defaults and the human-readable filter list for downloads)
# ------------------------------------------------------------------------------------------------
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
        out[t("filter.province")] = provinces().get(province, province)
    out.update(extra)
    return out


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
