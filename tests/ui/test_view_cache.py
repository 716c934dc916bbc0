"""A figure drawn once per published lake (ui.fetch.per_lake_view) reaches the browser byte for byte as
the figure drawn on the run: Streamlit sends `BuiltFigure(figure.to_dict())`, after the cache's pickling,
exactly as it sends the figure itself (docs/performance.md, "What a page run costs")."""

from __future__ import annotations

import io
import json

import polars as pl
from streamlit.testing.v1 import AppTest


def _script() -> None:
    import datetime as dt
    import pickle

    import polars as pl
    import streamlit as st

    from tests.ui.test_charts import dossier_kpis_frame
    from ui import views
    from ui.charts import ranking
    from ui.charts.common import BuiltFigure
    from ui.indicators import indicator, normalise

    year = dt.date(2024, 1, 1)
    kpis = dossier_kpis_frame()
    ind = indicator("on_time_rate")
    target = {"value": 98.0, "comparator": ">=", "on": "value"}
    meta = {"title": "Tỷ lệ đúng hạn, 2024"}
    index = indicator("service_index_766")
    communes = pl.DataFrame(  # a tall ranking: 168 bars, bands, labels right of the plot
        {
            "unit_code": [f"{i:05d}" for i in range(168)],
            "period_start": [year] * 168,
            "total_points": [95.0 - i / 4 for i in range(168)],
            "band": ["excellent" if i < 20 else "good" for i in range(168)],
            "rank": list(range(1, 169)),
        }
    )
    for name, made in (
        ("ranking", ranking.chart(normalise(kpis, ind), ind, target=target)),
        ("communes", ranking.chart(normalise(communes, index), index, bands={"excellent": "Xuất sắc", "good": "Tốt"})),
    ):
        drawn = views.titled(made.figure, meta)
        st.plotly_chart(drawn, key=f"{name}-drawn")
        spec = pickle.loads(pickle.dumps(views.titled(made.figure, meta).to_dict()))  # as st.cache_data keeps it
        st.plotly_chart(BuiltFigure(spec), key=f"{name}-built")


def test_a_built_figure_is_sent_byte_for_byte_as_the_drawn_one():
    at = AppTest.from_function(_script, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert len(specs) == 4
    assert specs[0] == specs[1] and specs[2] == specs[3]
    built = json.loads(specs[1])
    assert built["layout"]["title"]["text"] == "Tỷ lệ đúng hạn, 2024"
    assert built["data"][0]["y"] == ["Quận Hoàn Kiếm", "Quận Ba Đình", "Quận Đống Đa", "Quận Tây Hồ"]


def _tables() -> None:
    import datetime as dt
    import pickle

    import polars as pl
    import streamlit as st

    from ui import views

    frame = pl.DataFrame(
        {
            "Đơn vị": ["Quận Hoàn Kiếm", "=HYPERLINK(1)", None],
            "Tỷ lệ (%)": [99.0, 1234.5, None],
            "Hồ sơ": [80, 1_200_000, None],
            "Ngày": [dt.date(2024, 3, 1), None, dt.date(2024, 12, 31)],
        }
    )
    for lang in ("vi", "en"):
        kept = pickle.loads(pickle.dumps(views.display_values(frame, lang, unit="%")))  # as st.cache_data keeps it
        st.dataframe(views.display_table(frame, lang, unit="%"), key=f"formatted-{lang}")
        st.dataframe(views.display_table(frame, lang, unit="%", translated=kept), key=f"kept-{lang}")


def test_kept_table_texts_are_sent_as_the_formatted_ones():
    at = AppTest.from_function(_tables, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    protos = [table.proto.arrow_data for table in at.dataframe]
    assert len(protos) == 4
    for formatted, kept in (protos[0:2], protos[2:4]):
        assert formatted.data == kept.data
        assert formatted.styler.display_values == kept.styler.display_values
    vi, en = (pl.read_ipc_stream(io.BytesIO(p.styler.display_values)) for p in (protos[1], protos[3]))
    assert vi.row(1) == ("=HYPERLINK(1)", "1.234,5", "1.200.000", "—")
    assert en.row(1) == ("=HYPERLINK(1)", "1,234.5", "1,200,000", "—")
