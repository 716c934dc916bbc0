"""The example in ui/__init__.py's docstring runs as written (AppTest, on the small lake), and shows
what it says: Hà Nội's districts ranked on the on-time rate of the latest year, as the query computes it."""

from __future__ import annotations

import textwrap

import polars as pl
import pytest

import ui
from queries import run
from tests.pages.conftest import tables


def example_code() -> str:
    """The indented block of the docstring between its first line and "Modules:"."""
    doc = ui.__doc__ or ""
    block = doc[: doc.index("Modules:")].split("\n\n", 1)[1]
    return textwrap.dedent("\n".join(line for line in block.splitlines() if line.startswith("    ")))


def test_the_package_example_runs_and_ranks_the_districts(small_lake) -> None:
    from streamlit.testing.v1 import AppTest

    code = example_code()
    assert code.startswith("import streamlit as st") and "view_chart(" in code
    at = AppTest.from_string(code, default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "So sánh"
    assert at.selectbox(key="year").value == 2024
    table = tables(at)[0].value
    table = pl.from_pandas(getattr(table, "data", table).reset_index(drop=True))
    expected = run("dossier_kpis", year=2024, period="year", level="district", province_code="01", data_dir=small_lake)
    shown = dict(zip(table["Mã đơn vị"], table["Tỷ lệ hồ sơ giải quyết đúng hạn (%)"], strict=True))
    assert set(shown) == set(expected["unit_code"])  # Hà Nội's four districts
    for code_, rate in zip(expected["unit_code"], expected["on_time_rate"], strict=True):
        assert shown[code_] == pytest.approx(100 * rate)
