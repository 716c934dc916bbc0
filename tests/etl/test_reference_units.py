"""The committed units of both eras, the old -> new crosswalk, the commune points and the 2025 map.

The NSO conversion table is parsed here on its own (plain csv), not through the build module, so the
coverage test does not share the build's reading of it.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from etl import contract
from etl.reference_build import geo
from etl.reference_build import units as build
from etl.units import reference_units

REPO = Path(__file__).resolve().parents[2]
UNITS_DIR = REPO / "data" / "reference" / "units"
GEO_DIR = REPO / "data" / "reference" / "geo"
REFORM = date(2025, 7, 1)
LAST_OLD_DAY = date(2025, 6, 30)


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def units() -> list[dict[str, str]]:
    return rows_of(UNITS_DIR / "units.csv")


@pytest.fixture(scope="module")
def crosswalk() -> list[dict[str, str]]:
    return rows_of(UNITS_DIR / "crosswalk_2025.csv")


def valid_on(row: dict[str, str], day: date) -> bool:
    return date.fromisoformat(row["valid_from"]) <= day and (not row["valid_to"] or day <= date.fromisoformat(row["valid_to"]))  # fmt: skip


def on(units: list[dict[str, str]], day: date, level: str | None = None) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for row in units:
        if valid_on(row, day) and (level is None or row["level"] == level):
            assert row["unit_code"] not in found, f"{row['unit_code']} has two rows on {day}"
            found[row["unit_code"]] = row
    return found


# ------------------------------------------------------------------------------------------------
# Reproducible from the kept sources
# ------------------------------------------------------------------------------------------------
def test_the_build_rewrites_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    written = build.build(UNITS_DIR, tmp_path / "units")
    written += geo.build(GEO_DIR, tmp_path / "units", tmp_path / "geo")
    assert len(written) == 5
    for path, _ in written:
        committed = REPO / "data" / "reference" / path.relative_to(tmp_path)
        assert path.read_bytes() == committed.read_bytes(), f"{committed} differs from a fresh build"


def test_the_nso_files_are_the_shared_copies() -> None:
    sizes = {"nso_communes_2025-01-04.csv": 771_519, "nso_conversion_2025-07-01.csv": 1_504_324}
    for name, size in sizes.items():
        assert (UNITS_DIR / name).stat().st_size == size, name


# ------------------------------------------------------------------------------------------------
# The units
# ------------------------------------------------------------------------------------------------
def test_units_file_has_the_contract_columns(units: list[dict[str, str]]) -> None:
    assert list(units[0]) == contract.UNITS.names
    frame = reference_units()
    assert frame.height == len(units)
    assert str(frame.schema["valid_from"]) == "Date" and str(frame.schema["formed_on"]) == "Date"


def test_both_eras_have_their_counts(units: list[dict[str, str]]) -> None:
    before, after = on(units, LAST_OLD_DAY), on(units, REFORM)
    count = lambda rows, level: sum(1 for r in rows.values() if r["level"] == level)  # noqa: E731
    assert (count(before, "province"), count(before, "district")) == (63, 696)
    # The NSO list of 4 January 2025 (10,051) plus the 10 communes the conversion table names that it lacks.
    assert count(before, "commune") == 10_051 + 10
    assert (count(after, "province"), count(after, "district"), count(after, "commune")) == (34, 0, 3_321)
    assert count(before, "department") == 63 * 12 and count(after, "department") == 34 * 12
    assert count(on(units, date(2025, 2, 28)), "department") == 63 * 17


def test_no_code_has_overlapping_rows_and_identities_start_on_a_first(units: list[dict[str, str]]) -> None:
    by_code: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in units:
        by_code[row["unit_code"]].append(row)
        assert date.fromisoformat(row["formed_on"]).day == 1, row
        assert row["formed_on"] <= row["valid_from"], row
        assert not row["valid_to"] or row["valid_from"] <= row["valid_to"], row
    for code, rows in by_code.items():
        rows.sort(key=lambda r: r["valid_from"])
        for earlier, later in itertools.pairwise(rows):
            assert earlier["valid_to"], code
            assert date.fromisoformat(earlier["valid_to"]) < date.fromisoformat(later["valid_from"]), code
            # One identity never comes back after another: formed_on only moves forward.
            assert earlier["formed_on"] <= later["formed_on"], code


def history(units: list[dict[str, str]], code: str) -> list[tuple[str, str, str, str]]:
    return [(r["name"], r["valid_from"], r["valid_to"], r["formed_on"]) for r in units if r["unit_code"] == code]


def test_a_code_names_a_unit_only_with_a_date(units: list[dict[str, str]]) -> None:
    assert history(units, "52") == [
        ("Tỉnh Bình Định", "2000-01-01", "2025-06-30", "2000-01-01"),
        ("Tỉnh Gia Lai", "2025-07-01", "", "2025-07-01"),
    ]
    assert history(units, "00004") == [
        ("Phường Trúc Bạch", "2000-01-01", "2025-06-30", "2000-01-01"),
        ("Phường Ba Đình", "2025-07-01", "", "2025-07-01"),
    ]
    # TP.HCM took in Bình Dương and Bà Rịa - Vũng Tàu: same code and name, another unit.
    assert history(units, "79") == [
        ("Thành phố Hồ Chí Minh", "2000-01-01", "2025-06-30", "2000-01-01"),
        ("Thành phố Hồ Chí Minh", "2025-07-01", "", "2025-07-01"),
    ]
    assert history(units, "01") == [("Thành phố Hà Nội", "2000-01-01", "", "2000-01-01")]
    assert history(units, "64") == [("Tỉnh Gia Lai", "2000-01-01", "2025-06-30", "2000-01-01")]
    assert next(r for r in units if r["unit_code"] == "001")["valid_to"] == "2025-06-30"


def test_unchanged_communes_continue_and_changed_ones_keep_their_identity(units: list[dict[str, str]]) -> None:
    # "Đổi loại hình": Thị trấn Mường Lát became Xã Mường Lát with the same territory and code.
    assert [(r["name"], r["parent_code"], r["formed_on"]) for r in units if r["unit_code"] == "14845"] == [
        ("Thị trấn Mường Lát", "384", "2000-01-01"),
        ("Xã Mường Lát", "38", "2000-01-01"),
    ]
    # "Giữ nguyên": Xã Tuấn Đạo kept its territory and code; only its parent changed (district -> province).
    assert [(r["parent_code"], r["valid_to"], r["formed_on"]) for r in units if r["unit_code"] == "07663"] == [
        ("220", "2025-06-30", "2000-01-01"),
        ("24", "", "2000-01-01"),  # the province's rename in 2026 is a row of the province, not of its communes
    ]
    # "Đổi tên": renamed, same territory.
    assert history(units, "24235")[1] == ("Xã Buôn Đôn", "2025-07-01", "", "2000-01-01")


def test_later_renames_are_rows_of_the_same_unit(units: list[dict[str, str]]) -> None:
    assert history(units, "75")[1:] == [
        ("Tỉnh Đồng Nai", "2025-07-01", "2026-04-29", "2025-07-01"),
        ("Thành phố Đồng Nai", "2026-04-30", "", "2025-07-01"),
    ]
    assert history(units, "24")[-1] == ("Thành phố Bắc Ninh", "2026-09-20", "", "2025-07-01")
    assert history(units, "07294")[-2:] == [
        ("Xã Bố Hạ", "2025-07-01", "2026-09-19", "2025-07-01"),
        ("Phường Bố Hạ", "2026-09-20", "", "2025-07-01"),
    ]
    # A department's name carries its province's.
    assert history(units, "75.STP")[-1] == ("Sở Tư pháp thành phố Đồng Nai", "2026-04-30", "", "2025-07-01")
    changes = rows_of(UNITS_DIR / "changes_after_2025.csv")
    assert all(row["source"] for row in changes)


def test_departments_keep_the_codes_the_demo_and_fixtures_use(units: list[dict[str, str]]) -> None:
    first = {}
    for row in units:
        first.setdefault(row["unit_code"], row)
    assert (first["01.STP"]["name"], first["01.STP"]["short_name"]) == ("Sở Tư pháp thành phố Hà Nội", "Sở Tư pháp")
    assert first["79.SXD"]["name"] == "Sở Xây dựng Thành phố Hồ Chí Minh"
    assert first["06.STNMT"]["name"] == "Sở Tài nguyên và Môi trường tỉnh Bắc Kạn"
    for code in ("01.SKHDT", "01.STNMT", "01.SLDTBXH", "79.SKHDT", "06.SKHDT"):
        assert history(units, code)[-1][2] == "2025-02-28", code
    assert history(units, "06.STP") == [("Sở Tư pháp tỉnh Bắc Kạn", "2000-01-01", "2025-06-30", "2000-01-01")]
    assert history(units, "01.STP") == [("Sở Tư pháp thành phố Hà Nội", "2000-01-01", "", "2000-01-01")]
    # Sở Xây dựng took over Sở Giao thông vận tải on 1 March 2025: a new unit under the same code.
    assert [h[1:] for h in history(units, "01.SXD")] == [("2000-01-01", "2025-02-28", "2000-01-01"), ("2025-03-01", "", "2025-03-01")]  # fmt: skip
    assert [h[1:] for h in history(units, "52.STP")] == [("2000-01-01", "2025-06-30", "2000-01-01"), ("2025-07-01", "", "2025-07-01")]  # fmt: skip
    for row in units:
        if row["level"] == "department":
            province, short = row["unit_code"].split(".")
            assert province == row["province_code"] == row["parent_code"] and short.isupper()


# ------------------------------------------------------------------------------------------------
# The crosswalk
# ------------------------------------------------------------------------------------------------
def nso_pairs() -> tuple[set[tuple[str, str]], list[list[str]]]:
    """(old code, new code) of every row of the NSO table, the old code corrected where the corrections file
    says; an island district converted whole has its district code. Also the rows without any old code."""
    corrections = {(r["new_code"], r["published_old_code"], r["old_name"]): r["corrected_old_code"] for r in rows_of(UNITS_DIR / "nso_conversion_corrections.csv")}  # fmt: skip
    pairs: set[tuple[str, str]] = set()
    uncoded: list[list[str]] = []
    with (UNITS_DIR / "nso_conversion_2025-07-01.csv").open(encoding="utf-8", newline="") as handle:
        for row in list(csv.reader(handle))[2:]:
            new, old, old_name = row[2].strip(), row[4].strip(), " ".join(row[3].split())
            if not new:
                continue
            old = corrections.get((new, old, old_name), old)
            if not old and "huyện" in row[5].lower():
                old = re.search(r"\((\d{3})\)", row[6])[1]
            if old:
                pairs.add((old, new))
            else:
                uncoded.append(row)
    return pairs, uncoded


def test_every_pair_of_the_nso_table_is_in_the_crosswalk(crosswalk: list[dict[str, str]]) -> None:
    pairs, uncoded = nso_pairs()
    assert len(pairs) == 10_570
    linked = {(r["old_code"], r["new_code"]) for r in crosswalk if r["new_level"] == "commune" and r["relation"] != "derived"}  # fmt: skip
    assert pairs - linked == set()
    assert linked - pairs == set()
    # The one row with no old unit: a coastal mud-flat area Huyện Kim Sơn managed, not a commune.
    assert [(r[1], r[3]) for r in uncoded] == [("Xã Kim Đông", "Khu vực bãi bồi ven biển do huyện Kim Sơn quản lý")]


def test_corrections_are_backed_by_the_nso_commune_list() -> None:
    listed = {r["Mã PX"]: (r["Phường Xã"], r["Mã QH"]) for r in rows_of(UNITS_DIR / "nso_communes_2025-01-04.csv")}
    for fix in rows_of(UNITS_DIR / "nso_conversion_corrections.csv"):
        assert listed[fix["corrected_old_code"]][0] == fix["old_name"], fix
        assert listed[fix["published_old_code"]][0] != fix["old_name"], fix
        assert listed[fix["published_old_code"]][1] == listed[fix["corrected_old_code"]][1], fix


def test_weights_sum_to_one_per_old_unit_and_level(crosswalk: list[dict[str, str]]) -> None:
    assert list(crosswalk[0]) == contract.UNIT_CROSSWALK.names
    sums: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for row in crosswalk:
        sums[(row["old_code"], row["new_level"], row["effective"])] += Decimal(row["weight"])
        assert row["relation"] in contract.VOCABULARIES["crosswalk_relation"], row
        assert row["approximate"] in ("true", "false"), row
        assert row["approximate"] == "true" or Decimal(row["weight"]) in (0, 1), row
    assert {k: v for k, v in sums.items() if v != 1} == {}


def test_the_crosswalk_covers_every_old_province_and_district(crosswalk: list[dict[str, str]]) -> None:
    def targets(old_level: str, new_level: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for r in crosswalk:
            if (r["old_level"], r["new_level"], r["effective"]) == (old_level, new_level, "2025-07-01"):
                found[r["old_code"]].add(r["new_code"])
        return found

    provinces = targets("province", "province")
    assert len(provinces) == 63 and all(len(v) == 1 for v in provinces.values())
    assert len({n for v in provinces.values() for n in v}) == 34
    assert {c: provinces[c] for c in ("01", "74", "77", "79", "06", "52", "64")} == {
        "01": {"01"}, "74": {"79"}, "77": {"79"}, "79": {"79"}, "06": {"19"}, "52": {"52"}, "64": {"52"},
    }  # fmt: skip
    district_provinces = targets("district", "province")
    assert (
        len(district_provinces) == 696 and district_provinces["001"] == {"01"} and district_provinces["058"] == {"19"}
    )
    district_communes = targets("district", "commune")
    assert len(district_communes) == 696
    # Quận Ba Đình: its communes went to these new wards (Trúc Bạch wholly to Ba Đình, Ngọc Hà split, ...).
    assert {"00004", "00008", "00025"} <= district_communes["001"]
    assert district_communes["318"] == {"11948"}  # Huyện Bạch Long Vĩ became Đặc khu Bạch Long Vĩ


def test_every_crosswalk_code_exists_on_its_side_of_the_date(units: list[dict[str, str]], crosswalk: list[dict[str, str]]) -> None:  # fmt: skip
    days: dict[date, tuple[dict, dict]] = {}
    for row in crosswalk:
        day = date.fromisoformat(row["effective"])
        if day not in days:
            days[day] = (on(units, day - timedelta(days=1)), on(units, day))
        before, after = days[day]
        old, new = before.get(row["old_code"]), after.get(row["new_code"])
        assert old is not None and old["level"] == row["old_level"] and old["name"] == row["old_name"], row
        assert new is not None and new["level"] == row["new_level"] and new["name"] == row["new_name"], row
    assert set(days) == {date(2025, 3, 1), REFORM}


def test_department_successors(crosswalk: list[dict[str, str]]) -> None:
    def links(code: str) -> list[tuple[str, str, str, str, str]]:
        return [(r["new_code"], r["weight"], r["relation"], r["approximate"], r["effective"]) for r in crosswalk if r["old_code"] == code]  # fmt: skip

    assert links("01.SKHDT") == [("01.STC", "1", "whole", "false", "2025-03-01")]
    assert links("79.SLDTBXH") == [
        ("79.SGDDT", "0", "part", "true", "2025-03-01"),
        ("79.SNV", "1", "part", "true", "2025-03-01"),
        ("79.SYT", "0", "part", "true", "2025-03-01"),
    ]
    assert links("64.STP") == [("52.STP", "1", "whole", "false", "2025-07-01")]
    assert links("52.STP") == [("52.STP", "1", "whole", "false", "2025-07-01")]
    assert links("01.STP") == []  # Hà Nội and its Sở Tư pháp did not change


# ------------------------------------------------------------------------------------------------
# Rules, on hand-made inputs
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("note", "relation"),
    [
        ("Nhập toàn bộ", "whole"),
        ("Nhập một  phần", "part"),
        ("Nhập một phần\n", "part"),
        ("Nhâp một phần diện tích", "part_area"),
        ("Nhập một phần  diện tích", "part_area"),
        ("Nhập một phần diện tích, toàn bộ dân số", "part_area_all_population"),
        ("Nhập một phần dân số", "part_population"),
        ("Nhập toàn bộ diện tích", "whole"),
        ("Giữ nguyên ", "unchanged"),
        ("Đổi tên", "unchanged"),
        ("Đổi loại hình", "type_changed"),
        ("Sắp xếp toàn bộ xã Thổ Châu thành đặc khu Thổ Châu", "type_changed"),
        ("Sắp xếp toàn bộ huyện Côn Đảo thành đặc khu Côn Đảo", "whole"),
        ("Phần còn lại sau khi tách một phần vào xã Canh Vinh", "part"),
        ("Đổi tên, đổi loại hình từ một phần thị trấn Lai Uyên", "part"),
    ],
)
def test_notes_normalise_to_relations(note: str, relation: str) -> None:
    assert build.relation_of(note, "test") == relation


def test_an_unknown_note_is_refused_with_its_place() -> None:
    with pytest.raises(ValueError, match=r"table\.csv:7: note 'Chuyển đi' matches no relation"):
        build.relation_of("Chuyển đi", "table.csv:7")


def pair(new_code: str, relation: str) -> build.Pair:
    return build.Pair(
        3, "01", "Thành phố Hà Nội", new_code, "", "00016", "Phường Ngọc Hà", relation, "001", "", "01", ""
    )


def test_split_weights_follow_the_population_when_one_part_has_all_of_it() -> None:
    group = [pair("00004", "part_area"), pair("00008", "part_area_all_population")]
    assert build.split_weights(group, {}, {}) == {"00004": 0.0, "00008": 1.0}


def test_split_weights_are_the_estimated_overlap_areas() -> None:
    # A box of 0.1° x 0.1° at 10°N; two new communes of 1 km² each: A centred inside it (all of its disc
    # overlaps), B centred on the box's east edge (half of its disc overlaps). Shares 1 : 0.5.
    old = {"00016": build.Ward(10.05, 100.05, None, (10.0, 100.0, 10.1, 100.1))}
    new = {"00004": build.Ward(10.05, 100.05, 1.0), "00008": build.Ward(10.05, 100.1, 1.0)}
    shares = build.split_weights([pair("00004", "part"), pair("00008", "part")], old, new)
    assert shares["00004"] == pytest.approx(1.0, rel=2e-3)  # the disc is a 128-gon: 0.1 % short of π r²
    assert shares["00008"] == pytest.approx(0.5, rel=2e-3)
    assert build.to_units(shares) == {"00004": 666_667, "00008": 333_333}


def test_split_weights_fall_back_to_the_new_communes_areas_without_a_box() -> None:
    new = {"00004": build.Ward(21.0, 105.8, 3.0), "00008": build.Ward(21.0, 105.9, 1.0)}
    assert build.split_weights([pair("00004", "part"), pair("00008", "part")], {}, new) == {"00004": 3.0, "00008": 1.0}  # fmt: skip


def test_weights_are_written_in_millionths_that_sum_to_one() -> None:
    assert build.to_units({"a": 1.0, "b": 1.0, "c": 1.0}) == {"a": 333_334, "b": 333_333, "c": 333_333}
    assert [build.weight_text(w) for w in (1_000_000, 333_334, 500_000, 0)] == ["1", "0.333334", "0.5", "0"]


# ------------------------------------------------------------------------------------------------
# Points and the 2025 map
# ------------------------------------------------------------------------------------------------
def test_every_2025_commune_has_a_point_and_almost_all_an_area(units: list[dict[str, str]]) -> None:
    points = rows_of(UNITS_DIR / "unit_points.csv")
    assert list(points[0]) == ["unit_code", "formed_on", "lat", "lon", "area_km2"]
    identities = {(r["unit_code"], r["formed_on"]) for r in units if r["level"] == "commune"}
    assert {(p["unit_code"], p["formed_on"]) for p in points} <= identities
    current = {(r["unit_code"], r["formed_on"]) for r in on(units, REFORM, "commune").values()}
    assert current <= {(p["unit_code"], p["formed_on"]) for p in points}
    without_area = current - {(p["unit_code"], p["formed_on"]) for p in points if p["area_km2"]}
    assert without_area == {("19147", "2025-07-01"), ("19159", "2025-07-01")}  # vietnamadminunits has no area for them
    ba_dinh = next(p for p in points if (p["unit_code"], p["formed_on"]) == ("00004", "2025-07-01"))
    assert (ba_dinh["lat"], ba_dinh["lon"], ba_dinh["area_km2"]) == ("21.0386", "105.838", "2.97")


def test_the_2025_map_dissolves_the_63_provinces_into_34() -> None:
    from shapely.geometry import shape

    path = GEO_DIR / "vn_provinces_2025.geojson"
    assert path.stat().st_size < 1_500_000
    new = json.loads(path.read_text(encoding="utf-8"))["features"]
    old = json.loads((GEO_DIR / "vn_provinces.geojson").read_text(encoding="utf-8"))["features"]
    assert len(new) == 34
    by_code = {f["properties"]["gso_code"]: f for f in new}
    hcmc = by_code["79"]["properties"]
    assert (hcmc["name"], hcmc["name_gso"], hcmc["merged_from"]) == ("Hồ Chí Minh", "Thành phố Hồ Chí Minh", "74,77,79")
    old_area = {f["properties"]["gso_code"]: shape(f["geometry"]).area for f in old}
    assert shape(by_code["79"]["geometry"]).area == pytest.approx(old_area["74"] + old_area["77"] + old_area["79"], rel=1e-3)  # fmt: skip
    assert shape(by_code["01"]["geometry"]).area == pytest.approx(old_area["01"], rel=1e-3)
