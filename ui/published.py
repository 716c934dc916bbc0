"""The five published indices a province is judged by, and their method versions.

    INDEXES                     ("766", "PAR", "SIPAS", "PAPI", "PCI"), in the order pages show them
    INDEX["PAR"]                unit, decimals, better direction, the indicator whose target applies, detail page
    method_versions()["PAPI"]   the versions of data/reference/published_methods.csv, oldest first
    version_of("PCI", 2011)     the version a year's figure was computed with
    breaks("PCI")               first years of a new version: no line is drawn across them

- 766: the Decision 766 score the national public service portal publishes (a running period read week by
  week); PAR: the Ministry of Home Affairs' PAR Index; SIPAS: its satisfaction index; PAPI (UNDP and
  partners); PCI (VCCI). All as published: values and ranks are never recomputed into a new figure.
- PORTAL_GROUPS: the portal's six score groups (its JSON keys, the columns of published_766) and the group
  of the scoring table (data/reference/766/scoring.csv) each one is: the portal's `clgq` (keyed CLGQ or ONLINE
  in its files) is the scoring table's DVCTT, online services.

Read from the committed files only (no query, no Streamlit): the Phương pháp page and docs/indicators.md
(queries/docs.py) show the same versions.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from typing import Any

from queries.paths import REFERENCE_DIR
from ui.i18n import current_lang

METHODS_CSV = REFERENCE_DIR / "published_methods.csv"

INDEXES: tuple[str, ...] = ("766", "PAR", "SIPAS", "PAPI", "PCI")


@dataclass(frozen=True)
class PublishedIndex:
    code: str
    unit: str  # % | points
    decimals: int
    target_indicator: str | None  # indicator of data/reference/indicators.csv whose target applies (ui.data.target_for)
    detail_page: str  # slug of the page that details it
    detail_params: dict[str, str] = field(default_factory=dict)  # its URL parameters


INDEX: dict[str, PublishedIndex] = {
    "766": PublishedIndex("766", "points", 2, None, "chi-so", {"index": "766", "level": "province"}),
    "PAR": PublishedIndex("PAR", "%", 2, "par_index", "chi-so", {"index": "par", "level": "province"}),
    "SIPAS": PublishedIndex("SIPAS", "%", 2, "sipas_overall", "chi-so", {"index": "sipas", "level": "province"}),
    "PAPI": PublishedIndex("PAPI", "points", 2, "papi_total", "chi-so", {"index": "papi"}),
    "PCI": PublishedIndex("PCI", "points", 2, None, "phuong-phap"),
}

# the portal's group key -> the scoring table's group code, in the scoring table's order
PORTAL_GROUPS: dict[str, str] = {
    "ckmb": "CKMB",
    "tdgq": "TDGQ",
    "clgq": "DVCTT",
    "tttt": "TTTT",
    "mdsh": "MDSH",
    "mdhl": "MDHL",
}


@dataclass(frozen=True)
class MethodVersion:
    """One row of data/reference/published_methods.csv (its header comment lines describe the columns)."""

    index_code: str
    version: str
    first_year: int
    last_year: int | None
    change_vi: str
    change_en: str
    source: str

    def change(self, lang: str | None = None) -> str:
        return self.change_en if (lang or current_lang()) == "en" else self.change_vi

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def years(self) -> str:
        """ "2018–" / "2009–2012" / "2005"."""
        if self.last_year == self.first_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year or ''}"


@functools.cache
def method_versions() -> dict[str, tuple[MethodVersion, ...]]:
    """index code -> its method versions, oldest first."""
    with METHODS_CSV.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    out: dict[str, list[MethodVersion]] = {code: [] for code in INDEXES}
    for row in csv.DictReader(lines):
        if row["index_code"] not in out:
            raise ValueError(f"{METHODS_CSV}: unknown index {row['index_code']!r}")
        out[row["index_code"]].append(
            MethodVersion(
                index_code=row["index_code"],
                version=row["version"],
                first_year=int(row["first_year"]),
                last_year=int(row["last_year"]) if row["last_year"] else None,
                change_vi=row["change_vi"],
                change_en=row["change_en"],
                source=row["source"],
            )
        )
    return {code: tuple(sorted(rows, key=lambda v: v.first_year)) for code, rows in out.items()}


def version_of(index_code: str, year: int) -> MethodVersion | None:
    """The method version of a figure of `year`; None for a year no version covers."""
    return next((v for v in method_versions()[index_code] if v.covers(year)), None)


def breaks(index_code: str) -> tuple[int, ...]:
    """First years of every version after the first: the figures before and after are not one series."""
    return tuple(v.first_year for v in method_versions()[index_code][1:])


def detail_link(index_code: str, **params: Any) -> tuple[str, dict[str, str]]:
    """(page file, URL parameters) of an index's detail page, with `params` added."""
    entry = INDEX[index_code]
    return f"pages/{entry.detail_page}.py", {**entry.detail_params, **{k: str(v) for k, v in params.items()}}
