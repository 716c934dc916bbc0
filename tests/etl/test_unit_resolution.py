"""Reading unit codes on the row's date (etl/unit_resolution.py, docs/units.md).

The units below are real NSO codes and names of both eras, cut down to what each case needs.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from etl.unit_resolution import UnitDirectory, name_key, other_lengths, resolve

BEFORE, REFORM = date(2025, 6, 30), date(2025, 7, 1)
START = date(2000, 1, 1)
UNITS = pl.DataFrame(
    [
        ("01", "Thành phố Hà Nội", "Hà Nội", "province", START, None),
        ("02", "Tỉnh Hà Giang", "Hà Giang", "province", START, BEFORE),
        ("52", "Tỉnh Bình Định", "Bình Định", "province", START, BEFORE),
        ("52", "Tỉnh Gia Lai", "Gia Lai", "province", REFORM, None),
        ("64", "Tỉnh Gia Lai", "Gia Lai", "province", START, BEFORE),
        ("001", "Quận Ba Đình", "Ba Đình", "district", START, BEFORE),
        ("002", "Quận Hoàn Kiếm", "Hoàn Kiếm", "district", START, BEFORE),
        ("052", "Huyện Nguyên Bình", "Nguyên Bình", "district", START, BEFORE),
        ("00001", "Phường Phúc Xá", "Phúc Xá", "commune", START, BEFORE),
        ("00004", "Phường Trúc Bạch", "Trúc Bạch", "commune", START, BEFORE),
        ("00004", "Phường Ba Đình", "Ba Đình", "commune", REFORM, None),
        ("01.STP", "Sở Tư pháp thành phố Hà Nội", "Sở Tư pháp", "department", START, None),
    ],
    schema=["unit_code", "name", "short_name", "level", "valid_from", "valid_to"],
    orient="row",
)
CROSSWALK = pl.DataFrame(
    [
        ("64", "52", "province", "Tỉnh Gia Lai", REFORM),
        ("52", "52", "province", "Tỉnh Gia Lai", REFORM),
        ("001", "01", "province", "Thành phố Hà Nội", REFORM),
        ("001", "00004", "commune", "Phường Ba Đình", REFORM),
        ("001", "00008", "commune", "Phường Ngọc Hà", REFORM),
    ],
    schema=["old_code", "new_code", "new_level", "new_name", "effective"],
    orient="row",
)
DIRECTORY = UnitDirectory.build(UNITS, CROSSWALK)


def read(code: str, day: date, name: str | None = None, *, level: str | None = None, end: date | None = None):
    names = pl.Series([name], dtype=pl.String)
    result = resolve(pl.Series([code]), pl.Series([day]), pl.Series([end or day]), DIRECTORY, names=names, level=level)
    return result.codes[0], result.reasons[0], result.details[0]


@pytest.mark.parametrize(
    ("code", "day", "expected"),
    [
        ("52", date(2025, 6, 30), "52"),  # Bình Định, its last day
        ("52", date(2025, 7, 1), "52"),  # Gia Lai, its first day: the same code, another unit
        ("00004", date(2024, 3, 1), "00004"),  # Phường Trúc Bạch
        ("00004", date(2026, 3, 1), "00004"),  # the new Phường Ba Đình
        ("001", date(2024, 3, 1), "001"),
        ("01.STP", date(2026, 3, 1), "01.STP"),
    ],
)
def test_a_code_at_its_own_length_names_the_unit_valid_on_the_date(code, day, expected):
    assert read(code, day) == (expected, None, None)


def test_a_district_after_the_reform_is_not_valid_and_the_detail_names_its_successors():
    code, reason, detail = read("001", date(2026, 3, 4))
    assert (code, reason) == (None, "unit_not_valid_on_date")
    assert detail == (
        "001 named Quận Ba Đình from 01/01/2000 until 30/06/2025; "
        "its successor: 01 Thành phố Hà Nội, 00004 Phường Ba Đình, 00008 Phường Ngọc Hà"
    )


def test_a_province_merged_away_is_not_valid_after_the_reform():
    code, reason, detail = read("64", date(2025, 7, 1))
    assert (code, reason) == (None, "unit_not_valid_on_date")
    assert detail.endswith("its successor: 52 Tỉnh Gia Lai")


def test_zero_stripped_code_with_a_fitting_name_is_resolved():
    assert read("1", date(2024, 1, 1), "Quận Ba Đình") == ("001", None, None)
    assert read("1", date(2024, 1, 1), "UBND quận Ba Đình") == ("001", None, None)
    assert read("2", date(2024, 1, 1), "Hà Giang") == ("02", None, None)
    # after the reform 00004 is Ba Đình and there are no districts: the name picks the commune
    assert read("4", date(2026, 1, 1), "Phường Ba Đình") == ("00004", None, None)


def test_zero_stripped_code_without_a_name_is_resolved_only_when_one_unit_fits():
    # 2024: 01 Hà Nội, 001 Ba Đình and 00001 Phúc Xá all existed
    code, reason, detail = read("1", date(2024, 1, 1))
    assert (code, reason) == (None, "ambiguous_unit")
    assert detail == "code 1 may be 00001 Phường Phúc Xá, 001 Quận Ba Đình, 01 Thành phố Hà Nội"
    # 2026: only province 01 remains of the three
    assert read("1", date(2026, 1, 1)) == ("01", None, None)


def test_a_name_that_contradicts_the_only_candidate_is_ambiguous():
    code, reason, detail = read("4", date(2026, 1, 1), "Phường Trúc Bạch")
    assert (code, reason) == (None, "ambiguous_unit")
    assert detail == "the name 'Phường Trúc Bạch' fits none of the units code 4 may be: 00004 Phường Ba Đình"


def test_a_code_naming_no_unit_at_its_own_length_is_read_at_the_others():
    # 052 is Huyện Nguyên Bình before the reform; 0052 names nothing at 4 digits: 52 on the date
    assert read("052", date(2024, 1, 1)) == ("052", None, None)
    assert read("0052", date(2026, 1, 1)) == ("52", None, None)


def test_a_level_limits_the_candidates():
    assert read("1", date(2024, 1, 1), level="province") == ("01", None, None)
    assert read("52", date(2024, 1, 1), level="district") == ("052", None, None)


def test_unknown_codes():
    assert read("999", date(2024, 1, 1)) == (None, "unknown_unit", None)
    assert read("01.XYZ", date(2024, 1, 1)) == (None, "unknown_unit", None)


def test_a_year_reads_the_unit_in_force_at_its_end():
    # code 52 named two units in 2025: the survey or PAR year is read as the later one
    assert read("52", date(2025, 1, 1), end=date(2025, 12, 31)) == ("52", None, None)
    # a district existed for part of 2025: valid in that year
    assert read("001", date(2025, 1, 1), end=date(2025, 12, 31)) == ("001", None, None)


def test_a_row_without_a_date_keeps_its_code_for_the_date_rule_to_report():
    result = resolve(pl.Series(["001"]), pl.Series([None], dtype=pl.Date), pl.Series([None], dtype=pl.Date), DIRECTORY)
    assert (result.codes[0], result.reasons[0]) == ("001", None)


def test_name_key_and_other_lengths():
    assert name_key("UBND Phường Ba Đình") == "ba dinh"
    assert name_key("TP. Hồ Chí Minh") == "ho chi minh"
    assert name_key("Quận 1") == "1"
    assert other_lengths("1") == ["01", "001", "00001"]
    assert other_lengths("052") == ["52", "00052"]
    assert other_lengths("00004") == ["04", "004"]
