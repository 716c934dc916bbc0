"""What a careful first look at every page found, each as a test that would have caught it (AppTest on the
hand-made lakes of tests/pages/conftest.py; the chart-level cases are in tests/ui/test_charts.py, the
browser's overlaps in tests/browser/test_walk_browser.py):

- no raw dictionary key (`quartile.q5`) in any legend, label or table, in either language;
- a rank is among the units of its own level and province ("n of N" over the same N);
- a page offers no level it has nothing for, and the Overview's PAR card has its value;
- "data as of" is the last day each source covers, never the load time; demo labels only on demo sources;
- English pages in English and Vietnamese pages in Vietnamese (methodology, PAR areas, map attribution,
  the select boxes' placeholder);
- CSV dates that Excel reads as dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import polars as pl
import pytest

from queries import run
from tests.pages.conftest import tables
from ui import format as fmt
from ui import i18n, methodology, navigation, views

COMPARE, TRENDS, OVERVIEW, DRILLDOWN, METHODOLOGY = (
    "pages/so-sanh.py", "pages/xu-huong.py", "pages/tong-quan.py", "pages/chi-so.py", "pages/phuong-phap.py",
)  # fmt: skip
PAGES = [f"pages/{page.slug}.py" for page in navigation.PAGES]
SECTIONS = sorted({key.split(".", 1)[0] for key in i18n.dictionary("vi")})
RAW_KEY = re.compile(r"\b(?:" + "|".join(SECTIONS) + r")\.[a-z][a-z0-9_]*\b(?![./\w-])")
FIGURE_TEXT_KEYS = {"text", "name", "hovertext", "ticktext"}


def sweep(cases: list, quick) -> list:
    """The cases of a sweep over every page: `quick` stays in the quick lane (`make check`), every other case
    is marked slow (a page run is 1-5 s; the whole sweep runs in `make test`)."""
    return [
        case if case == quick else pytest.param(*(case if isinstance(case, tuple) else (case,)), marks=pytest.mark.slow)
        for case in cases
    ]


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _table(at, index: int = 0):
    value = tables(at)[index].value
    return getattr(value, "data", value)


def _figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _figure_texts(node, key: str | None = None) -> list[str]:
    """The strings a reader sees in a Plotly figure: titles, trace names, labels, hover texts, ticks."""
    if isinstance(node, dict):
        return [text for k, v in node.items() if k not in ("geojson", "customdata") for text in _figure_texts(v, k)]
    if isinstance(node, list):
        return [text for v in node for text in _figure_texts(v, key)]
    return [node] if isinstance(node, str) and key in FIGURE_TEXT_KEYS else []


def page_texts(at) -> list[str]:
    """Every text a page shows: titles, Markdown, captions, notices, metrics, tabs, expanders, widget
    labels and options, table headers, and the texts of its charts."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success"):
        texts += [str(e.value) for e in getattr(at, kind)]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    texts += [e.label for e in (*at.tabs, *at.expander)]
    for widget in (*at.selectbox, *at.multiselect, *at.segmented_control, *at.radio):
        texts += [widget.label, *map(str, widget.options)]
    for frame in tables(at):
        value = getattr(frame.value, "data", frame.value)
        texts += [str(c) for c in value.columns]
    for figure in _figures(at):
        texts += _figure_texts(figure)
    return texts


# ------------------------------------------------------------------------------------------------
# Raw keys, ranks, levels offered
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", sweep(PAGES, OVERVIEW))
def test_no_raw_dictionary_key_on_any_page(reform_lake, app, page, lang):
    at = app(page, lang=lang, province="01")
    _ok(at)
    raw = sorted({match for text in page_texts(at) for match in RAW_KEY.findall(text)})
    assert raw == [], f"{page} ({lang}) shows dictionary keys: {raw}"


def test_par_ranks_districts_among_their_own_province(reform_lake, app):
    """540 (Bình Định) scores above both of Hà Nội's districts, but Hà Nội's are ranked 1/2 and 2/2 among
    themselves, not 2/3 and 3/3 among a pool of provinces."""
    at = app(COMPARE, indicator="par_index", year="2024", level="district", province="01")
    _ok(at)
    table = _table(at)
    assert list(table["Mã đơn vị"]) == ["001", "002"]
    assert list(table["Hạng"]) == [1, 2] and set(table["Số đơn vị xếp hạng"]) == {2}
    par = run("par_index", year=2024, level="district", data_dir=reform_lake)
    total = par.filter(pl.col("area_code") == "total")
    ranks = dict(zip(total["unit_code"], zip(total["rank"], total["ranked_units"], strict=True), strict=True))
    assert ranks == {"001": (1, 2), "002": (2, 2), "540": (1, 1)}
    labels = [a["text"] for f in _figures(at) for a in f["layout"].get("annotations", []) if a.get("xref") == "paper"]
    assert any(label.endswith("· 1/2") for label in labels) and not any("/3" in label for label in labels)


def test_a_page_offers_only_the_levels_it_has_data_for(reform_lake, app):
    """PAR in 2026 exists only for provinces: Compare offers the province level alone, and every level it
    offers for an indicator has rows."""
    at = app(COMPARE, indicator="par_index", year="2026")
    _ok(at)
    assert list(at.segmented_control(key="level").options) == ["Cấp tỉnh"]
    assert len(_table(at)) == 2  # Hà Nội and Gia Lai
    for code, year in (("par_index", "2024"), ("sipas_overall", "2026"), ("on_time_rate", "2026")):
        offered = app(COMPARE, indicator=code, year=year).segmented_control(key="level")
        for level in offered.options:
            code_of = {i18n.t(f"level.{lv}", "vi"): lv for lv in ("commune", "district", "department", "province")}
            shown = app(COMPARE, indicator=code, year=year, level=code_of[level])
            _ok(shown)
            assert len(_table(shown)) > 0, f"{code} {year}: the level {level} is offered without data"


def test_overview_par_card_has_its_value_beside_its_target(reform_lake, app):
    at = app(OVERVIEW, province="01")
    _ok(at)
    cards = _table(at)
    par = cards[cards["Chỉ số"] == "Chỉ số cải cách hành chính (PAR Index)"].iloc[0]
    # Hà Nội's 2026 PAR: 85 % of every area's maximum, second of two provinces (Gia Lai 90 %): target rank ≤ 1
    assert par["Giá trị"] == pytest.approx(
        85.0, abs=0.02
    )  # points written with 2 decimals and par["Hạng"] == 2 and par["Số đơn vị xếp hạng"] == 2
    assert par["Mục tiêu"] == 1 and not par["Đạt mục tiêu"]
    # 2025's PAR Index is announced in 2026: a 2025 Overview shows the latest one published, 2024's, and says so
    at = app(OVERVIEW, province="01", year="2025")
    _ok(at)
    card = next(m for m in at.metric if m.label.startswith("Chỉ số cải cách hành chính"))
    assert card.label.endswith("2024") and card.value == "90,00%"


# ------------------------------------------------------------------------------------------------
# Data as of, demo labels
# ------------------------------------------------------------------------------------------------
def _as_of(data_dir, kind: str) -> dt.date:
    fresh = run("freshness", data_dir=data_dir)
    return fresh.filter(pl.col("kind") == kind).get_column("data_as_of").max()


def test_data_as_of_is_the_last_day_each_source_covers(reform_lake, app):
    at = app(OVERVIEW, province="01")
    _ok(at)
    dossiers, survey = _as_of(reform_lake, "dossiers"), _as_of(reform_lake, "survey")
    header = next(c.value for c in at.caption if c.value.startswith("Dữ liệu đến:"))
    assert f"hồ sơ {fmt.date(dossiers, 'vi')}" in header and f"khảo sát SIPAS {fmt.date(survey, 'vi')}" in header
    today = fmt.date(dt.date.today(), "vi")
    assert not [text for text in page_texts(at) if "Dữ liệu đến" in text and today in text]  # never the load time
    compare = app(COMPARE, indicator="on_time_rate")
    captions = [c.value for c in compare.caption if "Dữ liệu đến" in c.value]
    assert captions and all(fmt.date(dossiers, "vi") in c and today not in c for c in captions)
    assert not any(i18n.t("app.demo_short", "vi") in text for text in page_texts(at))  # not a demo lake


def test_demo_labels_only_on_demo_sources(page_lake, app):
    """The demo's PAPI is the real published table: its page carries no demo label, while the dossiers do."""
    demo = i18n.t("app.demo_short", "vi")
    papi = app(COMPARE, indicator="papi_total", level="province")
    _ok(papi)
    assert not [c.value for c in papi.caption if demo in c.value]
    banner = next(w.value for w in papi.warning if w.value.startswith(i18n.t("app.demo_label", "vi")))
    assert banner.endswith(i18n.t("app.demo_except", "vi", sources="PAPI")) or "PAPI" in banner.split("Trừ")[-1]
    dossiers = app(COMPARE, indicator="on_time_rate")
    assert any(demo in c.value for c in dossiers.caption)
    header = next(c.value for c in app(OVERVIEW).caption if c.value.startswith("Dữ liệu đến:"))
    assert f"PAPI {fmt.date(_as_of(page_lake, 'papi'), 'vi')}" in header
    assert f"PAPI {fmt.date(_as_of(page_lake, 'papi'), 'vi')} ({demo})" not in header


# ------------------------------------------------------------------------------------------------
# Languages
# ------------------------------------------------------------------------------------------------
# words of Vietnamese prose and labels (not of the Vietnamese names an English text may quote, "Chỉ số CCHC")
VIETNAMESE_WORDS = re.compile(r"\b(của|được|và|không|những|các|này|cho|với|theo|[Cc]ải cách|Nguồn:|Phương pháp:)(?!\w)")
VIEWS = [(page, {}) for page in PAGES] + [
    (DRILLDOWN, {"index": "par", "level": "province"}),  # PAR areas
    (DRILLDOWN, {"index": "sipas"}),
    (COMPARE, {"indicator": "par_index", "year": "2024", "level": "district", "tab": "pair"}),
]
QUOTED = re.compile(r'"[^"\n]*"')  # a quoted label ("không đủ mẫu") is a quote, not the page's language
ENGLISH_WORDS = re.compile(r"\b(the|of|and|which|Choose an option|Source|Rank|Target|Province boundaries)(?!\w)")


@pytest.mark.parametrize(("page", "params"), sweep(VIEWS, (OVERVIEW, {})))
def test_english_pages_are_in_english(reform_lake, app, page, params):
    at = app(page, lang="en", province="01", **params)
    _ok(at)
    quoted = {text for _, text in methodology.attributions("en")}  # the SOURCE.md files, quoting Vietnamese names
    found = sorted(
        {text[:120] for text in page_texts(at) if VIETNAMESE_WORDS.search(QUOTED.sub("", text)) and text not in quoted}
    )
    assert found == [], f"{page} {params} in English shows Vietnamese: {found}"


@pytest.mark.parametrize(("page", "params"), sweep(VIEWS, (OVERVIEW, {})))
def test_vietnamese_pages_are_in_vietnamese(reform_lake, app, page, params):
    """The query reference and the SOURCE.md files on the methodology page are quoted as written, in English,
    under a Vietnamese note that says so; everything else is Vietnamese."""
    at = app(page, province="01", **params)
    _ok(at)
    notes = (i18n.t("methodology.english_reference", "vi"), i18n.t("methodology.source_verbatim", "vi"))
    texts = [text for text in page_texts(at) if not any(note in text for note in notes)]
    found = sorted({text[:120] for text in texts if ENGLISH_WORDS.search(text)})
    assert found == [], f"{page} {params} in Vietnamese shows English: {found}"


@pytest.mark.parametrize("page", sweep(PAGES, OVERVIEW))
def test_select_boxes_say_choose_in_the_page_language(reform_lake, app, page):
    for lang in ("vi", "en"):
        at = app(page, lang=lang, province="01")
        placeholders = {box.proto.placeholder for box in at.selectbox}
        assert placeholders <= {i18n.t("filter.choose", lang)}, (page, lang, placeholders)


def test_map_attribution_in_the_page_language(reform_lake, app):
    vi = app(COMPARE, indicator="on_time_rate", level="province", tab="map")
    en = app(COMPARE, indicator="on_time_rate", level="province", tab="map", lang="en")
    assert any(c.value.startswith(i18n.t("map.attribution", "vi")) for c in vi.caption)
    assert not any("Province boundaries" in c.value for c in vi.caption)
    assert any("Province boundaries" in c.value for c in en.caption)


# ------------------------------------------------------------------------------------------------
# CSV dates
# ------------------------------------------------------------------------------------------------
def test_csv_dates_are_what_excel_reads_as_dates():
    """No ISO "T" and no microseconds (2024-12-13T08:45:27.000000 stays text in Excel): day first in
    Vietnamese, as a Vietnamese Excel reads dates; the XLSX keeps real date cells."""
    frame = pl.DataFrame(
        {"received_at": [dt.datetime(2024, 12, 13, 8, 45, 27, 123456)], "due": [dt.date(2024, 12, 31)]}
    )
    vi = next(csv.reader(io.StringIO(views.to_csv_bytes(frame, "vi").decode("utf-8-sig").splitlines()[1])))
    en = next(csv.reader(io.StringIO(views.to_csv_bytes(frame, "en").decode("utf-8-sig").splitlines()[1])))
    assert vi == ["13/12/2024 08:45:27", "31/12/2024"]
    assert en == ["2024-12-13 08:45:27", "2024-12-31"]
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(views.to_xlsx_bytes(frame, None, "vi"))).get_sheet_by_index(0)
    cells = [cell for row in sheet.to_python() for cell in row]
    assert dt.datetime(2024, 12, 13, 8, 45, 27) in cells or dt.datetime(2024, 12, 13, 8, 45, 27, 123000) in cells
