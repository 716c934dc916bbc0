"""The same request gives the same figure, whatever order the rows were added in (docs/architecture.md,
"Exact sums and ties"): SIPAS shares, means and intervals are summed in DECIMAL, and ranks the dashboard
computes tie values equal to six decimals, as the queries' ranks do.

The SIPAS case runs the real query on two lakes published through the ETL (DuckDB) from the same
responses in opposite orders. With floating-point sums the two differ in the last bit (thu_tuc:
0.6999999999999997 against 0.6999999999999998), which is how the Overview once showed a share of
0.76625 as 76.62 in one run and 76.63 in the next."""

from __future__ import annotations

import polars as pl
import pytest

from queries import run
from ui.data import _with_rank
from ui.indicators import indicator

UNITS = [
    {"unit_code": "01", "name": "Thành phố Hà Nội", "short_name": "Hà Nội", "level": "province",
     "parent_code": "", "province_code": "01", "valid_from": "2000-01-01", "valid_to": "2025-06-30"},
    {"unit_code": "001", "name": "Quận Ba Đình", "short_name": "Ba Đình", "level": "district",
     "parent_code": "01", "province_code": "01", "valid_from": "2000-01-01", "valid_to": "2025-06-30"},
]  # fmt: skip
# SIPAS-2022, one question per element (k = 0 … 4 in this order)
QUESTIONS = {"tiep_can": "S22.TC1", "thu_tuc": "S22.TT1", "cong_chuc": "S22.CC1", "ket_qua": "S22.KQ1", "pakn": "S22.PA1"}  # fmt: skip
# Respondent i (0 … 35) has weight WEIGHTS[i % 6] (Σ per cycle of six = 3.0, Σw = 18) and is satisfied
# (answer 5, else 2) with element k unless (i + k) % 3 == 0, which leaves out the weights at i % 6 ∈
# {0, 3} for k = 0 and 3 (0.1 + 0.7 = 0.8), {2, 5} for k = 1 and 4 (0.3 + 0.6 = 0.9), {1, 4} for k = 2
# (0.2 + 1.1 = 1.3) of each cycle's 3.0:
#   tiep_can, ket_qua  2.2 / 3 = 0.733333     thu_tuc, pakn  2.1 / 3 = 0.7     cong_chuc  1.7 / 3 = 0.566667
#   overall = (2 × 0.733333 + 2 × 0.7 + 0.566667) / 5 = 3.433333 / 5 = 0.686667
WEIGHTS = ["0.1", "0.2", "0.3", "0.7", "1.1", "0.6"]
EXPECTED_SHARES = {
    "tiep_can": 2.2 / 3, "ket_qua": 2.2 / 3, "thu_tuc": 0.7, "pakn": 0.7, "cong_chuc": 1.7 / 3,
    "overall": (2 * 2.2 / 3 + 2 * 0.7 + 1.7 / 3) / 5,
}  # fmt: skip


def _responses() -> list[dict[str, str]]:
    return [
        {"response_id": f"R{i:02d}", "year": "2024", "unit_code": "001", "question_code": question,
         "answer": "2" if (i + k) % 3 == 0 else "5", "weight": WEIGHTS[i % len(WEIGHTS)]}
        for i in range(36)
        for k, question in enumerate(QUESTIONS.values())
    ]  # fmt: skip


@pytest.fixture(scope="module")
def sipas_in_two_orders(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, pl.DataFrame]:
    from tests.conftest import build_lake_from

    frames = []
    for order, rows in (("forward", _responses()), ("reversed", _responses()[::-1])):
        lake = build_lake_from({"units": UNITS, "survey_responses": rows}, tmp_path_factory.mktemp(order) / "data")
        frames.append(run("sipas", data_dir=lake, year=2024, level="district").sort("element_code"))
    return frames[0], frames[1]


def test_sipas_shares_are_the_hand_worked_ones(sipas_in_two_orders):
    forward, _ = sipas_in_two_orders
    shares = dict(forward.select("element_code", "satisfied_share").rows())
    assert shares == pytest.approx(EXPECTED_SHARES, abs=1e-12)
    assert set(forward.get_column("n")) == {36}


def test_sipas_is_bit_equal_whatever_the_order_of_its_rows(sipas_in_two_orders):
    forward, reversed_ = sipas_in_two_orders
    # exact equality on purpose: the shares, their intervals and the overall mean, to the last bit
    assert forward.rows() == reversed_.rows()


def test_a_dashboard_rank_ties_values_equal_to_six_decimals():
    """0.1 + 0.2 and 0.3 differ in the last bit: the same on-time rate, so the same rank (1, 1, 3), as
    floor(x · 10⁶ + 0.5) ranks them in the queries."""
    frame = pl.DataFrame(
        {"unit_code": ["001", "002", "003"], "value": [0.1 + 0.2, 0.3, 0.25], "rank": [None, None, None]},
        schema_overrides={"rank": pl.Int64},
    )
    ranked = _with_rank(frame, indicator("on_time_rate"))
    assert ranked.get_column("rank").to_list() == [1, 1, 3]
    assert ranked.get_column("ranked_units").to_list() == [3, 3, 3]
