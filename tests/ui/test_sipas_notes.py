"""SIPAS shares hidden by the disclosure rules say why (ui/charts/sipas.py: hidden_note): fewer than 30
respondents ("too few responses"), or hidden beside such an element so it cannot be worked out."""

from __future__ import annotations

import re

import polars as pl

from queries import get_query
from ui.charts import sipas


def test_the_note_threshold_is_the_query_s():
    thresholds = set(re.findall(r"\bn (?:>=|<) (\d+)", get_query("sipas").sql))
    assert thresholds == {str(sipas.SURVEY_MIN_RESPONDENTS)}


def test_each_hidden_share_says_why():
    rows = pl.DataFrame(
        {
            "unit_code": ["001"] * 4,
            "year": [2024] * 4,
            "element_code": ["tiep_can", "ket_qua", "pakn", "overall"],
            "n": [40, 35, 10, 40],
            "satisfied_share": [0.9, None, None, 0.8],
            "ci_low": [0.8, None, None, 0.7],
            "ci_high": [1.0, None, None, 0.9],
            "approximate": [False] * 4,
        }
    )
    notes = dict(sipas.frame(rows, "001", "en").select("element_code", "note").iter_rows())
    assert notes == {
        "tiep_can": None,
        "ket_qua": "hidden so that a too-small estimate cannot be worked out",
        "pakn": "too few responses",
        "overall": None,
    }
    vi = dict(sipas.frame(rows, "001", "vi").select("element_code", "note").iter_rows())
    assert (vi["ket_qua"], vi["pakn"]) == ("ẩn để không suy ra được ước lượng không đủ mẫu", "không đủ mẫu")
