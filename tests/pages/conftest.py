"""Fixtures for the page tests (AppTest).

- `small_lake`: a small hand-made lake (Hà Nội with four districts, TP.HCM with one; 2023 and 2024
  dossiers, SIPAS answers for 2021 and 2022 (an instrument change), PAR scores, PAPI 2015–2016 for three
  provinces, targets). Built once per session through tests/conftest.build_lake_from; CCHC_DATA_DIR is
  pointed at it for each test. Pages can be tested with it while the demo data do not exist.
- `reform_lake`: a small lake across the reform of 1 July 2025 (tests/pages/reform_inputs.py: Hà Nội's
  districts to June 2025 and communes after, Bình Định then Gia Lai under code 52, 2024–2026).
- `page_lake`: the demo lake (`demo_data_dir` of tests/conftest.py); CCHC_PAGE_TESTS_LAKE=small gives
  `small_lake` instead (quicker while working on a page). Tests that check numbers use `small_lake`.
- `app(page, **query_params)`: an AppTest of dashboard.py switched to a page file (ui/navigation.py
  PAGES: "pages/<slug>.py"), run, with the URL params; `app(None)` runs the default page. AppTest runs a
  switched-to page file directly, as a fresh server does for its first visitors: the page's own
  `navigation.enter` then draws the frame (language switch, access gate, demo label) in front of it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import build_lake_from

DISTRICTS = {
    "001": ("Quận Ba Đình", "Ba Đình"),
    "002": ("Quận Hoàn Kiếm", "Hoàn Kiếm"),
    "003": ("Quận Tây Hồ", "Tây Hồ"),
    "006": ("Quận Đống Đa", "Đống Đa"),
}
HCM_DISTRICT = {"760": ("Quận 1", "Quận 1")}


def _units() -> list[dict]:
    rows = [
        {"unit_code": "01", "name": "Thành phố Hà Nội", "short_name": "Hà Nội", "level": "province",
         "parent_code": "", "province_code": "01", "valid_from": "2000-01-01", "valid_to": ""},
        {"unit_code": "79", "name": "Thành phố Hồ Chí Minh", "short_name": "Hồ Chí Minh", "level": "province",
         "parent_code": "", "province_code": "79", "valid_from": "2000-01-01", "valid_to": ""},
        {"unit_code": "26", "name": "Tỉnh Vĩnh Phúc", "short_name": "Vĩnh Phúc", "level": "province",
         "parent_code": "", "province_code": "26", "valid_from": "2000-01-01", "valid_to": "2025-06-30"},
    ]  # fmt: skip
    for province, districts in (("01", DISTRICTS), ("79", HCM_DISTRICT)):
        for code, (name, short) in districts.items():
            rows.append(
                {"unit_code": code, "name": name, "short_name": short, "level": "district", "parent_code": province,
                 "province_code": province, "valid_from": "2000-01-01", "valid_to": "2025-06-30"}
            )  # fmt: skip
    return rows


def _procedures() -> list[dict]:
    rows = []
    for province in ("01", "79"):
        for i, (field, fee) in enumerate((("G01", "true"), ("G09", "false"), ("G12", "true"))):
            rows.append(
                {"procedure_code": f"1.00000{i + 1}", "province_code": province, "name": f"Thủ tục {i + 1}",
                 "field_code": field, "field_name": f"Lĩnh vực {field}", "authority_level": "district",
                 "full_online_eligible": "true", "has_fee": fee, "legal_days": "10", "published_at": "2020-01-01",
                 "published_on_time": "true", "public_updated_on_time": "true", "public_content_full": "true",
                 "citizen_data_connected": "true"}
            )  # fmt: skip
    return rows


def _dossiers() -> list[dict]:
    rng = random.Random(7)
    rows = []
    quality = {"001": 0.95, "002": 0.8, "003": 0.6, "006": 0.9, "760": 0.85}
    for year in (2023, 2024):
        for unit, q in quality.items():
            for i in range(40):
                received = dt.datetime(year, 1 + (i % 12), 1 + (i % 27), 8, 30)
                due = received + dt.timedelta(days=10)
                on_time = rng.random() < q + (0.03 if year == 2024 else 0)
                resolved = received + dt.timedelta(days=rng.randint(1, 9) if on_time else rng.randint(11, 20))
                status = "resolved" if i % 10 else "rejected"
                online = rng.random() < q
                rows.append(
                    {"dossier_id": f"{unit}-{year}-{i}", "procedure_code": f"1.00000{1 + i % 3}", "unit_code": unit,
                     "received_at": f"{received:%Y-%m-%d %H:%M}", "due_at": f"{due:%Y-%m-%d %H:%M}",
                     "resolved_at": f"{resolved:%Y-%m-%d %H:%M}", "status": status,
                     "channel": "online" if online else "direct", "online_level": "full" if online else "none",
                     "paid_online": str(online).lower(), "dossier_digitised": str(rng.random() < q).lower(),
                     "result_electronic": str(rng.random() < q).lower(), "data_reused": "true",
                     "digitised_shared": "true", "citizen_data_used": "true", "synced_on_time": "true",
                     "rated_satisfied": str(rng.random() < q).lower()}
                )  # fmt: skip
    return rows


def _survey() -> tuple[list[dict], list[dict]]:
    questions = []
    for instrument, start, end in (("SIPAS-2017", 2017, 2021), ("SIPAS-2022", 2022, None)):
        for element in ("tiep_can", "thu_tuc", "cong_chuc", "ket_qua", "pakn"):
            questions.append(
                {"instrument": instrument, "valid_from_year": str(start), "valid_to_year": "" if end is None else str(end),
                 "question_code": f"{instrument[-4:]}-{element}", "element": element, "element_name_vi": element,
                 "element_name_en": element, "kind": "assessment", "text_vi": "Câu hỏi", "text_en": "Question"}
            )  # fmt: skip
    rng = random.Random(11)
    responses = []
    for year, instrument in ((2021, "2017"), (2022, "2022"), (2023, "2022"), (2024, "2022")):
        for unit, q in (("001", 0.85), ("002", 0.75), ("003", 0.7), ("006", 0.8), ("760", 0.9)):
            n = 12 if unit == "003" and year == 2024 else 40  # 003 in 2024: fewer than 30, not shown
            for r in range(n):
                for element in ("tiep_can", "thu_tuc", "cong_chuc", "ket_qua", "pakn"):
                    answer = rng.choice("45") if rng.random() < q else rng.choice("123")
                    responses.append(
                        {"response_id": f"{year}-{unit}-{r}", "year": str(year), "unit_code": unit,
                         "question_code": f"{instrument}-{element}", "answer": answer, "weight": "1"}
                    )  # fmt: skip
    return questions, responses


def _par() -> list[dict]:
    rows = []
    areas = {"1": 10.0, "2": 10.0, "3": 14.5, "4": 11.0, "5": 16.0, "6": 7.0, "7": 16.0, "8": 15.5}
    for year, bonus in ((2023, 0.0), (2024, 0.05)):
        for unit, q in (
            ("01", 0.88),
            ("79", 0.9),
            ("26", 0.8),
            ("001", 0.9),
            ("002", 0.8),
            ("003", 0.7),
            ("006", 0.85),
        ):
            for area, maximum in areas.items():
                rows.append(
                    {"year": str(year), "unit_code": unit, "framework": "QD2948-2017", "area_code": area,
                     "criterion_code": f"{area}.1", "max_points": str(maximum), "self_points": str(maximum),
                     "appraised_points": f"{maximum * min(1.0, q + bonus - 0.02 * int(area) % 3):.2f}",
                     "survey_points": ""}
                )  # fmt: skip
    return rows


def _papi() -> list[dict]:
    rows = []
    for year in (2015, 2016):
        for province, base in (("01", 6.0), ("79", 6.5), ("26", 5.5)):
            for d, name in enumerate(("Participation at Local Levels", "Transparency", "Vertical Accountability",
                                      "Control of Corruption", "Public Administrative Procedures",
                                      "Public Service Delivery")):  # fmt: skip
                rows.append(
                    {"year": str(year), "province_code": province, "measure_code": name.lower().replace(" ", "_"),
                     "measure_name_en": name, "measure_name_vi": name, "parent_code": "", "level": "dimension",
                     "score": f"{base + 0.1 * d + (0.2 if year == 2016 else 0):.4f}"}
                )  # fmt: skip
            total = sum(base + 0.1 * d + (0.2 if year == 2016 else 0) for d in range(6))
            rows.append(
                {"year": str(year), "province_code": province, "measure_code": "papi_total", "measure_name_en": "Total",
                 "measure_name_vi": "Tổng", "parent_code": "", "level": "total", "score": f"{total:.4f}"}
            )  # fmt: skip
    return rows


def _targets() -> list[dict]:
    return [
        {"indicator": "on_time_rate", "unit_code": "all", "field_code": "all", "year": "2024", "comparator": ">=",
         "value": "1.0", "source": "Kế hoạch CCHC 2024"},
        {"indicator": "sipas_overall", "unit_code": "all", "field_code": "all", "year": "2024", "comparator": ">=",
         "value": "0.85", "source": "Kế hoạch CCHC 2024"},
        {"indicator": "par_rank", "unit_code": "all", "field_code": "all", "year": "2024", "comparator": "<=",
         "value": "5", "source": "Kế hoạch CCHC 2024"},
    ]  # fmt: skip


def small_lake_inputs() -> dict[str, list[dict]]:
    questions, responses = _survey()
    return {
        "units": _units(),
        "procedures": _procedures(),
        "dossiers": _dossiers(),
        "survey_questions": questions,
        "survey_responses": responses,
        "par_scores": _par(),
        "papi_scores": _papi(),
        "targets": _targets(),
    }


@pytest.fixture(scope="session")
def _small_lake_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("small-lake") / "data"
    return build_lake_from(small_lake_inputs(), path)


@pytest.fixture
def small_lake(_small_lake_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CCHC_DATA_DIR", str(_small_lake_dir))
    _reset_caches()
    return _small_lake_dir


@pytest.fixture(scope="session")
def _reform_lake_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.pages.reform_inputs import reform_lake_inputs

    path = tmp_path_factory.mktemp("reform-lake") / "data"
    return build_lake_from(reform_lake_inputs(), path)


@pytest.fixture
def reform_lake(_reform_lake_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tests/pages/reform_inputs.py: units of both eras, 2024 to 2026 (a golden-style fixture of the reform)."""
    monkeypatch.setenv("CCHC_DATA_DIR", str(_reform_lake_dir))
    _reset_caches()
    return _reform_lake_dir


@pytest.fixture
def page_lake(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Path:
    small = os.environ.get("CCHC_PAGE_TESTS_LAKE") == "small"
    path = request.getfixturevalue("_small_lake_dir" if small else "demo_data_dir")
    monkeypatch.setenv("CCHC_DATA_DIR", str(path))
    _reset_caches()
    return Path(path)


@pytest.fixture
def empty_lake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "empty"
    path.mkdir()
    monkeypatch.setenv("CCHC_DATA_DIR", str(path))
    _reset_caches()
    return path


def _reset_caches() -> None:
    import streamlit as st

    from queries import reset_connections

    reset_connections()
    st.cache_data.clear()


REPO = Path(__file__).resolve().parents[2]


def open_tables(at):
    """Open every view's Table tab and run `at` again: ui.views.view_tabs draws a table only while its
    tab is open, as a user's click on the tab would (the tab's state is `tabs-<key>`, its label)."""
    from ui.i18n import LANGS, t, using_lang

    by_label = {t("view.table", lang): lang for lang in LANGS}
    labels = {tab.label for tab in at.tabs} & set(by_label)
    if not labels:
        return at
    (label,) = labels
    closed = [key for key in at.session_state if str(key).startswith("tabs-") and at.session_state[key] != label]
    if not closed:
        return at
    for key in closed:
        at.session_state[key] = label
    # AppTest formats the other widgets' values with their format functions outside the run, so in the
    # page's language (an English page's select boxes offer English labels)
    with using_lang(by_label[label]):
        return at.run()


def tables(at):
    """The tables a user can see on the page `at` ran: its dataframe elements with every Table tab open
    (open_tables; runs `at` again the first time)."""
    return open_tables(at).dataframe


def table_with(at, header: str) -> pl.DataFrame:
    """The first table the AppTest run `at` shows with a column named `header`, as a Polars frame."""
    for element in tables(at):
        value = getattr(element.value, "data", element.value)
        if header in value.columns:
            return pl.from_pandas(value)
    raise AssertionError(f"no table with the column {header!r}")


def make_app(page: str | None = None, **params: str):
    """An AppTest of dashboard.py with URL params, switched to `page` (e.g. "pages/so-sanh.py"), run. The
    tables behind charts are drawn once their tab is open: open_tables(at)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    if page is not None:
        at.switch_page(page)
    return at.run()


@pytest.fixture
def app():
    return make_app


# ------------------------------------------------------------------------------------------------
# Downloads and viewers (access modes, docs/security.md)
# ------------------------------------------------------------------------------------------------
@pytest.fixture
def deferred_files(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """file name -> the callable a download button registered (Streamlit calls it on click, on
    another thread). A module may define its own fixture of this name; this one is the shared one."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    captured: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        captured[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return captured


def on_another_thread(fn):
    """Call `fn` on a fresh thread (no script run context), as Streamlit builds a download."""
    import threading

    out: dict[str, object] = {}

    def target() -> None:
        try:
            out["value"] = fn()
        except BaseException as error:  # re-raised in the test's thread
            out["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(120)
    if "error" in out:
        raise out["error"]  # type: ignore[misc]
    return out["value"]


TEST_RULES = """kind,principal,grants,note
user,district@example.vn,002,one district of Hà Nội (small lake)
user,province@example.vn,01,Hà Nội and its districts
group,admins,*,everything
"""


@pytest.fixture
def access_mode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """set(mode): CCHC_ACCESS_MODE=mode with the rules TEST_RULES (docs/security.md)."""
    from ui import access

    rules = tmp_path / "scopes.csv"
    rules.write_text(TEST_RULES, encoding="utf-8")
    monkeypatch.setenv(access.ENV_SCOPES, str(rules))

    def set_mode(mode: str) -> None:
        monkeypatch.setenv(access.ENV_MODE, mode)
        access._scope_cached.cache_clear()
        access._unit_rows_cached.cache_clear()

    yield set_mode
    access._scope_cached.cache_clear()
    access._unit_rows_cached.cache_clear()


def make_user_app(page: str | None, user: dict | None, **params: str):
    """An AppTest of dashboard.py as `user` (AppTest's st.user; None: not logged in), switched to
    `page`, run with the URL params (tables behind charts: open_tables)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.user = {"is_logged_in": False} if user is None else {"is_logged_in": True, "email_verified": True, **user}
    for key, value in params.items():
        at.query_params[key] = value
    if page is not None:
        at.switch_page(page)
    return at.run()


# ------------------------------------------------------------------------------------------------
# What a page run sent to the browser
# ------------------------------------------------------------------------------------------------
def sent_figures(at) -> list[dict]:
    """The Plotly figures the run sent, as the browser gets them."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def sent_tables(at) -> list[list[tuple]]:
    """The texts the run's tables show (their display values, as the browser gets them)."""
    shown = []
    for table in tables(at):
        values = table.proto.arrow_data.styler.display_values
        if values:
            shown.append(pl.read_ipc_stream(io.BytesIO(values)).rows())
    return shown


def sent_views(at) -> str:
    """The texts of the run's figures and of its tables as shown."""
    return json.dumps([sent_figures(at), sent_tables(at)], ensure_ascii=False, default=str)


def sent_in_turn_and_alone(page: str, runs: list[dict[str, str]]) -> tuple[list[str], list[str]]:
    """What each run of `page` sent (sent_views), the runs one after another in one process, then each
    with the caches cleared first: equal lists mean no run was shown what was kept for another."""
    in_turn = [sent_views(make_app(page, **params)) for params in runs]
    alone = []
    for params in runs:
        _reset_caches()
        alone.append(sent_views(make_app(page, **params)))
    return in_turn, alone
