"""The demo's time frame: from 1 January 2019 to the last complete month before a fixed "demo today", and
the windows in which a unit receives dossiers.

The demo never reads the clock: the same seed and scale give the same bytes on any day. `DEMO_TODAY` is
the day the demo's exports are taken; the data run to `LAST_DAY`, the last day of the month before it,
as a lake loaded from monthly exports would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

DEMO_TODAY = dt.date(2026, 12, 6)
FIRST_DAY = dt.date(2019, 1, 1)
LAST_DAY = DEMO_TODAY.replace(day=1) - dt.timedelta(days=1)  # 30 November 2026
YEARS = tuple(range(FIRST_DAY.year, LAST_DAY.year + 1))
DEPARTMENT_MERGER_DAY = dt.date(2025, 3, 1)  # Decree 45/2025/NĐ-CP: provincial departments merged
REFORM_DAY = dt.date(2025, 7, 1)  # 34 provinces, communes the only local level, no districts


@dataclass(frozen=True)
class Window:
    """The days of one year in which a unit receives dossiers: the whole year, or the part of it the unit
    existed in, cut at LAST_DAY."""

    year: int
    first: np.datetime64  # datetime64[D]
    last: np.datetime64  # datetime64[D], inclusive

    @property
    def whole_year(self) -> bool:
        return self.first == np.datetime64(f"{self.year}-01-01") and self.last == np.datetime64(f"{self.year}-12-31")

    @property
    def at_snapshot(self) -> bool:
        """The window ends on the last day of the data: what is still open then is open in the export."""
        return self.last == np.datetime64(LAST_DAY)

    @property
    def tag(self) -> str:
        """`2024` for a whole year, `202503` (the first month) for part of one: ids stay unique when a unit
        code names two units in one year (01.SXD before and after 1 March 2025)."""
        return (
            str(self.year)
            if self.first == np.datetime64(f"{self.year}-01-01")
            else f"{self.first}"[:7].replace("-", "")
        )

    def mask(self, days: np.ndarray) -> np.ndarray:
        return (days >= self.first) & (days <= self.last)


def windows(first_day: dt.date, last_day: dt.date | None) -> list[Window]:
    """The windows of a unit that existed from `first_day` to `last_day` (None: still exists), one per year,
    within FIRST_DAY..LAST_DAY."""
    first = max(first_day, FIRST_DAY)
    last = min(last_day or LAST_DAY, LAST_DAY)
    return [
        Window(year, np.datetime64(max(first, dt.date(year, 1, 1))), np.datetime64(min(last, dt.date(year, 12, 31))))
        for year in range(first.year, last.year + 1)
    ]


def window_of(year: int) -> Window:
    """The whole of `year` within the demo's time frame."""
    (window,) = windows(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return window


def year_end(year: int) -> dt.date:
    """The last day of `year` within the demo's time frame (LAST_DAY in the last year)."""
    return min(dt.date(year, 12, 31), LAST_DAY)


def snapshot_end() -> np.datetime64:
    """The first moment after the data: nothing in the exports happens at or after it."""
    return np.datetime64(LAST_DAY + dt.timedelta(days=1)).astype("datetime64[s]")
