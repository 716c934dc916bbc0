"""Disclosure control (queries/disclosure.py, docs/security.md "Disclosure control"): hand-worked
tables on which the differencing attacks succeed without the rules and fail with them, the public
mode's count threshold and its setting, server paths and hashes.

The rules are pure functions of a frame; the SIPAS and runner cases run the real query on a lake
published through the ETL (DuckDB)."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from queries import QueryError, get_query, run
from queries.catalogue import CatalogueError, parse_query
from queries.disclosure import ENV_MIN_COUNT, min_count, parse_rules, protect

TOLERANCE = 1e-9


# --------------------------------------------------------------------------------------------------
# SIPAS: an element suppressed below 30 respondents, recovered from the overall or from the province
# --------------------------------------------------------------------------------------------------
# SIPAS-2022, one question per element, weights 1. District 001, 2024, 40 respondents R01–R40:
#   tiep_can  (S22.TC1) all 40 answer, R01–R36 satisfied      36/40 = 0.9   n = 40
#   thu_tuc   (S22.TT1) all 40 answer, R01–R32 satisfied      32/40 = 0.8   n = 40
#   cong_chuc (S22.CC1) all 40 answer, all satisfied          40/40 = 1.0   n = 40
#   ket_qua   (S22.KQ1) R01–R35 answer, R01–R21 satisfied     21/35 = 0.6   n = 35
#   pakn      (S22.PA1) R01–R10 answer, R01–R07 satisfied      7/10 = 0.7   n = 10 < 30: suppressed
#   overall = mean of the element shares = (0.9 + 0.8 + 1.0 + 0.6 + 0.7) / 5 = 4.0 / 5 = 0.8, n = 40.
# District 002, 30 respondents answering all five: 27, 24, 30, 21 and 18 satisfied: 0.9, 0.8, 1.0, 0.7,
#   0.6; overall 4.0 / 5 = 0.8.
# Province 01 pools them: pakn (7 + 18) / (10 + 30) = 25/40 = 0.625, n = 40.
# Attack 1 (within the unit): pakn = 5 × overall − the four shown = 4.0 − 3.3 = 0.7.
# Attack 2 (from the province's total): pakn = (40 × 0.625 − 30 × 0.6) / 10 = (25 − 18) / 10 = 0.7.
ELEMENT_QUESTIONS = {"tiep_can": "S22.TC1", "thu_tuc": "S22.TT1", "cong_chuc": "S22.CC1", "ket_qua": "S22.KQ1", "pakn": "S22.PA1"}  # fmt: skip
ANSWERED_SATISFIED = {
    "001": {"tiep_can": (40, 36), "thu_tuc": (40, 32), "cong_chuc": (40, 40), "ket_qua": (35, 21), "pakn": (10, 7)},
    "002": {"tiep_can": (30, 27), "thu_tuc": (30, 24), "cong_chuc": (30, 30), "ket_qua": (30, 21), "pakn": (30, 18)},
}  # fmt: skip
TRUE_PAKN_SHARE = 0.7
# the query's text before complementary suppression: every share shown from 30 respondents
BEFORE = ("when shown", "when n >= 30")


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
    for unit, elements in ANSWERED_SATISFIED.items():
        for element, (answered, satisfied) in elements.items():
            for i in range(1, answered + 1):
                responses.append({"response_id": f"{unit}-R{i:02d}", "year": "2024", "unit_code": unit,
                                  "question_code": ELEMENT_QUESTIONS[element], "answer": "5" if i <= satisfied else "2",
                                  "weight": "1"})  # fmt: skip
    return {"units": units, "survey_responses": responses}


@pytest.fixture(scope="module")
def sipas_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import build_lake_from

    return build_lake_from(_sipas_inputs(), tmp_path_factory.mktemp("sipas-differencing") / "data")


def _sipas_before(data_dir: Path, level: str) -> pl.DataFrame:
    """The sipas query as it was before complementary suppression (a share shown from 30 respondents),
    on the real DuckDB lake."""
    from queries.connection import cursor

    query = get_query("sipas")
    assert query.sql.count(BEFORE[0]) == 3  # share, ci_low, ci_high
    bound = query.bind({"year": 2024, "level": level})
    bound["scope"] = None
    cur = cursor(data_dir)
    try:
        return cur.sql(query.sql.replace(*BEFORE), params=bound).pl()
    finally:
        cur.close()


def _table(frame: pl.DataFrame) -> dict[tuple[str, str], tuple[int, float | None]]:
    return {(u, e): (n, s) for u, e, n, s in frame.select("unit_code", "element_code", "n", "satisfied_share").rows()}


def _within_unit(t: dict, unit: str) -> float | None:
    """Attack 1: the unit's hidden element = 5 × overall − the four shown; None when it cannot be solved."""
    elements = [e for (u, e) in t if u == unit and e != "overall"]
    shown = [t[unit, e][1] for e in elements if t[unit, e][1] is not None]
    overall = t[unit, "overall"][1]
    if overall is None or len(shown) != len(elements) - 1:
        return None
    return len(elements) * overall - sum(shown)


def _from_province(districts: dict, province: dict, element: str) -> float | None:
    """Attack 2: 001's element = (province n × share − 002's n × share) / 001's n; None when a term is hidden."""
    n_p, s_p = province["01", element]
    n_b, s_b = districts["002", element]
    n_a = districts["001", element][0]
    if s_p is None or s_b is None:
        return None
    return (n_p * s_p - n_b * s_b) / n_a


def test_sipas_differencing_recovered_the_suppressed_element_before(sipas_lake):
    districts = _table(_sipas_before(sipas_lake, "district"))
    province = _table(_sipas_before(sipas_lake, "province"))
    assert districts["001", "pakn"] == (10, None)
    assert districts["001", "overall"][1] == pytest.approx(0.8, abs=TOLERANCE)
    assert province["01", "pakn"] == (40, pytest.approx(0.625, abs=TOLERANCE))
    assert _within_unit(districts, "001") == pytest.approx(TRUE_PAKN_SHARE, abs=TOLERANCE)
    assert _from_province(districts, province, "pakn") == pytest.approx(TRUE_PAKN_SHARE, abs=TOLERANCE)


@pytest.mark.parametrize("public", [False, True])
def test_sipas_differencing_fails_now(sipas_lake, public):
    """In every mode: 001's overall is hidden (one of its elements is), and the province's pakn (it pools
    001's 10 answers); the other shares stay, n stays everywhere. Neither attack can be solved."""
    districts = _table(run("sipas", data_dir=sipas_lake, aggregates_only=public, year=2024, level="district"))
    province = _table(run("sipas", data_dir=sipas_lake, aggregates_only=public, year=2024, level="province"))
    assert districts["001", "pakn"] == (10, None)
    assert districts["001", "overall"] == (40, None)
    for element, share in {"tiep_can": 0.9, "thu_tuc": 0.8, "cong_chuc": 1.0, "ket_qua": 0.6}.items():
        assert districts["001", element][1] == pytest.approx(share, abs=TOLERANCE)
    for element, share in {"tiep_can": 0.9, "thu_tuc": 0.8, "cong_chuc": 1.0, "ket_qua": 0.7, "pakn": 0.6}.items():
        assert districts["002", element][1] == pytest.approx(share, abs=TOLERANCE)
    assert districts["002", "overall"][1] == pytest.approx(0.8, abs=TOLERANCE)
    assert province["01", "pakn"] == (40, None)
    assert province["01", "overall"] == (70, None)
    assert province["01", "ket_qua"][1] == pytest.approx(42 / 65, abs=TOLERANCE)
    assert _within_unit(districts, "001") is None
    assert _from_province(districts, province, "pakn") is None


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
          "online_rate": 0.5, "rejection_rate": 2 / 120, "digitised_rate": 118 / 120, "median_processing_days": 6.0}  # fmt: skip
UNIT_B = {"unit_code": "B", "received": 2, "resolved": 2, "resolved_on_time": 2, "resolved_early": 0,
          "resolved_late": 0, "in_progress": 0, "overdue_in_progress": 0, "on_time_rate": 1.0,
          "online_rate": 0.5, "median_processing_days": 4.0}  # fmt: skip


# the parents of the units (a district's province): A in Hà Nội (01), B in TP. Hồ Chí Minh (79)
PARENTS = pl.DataFrame({"unit_code": ["A", "B", "C", "D"], "parent_code": ["01", "79", "01", "01"]})


def _parents() -> pl.DataFrame:
    return PARENTS


def test_open_mode_shows_every_count():
    frame = _kpis([UNIT_A, UNIT_B])
    assert protect(frame, KPI_RULES, public=False, parents=_parents).equals(frame)


def test_public_mode_hides_counts_below_the_threshold_and_what_reveals_them():
    """A: late = 1 is hidden; with resolved (101) and on time (100) shown it would be 101 − 100, so the
    smaller of the two, on time, is hidden too, and the on-time rate with it (100/101 × 101). The
    rejection rate 2/120 × 120 = 2 dossiers is hidden, so is the digitised rate 118/120 (120 − 118 = 2
    not digitised); the online rate (60 of 120) stays. B: received
    and resolved 2 are hidden, and every rate and percentile of them (a median of 4 days over 2
    dossiers); 0 stays 0."""
    out = protect(_kpis([UNIT_A, UNIT_B]), KPI_RULES, public=True, min_count=3, parents=_parents)
    a, b = out.to_dicts()
    assert (a["resolved"], a["resolved_on_time"], a["resolved_late"], a["on_time_rate"]) == (101, None, None, None)
    assert (a["received"], a["online_rate"], a["rejection_rate"], a["digitised_rate"]) == (120, 0.5, None, None)
    assert a["median_processing_days"] == 6.0
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
    b = protect(frame, KPI_RULES, public=True, min_count=min_count(), parents=_parents).row(1, named=True)
    assert b["received"] is None
    monkeypatch.setenv(ENV_MIN_COUNT, "1")  # 1: no count is small
    b = protect(frame, KPI_RULES, public=True, min_count=min_count(), parents=_parents).row(1, named=True)
    assert (b["received"], b["online_rate"]) == (2, 0.5)
    for wrong in ("0", "-2", "drei", "2.5"):
        monkeypatch.setenv(ENV_MIN_COUNT, wrong)
        with pytest.raises(ValueError, match=ENV_MIN_COUNT):
            min_count()


def test_a_district_count_cannot_be_differenced_from_its_province():
    """Hà Nội's districts A, C, D resolved 1, 5 and 7 dossiers late (the province's dossier_kpis row
    says 13, at level province). Before: 13 − 5 − 7 = 1. Public: A's 1 is hidden, and so is C's 5 (the
    smallest shown of the province's districts), and in their rows what gives them back (resolved −
    on time): now 13 − 7 = 6 is the sum of two hidden cells."""
    rows = [
        {"unit_code": "A", "received": 30, "resolved": 20, "resolved_on_time": 19, "resolved_late": 1},
        {"unit_code": "C", "received": 40, "resolved": 30, "resolved_on_time": 25, "resolved_late": 5},
        {"unit_code": "D", "received": 50, "resolved": 40, "resolved_on_time": 33, "resolved_late": 7},
    ]
    frame = _kpis(rows)
    assert 13 - 5 - 7 == 1
    out = protect(frame, KPI_RULES, public=True, min_count=3, parents=_parents)
    assert out.select("unit_code", "resolved", "resolved_on_time", "resolved_late").rows() == [
        ("A", 20, None, None),
        ("C", 30, None, None),
        ("D", 40, 33, 7),
    ]
    # within each hidden column of the province, two cells at least
    for column in ("resolved_on_time", "resolved_late"):
        assert out.get_column(column).null_count() == 2


def test_a_wrong_threshold_is_one_clear_error_of_every_query(monkeypatch, sipas_lake):
    monkeypatch.setenv(ENV_MIN_COUNT, "abc")
    with pytest.raises(QueryError, match=f"{ENV_MIN_COUNT}='abc' is not a whole number"):
        run("sipas", data_dir=sipas_lake, year=2024)


# the query's rules within its own table (its `with` clause reads service_index_766 on a lake:
# tests/queries/test_disclosure_across_queries.py)
COST_RULES = dataclasses.replace(
    parse_rules(get_query("procedure_cost_766").header["disclosure"], get_query("procedure_cost_766").columns),
    lookups=(),
)


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


# --------------------------------------------------------------------------------------------------
# Hidden counts pinned by their sum; relations over time and over a province's units
# --------------------------------------------------------------------------------------------------
def test_two_hidden_counts_adding_up_to_2_are_not_left_alone():
    """Hà Nội's districts A, C, D resolved 1, 1 and 9 dossiers late (the province's row says 11). Two
    cells are hidden, but 11 − 9 = 2 and each hidden count is 1 or 2 (the threshold is public): both
    are 1. Public: D's 9 is hidden too (the smallest shown), so 11 is the sum of three hidden cells, one
    of them 9 or more."""
    rows = [
        {"unit_code": "A", "received": 30, "resolved": 20, "resolved_on_time": 19, "resolved_late": 1},
        {"unit_code": "C", "received": 40, "resolved": 30, "resolved_on_time": 29, "resolved_late": 1},
        {"unit_code": "D", "received": 50, "resolved": 40, "resolved_on_time": 31, "resolved_late": 9},
    ]
    assert 11 - 9 == 2 * 1  # the attack: two hidden cells of 1 or 2 adding up to 2
    out = protect(_kpis(rows), KPI_RULES, public=True, min_count=3, parents=_parents)
    assert out.get_column("resolved_late").to_list() == [None, None, None]
    # two hidden cells adding up to 3 (1 + 2 or 2 + 1) are not pinned: nothing more is hidden
    rows[1]["resolved_late"], rows[1]["resolved_on_time"] = 2, 28
    out = protect(_kpis(rows), KPI_RULES, public=True, min_count=3, parents=_parents)
    assert out.get_column("resolved_late").to_list() == [None, None, 9]


def test_a_total_of_two_hidden_parts_pinned_by_it_is_hidden():
    """A row of procedure_cost_766: denominator 4 = numerator 2 + shortfall 2. Both parts are hidden,
    and 4 is the largest sum two hidden counts can make (2 + 2): the 4 is hidden too."""
    frame = pl.DataFrame(
        {
            "unit_code": ["001"], "year": [2024], "metric_code": ["PROGRESS_ON_TIME"], "item_code": ["P1"],
            "item_name": ["a"], "field_code": ["F"], "field_name": ["f"], "denominator": [4], "numerator": [2],
            "shortfall": [2], "shortfall_share": [1.0], "points_lost": [2.0], "points_cost": [2.0],
        }
    )  # fmt: skip
    out = protect(frame, COST_RULES, public=True, min_count=3)
    assert out.select("denominator", "numerator", "shortfall").row(0) == (None, None, None)
    # 5 = 3 + 2: the shortfall alone is hidden, so the smaller shown term (3) goes too; 5 = 3 + 2 is
    # then not pinned (the 3 could be any count from 3): the 5 stays
    frame = frame.with_columns(denominator=pl.lit(5), numerator=pl.lit(3))
    out = protect(frame, COST_RULES, public=True, min_count=3)
    assert out.select("denominator", "numerator", "shortfall").row(0) == (5, None, None)


def test_a_month_cannot_be_differenced_from_the_year():
    """dossier_kpis by month: unit A received 2 dossiers in January and 40, 50 in February and March;
    the year's row (dossier_kpis by year) says 92. Public: January's 2 is hidden, and February's 40 (the
    smallest shown month of the unit), so 92 − 50 = 42 is the sum of two hidden cells."""
    rows = [{"unit_code": "A", "period_start": date(2024, m, 1), "received": r} for m, r in ((1, 2), (2, 40), (3, 50))]
    out = protect(_kpis(rows), KPI_RULES, public=True, min_count=3, parents=_parents)
    assert out.get_column("received").to_list() == [None, None, 50]


def test_a_unit_of_dossier_units_cannot_be_differenced_from_its_province():
    """dossier_units: Hà Nội's units received 2, 30 and 45 dossiers in the year, the province 77
    (dossier_kpis at level province). Public: the 2 is hidden and so is the 30."""
    query = get_query("dossier_units")
    frame = pl.DataFrame(
        {
            "unit_code": ["001", "002", "01.SNV"], "unit_name": ["a", "b", "c"],
            "level": ["district", "district", "department"], "province_code": ["01"] * 3, "dossiers": [2, 30, 45],
        }
    )  # fmt: skip
    out = protect(frame, query.disclosure, public=True, min_count=3)
    assert out.get_column("dossiers").to_list() == [None, None, 45]
