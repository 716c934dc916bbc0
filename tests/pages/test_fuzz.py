"""Fuzzing the input to queries (docs/security.md, "Tests and figures"): every page, driven by AppTest with
every URL parameter a page reads set to a hostile value: SQL metacharacters, a 10,000-character string,
wrong types, unknown codes, Unicode oddities.

Asserted for every run:
- no exception element (never a traceback);
- a visible notice (the URL value was not valid, or there is no data), on pages with filters;
- no SQL text was built from a value: a spy on the DuckDB cursor records every statement executed and
  each one is exactly the text of a catalogue query (queries/*.sql) or one of the reader's own fixed
  statements; the hostile value is never part of a statement (values travel as bound parameters).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.pages.conftest import REPO
from tests.pages.test_data_quality import _quarantine_dir, quarantine_lake  # noqa: F401  (fixtures)
from ui import navigation

pytestmark = pytest.mark.slow  # about a hundred page runs, every page with every hostile value


def make_app(script: str, params: dict[str, str]):
    """An AppTest of dashboard.py switched to the page `script`, with URL params (one named `page` too)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(script)
    return at.run()


PAGES = tuple(page.file for page in navigation.PAGES)
# every URL parameter the pages read (ui/filters.py and the pages' own keys)
KEYS = (
    "lang", "province", "year", "unit", "unit2", "units", "indicator", "period", "level", "from", "index",
    "metric", "by", "area", "dimension", "field", "procedure", "status", "channel", "received_from",
    "received_to", "page_size", "page", "reason", "file", "limit", "offset",
)  # fmt: skip
HOSTILE = {
    "sql": "'; drop table dossiers; --",
    "sql_or": "01' OR '1'='1",
    "percent": "%",
    "underscore": "_",
    "backslash": "\\",
    "long": "x" * 10_000,
    "word_for_number": "abc",
    "huge_number": "99999999999999999999",
    "negative": "-1",
    "unknown_code": "0001",
    "unicode": "\u202e\ufeffǅ\u0000Ha\u0300\u200b",
    "markup": "<script>alert(1)</script>![x](http://evil.example/x.png)",
}
FILTER_PAGES = set(PAGES) - {"pages/phuong-phap.py"}


@pytest.fixture
def sql_spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every SQL text executed on a reader cursor (the runner's and the connection module's own) during
    the test."""
    from queries import connection, runner

    statements: list[str] = []
    original = connection.cursor

    class SpyCursor:
        def __init__(self, cur: Any) -> None:
            self._cur = cur

        def sql(self, text: str, *args: Any, **kwargs: Any) -> Any:
            statements.append(text)
            return self._cur.sql(text, *args, **kwargs)

        def execute(self, text: str, *args: Any, **kwargs: Any) -> Any:
            statements.append(text)
            return self._cur.execute(text, *args, **kwargs)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._cur, name)

    def spy_cursor(*args: Any, **kwargs: Any) -> SpyCursor:
        return SpyCursor(original(*args, **kwargs))

    def spy_cursor_of_generation(*args: Any, **kwargs: Any) -> tuple[SpyCursor, Any]:
        cur, current = original_of_generation(*args, **kwargs)
        return SpyCursor(cur), current

    original_of_generation = connection.cursor_of_generation
    monkeypatch.setattr(runner, "cursor", spy_cursor)
    monkeypatch.setattr(connection, "cursor", spy_cursor)
    monkeypatch.setattr(runner, "cursor_of_generation", spy_cursor_of_generation)  # the runner's own
    return statements


@pytest.fixture(scope="module")
def allowed_sql() -> set[str]:
    """The catalogue's query texts and the connection module's own fixed statements (USE, lake_state)."""
    import inspect

    from queries import catalogue, connection

    texts = {q.sql for q in catalogue().values()}
    source = inspect.getsource(connection)
    fixed = {f"USE {connection.ALIAS}"}
    for literal in ("select count(*) from information_schema.tables", "select load_id, published_at, is_demo"):
        start = source.index(literal)
        fixed.add(source[start : source.index('"', start)])
    return texts | fixed


def _check_statements(statements: list[str], allowed: set[str], value: str) -> None:
    assert statements, "no query ran"
    for text in statements:
        assert text in allowed, f"a statement that is not a catalogue query: {text[:200]!r}"
        if len(value) > 3:
            assert value not in text


@pytest.mark.parametrize("kind", list(HOSTILE))
@pytest.mark.parametrize("page", PAGES, ids=[page.slug for page in navigation.PAGES])
def test_hostile_url_values_never_break_a_page_nor_reach_the_sql(
    small_lake, sql_spy, allowed_sql, page: str, kind: str
):
    value = HOSTILE[kind]
    at = make_app(page, dict.fromkeys(KEYS, value))
    assert not at.exception, [e.value for e in at.exception]
    if page in FILTER_PAGES:
        notices = [a.value for kind in ("warning", "info", "error", "success") for a in getattr(at, kind)]
        assert notices, "no notice for invalid URL values"  # (data quality without quarantine: its "all loaded")
    _check_statements(sql_spy, allowed_sql, value)


@pytest.mark.parametrize("index", ["par", "sipas", "papi"])
@pytest.mark.parametrize("kind", ["sql", "long", "unicode"])
def test_every_drilldown_index_with_hostile_values(small_lake, sql_spy, allowed_sql, index: str, kind: str):
    value = HOSTILE[kind]
    at = make_app("pages/chi-so.py", {**dict.fromkeys(KEYS, value), "index": index})
    assert not at.exception, [e.value for e in at.exception]
    _check_statements(sql_spy, allowed_sql, value)


@pytest.mark.parametrize("kind", ["sql", "long", "unicode", "percent"])
def test_hostile_values_as_options_chosen_in_the_explorer(small_lake, sql_spy, allowed_sql, kind: str):
    """Valid filters elsewhere, a hostile value in the one free-form place (dates) and the unit: the
    explorer says there is nothing, or falls back, without an error."""
    value = HOSTILE[kind]
    at = make_app("pages/ho-so.py", {"province": "01", "unit": value, "received_from": value, "received_to": value})
    assert not at.exception, [e.value for e in at.exception]
    _check_statements(sql_spy, allowed_sql, value)


@pytest.mark.parametrize("kind", ["sql", "percent", "underscore", "long", "unicode"])
def test_hostile_quarantine_filters(quarantine_lake, sql_spy, allowed_sql, kind: str):  # noqa: F811
    """The data-quality page with quarantined values: hostile `reason` and `file` fall back with a
    notice; the rows shown are all of them."""
    value = HOSTILE[kind]
    at = make_app("pages/du-lieu.py", {"reason": value, "file": value})
    assert not at.exception, [e.value for e in at.exception]
    assert any("reason" in w.value for w in at.warning) and any("file" in w.value for w in at.warning)
    _check_statements(sql_spy, allowed_sql, value)


def test_the_spy_sees_bound_values_outside_the_text(small_lake, sql_spy, allowed_sql):
    """The check is not vacuous: a query run with a hostile value executes the catalogue's text."""
    from queries import get_query, run

    frame = run("dossier_rows", unit_code=HOSTILE["sql"], data_dir=small_lake)
    assert frame.is_empty()
    assert get_query("dossier_rows").sql in sql_spy
    assert all(HOSTILE["sql"] not in text for text in sql_spy)
