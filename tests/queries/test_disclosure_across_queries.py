"""Disclosure control across queries (queries/disclosure.py `with`, docs/security.md "Disclosure
control"): a figure hidden in one query is not shown by another that carries it without its counts.

- targets_gap shows a unit's rate beside its target: in the public mode it is empty where dossier_kpis
  hides the rate, by dossier_kpis' own rules (the threshold and complementary suppression);
- the dashboard's own Decision 766 index: a metric's points give its rate back (points = max ×
  rate / full_marks_at below full marks), so they are hidden with the rate, and with them the smallest
  points shown of the unit, so that the total (the sum of the points) minus the points shown is never
  one metric's; the drill-down's points lost are hidden where the metric's points are.

Each case is worked by hand on a small lake published through the ETL and run by the real runner on
DuckDB, in the public mode; the same attack is shown to work on the open mode's figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from queries import get_query, run
from tests.conftest import build_lake_from

GOLDEN = Path(__file__).parent / "golden"
TOLERANCE = 1e-9


# --------------------------------------------------------------------------------------------------
# targets_gap: a unit's on-time rate beside its target
# --------------------------------------------------------------------------------------------------
# Hà Nội (01), three districts, 2024, every dossier received and resolved in 2024, procedure P1:
#   001: 10 resolved,  9 on time, 1 late   on_time_rate 0.9
#   002: 20 resolved, 15 on time, 5 late   on_time_rate 0.75
#   003: 30 resolved, 24 on time, 6 late   on_time_rate 0.8
# Public dossier_kpis: 001's late 1 is hidden; in its row resolved = on time + late, so on time (9, the
# smaller of 10 and 9) is hidden too. Across the province's districts (group by parent) late has one
# hidden cell: the smallest shown, 002's 5, is hidden, and in 002's row on time (15 < 20) with it. The
# on-time rates follow their counts: 001 and 002 empty, 003 shown (0.8).
# Target: on_time_rate ≥ 0.95 for every unit. Attack before: 001's actual 0.9 × its resolved 10 (shown
# in dossier_kpis) = 9 on time, 10 − 9 = 1 late, the count dossier_kpis hides.
RESOLVED_ON_TIME_LATE = {"001": (10, 9, 1), "002": (20, 15, 5), "003": (30, 24, 6)}


def _targets_inputs() -> dict[str, list[dict]]:
    units = [
        {"unit_code": "01", "name": "Thành phố Hà Nội", "short_name": "Hà Nội", "level": "province",
         "parent_code": "", "province_code": "01", "valid_from": "2000-01-01", "valid_to": "2025-06-30"},
    ] + [
        {"unit_code": code, "name": f"Quận {name}", "short_name": name, "level": "district", "parent_code": "01",
         "province_code": "01", "valid_from": "2000-01-01", "valid_to": "2025-06-30"}
        for code, name in (("001", "Ba Đình"), ("002", "Hoàn Kiếm"), ("003", "Tây Hồ"))
    ]  # fmt: skip
    procedures = [
        {"procedure_code": "1.000001", "province_code": "01", "name": "Thủ tục P1", "field_code": "F1",
         "authority_level": "district", "full_online_eligible": "false", "has_fee": "false",
         "published_at": "2020-01-01"},
    ]  # fmt: skip
    dossiers = []
    for unit, (resolved, on_time, _late) in RESOLVED_ON_TIME_LATE.items():
        for i in range(resolved):
            day = 1 + i % 28
            dossiers.append({"dossier_id": f"{unit}-{i:02d}", "procedure_code": "1.000001", "unit_code": unit,
                             "received_at": f"2024-03-{day:02d} 08:00", "due_at": f"2024-04-{day:02d} 17:00",
                             "resolved_at": f"2024-04-{day:02d} 10:00" if i < on_time else f"2024-05-{day:02d} 10:00",
                             "status": "resolved", "channel": "direct", "online_level": "none",
                             "paid_online": "false", "dossier_digitised": "true"})  # fmt: skip
    targets = [
        {"indicator": "on_time_rate", "unit_code": "all", "field_code": "all", "year": "2024", "comparator": ">=",
         "value": "0.95", "source": "Kế hoạch CCHC 2024"},
    ]  # fmt: skip
    return {"units": units, "procedures": procedures, "dossiers": dossiers, "targets": targets}


@pytest.fixture(scope="module")
def targets_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_lake_from(_targets_inputs(), tmp_path_factory.mktemp("targets-disclosure") / "data")


def _late_from_target(actual: float | None, resolved: int | None) -> float | None:
    """The attack: late = resolved − actual × resolved; None when a term is hidden."""
    if actual is None or resolved is None:
        return None
    return resolved - actual * resolved


def test_targets_gap_hides_the_rates_dossier_kpis_hides(targets_lake):
    kpis = run("dossier_kpis", data_dir=targets_lake, aggregates_only=True, year=2024)
    shown = {r["unit_code"]: r for r in kpis.iter_rows(named=True)}
    assert [(u, shown[u]["resolved"], shown[u]["resolved_late"], shown[u]["on_time_rate"]) for u in sorted(shown)] == [
        ("001", 10, None, None),
        ("002", 20, None, None),
        ("003", 30, 6, pytest.approx(0.8, abs=TOLERANCE)),
    ]
    gap = run("targets_gap", data_dir=targets_lake, aggregates_only=True, year=2024)
    assert gap.select("indicator", "unit_code", "actual", "gap", "met").rows() == [
        ("on_time_rate", "001", None, None, None),
        ("on_time_rate", "002", None, None, None),
        ("on_time_rate", "003", pytest.approx(0.8, abs=TOLERANCE), pytest.approx(-0.15, abs=TOLERANCE), False),
    ]
    for unit, actual in gap.select("unit_code", "actual").rows():
        if shown[unit]["resolved_late"] is None:
            assert _late_from_target(actual, shown[unit]["resolved"]) is None


def test_the_open_mode_shows_the_rates_and_the_attack_on_them_works(targets_lake):
    gap = run("targets_gap", data_dir=targets_lake, year=2024)
    actual = dict(gap.select("unit_code", "actual").rows())
    assert actual == {
        "001": pytest.approx(0.9, abs=TOLERANCE),
        "002": pytest.approx(0.75, abs=TOLERANCE),
        "003": pytest.approx(0.8, abs=TOLERANCE),
    }
    assert _late_from_target(actual["001"], 10) == pytest.approx(1, abs=TOLERANCE)


def test_a_target_of_one_field_follows_dossier_kpis_of_that_field(golden_lake):
    """The golden lake of targets_gap (tests/queries/golden/targets_gap_met_not_met_null): 001's field F2
    resolved 2 (T2 late, T3 on time), so dossier_kpis(field_code=F2) hides its on-time rate, and the
    target `on_time_rate:F2` shows no actual (0.5 × 2 = 1 late before)."""
    lake = golden_lake(GOLDEN / "targets_gap_met_not_met_null" / "inputs")
    field = run("dossier_kpis", data_dir=lake, aggregates_only=True, year=2024, field_code="F2")
    assert field.select("unit_code", "resolved", "on_time_rate").rows() == [("001", None, None)]
    gap = run("targets_gap", data_dir=lake, aggregates_only=True, year=2024, unit_code="001")
    rows = {r["indicator"]: r for r in gap.iter_rows(named=True)}
    assert (rows["on_time_rate:F2"]["actual"], rows["on_time_rate:F2"]["met"]) == (None, None)
    assert rows["par_rank"]["actual"] == 1.0  # a rank carries no count: shown
    assert rows["sipas_overall"]["actual"] == pytest.approx(0.9, abs=TOLERANCE)  # 30 respondents: shown
    open_rows = {r["indicator"]: r for r in run("targets_gap", data_dir=lake, year=2024).iter_rows(named=True)}
    assert open_rows["on_time_rate:F2"]["actual"] == pytest.approx(0.5, abs=TOLERANCE)


PARENTS = pl.DataFrame({"unit_code": ["A"], "parent_code": ["01"]})


# --------------------------------------------------------------------------------------------------
# The dashboard's own Decision 766 index
# --------------------------------------------------------------------------------------------------
# The golden lake of service_index_766 (tests/queries/golden/service_index_766_zero_denominator): 001
# Ba Đình, PAYMENT_DOSSIER_SHARE (max 6 points, full marks at 1.0): 1 paid online of 4 dossiers with a
# fee, rate 0.25, points 6 × 0.25 = 1.5. Public: the numerator 1 is hidden, the denominator 4 shown.
# Attack: numerator = points / max × full_marks_at × denominator = 1.5 / 6 × 4 = 1. The total (the sum
# of the metrics' points) minus the other metrics' points gives the 1.5 back; the drill-down's points
# lost (max − points = 4.5) too.
METRIC = "PAYMENT_DOSSIER_SHARE"


@pytest.fixture(scope="module")
def index_lake(golden_lake) -> Path:
    return golden_lake(GOLDEN / "service_index_766_zero_denominator" / "inputs")


def _index(lake: Path, public: bool) -> dict[str, dict]:
    frame = run("service_index_766", data_dir=lake, aggregates_only=public, year=2024, province_code="01")
    return {r["metric_code"]: r for r in frame.filter(frame["unit_code"] == "001").iter_rows(named=True)}


def _numerator_from_points(row: dict) -> float | None:
    if row["points"] is None or row["denominator"] is None:
        return None
    return row["points"] / row["max_points"] * 1.0 * row["denominator"]


def test_the_points_of_a_hidden_rate_are_hidden(index_lake):
    opened = _index(index_lake, public=False)[METRIC]
    assert (opened["numerator"], opened["denominator"], opened["points"]) == (1, 4, pytest.approx(1.5))
    assert _numerator_from_points(opened) == pytest.approx(1)
    public = _index(index_lake, public=True)
    row = public[METRIC]
    assert (row["numerator"], row["denominator"], row["rate"], row["points"]) == (None, 4, None, None)
    assert _numerator_from_points(row) is None
    # a metric whose counts are shown keeps its points: DOSSIER_SYNC 4 of 5, 6 × 0.8 = 4.8
    sync = public["DOSSIER_SYNC"]
    assert (sync["numerator"], sync["denominator"], sync["points"]) == (4, 5, pytest.approx(4.8))
    # 002 answered 2 of 3 petitions on time (numerator hidden); the province's numerator is the sum of
    # its districts', so 001's (0 of 0, zero-denominator points 6) is hidden with it, and its points
    petitions = public["PETITION_PROCESSING_ON_TIME"]
    assert (petitions["numerator"], petitions["denominator"], petitions["points"]) == (None, 0, None)


def test_the_total_minus_the_points_shown_is_never_one_metric(index_lake):
    """Open: 001's total is the sum of its metrics' points, so the total − the others = 1.5. Public: the
    total, band and rank stay; the points hidden are at least two metrics' (here every metric with a
    count below 3), so the total − the points shown is their sum, not one metric's."""
    params = {"year": 2024, "level": "district", "province_code": "01"}
    opened = {
        r["unit_code"]: r for r in run("service_index_766_total", data_dir=index_lake, **params).iter_rows(named=True)
    }
    points = _index(index_lake, public=False)
    others = sum(r["points"] for m, r in points.items() if m != METRIC and r["points"] is not None)
    assert opened["001"]["total_points"] - others == pytest.approx(1.5)
    public = {
        r["unit_code"]: r
        for r in run("service_index_766_total", data_dir=index_lake, aggregates_only=True, **params).iter_rows(
            named=True
        )
    }
    assert public["001"]["total_points"] == pytest.approx(opened["001"]["total_points"])
    shown = _index(index_lake, public=True)
    hidden = sorted(m for m, r in shown.items() if r["points"] is None and points[m]["points"] is not None)
    assert METRIC in hidden and len(hidden) >= 2, hidden


def test_one_hidden_metric_takes_the_smallest_shown_points_with_it():
    """service_index_766's rules on three metrics of unit A and one without data (0 of 0, no points):
    M1 2 of 10 (the numerator below 3: rate and points hidden), M2 4 of 5 (4.8 points), M3 9 of 10 (6
    points). The total (service_index_766_total) is 1.2 + 4.8 + 6 = 12, so 12 − 4.8 − 6 = 1.2 would give
    M1's points, and its rate. Public: M2's 4.8, the smallest points shown, are hidden too (12 − 6 = 6
    is the sum of two), with its rate and numerator; M4's empty points (no data, not in the total) count
    for nothing, and its 0 of 0 stays."""
    from queries.disclosure import protect

    query = get_query("service_index_766")
    rows = [
        ("M1", 2, 10, 0.2, 1.2, 6.0),
        ("M2", 4, 5, 0.8, 4.8, 6.0),
        ("M3", 9, 10, 0.9, 6.0, 6.0),
        ("M4", 0, 0, None, None, 2.0),
    ]
    frame = pl.DataFrame(
        {
            "unit_code": ["A"] * 4, "unit_name": ["a"] * 4, "period_start": [date(2024, 1, 1)] * 4,
            "group_code": ["G"] * 4, "metric_code": [r[0] for r in rows], "numerator": [r[1] for r in rows],
            "denominator": [r[2] for r in rows], "rate": [r[3] for r in rows], "points": [r[4] for r in rows],
            "max_points": [r[5] for r in rows], "approximate": [False] * 4,
        }
    )  # fmt: skip
    assert round(12 - 4.8 - 6, 9) == 1.2  # the attack on the open table
    out = protect(frame, query.disclosure, public=True, min_count=3, parents=lambda: PARENTS)
    assert out.select("metric_code", "numerator", "denominator", "rate", "points").rows() == [
        ("M1", None, 10, None, None),
        ("M2", None, 5, None, None),  # its rate (and numerator over 5) would give 6 × 0.8 back
        ("M3", 9, 10, 0.9, 6.0),
        ("M4", 0, 0, None, None),
    ]


def test_the_points_lost_of_a_hidden_metric_are_hidden(index_lake):
    """procedure_cost_766 of 001 on PAYMENT_DOSSIER_SHARE: open, points_lost = 6 − 1.5 = 4.5 gives the
    points, so the rate, back. Public: points lost, shares and shortfalls empty (the unit's figure is
    hidden in service_index_766, so is its break-down)."""
    params = {"year": 2024, "unit_code": "001", "metric_code": METRIC}
    opened = run("procedure_cost_766", data_dir=index_lake, **params)
    assert opened.get_column("points_lost").to_list() == pytest.approx([4.5] * opened.height)
    public = run("procedure_cost_766", data_dir=index_lake, aggregates_only=True, **params)
    assert public.height == opened.height > 0
    for column in ("shortfall", "shortfall_share", "points_lost", "points_cost"):
        assert public.get_column(column).null_count() == public.height, column
    # a metric whose counts are shown keeps its break-down: PROGRESS_ON_TIME 3 of 5, 12 of 20 points
    progress = run(
        "procedure_cost_766", data_dir=index_lake, aggregates_only=True, **{**params, "metric_code": "PROGRESS_ON_TIME"}
    )
    assert progress.height > 0
    assert progress.get_column("points_lost").to_list() == pytest.approx([8.0] * progress.height)


def test_every_lookup_names_a_query_and_columns_that_exist():
    from queries import catalogue

    for name, query in catalogue().items():
        for lookup in query.disclosure.lookups:
            source = get_query(lookup.query)
            assert lookup.column in source.columns, f"{name}: {lookup.query}.{lookup.column}"
            assert set(lookup.on) <= set(source.columns), f"{name}: {lookup.on} not in {lookup.query}"
            params = {p.name for p in source.params}
            if lookup.over:
                assert lookup.over[0] in params, f"{name}: {lookup.query} has no parameter {lookup.over[0]}"
            if lookup.where and lookup.where[2]:
                assert lookup.where[2] in params, f"{name}: {lookup.query} has no parameter {lookup.where[2]}"
