"""Dossier explorer page (Hồ sơ) through AppTest, and the files it offers (ui/charts/dossiers.py)."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pytest

from etl.contract import PII_HEADERS, fold_text
from queries import get_query, run
from tests.pages.conftest import tables
from ui import format as fmt
from ui.charts import dossiers
from ui.views import to_csv_bytes, to_xlsx_bytes

PAGE = "pages/ho-so.py"
FILTER_KEYS = {"province", "unit", "field", "procedure", "status", "channel", "page_size", "page"}


def _table(at, index=0):
    value = tables(at)[index].value
    return getattr(value, "data", value)


def test_renders_with_every_filter(page_lake, app):
    at = app(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert {w.key for w in at.selectbox} >= FILTER_KEYS
    assert {d.key for d in at.date_input} == {"received_from", "received_to"}
    assert len(tables(at)) == 1
    labels = [t.label for t in at.tabs]
    assert labels == ["Bảng", "Tải về"]


def test_permalink_restores_filters_and_counts_equal_the_query(small_lake, app):
    at = app(
        PAGE, province="01", unit="002", status="resolved", channel="online", received_from="2024-01-01", lang="en"
    )
    assert not at.exception
    assert at.selectbox(key="unit").value == "002" and at.selectbox(key="status").value == "resolved"
    assert at.selectbox(key="channel").value == "online"
    assert at.date_input(key="received_from").value == dt.date(2024, 1, 1)
    params = {
        "province_code": "01",
        "unit_code": "002",
        "status": "resolved",
        "channel": "online",
        "received_from": dt.date(2024, 1, 1),
    }
    n = run("dossier_rows_count", data_dir=small_lake, **params).get_column("n")[0]
    assert at.subheader[0].value == f"{fmt.integer(n, 'en')} dossiers"
    rows = run("dossier_rows", data_dir=small_lake, limit=100, offset=0, **params)
    table = _table(at)
    assert list(table["Dossier id"]) == rows.get_column("dossier_id").to_list()
    assert set(table["Status"]) == {"Resolved"} and set(table["Channel"]) == {"Online"}


def _app_at_page(number: str, **params: str):
    """make_app's own `page` argument names the script, so the `?page=` parameter is set here."""
    from streamlit.testing.v1 import AppTest

    from tests.pages.conftest import REPO

    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    for key, value in {**params, "page": number}.items():
        at.query_params[key] = value
    at.switch_page(PAGE)
    return at.run()


def test_pages_follow_the_query(small_lake):
    at = _app_at_page("3", province="01", received_from="2023-01-01", page_size="50")
    assert not at.exception
    rows = run(
        "dossier_rows",
        data_dir=small_lake,
        province_code="01",
        received_from=dt.date(2023, 1, 1),
        limit=50,
        offset=100,
    )
    assert list(_table(at)["Mã hồ sơ"]) == rows.get_column("dossier_id").to_list()
    n = run("dossier_rows_count", data_dir=small_lake, province_code="01", received_from=dt.date(2023, 1, 1))["n"][0]
    assert at.selectbox(key="page").options[-1] == str(dossiers.page_count(n, 50))


def test_field_and_procedure_options_come_from_the_catalogue(small_lake, app):
    at = app(PAGE, province="01", field="G09")
    assert not at.exception
    procedures = run("dossier_procedures", province_code="01", field_code="G09", data_dir=small_lake)
    options = at.selectbox(key="procedure").options
    assert len(options) == procedures.height + 1  # "Tất cả" first
    assert all(code in " ".join(options) for code in procedures.get_column("procedure_code").to_list())


def test_swapped_dates_are_explained(page_lake, app):
    at = app(PAGE, received_from="2024-05-01", received_to="2024-04-01")
    assert not at.exception
    assert any("ngày" in w.value for w in at.warning)


def test_empty_lake_shows_guidance(empty_lake, app):
    at = app(PAGE)
    assert not at.exception
    assert "python -m etl demo" in " ".join(m.value for m in at.markdown)


# ------------------------------------------------------------------------------------------------
# The files: the whole filtered set, UTF-8 with BOM, Vietnamese names, no personal data
# ------------------------------------------------------------------------------------------------
def test_whole_set_csv_and_xlsx(small_lake):
    params = {"province_code": "01", "unit_code": "001"}
    n = run("dossier_rows_count", data_dir=small_lake, **params).get_column("n")[0]
    whole = dossiers.table(run("dossier_rows", data_dir=small_lake, limit=n, offset=0, **params), "vi")
    assert whole.height == n > 50  # more than one page of 50
    data = to_csv_bytes(whole)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    header = text.splitlines()[0]
    assert header.startswith("Mã hồ sơ,Mã đơn vị,Đơn vị,")
    assert "Quận Ba Đình" in text and text.count("\n") == n + 1
    back = pl.read_csv(io.BytesIO(data[3:]), infer_schema=False)
    assert back.height == n
    book = to_xlsx_bytes(whole.head(5), {"title": "Hồ sơ", "filters": {"Đơn vị": "Quận Ba Đình"}}, "vi")
    assert book[:2] == b"PK"


def test_rows_never_carry_personal_data():
    columns = {fold_text(c).replace(" ", "") for c in get_query("dossier_rows").columns}
    pii = {fold_text(h).replace(" ", "") for h in PII_HEADERS}
    assert not columns & pii
    assert set(dossiers.COLUMNS) == set(get_query("dossier_rows").columns)


def test_table_translates_codes_and_flags():
    rows = pl.DataFrame(
        {c: [None] for c in dossiers.COLUMNS},
        schema={c: (pl.Boolean if c in dossiers.BOOLEAN_COLUMNS else pl.String) for c in dossiers.COLUMNS},
    ).with_columns(
        pl.lit("resolved").alias("status"),
        pl.lit("postal").alias("channel"),
        pl.lit("full").alias("online_level"),
        pl.lit(True).alias("paid_online"),
        pl.lit(False).alias("on_time"),
    )
    vi = dossiers.table(rows, "vi").row(0, named=True)
    assert (vi["Trạng thái"], vi["Kênh nộp"], vi["Mức độ trực tuyến"]) == (
        "Đã giải quyết",
        "Bưu chính công ích",
        "Toàn trình",
    )
    assert (vi["Thanh toán trực tuyến"], vi["Đúng hạn"], vi["Có phí, lệ phí"]) == ("Có", "Không", None)
    en = dossiers.table(rows, "en").row(0, named=True)
    assert en["Status"] == "Resolved" and en["Paid online"] == "Yes"


@pytest.mark.parametrize(("total", "size", "pages"), [(0, 100, 1), (1, 100, 1), (100, 100, 1), (101, 100, 2)])
def test_page_count(total, size, pages):
    assert dossiers.page_count(total, size) == pages


# ------------------------------------------------------------------------------------------------
# The download buttons: their callables run later on another thread (as Streamlit runs them)
# ------------------------------------------------------------------------------------------------
@pytest.fixture
def deferred_files(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """file name -> the callable a download button registered (Streamlit calls it on click)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    captured: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        captured[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return captured


def _csv_callable(files: dict[str, object]):
    names = [n for n in files if n and n.startswith("ho-so-") and n.endswith(".csv")]
    assert len(names) == 1, names
    return files[names[0]]


def test_csv_download_holds_the_whole_filtered_set_in_the_page_language(small_lake, app, deferred_files):
    at = app(PAGE, province="01", unit="001", received_from="2023-01-01", page_size="50", lang="en")
    assert not at.exception
    assert len(_table(at)) == 50
    data = _csv_callable(deferred_files)()  # outside the script run, like Streamlit's download thread
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.splitlines()[0].startswith("Dossier id,Unit code,Unit,")
    n = run(
        "dossier_rows_count",
        province_code="01",
        unit_code="001",
        received_from=dt.date(2023, 1, 1),
        data_dir=small_lake,
    )
    assert pl.read_csv(io.BytesIO(data[3:]), infer_schema=False).height == n["n"][0] > 50
    assert "Quận Ba Đình" in text
    about = [f for n_, f in deferred_files.items() if n_ and n_.endswith(".about.txt")]
    sidecar = about[0]().decode("utf-8-sig")
    assert "Filters" in sidecar and "Quận Ba Đình" in sidecar and "Extracted" in sidecar


def test_download_keeps_the_viewers_scope(small_lake, deferred_files, access_mode):
    """A viewer limited to unit 002 downloads 002's dossiers only, though the file is built on another
    thread, outside the script run (where the session, and so the login, is not visible)."""
    from tests.pages.conftest import make_user_app, on_another_thread

    access_mode("login")
    at = make_user_app(PAGE, {"email": "district@example.vn"}, province="01", received_from="2023-01-01")
    assert not at.exception
    data = on_another_thread(_csv_callable(deferred_files))
    units = set(pl.read_csv(io.BytesIO(data[3:]), infer_schema=False)["Mã đơn vị"])
    assert units == {"002"}
