"""Published unit names → units valid on a date: the one matcher every published-index reader uses.

The portal's Decision 766 lists, VCCI's PCI workbooks and the typed press tables name provinces,
departments and communes by name ("UBND xã Vân Canh", "TP.HCM", "TT-Huế"), never by NSO code. A name
is matched against the rows of the lake's `units` table valid on the row's date (a code names a unit
only together with a date: 52 is Bình Định in 2023 and Gia Lai in 2026), within the unit's province
when the name is below the province, and among the levels the list can hold.

How two names are compared (`name_key`):
- folded: case, diacritics and đ do not matter (`contract.fold_text`), and every run of characters that
  is not a letter or digit is one space ("TT-Huế", "TT.Huế" and "TT- Huế" are all "tt hue");
- "UBND" / "Ủy ban nhân dân" and one administrative type word in front (Tỉnh, Thành phố, TP., Xã,
  Phường, Đặc khu, Thị trấn, Quận, Huyện, Thị xã) are set aside: "UBND Thành phố Đồng Nai" is
  "dong nai" of type "thanh pho". The type only chooses between units of the same name (Phường An
  Nhơn and Xã An Nhơn in one province);
- a unit is found by its name or its short name; failing that, by the name without a trailing
  province name ("Kông Bơ La - Gia Lai", "Sở Tư pháp tỉnh Gia Lai"), then through the name forms of
  `data/reference/names/name_forms.csv` (abbreviations and older spellings: HCMC, BRVT, TT-Huế, Bắc
  Cạn), which map one folded form to the folded name it stands for.

Nothing else is tried: a name that matches no unit, or several, is reported with the candidates a
person would look at (the same letters spaced differently, the same name on another date or in another
province), and never guessed. `NameMatch.reason` is then `unmatched_name` or `ambiguous_name`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl

from etl.contract import fold_text
from queries.paths import REFERENCE_DIR

NAME_FORMS_FILE = REFERENCE_DIR / "names" / "name_forms.csv"

# Folded words set aside in front of a name: the People's Committee, then one administrative type.
_COMMITTEE = ("uy ban nhan dan", "ubnd")
TYPE_WORDS: tuple[str, ...] = (
    "thanh pho",
    "tp",
    "tinh",
    "dac khu",
    "thi tran",
    "thi xa",
    "phuong",
    "xa",
    "quan",
    "huyen",
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
MAX_CANDIDATES = 5


def fold_name(name: str) -> str:
    """Folded text with every run of non-alphanumeric characters as one space."""
    return " ".join(_NOT_ALNUM.sub(" ", fold_text(name)).split())


def name_key(name: str) -> tuple[str | None, str]:
    """(administrative type word or None, the name without it): "UBND Xã Chơ Long" -> ("xa", "cho long")."""
    key = fold_name(name)
    for committee in _COMMITTEE:
        if key.startswith(committee + " "):
            key = key[len(committee) + 1 :]
            break
    for word in TYPE_WORDS:
        if key.startswith(word + " "):
            return word, key[len(word) + 1 :]
    return None, key


@dataclass(frozen=True)
class Unit:
    unit_code: str
    name: str
    level: str
    province_code: str
    valid_from: date | None
    valid_to: date | None
    type_word: str | None
    key: str
    short_key: str

    def describe(self, with_dates: bool = False) -> str:
        text = f"{self.name} ({self.unit_code}"
        if with_dates:
            start = self.valid_from.isoformat() if self.valid_from else "…"
            end = self.valid_to.isoformat() if self.valid_to else "…"
            text += f", valid {start} to {end}"
        return text + ")"

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)


@dataclass(frozen=True)
class NameMatch:
    unit: Unit | None
    reason: str | None = None  # None when matched; unmatched_name | ambiguous_name
    candidates: str = ""  # what a person should look at when not matched; "none" when nothing is close

    @property
    def unit_code(self) -> str | None:
        return self.unit.unit_code if self.unit else None


@cache
def name_forms(path: Path = NAME_FORMS_FILE) -> dict[str, str]:
    """Folded form -> the folded name it stands for (data/reference/names/name_forms.csv)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(line for line in handle if not line.startswith("#"))]
    return {name_key(row["form"])[1]: name_key(row["means"])[1] for row in rows}


class UnitNames:
    """The units of the lake, ready to match names on any date."""

    def __init__(self, units: pl.DataFrame, forms: dict[str, str] | None = None) -> None:
        self.forms = name_forms() if forms is None else forms
        self.units: list[Unit] = []
        for row in units.iter_rows(named=True):
            type_word, key = name_key(row["name"] or "")
            short = row.get("short_name") or ""
            self.units.append(
                Unit(
                    unit_code=row["unit_code"],
                    name=row["name"],
                    level=row["level"],
                    province_code=row["province_code"],
                    valid_from=row["valid_from"],
                    valid_to=row["valid_to"],
                    type_word=type_word,
                    key=key,
                    short_key=name_key(short)[1] if short else key,
                )
            )
        self._on: dict[tuple[date, tuple[str, ...]], list[Unit]] = {}
        self._cache: dict[tuple, NameMatch] = {}

    def _valid(self, day: date, levels: tuple[str, ...]) -> list[Unit]:
        found = self._on.get((day, levels))
        if found is None:
            found = [u for u in self.units if u.level in levels and u.valid_on(day)]
            self._on[(day, levels)] = found
        return found

    def province(self, code: str, day: date) -> Unit | None:
        """The province with this code on `day`."""
        return next((u for u in self._valid(day, ("province",)) if u.unit_code == code), None)

    def match(
        self, name: str, day: date, levels: Iterable[str] = ("province",), province_code: str | None = None
    ) -> NameMatch:
        """The one unit of `levels` (inside `province_code` when given) valid on `day` named `name`."""
        levels = tuple(levels)
        cache_key = (name, day, levels, province_code)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._match(name, day, levels, province_code)
        return self._cache[cache_key]

    def _match(self, name: str, day: date, levels: tuple[str, ...], province_code: str | None) -> NameMatch:
        type_word, key = name_key(name)
        pool = [u for u in self._valid(day, levels) if province_code is None or u.province_code == province_code]
        for attempt in self._attempts(key, day, province_code):
            # one unit per code: two validity rows of a code overlapping on the day are still one unit
            hits = list({u.unit_code: u for u in pool if attempt in (u.key, u.short_key)}.values())
            if len(hits) > 1 and type_word is not None:
                same_type = [u for u in hits if u.type_word == type_word]
                hits = same_type or hits
            if len(hits) == 1:
                return NameMatch(hits[0])
            if len(hits) > 1:
                return NameMatch(None, "ambiguous_name", "; ".join(u.describe() for u in hits[:MAX_CANDIDATES]))
        return NameMatch(None, "unmatched_name", self._candidates(key, day, levels, province_code, pool))

    def _attempts(self, key: str, day: date, province_code: str | None) -> list[str]:
        """The keys tried in order: as given, without a trailing province name, through the name forms."""
        attempts = [key]
        if province_code is not None:
            province = self.province(province_code, day)
            if province is not None:
                for suffix in {province.key, province.short_key}:
                    for word in ("", *TYPE_WORDS):
                        tail = f" {word} {suffix}" if word else f" {suffix}"
                        if key.endswith(tail) and len(key) > len(tail):
                            attempts.append(key[: -len(tail)])
        for attempt in list(attempts):
            if attempt in self.forms:
                attempts.append(self.forms[attempt])
        return list(dict.fromkeys(attempts))

    def _candidates(
        self, key: str, day: date, levels: tuple[str, ...], province_code: str | None, pool: list[Unit]
    ) -> str:
        compact = key.replace(" ", "")
        near = [u for u in pool if compact in (u.key.replace(" ", ""), u.short_key.replace(" ", ""))]
        found = [u.describe() for u in near]
        in_pool = set(pool)
        elsewhere = [u for u in self.units if u.level in levels and key in (u.key, u.short_key) and u not in in_pool]
        for unit in elsewhere:
            if not unit.valid_on(day):
                found.append(unit.describe(with_dates=True))
            elif province_code is not None and unit.province_code != province_code:
                found.append(f"{unit.describe()} in province {unit.province_code}")
        return "; ".join(dict.fromkeys(found[:MAX_CANDIDATES])) or "none"


def year_end(year: int) -> date:
    """The date an annual index of `year` is matched on: its last day (2024 → the 63 provinces, 2025 → the 34)."""
    return date(year, 12, 31)


@dataclass
class Resolved:
    """What a reader's `prepare` step gives the loader: the parsed rows with their derived columns
    filled, one issue per row it could not fill (row_number, column_name, raw_value, reason,
    candidates), and one line per name not matched for the load summary."""

    typed: pl.DataFrame
    issues: list[dict]
    problems: list[str]


def issue(row: int, column: str, value: object, reason: str | None, candidates: str | None = None) -> dict:
    return {
        "row_number": row,
        "column_name": column,
        "raw_value": None if value is None else str(value),
        "reason": reason,
        "candidates": candidates,
    }
