"""The table tab's grid (ui/views.py display_table): what Streamlit sends for a table, the underlying values
(sorting, the toolbar's export) and the texts shown, through Streamlit's own marshalling of a Styler
(`marshall_styler`, the code st.dataframe runs). The quick path (texts formatted column by column) must send
exactly what pandas' own rendering of the same formats sends (`display_table_by_pandas`)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pyarrow as pa
import pytest
from streamlit.elements.lib.pandas_styler_utils import marshall_styler
from streamlit.proto.ArrowData_pb2 import ArrowData

from ui import views


def marshalled(styler) -> ArrowData:
    proto = ArrowData()
    marshall_styler(proto, styler, "grid")
    return proto


def grid_texts(styler) -> list[list[str]]:
    """The texts the grid shows, row by row, as Streamlit sends them (the Styler's display values)."""
    table = pa.ipc.open_stream(marshalled(styler).styler.display_values).read_all()
    columns = [c for c in table.column_names if not c.startswith("__index_level_")]
    return [list(row) for row in zip(*(table.column(c).to_pylist() for c in columns), strict=True)]


EVERY_KIND = pl.DataFrame(
    {
        "Đơn vị": ["Phường Ba Đình", '=HYPERLINK("http://x","y")', None, ""],
        "Hồ sơ": [12345, -5, None, 0],
        "Tỷ lệ": [0.98765, 1234.5, None, float("nan")],
        "Ngày": [dt.date(2024, 12, 31), None, dt.date(2025, 7, 1), dt.date(2026, 1, 2)],
        "Lúc": [dt.datetime(2024, 12, 31, 8, 5), None, dt.datetime(2025, 7, 1, 23, 59, 30), dt.datetime(2026, 1, 2)],
        "Đúng hạn": [True, False, None, True],
        "Lĩnh vực": [["G01", "G09"], [], None, ["G12"]],
        "Hạng": pl.Series([3, None, 1, 2], dtype=pl.Int32),
        "Nhóm": pl.Series(["a", "b", None, "a"], dtype=pl.Categorical),
        "Trống": pl.Series([None, None, None, None], dtype=pl.Null),
    }
)


def test_the_grid_shows_each_kind_of_cell_in_the_languages_formats():
    """Checked by hand: Vietnamese thousands dots and decimal comma, day-first dates, "—" for a missing cell,
    the text as loaded (the formula shown, neutralised only underneath)."""
    rows = grid_texts(views.display_table(EVERY_KIND, "vi", decimals={"Tỷ lệ": 2}))
    assert rows[0] == [
        "Phường Ba Đình",
        "12.345",
        "0,99",
        "31/12/2024",
        "31/12/2024 08:05",
        "True",
        "G01; G09",
        "3",
        "a",
        "—",
    ]
    assert rows[1][:4] == ['=HYPERLINK("http://x","y")', "-5", "1.234,50", "—"]
    assert rows[2][:3] == ["—", "—", "—"] and rows[2][5] == "—"
    assert rows[3][0] == "—" and rows[3][2] == "—"  # an empty text and NaN show as missing
    english = grid_texts(views.display_table(EVERY_KIND, "en", unit="%"))
    assert english[0][1:4] == ["12,345", "1.0", "2024-12-31"]
    assert english[1][2] == "1,234.5"


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("decimals, unit", [(None, None), (None, "%"), (0, None), ({"Tỷ lệ": 3}, "count")])
def test_the_quick_grid_sends_what_pandas_rendering_sends(lang, decimals, unit):
    quick = marshalled(views.display_table(EVERY_KIND, lang, decimals=decimals, unit=unit))
    reference = marshalled(views.display_table_by_pandas(EVERY_KIND, lang, decimals=decimals, unit=unit))
    assert quick.styler.display_values == reference.styler.display_values
    assert quick.styler.styles == reference.styler.styles
    assert quick.styler.caption == reference.styler.caption


def test_a_column_type_the_quick_grid_does_not_know_goes_through_pandas():
    """A duration: Polars and pandas write it differently, so pandas' rendering gives the text."""
    frame = pl.DataFrame({"Thời gian": [dt.timedelta(days=1, hours=2)], "n": [1]})
    assert grid_texts(views.display_table(frame, "en")) == grid_texts(views.display_table_by_pandas(frame, "en"))
    assert grid_texts(views.display_table(frame, "en"))[0][1] == "1"


def test_the_underlying_values_stay_numbers_and_neutralised_text():
    """Sorting and the toolbar's export use the Styler's data: numbers as numbers, formulas neutralised."""
    data = views.display_table(EVERY_KIND, "vi").data
    assert data["Hồ sơ"].tolist()[:2] == [12345, -5]
    assert data["Đơn vị"].tolist()[1] == '\'=HYPERLINK("http://x","y")'
