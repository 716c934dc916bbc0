"""The official calendar (data/reference/calendar/holidays.csv) and the working-day block read from it
(queries/models/working_days.sql): the file's days are of the kind they say, each year gives the days off
the Labour Code gives, and the block counts the working days of months worked out by hand."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl
import pytest

from tests.conftest import REPO

CALENDAR = REPO / "data" / "reference" / "calendar" / "holidays.csv"
BLOCK = REPO / "queries" / "models" / "working_days.sql"
# Labour Code 2012 art. 115 (to 2020): 10 days off a year; Labour Code 2019 art. 112 (from 2021): 11
LEGAL_DAYS_OFF = {year: 10 if year <= 2020 else 11 for year in range(2019, 2027)}


@pytest.fixture(scope="module")
def calendar() -> pl.DataFrame:
    frame = pl.read_csv(CALENDAR, schema_overrides={"day": pl.Date})
    return frame.with_columns(year=pl.col("day").dt.year(), weekday=pl.col("day").dt.weekday())


def test_days_are_of_the_weekday_their_kind_says(calendar: pl.DataFrame) -> None:
    worked = calendar.filter(pl.col("kind") == "swapped_work")
    assert worked.get_column("weekday").unique().to_list() == [6]  # Saturdays
    given_off = calendar.filter(pl.col("kind").is_in(["compensatory", "swapped_off"]))
    assert given_off.get_column("weekday").max() <= 5  # Monday to Friday
    assert calendar.get_column("day").is_unique().all()
    assert set(calendar.get_column("kind")) == {"holiday", "compensatory", "swapped_off", "swapped_work"}


def test_each_year_gives_the_legal_days_off(calendar: pl.DataFrame) -> None:
    """Holidays on a weekday plus the compensatory days for those on a weekend are the legal count; every
    swapped day off is worked back on a Saturday of the same year, but for 31/12/2018 (worked back on
    5/1/2019, the year before the file starts)."""
    per_year = (
        calendar.group_by("year")
        .agg(
            holidays=(pl.col("kind") == "holiday").sum(),
            weekday_off=(pl.col("kind").is_in(["holiday", "compensatory"]) & (pl.col("weekday") <= 5)).sum(),
            swapped_off=(pl.col("kind") == "swapped_off").sum(),
            swapped_work=(pl.col("kind") == "swapped_work").sum(),
        )
        .sort("year")
    )
    assert dict(zip(per_year["year"], per_year["holidays"], strict=True)) == LEGAL_DAYS_OFF
    assert dict(zip(per_year["year"], per_year["weekday_off"], strict=True)) == LEGAL_DAYS_OFF
    swaps = dict(zip(per_year["year"], per_year["swapped_work"] - per_year["swapped_off"], strict=True))
    assert swaps == {year: 1 if year == 2019 else 0 for year in LEGAL_DAYS_OFF}


def _working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    con = duckdb.connect()
    con.execute(f"create view holiday_calendar as select * from read_csv('{CALENDAR}', types={{'day': 'DATE'}})")
    rows = con.execute(
        f"select day from ({BLOCK.read_text(encoding='utf-8')}) where is_working_day and day between ? and ? order by day",
        [first, last],
    ).fetchall()
    return [day for (day,) in rows]


def test_the_block_counts_working_days_worked_out_by_hand() -> None:
    # September 2024: 21 weekdays (Mon 2 to Mon 30) less the National Day holiday on Mon 2 and Tue 3
    september = _working_days(dt.date(2024, 9, 1), dt.date(2024, 9, 30))
    assert len(september) == 19
    assert september[:2] == [dt.date(2024, 9, 4), dt.date(2024, 9, 5)]
    # May 2024: 23 weekdays less Labour Day (Wed 1), plus Saturday 4 May worked for the 29 April day off
    may = _working_days(dt.date(2024, 5, 1), dt.date(2024, 5, 31))
    assert len(may) == 23
    assert dt.date(2024, 5, 4) in may and dt.date(2024, 5, 1) not in may
    # Tết 2025: 25 January to 2 February off; Friday 24 January and Monday 3 February are worked
    assert _working_days(dt.date(2025, 1, 24), dt.date(2025, 2, 3)) == [dt.date(2025, 1, 24), dt.date(2025, 2, 3)]
    # a year outside the file counts weekends only: 1 to 7 January 2030 is Tuesday to Monday, 5 weekdays
    assert len(_working_days(dt.date(2030, 1, 1), dt.date(2030, 1, 7))) == 5
