"""What the "Vị trí của tỉnh" page (pages/vi-tri.py) needs: one province's published figures on the five
indices (ui/published.py), as published, with the province's predecessors listed under it, and its own
dossier-based Decision 766 figure beside the portal's.

    lin = lineage()                                  province_lineage: every province of both eras
    options = province_options(lin, "current")       today's 34 provinces (code -> name)
    listed = provinces_listed(lin, "52", "current")  Gia Lai, and Bình Định and Gia Lai (64) before 1/7/2025
    frame = published_figures(listed, lin)           the STANDING FRAME below
    frame = province_figures("52", "current")        the same, cached per published lake (ui.fetch.per_lake)
    own = own_766_groups("52", 2026, "current")      service_index_766 summed per group, and its total

Units (`units`): `current` (the default) lists today's provinces; each shows its own figures and, for the
years before the reform, every province it is now made of, each with its own figures (scores and ranks are
not additive: nothing is added or averaged). `as_published` lists the provinces of the annual indices' era
(those that existed on the eve of the latest reform: 63 up to 2024), each with the figures published for it
while it existed.

Which province a figure belongs to: the one whose code it was published under and whose days (a province is
a code with its formed_on, province_lineage) hold 31 December of its year, or, for the portal's 766 scores,
the day the portal was read. So 52 in 2024 is Bình Định, 52 in 2026 Gia Lai.

STANDING FRAME: one row per index × province × year (766: × week, the latest snapshot of each week):

    index_code      str   766 | PAR | SIPAS | PAPI | PCI
    province_code   str   the code it was published under
    formed_on       date  with province_code: the province (province_lineage)
    province_name   str   the province's name when published
    short_name      str   its short name (province_lineage: the latest)
    role            str   today (the province chosen, or today's province itself) | predecessor
    position        i64   the province's place in the listing: 0 the chosen one, then the predecessor that
                          had its code, then the others by code
    valid_to        date  the province's last day (empty while it exists)
    year            i64   the year assessed (766: of the period)
    period          str   "2024"; 766: the portal's period label ("Năm 2026")
    as_of           date  766: the day the portal was read; else empty
    value           f64   as published (PAR, SIPAS in %, the others in points); empty when not published
    unit            str   % | points
    rank            i64   as published, or computed where the source prints none (rank_basis says which)
    rank_of         i64   the number of provinces the rank is among
    rank_basis      str   published | computed
    method_version  str   the version the figure was computed with (data/reference/published_methods.csv)
    band            str   PAR Index group (2024 on), as configured in data/reference/par/bands.csv
    national        f64   the national figure of the year where one is published
    source          str   where it was published

Rank and "of how many": PAR and SIPAS (typed from the press) and the portal's printed ranks are among every
province of the year (63 up to 2024, 34 from 2025); PAPI's are computed among the provinces with a score
(the papi query); PCI's are VCCI's, among the provinces VCCI published (at least the provinces with a score,
at least the highest rank: Hà Tây's 2006–2008 rows are not loaded); the portal's list of every province is
ranked by its score (published_766_history), a partial list (a typed table of a few provinces) gives no rank
unless the rank was typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from ui import data, lookups
from ui import format as fmt
from ui.fetch import current_scope, fetch, lake_status, per_lake
from ui.i18n import t
from ui.indicators import group_points_766
from ui.published import INDEX, INDEXES, PORTAL_GROUPS, breaks, version_of

UNITS = ("current", "as_published")
ANNUAL_INDEXES = ("PAR", "SIPAS", "PAPI", "PCI")

STANDING_SCHEMA: dict[str, Any] = {
    "index_code": pl.String,
    "province_code": pl.String,
    "formed_on": pl.Date,
    "province_name": pl.String,
    "short_name": pl.String,
    "role": pl.String,
    "position": pl.Int64,
    "valid_to": pl.Date,
    "year": pl.Int64,
    "period": pl.String,
    "as_of": pl.Date,
    "value": pl.Float64,
    "unit": pl.String,
    "rank": pl.Int64,
    "rank_of": pl.Int64,
    "rank_basis": pl.String,
    "method_version": pl.String,
    "band": pl.String,
    "national": pl.Float64,
    "source": pl.String,
}


# ------------------------------------------------------------------------------------------------
# Provinces
# ------------------------------------------------------------------------------------------------
def lineage() -> pl.DataFrame:
    """Every province of both eras (province_lineage)."""
    return fetch("province_lineage")


def eve_of_reform(lin: pl.DataFrame) -> dt.date | None:
    """The last day of the provinces that ended latest (30 June 2025), None when no province ended."""
    ended = lin.get_column("valid_to").drop_nulls()
    return ended.max() if len(ended) else None


def _valid_on(day: dt.date) -> pl.Expr:
    return (pl.col("valid_from") <= day) & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= day))


def province_options(lin: pl.DataFrame, units: str) -> dict[str, str]:
    """code -> name of the provinces a viewer may choose, in Vietnamese order: today's (`current`), or those
    of the eve of the reform (`as_published`), a province that no longer exists named with its last day."""
    if units == "current":
        rows = lin.filter(pl.col("valid_to").is_null())
    else:
        eve = eve_of_reform(lin)
        rows = lin.filter(_valid_on(eve)) if eve is not None else lin.filter(pl.col("valid_to").is_null())
    names = {
        r["province_code"]: r["province_name"]
        if r["valid_to"] is None
        else t("standing.until", name=r["province_name"], day=fmt.date(r["valid_to"]))
        for r in rows.iter_rows(named=True)
    }
    scope = current_scope()
    if scope is not None:
        seen = set(lookups.provinces())
        names = {code: name for code, name in names.items() if code in seen}
    return fmt.by_name(names)


def provinces_listed(lin: pl.DataFrame, code: str, units: str) -> pl.DataFrame:
    """The provinces whose figures the page lists for province `code`: today's province and every province it
    is now made of (`current`), or the one province of the eve of the reform (`as_published`). Columns of
    province_lineage and `role` (today | predecessor), the chosen province first."""
    if units == "current":
        rows = lin.filter(pl.col("current_code") == code)
        chosen = (pl.col("province_code") == code) & pl.col("valid_to").is_null()
    else:
        eve = eve_of_reform(lin)
        rows = lin.filter((pl.col("province_code") == code) & (_valid_on(eve) if eve else pl.col("valid_to").is_null()))
        chosen = pl.lit(True)
    rows = rows.with_columns(pl.when(chosen).then(pl.lit("today")).otherwise(pl.lit("predecessor")).alias("role"))
    rows = rows.sort(pl.col("role") != "today", pl.col("province_code") != code, "province_code", "valid_from")
    return rows.with_row_index("position").with_columns(pl.col("position").cast(pl.Int64))


def provinces_of_day(lin: pl.DataFrame, day: dt.date) -> int:
    """How many provinces existed on `day` (63 on 31/12/2024, 34 on 31/12/2025)."""
    return lin.filter(_valid_on(day)).height


# ------------------------------------------------------------------------------------------------
# Published figures
# ------------------------------------------------------------------------------------------------
def _attach(rows: pl.DataFrame, listed: pl.DataFrame, day: str) -> pl.DataFrame:
    """`rows` (province_code, and the day column `day`) kept where they belong to a listed province."""
    if rows.is_empty():
        return rows
    provinces = listed.select(
        "province_code",
        "formed_on",
        "valid_from",
        "valid_to",
        "role",
        "position",
        pl.col("province_name").alias("lineage_name"),
        pl.col("short_name").alias("lineage_short_name"),
    )
    joined = rows.join(provinces, on="province_code", how="inner")
    return joined.filter(
        (pl.col("valid_from") <= pl.col(day)) & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= pl.col(day)))
    ).drop("valid_from")


def _years(index_code: str, years_frame: pl.DataFrame) -> list[int]:
    return sorted(years_frame.filter(pl.col("index_code") == index_code).get_column("year").to_list())


def _figure(index_code: str, row: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A STANDING FRAME row: the province of an attached row (`_attach`) and the figure's `fields`."""
    return {
        "index_code": index_code,
        "province_code": row["province_code"],
        "formed_on": row["formed_on"],
        "short_name": row["lineage_short_name"],
        "role": row["role"],
        "position": row["position"],
        "valid_to": row["valid_to"],
        "unit": INDEX[index_code].unit,
        "as_of": None,
        "band": None,
        "national": None,
        **fields,
    }


def _portal_766(listed: pl.DataFrame, lin: pl.DataFrame) -> list[dict[str, Any]]:
    """The portal's 766 scores of the listed provinces, week by week (published_766_history)."""
    history = fetch("published_766_history", level="province", period="year")
    out = []
    for r in _attach(history.rename({"unit_code": "province_code"}), listed, "as_of").iter_rows(named=True):
        provinces = provinces_of_day(lin, r["as_of"])
        if r["published_rank"] is not None:  # the rank the portal printed, among every province
            rank, rank_of, basis = r["published_rank"], provinces, "published"
        elif r["rank"] is not None and (r["n_ranked"] or 0) >= provinces:  # ranked in a list of every province
            rank, rank_of, basis = r["rank"], r["n_ranked"], "computed"
        else:  # a partial list (a typed table of a few provinces): no national rank
            rank, rank_of, basis = None, None, None
        out.append(
            _figure(
                "766",
                r,
                province_name=r["unit_name"] or r["lineage_name"],
                year=r["period_start"].year,
                period=r["period_label"],
                as_of=r["as_of"],
                value=r["total_score"],
                rank=rank,
                rank_of=rank_of,
                rank_basis=basis,
                method_version=r["scoring_version"],
                source=t("published.source_766"),
            )
        )
    return out


def _typed(index_code: str, year: int) -> tuple[pl.DataFrame, float | None]:
    """The province totals typed from the press for an index and year (published_index), and the national
    figure of the year (None when not typed)."""
    rows = fetch("published_index", index=index_code, year=year).filter(pl.col("level") == "total")
    national = rows.filter(pl.col("geography") == "national").get_column("value").drop_nulls()
    provinces = rows.filter(pl.col("geography") == "province")
    return provinces, (float(national[0]) if len(national) else None)


def _table(index_code: str, year: int, years_frame: pl.DataFrame) -> pl.DataFrame:
    """The province totals of a published table (papi, pci) with n_ranked and method_version: PAPI's from
    the query; PCI's rank is VCCI's, among the provinces with a score that year or, where a province VCCI
    ranked is not loaded (Hà Tây), as many as the highest rank."""
    table = fetch(index_code.lower(), year=year).filter(pl.col("level") == "total")
    if index_code == "PCI":
        published = years_frame.filter((pl.col("index_code") == "PCI") & (pl.col("year") == year))
        counted = int(published.get_column("provinces_published")[0]) if published.height else 0
        ranks = table.get_column("rank").drop_nulls()
        rank_of = max(counted, int(ranks.max()) if len(ranks) else 0) or None
        table = table.with_columns(
            pl.lit(rank_of, pl.Int64).alias("n_ranked"), pl.lit(None, pl.String).alias("method_version")
        )
    return table


def _annual(index_code: str, listed: pl.DataFrame, lin: pl.DataFrame, years_frame: pl.DataFrame) -> list[dict]:
    """The yearly totals of one index for the listed provinces: from the published tables (PAPI, PCI), and
    the press tables typed (published_index) for the province-years the tables lack."""
    out = []
    for year in _years(index_code, years_frame):
        year_end = dt.date(year, 12, 31)
        version = version_of(index_code, year)
        version_name = version.version if version else None
        typed, national = _typed(index_code, year)
        shown: set[str] = set()
        if index_code in ("PAPI", "PCI"):
            table = _table(index_code, year, years_frame).with_columns(pl.lit(year_end).alias("day"))
            for r in _attach(table, listed, "day").iter_rows(named=True):
                shown.add(r["province_code"])
                basis = None if r["rank"] is None else ("computed" if index_code == "PAPI" else "published")
                out.append(
                    _figure(
                        index_code,
                        r,
                        province_name=r["province_name"],
                        year=year,
                        period=str(year),
                        value=r["score"],
                        rank=r["rank"],
                        rank_of=r["n_ranked"] if basis else None,
                        rank_basis=basis,
                        method_version=r["method_version"] or version_name,
                        national=national,
                        source=t(f"published.source_{index_code.lower()}"),
                    )
                )
        provinces_then = provinces_of_day(lin, year_end)
        for r in _attach(typed.with_columns(pl.lit(year_end).alias("day")), listed, "day").iter_rows(named=True):
            if r["province_code"] in shown or (r["value"] is None and r["rank"] is None):
                continue
            ranked = r["rank"] is not None
            out.append(
                _figure(
                    index_code,
                    r,
                    province_name=r["province_name"],
                    year=year,
                    period=str(year),
                    value=r["value"],
                    rank=r["rank"],
                    rank_of=provinces_then if ranked else None,
                    rank_basis="published" if ranked else None,
                    method_version=version_name,
                    band=r["band_name"],
                    national=national,
                    source=r["source"],
                )
            )
    return out


def published_figures(listed: pl.DataFrame, lin: pl.DataFrame) -> pl.DataFrame:
    """The STANDING FRAME of the listed provinces (module docstring), every year, sorted by index, the chosen
    province first, then by time."""
    years_frame = fetch("published_years")
    rows = _portal_766(listed, lin)
    for code in ANNUAL_INDEXES:
        rows += _annual(code, listed, lin, years_frame)
    frame = pl.DataFrame(rows, schema=STANDING_SCHEMA)
    order = {code: i for i, code in enumerate(INDEXES)}
    return frame.sort(
        pl.col("index_code").replace_strict(order, return_dtype=pl.Int64), "position", "year", "as_of", nulls_last=False
    )


@per_lake
def province_figures(code: str, units: str) -> pl.DataFrame:
    """published_figures of the provinces listed under `code` (provinces_listed), computed once per published
    lake, scope and language (ui.fetch.per_lake): the same for every user of the page."""
    lin = lineage()
    return published_figures(provinces_listed(lin, code, units), lin)


def latest_figures(frame: pl.DataFrame) -> pl.DataFrame:
    """Per index and province, its latest figure (the latest year; for 766 the latest snapshot), with the
    target of that year where one is set (target, comparator, target_on: ui.data.target_for)."""
    if frame.is_empty():
        return frame.with_columns(
            pl.lit(None, pl.Float64).alias("target"),
            pl.lit(None, pl.String).alias("comparator"),
            pl.lit(None, pl.String).alias("target_on"),
        )
    latest = (
        frame.sort("year", "as_of", nulls_last=False)
        .group_by("index_code", "province_code", "formed_on", maintain_order=True)
        .last()
    )
    targets = []
    for r in latest.iter_rows(named=True):
        indicator_code = INDEX[r["index_code"]].target_indicator
        target = data.target_for(indicator_code, r["year"], r["province_code"]) if indicator_code else None
        targets.append(target or {})
    latest = latest.with_columns(
        pl.Series("target", [x.get("value") for x in targets], dtype=pl.Float64),
        pl.Series("comparator", [x.get("comparator") for x in targets], dtype=pl.String),
        pl.Series("target_on", [x.get("on") for x in targets], dtype=pl.String),
    )
    order = {code: i for i, code in enumerate(INDEXES)}
    return latest.sort(pl.col("index_code").replace_strict(order, return_dtype=pl.Int64), "position")


# ------------------------------------------------------------------------------------------------
# The province's own, dossier-based Decision 766 figure
# ------------------------------------------------------------------------------------------------
OWN_SCHEMA = {"group_code": pl.String, "points": pl.Float64, "max_points": pl.Float64}


def own_766_groups(province_code: str, year: int, units: str) -> tuple[pl.DataFrame, dict[str, Any] | None]:
    """The province's own Decision 766 index of the year, computed from its dossiers: per scoring group the
    points (service_index_766 at level province, summed over the metrics with data; empty when the public
    mode hides one of the group's metrics) and the group's maximum
    (every metric of the group), and the total with its band and rank (service_index_766_total); an empty
    frame and None when the lake has no dossier of the province that year."""
    params = {"year": year, "period": "year", "level": "province", "units": units, "province_code": province_code}
    totals = fetch("service_index_766_total", **params).filter(pl.col("unit_code") == province_code)
    if totals.is_empty():
        return pl.DataFrame(schema=OWN_SCHEMA), None
    total = totals.sort("period_start").row(-1, named=True)
    metrics = fetch("service_index_766", **params).filter(
        (pl.col("unit_code") == province_code) & (pl.col("period_start") == total["period_start"])
    )
    groups = metrics.group_by("group_code", maintain_order=True).agg(
        group_points_766().alias("points"), pl.col("max_points").sum().alias("max_points")
    )
    return groups.select(list(OWN_SCHEMA)), total


def portal_groups(figures: pl.DataFrame) -> dict[str, Any] | None:
    """The chosen province's latest portal 766 snapshot with its six groups (published_766_history), or None."""
    portal = figures.filter((pl.col("index_code") == "766") & (pl.col("role") == "today"))
    if portal.is_empty():
        return None
    latest = portal.sort("as_of").row(-1, named=True)
    history = fetch("published_766_history", level="province", period="year").filter(
        (pl.col("unit_code") == latest["province_code"]) & (pl.col("as_of") == latest["as_of"])
    )
    if history.is_empty():
        return None
    return history.sort("period_start").row(-1, named=True)


def comparison_groups(
    published: dict[str, Any] | None, own: pl.DataFrame, own_total: dict[str, Any] | None
) -> pl.DataFrame:
    """The input of ui.charts.standing.comparison: one row per scoring group (PORTAL_GROUPS order) and the
    total: group_code, portal_key, max_points (the group's maximum, from the scoring table through the own
    figure; 100 for the total), published (the portal's), own (derived from the dossiers)."""
    own_points = {r["group_code"]: r for r in own.iter_rows(named=True)}
    rows = []
    for key, group in PORTAL_GROUPS.items():
        mine = own_points.get(group, {})
        rows.append(
            {
                "group_code": group,
                "portal_key": key,
                "max_points": mine.get("max_points"),
                "published": (published or {}).get(key),
                "own": mine.get("points"),
            }
        )
    maxima = [r["max_points"] for r in rows if r["max_points"] is not None]
    rows.append(
        {
            "group_code": "total",
            "portal_key": "total_score",
            "max_points": sum(maxima) if len(maxima) == len(rows) else None,
            "published": (published or {}).get("total_score"),
            "own": (own_total or {}).get("total_points"),
        }
    )
    schema = {
        "group_code": pl.String, "portal_key": pl.String, "max_points": pl.Float64, "published": pl.Float64,
        "own": pl.Float64,
    }  # fmt: skip
    return pl.DataFrame(rows, schema=schema)


def own_766_year(figures: pl.DataFrame) -> int | None:
    """The year to compare: that of the chosen province's latest published 766 score, else the latest year
    with dossiers."""
    portal = figures.filter((pl.col("index_code") == "766") & (pl.col("role") == "today"))
    if not portal.is_empty():
        return int(portal.get_column("year").max())
    years = lookups.years("service_index_766")
    return years[0] if years else None


def dossiers_as_of() -> Any:
    """The last day the dossiers cover (freshness), for the own figure's period."""
    return data.as_of_by_source().get("dossiers")


# ------------------------------------------------------------------------------------------------
# What every download carries
# ------------------------------------------------------------------------------------------------
QUERIES = {
    "766": "published_766_history",
    "PAR": "published_index",
    "SIPAS": "published_index",
    "PAPI": "papi, published_index",
    "PCI": "pci, published_index",
}


def _years_text(frame: pl.DataFrame) -> str:
    if frame.is_empty():
        return fmt.NA
    first, last = frame.get_column("year").min(), frame.get_column("year").max()
    return str(first) if first == last else f"{first}–{last}"


def _unique(frame: pl.DataFrame, column: str) -> str:
    return "; ".join(dict.fromkeys(v for v in frame.get_column(column).to_list() if v))


def download_meta(figures: pl.DataFrame, where: dict[str, Any], title: str) -> dict[str, Any]:
    """`meta` (ui.views) of a table of published figures (the summary, or every figure): the years, every
    source and method version in it, the queries, and the notes that they are published and never combined."""
    status = lake_status() or {}
    return {
        "title": title,
        "period": _years_text(figures),
        "filters": dict(where),
        "source": _unique(figures, "source") or fmt.NA,
        "methodology": _unique(figures, "method_version") or fmt.NA,
        "query": "province_lineage, published_years, " + ", ".join(dict.fromkeys(QUERIES.values())),
        "as_of": status.get("published_at"),
        "notes": [t("standing.download_note"), t("standing.summary_note")],
    }


def index_meta(figures: pl.DataFrame, index_code: str, name: str, where: dict[str, Any]) -> dict[str, Any]:
    """`meta` of one index's trend."""
    rows = figures.filter(pl.col("index_code") == index_code)
    status = lake_status() or {}
    changed = [str(y) for y in breaks(index_code)]
    return {
        "title": name,
        "unit": INDEX[index_code].unit,
        "period": _years_text(rows),
        "filters": dict(where),
        "source": _unique(rows, "source") or t(f"published.source_{index_code.lower()}"),
        "methodology": _unique(rows, "method_version") or fmt.NA,
        "query": QUERIES[index_code],
        "as_of": status.get("published_at"),
        "notes": [
            t("standing.breaks", years=", ".join(changed)) if changed else t("standing.no_breaks"),
            t("standing.trend_note"),
            t("standing.download_note"),
        ],
    }


def comparison_meta(
    published: dict[str, Any] | None, own_total: dict[str, Any] | None, year: int | None, where: dict[str, Any]
) -> dict[str, Any]:
    """`meta` of the portal's 766 score beside the province's own: which figure is published, which derived,
    their periods and methods; demo dossiers are labelled as demo."""
    status = lake_status() or {}
    demo = f" — {t('app.demo_short')}" if status.get("is_demo") else ""
    return {
        "title": t("standing.compare_title"),
        "unit": "points",
        "period": year,
        "filters": dict(where),
        "source": f"{t('standing.series_published')}: {t('published.source_766')}; "
        f"{t('standing.series_own')}: {t('standing.own_source')}{demo}",
        "methodology": f"{t('standing.series_published')}: {(published or {}).get('scoring_version') or fmt.NA}; "
        f"{t('standing.series_own')}: QĐ 766/QĐ-TTg (data/reference/766/scoring.csv)",
        "query": "published_766_history, service_index_766, service_index_766_total",
        "as_of": status.get("published_at"),
        "notes": [comparison_note(published, own_total, year)],
    }


def comparison_note(published: dict[str, Any] | None, own_total: dict[str, Any] | None, year: int | None) -> str:
    """Which figure is published (its period, the day the portal was read, its method) and which derived."""
    shown = (
        t(
            "standing.compare_published",
            period=t("standing.period_read", period=published["period_label"], day=fmt.date(published["as_of"])),
            version=published["scoring_version"],
        )
        if published
        else fmt.NA
    )
    derived = t("standing.compare_derived", year=year, as_of=fmt.date(dossiers_as_of())) if own_total else fmt.NA
    return t("standing.compare_note", published=shown, derived=derived)
