"""ui.format: Vietnamese and English number, percent, date and period formats."""

import datetime as dt
import math

import pytest

from ui import format as fmt


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (1234.5, 1, "vi", "1.234,5"),
        (1234.5, 1, "en", "1,234.5"),
        (1234567.891, 2, "vi", "1.234.567,89"),
        (0.5, 0, "vi", "0"),  # banker's rounding of 0.5 is Python's; what matters is the separators
        (-3.25, 1, "vi", "-3,2"),
        (1000, 0, "en", "1,000"),
    ],
)
def test_number(value, decimals, lang, expected):
    assert fmt.number(value, decimals, lang) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), ""])
def test_missing_values_are_a_dash_never_zero(missing):
    assert fmt.number(missing, 1, "vi") == fmt.NA
    assert fmt.percent(missing, 1, "en") == fmt.NA
    assert fmt.date(missing, "vi") == fmt.NA
    assert fmt.value(missing, "%", lang="vi") == fmt.NA


def test_signed_numbers():
    assert fmt.number(1.25, 1, "vi", signed=True) in ("+1,2", "+1,3")
    assert fmt.number(-1.5, 1, "en", signed=True) == "-1.5"
    assert fmt.number(0.01, 1, "vi", signed=True) == "±0,0"
    assert fmt.integer(3, "vi", signed=True) == "+3"


def test_percent_of_a_fraction():
    assert fmt.percent(0.985, 1, "vi") == "98,5%"
    assert fmt.percent(0.985, 1, "en") == "98.5%"
    assert fmt.percent(1, 0, "vi") == "100%"


def test_value_with_units():
    assert fmt.value(98.5, "%", lang="vi") == "98,5%"
    assert fmt.value(87.1, "points", lang="vi") == "87,10 điểm"
    assert fmt.value(87.1, "points", lang="en") == "87.10 points"
    assert fmt.value(3.2, "%", lang="vi", signed=True) == "+3,2 điểm %"
    assert fmt.value(-3.2, "%", lang="en", signed=True) == "-3.2 pp"
    assert fmt.value(4, "rank", lang="vi") == "4"
    assert fmt.value(12345, "count", lang="vi") == "12.345"


def test_dates():
    day = dt.date(2024, 3, 5)
    assert fmt.date(day, "vi") == "05/03/2024"
    assert fmt.date(day, "en") == "2024-03-05"
    assert fmt.date("2024-03-05", "vi") == "05/03/2024"
    moment = dt.datetime(2024, 12, 31, 8, 5)
    assert fmt.datetime(moment, "vi") == "31/12/2024 08:05"
    assert fmt.datetime(moment, "en") == "2024-12-31 08:05"
    assert fmt.date(moment, "vi") == "31/12/2024"


def test_periods():
    assert fmt.period(dt.date(2024, 1, 1), "year", "vi") == "2024"
    assert fmt.period(dt.date(2024, 4, 1), "quarter", "vi") == "Quý 2/2024"
    assert fmt.period(dt.date(2024, 4, 1), "quarter", "en") == "Q2 2024"
    assert fmt.period(dt.date(2024, 3, 1), "month", "vi") == "Tháng 03/2024"
    assert fmt.period(dt.date(2024, 3, 1), "month", "en") == "2024-03"
    assert fmt.period(2023, "year", "en") == "2023"


def test_plotly_separators_follow_the_language():
    assert fmt.plotly_separators("vi") == ",."
    assert fmt.plotly_separators("en") == ".,"


def test_outside_streamlit_the_language_is_vietnamese():
    assert fmt.number(1234.5) == "1.234,5"
    assert not math.isnan(1.0)
