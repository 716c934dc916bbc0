"""Units of both eras, the old -> new crosswalk and the commune points, from the NSO tables and vietnamadminunits.

Inputs (data/reference/units/, see SOURCE.md there):
- nso_communes_2025-01-04.csv        the NSO list before the reform: authority for pre-reform codes and names
- nso_conversion_2025-07-01.csv      the NSO old -> new commune table: authority for the 2025 list and the crosswalk
- nso_conversion_corrections.csv     old commune codes of the conversion table corrected by name (hand-maintained)
- changes_after_2025.csv             renames and type changes after 1 July 2025 (hand-maintained, with sources)
- department_template.csv            the standard provincial departments (hand-maintained)
- department_successors.csv          the department mergers of 1 March 2025 (hand-maintained)
- PyPI vietnamadminunits 1.0.4, data/dataset.db: commune centroids, 2025 areas, pre-reform bounding boxes

Outputs: units.csv, crosswalk_2025.csv, unit_points.csv, source_differences.csv (see docs/units.md).
"""

from __future__ import annotations

import csv
import math
import re
import sqlite3
import statistics
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from etl.units import short_name

# "Valid for all historic data": the lists carry no founding dates, so a unit of the pre-reform list is
# treated as valid from this date (the convention the product already uses for the GSO list).
HISTORIC_FROM = date(2000, 1, 1)
REFORM = date(2025, 7, 1)
PRE_REFORM_LAST_DAY = REFORM - timedelta(days=1)

NSO_COMMUNES = "nso_communes_2025-01-04.csv"
NSO_CONVERSION = "nso_conversion_2025-07-01.csv"
CORRECTIONS = "nso_conversion_corrections.csv"
CHANGES = "changes_after_2025.csv"
DEPARTMENT_TEMPLATE = "department_template.csv"
DEPARTMENT_SUCCESSORS = "department_successors.csv"

UNITS_FILE = "units.csv"
CROSSWALK_FILE = "crosswalk_2025.csv"
POINTS_FILE = "unit_points.csv"
DIFFERENCES_FILE = "source_differences.csv"

UNIT_COLUMNS = [
    "unit_code",
    "name",
    "short_name",
    "level",
    "parent_code",
    "province_code",
    "valid_from",
    "valid_to",
    "formed_on",
]
CROSSWALK_COLUMNS = [
    "old_code",
    "old_level",
    "old_name",
    "new_code",
    "new_level",
    "new_name",
    "weight",
    "relation",
    "approximate",
    "effective",
]
POINT_COLUMNS = ["unit_code", "formed_on", "lat", "lon", "area_km2"]
DIFFERENCE_COLUMNS = ["unit_code", "era", "field", "nso", "vietnamadminunits"]

RELATIONS = ("whole", "part", "part_area", "part_area_all_population", "part_population", "unchanged", "type_changed")
SAME_TERRITORY = ("whole", "unchanged", "type_changed")
WEIGHT_UNITS = 1_000_000  # weights are written with 6 decimals and sum exactly to 1 per old unit and level

_NAME_CODE = re.compile(r"^(?P<name>.+?)\s*\((?P<code>\d+)\)$")


# ------------------------------------------------------------------------------------------------
# Reading the sources
# ------------------------------------------------------------------------------------------------
def clean(text: str) -> str:
    """NFC, single spaces, no line breaks (the NSO files carry stray spaces and line breaks)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def name_and_code(cell: str, where: str) -> tuple[str, str]:
    match = _NAME_CODE.match(clean(cell))
    if match is None:
        raise ValueError(f"{where}: expected 'Name (code)', got {cell!r}")
    return match["name"], match["code"]


def relation_of(note: str, where: str) -> str:
    """The conversion table's note (Ghi chú), normalised to one of RELATIONS."""
    text = clean(note).replace("Nhâp", "Nhập").lower()
    if text.startswith("giữ nguyên") or text == "đổi tên":
        return "unchanged"  # a rename keeps the territory; old_name and new_name show the change
    if "thành đặc khu" in text:  # "Sắp xếp toàn bộ huyện/xã X thành đặc khu X"
        return "whole" if "huyện" in text else "type_changed"
    if text == "đổi loại hình":
        return "type_changed"
    if "một phần diện tích" in text:
        return "part_area_all_population" if "toàn bộ dân số" in text else "part_area"
    if "một phần dân số" in text:
        return "part_population"
    if "toàn bộ" in text:  # "Nhập toàn bộ", "Nhập toàn bộ diện tích"
        return "whole"
    if "một phần" in text or "phần còn lại" in text:
        return "part"
    raise ValueError(f"{where}: note {note!r} matches no relation")


@dataclass(frozen=True)
class OldCommune:
    code: str
    name: str
    district: str
    district_name: str
    province: str
    province_name: str


def read_nso_communes(path: Path) -> tuple[dict[str, str], dict[str, tuple[str, str]], dict[str, OldCommune]]:
    """Provinces (code -> name), districts (code -> (name, province)) and communes of the pre-reform list."""
    provinces: dict[str, str] = {}
    districts: dict[str, tuple[str, str]] = {}
    communes: dict[str, OldCommune] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            province, district, code = row["Mã TP"], row["Mã QH"], row["Mã PX"]
            provinces.setdefault(province, clean(row["Tỉnh Thành Phố"]))
            districts.setdefault(district, (clean(row["Quận Huyện"]), province))
            if not code:  # island districts without communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo)
                continue
            if code in communes:
                raise ValueError(f"{path.name}:{line}: commune {code} listed twice")
            communes[code] = OldCommune(
                code, clean(row["Phường Xã"]), district, districts[district][0], province, provinces[province]
            )
    return provinces, districts, communes


@dataclass(frozen=True)
class Pair:
    """One row of the NSO conversion table: an old unit (a commune, or a whole district) -> a new commune."""

    line: int
    new_province: str
    new_province_name: str
    new_code: str
    new_name: str
    old_code: str  # empty for a district without communes (old_district is then the old unit)
    old_name: str
    relation: str
    old_district: str
    old_district_name: str
    old_province: str
    note: str


def read_corrections(path: Path) -> dict[tuple[str, str, str], str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            (r["new_code"], r["published_old_code"], r["old_name"]): r["corrected_old_code"]
            for r in csv.DictReader(handle)
        }


def read_conversion(path: Path, corrections: dict[tuple[str, str, str], str]) -> tuple[list[Pair], list[Pair]]:
    """(pairs, rows without an old unit code that are not a whole district). Banner rows are skipped."""
    pairs: list[Pair] = []
    uncoded: list[Pair] = []
    used: set[tuple[str, str, str]] = set()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for line, row in enumerate(rows[2:], start=3):
        if not row[2].strip():  # the province banner before each province
            continue
        where = f"{path.name}:{line}"
        new_province_name, new_province = name_and_code(row[0], where)
        district_name, district = name_and_code(row[6], where)
        _, old_province = name_and_code(row[7], where)
        old_code, old_name = row[4].strip(), clean(row[3])
        key = (row[2].strip(), old_code, old_name)
        if key in corrections:
            used.add(key)
            old_code = corrections[key]
        pair = Pair(
            line,
            new_province,
            new_province_name,
            row[2].strip(),
            clean(row[1]),
            old_code,
            old_name,
            relation_of(row[5], where),
            district,
            district_name,
            old_province,
            clean(row[5]),
        )
        if old_code or "huyện" in pair.note.lower():
            pairs.append(pair)
        else:
            uncoded.append(pair)
    if unused := set(corrections) - used:
        raise ValueError(f"{CORRECTIONS}: corrections match no row of {path.name}: {sorted(unused)}")
    return pairs, uncoded


@dataclass(frozen=True)
class Ward:
    lat: float | None
    lon: float | None
    area_km2: float | None = None
    bounds: tuple[float, float, float, float] | None = None  # south, west, north, east
    name: str = ""
    district: str = ""


def dataset_path() -> Path:
    return Path(str(resources.files("vietnamadminunits") / "data" / "dataset.db"))


def read_vietnamadminunits(path: Path) -> tuple[dict[str, Ward], dict[str, Ward]]:
    """(pre-reform communes, 2025 communes) keyed by NSO code."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        legacy = {
            code: Ward(lat, lon, None, _bounds(bounds), name, district)
            for code, name, district, lat, lon, bounds in con.execute(
                "select wardCode, ward, districtCode, wardLat, wardLon, wardBounds from admin_units_legacy"
                " where wardCode is not null order by wardCode"
            )
        }
        current = {
            code: Ward(lat, lon, area, None, name)
            for code, name, lat, lon, area in con.execute(
                "select wardCode, ward, wardLat, wardLon, wardAreaKm2 from admin_units order by wardCode"
            )
        }
    finally:
        con.close()
    return legacy, current


def _bounds(text: str | None) -> tuple[float, float, float, float] | None:
    """'lat1,lon1 – lat2,lon2' (south-west – north-east) -> (south, west, north, east)."""
    if not text:
        return None
    corners = [part.split(",") for part in text.split("–")]
    (lat1, lon1), (lat2, lon2) = ((float(a), float(b)) for a, b in corners)
    return min(lat1, lat2), min(lon1, lon2), max(lat1, lat2), max(lon1, lon2)


# ------------------------------------------------------------------------------------------------
# Units
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    unit_code: str
    name: str
    level: str
    parent_code: str | None
    province_code: str
    valid_from: date
    valid_to: date | None
    formed_on: date
    short: str | None = None  # a department's short name (its template name); other units drop their prefix

    @property
    def short_name(self) -> str:
        return self.short or short_name(self.name)

    def attributes(self) -> tuple:
        return (self.name, self.level, self.parent_code, self.province_code, self.formed_on)

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def era_units(
    nso_provinces: dict[str, str],
    nso_districts: dict[str, tuple[str, str]],
    old_communes: dict[str, OldCommune],
    pairs: list[Pair],
) -> list[Unit]:
    """Provinces, districts and communes of both eras, one code's rows chained by validity (see docs/units.md)."""
    old: dict[str, Unit] = {}
    for code, name in nso_provinces.items():
        old[code] = Unit(code, name, "province", None, code, HISTORIC_FROM, PRE_REFORM_LAST_DAY, HISTORIC_FROM)
    for code, (name, province) in nso_districts.items():
        old[code] = Unit(code, name, "district", province, province, HISTORIC_FROM, PRE_REFORM_LAST_DAY, HISTORIC_FROM)
    for c in old_communes.values():
        old[c.code] = Unit(
            c.code, c.name, "commune", c.district, c.province, HISTORIC_FROM, PRE_REFORM_LAST_DAY, HISTORIC_FROM
        )

    new: dict[str, Unit] = {}
    sources: dict[str, set[str]] = defaultdict(set)  # new code -> old codes (provinces and communes)
    targets: dict[str, set[str]] = defaultdict(set)  # old commune -> new communes
    relations: dict[str, set[str]] = defaultdict(set)
    for p in pairs:
        province = new.setdefault(
            p.new_province,
            Unit(p.new_province, p.new_province_name, "province", None, p.new_province, REFORM, None, REFORM),
        )
        if province.name != p.new_province_name:
            raise ValueError(
                f"{NSO_CONVERSION}:{p.line}: province {p.new_province} "
                f"named {p.new_province_name!r} and {province.name!r}"
            )
        commune = new.setdefault(
            p.new_code, Unit(p.new_code, p.new_name, "commune", p.new_province, p.new_province, REFORM, None, REFORM)
        )
        if fold(commune.name) != fold(p.new_name) or commune.province_code != p.new_province:
            raise ValueError(
                f"{NSO_CONVERSION}:{p.line}: commune {p.new_code} named {p.new_name!r} and {commune.name!r}"
            )
        sources[p.new_province].add(p.old_province)
        sources[p.new_code].add(p.old_code or p.old_district)
        targets[p.old_code or p.old_district].add(p.new_code)
        relations[p.old_code or p.old_district].add(p.relation)

    units: list[Unit] = []
    for code in sorted(old.keys() | new.keys()):
        before, after = old.get(code), new.get(code)
        continues = (
            before is not None
            and after is not None
            and before.level == after.level
            and sources[code] == {code}
            and (after.level == "province" or (targets[code] == {code} and relations[code] <= set(SAME_TERRITORY)))
        )
        if continues:
            after = replace(after, formed_on=before.formed_on)
            if before.attributes() == after.attributes():
                units.append(replace(before, valid_to=None))
                continue
        units.extend(u for u in (before, after) if u is not None)
    return units


@dataclass(frozen=True)
class Change:
    unit_code: str
    valid_from: date
    name: str
    source: str


def read_changes(path: Path) -> list[Change]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Change(r["unit_code"], date.fromisoformat(r["valid_from"]), r["name"], r["source"])
            for r in csv.DictReader(handle)
        ]


def apply_changes(units: list[Unit], changes: list[Change], level: str | None = None) -> list[Unit]:
    """A rename or type change closes the code's open row the day before and opens a row with the same formed_on."""
    by_code: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        by_code[u.unit_code].append(u)
    for change in sorted(changes, key=lambda c: (c.valid_from, c.unit_code)):
        rows = by_code.get(change.unit_code)
        current = [u for u in rows or () if u.valid_to is None and (level is None or u.level == level)]
        if len(current) != 1 or not current[0].valid_from < change.valid_from:
            raise ValueError(f"{CHANGES}: {change.unit_code} has no current row before {change.valid_from}")
        row = current[0]
        rows.remove(row)
        rows += [
            replace(row, valid_to=change.valid_from - timedelta(days=1)),
            replace(row, name=change.name, valid_from=change.valid_from),
        ]
    return [u for code in sorted(by_code) for u in sorted(by_code[code], key=lambda u: u.valid_from)]


# ------------------------------------------------------------------------------------------------
# Departments
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Department:
    short: str
    name: str
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True)
class Successor:
    old_short: str
    new_short: str
    relation: str
    weight: float
    effective: date


def read_department_template(path: Path) -> list[Department]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Department(
                r["short"],
                r["name"],
                date.fromisoformat(r["valid_from"]),
                date.fromisoformat(r["valid_to"]) if r["valid_to"] else None,
            )
            for r in csv.DictReader(handle)
        ]


def read_department_successors(path: Path) -> list[Successor]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Successor(
                r["old_short"], r["new_short"], r["relation"], float(r["weight"]), date.fromisoformat(r["effective"])
            )
            for r in csv.DictReader(handle)
        ]


def province_phrase(name: str) -> str:
    """'Tỉnh Bắc Kạn' -> 'tỉnh Bắc Kạn' (as in 'Sở Tư pháp tỉnh Bắc Kạn'); 'Thành phố Hồ Chí Minh' is a proper name."""
    if name == "Thành phố Hồ Chí Minh":
        return name
    return name[0].lower() + name[1:]


def department_units(provinces: list[Unit], template: list[Department], successors: list[Successor]) -> list[Unit]:
    """Every template department of every province row: a department is a new unit (new formed_on) when its
    province is, when it starts (Sở Nông nghiệp và Môi trường), or when it takes over another on a merger day."""
    takeovers: dict[str, date] = {}
    starts = {d.short: d.valid_from for d in template}
    for s in successors:
        if starts[s.new_short] < s.effective:
            takeovers[s.new_short] = s.effective
    pieces: list[Unit] = []
    for province in provinces:
        for dept in template:
            start = max(province.valid_from, dept.valid_from)
            end = min((d for d in (province.valid_to, dept.valid_to) if d is not None), default=None)
            if end is not None and end < start:
                continue
            cuts = [start]
            takeover = takeovers.get(dept.short)
            if takeover is not None and start < takeover and (end is None or takeover <= end):
                cuts.append(takeover)
            for i, piece_start in enumerate(cuts):
                piece_end = cuts[i + 1] - timedelta(days=1) if i + 1 < len(cuts) else end
                formed = max(province.formed_on, dept.valid_from)
                if takeover is not None and piece_start >= takeover:
                    formed = max(formed, takeover)
                code = f"{province.unit_code}.{dept.short}"
                name = f"{dept.name} {province_phrase(province.name)}"
                pieces.append(
                    Unit(
                        code,
                        name,
                        "department",
                        province.unit_code,
                        province.unit_code,
                        piece_start,
                        piece_end,
                        formed,
                        dept.name,
                    )
                )
    return merge_contiguous(pieces)


def merge_contiguous(units: list[Unit]) -> list[Unit]:
    """Consecutive rows of one code with the same attributes become one row."""
    merged: list[Unit] = []
    for u in sorted(units, key=lambda u: (u.unit_code, u.valid_from)):
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.unit_code == u.unit_code
            and last.attributes() == u.attributes()
            and last.valid_to is not None
            and last.valid_to + timedelta(days=1) == u.valid_from
        ):
            merged[-1] = replace(last, valid_to=u.valid_to)
        else:
            merged.append(u)
    return merged


# ------------------------------------------------------------------------------------------------
# Weights of split communes
# ------------------------------------------------------------------------------------------------
KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_EQUATOR = 111.320


def bbox_area_km2(bounds: tuple[float, float, float, float]) -> float:
    south, west, north, east = bounds
    mid = math.radians((south + north) / 2)
    return (north - south) * KM_PER_DEGREE_LAT * (east - west) * KM_PER_DEGREE_LON_EQUATOR * math.cos(mid)


def overlap_km2(bounds: tuple[float, float, float, float], lat: float, lon: float, area_km2: float) -> float:
    """Area shared by a bounding box and a disc of `area_km2` centred at (lat, lon), on a local plane."""
    from shapely.geometry import Point, box

    south, west, north, east = bounds
    x_scale = KM_PER_DEGREE_LON_EQUATOR * math.cos(math.radians((south + north) / 2))
    rectangle = box(west * x_scale, south * KM_PER_DEGREE_LAT, east * x_scale, north * KM_PER_DEGREE_LAT)
    disc = Point(lon * x_scale, lat * KM_PER_DEGREE_LAT).buffer(math.sqrt(area_km2 / math.pi), quad_segs=32)
    return rectangle.intersection(disc).area


def split_weights(pairs: list[Pair], legacy: dict[str, Ward], current: dict[str, Ward]) -> dict[str, float]:
    """new code -> share of one old commune split between several new communes (see docs/units.md, 'weights').

    1. One pair carries all of the population (part_area_all_population): it takes everything; the pairs that
       took only land take nothing (dossiers follow people).
    2. Otherwise each new commune gets the estimated area of the old commune's piece in it: the overlap of the
       old commune's bounding box with a disc of the new commune's official area at its centroid.
    3. Without a bounding box, or when no disc overlaps the box: shares of the new communes' areas.
    """
    population = [p for p in pairs if p.relation == "part_area_all_population"]
    if len(population) == 1:
        return {p.new_code: float(p is population[0]) for p in pairs}
    old = legacy.get(pairs[0].old_code)
    pieces: dict[str, float] = {}
    if old is not None and old.bounds is not None:
        for p in pairs:
            new = current.get(p.new_code)
            if new is not None and new.lat is not None and new.area_km2:
                pieces[p.new_code] = overlap_km2(old.bounds, new.lat, new.lon, new.area_km2)
    if len(pieces) == len(pairs) and sum(pieces.values()) > 0:
        return pieces
    areas = {p.new_code: (current[p.new_code].area_km2 or 0.0) if p.new_code in current else 0.0 for p in pairs}
    if sum(areas.values()) > 0:
        return areas
    return {p.new_code: 1.0 for p in pairs}


def to_units(shares: dict[str, float]) -> dict[str, int]:
    """Shares -> integer millionths summing exactly to WEIGHT_UNITS (largest remainder, ties by code)."""
    total = sum(shares.values())
    exact = {k: v / total * WEIGHT_UNITS for k, v in shares.items()}
    units = {k: math.floor(v) for k, v in exact.items()}
    rest = WEIGHT_UNITS - sum(units.values())
    for k in sorted(exact, key=lambda k: (units[k] - exact[k], k))[:rest]:
        units[k] += 1
    return units


def weight_text(millionths: int) -> str:
    whole, fraction = divmod(millionths, WEIGHT_UNITS)
    return str(whole) if fraction == 0 else f"{whole}.{fraction:06d}".rstrip("0")


# ------------------------------------------------------------------------------------------------
# The crosswalk
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Link:
    old_code: str
    old_level: str
    old_name: str
    new_code: str
    new_level: str
    new_name: str
    weight: int  # millionths
    relation: str
    approximate: bool
    effective: date

    def row(self) -> list[str]:
        return [
            self.old_code,
            self.old_level,
            self.old_name,
            self.new_code,
            self.new_level,
            self.new_name,
            weight_text(self.weight),
            self.relation,
            "true" if self.approximate else "false",
            self.effective.isoformat(),
        ]


def unit_on(units_by_code: dict[str, list[Unit]], code: str, day: date) -> Unit:
    for u in units_by_code.get(code, ()):
        if u.valid_on(day):
            return u
    raise ValueError(f"no unit {code} on {day}")


def crosswalk(
    units: list[Unit],
    pairs: list[Pair],
    successors: list[Successor],
    legacy: dict[str, Ward],
    current: dict[str, Ward],
) -> list[Link]:
    by_code: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        by_code[u.unit_code].append(u)

    def old(code: str, day: date = PRE_REFORM_LAST_DAY) -> Unit:
        return unit_on(by_code, code, day)

    def new(code: str, day: date = REFORM) -> Unit:
        return unit_on(by_code, code, day)

    links: list[Link] = []
    # Provinces merged whole.
    province_of: dict[str, str] = {}
    for p in pairs:
        if province_of.setdefault(p.old_province, p.new_province) != p.new_province:
            raise ValueError(f"{NSO_CONVERSION}:{p.line}: province {p.old_province} goes to two provinces")
    for o, n in sorted(province_of.items()):
        links.append(Link(o, "province", old(o).name, n, "province", new(n).name, WEIGHT_UNITS, "whole", False, REFORM))

    # Communes: every pair of the NSO table; split communes weighted.
    by_old: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        by_old[p.old_code or p.old_district].append(p)
    commune_weights: dict[str, dict[str, int]] = {}
    for code, group in sorted(by_old.items()):
        level = "commune" if group[0].old_code else "district"
        if len({p.new_code for p in group}) != len(group):
            raise ValueError(f"{NSO_CONVERSION}: old unit {code} listed twice for one new commune")
        split = len(group) > 1
        weights = to_units(split_weights(group, legacy, current)) if split else {group[0].new_code: WEIGHT_UNITS}
        commune_weights[code] = weights
        for p in sorted(group, key=lambda p: p.new_code):
            links.append(
                Link(
                    code,
                    level,
                    old(code).name,
                    p.new_code,
                    "commune",
                    new(p.new_code).name,
                    weights[p.new_code],
                    p.relation,
                    split,
                    REFORM,
                )
            )

    # Districts: to their province (exact), and to the new communes their communes went to (derived).
    commune_sizes = _commune_sizes(units, legacy)
    districts = [u for u in units if u.level == "district"]
    for d in districts:
        links.append(
            Link(
                d.unit_code,
                "district",
                d.name,
                province_of[d.province_code],
                "province",
                new(province_of[d.province_code]).name,
                WEIGHT_UNITS,
                "whole",
                False,
                REFORM,
            )
        )
        if d.unit_code in commune_weights:  # a district without communes, converted whole
            continue
        shares: dict[str, float] = defaultdict(float)
        exact = True
        for c in (u for u in units if u.parent_code == d.unit_code and u.level == "commune"):
            for n, w in commune_weights.get(c.unit_code, {}).items():
                shares[n] += commune_sizes[c.unit_code] * w / WEIGHT_UNITS
            exact = exact and len(commune_weights.get(c.unit_code, {})) == 1
        weights = to_units(shares)
        approximate = not (exact and len(weights) == 1)
        for n in sorted(weights):
            links.append(
                Link(
                    d.unit_code,
                    "district",
                    d.name,
                    n,
                    "commune",
                    new(n).name,
                    weights[n],
                    "derived",
                    approximate,
                    REFORM,
                )
            )

    # Departments: the mergers of 1 March 2025 inside each province, then the provinces merged on 1 July 2025.
    pre_provinces = sorted({u.unit_code for u in units if u.level == "province" and u.valid_on(PRE_REFORM_LAST_DAY)})
    for s in successors:
        day = s.effective
        for p in pre_provinces:
            before, after = old(f"{p}.{s.old_short}", day - timedelta(days=1)), new(f"{p}.{s.new_short}", day)
            links.append(
                Link(
                    before.unit_code,
                    "department",
                    before.name,
                    after.unit_code,
                    "department",
                    after.name,
                    round(s.weight * WEIGHT_UNITS),
                    s.relation,
                    s.relation == "part",
                    day,
                )
            )
    for p in pre_provinces:
        target = province_of[p]
        if old(p).formed_on == new(target).formed_on and p == target:
            continue  # the province continues: so do its departments
        for d in sorted(
            (u for u in units if u.level == "department" and u.province_code == p and u.valid_on(PRE_REFORM_LAST_DAY)),
            key=lambda u: u.unit_code,
        ):
            successor = new(f"{target}.{d.unit_code.split('.', 1)[1]}")
            links.append(
                Link(
                    d.unit_code,
                    "department",
                    d.name,
                    successor.unit_code,
                    "department",
                    successor.name,
                    WEIGHT_UNITS,
                    "whole",
                    False,
                    REFORM,
                )
            )

    order = {"province": 0, "district": 1, "commune": 2, "department": 3}
    return sorted(links, key=lambda k: (order[k.old_level], k.effective, k.old_code, order[k.new_level], k.new_code))


def _commune_sizes(units: list[Unit], legacy: dict[str, Ward]) -> dict[str, float]:
    """Pre-reform commune -> bounding-box area (km²), or the median of its district when it has none."""
    sizes: dict[str, float] = {}
    by_district: dict[str, list[float]] = defaultdict(list)
    communes = [u for u in units if u.level == "commune" and u.valid_on(PRE_REFORM_LAST_DAY)]
    for c in communes:
        ward = legacy.get(c.unit_code)
        if ward is not None and ward.bounds is not None and bbox_area_km2(ward.bounds) > 0:
            sizes[c.unit_code] = bbox_area_km2(ward.bounds)
            by_district[c.parent_code].append(sizes[c.unit_code])
    for c in communes:
        if c.unit_code not in sizes:
            known = by_district.get(c.parent_code)
            sizes[c.unit_code] = statistics.median(known) if known else 1.0
    return sizes


# ------------------------------------------------------------------------------------------------
# Points, differences, writing
# ------------------------------------------------------------------------------------------------
def points(units: list[Unit], legacy: dict[str, Ward], current: dict[str, Ward]) -> list[list[str]]:
    """One centroid per commune (code, formed_on) of either era; the 2025 list's area where it has it."""
    rows: dict[tuple[str, date], list[str]] = {}
    for u in units:
        if u.level != "commune":
            continue
        in_2025 = u.valid_to is None or u.valid_to >= REFORM
        ward = current.get(u.unit_code) if in_2025 else legacy.get(u.unit_code)
        if ward is None or ward.lat is None or ward.lon is None:
            continue
        area = "" if ward.area_km2 is None or not in_2025 else repr(ward.area_km2)
        key = (u.unit_code, u.formed_on)
        if key not in rows or in_2025:
            rows[key] = [u.unit_code, u.formed_on.isoformat(), repr(ward.lat), repr(ward.lon), area]
    return [rows[k] for k in sorted(rows)]


def fold(name: str) -> str:
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()


def differences(units: list[Unit], legacy: dict[str, Ward], current: dict[str, Ward]) -> list[list[str]]:
    """Where vietnamadminunits differs from the NSO lists (codes missing on either side, names, districts)."""
    rows: list[list[str]] = []
    for era, source, communes in (
        (
            "pre_reform",
            legacy,
            {u.unit_code: u for u in units if u.level == "commune" and u.valid_on(PRE_REFORM_LAST_DAY)},
        ),
        ("2025", current, {u.unit_code: u for u in units if u.level == "commune" and u.valid_on(REFORM)}),
    ):
        for code in sorted(communes.keys() | source.keys()):
            unit, ward = communes.get(code), source.get(code)
            if unit is None:
                rows.append([code, era, "code", "", ward.name])
            elif ward is None:
                rows.append([code, era, "code", unit.name, ""])
            else:
                if fold(unit.name) != fold(ward.name):
                    rows.append([code, era, "name", unit.name, ward.name])
                if era == "pre_reform" and ward.district != unit.parent_code:
                    rows.append([code, era, "district", unit.parent_code, ward.district])
    return rows


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> tuple[Path, int]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path, len(rows)


def unit_row(u: Unit) -> list[str]:
    return [
        u.unit_code,
        u.name,
        u.short_name,
        u.level,
        u.parent_code or "",
        u.province_code,
        u.valid_from.isoformat(),
        u.valid_to.isoformat() if u.valid_to else "",
        u.formed_on.isoformat(),
    ]


def build_units(
    source: Path, dataset: Path | None = None
) -> tuple[list[Unit], list[Link], list[list[str]], list[list[str]]]:
    nso_provinces, nso_districts, nso_communes = read_nso_communes(source / NSO_COMMUNES)
    pairs, _ = read_conversion(source / NSO_CONVERSION, read_corrections(source / CORRECTIONS))
    # The table's old-province column has slips (Phường 4 of Thành phố Tân An under Tiền Giang): a commune's
    # old province is its old district's, from the NSO list.
    pairs = [replace(p, old_province=nso_districts[p.old_district][1]) for p in pairs]
    legacy, current = read_vietnamadminunits(dataset or dataset_path())
    # Old communes the conversion table names but the January list lacks (formed later in 2025).
    old_communes = dict(nso_communes)
    for p in pairs:
        if p.old_code and p.old_code not in old_communes:
            old_communes[p.old_code] = OldCommune(
                p.old_code,
                p.old_name,
                p.old_district,
                p.old_district_name,
                p.old_province,
                nso_provinces[p.old_province],
            )
    changes = read_changes(source / CHANGES)
    units = apply_changes(era_units(nso_provinces, nso_districts, old_communes, pairs), changes)
    template = read_department_template(source / DEPARTMENT_TEMPLATE)
    successors = read_department_successors(source / DEPARTMENT_SUCCESSORS)
    provinces = [u for u in units if u.level == "province"]
    units = sorted(units + department_units(provinces, template, successors), key=lambda u: (u.unit_code, u.valid_from))
    links = crosswalk(units, pairs, successors, legacy, current)
    return units, links, points(units, legacy, current), differences(units, legacy, current)


def build(source: Path, out: Path, dataset: Path | None = None) -> list[tuple[Path, int]]:
    units, links, point_rows, difference_rows = build_units(source, dataset)
    return [
        write_csv(out / UNITS_FILE, UNIT_COLUMNS, [unit_row(u) for u in units]),
        write_csv(out / CROSSWALK_FILE, CROSSWALK_COLUMNS, [k.row() for k in links]),
        write_csv(out / POINTS_FILE, POINT_COLUMNS, point_rows),
        write_csv(out / DIFFERENCES_FILE, DIFFERENCE_COLUMNS, difference_rows),
    ]
