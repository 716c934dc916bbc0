"""The published facts the demo data is calibrated to, and the arithmetic that scales them.

At `scale = 1` every count below is exact. At a smaller scale every count shrinks by the scale factor
(rounded half up) and every stated rate stays exact *to its stated precision*: where plain rounding of
the scaled counts would move a rate off its published value (98.9 %, 99.87 %, 29 %, ...), the counts are
moved by the smallest amount that keeps it (see `btl_2019`). At very small scales some rates cannot be
reproduced at all (99.87 % of 40 dossiers is not a whole number of dossiers); the generator then uses the
nearest counts and warns.

Sources (the published figures the project's seed documents cite):
- Bắc Từ Liêm (Hà Nội) 2019: 349,247 dossiers to resolve, 345,282 resolved (98.9 %), 344,843 of them on
  time or early (99.87 %), 3,965 in progress. "To resolve" = resolved + in progress at the year's end.
- Phú Xuyên (Hà Nội): 305 online dossiers in all of 2021, 428 in Q1 2022.
- Quận 1 (TP.HCM): online share above 92 % every year 2019–2023; rejection of dossiers with errors falling
  from 29 % (2019) to 13 % (2023).
- Hà Nội's procedure catalogue: 1,843 procedures (2022), 1,886 (2023); 1,685 eligible for online service
  (2022). Catalogue counts are never scaled: the catalogue is small and is the same at every scale.
- TP.HCM's Department of Industry and Trade (Sở Công Thương, 79.SCT) 2023: 91,700 dossiers received,
  88,500 of them with a digital signature (96.5 %); 100 % of its results signed.
- Bắc Kạn's procedure catalogue at the end of 2024 (before its merger into Thái Nguyên on 1 July 2025):
  1,168 online public services, 994 fully online (toàn trình) and 174 partly (một phần). Never scaled.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

__all__ = [
    "BAC_KAN",
    "BAC_KAN_ONLINE_AS_OF",
    "BAC_KAN_ONLINE_FULL",
    "BAC_KAN_ONLINE_PARTIAL",
    "BAC_TU_LIEM",
    "BTL_2019_IN_PROGRESS",
    "BTL_2019_ON_TIME",
    "BTL_2019_ON_TIME_RATE",
    "BTL_2019_RESOLVED",
    "BTL_2019_RESOLVED_RATE",
    "BTL_2019_TO_RESOLVE",
    "CALIBRATED_UNITS",
    "DEFAULT_SCALE",
    "DEFAULT_SEED",
    "HANOI",
    "HANOI_CATALOGUE_ACTIVE",
    "HANOI_ELIGIBLE_2022",
    "HCMC",
    "HCMC_INDUSTRY_TRADE",
    "INDUSTRY_TRADE_RECEIVED",
    "INDUSTRY_TRADE_RESULTS_SIGNED_FROM",
    "INDUSTRY_TRADE_SIGNED",
    "INDUSTRY_TRADE_SIGNED_RATE",
    "INDUSTRY_TRADE_YEAR",
    "PHU_XUYEN",
    "PHU_XUYEN_ONLINE_2021",
    "PHU_XUYEN_ONLINE_2022_Q1",
    "PROVINCES",
    "QUAN_1",
    "QUAN_1_ONLINE",
    "QUAN_1_ONLINE_FLOOR_PERCENT",
    "QUAN_1_REJECTION",
    "SURVEY_FLOOR",
    "BtlCounts",
    "btl_2019",
    "half_up",
    "industry_trade_signed",
    "quan_1_online",
    "quan_1_rejected",
    "rounds_to",
    "scaled",
]

DEFAULT_SCALE = 0.02  # ~0.9 M dossiers: builds in seconds, and 99.87 % is still reproducible (6,897/6,906)
DEFAULT_SEED = 20190101
SURVEY_FLOOR = 40  # respondents per unit and year never fall below this, whatever the scale

HANOI, HCMC, BAC_KAN = "01", "79", "06"
PROVINCES = (HANOI, HCMC, BAC_KAN)

BAC_TU_LIEM = "021"
PHU_XUYEN = "280"
QUAN_1 = "760"
CALIBRATED_UNITS = (BAC_TU_LIEM, PHU_XUYEN, QUAN_1)

# Bắc Từ Liêm 2019 at scale 1.
BTL_2019_TO_RESOLVE = 349_247
BTL_2019_RESOLVED = 345_282
BTL_2019_ON_TIME = 344_843
BTL_2019_IN_PROGRESS = 3_965
BTL_2019_RESOLVED_RATE = (989, 1000)  # 98.9 %: resolved / to resolve, to 0.1 percentage point
BTL_2019_ON_TIME_RATE = (9987, 10000)  # 99.87 %: on time / resolved, to 0.01 percentage point

# Phú Xuyên online-channel dossiers at scale 1 (by the date received).
PHU_XUYEN_ONLINE_2021 = 305
PHU_XUYEN_ONLINE_2022_Q1 = 428

# Quận 1: rejected / received (to the whole percent) and online / received (above 92 %).
# 2024 and 2025 (Quận 1 existed until 30 June 2025) continue the trend; they are not published figures.
QUAN_1_REJECTION = {2019: 29, 2020: 25, 2021: 21, 2022: 17, 2023: 13, 2024: 12, 2025: 11}
QUAN_1_ONLINE = {2019: 0.935, 2020: 0.945, 2021: 0.958, 2022: 0.962, 2023: 0.968, 2024: 0.972, 2025: 0.975}
QUAN_1_ONLINE_FLOOR_PERCENT = 92

# Hà Nội's catalogue (never scaled): procedures active at the end of each year, and how many of the
# procedures active in 2022 are eligible for full online service.
HANOI_CATALOGUE_ACTIVE = {
    2018: 1_772,
    2019: 1_790,
    2020: 1_805,
    2021: 1_822,
    2022: 1_843,
    2023: 1_886,
    2024: 1_910,
}
HANOI_ELIGIBLE_2022 = 1_685

# TP.HCM's Department of Industry and Trade at scale 1: received in 2023, received with a digital
# signature (96.5 %, to 0.1 percentage point); every result signed from 2022 on, so that the results of
# 2023 (dossiers carried over from 2022 included) are all signed.
HCMC_INDUSTRY_TRADE = "79.SCT"
INDUSTRY_TRADE_YEAR = 2023
INDUSTRY_TRADE_RECEIVED = 91_700
INDUSTRY_TRADE_SIGNED = 88_500
INDUSTRY_TRADE_SIGNED_RATE = (965, 1000)
INDUSTRY_TRADE_RESULTS_SIGNED_FROM = 2022

# Bắc Kạn's catalogue in force on 31/12/2024 (never scaled): online public services fully and partly online.
BAC_KAN_ONLINE_AS_OF = "2024-12-31"
BAC_KAN_ONLINE_FULL = 994
BAC_KAN_ONLINE_PARTIAL = 174


def half_up(value: float) -> int:
    """Round half up (not Python's round-half-to-even): 6,984.5 -> 6,985."""
    return math.floor(value + 0.5)


def scaled(count: float, scale: float) -> int:
    """A scale-1 count at `scale`, rounded half up."""
    return half_up(count * scale)


def rounds_to(numerator: int, denominator: int, rate: tuple[int, int]) -> bool:
    """numerator / denominator rounds (half up) to rate[0] / rate[1] at rate[1]'s precision. Exact integers."""
    value, precision = rate
    if denominator <= 0:
        return False
    # value - 0.5 <= precision * numerator / denominator < value + 0.5
    return (2 * value - 1) * denominator <= 2 * precision * numerator < (2 * value + 1) * denominator


@dataclass(frozen=True)
class BtlCounts:
    to_resolve: int
    resolved: int
    on_time: int
    in_progress: int
    exact: bool  # both rates hold at their stated precision

    @property
    def late(self) -> int:
        return self.resolved - self.on_time


def btl_2019(scale: float) -> BtlCounts:
    """Bắc Từ Liêm 2019 at `scale`: the scaled counts, nudged (smallest total change, at most ~1 %) so both
    rates hold. 99.87 % means 1.25–1.35 late dossiers per thousand resolved, so only some sizes work (e.g.
    6,667–7,200 resolved with 9 late): at scales where no count within 1 % fits, the plainly scaled counts
    are used and a warning says the rate is not exact.

    At scale 1 this returns the published counts unchanged; at 0.02: 6,985 to resolve, 6,906 resolved
    (98.87 % -> 98.9 %), 6,897 on time (99.870 %), 79 in progress.
    """
    base_t = scaled(BTL_2019_TO_RESOLVE, scale)
    base_r = scaled(BTL_2019_RESOLVED, scale)
    base_o = scaled(BTL_2019_ON_TIME, scale)
    best: tuple[int, int, int, int] | None = None
    span = max(6, math.ceil(0.01 * base_r))  # never move a count by more than ~1 %
    on_value, on_precision = BTL_2019_ON_TIME_RATE
    res_value, res_precision = BTL_2019_RESOLVED_RATE
    for dr in sorted(range(-span, span + 1), key=abs):
        r = base_r + dr
        if r <= 0 or (best is not None and abs(dr) > best[0]):
            continue
        # on-time counts whose rate rounds to 99.87 % of r (usually zero or one)
        o = -(-(2 * on_value - 1) * r // (2 * on_precision))  # ceil
        while rounds_to(o, r, BTL_2019_ON_TIME_RATE):
            # to-resolve counts t with r / t rounding to 98.9 %: (2v-1) t <= 2pR < (2v+1) t
            t_low = (2 * res_precision * r) // (2 * res_value + 1) + 1
            t_high = (2 * res_precision * r) // (2 * res_value - 1)
            t = min(max(base_t, t_low, r), t_high)
            if abs(t - base_t) <= span and rounds_to(r, t, BTL_2019_RESOLVED_RATE):
                candidate = (abs(t - base_t) + abs(dr) + abs(o - base_o), t, r, o)
                if best is None or candidate < best:
                    best = candidate
            o += 1
    if best is None:
        warnings.warn(
            f"scale {scale}: Bắc Từ Liêm's 2019 rates (98.9 %, 99.87 %) cannot be reproduced with so few "
            "dossiers; using the plainly scaled counts",
            stacklevel=2,
        )
        t, r, o = base_t, min(base_r, base_t), min(base_o, base_r, base_t)
        return BtlCounts(t, r, o, t - r, exact=False)
    _, t, r, o = best
    return BtlCounts(t, r, o, t - r, exact=True)


def quan_1_rejected(received: int, year: int) -> int:
    """Rejected dossiers of Quận 1 in `year` so that rejected / received rounds to the stated percent."""
    percent = QUAN_1_REJECTION[year]
    rejected = half_up(received * percent / 100)
    if received and not rounds_to(rejected, received, (percent, 100)):
        warnings.warn(f"scale too small: Quận 1's {year} rejection rate {percent} % is not exact", stacklevel=2)
    return rejected


def quan_1_online(received: int, year: int) -> int:
    """Online dossiers of Quận 1 in `year`: the stated share, and strictly above 92 % whenever possible."""
    online = half_up(received * QUAN_1_ONLINE[year])
    while received and online < received and online * 100 <= QUAN_1_ONLINE_FLOOR_PERCENT * received:
        online += 1
    return online


def industry_trade_signed(received: int) -> int:
    """Dossiers received with a digital signature out of `received` of the Department of Industry and Trade
    in 2023: the published share of 88,500 / 91,700, and the count nearest to it whose share still rounds
    to 96.5 %."""
    signed = half_up(received * INDUSTRY_TRADE_SIGNED / INDUSTRY_TRADE_RECEIVED)
    for step in sorted(range(-3, 4), key=abs):
        if 0 <= signed + step <= received and rounds_to(signed + step, received, INDUSTRY_TRADE_SIGNED_RATE):
            return signed + step
    warnings.warn(f"scale too small: the signed share 96.5 % of {received} dossiers is not exact", stacklevel=2)
    return signed
