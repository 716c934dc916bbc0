"""Disclosure control (queries/disclosure.py, docs/security.md "Disclosure control"): hand-worked
tables on which the differencing attacks succeed without the rules and fail with them, the public
mode's count threshold and its setting, server paths and hashes.

The rules are pure functions of a frame; the SIPAS and runner cases run the real query on a lake
published through the ETL (DuckDB)."""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest

from queries import QueryError, get_query, run
from queries.catalogue import CatalogueError, parse_query
from queries.disclosure import ENV_MIN_COUNT, min_count, parse_rules, protect
from queries.runner import _run_duckdb

TOLERANCE = 1e-9


# --------------------------------------------------------------------------------------------------
# SIPAS: an element suppressed below 30 respondents, recovered from the overall
# --------------------------------------------------------------------------------------------------
# District 001, 2024, SIPAS-2022, one question per element, weights 1, 40 respondents R01–R40:
#   tiep_can  (S22.TC1) all 40 answer, R01–R36 satisfied      36/40 = 0.9   n = 40
#   thu_tuc   (S22.TT1) all 40 answer, R01–R32 satisfied      32/40 = 0.8   n = 40
#   cong_chuc (S22.CC1) all 40 answer, all satisfied          40/40 = 1.0   n = 40
#   ket_qua   (S22.KQ1) R01–R35 answer, R01–R21 satisfied     21/35 = 0.6   n = 35
#   pakn      (S22.PA1) R01–R10 answer, R01–R07 satisfied      7/10 = 0.7   n = 10 < 30: suppressed
#   overall = mean of the element shares = (0.9 + 0.8 + 1.0 + 0.6 + 0.7) / 5 = 4.0 / 5 = 0.8, n = 40.
# The attack: pakn = 5 × overall − (tiep_can + thu_tuc + cong_chuc + ket_qua) = 4.0 − 3.3 = 0.7.
# District 002: 30 respondents answer all five, all satisfied: every share 1.0, nothing hidden.
ELEMENT_QUESTIONS = {"tiep_can": "S22.TC1", "thu_tuc": "S22.TT1", "cong_chuc": "S22.CC1", "ket_qua": "S22.KQ1", "pakn": "S22.PA1"}  # fmt: skip
ANSWERED_SATISFIED_001 = {"tiep_can": (40, 36), "thu_tuc": (40, 32), "cong_chuc": (40, 40), "ket_qua": (35, 21), "pakn": (10, 7)}  # fmt: skip
TRUE_PAKN_SHARE = 0.7


def _sipas_inputs() -> dict[str, list[dict]]:
    units = [
        {"unit_code": "01", "name": "Thành phố Hà Nội", "short_name": "Hà Nội", "level": "province",
         "parent_code": "", "province_code": "01", "valid_from": "2000-01-01", "valid_to": "2025-06-30"},
        {"unit_code": "001", "name": "Quận Ba Đình", "short_name": "Ba Đình", "level": "district",
         "parent_code": "01", "province_code": "01", "valid_from": "2000-01-01", "valid_to": "2025-06-30"},
        {"unit_code": "002", "name": "Quận Hoàn Kiếm", "short_name": "Hoàn Kiếm", "level": "district",
         "parent_code": "01", "province_code": "01", "valid_from": "2000-01-01", "valid_to": "2025-06-30"},
    ]  # fmt: skip
    responses = []
    for element, (answered, satisfied) in ANSWERED_SATISFIED_001.items():
        for i in range(1, answered + 1):
            answer = "5" if i <= satisfied else "2"
            responses.append({"response_id": f"001-R{i:02d}", "year": "2024", "unit_code": "001",
                              "question_code": ELEMENT_QUESTIONS[element], "answer": answer, "weight": "1"})  # fmt: skip
    for element in ELEMENT_QUESTIONS:
        for i in range(1, 31):
            responses.append({"response_id": f"002-R{i:02d}", "year": "2024", "unit_code": "002",
                              "question_code": ELEMENT_QUESTIONS[element], "answer": "5", "weight": "1"})  # fmt: skip
    return {"units": units, "survey_responses": responses}


@pytest.fixture(scope="module")
def sipas_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import build_lake_from

    return build_lake_from(_sipas_inputs(), tmp_path_factory.mktemp("sipas-differencing") / "data")


def _shares(frame: pl.DataFrame, unit: str) -> dict[str, float | None]:
    rows = frame.filter(pl.col("unit_code") == unit)
    return dict(zip(rows.get_column("element_code"), rows.get_column("satisfied_share"), strict=True))


def _differencing(shares: dict[str, float | None]) -> float | None:
    """The attack: the overall is the mean of the five element shares, so the one element not shown is
    5 × overall minus the four shown; None when fewer than four are shown (it cannot be solved)."""
    elements = {k: v for k, v in shares.items() if k != "overall"}
    shown = [v for v in elements.values() if v is not None]
    if shares["overall"] is None or len(shown) != len(elements) - 1:
        return None
    return len(elements) * shares["overall"] - sum(shown)


def test_sipas_differencing_recovered_the_suppressed_element_from_the_sql_alone(sipas_lake):
    """Before disclosure control: the query's own output (n < 30 suppressed in SQL) gives the hidden
    pakn share exactly."""
    query = get_query("sipas")
    bound = query.bind({"year": 2024, "level": "district"})
    bound["scope"] = None
    raw = _run_duckdb(query, bound, sipas_lake)
    shares = _shares(raw, "001")
    assert shares["pakn"] is None
    assert shares["overall"] == pytest.approx(0.8, abs=TOLERANCE)
    assert _differencing(shares) == pytest.approx(TRUE_PAKN_SHARE, abs=TOLERANCE)


@pytest.mark.parametrize("public", [False, True])
def test_sipas_differencing_fails_through_the_runner(sipas_lake, public):
    """Through the runner, in every mode: ket_qua (the shown element with the smallest n, 35) is hidden
    with pakn; the overall stays (targets_gap shows it too). 5 × 0.8 − (0.9 + 0.8 + 1.0) = 1.3 is the
    sum of the two hidden shares, not either of them."""
    frame = run("sipas", data_dir=sipas_lake, aggregates_only=public, year=2024, level="district")
    shares = _shares(frame, "001")
    assert shares["pakn"] is None and shares["ket_qua"] is None
    assert shares["tiep_can"] == pytest.approx(0.9, abs=TOLERANCE)
    assert shares["thu_tuc"] == pytest.approx(0.8, abs=TOLERANCE)
    assert shares["cong_chuc"] == pytest.approx(1.0, abs=TOLERANCE)
    assert shares["overall"] == pytest.approx(0.8, abs=TOLERANCE)
    assert _differencing(shares) is None
    two_hidden = 5 * shares["overall"] - (0.9 + 0.8 + 1.0)
    assert two_hidden == pytest.approx(1.3, abs=TOLERANCE)
    assert not math.isclose(two_hidden, TRUE_PAKN_SHARE)
    hidden = frame.filter((pl.col("unit_code") == "001") & pl.col("satisfied_share").is_null())
    assert hidden.select("element_code", "n", "ci_low", "ci_high").rows() == [
        ("ket_qua", 35, None, None),
        ("pakn", 10, None, None),
    ]
    assert all(v == pytest.approx(1.0) for v in _shares(frame, "002").values())  # nothing hidden


# --------------------------------------------------------------------------------------------------
# Counts: the threshold, within a row, across rows
# --------------------------------------------------------------------------------------------------
KPI_RULES = parse_rules(
    get_query("dossier_kpis").header["disclosure"], get_query("dossier_kpis").columns
)  # the query's own rules


def _kpis(rows: list[dict]) -> pl.DataFrame:
    columns = get_query("dossier_kpis").columns
    floats = {c for c in columns if c.endswith(("_rate", "_days"))}
    schema = {c: pl.Float64 if c in floats else pl.Boolean if c == "approximate" else pl.Int64 for c in columns}
    schema.update(unit_code=pl.String, unit_name=pl.String, period_start=pl.Date)
    return pl.DataFrame([{c: r.get(c) for c in columns} for r in rows], schema=schema)


# Unit A: 101 resolved = 100 on time + 1 late; 120 received, 60 online (0.5), 2 rejected (2/120).
# Unit B: 2 received, 2 resolved on time, median 4 days.
UNIT_A = {"unit_code": "A", "received": 120, "resolved": 101, "resolved_on_time": 100, "resolved_early": 40,
          "resolved_late": 1, "in_progress": 19, "overdue_in_progress": 0, "on_time_rate": 100 / 101,
          "online_rate": 0.5, "rejection_rate": 2 / 120, "median_processing_days": 6.0}  # fmt: skip
UNIT_B = {"unit_code": "B", "received": 2, "resolved": 2, "resolved_on_time": 2, "resolved_early": 0,
          "resolved_late": 0, "in_progress": 0, "overdue_in_progress": 0, "on_time_rate": 1.0,
          "online_rate": 0.5, "median_processing_days": 4.0}  # fmt: skip


def test_open_mode_shows_every_count():
    frame = _kpis([UNIT_A, UNIT_B])
    assert protect(frame, KPI_RULES, public=False).equals(frame)


def test_public_mode_hides_counts_below_the_threshold_and_what_reveals_them():
    """A: late = 1 is hidden; with resolved (101) and on time (100) shown it would be 101 − 100, so the
    smaller of the two, on time, is hidden too, and the on-time rate with it (100/101 × 101). The
    rejection rate 2/120 × 120 = 2 dossiers is hidden; the online rate (60 dossiers) stays. B: received
    and resolved 2 are hidden, and every rate and percentile of them (a median of 4 days over 2
    dossiers); 0 stays 0."""
    out = protect(_kpis([UNIT_A, UNIT_B]), KPI_RULES, public=True, min_count=3)
    a, b = out.to_dicts()
    assert (a["resolved"], a["resolved_on_time"], a["resolved_late"], a["on_time_rate"]) == (101, None, None, None)
    assert (a["received"], a["online_rate"], a["rejection_rate"], a["median_processing_days"]) == (120, 0.5, None, 6.0)
    assert (a["resolved_early"], a["in_progress"], a["overdue_in_progress"]) == (40, 19, 0)
    assert (b["received"], b["resolved"], b["resolved_on_time"], b["resolved_late"]) == (None, None, None, 0)
    assert (b["on_time_rate"], b["online_rate"], b["median_processing_days"]) == (None, None, None)
    for row in out.to_dicts():
        for column in KPI_RULES.counts:
            assert row[column] is None or row[column] == 0 or row[column] >= 3


def test_the_threshold_is_a_setting(monkeypatch):
    frame = _kpis([UNIT_A, UNIT_B])
    assert min_count() == 3
    monkeypatch.setenv(ENV_MIN_COUNT, "5")
    assert min_count() == 5
    b = protect(frame, KPI_RULES, public=True, min_count=min_count()).row(1, named=True)
    assert b["received"] is None
    monkeypatch.setenv(ENV_MIN_COUNT, "1")  # 1: no count is small
    b = protect(frame, KPI_RULES, public=True, min_count=min_count()).row(1, named=True)
    assert (b["received"], b["online_rate"]) == (2, 0.5)
    for wrong in ("0", "-2", "drei", "2.5"):
        monkeypatch.setenv(ENV_MIN_COUNT, wrong)
        with pytest.raises(ValueError, match=ENV_MIN_COUNT):
            min_count()


def test_a_wrong_threshold_is_one_clear_error_of_every_query(monkeypatch, sipas_lake):
    monkeypatch.setenv(ENV_MIN_COUNT, "abc")
    with pytest.raises(QueryError, match=f"{ENV_MIN_COUNT}='abc' is not a whole number"):
        run("sipas", data_dir=sipas_lake, year=2024)


COST_RULES = parse_rules(get_query("procedure_cost_766").header["disclosure"], get_query("procedure_cost_766").columns)


def test_a_procedure_shortfall_cannot_be_differenced_from_the_unit_total():
    """One unit, one metric, three procedures falling short by 5, 4 and 1 (the unit's shortfall, 10, is
    its denominator minus numerator in service_index_766). Public: 1 is hidden, so is 4 (the smallest
    shown shortfall of the unit), with their shares and points; 10 − 5 = 5 is their sum, not 1. Within
    each row denominator = numerator + shortfall: with P2's shortfall hidden, 40 − 36 would give it back,
    so its numerator (the smaller of 40 and 36) is hidden too; the P3 row (2 = 1 + 1) hides all three."""
    rows = [("P1", 50, 45, 5), ("P2", 40, 36, 4), ("P3", 2, 1, 1)]
    frame = pl.DataFrame(
        {
            "unit_code": ["001"] * 3, "year": [2024] * 3, "metric_code": ["PROGRESS_ON_TIME"] * 3,
            "item_code": [r[0] for r in rows], "item_name": ["a", "b", "c"], "field_code": ["F"] * 3,
            "field_name": ["f"] * 3, "denominator": [r[1] for r in rows], "numerator": [r[2] for r in rows],
            "shortfall": [r[3] for r in rows], "shortfall_share": [0.5, 0.4, 0.1], "points_lost": [2.0] * 3,
            "points_cost": [1.0, 0.8, 0.2],
        }
    )  # fmt: skip
    before = frame.get_column("shortfall")
    assert 10 - before[0] - before[1] == 1  # the attack on the unprotected table
    out = protect(frame, COST_RULES, public=True, min_count=3).select(
        "item_code", "denominator", "numerator", "shortfall", "shortfall_share", "points_cost"
    )
    assert out.rows() == [
        ("P1", 50, 45, 5, 0.5, 1.0),
        ("P2", 40, None, None, None, None),
        ("P3", None, None, None, None, None),
    ]
    shown = [s for s in out.get_column("shortfall").to_list() if s is not None]
    assert 10 - sum(shown) == 5  # two hidden cells share the 5


# --------------------------------------------------------------------------------------------------
# Paths and hashes
# --------------------------------------------------------------------------------------------------
LOG_RULES = parse_rules(get_query("load_log").header["disclosure"], get_query("load_log").columns)


def test_public_mode_keeps_file_names_only_and_no_hashes():
    frame = pl.DataFrame(
        {
            "load_id": [1, 2, 3], "kind": ["dossiers"] * 3,
            "source_file": ["/srv/cchc/exports/ho so 2024.xlsx", r"D:\du lieu\hoso.csv", "hoso.csv"],
            "sha256": ["ab" * 32, "cd" * 32, "ef" * 32], "rows_read": [3, 4, 5],
            "message": [
                "/srv/cchc/exports/ho so 2024.xlsx: missing required column(s) ngày nhận",
                r"D:\du lieu\hoso.csv: sheet 2; see /tmp/other/x.csv",
                "columns ignored: ghi chú",
            ],
        }
    )  # fmt: skip
    out = protect(frame, LOG_RULES, public=True)
    assert out.get_column("source_file").to_list() == ["ho so 2024.xlsx", "hoso.csv", "hoso.csv"]
    assert out.get_column("sha256").to_list() == [None, None, None]
    assert out.get_column("message").to_list() == [
        "ho so 2024.xlsx: missing required column(s) ngày nhận",
        "hoso.csv: sheet 2; see x.csv",
        "columns ignored: ghi chú",
    ]
    assert protect(frame, LOG_RULES, public=False).equals(frame)  # the operator's modes keep them


def test_every_query_returning_a_server_path_or_hash_declares_it():
    """A column named like a path or a hash must be under `paths`/`hashes` (or be a file name)."""
    from queries import catalogue

    for name, query in catalogue().items():
        rules = query.disclosure
        for column in query.columns:
            if column.endswith("source_file") and not query.detail:
                assert column in rules.paths, f"{name}.{column}: a server path, not declared in `paths`"
            if column.startswith("sha"):
                assert column in rules.hashes, f"{name}.{column}: a hash, not declared in `hashes`"


def test_a_malformed_clause_is_a_catalogue_error(tmp_path):
    path = tmp_path / "broken.sql"
    path.write_text(
        "-- name: broken\n-- description: d\n-- grain: g\n-- key: none\n-- columns: n\n"
        "-- disclosure: counts m\nselect 1 as n\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match=r"broken\.sql: disclosure names columns the query does not return: m"):
        parse_query(path)
    with pytest.raises(ValueError, match="unknown clause"):
        parse_rules("hide n", ("n",))
