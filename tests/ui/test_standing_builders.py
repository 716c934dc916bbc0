"""The published-index catalogue (ui/published.py), the province lineage helpers (ui/standing.py) and the
chart builders of the "Vị trí của tỉnh" page (ui/charts/standing.py), on hand-made frames worked out by hand."""

from __future__ import annotations

import csv
import datetime as dt
import itertools

import polars as pl
import pytest

from queries.paths import REFERENCE_DIR
from ui import i18n, standing
from ui.charts import standing as charts
from ui.published import INDEX, INDEXES, PORTAL_GROUPS, breaks, method_versions, version_of

D = dt.date
EVE = D(2025, 6, 30)


# ------------------------------------------------------------------------------------------------
# Method versions and the portal's groups
# ------------------------------------------------------------------------------------------------
def test_each_index_has_contiguous_versions_and_the_breaks_of_its_method() -> None:
    for code in INDEXES:
        versions = method_versions()[code]
        assert versions, code
        for before, after in itertools.pairwise(versions):
            assert before.last_year is not None and after.first_year == before.last_year + 1, (code, before, after)
    assert breaks("PAPI") == (2018,)
    assert breaks("SIPAS") == (2022,)
    assert breaks("PAR") == (2017, 2019, 2022)
    assert breaks("PCI") == (2006, 2009, 2013)
    assert breaks("766") == (2026,)
    assert version_of("PCI", 2011).version == "PCI 2009 (9 sub-indices)"
    assert version_of("PAPI", 2017).version == "PAPI 2011 (6 dimensions)"
    assert version_of("PAPI", 2024).version == "PAPI 2018 (8 dimensions)"
    assert version_of("PAR", 2011) is None  # no PAR Index before 2012


def test_the_portal_groups_are_the_scoring_tables_groups_with_the_portals_maxima() -> None:
    """The portal's keys (published_766: ckmb 18, tdgq 20, clgq 12, tttt 10, mdsh 22, mdhl 18) are the scoring
    table's groups in its order; clgq, the portal's online services, is the table's DVCTT."""
    with (REFERENCE_DIR / "766" / "scoring.csv").open(encoding="utf-8") as handle:
        maxima = {row["group_code"]: float(row["group_max"]) for row in csv.DictReader(handle)}
    assert list(PORTAL_GROUPS.values()) == list(maxima)
    portal_maxima = {"ckmb": 18, "tdgq": 20, "clgq": 12, "tttt": 10, "mdsh": 22, "mdhl": 18}
    assert {key: maxima[group] for key, group in PORTAL_GROUPS.items()} == portal_maxima
    assert PORTAL_GROUPS["clgq"] == "DVCTT"


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_keys_the_page_builds_at_run_time_exist(lang: str) -> None:
    words = i18n.dictionary(lang)
    keys = {f"reform.basis_{u}" for u in standing.UNITS} | {f"standing.role_{r}" for r in ("today", "predecessor")}
    keys |= {f"standing.basis_{b}" for b in ("published", "computed")}
    for code in INDEXES:
        keys |= {f"published.{part}_{code.lower()}" for part in ("name", "card", "source", "about")}
        keys |= {f"standing.detail_{code.lower()}", f"unit_name.{INDEX[code].unit}"}
    keys |= {f"standing_col.{c}" for c in (*charts.SUMMARY_COLUMNS, *charts.TREND_COLUMNS, *charts.COMPARISON_COLUMNS)}
    assert sorted(k for k in keys if k not in words) == []


# ------------------------------------------------------------------------------------------------
# Provinces of both eras
# ------------------------------------------------------------------------------------------------
def lineage() -> pl.DataFrame:
    """province_lineage's shape for four provinces: Gia Lai today (52) made of Bình Định (52) and the former
    Gia Lai (64); Hà Nội, unchanged."""
    rows = [
        ("01", D(2000, 1, 1), "Thành phố Hà Nội", "Hà Nội", D(2000, 1, 1), None, "01"),
        ("52", D(2025, 7, 1), "Tỉnh Gia Lai", "Gia Lai", D(2025, 7, 1), None, "52"),
        ("52", D(2000, 1, 1), "Tỉnh Bình Định", "Bình Định", D(2000, 1, 1), EVE, "52"),
        ("64", D(2000, 1, 1), "Tỉnh Gia Lai", "Gia Lai", D(2000, 1, 1), EVE, "52"),
    ]
    columns = ("province_code", "formed_on", "province_name", "short_name", "valid_from", "valid_to", "current_code")
    return pl.DataFrame(rows, schema=columns, orient="row")


def test_today_lists_the_provinces_it_is_made_of_the_one_with_its_code_first() -> None:
    listed = standing.provinces_listed(lineage(), "52", "current")
    assert listed.select("province_code", "province_name", "role", "position").rows() == [
        ("52", "Tỉnh Gia Lai", "today", 0),
        ("52", "Tỉnh Bình Định", "predecessor", 1),
        ("64", "Tỉnh Gia Lai", "predecessor", 2),
    ]
    assert standing.provinces_listed(lineage(), "01", "current").get_column("role").to_list() == ["today"]


def test_as_published_lists_the_province_of_the_eve_of_the_reform() -> None:
    assert standing.eve_of_reform(lineage()) == EVE
    listed = standing.provinces_listed(lineage(), "52", "as_published")
    assert listed.select("province_name", "valid_to", "role").rows() == [("Tỉnh Bình Định", EVE, "today")]


def test_the_provinces_of_a_day() -> None:
    assert standing.provinces_of_day(lineage(), D(2024, 12, 31)) == 3  # Hà Nội, Bình Định, Gia Lai (64)
    assert standing.provinces_of_day(lineage(), D(2025, 12, 31)) == 2  # Hà Nội, Gia Lai (52)


# ------------------------------------------------------------------------------------------------
# Builders
# ------------------------------------------------------------------------------------------------
def figure(**fields) -> dict:
    row = dict.fromkeys(standing.STANDING_SCHEMA)
    row.update(unit="points", role="predecessor", position=1, as_of=None, band=None, national=None, source="PAPI")
    row.update(fields)
    row.setdefault("period", str(row["year"]))
    return row


def standing_frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=standing.STANDING_SCHEMA)


PAPI_ROWS = [
    figure(index_code="PAPI", province_code="52", formed_on=D(2000, 1, 1), province_name="Tỉnh Bình Định",
           short_name="Bình Định", valid_to=EVE, year=y, value=v, rank=r, rank_of=63, rank_basis="computed",
           method_version=m)
    for y, v, r, m in ((2016, 37.1, 9, "PAPI 2011 (6 dimensions)"), (2017, 37.6, 8, "PAPI 2011 (6 dimensions)"),
                       (2018, 44.2, 12, "PAPI 2018 (8 dimensions)"))
] + [
    figure(index_code="PAPI", province_code="64", formed_on=D(2000, 1, 1), province_name="Tỉnh Gia Lai",
           short_name="Gia Lai", valid_to=EVE, position=2, year=2018, value=41.0, rank=50, rank_of=63,
           rank_basis="computed", method_version="PAPI 2018 (8 dimensions)")
]  # fmt: skip


def test_a_trend_starts_a_new_segment_where_the_method_changed_one_series_per_province() -> None:
    frame = charts.trend_frame(standing_frame(PAPI_ROWS), "PAPI", lang="vi")
    assert frame.select("province", "x", "value", "segment").rows() == [
        ("Tỉnh Bình Định (đến 30/06/2025)", "2016", 37.1, 0),
        ("Tỉnh Bình Định (đến 30/06/2025)", "2017", 37.6, 0),
        ("Tỉnh Bình Định (đến 30/06/2025)", "2018", 44.2, 1),  # 8 dimensions: no line from 2017
        ("Tỉnh Gia Lai (đến 30/06/2025)", "2018", 41.0, 0),
    ]
    assert frame.get_column("rank").to_list()[0] == "9/63 (tính từ điểm công bố)"
    chart = charts.trend(standing_frame(PAPI_ROWS), "PAPI", "PAPI", "points", lang="vi")
    bình_định = chart.figure.data[0]
    assert list(bình_định.x) == [2016, 2017, None, 2018]  # the gap is the break
    assert [shape.x0 for shape in chart.figure.layout.shapes] == [2017.5]


def test_the_portals_weekly_trend_is_drawn_by_day() -> None:
    rows = [
        figure(index_code="766", province_code="19", formed_on=D(2025, 7, 1), province_name="Tỉnh Thái Nguyên",
               short_name="Thái Nguyên", role="today", position=0, year=y, period=f"Năm {y}", as_of=day, value=v,
               method_version=f"766-portal-{y}")
        for y, day, v in ((2025, D(2025, 8, 29), 86.97), (2026, D(2026, 9, 17), 61.48), (2026, D(2026, 10, 10), 63.97))
    ]  # fmt: skip
    frame = charts.trend_frame(standing_frame(rows), "766", lang="vi")
    assert frame.select("x", "segment").rows() == [("2025-08-29", 0), ("2026-09-17", 1), ("2026-10-10", 1)]
    assert frame.get_column("period").to_list()[0] == "Năm 2025, Cổng cập nhật 29/08/2025"
    trace = charts.trend(standing_frame(rows), "766", "766", "points", lang="vi").figure.data[0]
    assert list(trace.y) == [86.97, None, 61.48, 63.97]


def test_the_comparison_gap_is_derived_minus_published_and_blank_when_either_is_missing() -> None:
    groups = pl.DataFrame(
        {
            "group_code": ["CKMB", "DVCTT", "MDHL", "total"],
            "portal_key": ["ckmb", "clgq", "mdhl", "total_score"],
            "max_points": [18.0, 12.0, 18.0, None],
            "published": [11.08, 9.15, None, 66.54],
            "own": [18.0, 6.0, 18.0, 83.0],
        }
    )
    names = {"CKMB": ("Công khai minh bạch", "Transparency"), "DVCTT": ("Dịch vụ công trực tuyến", "Online services")}
    frame = charts.comparison_frame(groups, names, lang="en")
    assert frame.select("group", "gap").rows() == [
        ("Transparency", pytest.approx(6.92)),
        ("Online services", pytest.approx(-3.15)),
        ("MDHL", None),  # no published group score: no gap
        ("Total", pytest.approx(16.46)),
    ]
    headline = charts.comparison_headline(groups, lang="vi")
    assert [value for _, value, _ in headline] == ["66,54 điểm", "83,00 điểm", "+16,46 điểm"]


LATEST = [
    figure(index_code="PAR", province_code="31", formed_on=D(2000, 1, 1), province_name="Thành phố Hải Phòng",
           short_name="Hải Phòng", valid_to=EVE, year=2024, unit="%", value=96.17, rank=1, rank_of=63,
           rank_basis="published", method_version="QĐ 876/QĐ-BNV (2022)", band="Nhóm A", national=88.37,
           target=5.0, comparator="<=", target_on="rank"),
    figure(index_code="SIPAS", province_code="31", formed_on=D(2000, 1, 1), province_name="Thành phố Hải Phòng",
           short_name="Hải Phòng", valid_to=EVE, year=2023, unit="%", value=88.09, rank=5, rank_of=63,
           rank_basis="published", method_version="SIPAS 2022", target=90.0, comparator=">=", target_on="value"),
    figure(index_code="PAR", province_code="01", formed_on=D(2000, 1, 1), province_name="Thành phố Hà Nội",
           short_name="Hà Nội", role="today", position=0, year=2024, unit="%", value=None, rank=3, rank_of=63,
           rank_basis="published", method_version="QĐ 876/QĐ-BNV (2022)"),
]  # fmt: skip


def latest_frame() -> pl.DataFrame:
    schema = {**standing.STANDING_SCHEMA, "target": pl.Float64, "comparator": pl.String, "target_on": pl.String}
    return pl.DataFrame(LATEST, schema=schema)


def test_the_summary_says_whether_each_target_is_met_by_rank_or_by_value() -> None:
    names = {"PAR": "PAR Index", "SIPAS": "SIPAS"}
    frame = charts.summary_frame(latest_frame(), names, lang="en")
    assert frame.select("index", "province", "value", "rank", "rank_of", "target", "met").rows() == [
        ("PAR Index", "Thành phố Hải Phòng (to 2025-06-30)", 96.17, 1, 63, "Target: rank ≤ 5", True),
        ("SIPAS", "Thành phố Hải Phòng (to 2025-06-30)", 88.09, 5, 63, "Target ≥ 90.0%", False),
        ("PAR Index", "Thành phố Hà Nội", None, 3, 63, None, None),
    ]
    assert set(frame.get_column("figure")) == {"Published"}


def test_cards_show_the_value_as_published_and_a_rank_without_a_value() -> None:
    (par, sipas) = charts.cards(latest_frame(), {"PAR": "PAR Index", "SIPAS": "SIPAS"}, lang="vi")
    hai_phong, ha_noi = par[2]
    assert (hai_phong.label, hai_phong.value) == ("Hải Phòng", "96,17%")
    assert "Thành phố Hải Phòng (đến 30/06/2025)" in hai_phong.caption
    assert "Hạng 1/63" in hai_phong.caption and "Nhóm A" in hai_phong.caption
    assert "Mục tiêu: hạng ≤ 5: Đạt mục tiêu" in hai_phong.caption
    assert (ha_noi.label, ha_noi.value) == ("Hà Nội", "không công bố điểm")
    assert "Hạng 3/63" in ha_noi.caption and "đến" not in ha_noi.caption  # today's Hà Nội: no last day
    assert "Chưa đạt" in sipas[2][0].caption
