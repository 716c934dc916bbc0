"""Names of the Decision 766 metrics and groups (ui/charts/service_766.py): the scoring table's Vietnamese
names; in English the dictionary's metric names and the table's English group names, where there are any."""

from __future__ import annotations

import polars as pl

from ui.charts import service_766

SCORING = pl.DataFrame(
    {
        "metric_code": ["PUBLISH_ON_TIME", "M_LOCAL", "M_BLANK"],
        "metric_name_vi": ["Công bố TTHC đúng hạn", "Chỉ tiêu riêng", None],
        "group_code": ["G1", "G1", "G2"],
        "group_name_vi": ["Công khai, minh bạch", "Tên khác của nhóm G1", "Tiến độ"],
        "group_name_en": ["Publicity and transparency", None, None],
        "position": [1, 2, 3],
    }
)


def test_vietnamese_names_are_the_scoring_tables():
    names = service_766.ScoringNames(SCORING, "vi")
    assert [names.metric(c) for c in ("PUBLISH_ON_TIME", "M_LOCAL", "M_BLANK", "NOT_SCORED")] == [
        "Công bố TTHC đúng hạn",
        "Chỉ tiêu riêng",
        None,  # a blank name stays blank
        "NOT_SCORED",  # a code the table does not know shows as the code
    ]
    # a group is named by its first row in scoring order
    assert [names.group(c) for c in ("G1", "G2", "G9")] == ["Công khai, minh bạch", "Tiến độ", "G9"]


def test_english_names_from_the_dictionary_and_the_tables_english_column():
    names = service_766.ScoringNames(SCORING, "en")
    assert names.metric("PUBLISH_ON_TIME") == "Procedures announced on time"  # ui/i18n/en.toml [metric766]
    assert names.metric("M_LOCAL") == "Chỉ tiêu riêng"  # no English name: the table's
    assert names.group("G1") == "Publicity and transparency"
    assert names.group("G2") == "Tiến độ"


def test_the_one_name_helpers_say_the_same():
    assert service_766.metric_name("PUBLISH_ON_TIME", SCORING, "en") == "Procedures announced on time"
    assert service_766.group_name("G1", SCORING, "vi") == "Công khai, minh bạch"
