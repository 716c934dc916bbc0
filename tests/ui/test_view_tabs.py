"""A view's table is drawn only while its Table tab is open (ui.views.view_tabs): a run that shows the chart
sends the figure and the download buttons but no grid; opening the tab (its state `tabs-<key>`, as a click
sets it) runs the page again with the table, and the chart still there. A view without a chart opens on
its table. docs/performance.md, "Serving many users"."""

from __future__ import annotations

import polars as pl
from streamlit.testing.v1 import AppTest


def _views() -> None:
    import polars as pl
    import streamlit as st

    from tests.ui.test_charts import dossier_kpis_frame
    from ui import views
    from ui.charts import ranking
    from ui.indicators import indicator, normalise

    st.write(st.session_state.get("lang", "vi"))  # the language of the run (ui.i18n.current_lang)
    ind = indicator("on_time_rate")
    made = ranking.chart(normalise(dossier_kpis_frame(), ind), ind)
    views.view_chart(made, filename="xep-hang", meta={"title": "Tỷ lệ đúng hạn, 2024", "unit": "%"})
    views.view_tabs(None, pl.DataFrame({"Đơn vị": ["Quận 1"], "Hồ sơ": [12]}), filename="chi-bang")


def _grids(at) -> list[pl.DataFrame]:
    return [pl.from_pandas(getattr(e.value, "data", e.value)) for e in at.dataframe]


def test_the_table_is_drawn_only_while_its_tab_is_open():
    at = AppTest.from_function(_views, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("plotly_chart")) == 1
    assert [g.columns for g in _grids(at)] == [["Đơn vị", "Hồ sơ"]]  # the chart-less view opens on its table
    assert len(at.get("download_button")) == 6  # CSV, XLSX and metadata of both views, tab open or not
    assert [tab.label for tab in at.tabs][:3] == ["Biểu đồ", "Bảng", "Tải về"]

    at.session_state["tabs-xep-hang"] = "Bảng"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    grids = _grids(at)
    assert len(grids) == 2 and len(at.get("plotly_chart")) == 1
    ranking = grids[0]
    assert ranking.height == 4 and "Quận Hoàn Kiếm" in ranking.row(0)


def test_the_open_tab_stays_open_across_a_language_switch():
    """The tab's state is its label, which changes with the language; the open tab is also kept by position."""
    at = AppTest.from_function(_views, default_timeout=60).run()
    at.session_state["tabs-xep-hang"] = "Bảng"
    at.run()
    assert len(at.dataframe) == 2
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [tab.label for tab in at.tabs][:3] == ["Chart", "Table", "Download"]
    assert len(at.get("plotly_chart")) == 1 and len(at.dataframe) == 2
    assert at.session_state["tabs-xep-hang"] == "Table"
