"""Vị trí của tỉnh (pages/vi-tri.py) through AppTest, on real published files (tests/pages/standing_lake.py):
every number is checked against the file it was published in, and the province's own 766 figure by hand.

The own, dossier-based 766 figure of today's Hải Phòng in 2026 (40 dossiers, tests/pages/standing_lake.py;
scoring table data/reference/766/scoring.csv):
- CKMB 18 of 18: both procedures published, updated and complete on time (6 + 4 + 2), every dossier synced (6);
- TDGQ 16 of 20: 8 of 40 resolved late (i % 5 == 0), 32/40 = 0.8 on time, 0.8 × 20;
- DVCTT 6 of 12: half the dossiers full online, 0.5 × 12;
- TTTT 7 of 10: 5 of the 10 fee dossiers of each commune paid online, 0.5 × 6 = 3; the one fee procedure has a
  dossier paid online (1/1 ≥ 0.8: 2) and a dossier at all (1/1: 2);
- MDSH 18 of 22: electronic results 6, digitised 4, digitised and shared 4, citizen data on dossiers 2 and on
  procedures 2; no data reused (0 of 2); certified copies have no input (no data, not counted);
- MDHL 18 of 18: no petition (6 + 6, the points the table gives a zero denominator), every dossier rated
  satisfied (6).
Total 83 against the portal's 66.54 of 17/09/2026: gap +16.46.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl
import pytest
import python_calamine

from queries import run
from tests.conftest import REPO
from tests.pages.conftest import _reset_caches, on_another_thread, sent_in_turn_and_alone, tables
from tests.pages.standing_lake import build_standing_lake
from ui.published import version_of

PAGE = "pages/vi-tri.py"
PORTAL = REPO / "tests" / "files" / "766-portal" / "service-results_year-2026_2026-09-17.json"
PAPI_2017_2024 = REPO / "data" / "reference" / "papi" / "papi_2017_2024_long.csv"
PCI_2018 = REPO / "data" / "reference" / "pci" / "PCI_2018.xlsx"


@pytest.fixture(scope="session")
def _standing_lake_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_standing_lake(tmp_path_factory.mktemp("standing"))


@pytest.fixture
def standing_lake(_standing_lake_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CCHC_DATA_DIR", str(_standing_lake_dir))
    _reset_caches()
    return _standing_lake_dir


# ------------------------------------------------------------------------------------------------
# The published files, read here independently of the product
# ------------------------------------------------------------------------------------------------
def portal(name: str) -> tuple[float, int, dict]:
    """(total, rank among the 34, groups) of a province in the portal's response."""
    evaluation = json.loads(PORTAL.read_text(encoding="utf-8"))["data"]["evaluation"]
    (row,) = [e for e in evaluation if e["departmentName"].endswith(name)]
    rank = 1 + sum(e["totalScore"] > row["totalScore"] for e in evaluation)
    return row["totalScore"], rank, row["groupScores"]


def papi_total(year: int, code: str) -> float:
    with PAPI_2017_2024.open(encoding="utf-8") as handle:
        (row,) = [
            r
            for r in csv.DictReader(handle)
            if r["year"] == str(year) and r["gso_province_code"] == str(int(code)) and r["measure_code"] == "total"
        ]
    return float(row["score"])


def papi_rank(year: int, code: str) -> tuple[int, int]:
    """Competition rank among the provinces with a total that year, and how many have one."""
    with PAPI_2017_2024.open(encoding="utf-8") as handle:
        totals = [
            float(r["score"]) for r in csv.DictReader(handle) if r["year"] == str(year) and r["measure_code"] == "total"
        ]
    return 1 + sum(v > papi_total(year, code) for v in totals), len(totals)


def pci_2018(name: str) -> tuple[float, int]:
    rows = python_calamine.CalamineWorkbook.from_path(str(PCI_2018)).get_sheet_by_name("Summary").to_python()
    (row,) = [r for r in rows if r[0] == name]
    return row[2], int(row[1])


def vi(number: float) -> str:
    return f"{number:.2f}".replace(".", ",")


def table(element):
    value = element.value
    return getattr(value, "data", value)


def cards(at) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def query(string: str) -> dict[str, str]:
    """A page link's query string as a dict ("index=papi&level=province")."""
    return dict(part.split("=", 1) for part in string.split("&")) if string else {}


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


# ------------------------------------------------------------------------------------------------
# Today's Hải Phòng, and what it is made of
# ------------------------------------------------------------------------------------------------
def test_today_hai_phong_with_the_former_hai_phong_and_hai_duong_listed_under_it(standing_lake, app) -> None:
    at = app(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert at.title[0].value == "Vị trí của tỉnh"
    assert at.sidebar.selectbox(key="province").value == "31"  # the province with the most dossiers
    (merged,) = at.info[:1]
    assert "Thành phố Hải Phòng (đến 30/06/2025), Tỉnh Hải Dương (đến 30/06/2025)" in merged.value
    assert "không cộng và không lấy trung bình" in merged.value

    total, rank, _ = portal("Thành phố Hải Phòng")
    par_hp, sipas_hp = "96,17%", "88,09%"  # tests/files/published/chi-so-cong-bo_2021-2024.csv
    pci_hp, pci_hp_rank = pci_2018("Hai Phong")
    pci_hd, pci_hd_rank = pci_2018("Hai Duong")
    assert cards(at)[:7] == [
        ("Hải Phòng", vi(total)),
        ("Hải Phòng", par_hp),
        ("Hải Phòng", sipas_hp),
        ("Hải Phòng", vi(papi_total(2024, "31"))),
        ("Hải Dương", vi(papi_total(2024, "30"))),
        ("Hải Phòng", vi(pci_hp)),
        ("Hải Dương", vi(pci_hd)),
    ]
    text = captions(at)
    assert f"Hạng {rank}/34 (tính từ điểm công bố)" in text and "Năm 2026, Cổng cập nhật 17/09/2026" in text
    assert "Hạng 1/63  \n2024" in text and "Nhóm A" in text and "Mục tiêu: hạng ≤ 5: Đạt mục tiêu" in text
    assert "Hạng 5/63  \n2023" in text and "Mục tiêu ≥ 85,0%: Đạt mục tiêu" in text
    for code in ("31", "30"):
        papi_r, papi_n = papi_rank(2024, code)
        assert f"Hạng {papi_r}/{papi_n} (tính từ điểm công bố)" in text
    assert f"Hạng {pci_hp_rank}/63" in text and f"Hạng {pci_hd_rank}/63" in text
    assert "Phương pháp: PAPI 2018 (8 dimensions)" in text and "Phương pháp: PCI 2013 (10 sub-indices)" in text


def test_the_summary_lists_each_province_as_published_never_combined(standing_lake, app) -> None:
    at = app(PAGE, lang="en")
    assert not at.exception
    summary = table(tables(at)[0])
    rows = list(zip(summary["Index"], summary["Province (as published)"], summary["Period"], strict=True))
    assert rows == [
        ("766 score (national portal)", "Thành phố Hải Phòng", "Năm 2026, portal read on 2026-09-17"),
        ("PAR Index", "Thành phố Hải Phòng (to 2025-06-30)", "2024"),
        ("SIPAS", "Thành phố Hải Phòng (to 2025-06-30)", "2023"),
        ("PAPI", "Thành phố Hải Phòng (to 2025-06-30)", "2024"),
        ("PAPI", "Tỉnh Hải Dương (to 2025-06-30)", "2024"),
        ("PCI", "Thành phố Hải Phòng (to 2025-06-30)", "2018"),
        ("PCI", "Tỉnh Hải Dương (to 2025-06-30)", "2018"),
    ]
    assert list(summary["National"])[1:3] == [88.37, 82.66]  # the national figures typed with them
    assert set(summary["Kind of figure"]) == {"Published"}


def test_the_portals_766_beside_the_provinces_own_group_by_group(standing_lake, app) -> None:
    at = app(PAGE)
    total, _, groups = portal("Thành phố Hải Phòng")
    assert cards(at)[7:] == [
        ("Cổng công bố", f"{vi(total)} điểm"),
        ("Tự tính từ hồ sơ", "83,00 điểm"),
        ("Chênh lệch (tự tính − công bố)", f"+{vi(83 - total)} điểm"),
    ]
    groups_table = table(tables(at)[1])
    own = dict(zip(groups_table["Mã nhóm (bảng điểm)"], groups_table["Tự tính (từ hồ sơ)"], strict=True))
    assert own == {"CKMB": 18, "TDGQ": 16, "DVCTT": 6, "TTTT": 7, "MDSH": 18, "MDHL": 18, "total": 83}
    published = dict(zip(groups_table["Cột của Cổng"], groups_table["Cổng công bố"], strict=True))
    assert published == {**{k.lower(): v for k, v in groups.items() if k != "CLGQ"}, "clgq": groups["CLGQ"],
                         "total_score": total}  # fmt: skip
    gaps = dict(zip(groups_table["Mã nhóm (bảng điểm)"], groups_table["Chênh lệch (tự tính − công bố)"], strict=True))
    assert gaps["DVCTT"] == pytest.approx(6 - groups["CLGQ"])
    assert "không phải số liệu công bố" in captions(at)


def test_a_trend_per_index_with_its_method_breaks_and_a_link_to_its_detail_page(standing_lake, app) -> None:
    at = app(PAGE)
    text = captions(at)
    assert "Đổi phương pháp từ năm: 2018." in text and "Đổi phương pháp từ năm: 2006, 2009, 2013." in text
    papi = next(table(df) for df in tables(at) if "PAPI (điểm)" in table(df).columns)
    former = papi[papi["Tỉnh (khi công bố)"] == "Thành phố Hải Phòng (đến 30/06/2025)"]
    assert list(former["Thời điểm"]) == [str(y) for y in range(2011, 2025)]
    assert list(former["Đoạn (tách tại điểm đổi phương pháp)"]) == [0] * 7 + [1] * 7  # 2018: 8 dimensions
    links = [(link.proto.page, query(link.proto.query_string)) for link in at.get("page_link")]
    assert ("chi-so", {"index": "papi"}) in links and ("phuong-phap", {}) in links, links
    assert ("chi-so", {"index": "766", "level": "province"}) in links, links


# ------------------------------------------------------------------------------------------------
# Switches, permalinks, downloads
# ------------------------------------------------------------------------------------------------
def test_the_province_switch(standing_lake, app) -> None:
    at = app(PAGE)
    at.sidebar.selectbox(key="province").set_value("22").run()
    assert not at.exception
    assert not [i for i in at.info if "hiện nay gồm" in i.value]  # Quảng Ninh was not merged
    total, rank, _ = portal("Quảng Ninh")
    pci, pci_rank = pci_2018("Quang Ninh")
    assert cards(at)[:5] == [
        ("Quảng Ninh", vi(total)),
        ("Quảng Ninh", "không công bố điểm"),  # PAR Index 2023: first, its value not in the article
        ("Quảng Ninh", "90,61%"),
        ("Quảng Ninh", vi(papi_total(2024, "22"))),
        ("Quảng Ninh", vi(pci)),
    ]
    text = captions(at)
    assert f"Hạng {rank}/34" in text and "Hạng 1/63  \n2023" in text and f"Hạng {pci_rank}/63" in text
    assert "Hạng {}/{} (tính từ điểm công bố)".format(*papi_rank(2024, "22")) in text


def test_the_units_switch_lists_the_provinces_as_published(standing_lake, app) -> None:
    at = app(PAGE, basis="as_published", province="30")
    assert not at.exception
    options = at.sidebar.selectbox(key="province").options
    assert len(options) == 63 and "Tỉnh Hải Dương (đến 30/06/2025)" in options
    assert cards(at) == [("Hải Dương", vi(papi_total(2024, "30"))), ("Hải Dương", vi(pci_2018("Hai Duong")[0]))]
    assert any("Chưa có điểm 766 công bố" in i.value for i in at.info)
    at.sidebar.segmented_control(key="basis").set_value("current").run()
    province = at.sidebar.selectbox(key="province")  # the former Hải Dương is no province of today's list
    assert (province.value, len(province.options)) == ("31", 34)


def test_an_old_bookmark_with_units_as_keeps_its_choice(standing_lake, app) -> None:
    """?units_as= was this page's key before ?basis= was shared by every page: it is read as ?basis=."""
    at = app(PAGE, units_as="as_published", province="30")
    assert not at.exception
    assert at.sidebar.segmented_control(key="basis").value == "as_published"
    assert len(at.sidebar.selectbox(key="province").options) == 63
    assert "units_as" not in at.query_params and at.query_params["basis"] in ("as_published", ["as_published"])


def test_permalink_in_english(standing_lake, app) -> None:
    at = app(PAGE, province="22", basis="current", lang="en")
    assert not at.exception
    assert at.title[0].value == "Where the province stands"
    assert at.sidebar.selectbox(key="province").value == "22"
    assert cards(at)[2] == ("Quảng Ninh", "90.61%")
    assert at.query_params["province"] in ("22", ["22"])


def test_an_unknown_province_in_the_address_falls_back_with_a_notice(standing_lake, app) -> None:
    at = app(PAGE, province="64")  # the former Gia Lai is not a province of today
    assert not at.exception
    assert any("province" in w.value for w in at.warning)
    assert at.sidebar.selectbox(key="province").value == "31"


def test_downloads_carry_the_figures_as_published_with_their_sources(standing_lake, app, deferred_files) -> None:
    at = app(PAGE, lang="en")
    assert not at.exception
    names = sorted(n for n in deferred_files if n)
    assert "vi-tri-31-current.csv" in names and "vi-tri-tat-ca-31-current.xlsx" in names
    summary = on_another_thread(deferred_files["vi-tri-31-current.csv"])
    assert summary.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(summary[3:].decode("utf-8"))))
    par = next(r for r in rows if r["Index"] == "PAR Index")
    assert (par["Published value"], par["Rank"], par["Out of (provinces)"], par["Target met"]) == (
        "96.17",
        "1",
        "63",
        "true",
    )
    assert "VietnamPlus" in par["Source"] and par["Method version"] == "QĐ 876/QĐ-BNV (2022)"
    everything = pl.read_csv(io.BytesIO(on_another_thread(deferred_files["vi-tri-tat-ca-31-current.csv"])[3:]))
    papi = everything.filter(pl.col("Index") == "PAPI")
    assert papi.height == 28  # 2011–2024 for each of the two provinces, never one combined row
    about = on_another_thread(deferred_files["diem-766-cong-va-tu-tinh-31-2026.about.txt"]).decode("utf-8-sig")
    assert "766-portal-2026" in about and "not a published figure" in about


# ------------------------------------------------------------------------------------------------
# The method versions the page names are the ones the queries return
# ------------------------------------------------------------------------------------------------
def test_the_versions_of_published_methods_csv_are_the_labels_the_queries_return(standing_lake) -> None:
    """The page segments a trend by the figure's method_version (from the query for PAPI and the portal's 766)
    and names the breaks from data/reference/published_methods.csv: the two must agree on every year loaded."""
    papi = pl.concat(
        [run("papi", data_dir=standing_lake, year=year).select("year", "method_version") for year in (2017, 2018, 2024)]
    ).unique()
    assert sorted(papi.rows()) == [
        (2017, "PAPI 2011 (6 dimensions)"),
        (2018, "PAPI 2018 (8 dimensions)"),
        (2024, "PAPI 2018 (8 dimensions)"),
    ]
    portal = run("published_766_history", data_dir=standing_lake, level="province", period="year")
    portal = portal.select(pl.col("period_start").dt.year().alias("year"), "scoring_version").unique()
    # Thái Nguyên's typed table has a 2025 reading, the portal's response is of 2026
    assert sorted(portal.rows()) == [(2025, "766-portal-2025"), (2026, "766-portal-2026")]
    for code, frame in (("PAPI", papi), ("766", portal)):
        for year, label in frame.rows():
            assert version_of(code, year).version == label, (code, year)


# ------------------------------------------------------------------------------------------------
# Figures and table texts kept per published lake (ui.fetch.per_lake_view)
# ------------------------------------------------------------------------------------------------
def test_kept_figures_follow_the_units_and_the_language(standing_lake) -> None:
    """Today's Hải Phòng (31) and the Hải Phòng of before 1 July 2025 (also 31, as published), then in
    English, one after another in one process: each run sends what the same run sends with the caches
    cleared. Province 31 draws other trends in each units setting (today's with Hải Dương's figures beside
    it), so a figure kept without its units would show the wrong province."""
    runs = [
        {"province": "31", "basis": "current"},
        {"province": "31", "basis": "as_published"},
        {"province": "31", "basis": "current", "lang": "en"},
    ]
    in_turn, alone = sent_in_turn_and_alone(PAGE, runs)
    assert in_turn == alone
    assert len(set(alone)) == 3
    assert "Hải Dương" in alone[0] and "Hải Dương" not in alone[1]
