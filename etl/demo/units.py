"""The demo's units of both eras and their profiles, from the units list data/reference/units/units.csv and the
crosswalk data/reference/units/crosswalk_2025.csv (docs/units.md).

Before 1 July 2025: Hà Nội's 30 districts, TP.HCM's 22 units of the pre-2025 list (Thủ Đức city, 769,
stands for the former Quận 2, 9 and Thủ Đức over the whole period: the list no longer has their codes),
Bắc Kạn's 8 districts, and 4–5 departments per province; from 1 March 2025 the departments merged by
Decree 45/2025/NĐ-CP (Sở Kế hoạch và Đầu tư into Sở Tài chính, Sở Tài nguyên và Môi trường into Sở Nông
nghiệp và Môi trường, Sở Lao động - Thương binh và Xã hội into Sở Nội vụ; Sở Xây dựng took over Sở Giao
thông vận tải). From 1 July 2025: Hà Nội's 126 communes, TP.HCM's 168 (with the former Bình Dương and Bà
Rịa - Vũng Tàu), Thái Nguyên's 92 (with the former Bắc Kạn), and the departments of these provinces.

A profile says how big a unit is, how fast its online uptake grows, how often it is on time and rejects
dossiers, and its PAR and survey level; the calibrated units get the profile their published facts need.
A unit formed by the reform inherits its profile from the units it was made of, through the crosswalk's
weights: a commune's size is the sum of its districts' sizes times their weights, so the communes of a
district receive about what the district received, and a series runs through the reform at the volume
it had. Districts of the provinces merged into the demo's (Bình Dương, Bà Rịa - Vũng Tàu, the former Thái
Nguyên) get drawn profiles: the demo has no data of theirs before the reform.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np

from etl.demo import calibration as cal
from etl.demo.periods import DEPARTMENT_MERGER_DAY, FIRST_DAY, REFORM_DAY
from etl.demo.vocabulary import FIELD_INDEX, FIELDS
from queries.paths import REFERENCE_DIR

UNITS_FILE = REFERENCE_DIR / "units" / "units.csv"
CROSSWALK_FILE = REFERENCE_DIR / "units" / "crosswalk_2025.csv"


@functools.cache
def crosswalk() -> tuple[dict[str, str], ...]:
    with open(CROSSWALK_FILE, encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def province_successors() -> dict[str, str]:
    """Old province code -> the province it became part of on 1 July 2025 (the crosswalk's province rows)."""
    return {r["old_code"]: r["new_code"] for r in crosswalk() if r["old_level"] == "province"}


# The demo's provinces from 1 July 2025 are the successors of its three (01, 79 and Thái Nguyên 19); each
# continues the catalogue, export style and trends of the pre-reform demo province it succeeds (its lineage).
# The other provinces of the 2025 era get a lineage too, for the national bench only (NATIONAL_YEAR below).
SUCCESSOR = {province: province_successors()[province] for province in cal.PROVINCES}
REFORM_PROVINCES = tuple(SUCCESSOR.values())
THAI_NGUYEN = SUCCESSOR[cal.BAC_KAN]
LINEAGE = {province: province for province in cal.PROVINCES} | {new: old for old, new in SUCCESSOR.items()}
# The provinces outside the demo that went into its provinces (Bình Dương 74 and Bà Rịa - Vũng Tàu 77 into
# TP.HCM, the former Thái Nguyên into Thái Nguyên): their districts are drawn like the demo province's.
DRAWN_LIKE = {
    old: LINEAGE[new]
    for old, new in province_successors().items()
    if new in REFORM_PROVINCES and old not in cal.PROVINCES
}
# Size of a drawn district against the demo province's (an assumption: Bà Rịa - Vũng Tàu's districts are
# smaller than TP.HCM's, the former Thái Nguyên's bigger than Bắc Kạn's); 1 where not listed.
DRAWN_SIZE_FACTOR = {"77": 0.8, THAI_NGUYEN: 2.2}
# Fewest dossiers a commune receives a year at scale 1, by the lineage of its province.
COMMUNE_FLOOR = {cal.HANOI: 3_000.0, cal.HCMC: 3_000.0, cal.BAC_KAN: 1_200.0}

# Departments: fields they resolve (with weights) and dossiers received in 2019 at scale 1 per province.
DEPARTMENT_FIELDS = {
    "STP": {"TUPHAP": 0.80, "HOTICH": 0.15, "CHUNGTHUC": 0.05},
    "SKHDT": {"KHDT": 1.0},
    "STNMT": {"DATDAI": 0.70, "TNMT": 0.30},
    "SXD": {"XAYDUNG": 1.0},
    "SLDTBXH": {"LDTBXH": 1.0},
}
DEPARTMENT_SIZE = {
    cal.HANOI: {"STP": 110_000, "SKHDT": 130_000, "STNMT": 45_000, "SXD": 18_000, "SLDTBXH": 40_000},
    cal.HCMC: {"STP": 120_000, "SKHDT": 160_000, "STNMT": 60_000, "SXD": 25_000, "SLDTBXH": 50_000},
    cal.BAC_KAN: {"STP": 6_000, "SKHDT": 4_000, "STNMT": 5_000, "SXD": 2_000},
}
# TP.HCM's Department of Industry and Trade (calibrated in 2023, calibration.py): a demo unit added after
# the others, with random streams of its own, so the other units' data do not change with it.
INDUSTRY_TRADE_FIELDS = {"CONGTHUONG": 1.0}
INDUSTRY_TRADE_SIZE = 86_500  # received in 2019 at scale 1: 91,700 in 2023 at TP.HCM's volume trend


@dataclass(frozen=True)
class Unit:
    code: str  # "021", "00004" or "01.STP"
    name: str
    province: str
    kind: str  # district | department | commune
    urban: bool
    size: float  # dossiers received in 2019 at scale 1 (a unit formed later: what its territory received)
    online: float  # online uptake factor
    on_time: float  # share of resolved dossiers on time in 2019
    rejection: float  # share of received dossiers rejected
    quality: float  # PAR and survey level, 0..1
    field_weights: tuple[tuple[int, float], ...]  # (field index, weight)
    first_day: dt.date = FIRST_DAY  # the first day it existed within the demo's time frame
    last_day: dt.date | None = None  # the last day it existed; None while it exists

    @property
    def id_code(self) -> str:
        return self.code.split(".", 1)[1] if "." in self.code else self.code

    @property
    def lineage(self) -> str:
        return LINEAGE[self.province]

    def exists_on(self, day: dt.date) -> bool:
        return self.first_day <= day and (self.last_day is None or day <= self.last_day)


@functools.cache
def reference_units() -> tuple[dict[str, str], ...]:
    with open(UNITS_FILE, encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@functools.cache
def pre_reform_units() -> dict[str, dict[str, str]]:
    """unit_code -> its first validity row starting before 1 July 2025."""
    units: dict[str, dict[str, str]] = {}
    for row in reference_units():
        if _date(row["valid_from"]) < REFORM_DAY:
            units.setdefault(row["unit_code"], row)
    return units


def provinces_on(day: dt.date) -> list[str]:
    """The codes of the provinces that existed on `day`, by code."""
    return sorted(
        {
            row["unit_code"]
            for row in reference_units()
            if row["level"] == "province"
            and _date(row["valid_from"]) <= day
            and (not row["valid_to"] or day <= _date(row["valid_to"]))
        }
    )


def pre_reform_districts(province: str) -> list[tuple[str, str]]:
    """(district code, name) of a province before the reform, by code."""
    units = pre_reform_units().values()
    return sorted(
        (u["unit_code"], u["name"]) for u in units if u["level"] == "district" and u["province_code"] == province
    )


def read_departments() -> list[dict[str, str]]:
    """The demo provinces' departments with a demo profile, in DEPARTMENT_SIZE's order (their first rows)."""
    units = pre_reform_units()
    return [units[f"{province}.{short}"] for province, sizes in DEPARTMENT_SIZE.items() for short in sizes]


def build_units(seed: int) -> list[Unit]:
    """Every demo unit of both eras with its profile, deterministic per seed: the pre-reform units first (in
    the order their random streams are numbered), then the units formed in 2025, then TP.HCM's Department
    of Industry and Trade before and from 1 July 2025."""
    units = pre_reform_demo_units(seed)
    units += merged_departments(units, DEPARTMENT_MERGER_DAY)
    communes = reform_communes(units, seed)
    units += reform_departments(units, communes, seed)
    return units + communes + industry_trade_units(units, communes, seed)


def industry_trade_units(units: list[Unit], communes: list[Unit], seed: int) -> list[Unit]:
    """TP.HCM's Department of Industry and Trade until 30 June 2025, and the one formed on 1 July 2025 (with
    the departments of Bình Dương and Bà Rịa - Vũng Tàu: bigger by TP.HCM's territory factor)."""
    rng = np.random.default_rng([seed, 13])
    row = pre_reform_units()[cal.HCMC_INDUSTRY_TRADE]
    weights = tuple((FIELD_INDEX[f], w) for f, w in INDUSTRY_TRADE_FIELDS.items())
    before = Unit(
        row["unit_code"], row["name"], cal.HCMC, "department", True, INDUSTRY_TRADE_SIZE * rng.uniform(0.95, 1.05),
        rng.uniform(1.1, 1.3), rng.uniform(0.965, 0.995), rng.uniform(0.005, 0.02), rng.uniform(0.8, 0.92), weights,
        last_day=_date(row["valid_to"]),
    )  # fmt: skip
    factor = territory_factors(units, communes)[SUCCESSOR[cal.HCMC]]
    formed = _units_formed_on(REFORM_DAY, "department", (SUCCESSOR[cal.HCMC],))
    after = [
        unit
        for r in formed
        if r["unit_code"] == cal.HCMC_INDUSTRY_TRADE
        and (unit := successor_department(r, {before.code: before}, factor)) is not None
    ]
    return [before, *after]


def pre_reform_demo_units(seed: int) -> list[Unit]:
    """Districts and departments of Hà Nội, TP.HCM and Bắc Kạn, as they were until 2025."""
    rng = np.random.default_rng([seed, 1])
    units = [
        replace(district_unit(code, name, province, rng), last_day=REFORM_DAY - dt.timedelta(days=1))
        for province in cal.PROVINCES
        for code, name in pre_reform_districts(province)
    ]
    for row in read_departments():
        province, short = row["province_code"], row["unit_code"].split(".", 1)[1]
        unit = department_unit(row["unit_code"], row["name"], province, short, rng)
        units.append(replace(unit, last_day=_date(row["valid_to"])))
    return units


def district_unit(code: str, name: str, province: str, rng: np.random.Generator) -> Unit:
    """A district's profile: urban districts are bigger and take up online service faster."""
    urban = name.startswith(("Quận", "Thành phố", "Thành Phố", "Thị xã"))
    if province == cal.BAC_KAN:
        size = rng.uniform(5_000, 20_000) * (1.6 if urban else 1.0)
        online = rng.uniform(0.5, 0.9)
    elif urban:
        size = rng.uniform(90_000, 220_000) if province == cal.HANOI else rng.uniform(110_000, 240_000)
        online = rng.uniform(1.05, 1.4)
    else:
        size = rng.uniform(35_000, 120_000) if province == cal.HANOI else rng.uniform(70_000, 150_000)
        online = rng.uniform(0.6, 1.0)
    on_time = rng.uniform(0.95, 0.993)
    rejection = rng.uniform(0.004, 0.03)
    quality = rng.uniform(0.78, 0.9)
    if code == cal.BAC_TU_LIEM:
        size, on_time, rejection = 358_000.0, 0.9987, 0.0125
    elif code == "769":  # Thủ Đức city: the former Quận 2, Quận 9 and Thủ Đức together
        size = 345_000.0
    elif code == cal.QUAN_1:
        size = 140_000.0
    elif code == cal.PHU_XUYEN:
        size, online = 55_000.0, 0.3
    district_fields = tuple((i, f.district_volume) for i, f in enumerate(FIELDS))
    return Unit(code, name, province, "district", urban, size, online, on_time, rejection, quality, district_fields)


def department_unit(code: str, name: str, province: str, short: str, rng: np.random.Generator) -> Unit:
    """A department's profile: the fields it resolves, its size in its province, its uptake."""
    weights = tuple((FIELD_INDEX[f], w) for f, w in DEPARTMENT_FIELDS[short].items())
    size = DEPARTMENT_SIZE[province][short] * rng.uniform(0.9, 1.1)
    online = {"SKHDT": 1.8, "STP": 1.2}.get(short, 1.0) * rng.uniform(0.9, 1.1)
    on_time = rng.uniform(0.93, 0.97) if short == "STNMT" else rng.uniform(0.965, 0.995)
    rejection = rng.uniform(0.005, 0.02)
    quality = rng.uniform(0.8, 0.92)
    return Unit(code, name, province, "department", True, size, online, on_time, rejection, quality, weights)


def _units_formed_on(day: dt.date, level: str, provinces: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of the units formed on `day` at `level` in `provinces`, one per unit (its first row), by code."""
    rows: dict[str, dict[str, str]] = {}
    for row in reference_units():
        if row["level"] == level and row["province_code"] in provinces and _date(row["formed_on"]) == day:
            rows.setdefault(row["unit_code"], row)
    return [rows[code] for code in sorted(rows)]


def _units_valid_on(day: dt.date, level: str, provinces: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of the units valid on `day` at `level` in `provinces` (the row in force that day), by code."""
    rows = {
        row["unit_code"]: row
        for row in reference_units()
        if row["level"] == level
        and row["province_code"] in provinces
        and _date(row["valid_from"]) <= day
        and (not row["valid_to"] or day <= _date(row["valid_to"]))
    }
    return [rows[code] for code in sorted(rows)]


@functools.cache
def _ends() -> dict[tuple[str, str], list[dt.date | None]]:
    ends: dict[tuple[str, str], list[dt.date | None]] = defaultdict(list)
    for row in reference_units():
        ends[(row["unit_code"], row["formed_on"])].append(_date(row["valid_to"]))
    return ends


def _last_day(code: str, formed_on: str) -> dt.date | None:
    """The last day of a unit in time (code × formed_on): None while one of its rows is open."""
    ends = _ends()[(code, formed_on)]
    return None if None in ends else max(ends)


def _predecessors(code: str, effective: dt.date) -> list[tuple[str, float]]:
    """(old code, weight) of the units the crosswalk says went into `code` on `effective`, weight > 0."""
    day = effective.isoformat()
    return [
        (r["old_code"], float(r["weight"]))
        for r in crosswalk()
        if r["new_code"] == code and r["effective"] == day and float(r["weight"]) > 0
    ]


def successor_department(row: dict[str, str], demo: dict[str, Unit], factor: float) -> Unit | None:
    """A department formed by a merger, with the profile of its demo predecessors (None without any): their
    sizes added (times the territory factor of a merged province), the rest from the biggest."""
    day = _date(row["formed_on"])
    parts = [(demo[old], weight) for old, weight in _predecessors(row["unit_code"], day) if old in demo]
    if not parts:
        return None
    main = max(parts, key=lambda part: part[0].size * part[1])[0]
    size = factor * sum(unit.size * weight for unit, weight in parts)
    return replace(main, code=row["unit_code"], name=row["name"], province=row["province_code"], size=size,
                   first_day=day, last_day=_last_day(row["unit_code"], row["formed_on"]))  # fmt: skip


def merged_departments(units: list[Unit], day: dt.date) -> list[Unit]:
    """The departments formed on 1 March 2025 out of the demo's departments (same province, same size)."""
    demo = {u.code: u for u in units if u.kind == "department" and u.last_day is not None and u.last_day < day}
    formed = _units_formed_on(day, "department", cal.PROVINCES)
    return [unit for row in formed if (unit := successor_department(row, demo, 1.0)) is not None]


def reform_departments(units: list[Unit], communes: list[Unit], seed: int) -> list[Unit]:
    """The departments of the demo provinces from 1 July 2025: TP.HCM's and Thái Nguyên's are new units that
    also serve the territory merged into them, so they are bigger by the territory factor."""
    factor = territory_factors(units, communes)
    demo = {u.code: u for u in units if u.kind == "department" and u.last_day == REFORM_DAY - dt.timedelta(days=1)}
    formed = _units_formed_on(REFORM_DAY, "department", REFORM_PROVINCES)
    return [
        unit for row in formed if (unit := successor_department(row, demo, factor[row["province_code"]])) is not None
    ]


def territory_factors(units: list[Unit], communes: list[Unit]) -> dict[str, float]:
    """Per province from 1 July 2025: what all its communes receive over what those made of the demo's
    districts receive (1 for Hà Nội, more for the provinces that took in others)."""
    demo_districts = {u.code: u for u in units if u.kind == "district"}
    covered: dict[str, float] = defaultdict(float)
    for row in crosswalk():
        if row["old_level"] == "district" and row["new_level"] == "commune" and row["old_code"] in demo_districts:
            covered[row["new_code"]] += demo_districts[row["old_code"]].size * float(row["weight"])
    total: dict[str, float] = defaultdict(float)
    demo_part: dict[str, float] = defaultdict(float)
    for commune in communes:
        total[commune.province] += commune.size
        demo_part[commune.province] += covered.get(commune.code, 0.0)
    return {province: total[province] / demo_part[province] for province in total}


def reform_communes(units: list[Unit], seed: int) -> list[Unit]:
    """The communes of Hà Nội, TP.HCM and Thái Nguyên from 1 July 2025, each made of parts of districts (the
    few that kept their territory too: the demo counts their dossiers under their district before then)."""
    districts = {u.code: u for u in units if u.kind == "district"} | drawn_districts(seed)
    parts: dict[str, list[tuple[Unit, float]]] = defaultdict(list)
    for row in crosswalk():
        if row["old_level"] == "district" and row["new_level"] == "commune" and row["old_code"] in districts:
            parts[row["new_code"]].append((districts[row["old_code"]], float(row["weight"])))
    rng = np.random.default_rng([seed, 12])
    return [
        commune_unit(row, parts[row["unit_code"]], rng)
        for row in _units_valid_on(REFORM_DAY, "commune", REFORM_PROVINCES)
    ]


def drawn_districts(seed: int) -> dict[str, Unit]:
    """Profiles for the districts of the provinces merged into the demo's (no demo data before the reform)."""
    rng = np.random.default_rng([seed, 11])
    rows = [u for u in pre_reform_units().values() if u["level"] == "district" and u["province_code"] in DRAWN_LIKE]
    out = {}
    for row in sorted(rows, key=lambda r: r["unit_code"]):
        province = row["province_code"]
        unit = district_unit(row["unit_code"], row["name"], DRAWN_LIKE[province], rng)
        out[unit.code] = replace(unit, province=province, size=unit.size * DRAWN_SIZE_FACTOR.get(province, 1.0))
    return out


def commune_unit(row: dict[str, str], parts: list[tuple[Unit, float]], rng: np.random.Generator) -> Unit:
    """A commune's profile: its districts' sizes times their weights (never below a floor), their rates
    averaged by what each contributes, its quality a little around theirs."""
    province = row["province_code"]
    shares = np.array([unit.size * weight for unit, weight in parts])
    mix = shares / shares.sum() if shares.sum() > 0 else np.full(len(parts), 1 / len(parts))

    def mean(attribute: str) -> float:
        return float(sum(m * getattr(unit, attribute) for m, (unit, _) in zip(mix, parts, strict=True)))

    quality = float(np.clip(mean("quality") + rng.normal(0.0, 0.02), 0.74, 0.93))
    return Unit(
        code=row["unit_code"], name=row["name"], province=province, kind="commune",
        urban=row["name"].startswith(("Phường", "Đặc khu")),
        size=max(COMMUNE_FLOOR[LINEAGE[province]], float(shares.sum())),
        online=mean("online"), on_time=mean("on_time"), rejection=mean("rejection"), quality=quality,
        field_weights=parts[0][0].field_weights, first_day=REFORM_DAY,
        last_day=_last_day(row["unit_code"], row["formed_on"]),
    )  # fmt: skip


# ------------------------------------------------------------------------------------------------
# The national bench (bench/run.py --scale national): every unit valid on the first day of a year
# ------------------------------------------------------------------------------------------------
NATIONAL_YEAR = 2026  # the first whole year after the reform of 1 July 2025
# The other provinces of the 2025 era (the national bench's only): each borrows a demo province's
# catalogue, export style and volume trend, in turn by code, so all three export styles are read.
LINEAGE.update(
    {
        province: cal.PROVINCES[i % len(cal.PROVINCES)]
        for i, province in enumerate(p for p in provinces_on(REFORM_DAY) if p not in LINEAGE)
    }
)
# The fields of the departments of the 2025 era (after Decree 45/2025/NĐ-CP's mergers), by short code. The
# Department of Science and Technology, the inspectorate and the People's Committee office resolve no
# field of the demo's vocabulary: they receive no dossiers in the national bench.
NATIONAL_DEPARTMENT_FIELDS = {
    "STP": {"TUPHAP": 0.80, "HOTICH": 0.15, "CHUNGTHUC": 0.05},
    "STC": {"KHDT": 1.0},
    "SNNMT": {"DATDAI": 0.70, "TNMT": 0.30},
    "SXD": {"XAYDUNG": 0.7, "GTVT": 0.3},
    "SNV": {"NOIVU": 0.4, "LDTBXH": 0.6},
    "SCT": {"CONGTHUONG": 1.0},
    "SGDDT": {"GDDT": 1.0},
    "SYT": {"YTE": 1.0},
    "SVHTTDL": {"VHTTDL": 1.0},
}


def national_units(year: int, seed: int) -> list[Unit]:
    """Every commune valid on 1 January of `year` (3,321 in 2026) and every department of a field in
    NATIONAL_DEPARTMENT_FIELDS, all 34 provinces, with drawn profiles (wards and special zones bigger
    and faster online, like urban districts), existing from that day: communes first, by code, then the
    departments. Relative sizes only: the bench scales the total to the dossiers it asks for."""
    day = dt.date(year, 1, 1)
    provinces = tuple(provinces_on(day))
    rng = np.random.default_rng([seed, 14, year])
    district_fields = tuple((i, f.district_volume) for i, f in enumerate(FIELDS))
    units = []
    for row in _units_valid_on(day, "commune", provinces):
        urban = row["name"].startswith(("Phường", "Đặc khu"))
        size = rng.lognormal(np.log(40_000.0 if urban else 15_000.0), 0.5)
        online = rng.uniform(1.0, 1.4) if urban else rng.uniform(0.6, 1.0)
        units.append(
            Unit(row["unit_code"], row["name"], row["province_code"], "commune", urban, size, online,
                 rng.uniform(0.95, 0.993), rng.uniform(0.004, 0.03), rng.uniform(0.78, 0.9), district_fields,
                 first_day=day, last_day=_last_day(row["unit_code"], row["formed_on"]))
        )  # fmt: skip
    for row in _units_valid_on(day, "department", provinces):
        fields = NATIONAL_DEPARTMENT_FIELDS.get(row["unit_code"].split(".", 1)[1])
        if fields is None:
            continue
        weights = tuple((FIELD_INDEX[f], w) for f, w in fields.items())
        units.append(
            Unit(row["unit_code"], row["name"], row["province_code"], "department", True,
                 rng.uniform(20_000, 120_000), rng.uniform(0.9, 1.5), rng.uniform(0.95, 0.995),
                 rng.uniform(0.005, 0.02), rng.uniform(0.8, 0.92), weights,
                 first_day=day, last_day=_last_day(row["unit_code"], row["formed_on"]))
        )  # fmt: skip
    return units
