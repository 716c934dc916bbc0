"""The published-index readers on real files: units matched by name on a date (etl/unit_names.py), names
matching no unit quarantined with their candidates and listed in the load summary, every PCI layout
2005–2018, the portal's JSON shapes and typed tables, the typed press tables. Query results on the same
files are the golden cases tests/queries/golden/published_766_*, pci_*, papi_20*, published_index_*."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from etl import lake
from etl.load import load_files
from etl.papi import numbered_measure
from etl.unit_names import UnitNames, name_key
from etl.units import reference_units
from queries import run
from tests.conftest import REPO, build_lake_from

pytestmark = pytest.mark.slow  # every published workbook and JSON shape through whole loads

GOLDEN = REPO / "tests" / "queries" / "golden"
PORTAL = REPO / "tests" / "files" / "766-portal"
SERVICE_RESULTS = PORTAL / "service-results_year-2026_2026-09-17.json"
GIA_LAI = PORTAL / "communes_GiaLai_10102026.json"
PCI = REPO / "data" / "reference" / "pci"


@pytest.fixture(scope="module")
def names() -> UnitNames:
    """The units every data directory is seeded with: both eras, departments included."""
    return UnitNames(reference_units())


def catalog_rows(root: Path, sql: str) -> list[tuple]:
    con = lake.connect_catalog(root)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


# ------------------------------------------------------------------------------------------------
# Matching names
# ------------------------------------------------------------------------------------------------
def test_name_key_sets_aside_the_committee_and_one_type_word() -> None:
    assert name_key("UBND Xã Chơ Long") == ("xa", "cho long")
    assert name_key("UBND Thành phố Đồng Nai") == ("thanh pho", "dong nai")
    assert name_key("TP.HCM") == ("tp", "hcm")
    assert name_key("TT- Huế") == (None, "tt hue")
    assert name_key("Ủy ban nhân dân phường Pleiku") == ("phuong", "pleiku")


def test_a_name_names_a_unit_only_on_a_date(names: UnitNames) -> None:
    before, after = date(2023, 12, 31), date(2026, 10, 10)
    assert names.match("Bình Định", before).unit_code == "52"
    assert names.match("Gia Lai", before).unit_code == "64"
    assert names.match("UBND tỉnh Gia Lai", after).unit_code == "52"
    gone = names.match("Tỉnh Bình Định", after)
    assert (gone.unit_code, gone.reason) == (None, "unmatched_name")
    assert gone.candidates == "Tỉnh Bình Định (52, valid 2000-01-01 to 2025-06-30)"


def test_name_forms_and_a_trailing_province_name(names: UnitNames) -> None:
    day = date(2011, 12, 31)
    for form, code in (("TT.Huế", "46"), ("Thua Thien Hue", "46"), ("Tp.HCM", "79"), ("HCMC", "79"),
                       ("BRVT", "77"), ("Bắc Cạn", "06"), ("Đắc Lắk", "66"), ("Quàng Ngãi", "51")):  # fmt: skip
        assert names.match(form, day).unit_code == code, form
    match = names.match("UBND xã Kông Bơ La - Gia Lai", date(2026, 10, 10), ("commune",), "52")
    assert match.unit_code == "23674"


def test_departments_are_found_by_name_or_short_name_within_their_province(names: UnitNames) -> None:
    day, levels = date(2026, 10, 10), ("commune", "department", "district")
    for published in ("Sở Tư pháp", "Sở Tư pháp thành phố Hà Nội", "Sở Tư pháp TP Hà Nội"):
        assert names.match(published, day, levels, "01").unit_code == "01.STP", published
    # Sở Kế hoạch và Đầu tư merged into Sở Tài chính on 1 March 2025: not a unit in 2026
    gone = names.match("Sở Kế hoạch và Đầu tư", day, levels, "01")
    assert gone.reason == "unmatched_name" and "01.SKHDT" in gone.candidates


def test_a_near_name_is_a_candidate_never_a_match(names: UnitNames) -> None:
    match = names.match("UBND xã Albá", date(2026, 10, 10), ("commune",), "52")
    assert (match.unit, match.reason, match.candidates) == (None, "unmatched_name", "Xã Al Bá (23954)")
    nothing = names.match("Hà Tây", date(2005, 12, 31))
    assert (nothing.reason, nothing.candidates) == ("unmatched_name", "none")


def test_two_units_of_one_name_are_ambiguous_unless_the_type_word_tells() -> None:
    rows = [
        ("27001", "Phường An Hòa"), ("27002", "Xã An Hòa"), ("27003", "Xã Bình Minh"), ("27004", "Phường Bình Minh"),
    ]  # fmt: skip
    units = pl.DataFrame(
        {
            "unit_code": ["99", *(c for c, _ in rows)],
            "name": ["Tỉnh Thử", *(n for _, n in rows)],
            "short_name": ["Thử", *(n.split(" ", 1)[1] for _, n in rows)],
            "level": ["province", *["commune"] * len(rows)],
            "province_code": ["99"] * (len(rows) + 1),
            "valid_from": [date(2025, 7, 1)] * (len(rows) + 1),
            "valid_to": [None] * (len(rows) + 1),
        }
    )
    names = UnitNames(units, forms={})
    day = date(2026, 1, 1)
    assert names.match("UBND phường An Hòa", day, ("commune",), "99").unit_code == "27001"
    assert names.match("Xã An Hòa", day, ("commune",), "99").unit_code == "27002"
    both = names.match("An Hòa", day, ("commune",), "99")
    assert (both.reason, both.candidates) == ("ambiguous_name", "Phường An Hòa (27001); Xã An Hòa (27002)")


# ------------------------------------------------------------------------------------------------
# The portal's 766 scores
# ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gia_lai_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_lake_from(GOLDEN / "published_766_gialai_communes" / "inputs", tmp_path_factory.mktemp("gl") / "data")


def test_a_name_matching_no_unit_is_quarantined_with_its_candidates(gia_lai_lake: Path) -> None:
    (row,) = catalog_rows(gia_lai_lake, "select row_number, column_name, raw_value, reason, raw_record from quarantine")
    number, column, value, reason, record = row
    assert (number, column, value, reason) == (78, "unit_name_published", "UBND xã Albá", "unmatched_name")
    record = json.loads(record)
    assert record["candidates"] == "Xã Al Bá (23954)"
    assert (record["portal_code"], record["total_score"]) == ("H21.108", "71.0600")
    (message,) = catalog_rows(gia_lai_lake, "select message from load_log where kind = 'published_766'")[0]
    assert "'UBND xã Albá' on 2026-10-10: unmatched_name (candidates: Xã Al Bá (23954))" in message


def test_the_archive_keeps_the_portal_codes_the_province_overview_and_published_ranks(gia_lai_lake: Path) -> None:
    rows = catalog_rows(
        gia_lai_lake,
        "select listing, level, count(*), min(as_of), max(as_of) from published_766_scores group by all order by 1",
    )
    assert rows == [
        ("province_list", "commune", 134, date(2026, 10, 10), date(2026, 10, 10)),
        ("province_overview", "province", 1, date(2026, 10, 10), date(2026, 10, 10)),
    ]
    (van_canh,) = catalog_rows(
        gia_lai_lake,
        "select unit_code, province_code, portal_code, published_rank, clgq from published_766_scores "
        "where unit_name_published = 'UBND xã Vân Canh'",
    )
    assert van_canh == ("21994", "52", "H21.227", 1, 6.31)


def test_the_load_summary_lists_the_names_matching_no_unit(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", "published_766", str(GIA_LAI)],
        cwd=REPO,
        env={**os.environ, "CCHC_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 name(s) matched no unit (or several); their rows are quarantined:" in done.stdout
    assert "'UBND xã Albá' on 2026-10-10: unmatched_name (candidates: Xã Al Bá (23954))" in done.stdout


def test_the_portal_response_must_say_its_period_and_day(tmp_path: Path) -> None:
    unnamed = tmp_path / "response.json"
    shutil.copyfile(SERVICE_RESULTS, unnamed)
    (result,) = load_files("published_766", [unnamed], data_dir=tmp_path / "data")
    assert result.status == "refused"
    assert "name the file like service-results_year-2026_2026-09-17.json" in result.message
    assert catalog_rows(tmp_path / "data", "select count(*) from published_766_scores") == [(0,)]


def test_an_unknown_score_group_refuses_the_file(tmp_path: Path) -> None:
    document = json.loads(SERVICE_RESULTS.read_text(encoding="utf-8"))
    document["data"]["evaluation"][0]["groupScores"]["XYZ"] = 1.0
    changed = tmp_path / "service-results_year-2026_2026-09-18.json"
    changed.write_text(json.dumps(document), encoding="utf-8")
    (result,) = load_files("published_766", [changed], data_dir=tmp_path / "data")
    assert result.status == "refused" and "unknown score group(s) XYZ" in result.message


def test_a_typed_table_reads_its_periods_and_quarantines_a_bad_one(tmp_path: Path) -> None:
    data = tmp_path / "data"
    typed = tmp_path / "diem-766.csv"
    typed.write_text(
        "Năm;Kỳ;Ngày cập nhật;Tỉnh;Tên đơn vị;Tổng điểm;CKMB;TĐGQ;CLGQ;TTTT;MĐSH;MĐHL\n"
        "2026;Quý 3/2026;20/09/2026;Gia Lai;UBND xã Vân Canh;70,5;11;19;6;7;12;15,5\n"
        "2026;Tháng 9;20/09/2026;Gia Lai;Phường Pleiku;60;;;;;;\n"
        "2026;Tháng 13;20/09/2026;Gia Lai;Phường Pleiku;60;;;;;;\n"
        "2026;Năm 2026;20/09/2026;;UBND tỉnh Gia Lai;62,9;;;;;;\n",
        encoding="utf-8",
    )
    (result,) = load_files("published_766", [typed], data_dir=data)
    assert (result.status, result.rows_accepted, result.rows_quarantined) == ("loaded", 3, 1)
    rows = catalog_rows(
        data,
        "select unit_code, level, province_code, period_type, period_start, listing, total_score, mdhl "
        "from published_766_scores order by period_start, unit_code",
    )
    assert rows == [
        ("52", "province", "52", "year", date(2026, 1, 1), "province_overview", 62.9, None),
        ("21994", "commune", "52", "quarter", date(2026, 7, 1), "province_list", 70.5, 15.5),
        ("23575", "commune", "52", "month", date(2026, 9, 1), "province_list", 60.0, None),
    ]
    (bad,) = catalog_rows(data, "select row_number, column_name, raw_value, reason from quarantine")
    assert bad == (4, "period_label", "Tháng 13", "unknown_code")


def test_published_766_queries_filter_by_scope_in_sql(gia_lai_lake: Path) -> None:
    everything = run("published_766", data_dir=gia_lai_lake, year=2026, level="commune")
    assert everything.height == 134
    one = run("published_766", data_dir=gia_lai_lake, year=2026, level="commune", scope={"21994"})
    assert one.get_column("unit_code").to_list() == ["21994"]
    history = run("published_766_history", data_dir=gia_lai_lake, level="commune", scope={"21994", "52"})
    assert history.get_column("unit_code").to_list() == ["21994"]


# ------------------------------------------------------------------------------------------------
# PCI: every published layout
# ------------------------------------------------------------------------------------------------
SUB_INDICES = {
    2005: {"entry_costs", "land_access", "transparency", "time_costs", "informal_charges", "policy_implementation",
           "soe_bias", "proactivity", "business_support"},
    2006: {"entry_costs", "land_access", "transparency", "time_costs", "informal_charges", "soe_bias", "proactivity",
           "business_support", "labor_training", "legal_institutions"},
    2009: {"entry_costs", "land_access", "transparency", "time_costs", "informal_charges", "proactivity",
           "business_support", "labor_training", "legal_institutions"},
    2013: {"entry_costs", "land_access", "transparency", "time_costs", "informal_charges", "policy_bias",
           "proactivity", "business_support", "labor_training", "legal_institutions"},
}  # fmt: skip


def sub_indices(year: int) -> set[str]:
    return SUB_INDICES[max(y for y in SUB_INDICES if y <= year)]


@pytest.fixture(scope="module")
def pci_lake(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    root = tmp_path_factory.mktemp("pci") / "data"
    results = load_files("pci", sorted(PCI.glob("PCI_*.xls*")), data_dir=root)
    return root, results


def test_every_workbook_2005_2018_loads_with_its_published_ranks(pci_lake) -> None:
    root, results = pci_lake
    assert [r.status for r in results] == ["loaded"] * 14
    # Hà Tây (2005–2008) is not a unit: its row is quarantined, nothing else; a province is one row (the
    # Excel row of its weighted index), read into one record per measure but quarantined as one record
    assert [r.rows_quarantined for r in results] == [1, 1, 1, 1] + [0] * 10
    quarantined = catalog_rows(root, "select count(*), count(distinct raw_value) from quarantine")
    assert quarantined == [(4, 1)]  # one per workbook 2005–2008, all "Hà Tây"
    for year in range(2005, 2019):
        totals = run("pci", data_dir=root, year=year).filter(pl.col("level") == "total")
        ranks = totals.get_column("rank").to_list()
        published = {2005: 42, 2006: 64, 2007: 64, 2008: 64}.get(year, 63)  # provinces in the workbook
        shown = published - (1 if year <= 2008 else 0)  # without Hà Tây
        assert len(ranks) == len(set(ranks)) == shown, year
        assert set(ranks) <= set(range(1, published + 1)), year
        scores = totals.get_column("score")
        assert scores.min() > 30 and scores.max() < 80, year
        # the published rank orders the weighted scores
        ordered = totals.sort("rank").get_column("score").to_list()
        assert ordered == sorted(ordered, reverse=True), year
        subs = run("pci", data_dir=root, year=year).filter(pl.col("level") == "sub_index")
        assert set(subs.get_column("measure_code")) == sub_indices(year), year
        assert subs.get_column("score").min() >= 0 and subs.get_column("score").max() <= 10, year


def test_rows_after_the_province_table_are_not_provinces(pci_lake) -> None:
    _, results = pci_lake
    by_year = {int(r.path.stem[-4:]): r.message for r in results}
    assert "ranks read from sheet 'Xếp hạng theo chỉ số PCI'" in by_year[2005]
    assert "ranks read from the row order of the table" in by_year[2006]
    assert "read sheet 'Summary_VN'" in by_year[2014]  # not the stale English copy of 2013
    assert "4 row(s) after the province table not read" in by_year[2017]


def test_a_workbook_without_a_pci_table_is_refused(tmp_path: Path) -> None:
    papi = REPO / "data" / "reference" / "papi" / "PAPI_2011-2016.xlsx"
    (result,) = load_files("pci", [papi], data_dir=tmp_path / "data")
    assert result.status == "refused" and "PAPI_2011-2016.xlsx" in result.message


def test_the_year_comes_from_the_header_when_the_file_name_has_none(tmp_path: Path) -> None:
    renamed = tmp_path / "bang-tong-hop.xlsx"
    shutil.copyfile(PCI / "PCI_2013.xlsx", renamed)
    (result,) = load_files("pci", [renamed], data_dir=tmp_path / "data")
    assert result.status == "loaded"
    assert catalog_rows(tmp_path / "data", "select distinct year from pci_scores") == [(2013,)]
    no_year = tmp_path / "summary.xlsx"
    shutil.copyfile(PCI / "PCI_2018.xlsx", no_year)
    (refused,) = load_files("pci", [no_year], data_dir=tmp_path / "other")
    assert refused.status == "refused" and "cannot tell the PCI year" in refused.message


# ------------------------------------------------------------------------------------------------
# Typed press tables
# ------------------------------------------------------------------------------------------------
def test_typed_press_tables_names_codes_national_labels_and_components(tmp_path: Path) -> None:
    typed = tmp_path / "chi-so.csv"
    typed.write_text(
        "Chỉ số,Năm,Tỉnh/thành phố,Nội dung,Giá trị,Xếp hạng,Nguồn\n"
        'PAR,2023,Quảng Ninh,Cải cách thủ tục hành chính,"92,5 %",,báo cáo\n'
        'PAR,2023,Trung bình 63 tỉnh,Tổng,"86,98",,báo cáo\n'
        "PAR,2007,Hà Tây,Tổng,50,40,báo cáo\n"
        "SIPAS,2026,64,Tổng,80,1,báo cáo\n"
        "SIPAS,2023,52,Tổng,80,1,\n",
        encoding="utf-8",
    )
    (result,) = load_files("published_index", [typed], data_dir=tmp_path / "data")
    assert (result.rows_accepted, result.rows_quarantined) == (2, 3)
    rows = catalog_rows(
        tmp_path / "data",
        "select geography, province_code, measure_code, level, value from published_indices order by geography",
    )
    assert rows == [
        ("national", None, "total", "total", 86.98),
        ("province", "22", "cai_cach_thu_tuc_hanh_chinh", "component", 92.5),
    ]
    problems = catalog_rows(
        tmp_path / "data", "select row_number, column_name, raw_value, reason from quarantine order by row_number"
    )
    assert problems == [
        (4, "province_published", "Hà Tây", "unmatched_name"),
        (5, "province_published", "64", "unmatched_name"),  # no 2025 province 64 (and only 63 provinces before)
        (6, "source", None, "missing_required"),
    ]
    assert "'64' in 2026: no province has code 64 on 2026-12-31" in result.unmatched_names


# ------------------------------------------------------------------------------------------------
# PAPI 2017–2024 and the demo
# ------------------------------------------------------------------------------------------------
def test_numbered_dimensions_take_the_code_of_their_design() -> None:
    assert numbered_measure("D2", 2017)[0] == "transparency"
    assert numbered_measure("D2", 2018)[0] == "transparency_in_local_decision_making"
    assert numbered_measure("D1", 2024)[0] == "participation_at_local_levels"
    assert numbered_measure("D7", 2017) is None  # environmental governance starts in 2018


def test_the_demo_ships_papi_2011_2024_and_pci_2005_2018(demo_data_dir: Path) -> None:
    papi = catalog_rows(demo_data_dir, "select min(year), max(year), count(distinct year) from papi_scores")
    assert papi == [(2011, 2024, 14)]
    pci = catalog_rows(demo_data_dir, "select min(year), max(year), count(distinct year) from pci_scores")
    assert pci == [(2005, 2018, 14)]
    total_2017 = run("papi", data_dir=demo_data_dir, year=2017, province_code="22")
    assert set(total_2017.get_column("method_version")) == {"PAPI 2011 (6 dimensions)"}
    assert "transparency" in set(total_2017.get_column("measure_code"))


def test_the_templates_load_as_they_are(tmp_path: Path) -> None:
    templates = REPO / "docs" / "templates"
    (index,) = load_files("published_index", [templates / "chi-so-cong-bo.csv"], data_dir=tmp_path / "a")
    assert (index.status, index.rows_accepted, index.rows_quarantined) == ("loaded", 4, 0)
    data = tmp_path / "b"
    (portal,) = load_files("published_766", [templates / "diem-766-cong-dvcqg.csv"], data_dir=data)
    assert (portal.status, portal.rows_accepted, portal.rows_quarantined) == ("loaded", 2, 0)
    rows = catalog_rows(data, "select unit_code, listing, published_rank from published_766_scores order by 1")
    # the province typed above its commune is the province's page, not a list of provinces
    assert rows == [("21994", "province_list", 1), ("52", "province_overview", None)]


def test_every_published_index_has_its_methodology_entry() -> None:
    """docs/indicators.md and the Phương pháp page render the query headers: each published query states
    its source and its method versions (the breaks), and the generated page carries them."""
    from queries import get_query

    page = (REPO / "docs" / "indicators.md").read_text(encoding="utf-8")
    for name in ("published_766", "published_766_history", "published_index", "papi", "pci", "published_years"):
        query = get_query(name)
        assert query.source, name
        assert f"### `{name}`" in page, name
        if name != "published_years":
            assert "Method versions" in query.method, name
    assert "2018 (8 dimensions)" in get_query("papi").method
    for index in ("PAR Index", "SIPAS"):
        assert index in get_query("published_index").method
