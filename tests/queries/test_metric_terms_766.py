"""What each Decision 766 metric counts when the drill-down splits it by procedure is data
(data/reference/766/metric_terms.csv, the lake table metric_terms_766), read by procedure_cost_766 and,
through the metrics_766 query, by the dashboard. The file covers the scoring table exactly; every term it
names is defined in procedure_cost_766.sql; metrics_766 returns the scoring table in its order."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from queries import get_query, run
from queries.paths import REFERENCE_DIR

TERMS_CSV = REFERENCE_DIR / "766" / "metric_terms.csv"
SCORING_CSV = REFERENCE_DIR / "766" / "scoring.csv"
COUNTED_ON = {"dossiers", "catalogue", "fee_procedures", "fee_coverage"}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_terms_cover_the_scoring_table_in_its_order() -> None:
    scoring = [r["metric_code"] for r in _rows(SCORING_CSV)]
    terms = _rows(TERMS_CSV)
    assert [r["metric_code"] for r in terms] == scoring
    assert [int(r["position"]) for r in terms] == list(range(1, len(scoring) + 1))
    assert {r["counted_on"] for r in terms} - {""} == COUNTED_ON


def test_every_dossier_and_catalogue_term_is_defined_once_in_the_query() -> None:
    """A metric mapped to a term the SQL does not define would count nothing (`else false`)."""
    sql = get_query("procedure_cost_766").sql
    defined = re.findall(r"when '(\w+)' then", sql)
    assert len(defined) == len(set(defined))  # each term once
    for row in _rows(TERMS_CSV):
        if row["counted_on"] in ("dossiers", "catalogue"):
            assert row["numerator"] in defined, row
        if row["counted_on"] == "dossiers":
            assert row["denominator"] in defined, row


@pytest.fixture(scope="module")
def reference_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import build_lake_from

    units = [{"unit_code": "01", "name": "Thành phố Hà Nội", "level": "province", "province_code": "01",
              "valid_from": "2000-01-01"}]  # fmt: skip
    return build_lake_from({"units": units}, tmp_path_factory.mktemp("metrics") / "data")


def test_metrics_766_lists_the_scoring_table_with_what_each_metric_counts(reference_lake: Path) -> None:
    frame = run("metrics_766", data_dir=reference_lake)
    scoring = _rows(SCORING_CSV)
    assert frame.get_column("metric_code").to_list() == [r["metric_code"] for r in scoring]
    assert frame.get_column("position").to_list() == list(range(1, 20))
    rows = {r["metric_code"]: r for r in frame.iter_rows(named=True)}
    assert rows["PROGRESS_ON_TIME"]["group_code"] == "TDGQ" and rows["PROGRESS_ON_TIME"]["max_points"] == 20.0
    assert (rows["PROGRESS_ON_TIME"]["counted_on"], rows["PROGRESS_ON_TIME"]["numerator"]) == ("dossiers", "on_time")
    assert rows["PUBLISH_ON_TIME"]["counted_on"] == "catalogue"
    assert rows["PETITION_PROCESSING_ON_TIME"]["counted_on"] is None  # not measured on procedures
    assert rows["PAYMENT_PROCEDURE_SHARE"]["full_marks_at"] == pytest.approx(0.8)  # scoring.csv line 9
    split = frame.filter(frame["counted_on"].is_not_null()).height
    assert split == 16  # the 19 metrics less the two petition metrics and electronic certified copies
