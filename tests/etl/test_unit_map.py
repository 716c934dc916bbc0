"""unit_map (etl/unit_map.py): each unit in time under the units a query reports, as published and in
today's units, worked by hand on real codes around Gia Lai and Hà Nội's Ba Đình."""

from __future__ import annotations

from datetime import date

import polars as pl

from etl.unit_map import build_unit_map

START, LAST, REFORM = date(2000, 1, 1), date(2025, 6, 30), date(2025, 7, 1)
UNITS = pl.DataFrame(
    [
        ("01", "Thành phố Hà Nội", "province", "01", START, None, START),
        ("52", "Tỉnh Bình Định", "province", "52", START, LAST, START),
        ("52", "Tỉnh Gia Lai", "province", "52", REFORM, None, REFORM),
        ("64", "Tỉnh Gia Lai", "province", "64", START, LAST, START),
        ("52.STP", "Sở Tư pháp tỉnh Bình Định", "department", "52", START, LAST, START),
        ("52.STP", "Sở Tư pháp tỉnh Gia Lai", "department", "52", REFORM, None, REFORM),
        ("64.STP", "Sở Tư pháp tỉnh Gia Lai", "department", "64", START, LAST, START),
        ("001", "Quận Ba Đình", "district", "01", START, LAST, START),
        ("00016", "Phường Ngọc Hà", "commune", "01", START, LAST, START),
        ("00004", "Phường Ba Đình", "commune", "01", REFORM, None, REFORM),
        ("00008", "Phường Ngọc Hà", "commune", "01", REFORM, None, REFORM),
        # a commune that kept its code and territory through the reform, in Bắc Kạn, then in Thái Nguyên
        ("06", "Tỉnh Bắc Kạn", "province", "06", START, LAST, START),
        ("19", "Tỉnh Thái Nguyên", "province", "19", START, LAST, START),
        ("19", "Tỉnh Thái Nguyên", "province", "19", REFORM, None, REFORM),
        ("01957", "Xã Thượng Quan", "commune", "06", START, LAST, START),
        ("01957", "Xã Thượng Quan", "commune", "19", REFORM, None, START),
        # a rename keeps the unit: one formed_on, two rows
        ("75", "Tỉnh Đồng Nai", "province", "75", REFORM, date(2026, 4, 29), REFORM),
        ("75", "Thành phố Đồng Nai", "province", "75", date(2026, 4, 30), None, REFORM),
    ],
    schema=["unit_code", "name", "level", "province_code", "valid_from", "valid_to", "formed_on"],
    orient="row",
)
CROSSWALK = pl.DataFrame(
    [
        ("52", "52", "province", 1.0, False, REFORM),
        ("06", "19", "province", 1.0, False, REFORM),
        ("19", "19", "province", 1.0, False, REFORM),
        ("64", "52", "province", 1.0, False, REFORM),
        ("52.STP", "52.STP", "department", 1.0, False, REFORM),
        ("64.STP", "52.STP", "department", 1.0, False, REFORM),
        ("001", "01", "province", 1.0, False, REFORM),
        ("001", "00004", "commune", 0.4, True, REFORM),
        ("001", "00008", "commune", 0.6, True, REFORM),
        ("00016", "00004", "commune", 0.25, True, REFORM),
        ("00016", "00008", "commune", 0.75, True, REFORM),
    ],
    schema=["old_code", "new_code", "new_level", "weight", "approximate", "effective"],
    orient="row",
)
MAP = build_unit_map(UNITS, CROSSWALK)


def reported(setting: str, level: str, code: str, formed_on: date) -> list[tuple]:
    rows = MAP.filter(
        (pl.col("units_setting") == setting)
        & (pl.col("report_level") == level)
        & (pl.col("unit_code") == code)
        & (pl.col("formed_on") == formed_on)
    ).sort("report_code")
    return rows.select("report_code", "report_formed_on", "weight", "approximate", "is_main").rows()


def test_as_published_a_unit_is_itself_and_belongs_to_its_province_then() -> None:
    assert reported("as_published", "department", "52.STP", START) == [("52.STP", START, 1.0, False, True)]
    assert reported("as_published", "province", "52.STP", START) == [("52", START, 1.0, False, True)]  # Bình Định
    assert reported("as_published", "province", "52.STP", REFORM) == [("52", REFORM, 1.0, False, True)]  # Gia Lai
    # Hà Nội did not change: the district's and the new commune's province is the same unit
    assert reported("as_published", "province", "001", START) == [("01", START, 1.0, False, True)]
    assert reported("as_published", "province", "00004", REFORM) == [("01", START, 1.0, False, True)]
    # level district counts departments too, as it did before the reform
    assert reported("as_published", "district", "64.STP", START) == [("64.STP", START, 1.0, False, True)]


def test_a_unit_that_changed_province_belongs_to_each_in_its_time() -> None:
    # as published: Bắc Kạn until 30 June 2025, then today's Thái Nguyên (never the former Thái Nguyên);
    # each row is the whole unit for its dates
    assert reported("as_published", "province", "01957", START) == [
        ("06", START, 1.0, False, True),
        ("19", REFORM, 1.0, False, True),
    ]
    spans = MAP.filter(
        (pl.col("units_setting") == "as_published") & (pl.col("report_level") == "province")
        & (pl.col("unit_code") == "01957")
    ).sort("report_code")  # fmt: skip
    assert spans.select("report_from", "report_to").rows() == [(START, LAST), (REFORM, None)]
    assert reported("current", "province", "01957", START) == [("19", REFORM, 1.0, False, True)]
    assert reported("as_published", "commune", "01957", START) == [("01957", START, 1.0, False, True)]


def test_in_todays_units_provinces_are_exact_and_split_communes_weighted() -> None:
    assert reported("current", "province", "64", START) == [("52", REFORM, 1.0, False, True)]
    assert reported("current", "province", "00016", START) == [("01", START, 1.0, False, True)]
    assert reported("current", "department", "64.STP", START) == [("52.STP", REFORM, 1.0, False, True)]
    assert reported("current", "commune", "00016", START) == [
        ("00004", REFORM, 0.25, True, False),
        ("00008", REFORM, 0.75, True, True),  # its largest share: where percentiles put it
    ]
    # a district's own dossiers go to the communes that took its work over
    assert reported("current", "commune", "001", START) == [
        ("00004", REFORM, 0.4, True, False),
        ("00008", REFORM, 0.6, True, True),
    ]
    # today's units are themselves
    assert reported("current", "commune", "00004", REFORM) == [("00004", REFORM, 1.0, False, True)]


def test_a_renamed_unit_is_one_unit_and_the_reported_dates_are_its_span() -> None:
    rows = MAP.filter((pl.col("unit_code") == "75") & (pl.col("report_level") == "province"))
    assert rows.select("units_setting", "formed_on", "report_from", "report_to").unique().sort(
        "units_setting"
    ).rows() == [
        ("as_published", REFORM, REFORM, None),
        ("current", REFORM, REFORM, None),
    ]
    bd = MAP.filter(
        (pl.col("units_setting") == "as_published") & (pl.col("report_level") == "province") & (pl.col("unit_code") == "52")
        & (pl.col("formed_on") == START)
    )  # fmt: skip
    assert bd.select("report_from", "report_to", "report_until", "report_last_month").row(0) == (
        START, LAST, REFORM, date(2025, 6, 1),
    )  # fmt: skip
