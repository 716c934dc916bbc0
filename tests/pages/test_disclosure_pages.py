"""Disclosure control through the pages (docs/security.md, "Disclosure control"), with real Streamlit
(AppTest) and DuckDB on the small lake: in the public mode no page run and no download gets a count
below the threshold from the runner, and the data-quality page, its tables and its files carry no
server path and no file hash. The same runs in the open mode do show them: the tests can fail."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

import polars as pl
import pytest

from queries import get_query, run
from queries.disclosure import ENV_MIN_COUNT
from tests.pages.conftest import make_user_app, on_another_thread, tables
from tests.pages.test_access import _texts, runner_spy  # noqa: F401  (runner_spy is a fixture)

# pages whose tables hold dossier counts per unit, per procedure, and SIPAS elements
RUNS: tuple[tuple[str, dict[str, str]], ...] = (
    ("pages/tong-quan.py", {"province": "01", "year": "2024"}),
    ("pages/so-sanh.py", {"province": "01", "year": "2024"}),
    ("pages/xu-huong.py", {"province": "01"}),
    # 003: its PROGRESS_ON_TIME points are shown, so the drill-down lists its procedures (7, 3 and 2 short)
    ("pages/chi-so.py", {"index": "766", "year": "2024", "province": "01", "unit": "003"}),
    ("pages/chi-so.py", {"index": "sipas", "year": "2024", "province": "01", "unit": "001"}),
)


def _small_counts(calls: list[tuple[str, Any, pl.DataFrame]], below: int) -> list[tuple[str, str, int]]:
    """(query, column, value) of every count from 1 to below − 1 the runner returned."""
    found = []
    for name, _, frame in calls:
        for column in get_query(name).disclosure.counts:
            for value in frame.get_column(column).drop_nulls().to_list():
                if 1 <= value < below:
                    found.append((name, column, value))
    return found


def _run_pages(deferred_files: dict[str, object]) -> None:
    for page, params in RUNS:
        deferred_files.clear()
        at = make_user_app(page, None, **params)
        assert not at.exception, (page, at.exception)
        for build in list(deferred_files.values()):  # every download, built as Streamlit does
            on_another_thread(build)


@pytest.mark.slow  # every page run in the open mode; the public mode's run below stays in the quick lane
def test_open_mode_shows_small_counts(small_lake, access_mode, runner_spy, deferred_files):  # noqa: F811
    access_mode("open")
    _run_pages(deferred_files)
    found = _small_counts(runner_spy, 3)
    assert {name for name, _, _ in found} >= {"dossier_kpis", "procedure_cost_766"}


# every page run at the default threshold (the quick lane) and at a threshold from the environment (slow)
@pytest.mark.parametrize("threshold", [None, pytest.param("5", marks=pytest.mark.slow)])
def test_public_mode_shows_no_count_below_the_threshold(
    small_lake,
    access_mode,
    runner_spy,  # noqa: F811
    deferred_files,
    monkeypatch,
    threshold,
):
    access_mode("public")
    if threshold is not None:
        monkeypatch.setenv(ENV_MIN_COUNT, threshold)
    _run_pages(deferred_files)
    below = int(threshold or 3)
    assert {name for name, _, _ in runner_spy} >= {"dossier_kpis", "procedure_cost_766", "sipas"}
    assert _small_counts(runner_spy, below) == []


def _log(data_dir) -> pl.DataFrame:
    return run("load_log", data_dir=data_dir)


def test_the_public_data_quality_page_shows_no_path_and_no_hash(small_lake, access_mode, deferred_files):
    log = _log(small_lake)
    hashes = [h for h in log.get_column("sha256").to_list() if h]
    folders = {str(PurePath(p).parent) for p in log.get_column("source_file").to_list() if p}
    assert hashes and folders and all(f not in (".", "") for f in folders)

    def everything_shown(at) -> str:
        assert not at.exception
        files = [on_another_thread(build) for build in deferred_files.values()]
        return _texts(at) + "\n".join(f.decode("utf-8", "replace") for f in files if isinstance(f, bytes))

    access_mode("open")
    shown = everything_shown(make_user_app("pages/du-lieu.py", None, lang="en"))
    assert any(h in shown for h in hashes) and any(f in shown for f in folders)  # the operator's view

    access_mode("public")
    deferred_files.clear()
    shown = everything_shown(make_user_app("pages/du-lieu.py", None, lang="en"))
    assert not [h for h in hashes if h in shown]
    assert not [f for f in folders if f in shown]
    names = {PurePath(p).name for p in log.get_column("source_file").to_list() if p}
    assert any(name in shown for name in names)  # the file names stay


def test_the_public_mode_says_what_it_hides_and_a_wrong_threshold_stops_the_page(
    small_lake,
    access_mode,
    runner_spy,  # noqa: F811
    monkeypatch,
):
    access_mode("public")
    monkeypatch.setenv(ENV_MIN_COUNT, "4")
    at = make_user_app("pages/tong-quan.py", None, lang="en")
    assert not at.exception
    assert any("counts below 4" in c.value for c in at.sidebar.caption)
    monkeypatch.setenv(ENV_MIN_COUNT, "abc")
    runner_spy.clear()
    at = make_user_app("pages/tong-quan.py", None, lang="en")
    assert not at.exception
    assert any(f"{ENV_MIN_COUNT}='abc' is not a whole number" in e.value for e in at.error)
    assert not at.metric and not tables(at) and runner_spy == []
