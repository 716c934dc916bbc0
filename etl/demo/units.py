"""The demo's units and their profiles: Hà Nội's 30 districts, TP.HCM's 22 units of the pre-2025 GSO list,
Bắc Kạn's 8 districts, and 4–5 departments per province (their pre-2025 rows in data/reference/units/units.csv).

Thủ Đức city (769) stands for the former Quận 2, 9 and Thủ Đức over the whole period: the GSO list no
longer has their codes. A profile says how big a unit is, how fast its online uptake grows, how often it
is on time and rejects dossiers, and its PAR and survey level; the calibrated units get the profile their
published facts need.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass

import numpy as np

from etl.demo import calibration as cal
from etl.demo.vocabulary import FIELD_INDEX, FIELDS
from queries.paths import REFERENCE_DIR

UNITS_FILE = REFERENCE_DIR / "units" / "units.csv"

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


@dataclass(frozen=True)
class Unit:
    code: str  # "021" or "01.STP"
    name: str
    province: str
    kind: str  # district | department
    urban: bool
    size: float  # dossiers received in 2019 at scale 1
    online: float  # online uptake factor
    on_time: float  # share of resolved dossiers on time in 2019
    rejection: float  # share of received dossiers rejected
    quality: float  # PAR and survey level, 0..1
    field_weights: tuple[tuple[int, float], ...]  # (field index, weight)

    @property
    def id_code(self) -> str:
        return self.code.split(".", 1)[1] if "." in self.code else self.code


@functools.cache
def _pre_reform_units() -> dict[str, dict[str, str]]:
    """unit_code -> its row of data/reference/units/units.csv in force before 1 July 2025 (first validity row)."""
    units: dict[str, dict[str, str]] = {}
    with open(UNITS_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["valid_from"] < "2025-07-01":
                units.setdefault(row["unit_code"], row)
    return units


def gso_districts(province: str) -> list[tuple[str, str]]:
    """(district code, name) of a province from the pre-2025 NSO list (data/reference/units/units.csv)."""
    units = _pre_reform_units().values()
    return sorted(
        (u["unit_code"], u["name"]) for u in units if u["level"] == "district" and u["province_code"] == province
    )


def read_departments() -> list[dict[str, str]]:
    """The demo provinces' departments with a demo profile, in DEPARTMENT_SIZE's order (their pre-2025 rows)."""
    units = _pre_reform_units()
    return [units[f"{province}.{short}"] for province, sizes in DEPARTMENT_SIZE.items() for short in sizes]


def build_units(seed: int) -> list[Unit]:
    """Every demo unit with its profile (sizes, uptake, quality), deterministic per seed."""
    rng = np.random.default_rng([seed, 1])
    units = [
        district_unit(code, name, province, rng) for province in cal.PROVINCES for code, name in gso_districts(province)
    ]
    for row in read_departments():
        province, short = row["province_code"], row["unit_code"].split(".", 1)[1]
        if short not in DEPARTMENT_SIZE.get(province, {}):
            continue  # departments added to the mapping for real data have no demo profile
        units.append(department_unit(row["unit_code"], row["name"], province, short, rng))
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
