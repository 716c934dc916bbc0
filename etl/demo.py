"""Calibrated demo data, written the way one-stop-shop systems export it.

`generate(out_dir, scale, seed)` writes export-shaped files (Vietnamese headers, dd/mm/yyyy dates,
Vietnamese status labels, channel 1/2/3, booleans as Có/Không, 1/0 or x/blank, fake applicant names and
phone numbers the loader must drop) and returns them per load kind, in load order. `python -m etl demo`
then loads every file through the normal readers and validation, exactly like a real export.

What the data holds (every file name starts with "demo-"; every row is demo data):
- Units: Hà Nội's 30 districts, TP.HCM's 22 units of the pre-2025 GSO list (Thủ Đức city, 769, stands
  for the former Quận 2, 9 and Thủ Đức over the whole period: the GSO list no longer has their codes),
  Bắc Kạn's 8 districts, and 4–5 departments per province (data/reference/units/units.csv),
  2019–2024.
- procedures: each province's catalogue (one file per province). Catalogue counts are NOT scaled: the
  catalogue is small and is the same at every scale (Hà Nội: 1,843 active in 2022, 1,886 in 2023,
  1,685 of the 2022 ones eligible for full online service).
- dossiers: one CSV per province and year (received year), ~46 M rows at scale 1, every count scaled.
- feedback: citizen petitions (PAKN), a few hundred per unit and year at scale 1, scaled.
- survey: SIPAS-style microdata, one row per respondent × question, weights with mean 1. EXCEPTION to
  the scaling rule: never fewer than `SURVEY_FLOOR` (40) respondents per unit and year, because survey
  estimates from fewer than 30 respondents are not shown at all.
- par: PAR Index scores per unit, year and criterion on Hà Nội's 7-area district framework (and the same
  split for departments), from data/reference/par/frameworks.csv. A few rows carry appraised + survey
  points above the criterion's maximum (the query caps them).
- targets: the seeds' plan targets for 2019–2024 (one small XLSX file).

Calibration (etl/demo_calibration.py holds the facts and the scaling arithmetic): at `scale=1` the
published counts are exact; at smaller scales every count shrinks by the scale and every stated rate
stays exact to its stated precision. About 0.05 % extra rows per dossier file are deliberately bad
(date order, unknown unit, unreadable date, unknown status, ...) so the data-quality page has content;
they never touch the calibrated units, and their ids never collide with good rows (the one exception:
rows meant to be quarantined as duplicate ids repeat an id of the same file, after it).

Generation is vectorised (numpy, polars), one unit-year at a time, so memory stays small at any scale,
and deterministic: every unit-year draws from its own `numpy.random.default_rng([seed, ...])` stream.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from etl import demo_calibration as cal
from etl.demo_calibration import DEFAULT_SCALE, DEFAULT_SEED, LAST_YEAR, SURVEY_FLOOR, YEARS, half_up, scaled
from etl.demo_vocab import (
    COMPANY_KINDS,
    COMPANY_NAMES,
    COMPANY_WORDS,
    FAMILY_NAMES,
    FAMILY_WEIGHTS,
    FIELD_INDEX,
    FIELDS,
    GIVEN_NAMES,
    MIDDLE_NAMES,
    QUALIFIERS,
    REJECTION_REASONS,
    instrument_for,
)
from queries.paths import REFERENCE_DIR

__all__ = ["DEFAULT_SCALE", "DEFAULT_SEED", "generate"]

LOAD_ORDER = ("procedures", "dossiers", "feedback", "survey", "par", "targets")
UNITS_FILE = REFERENCE_DIR / "units" / "units.csv"
FRAMEWORKS_FILE = REFERENCE_DIR / "par" / "frameworks.csv"
BAD_ROW_SHARE = 0.0005  # extra, deliberately bad rows per dossier file

# Status codes used inside the generator (labels per export style below).
RECEIVED, PROCESSING, SUPPLEMENT, RESOLVED, REJECTED, WITHDRAWN = range(6)
STATUS_NAMES = ("received", "processing", "supplement", "resolved", "rejected", "withdrawn")
DIRECT, ONLINE, POSTAL = range(3)
PROVINCE_LEVEL, DISTRICT_LEVEL, COMMUNE_LEVEL = range(3)

# ---------------------------------------------------------------------------------------------
# Year-level assumptions (shares by year 2019..2024). Plausible, not published.
# ---------------------------------------------------------------------------------------------
Y = {year: i for i, year in enumerate(YEARS)}
ONLINE_SHARE = (0.08, 0.14, 0.23, 0.34, 0.45, 0.53)
PAID_ONLINE = (0.04, 0.10, 0.22, 0.48, 0.70, 0.84)
DIGITISED = (0.06, 0.12, 0.28, 0.58, 0.82, 0.93)
RESULT_ELECTRONIC = (0.03, 0.06, 0.16, 0.46, 0.72, 0.86)
DATA_REUSED = (0.0, 0.01, 0.05, 0.20, 0.40, 0.55)
DIGITISED_SHARED = (0.0, 0.02, 0.10, 0.32, 0.60, 0.80)
CITIZEN_DATA = (0.0, 0.0, 0.0, 0.15, 0.40, 0.62)
SYNCED_ON_TIME = (0.82, 0.86, 0.90, 0.95, 0.97, 0.99)
RATED = (0.05, 0.10, 0.20, 0.35, 0.50, 0.60)
WAIT_MEDIAN = (16.0, 15.0, 13.0, 11.0, 10.0, 9.0)
VOLUME = {  # dossiers received relative to 2019 (COVID years lower)
    cal.HANOI: (1.0, 0.94, 0.86, 1.04, 1.08, 1.12),
    cal.HCMC: (1.0, 0.93, 0.78, 1.02, 1.06, 1.10),
    cal.BAC_KAN: (1.0, 0.96, 0.92, 1.03, 1.06, 1.09),
}
CATALOGUE_ACTIVE = {  # procedures active at the end of each year (never scaled)
    cal.HANOI: cal.HANOI_CATALOGUE_ACTIVE,
    cal.HCMC: {2018: 1_695, 2019: 1_712, 2020: 1_726, 2021: 1_741, 2022: 1_768, 2023: 1_801, 2024: 1_822},
    cal.BAC_KAN: {2018: 1_540, 2019: 1_551, 2020: 1_563, 2021: 1_577, 2022: 1_596, 2023: 1_618, 2024: 1_633},
}
ELIGIBLE_SHARE = {cal.HANOI: 0.91, cal.HCMC: 0.89, cal.BAC_KAN: 0.80}
POOL_SIZE = 2_700  # national procedure codes the provinces' catalogues draw from

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

# Vietnamese public holidays (approximate: New Year, Tết, Hùng Kings, 30/4, 1/5, National Day).
HOLIDAYS = np.array(
    [
        "2019-01-01", *np.arange("2019-02-02", "2019-02-11", dtype="datetime64[D]").astype(str),
        "2019-04-15", "2019-04-29", "2019-04-30", "2019-05-01", "2019-09-02",
        "2020-01-01", *np.arange("2020-01-23", "2020-01-30", dtype="datetime64[D]").astype(str),
        "2020-04-02", "2020-04-30", "2020-05-01", "2020-09-02",
        "2021-01-01", *np.arange("2021-02-10", "2021-02-17", dtype="datetime64[D]").astype(str),
        "2021-04-21", "2021-04-30", "2021-05-01", "2021-09-02", "2021-09-03",
        "2022-01-03", *np.arange("2022-01-29", "2022-02-07", dtype="datetime64[D]").astype(str),
        "2022-04-11", "2022-05-02", "2022-05-03", "2022-09-01", "2022-09-02",
        "2023-01-02", *np.arange("2023-01-20", "2023-01-27", dtype="datetime64[D]").astype(str),
        "2023-04-29", "2023-05-01", "2023-05-02", "2023-05-03", "2023-09-01", "2023-09-04",
        "2024-01-01", *np.arange("2024-02-08", "2024-02-15", dtype="datetime64[D]").astype(str),
        "2024-04-18", "2024-04-29", "2024-04-30", "2024-05-01", "2024-09-02", "2024-09-03",
        "2025-01-01", *np.arange("2025-01-25", "2025-02-03", dtype="datetime64[D]").astype(str),
    ],
    dtype="datetime64[D]",
)  # fmt: skip
TET = {2019: "2019-02-05", 2020: "2020-01-25", 2021: "2021-02-12", 2022: "2022-02-01", 2023: "2023-01-22",
       2024: "2024-02-10"}  # fmt: skip
SLOWDOWNS = {  # (province or None for all, first day, last day, volume factor): COVID-19 restrictions
    2020: ((None, "2020-04-01", "2020-04-22", 0.35),),
    2021: ((cal.HANOI, "2021-07-24", "2021-09-21", 0.45), (cal.HCMC, "2021-05-31", "2021-06-14", 0.7),
           (cal.HCMC, "2021-07-09", "2021-09-30", 0.25)),
}  # fmt: skip
BUSDAYS = np.busdaycalendar(weekmask="1111100", holidays=HOLIDAYS)


# ---------------------------------------------------------------------------------------------
# Export styles: each province's one-stop system names and encodes things its own way.
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Style:
    headers: dict[str, str]  # canonical column (or pii_name / pii_phone) -> export header
    yes: str
    no: str
    flag_yes: str  # booleans of the digitisation flags (Bắc Kạn: x / blank)
    flag_no: str | None
    status: tuple[str, ...]  # labels by status code
    channel: tuple[str, str, str]
    online_level: tuple[str | None, str, str]  # none, partial, full
    applicant: tuple[str, str]  # citizen, organisation
    timestamp: str  # strftime format
    feedback_headers: dict[str, str]
    topic: tuple[str, str]  # procedure, official


HANOI_STYLE = Style(
    headers={
        "dossier_id": "Mã hồ sơ", "procedure_code": "Mã TTHC", "field_code": "Lĩnh vực", "unit_code": "Mã đơn vị",
        "pii_name": "Chủ hồ sơ", "pii_phone": "Số điện thoại", "received_at": "Ngày tiếp nhận",
        "due_at": "Ngày hẹn trả", "resolved_at": "Ngày kết thúc xử lý", "returned_at": "Ngày trả",
        "status": "Trạng thái", "channel": "Kênh thực hiện", "online_level": "Mức độ DVC",
        "has_fee": "Có phí, lệ phí", "paid_online": "Được thanh toán trực tuyến",
        "dossier_digitised": "Hồ sơ có thành phần số hóa", "result_electronic": "Kết quả điện tử",
        "data_reused": "Tái sử dụng dữ liệu", "digitised_shared": "Chia sẻ kho dữ liệu cá nhân",
        "citizen_data_used": "Sử dụng dữ liệu dân cư", "synced_on_time": "Đồng bộ đúng hạn",
        "rated_satisfied": "Đánh giá hài lòng", "applicant_type": "Đối tượng",
        "wait_minutes": "Thời gian chờ (phút)", "rejected_reason": "Lý do từ chối",
    },
    yes="Có", no="Không", flag_yes="Có", flag_no="Không",
    status=("Mới tiếp nhận", "Đang giải quyết", "Chờ bổ sung", "Đã giải quyết", "Từ chối", "Rút hồ sơ"),
    channel=("1", "2", "3"),
    online_level=(None, "Một phần", "Toàn trình"),
    applicant=("Công dân", "Tổ chức"),
    timestamp="%d/%m/%Y %H:%M:%S",
    feedback_headers={
        "feedback_id": "Mã PAKN", "unit_code": "Mã đơn vị", "pii_name": "Họ và tên", "pii_phone": "Điện thoại",
        "topic": "Loại PAKN", "received_at": "Ngày tiếp nhận", "due_at": "Hạn xử lý",
        "resolved_at": "Ngày trả lời", "satisfied": "Đánh giá hài lòng",
    },
    topic=("Thủ tục hành chính", "Hành vi cán bộ, công chức"),
)  # fmt: skip

HCMC_STYLE = Style(
    headers={
        "dossier_id": "MaHoSo", "procedure_code": "MaTTHC", "field_code": "MaLinhVuc", "unit_code": "MaDonVi",
        "pii_name": "ChuHoSo", "pii_phone": "SoDienThoai", "received_at": "NgayTiepNhan",
        "due_at": "NgayHenTra", "resolved_at": "NgayKetThucXuLy", "returned_at": "NgayTra",
        "status": "TrangThaiHoSo", "channel": "KenhThucHien", "online_level": "MucDo", "has_fee": "CoPhi",
        "paid_online": "DuocThanhToanTrucTuyen", "dossier_digitised": "HoSoCoThanhPhanSoHoa",
        "result_electronic": "KetQuaDienTu", "data_reused": "Khai thác dữ liệu số hóa",
        "digitised_shared": "Đồng bộ kho dữ liệu", "citizen_data_used": "Khai thác CSDL dân cư",
        "synced_on_time": "Đồng bộ DVCQG", "rated_satisfied": "Hài lòng", "applicant_type": "Loại đối tượng",
        "wait_minutes": "Thời gian chờ", "rejected_reason": "Lý do",
    },
    yes="1", no="0", flag_yes="1", flag_no="0",
    status=("Đã tiếp nhận", "Đang xử lý", "Yêu cầu bổ sung", "Hoàn thành", "Không giải quyết", "Công dân rút hồ sơ"),
    channel=("1", "2", "3"),
    online_level=("Mức độ 2", "Mức độ 3", "Mức độ 4"),
    applicant=("Cá nhân", "Doanh nghiệp"),
    timestamp="%d/%m/%Y %H:%M:%S",
    feedback_headers={
        "feedback_id": "Số PAKN", "unit_code": "Đơn vị", "pii_name": "HoTen", "pii_phone": "Email",
        "topic": "Chủ đề", "received_at": "Ngày nhận", "due_at": "Hạn xử lý",
        "resolved_at": "Ngày kết thúc xử lý", "satisfied": "Hài lòng",
    },
    topic=("TTHC", "Cán bộ"),
)  # fmt: skip

BAC_KAN_STYLE = Style(
    headers={
        "dossier_id": "Số hồ sơ", "procedure_code": "Mã thủ tục", "field_code": "Mã lĩnh vực",
        "unit_code": "Đơn vị tiếp nhận", "pii_name": "Họ tên", "pii_phone": "Điện thoại",
        "received_at": "Ngày tiếp nhận", "due_at": "Ngày hẹn trả kết quả", "resolved_at": "Ngày có kết quả",
        "returned_at": "Ngày trả kết quả", "status": "Tình trạng", "channel": "Hình thức nộp",
        "online_level": "Mức độ", "has_fee": "Có phí", "paid_online": "Thanh toán trực tuyến",
        "dossier_digitised": "Số hóa hồ sơ", "result_electronic": "Số hóa kết quả",
        "data_reused": "Tái sử dụng dữ liệu", "digitised_shared": "Đồng bộ kho dữ liệu",
        "citizen_data_used": "Sử dụng dữ liệu dân cư", "synced_on_time": "Đồng bộ đúng hạn",
        "rated_satisfied": "Hài lòng", "applicant_type": "Đối tượng", "wait_minutes": "Thời gian chờ (phút)",
        "rejected_reason": "Lý do từ chối",
    },
    yes="Có", no="Không", flag_yes="x", flag_no=None,
    status=("Tiếp nhận", "Đang xử lý", "Chờ bổ sung", "Đã có kết quả", "Từ chối", "Rút hồ sơ"),
    channel=("Trực tiếp", "Trực tuyến", "Bưu chính công ích"),
    online_level=(None, "3", "4"),
    applicant=("Cá nhân", "Tổ chức"),
    timestamp="%d/%m/%Y %H:%M",
    feedback_headers={
        "feedback_id": "Mã phản ánh", "unit_code": "Mã đơn vị", "pii_name": "Họ tên", "pii_phone": "Số điện thoại",
        "topic": "Nội dung", "received_at": "Ngày tiếp nhận", "due_at": "Hạn xử lý",
        "resolved_at": "Ngày xử lý xong", "satisfied": "Hài lòng",
    },
    topic=("Quy định hành chính", "Công chức"),
)  # fmt: skip

STYLES = {cal.HANOI: HANOI_STYLE, cal.HCMC: HCMC_STYLE, cal.BAC_KAN: BAC_KAN_STYLE}
AUTHORITY_LABELS = ("Cấp tỉnh", "Cấp huyện", "Cấp xã")


# ---------------------------------------------------------------------------------------------
# Units and their profiles
# ---------------------------------------------------------------------------------------------
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
    units: list[Unit] = []
    district_fields = tuple((i, f.district_volume) for i, f in enumerate(FIELDS))
    for province in cal.PROVINCES:
        for code, name in gso_districts(province):
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
            units.append(
                Unit(code, name, province, "district", urban, size, online, on_time, rejection, quality,
                     district_fields)
            )  # fmt: skip
    for row in read_departments():
        province, short = row["province_code"], row["unit_code"].split(".", 1)[1]
        if short not in DEPARTMENT_SIZE.get(province, {}):
            continue  # departments added to the mapping for real data have no demo profile
        weights = tuple((FIELD_INDEX[f], w) for f, w in DEPARTMENT_FIELDS[short].items())
        size = DEPARTMENT_SIZE[province][short] * rng.uniform(0.9, 1.1)
        online = {"SKHDT": 1.8, "STP": 1.2}.get(short, 1.0) * rng.uniform(0.9, 1.1)
        on_time = rng.uniform(0.93, 0.97) if short == "STNMT" else rng.uniform(0.965, 0.995)
        units.append(
            Unit(row["unit_code"], row["name"], province, "department", True, size, online, on_time,
                 rng.uniform(0.005, 0.02), rng.uniform(0.8, 0.92), weights)
        )  # fmt: skip
    return units


# ---------------------------------------------------------------------------------------------
# Procedure catalogues
# ---------------------------------------------------------------------------------------------
@dataclass
class Catalogue:
    """One province's published catalogue, as arrays (one element per procedure)."""

    province: str
    code: np.ndarray  # object
    name: np.ndarray  # object
    field: np.ndarray  # int, index into FIELDS
    authority: np.ndarray  # int: PROVINCE_LEVEL, DISTRICT_LEVEL, COMMUNE_LEVEL
    legal_days: np.ndarray  # float
    has_fee: np.ndarray  # bool
    eligible: np.ndarray  # bool: full online eligible
    popularity: np.ndarray  # float
    published: np.ndarray  # datetime64[D]
    abolished: np.ndarray  # datetime64[D], NaT when current
    published_on_time: np.ndarray
    public_updated_on_time: np.ndarray
    public_content_full: np.ndarray
    citizen_data_connected: np.ndarray

    def active_at(self, day: str) -> np.ndarray:
        d = np.datetime64(day)
        return (self.published <= d) & (np.isnat(self.abolished) | (self.abolished > d))

    def usable_in(self, year: int) -> np.ndarray:
        """Procedures in force for the whole year: dossiers of that year draw from these."""
        start, end = np.datetime64(f"{year}-01-01"), np.datetime64(f"{year}-12-31")
        return (self.published < start) & (np.isnat(self.abolished) | (self.abolished > end))


@dataclass
class Pool:
    code: np.ndarray
    name: np.ndarray
    field: np.ndarray
    authority: np.ndarray
    legal_days: np.ndarray
    has_fee: np.ndarray
    popularity: np.ndarray
    online_factor: np.ndarray


def build_pool(seed: int) -> Pool:
    """The national procedure codes (1.004227 style) with their national attributes."""
    rng = np.random.default_rng([seed, 2])
    shares = np.array([f.catalogue_share for f in FIELDS])
    field = rng.choice(len(FIELDS), size=POOL_SIZE, p=shares / shares.sum())
    authority = np.empty(POOL_SIZE, dtype=np.int64)
    legal_days = np.empty(POOL_SIZE)
    has_fee = np.empty(POOL_SIZE, dtype=bool)
    names = np.empty(POOL_SIZE, dtype=object)
    for i, f in enumerate(FIELDS):
        rows = np.flatnonzero(field == i)
        authority[rows] = rng.choice(3, size=rows.size, p=np.array(f.authority) / sum(f.authority))
        legal_days[rows] = rng.choice(np.array(f.legal_days, dtype=float), size=rows.size)
        has_fee[rows] = rng.random(rows.size) < f.fee_share
        combos = [b + q for q in QUALIFIERS for b in f.procedures]
        order = rng.permutation(len(combos))
        names[rows] = [combos[order[k % len(combos)]] for k in range(rows.size)]
    numbers = rng.choice(np.arange(1_000, 14_000), size=POOL_SIZE, replace=False)
    prefixes = rng.choice(np.array([1, 2, 3]), size=POOL_SIZE, p=[0.7, 0.25, 0.05])
    codes = np.array([f"{p}.{n:06d}" for p, n in zip(prefixes, numbers, strict=True)], dtype=object)
    popularity = np.empty(POOL_SIZE)
    for i in range(len(FIELDS)):
        for level in range(3):
            rows = np.flatnonzero((field == i) & (authority == level))
            ranks = rng.permutation(rows.size) + 1
            popularity[rows] = 1.0 / ranks**1.2
    online_factor = np.array([FIELDS[i].online_factor for i in field])
    return Pool(codes, names, field, authority, legal_days, has_fee, popularity, online_factor)


def _random_days(rng: np.random.Generator, first: str, last: str, size: int) -> np.ndarray:
    start, end = np.datetime64(first), np.datetime64(last)
    return start + rng.integers(0, int((end - start).astype(int)) + 1, size=size).astype("timedelta64[D]")


def _exact_pick(rng: np.random.Generator, candidates: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """k of `candidates` without replacement, with probability growing with weight (exponential keys)."""
    if k <= 0 or candidates.size == 0:
        return candidates[:0]
    if k >= candidates.size:
        return candidates
    keys = rng.exponential(size=candidates.size) / np.maximum(weights, 1e-12)
    return candidates[np.argpartition(keys, k - 1)[:k]]


def build_catalogue(province: str, pool: Pool, seed: int) -> Catalogue:
    """A province's catalogue with publication and abolition dates that give the stated yearly counts."""
    rng = np.random.default_rng([seed, 3, int(province)])
    active_target = CATALOGUE_ACTIVE[province]
    order = rng.permutation(POOL_SIZE)
    base_n = active_target[2018]
    pre_abolished_n = 40
    chosen = list(order[: base_n + pre_abolished_n])
    next_free = base_n + pre_abolished_n
    published = {int(i): d for i, d in zip(chosen[:base_n], _random_days(rng, "2015-01-01", "2018-12-31", base_n),
                                              strict=True)}  # fmt: skip
    abolished: dict[int, np.datetime64] = {}
    for i, (p, a) in enumerate(
        zip(
            _random_days(rng, "2014-01-01", "2016-06-30", pre_abolished_n),
            _random_days(rng, "2017-01-01", "2018-12-31", pre_abolished_n),
            strict=True,
        )
    ):
        published[int(chosen[base_n + i])] = p
        abolished[int(chosen[base_n + i])] = a
    active = [int(i) for i in chosen[:base_n]]
    for year in YEARS:
        n_abolish = int(rng.integers(20, 36))
        start = np.datetime64(f"{year}-01-01")
        candidates = np.array([i for i in active if published[i] < start])
        gone = _exact_pick(rng, candidates, 1.0 / (pool.popularity[candidates] + 0.05), n_abolish)
        for i, day in zip(gone, _random_days(rng, f"{year}-01-01", f"{year}-12-31", gone.size), strict=True):
            abolished[int(i)] = day
        gone_set = {int(i) for i in gone}
        active = [i for i in active if i not in gone_set]
        n_add = active_target[year] - active_target[year - 1] + gone.size
        added = [int(i) for i in order[next_free : next_free + n_add]]
        next_free += n_add
        for i, day in zip(added, _random_days(rng, f"{year}-01-01", f"{year}-12-31", n_add), strict=True):
            published[i] = day
        active.extend(added)
    idx = np.array(sorted(published), dtype=np.int64)
    pub = np.array([published[i] for i in idx], dtype="datetime64[D]")
    abo = np.array([abolished.get(int(i), np.datetime64("NaT")) for i in idx], dtype="datetime64[D]")
    n = idx.size
    eligible = rng.random(n) < ELIGIBLE_SHARE[province]
    if province == cal.HANOI:  # exactly 1,685 of the 1,843 procedures active in 2022
        end_2022 = np.datetime64("2022-12-31")
        in_2022 = np.flatnonzero((pub <= end_2022) & (np.isnat(abo) | (abo > end_2022)))
        eligible[in_2022] = False
        pick = _exact_pick(rng, in_2022, pool.online_factor[idx[in_2022]], cal.HANOI_ELIGIBLE_2022)
        eligible[pick] = True
    field = pool.field[idx]
    connects = np.isin(field, [FIELD_INDEX[c] for c in ("HOTICH", "LDTBXH", "DATDAI", "TUPHAP", "GDDT")])
    return Catalogue(
        province=province,
        code=pool.code[idx],
        name=pool.name[idx],
        field=field,
        authority=pool.authority[idx],
        legal_days=pool.legal_days[idx],
        has_fee=pool.has_fee[idx],
        eligible=eligible,
        popularity=pool.popularity[idx],
        published=pub,
        abolished=abo,
        published_on_time=rng.random(n) < 0.95,
        public_updated_on_time=rng.random(n) < 0.91,
        public_content_full=rng.random(n) < 0.97,
        citizen_data_connected=connects & (rng.random(n) < 0.45),
    )


def catalogue_frame(cat: Catalogue, style: Style, vietnamese_numbers: bool) -> pl.DataFrame:
    """The catalogue as the province's portal exports it."""

    def b(values: np.ndarray) -> list[str]:
        return [style.yes if v else style.no for v in values]

    def days(values: np.ndarray) -> list[str | None]:
        return [None if np.isnat(v) else v.astype(dt.date).strftime("%d/%m/%Y") for v in values]

    legal = [(f"{d:g}".replace(".", ",") if vietnamese_numbers else f"{d:g}") for d in cat.legal_days]
    return pl.DataFrame(
        {
            "Mã TTHC": cat.code.tolist(),
            "Tên TTHC": cat.name.tolist(),
            "Mã tỉnh": [cat.province] * cat.code.size,
            "Mã lĩnh vực": [FIELDS[i].code for i in cat.field],
            "Tên lĩnh vực": [FIELDS[i].name_vi for i in cat.field],
            "Cấp thực hiện": [AUTHORITY_LABELS[a] for a in cat.authority],
            "DVC toàn trình": b(cat.eligible),
            "Có phí, lệ phí": b(cat.has_fee),
            "Thời hạn giải quyết": legal,
            "Ngày công bố": days(cat.published),
            "Ngày bãi bỏ": days(cat.abolished),
            "Công bố đúng hạn": b(cat.published_on_time),
            "Công khai đúng hạn": b(cat.public_updated_on_time),
            "Công khai đầy đủ": b(cat.public_content_full),
            "Kết nối CSDL dân cư": b(cat.citizen_data_connected),
        },
        schema={k: pl.String for k in ("Mã TTHC", "Tên TTHC", "Mã tỉnh", "Mã lĩnh vực", "Tên lĩnh vực",
                                       "Cấp thực hiện", "DVC toàn trình", "Có phí, lệ phí", "Thời hạn giải quyết",
                                       "Ngày công bố", "Ngày bãi bỏ", "Công bố đúng hạn", "Công khai đúng hạn",
                                       "Công khai đầy đủ", "Kết nối CSDL dân cư")},
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Calendar helpers
# ---------------------------------------------------------------------------------------------
def year_days(year: int) -> np.ndarray:
    return np.arange(f"{year}-01-01", f"{year + 1}-01-01", dtype="datetime64[D]")


def day_weights(province: str, year: int) -> tuple[np.ndarray, np.ndarray]:
    """Relative daily volume: (counter dossiers, online dossiers). Tết, year-end, COVID-19 restrictions."""
    days = year_days(year)
    bday = np.is_busday(days, busdaycal=BUSDAYS)
    season = np.ones(days.size)
    tet = np.datetime64(TET[year])
    offset = (days - tet).astype(int)
    season[(offset >= -14) & (offset < -3)] = 1.2  # the rush before Tết
    season[(offset >= 4) & (offset < 14)] = 0.8  # the slow restart after Tết
    season[days >= np.datetime64(f"{year}-12-01")] *= 1.1
    covid = np.ones(days.size)
    for prov, first, last, factor in SLOWDOWNS.get(year, ()):
        if prov in (None, province):
            covid[(days >= np.datetime64(first)) & (days <= np.datetime64(last))] = factor
    counter = bday * season * covid
    online = np.where(bday, 1.0, 0.3) * season * np.sqrt(covid)
    return counter, online


def busday(days: np.ndarray, offsets: np.ndarray | int, roll: str = "forward") -> np.ndarray:
    return np.busday_offset(days, offsets, roll=roll, busdaycal=BUSDAYS)


def _office_minutes(rng: np.random.Generator, size: int) -> np.ndarray:
    """Minutes after midnight within office hours (7:30–11:30, 13:30–17:00)."""
    morning = rng.random(size) < 0.58
    return np.where(morning, rng.integers(450, 690, size=size), rng.integers(810, 1020, size=size))


def _online_minutes(rng: np.random.Generator, size: int) -> np.ndarray:
    daytime = rng.random(size) < 0.85
    return np.where(daytime, rng.integers(420, 1320, size=size), rng.integers(0, 1440, size=size))


def _at(days: np.ndarray, minutes: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[s]") + (minutes.astype(np.int64) * 60 + seconds.astype(np.int64)).astype(
        "timedelta64[s]"
    )


def _ms(moments: np.ndarray) -> np.ndarray:
    return moments.astype("datetime64[ms]")


def _not_before(rng: np.random.Generator, moment: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """Where moment < floor, a random moment between floor and the end of floor's day (same date)."""
    bad = moment < floor
    if bad.any():
        day_end = floor[bad].astype("datetime64[D]").astype("datetime64[s]") + np.timedelta64(86_399, "s")
        room = (day_end - floor[bad]).astype(np.int64)
        moment = moment.copy()
        moment[bad] = floor[bad] + (rng.random(bad.sum()) * room).astype(np.int64).astype("timedelta64[s]")
    return moment


# ---------------------------------------------------------------------------------------------
# Dossiers
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """What one unit-year must contain (counts at the requested scale)."""

    received: int
    online: int
    postal: int
    carried: int  # not finished by 31/12 (in progress at the year's end)
    rejected: int
    withdrawn: int
    late: int  # resolved within the year after the due date
    online_q1: int | None = None  # exact number of online dossiers received in Q1


def plan_for(unit: Unit, year: int, scale: float, rng: np.random.Generator) -> Plan:
    """The counts of one unit-year at `scale`: calibrated units from demo_calibration, the rest from their profile."""
    yi = Y[year]
    base = unit.size * VOLUME[unit.province][yi] * rng.lognormal(0.0, 0.05)  # received at scale 1
    received = scaled(base, scale)
    online_share = min(0.92, ONLINE_SHARE[yi] * unit.online)
    carried = scaled(base * rng.uniform(0.008, 0.018), scale)
    withdrawn = scaled(base * rng.uniform(0.002, 0.008), scale)
    on_time = min(0.999, unit.on_time + 0.004 * yi)
    online_q1 = None
    if unit.code == cal.BAC_TU_LIEM and year == 2019:
        counts = cal.btl_2019(scale)
        rejected, withdrawn = scaled(4_400, scale), scaled(900, scale)
        received = counts.to_resolve + rejected + withdrawn
        online = half_up(received * online_share)
        postal = half_up((received - online) * 0.02)
        return Plan(received, online, postal, counts.in_progress, rejected, withdrawn, counts.late)
    if unit.code == cal.PHU_XUYEN and year <= 2022:
        if year == 2022:
            online_q1 = scaled(cal.PHU_XUYEN_ONLINE_2022_Q1, scale)
            online = online_q1 + scaled(3_572, scale)  # the rest of 2022, after the push for online service
        else:
            online = scaled({2019: 120, 2020: 190, 2021: cal.PHU_XUYEN_ONLINE_2021}[year], scale)
        rejected = half_up(received * unit.rejection)
    elif unit.code == cal.QUAN_1:
        online = cal.quan_1_online(received, year)
        rejected = cal.quan_1_rejected(received, year)
    else:
        online = half_up(received * online_share)
        rejected = half_up(received * unit.rejection)
    carried = min(carried, received)
    withdrawn = min(withdrawn, received - carried)
    rejected = min(rejected, received - carried - withdrawn)
    resolved = received - carried - rejected - withdrawn
    late = half_up(resolved * (1 - on_time))
    postal = half_up((received - online) * 0.02)
    return Plan(received, online, postal, carried, rejected, withdrawn, late, online_q1)


def _choose_days(rng: np.random.Generator, weights: np.ndarray, size: int, mask: np.ndarray | None = None):
    w = weights if mask is None else weights * mask
    return rng.choice(w.size, size=size, p=w / w.sum())


def dossier_frame(
    unit: Unit, year: int, plan: Plan, cat: Catalogue, style: Style, rng: np.random.Generator
) -> pl.DataFrame:
    """One unit-year of dossiers as the province's system exports them (sorted by received time)."""
    n = plan.received
    yi = Y[year]
    if n == 0:
        return pl.DataFrame()

    # Procedures: from the province catalogue, in force all year, at the unit's level and fields.
    usable = cat.usable_in(year)
    level_ok = cat.authority == PROVINCE_LEVEL if unit.kind == "department" else cat.authority != PROVINCE_LEVEL
    field_weight = np.zeros(len(FIELDS))
    for i, w in unit.field_weights:
        field_weight[i] = w
    avail = np.flatnonzero(usable & level_ok & (field_weight[cat.field] > 0))
    pop = cat.popularity[avail]
    per_field_total = np.bincount(cat.field[avail], weights=pop, minlength=len(FIELDS))
    prob = field_weight[cat.field[avail]] * pop / per_field_total[cat.field[avail]]
    proc = avail[rng.choice(avail.size, size=n, p=prob / prob.sum())]
    field = cat.field[proc]
    eligible = cat.eligible[proc]
    legal = cat.legal_days[proc]

    # Channel: exact counts; online goes preferably to eligible procedures and online-minded fields.
    channel = np.full(n, DIRECT, dtype=np.int8)
    online_w = np.where(eligible, 2.5, 0.4) * np.array([FIELDS[i].online_factor for i in range(len(FIELDS))])[field]
    online_rows = _exact_pick(rng, np.arange(n), online_w, plan.online)
    channel[online_rows] = ONLINE
    rest = np.flatnonzero(channel == DIRECT)
    channel[rng.choice(rest, size=min(plan.postal, rest.size), replace=False)] = POSTAL

    # Received: counter dossiers on working days in office hours, online ones any day and hour.
    counter_w, online_day_w = day_weights(unit.province, year)
    days = year_days(year)
    day_idx = np.empty(n, dtype=np.int64)
    is_online = channel == ONLINE
    not_online = np.flatnonzero(~is_online)
    day_idx[not_online] = _choose_days(rng, counter_w, not_online.size)
    online_idx = np.flatnonzero(is_online)
    if plan.online_q1 is not None:
        q1 = days < np.datetime64(f"{year}-04-01")
        k = min(plan.online_q1, online_idx.size)
        day_idx[online_idx[:k]] = _choose_days(rng, online_day_w, k, q1)
        day_idx[online_idx[k:]] = _choose_days(rng, online_day_w, online_idx.size - k, ~q1)
    else:
        day_idx[online_idx] = _choose_days(rng, online_day_w, online_idx.size)
    recv_day = days[day_idx]
    minutes = np.where(is_online, _online_minutes(rng, n), _office_minutes(rng, n))
    received = _at(recv_day, minutes, rng.integers(0, 60, size=n))

    # Due: legal working days after receipt (same-day procedures: next day when received after 15:00).
    offset = np.where(legal < 1, (minutes >= 900).astype(np.int64), np.ceil(legal).astype(np.int64))
    due_day = busday(recv_day, offset)
    due = _at(due_day, np.full(n, 1020), np.zeros(n, dtype=np.int64))

    # Fates: carried over the year's end, rejected, withdrawn, resolved late, resolved on time.
    last_bday = busday(np.datetime64(f"{year}-12-31"), 0, roll="backward")
    status = np.full(n, RESOLVED, dtype=np.int8)
    fate = np.zeros(n, dtype=np.int8)  # 0 on time, 1 late, 2 carried, 3 rejected, 4 withdrawn
    window = 12
    while True:
        cutoff = busday(last_bday, -window, roll="backward")
        candidates = np.flatnonzero(recv_day >= cutoff)
        if candidates.size >= plan.carried or window > 250:
            break
        window *= 2
    carried = _exact_pick(rng, candidates, np.ceil(legal[candidates]) + 1.0, plan.carried)
    fate[carried] = 2
    free = np.flatnonzero(fate == 0)
    rejected = rng.choice(free, size=min(plan.rejected, free.size), replace=False)
    fate[rejected] = 3
    free = np.flatnonzero(fate == 0)
    withdrawn = rng.choice(free, size=min(plan.withdrawn, free.size), replace=False)
    fate[withdrawn] = 4
    feasible = np.flatnonzero((fate == 0) & (due_day < last_bday))
    late_w = np.array([f.late_weight for f in FIELDS])[field[feasible]]
    late = _exact_pick(rng, feasible, late_w, plan.late)
    if late.size < plan.late:
        warnings.warn(f"{unit.code} {year}: only {late.size} of {plan.late} late dossiers fit", stacklevel=2)
    fate[late] = 1

    start = busday(recv_day, 0)
    year_end = np.datetime64(f"{year}-12-31")
    res_day = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    # on time: a working day between receipt and the due date (and within the year), early more likely
    rows = np.flatnonzero(fate == 0)
    end = np.minimum(due_day[rows], last_bday)
    span = np.where(start[rows] <= end, np.busday_count(start[rows], end, busdaycal=BUSDAYS), -1)
    k = np.floor(rng.random(rows.size) ** 2 * (span + 1)).astype(np.int64)
    res_day[rows] = np.where(span >= 0, busday(start[rows], np.clip(k, 0, np.maximum(span, 0))), recv_day[rows])
    # late: 1+ working days after the due date, still within the year
    rows = np.flatnonzero(fate == 1)
    room = np.busday_count(due_day[rows], last_bday, busdaycal=BUSDAYS)
    k = np.minimum(rng.geometric(0.3, size=rows.size), np.maximum(room, 1))
    res_day[rows] = busday(due_day[rows], k)
    # rejected / withdrawn: decided within days, within the year
    for code, top in ((3, 4), (4, 10)):
        rows = np.flatnonzero(fate == code)
        day = busday(start[rows], rng.integers(0, top, size=rows.size))
        res_day[rows] = np.where(day > year_end, recv_day[rows], day)
    status[fate == 3] = REJECTED
    status[fate == 4] = WITHDRAWN
    # carried over: finished early next year, or still open in the export (last year)
    rows = np.flatnonzero(fate == 2)
    if year < LAST_YEAR:
        first = busday(np.datetime64(f"{year + 1}-01-01"), 0)
        res_day[rows] = busday(first, np.minimum(rng.geometric(0.12, size=rows.size) - 1, 40))
        # never rejected: a rejection then would count against the year received under either definition
        status[rows] = np.where(rng.random(rows.size) < 0.96, RESOLVED, WITHDRAWN).astype(np.int8)
    else:
        status[rows] = rng.choice(np.array([PROCESSING, SUPPLEMENT, RECEIVED], dtype=np.int8), size=rows.size,
                                  p=[0.7, 0.2, 0.1])  # fmt: skip
    finished = ~np.isnat(res_day)
    resolved_at = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    resolved_at[finished] = _not_before(
        rng,
        _at(res_day[finished], _office_minutes(rng, int(finished.sum())), rng.integers(0, 60, int(finished.sum()))),
        received[finished],
    )

    # Returned to the applicant: results after resolution (some not collected yet); rejections at once.
    returned_at = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    rows = np.flatnonzero(status == RESOLVED)
    ret_day = busday(resolved_at[rows].astype("datetime64[D]"),
                     rng.choice([0, 1, 2, 3, 5], size=rows.size, p=[0.45, 0.27, 0.13, 0.09, 0.06]))  # fmt: skip
    ret = _not_before(rng, _at(ret_day, _office_minutes(rng, rows.size), rng.integers(0, 60, rows.size)),
                      resolved_at[rows])  # fmt: skip
    keep = rng.random(rows.size) >= 0.04
    if year == LAST_YEAR:
        keep &= ret < np.datetime64(f"{LAST_YEAR + 1}-01-01T00:00:00")
    returned_at[rows[keep]] = ret[keep]
    rows = np.flatnonzero(status == REJECTED)
    returned_at[rows] = resolved_at[rows]

    # Flags.
    has_fee = cat.has_fee[proc]
    online_ch = channel == ONLINE
    pay_p = np.clip(PAID_ONLINE[yi] * np.where(online_ch, 1.2, 0.7), 0, 0.98)
    paid = np.where(has_fee, (rng.random(n) < pay_p).astype(np.int8), 2)
    digitised = rng.random(n) < np.clip(DIGITISED[yi] * np.where(online_ch, 1.08, 0.95), 0, 0.995)
    is_resolved = status == RESOLVED
    electronic = np.where(is_resolved, (rng.random(n) < RESULT_ELECTRONIC[yi]).astype(np.int8), 2)
    reused = rng.random(n) < DATA_REUSED[yi]
    shared = digitised & (rng.random(n) < DIGITISED_SHARED[yi])
    citizen = rng.random(n) < CITIZEN_DATA[yi]
    synced = rng.random(n) < SYNCED_ON_TIME[yi]
    rated = finished & (rng.random(n) < RATED[yi])
    satisfied_p = np.where(fate == 1, 0.75, np.where(status == REJECTED, 0.6, 0.975))
    satisfied = np.where(rated, (rng.random(n) < satisfied_p).astype(np.int8), 2)
    org = rng.random(n) < np.array([f.organisation_share for f in FIELDS])[field]
    wait = np.where(
        channel == DIRECT,
        np.maximum(1, np.round(rng.lognormal(np.log(WAIT_MEDIAN[yi] * (1.2 if unit.urban else 0.8)), 0.6, n))),
        np.nan,
    )
    level = np.where(online_ch, np.where(eligible & (rng.random(n) < 0.92), 2, 1), 0)
    reason = np.where(status == REJECTED, rng.integers(0, len(REJECTION_REASONS), n), len(REJECTION_REASONS))

    # Sort by received time; number dossiers per unit and day.
    order = np.argsort(received, kind="stable")
    received, recv_day = received[order], recv_day[order]
    day_num = (recv_day - np.datetime64(f"{year}-01-01")).astype(np.int64)
    first_of_day = np.searchsorted(day_num, day_num, side="left")
    seq = np.arange(n) - first_of_day + 1

    names = _fake_names(rng, org[order])
    phones = rng.integers(10_000_000, 100_000_000, size=n)
    h = style.headers
    coded = {  # column -> (labels by code, codes): turned into labels in one polars pass below
        "field_code": ([f.code for f in FIELDS], field[order]),
        "status": (style.status, status[order]),
        "channel": (style.channel, channel[order]),
        "online_level": (style.online_level, level[order]),
        "has_fee": ((style.no, style.yes), has_fee[order]),
        "paid_online": ((style.no, style.yes, None), paid[order]),
        "dossier_digitised": ((style.flag_no, style.flag_yes), digitised[order]),
        "result_electronic": ((style.flag_no, style.flag_yes, None), electronic[order]),
        "data_reused": ((style.flag_no, style.flag_yes), reused[order]),
        "digitised_shared": ((style.flag_no, style.flag_yes), shared[order]),
        "citizen_data_used": ((style.flag_no, style.flag_yes), citizen[order]),
        "synced_on_time": ((style.flag_no, style.flag_yes), synced[order]),
        "rated_satisfied": ((style.no, style.yes, None), satisfied[order]),
        "applicant_type": (style.applicant, org[order]),
        "rejected_reason": ((*REJECTION_REASONS, None), reason[order]),
    }
    frame = pl.DataFrame(
        {
            "seq": seq,
            "procedure_code": pl.Series(cat.code[proc][order].tolist(), dtype=pl.String),
            "pii_name": names,
            "pii_phone": phones,
            "received_at": _ms(received),
            "due_at": _ms(due[order]),
            "resolved_at": _ms(resolved_at[order]),
            "returned_at": _ms(returned_at[order]),
            "wait_minutes": pl.Series(wait[order], nan_to_null=True),
            **{c: codes.astype(np.int8) for c, (_, codes) in coded.items()},
        },
    )
    frame = frame.with_columns(
        pl.format(
            "000.00.{}.H{}-{}-{}",
            pl.lit(unit.id_code),
            pl.lit(unit.province),
            pl.col("received_at").dt.to_string("%y%m%d"),
            pl.col("seq").cast(pl.String).str.zfill(4),
        ).alias("dossier_id"),
        pl.lit(unit.code).alias("unit_code"),
        pl.format("09{}", pl.col("pii_phone")).alias("pii_phone"),
        *[pl.col(c).dt.to_string(style.timestamp) for c in ("received_at", "due_at", "resolved_at", "returned_at")],
        pl.col("wait_minutes").cast(pl.Int64).cast(pl.String),
        *[
            pl.col(c).replace_strict(list(range(len(labels))), list(labels), return_dtype=pl.String)
            for c, (labels, _) in coded.items()
        ],
    )
    return frame.select([pl.col(c).alias(h[c]) for c in h if c in frame.columns])


def _labels(labels: Iterable[str | None], codes: np.ndarray) -> pl.Series:
    """Codes 0..k-1 -> their labels (None -> empty cell)."""
    return pl.Series(list(labels), dtype=pl.String).gather(codes.astype(np.int64))


def _fake_names(rng: np.random.Generator, organisation: np.ndarray) -> pl.Series:
    """Invented applicant names (never real people): the loader must drop this column."""
    n = organisation.size
    fam_p = np.array(FAMILY_WEIGHTS) / sum(FAMILY_WEIGHTS)
    family = np.array(FAMILY_NAMES, dtype=object)[rng.choice(len(FAMILY_NAMES), n, p=fam_p)]
    middle = np.array(MIDDLE_NAMES, dtype=object)[rng.integers(0, len(MIDDLE_NAMES), n)]
    given = np.array(GIVEN_NAMES, dtype=object)[rng.integers(0, len(GIVEN_NAMES), n)]
    kind = np.array(COMPANY_KINDS, dtype=object)[rng.integers(0, len(COMPANY_KINDS), n)]
    word = np.array(COMPANY_WORDS, dtype=object)[rng.integers(0, len(COMPANY_WORDS), n)]
    brand = np.array(COMPANY_NAMES, dtype=object)[rng.integers(0, len(COMPANY_NAMES), n)]
    person = family + " " + middle + " " + given
    company = kind + " " + word + " " + brand
    return pl.Series(np.where(organisation, company, person), dtype=pl.String)


# ---------------------------------------------------------------------------------------------
# Deliberately bad rows (extra rows, never in the calibrated units)
# ---------------------------------------------------------------------------------------------
BAD_KINDS = (
    "due_before_received", "unknown_unit", "bad_date", "missing_resolved_at", "unknown_status",
    "bad_boolean", "bad_number", "missing_procedure", "duplicate_id",
)  # fmt: skip


def bad_rows(template: pl.DataFrame, count: int, style: Style, province: str, rng: np.random.Generator):
    """`count` rows built from good rows of `template`, each with one defect the validator must catch."""
    if count <= 0 or template.height == 0:
        return template.head(0)
    h = style.headers
    picks = rng.choice(template.height, size=count, replace=template.height < count)
    rows = template[picks.tolist()].to_dicts()
    first_kind = int(rng.integers(len(BAD_KINDS)))  # small files get different defects, not always the first
    out = []
    for k, row in enumerate(rows):
        kind = BAD_KINDS[(first_kind + k) % len(BAD_KINDS)]
        original_id = row[h["dossier_id"]]
        row[h["dossier_id"]] = f"{original_id}-L{k + 1:03d}"
        received = dt.datetime.strptime(row[h["received_at"]], style.timestamp)
        if kind == "due_before_received":
            row[h["due_at"]] = (received - dt.timedelta(days=3)).strftime(style.timestamp)
        elif kind == "unknown_unit":
            row[h["unit_code"]] = "999" if k % 2 else f"{province}.SXX"
        elif kind == "bad_date":
            row[h["received_at"]] = (
                f"31/02/{received.year} 08:15:00" if k % 2 else f"ngày {received.day}/13/{received.year}"
            )
        elif kind == "missing_resolved_at":
            row[h["status"]] = style.status[RESOLVED]
            row[h["resolved_at"]] = None
        elif kind == "unknown_status":
            row[h["status"]] = "Chờ ký duyệt"
        elif kind == "bad_boolean":
            row[h["has_fee"]] = "Chưa rõ"
        elif kind == "bad_number":
            row[h["wait_minutes"]] = "mười lăm"
        elif kind == "missing_procedure":
            row[h["procedure_code"]] = None
        elif kind == "duplicate_id":
            row[h["dossier_id"]] = original_id
            row[h["status"]] = style.status[PROCESSING]
            row[h["resolved_at"]] = None
            row[h["returned_at"]] = None
        out.append(row)
    return pl.DataFrame(out, schema=template.schema)


# ---------------------------------------------------------------------------------------------
# Feedback (PAKN), survey, PAR, targets
# ---------------------------------------------------------------------------------------------
def feedback_frame(units: list[Unit], scale: float, seed: int, style: Style) -> pl.DataFrame:
    frames = []
    for u_i, unit in enumerate(units):
        for year in YEARS:
            rng = np.random.default_rng([seed, 5, int(unit.province), u_i, year])
            n = scaled(rng.uniform(150, 600) * (0.5 if unit.province == cal.BAC_KAN else 1.0), scale)
            if n == 0:
                continue
            counter_w, _ = day_weights(unit.province, year)
            days = year_days(year)[_choose_days(rng, counter_w, n)]
            days.sort()
            received = _at(days, _office_minutes(rng, n), rng.integers(0, 60, n))
            due_day = busday(days, 10)
            on_time = rng.random(n) < rng.uniform(0.86, 0.95)
            k = np.where(on_time, rng.integers(0, 11, n), 10 + rng.geometric(0.2, n))
            res_day = busday(days, k)
            resolved = _not_before(rng, _at(res_day, _office_minutes(rng, n), rng.integers(0, 60, n)), received)
            if year == LAST_YEAR:
                resolved[resolved >= np.datetime64(f"{LAST_YEAR + 1}-01-01T00:00:00")] = np.datetime64("NaT")
            answered = ~np.isnat(resolved)
            satisfied = np.where(
                answered & (rng.random(n) < 0.8),
                (rng.random(n) < np.clip(rng.uniform(0.8, 0.95) + 0.01 * Y[year], 0, 0.97)).astype(np.int8),
                2,
            )
            topic = (rng.random(n) < 0.2).astype(np.int8)
            frames.append(
                pl.DataFrame(
                    {
                        "feedback_id": [f"PAKN-{unit.code}-{year}-{i + 1:05d}" for i in range(n)],
                        "unit_code": [unit.code] * n,
                        "pii_name": _fake_names(rng, np.zeros(n, dtype=bool)),
                        "pii_phone": [f"09{p}" for p in rng.integers(10_000_000, 100_000_000, n)],
                        "topic": _labels(style.topic, topic),
                        "received_at": _ms(received),
                        "due_at": _ms(_at(due_day, np.full(n, 1020), np.zeros(n, dtype=np.int64))),
                        "resolved_at": _ms(resolved),
                        "satisfied": _labels((style.no, style.yes, None), satisfied),
                    }
                )
            )
    frame = pl.concat(frames)
    if style is HCMC_STYLE:  # this portal exports a contact e-mail instead of a phone number
        frame = frame.with_columns(pl.format("congdan{}@example.com", pl.col("pii_phone")).alias("pii_phone"))
    return frame


def survey_frame(units: list[Unit], year: int, scale: float, seed: int) -> pl.DataFrame:
    """SIPAS-style microdata for every district in `year` (one row per respondent × question)."""
    _, questions = instrument_for(year)
    element_offset = {"tiep_can": 0.02, "thu_tuc": -0.01, "cong_chuc": 0.03, "ket_qua": 0.01, "pakn": -0.04}
    instrument_shift = -0.03 if year >= 2022 else 0.0  # the 2022 instrument is stricter: not comparable
    q_codes = np.array([q[0] for q in questions], dtype=object)
    q_offset = np.array([element_offset[q[1]] for q in questions])
    frames = []
    for u_i, unit in enumerate(units):
        if unit.kind != "district":
            continue
        rng = np.random.default_rng([seed, 6, int(unit.province), u_i, year])
        n = max(SURVEY_FLOOR, scaled(rng.uniform(200, 500), scale))
        base = np.clip(unit.quality + 0.012 * Y[year] + instrument_shift, 0.72, 0.94)
        p = np.clip(base + q_offset, 0.5, 0.97)
        z = rng.normal(0.0, 1.0, n)
        logit = np.log(p / (1 - p))[None, :] + 0.9 * z[:, None]
        satisfied = rng.random((n, len(questions))) < 1 / (1 + np.exp(-logit))
        high = np.where(rng.random((n, len(questions))) < 0.38, 5, 4)
        low = rng.choice(np.array([3, 2, 1]), size=(n, len(questions)), p=[0.62, 0.28, 0.10])
        answer = np.where(satisfied, high, low)
        weight = np.exp(rng.normal(0.0, 0.4, n) - 0.15 * z)
        weight = weight / weight.mean()
        ids = np.array([f"SIPAS{year}-{unit.code}-{i + 1:04d}" for i in range(n)], dtype=object)
        frames.append(
            pl.DataFrame(
                {
                    "Mã phiếu": np.repeat(ids, len(questions)),
                    "Năm": np.full(n * len(questions), year),
                    "Mã đơn vị": [unit.code] * (n * len(questions)),
                    "Mã câu hỏi": np.tile(q_codes, n),
                    "Trả lời": answer.reshape(-1),
                    "Trọng số": np.repeat(np.char.mod("%.4f", weight), len(questions)),
                },
                strict=False,
            )
        )
    return pl.concat(frames).with_columns(
        pl.col("Năm").cast(pl.String),
        pl.col("Trả lời").cast(pl.String),
    )


def read_frameworks() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    with open(FRAMEWORKS_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["framework"], []).append(row)
    return out


def framework_code(unit: Unit, year: int) -> str:
    level = "DEPARTMENT" if unit.kind == "department" else "DISTRICT"
    return f"HANOI-{level}-{2019 if year < 2022 else 2022}"


def criteria_of(areas: list[dict[str, str]]) -> list[tuple[str, str, float, float]]:
    """(area, criterion, appraisal max, survey max) for a framework, split in half-point steps.

    The published framework gives area maxima and criteria counts; the split of an area over its
    criteria is the demo's (documented in data/reference/par/SOURCE.md): the appraisal points spread
    evenly, the survey points on the area's first two criteria (60/40).
    """
    out = []
    for area in areas:
        n = int(area["criteria"])
        survey = float(area["survey_max_points"] or 0)
        halves = round((float(area["max_points"]) - survey) * 2)
        parts = [halves // n + (1 if i < halves % n else 0) for i in range(n)]
        s1 = round(survey * 0.6 * 2) / 2 if n > 1 else survey
        survey_parts = [s1, survey - s1] + [0.0] * (n - 2) if n > 1 else [survey]
        for i in range(n):
            out.append((area["area_code"], f"{area['area_code']}.{i + 1}", parts[i] / 2, survey_parts[i]))
    return out


def par_frame(units: list[Unit], seed: int) -> pl.DataFrame:
    frameworks = read_frameworks()
    records = []
    for u_i, unit in enumerate(units):
        for year in YEARS:
            rng = np.random.default_rng([seed, 7, int(unit.province), u_i, year])
            code = framework_code(unit, year)
            crit = criteria_of(frameworks[code])
            q = np.clip(unit.quality + 0.01 * Y[year] + rng.normal(0, 0.015), 0.72, 0.93)
            for area, criterion, appraisal_max, survey_max in crit:
                max_points = appraisal_max + survey_max
                appraised = min(appraisal_max, round(appraisal_max * np.clip(q + rng.normal(0, 0.07), 0.3, 1) * 4) / 4)
                self_points = min(appraisal_max, appraised + round(abs(rng.normal(0, 0.08)) * appraisal_max * 4) / 4)
                survey = None
                if survey_max > 0:
                    survey = round(survey_max * float(np.clip(q + rng.normal(0, 0.05), 0.5, 1.0)), 2)
                    if rng.random() < 0.02:  # over-generous appraisal: appraised + survey exceed the max
                        appraised = self_points = max_points
                records.append((year, unit.code, code, area, criterion, max_points, self_points, appraised, survey))
    frame = pl.DataFrame(
        records,
        schema=["Năm", "Mã đơn vị", "Bộ tiêu chí", "Mã lĩnh vực", "Mã tiêu chí", "Điểm tối đa",
                "Điểm tự đánh giá", "Điểm thẩm định", "Điểm điều tra XHH"],
        orient="row",
    )  # fmt: skip
    vi = [pl.col(c).map_elements(_vi_number, return_dtype=pl.String) for c in frame.columns[5:]]
    return frame.with_columns(pl.col("Năm").cast(pl.String), *vi)


def _vi_number(value: float | None) -> str | None:
    """2.75 -> "2,75", 10.0 -> "10" (Vietnamese decimal comma; never three decimals)."""
    if value is None:
        return None
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


TARGET_ROWS = (  # indicator, field, comparator, value
    ("sipas_overall", "all", "≥", 0.85),
    ("on_time_rate", "all", "≥", 1.0),
    ("on_time_rate", "DATDAI", "≥", 0.99),
    ("on_time_rate", "TNMT", "≥", 0.99),
    ("on_time_rate", "KHDT", "≥", 0.99),
    ("online_payment_rate", "all", "≥", 0.80),
    ("digitised_rate", "all", "≥", 1.0),
    ("par_rank", "all", "≤", 5),
)


def write_targets(path: Path) -> None:
    """Targets as a small XLSX the way a planning office keeps them: a title row, then the table."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": dt.datetime(2024, 12, 31, 12, 0, 0), "author": "demo"})
    sheet = workbook.add_worksheet("Chỉ tiêu")
    bold = workbook.add_format({"bold": True})
    percent = workbook.add_format({"num_format": "0%"})
    sheet.write(0, 0, "CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH 2019–2024 (DỮ LIỆU DEMO)", bold)
    headers = ("Chỉ tiêu", "Mã đơn vị", "Lĩnh vực", "Năm", "So sánh", "Giá trị", "Nguồn")
    for c, text in enumerate(headers):
        sheet.write(2, c, text, bold)
    r = 3
    for year in YEARS:
        for indicator, field, comparator, value in TARGET_ROWS:
            sheet.write(r, 0, indicator)
            sheet.write(r, 1, "all")
            sheet.write(r, 2, field)
            sheet.write_number(r, 3, year)
            sheet.write(r, 4, comparator)
            if indicator == "par_rank":
                sheet.write_number(r, 5, value)
            else:
                sheet.write_number(r, 5, value, percent)
            sheet.write(r, 6, f"Kế hoạch CCHC năm {year} của UBND TP Hà Nội (demo)")
            r += 1
    workbook.close()


def write_feedback_xlsx(frame: pl.DataFrame, style: Style, path: Path) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": dt.datetime(2024, 12, 31, 12, 0, 0), "author": "demo"})
    sheet = workbook.add_worksheet("PAKN")
    stamp = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
    h = style.feedback_headers
    columns = list(h)
    for c, name in enumerate(columns):
        sheet.write(0, c, h[name])
    for c, name in enumerate(columns):
        values = frame[name].to_list()
        for r, v in enumerate(values, start=1):
            if v is None:
                continue
            if isinstance(v, dt.datetime):
                sheet.write_datetime(r, c, v, stamp)
            else:
                sheet.write_string(r, c, str(v))
    workbook.close()


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
class CsvOut:
    """A CSV written in pieces: header with the first frame, optional UTF-8 BOM and CRLF line ends."""

    def __init__(self, path: Path, bom: bool = False, crlf: bool = False, separator: str = ",") -> None:
        self.path = path
        self.handle = open(path, "wb")  # noqa: SIM115 (closed in close())
        if bom:
            self.handle.write(b"\xef\xbb\xbf")
        self.crlf = crlf
        self.separator = separator
        self.header_written = False
        self.rows = 0

    def write(self, frame: pl.DataFrame) -> None:
        if frame.width == 0:
            return
        buffer = io.BytesIO()
        frame.write_csv(
            buffer,
            include_header=not self.header_written,
            line_terminator="\r\n" if self.crlf else "\n",
            separator=self.separator,
        )
        self.handle.write(buffer.getvalue())
        self.header_written = True
        self.rows += frame.height

    def close(self) -> None:
        self.handle.close()


def generate(out_dir: Path, scale: float = DEFAULT_SCALE, seed: int = DEFAULT_SEED) -> dict[str, list[Path]]:
    """Write calibrated, export-shaped demo files into `out_dir`; return them per load kind, in load order.

    Files (all names start with "demo-"):
    - procedures: demo-procedures-01.csv, demo-procedures-79.csv, demo-procedures-06.csv (the last one
      UTF-8 with BOM, CRLF line ends and decimal commas, as Excel saves it). Not scaled.
    - dossiers: demo-dossiers-<province>-<year>.csv, 2019–2024 (18 files), each with ~0.05 % extra bad rows.
    - feedback: demo-feedback-01.csv, demo-feedback-79.csv, demo-feedback-06.xlsx.
    - survey: demo-survey-<year>.csv (2019–2024; 2022 with a BOM); at least SURVEY_FLOOR respondents per
      district and year whatever the scale.
    - par: demo-par.csv (semicolon-separated, decimal commas, as Excel writes CSV in a Vietnamese locale).
    - targets: demo-targets.xlsx.
    Same scale and seed, same bytes. Personal data: only the invented applicant names, phone numbers and
    e-mail addresses in the columns the loader drops (contract.PII_HEADERS).
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[Path]] = {kind: [] for kind in LOAD_ORDER}
    units = build_units(seed)
    pool = build_pool(seed)
    catalogues = {p: build_catalogue(p, pool, seed) for p in cal.PROVINCES}

    for province in cal.PROVINCES:
        bak = province == cal.BAC_KAN
        path = out_dir / f"demo-procedures-{province}.csv"
        out = CsvOut(path, bom=bak, crlf=bak)
        out.write(catalogue_frame(catalogues[province], STYLES[province], vietnamese_numbers=bak))
        out.close()
        files["procedures"].append(path)

    for province in cal.PROVINCES:
        style = STYLES[province]
        members = [(i, u) for i, u in enumerate(units) if u.province == province]
        for year in YEARS:
            path = out_dir / f"demo-dossiers-{province}-{year}.csv"
            out = CsvOut(path)
            template = None
            for u_i, unit in members:
                rng = np.random.default_rng([seed, 4, int(province), u_i, year])
                plan = plan_for(unit, year, scale, rng)
                frame = dossier_frame(unit, year, plan, catalogues[province], style, rng)
                out.write(frame)
                if template is None and unit.kind == "district" and unit.code not in cal.CALIBRATED_UNITS:
                    template = frame.head(500)
            n_bad = math.ceil(out.rows * BAD_ROW_SHARE)
            rng = np.random.default_rng([seed, 8, int(province), year])
            if template is not None:
                out.write(bad_rows(template, n_bad, style, province, rng))
            out.close()
            files["dossiers"].append(path)

    for province in cal.PROVINCES:
        style = STYLES[province]
        frame = feedback_frame([u for u in units if u.province == province], scale, seed, style)
        # one petition answered "before" it arrived: quarantine content for the feedback table
        bad = frame.head(1).with_columns(
            (pl.col("feedback_id") + "-L").alias("feedback_id"),
            (pl.col("received_at") - pl.duration(days=5)).alias("due_at"),
        )
        frame = pl.concat([frame, bad])
        if province == cal.BAC_KAN:
            path = out_dir / f"demo-feedback-{province}.xlsx"
            write_feedback_xlsx(frame, style, path)
        else:
            path = out_dir / f"demo-feedback-{province}.csv"
            text = frame.with_columns(
                pl.col(c).dt.to_string(style.timestamp) for c in ("received_at", "due_at", "resolved_at")
            )
            h = style.feedback_headers
            out = CsvOut(path)
            out.write(text.select([pl.col(c).alias(h[c]) for c in h]))
            out.close()
        files["feedback"].append(path)

    for year in YEARS:
        path = out_dir / f"demo-survey-{year}.csv"
        out = CsvOut(path, bom=year == 2022)
        out.write(survey_frame(units, year, scale, seed))
        out.close()
        files["survey"].append(path)

    path = out_dir / "demo-par.csv"
    out = CsvOut(path, separator=";")
    out.write(par_frame(units, seed))
    out.close()
    files["par"].append(path)

    path = out_dir / "demo-targets.xlsx"
    write_targets(path)
    files["targets"].append(path)
    return files
