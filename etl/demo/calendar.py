"""The demo's calendar: working days, public holidays, Tết, and how volume moves over a year (the rush
before Tết, the year-end peak, COVID-19 restrictions)."""

from __future__ import annotations

import functools

import numpy as np

from etl.demo import calibration as cal
from etl.demo.periods import Window

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
        "2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02",
        "2026-01-01", "2026-01-02", *np.arange("2026-02-14", "2026-02-23", dtype="datetime64[D]").astype(str),
        "2026-04-27", "2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02",
    ],
    dtype="datetime64[D]",
)  # fmt: skip
TET = {2019: "2019-02-05", 2020: "2020-01-25", 2021: "2021-02-12", 2022: "2022-02-01", 2023: "2023-01-22",
       2024: "2024-02-10", 2025: "2025-01-29", 2026: "2026-02-17"}  # fmt: skip
SLOWDOWNS = {  # (province or None for all, first day, last day, volume factor): COVID-19 restrictions
    2020: ((None, "2020-04-01", "2020-04-22", 0.35),),
    2021: ((cal.HANOI, "2021-07-24", "2021-09-21", 0.45), (cal.HCMC, "2021-05-31", "2021-06-14", 0.7),
           (cal.HCMC, "2021-07-09", "2021-09-30", 0.25)),
}  # fmt: skip
BUSDAYS = np.busdaycalendar(weekmask="1111100", holidays=HOLIDAYS)


def year_days(year: int) -> np.ndarray:
    return np.arange(f"{year}-01-01", f"{year + 1}-01-01", dtype="datetime64[D]")


@functools.cache
def day_weights(province: str, year: int) -> tuple[np.ndarray, np.ndarray]:
    """Relative daily volume: (counter dossiers, online dossiers). Tết, year-end, COVID-19 restrictions.
    Cached and read-only: every unit of a province shares its year's weights."""
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
    counter.setflags(write=False)
    online.setflags(write=False)
    return counter, online


def busday(days: np.ndarray, offsets: np.ndarray | int, roll: str = "forward") -> np.ndarray:
    return np.busday_offset(days, offsets, roll=roll, busdaycal=BUSDAYS)


def window_weights(province: str, window: Window) -> tuple[np.ndarray, np.ndarray]:
    """`day_weights` of the window's year, zero on the days outside the window."""
    counter, online = day_weights(province, window.year)
    if window.whole_year:
        return counter, online
    inside = window.mask(year_days(window.year))
    return counter * inside, online * inside


@functools.cache
def window_share(province: str, window: Window) -> float:
    """The share of its year's counter volume that falls in the window (1 for a whole year)."""
    if window.whole_year:
        return 1.0
    counter, _ = day_weights(province, window.year)
    return float(counter[window.mask(year_days(window.year))].sum() / counter.sum())
