"""Procedure catalogues: a national pool of procedure codes, and each province's catalogue drawn from it with
publication and abolition dates that give the stated yearly counts (never scaled). Hà Nội's counts are
calibrated (calibration.HANOI_CATALOGUE_ACTIVE, HANOI_ELIGIBLE_2022).

A catalogue is kept per lineage (the demo province whose catalogue a province continues: Thái Nguyên's
from 1 July 2025 continues Bắc Kạn's) and exported in two versions: the one in force before 1 July 2025,
and the one every province published on that day, when district-level procedures became the communes'
(the procedures in force that day republished under the province of the new era, then the procedures
published after it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from etl.demo import calibration as cal
from etl.demo.periods import LAST_DAY, REFORM_DAY, Window
from etl.demo.sampling import exact_pick, random_days
from etl.demo.styles import Style
from etl.demo.vocabulary import FIELD_INDEX, FIELDS, QUALIFIERS

CATALOGUE_ACTIVE = {  # procedures active at the end of each year, 2026 at LAST_DAY (never scaled)
    cal.HANOI: {**cal.HANOI_CATALOGUE_ACTIVE, 2025: 1_928, 2026: 1_941},
    cal.HCMC: {2018: 1_695, 2019: 1_712, 2020: 1_726, 2021: 1_741, 2022: 1_768, 2023: 1_801, 2024: 1_822,
               2025: 1_839, 2026: 1_850},
    cal.BAC_KAN: {2018: 1_540, 2019: 1_551, 2020: 1_563, 2021: 1_577, 2022: 1_596, 2023: 1_618, 2024: 1_633,
                  2025: 1_646, 2026: 1_655},
}  # fmt: skip
# The changes up to this year are drawn first, the later ones from a stream of their own, so that a
# catalogue's earlier years stay as they are when the demo runs to a later day.
FIRST_DRAWN_UNTIL = 2024
ELIGIBLE_SHARE = {cal.HANOI: 0.91, cal.HCMC: 0.89, cal.BAC_KAN: 0.80}
POOL_SIZE = 2_700  # national procedure codes the provinces' catalogues draw from
PROVINCE_LEVEL, DISTRICT_LEVEL, COMMUNE_LEVEL = range(3)  # authority levels, as drawn
AUTHORITY_LABELS = ("Cấp tỉnh", "Cấp huyện", "Cấp xã")
# The online public service the portal offers for a procedure (Mức độ DVCTT), as drawn, and its labels.
ONLINE_NONE, ONLINE_PARTIAL, ONLINE_FULL = range(3)
ONLINE_SERVICE_LABELS = ("Cung cấp thông tin", "Một phần", "Toàn trình")
# Of the procedures eligible for full online service, the share offered fully online; of the others, the
# share offered partly online (plausible, not published; Bắc Kạn's are calibrated).
ONLINE_FULL_SHARE = {cal.HANOI: 0.78, cal.HCMC: 0.74, cal.BAC_KAN: 0.76}
ONLINE_PARTIAL_SHARE = {cal.HANOI: 0.45, cal.HCMC: 0.4, cal.BAC_KAN: 0.37}


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
    online_service: np.ndarray  # int: ONLINE_NONE, ONLINE_PARTIAL, ONLINE_FULL (Mức độ DVCTT)

    def active_at(self, day: str) -> np.ndarray:
        d = np.datetime64(day)
        return (self.published <= d) & (np.isnat(self.abolished) | (self.abolished > d))

    def usable_in(self, window: Window) -> np.ndarray:
        """Procedures published before the window and in force to its end: its dossiers draw from these."""
        return (self.published < window.first) & (np.isnat(self.abolished) | (self.abolished > window.last))

    def subset(self, rows: np.ndarray, **changes: object) -> Catalogue:
        """The catalogue's `rows` (a mask or indexes), with some arrays or the province replaced."""
        arrays = {f.name: getattr(self, f.name)[rows] for f in dataclasses.fields(self) if f.name not in ("province",)}
        return Catalogue(**{"province": self.province, **arrays, **changes})


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


@dataclass
class History:
    """Which pool procedures a province has published and abolished, and on which days."""

    order: np.ndarray  # the pool in the order the province takes procedures up
    next_free: int  # position in `order` of the next procedure to take up
    published: dict[int, np.datetime64]  # pool index -> publication day
    abolished: dict[int, np.datetime64]  # pool index -> abolition day
    active: list[int]  # pool indexes in force

    def change_year(self, rng: np.random.Generator, pool: Pool, year: int, growth: int) -> None:
        """Abolish 20–35 procedures in `year` (the least used first) and publish enough new ones that the
        active count grows by `growth`, on days up to the year's end or LAST_DAY."""
        last = min(dt.date(year, 12, 31), LAST_DAY).isoformat()
        n_abolish = int(rng.integers(20, 36))
        start = np.datetime64(f"{year}-01-01")
        candidates = np.array([i for i in self.active if self.published[i] < start])
        gone = exact_pick(rng, candidates, 1.0 / (pool.popularity[candidates] + 0.05), n_abolish)
        for i, day in zip(gone, random_days(rng, f"{year}-01-01", last, gone.size), strict=True):
            self.abolished[int(i)] = day
        gone_set = {int(i) for i in gone}
        self.active = [i for i in self.active if i not in gone_set]
        n_add = growth + gone.size
        added = [int(i) for i in self.order[self.next_free : self.next_free + n_add]]
        self.next_free += n_add
        for i, day in zip(added, random_days(rng, f"{year}-01-01", last, n_add), strict=True):
            self.published[i] = day
        self.active.extend(added)


def initial_history(rng: np.random.Generator, base_n: int) -> History:
    """`base_n` procedures in force at the end of 2018 (published 2015–2018), and 40 published and
    abolished before then."""
    order = rng.permutation(POOL_SIZE)
    pre_abolished_n = 40
    chosen = list(order[: base_n + pre_abolished_n])
    published = {int(i): d for i, d in zip(chosen[:base_n], random_days(rng, "2015-01-01", "2018-12-31", base_n),
                                              strict=True)}  # fmt: skip
    abolished: dict[int, np.datetime64] = {}
    for i, (p, a) in enumerate(
        zip(
            random_days(rng, "2014-01-01", "2016-06-30", pre_abolished_n),
            random_days(rng, "2017-01-01", "2018-12-31", pre_abolished_n),
            strict=True,
        )
    ):
        published[int(chosen[base_n + i])] = p
        abolished[int(chosen[base_n + i])] = a
    active = [int(i) for i in chosen[:base_n]]
    return History(order, base_n + pre_abolished_n, published, abolished, active)


def build_catalogue(province: str, pool: Pool, seed: int) -> Catalogue:
    """A province's catalogue with publication and abolition dates that give the stated yearly counts."""
    rng = np.random.default_rng([seed, 3, int(province)])
    target = CATALOGUE_ACTIVE[province]
    history = initial_history(rng, target[2018])
    for year in range(2019, FIRST_DRAWN_UNTIL + 1):
        history.change_year(rng, pool, year, target[year] - target[year - 1])
    first = np.array(sorted(history.published), dtype=np.int64)
    attributes = procedure_attributes(rng, pool, province, first, history)
    later = np.random.default_rng([seed, 3, int(province), FIRST_DRAWN_UNTIL + 1])
    for year in range(FIRST_DRAWN_UNTIL + 1, LAST_DAY.year + 1):
        history.change_year(later, pool, year, target[year] - target[year - 1])
    added = np.array(sorted(set(history.published) - set(first.tolist())), dtype=np.int64)
    more = procedure_attributes(later, pool, province, added, history)
    idx = np.concatenate([first, added])
    cat = Catalogue(
        province=province,
        code=pool.code[idx],
        name=pool.name[idx],
        field=pool.field[idx],
        authority=pool.authority[idx],
        legal_days=pool.legal_days[idx],
        has_fee=pool.has_fee[idx],
        popularity=pool.popularity[idx],
        published=np.array([history.published[i] for i in idx], dtype="datetime64[D]"),
        abolished=np.array([history.abolished.get(int(i), np.datetime64("NaT")) for i in idx], dtype="datetime64[D]"),
        **{name: np.concatenate([attributes[name], more[name]]) for name in attributes},
        online_service=np.zeros(idx.size, dtype=np.int64),
    )
    cat.online_service = online_services(cat, np.random.default_rng([seed, 3, int(province), 1]))
    return cat


def online_services(cat: Catalogue, rng: np.random.Generator) -> np.ndarray:
    """The online public service of each procedure: full only where the procedure is eligible for it, partial
    for some of the others. Bắc Kạn's catalogue in force on calibration.BAC_KAN_ONLINE_AS_OF offers exactly
    BAC_KAN_ONLINE_FULL fully and BAC_KAN_ONLINE_PARTIAL partly online; its procedures not in force that day
    are drawn with the same shares, so the counts move a little as procedures are published and abolished.
    Drawn from a stream of its own: the catalogue's other columns do not change with it."""
    n = cat.code.size
    full_p, partial_p = ONLINE_FULL_SHARE[cat.province], ONLINE_PARTIAL_SHARE[cat.province]
    service = np.full(n, ONLINE_NONE, dtype=np.int64)
    drawn = np.ones(n, dtype=bool)
    if cat.province == cal.BAC_KAN:
        active = cat.active_at(cal.BAC_KAN_ONLINE_AS_OF)
        eligible = np.flatnonzero(active & cat.eligible)
        full = exact_pick(rng, eligible, cat.popularity[eligible] + 0.05, cal.BAC_KAN_ONLINE_FULL)
        service[full] = ONLINE_FULL
        rest = np.flatnonzero(active & (service == ONLINE_NONE))
        service[exact_pick(rng, rest, cat.popularity[rest] + 0.05, cal.BAC_KAN_ONLINE_PARTIAL)] = ONLINE_PARTIAL
        full_p = cal.BAC_KAN_ONLINE_FULL / eligible.size
        partial_p = cal.BAC_KAN_ONLINE_PARTIAL / max(1, int(active.sum()) - cal.BAC_KAN_ONLINE_FULL)
        drawn = ~active
    full = drawn & cat.eligible & (rng.random(n) < full_p)
    service[full] = ONLINE_FULL
    service[drawn & ~full & (rng.random(n) < partial_p)] = ONLINE_PARTIAL
    return service


def procedure_attributes(
    rng: np.random.Generator, pool: Pool, province: str, idx: np.ndarray, history: History
) -> dict[str, np.ndarray]:
    """How the province publishes the procedures `idx` (pool indexes): full-online eligibility (Hà Nội's
    calibrated: exactly 1,685 of the 1,843 procedures active in 2022) and the publication flags."""
    n = idx.size
    pub = np.array([history.published[i] for i in idx], dtype="datetime64[D]")
    abo = np.array([history.abolished.get(int(i), np.datetime64("NaT")) for i in idx], dtype="datetime64[D]")
    eligible = rng.random(n) < ELIGIBLE_SHARE[province]
    end_2022 = np.datetime64("2022-12-31")
    in_2022 = np.flatnonzero((pub <= end_2022) & (np.isnat(abo) | (abo > end_2022)))
    if province == cal.HANOI and in_2022.size:
        eligible[in_2022] = False
        pick = exact_pick(rng, in_2022, pool.online_factor[idx[in_2022]], cal.HANOI_ELIGIBLE_2022)
        eligible[pick] = True
    connects = np.isin(pool.field[idx], [FIELD_INDEX[c] for c in ("HOTICH", "LDTBXH", "DATDAI", "TUPHAP", "GDDT")])
    return {
        "eligible": eligible,
        "published_on_time": rng.random(n) < 0.95,
        "public_updated_on_time": rng.random(n) < 0.91,
        "public_content_full": rng.random(n) < 0.97,
        "citizen_data_connected": connects & (rng.random(n) < 0.45),
    }


def before_reform(cat: Catalogue) -> Catalogue:
    """The version in force before 1 July 2025: what was published by then, abolitions known by then."""
    day = np.datetime64(REFORM_DAY)
    rows = cat.published < day
    abolished = np.where(cat.abolished < day, cat.abolished, np.datetime64("NaT"))
    return cat.subset(rows, abolished=abolished[rows])


def from_reform(cat: Catalogue) -> Catalogue:
    """The version published on 1 July 2025 and what was published after it: district-level procedures are
    the communes' from then on."""
    day = np.datetime64(REFORM_DAY)
    in_force = (cat.published < day) & (np.isnat(cat.abolished) | (cat.abolished >= day))
    rows = in_force | (cat.published >= day)
    authority = np.where(cat.authority == DISTRICT_LEVEL, COMMUNE_LEVEL, cat.authority)
    return cat.subset(rows, published=np.maximum(cat.published, day)[rows], authority=authority[rows])


def catalogue_frame(cat: Catalogue, style: Style, vietnamese_numbers: bool, province: str) -> pl.DataFrame:
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
            "Mã tỉnh": [province] * cat.code.size,
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
            "Mức độ DVCTT": [ONLINE_SERVICE_LABELS[v] for v in cat.online_service],
        },
        schema={k: pl.String for k in ("Mã TTHC", "Tên TTHC", "Mã tỉnh", "Mã lĩnh vực", "Tên lĩnh vực",
                                       "Cấp thực hiện", "DVC toàn trình", "Có phí, lệ phí", "Thời hạn giải quyết",
                                       "Ngày công bố", "Ngày bãi bỏ", "Công bố đúng hạn", "Công khai đúng hạn",
                                       "Công khai đầy đủ", "Kết nối CSDL dân cư", "Mức độ DVCTT")},
    )  # fmt: skip
