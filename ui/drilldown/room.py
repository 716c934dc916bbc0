"""What the drill-down rooms share: the index and year the page chose, and the level, province and unit
filters."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ui import data, filters, lookups
from ui import format as fmt
from ui.i18n import t
from ui.indicators import Indicator

INDEXES: tuple[str, ...] = ("766", "par", "sipas", "papi")
# the indicator of the catalogue that stands for each index (its years, units, source, methodology)
INDEX_INDICATOR: dict[str, str] = {
    "766": "service_index_766",
    "par": "par_index",
    "sipas": "sipas_overall",
    "papi": "papi_total",
}


@dataclass(frozen=True)
class Choice:
    """The unit a room shows, where it sits, and the filters in force (for the downloads)."""

    level: str
    province: str | None
    units: str  # as_published | current (ui.filters.basis)
    unit: str
    name: str
    where: dict[str, Any]

    def view_key(self, chart: str, year: int, *more: Any) -> tuple:
        """A chart's view_key (ui.views.view_chart): the chart, the year and this choice, then what else
        the chart's frames were fetched or cut with (primitives)."""
        return ("drilldown", chart, year, self.level, self.province, self.units, self.unit, *more)


@dataclass(frozen=True)
class Room:
    """The index and year the page chose."""

    ind: Indicator
    year: int

    def home_province(self) -> str | None:
        """The province with the most dossiers in the year, else in the latest year with dossiers."""
        dossier_years = lookups.years("on_time_rate")
        return lookups.default_province(self.year) or (
            lookups.default_province(dossier_years[0]) if dossier_years else None
        )

    def place(self) -> tuple[str, str | None, str]:
        """Units (as published or today's), level and province filters: the levels the index has data for in
        the year, by default the year's local level (commune after the reform, district before); no
        province at province level (provinces are compared nationally)."""
        units = filters.basis()
        levels = data.levels_with_data(self.ind.code, self.year, units=units)
        level = filters.level(levels, default=data.default_level(levels))
        if level is None:
            st.info(t("reform.no_level", year=self.year))
            st.stop()
        province = None
        if level != "province":
            options = lookups.provinces(None if units == "current" else self.year)
            province = filters.province(options, default=self.home_province())
        return level, province, units

    def choose(self, units_of: Callable[[str, str | None, str], dict[str, str]] | None = None) -> Choice:
        """The units, level, province and unit filters, and the filters in force for the downloads.
        `units_of(level, province, units)` lists the units to choose from (code -> name); by default the
        units the index has a value for."""
        level, province, basis = self.place()
        if units_of is None:
            frame = data.indicator_frame(
                self.ind.code, year=self.year, level=level, province_code=province, units=basis
            )
            options = fmt.unit_options(data.year_end_units(frame))
        else:
            options = units_of(level, province, basis)
        unit = choose_unit(options)
        where = data.describe_filters(
            year=self.year, level=level, province=province, basis=basis, **{t("filter.unit"): options[unit]}
        )
        return Choice(level, province, basis, unit, options[unit], where)

    def meta(self, title: str, where: dict[str, Any], query: str, notes: Iterable[str] = ()) -> dict[str, Any]:
        """Download metadata: the index's source and methodology, this view's title, filters and query."""
        return {**data.meta(self.ind.code, filters=where, title=title, notes=notes), "query": query}

    def break_year(self) -> int | None:
        """The first year of the methodology in force in the year when it differs from earlier years'
        (SIPAS 2022, PAPI 2018), else None: the room notes that earlier years are not comparable."""
        return break_year(self.ind.breaks, self.year)


def break_year(breaks: Sequence[int], year: int) -> int | None:
    started = [b for b in breaks if b <= year]
    return max(started) if started else None


def choose_unit(options: dict[str, str]) -> str:
    """The unit filter; the room stops with a notice when there is no unit to choose."""
    unit = filters.unit(options)
    if unit is None:
        st.info(t("common.no_units"))
        st.stop()
    return unit
