"""Which target a card and a chart's target line show (ui.data.target_for, over the query targets_set).

Targets of 2024 in the lake below (rates as fractions; display scale: percent):
- on_time_rate: 0.9 for `all`, 0.95 for 001 (its own), 0.99 for 001 in field F2 only (on_time_rate:F2);
- sipas_overall: 0.85 for `all` only;
- par_rank (the PAR Index, a rank target): ≤ 5 for 001 and ≤ 5 for 002, each set on its own; 2023: ≤ 3.
- online_payment_rate: 0.8 for 001 and 0.7 for 002;
- digitised_rate: 0.8 for `all`, and 0.95 for `all` in field F2 only (digitised_rate:F2).
No dossier, survey or PAR score is loaded: a target applies whether or not its unit has data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import build_lake_from
from ui import data, fetch
from ui.access import Viewer

UNITS = [
    {"unit_code": "01", "name": "Thành phố Hà Nội", "short_name": "Hà Nội", "level": "province",
     "parent_code": "", "province_code": "01", "valid_from": "2000-01-01", "valid_to": "2025-06-30"},
    {"unit_code": "001", "name": "Quận Ba Đình", "short_name": "Ba Đình", "level": "district",
     "parent_code": "01", "province_code": "01", "valid_from": "2000-01-01", "valid_to": "2025-06-30"},
    {"unit_code": "002", "name": "Quận Hoàn Kiếm", "short_name": "Hoàn Kiếm", "level": "district",
     "parent_code": "01", "province_code": "01", "valid_from": "2000-01-01", "valid_to": "2025-06-30"},
    {"unit_code": "003", "name": "Quận Tây Hồ", "short_name": "Tây Hồ", "level": "district",
     "parent_code": "01", "province_code": "01", "valid_from": "2000-01-01", "valid_to": "2025-06-30"},
]  # fmt: skip


def _target(indicator: str, unit: str, value: str, *, comparator: str = ">=", field: str = "all", year: str = "2024"):
    return {"indicator": indicator, "unit_code": unit, "field_code": field, "year": year,
            "comparator": comparator, "value": value, "source": "Kế hoạch CCHC (ví dụ kiểm thử)"}  # fmt: skip


TARGETS = [
    _target("on_time_rate", "all", "0.9"),
    _target("on_time_rate", "001", "0.95"),
    _target("on_time_rate", "001", "0.99", field="F2"),
    _target("sipas_overall", "all", "0.85"),
    _target("par_rank", "001", "5", comparator="<="),
    _target("par_rank", "002", "5", comparator="<="),
    _target("par_rank", "001", "3", comparator="<=", year="2023"),
    _target("online_payment_rate", "001", "0.8"),
    _target("online_payment_rate", "002", "0.7"),
    _target("digitised_rate", "all", "0.8"),
    _target("digitised_rate", "all", "0.95", field="F2"),
]


@pytest.fixture(scope="module")
def targets_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_lake_from({"units": UNITS, "targets": TARGETS}, tmp_path_factory.mktemp("targets") / "data")


@pytest.fixture
def lake(targets_lake: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CCHC_DATA_DIR", str(targets_lake))
    return targets_lake


def value(target: dict | None) -> tuple | None:
    return None if target is None else (target["value"], target["comparator"], target["on"])


def test_a_units_own_target_wins_over_the_one_for_all(lake: Path):
    assert value(data.target_for("on_time_rate", 2024, "001")) == pytest.approx((95.0, ">=", "value"))


def test_a_unit_without_its_own_target_has_the_one_for_all(lake: Path):
    # 003 has no data and no target of its own; neither has the province 01 (a card at province level)
    assert value(data.target_for("on_time_rate", 2024, "003")) == pytest.approx((90.0, ">=", "value"))
    assert value(data.target_for("on_time_rate", 2024, "01")) == pytest.approx((90.0, ">=", "value"))
    assert value(data.target_for("sipas_overall", 2024, "002")) == pytest.approx((85.0, ">=", "value"))


def test_a_charts_line_needs_one_target_for_every_unit(lake: Path):
    assert data.target_for("on_time_rate", 2024) is None  # 0.9 for all, 0.95 for 001: no single line
    assert value(data.target_for("sipas_overall", 2024)) == pytest.approx((85.0, ">=", "value"))
    assert value(data.target_for("par_index", 2024)) == (5.0, "<=", "rank")  # 001 and 002 each ≤ 5: one line
    assert data.target_for("online_payment_rate", 2024) is None  # 0.8 and 0.7


def test_a_unit_with_neither_gets_the_target_every_unit_shares(lake: Path):
    assert value(data.target_for("par_index", 2024, "003")) == (5.0, "<=", "rank")
    assert data.target_for("online_payment_rate", 2024, "003") is None


def test_each_year_has_its_own_targets(lake: Path):
    assert value(data.target_for("par_index", 2023, "001")) == (3.0, "<=", "rank")
    assert data.target_for("sipas_overall", 2023) is None
    by_year = data.targets_by_year("par_index", [2023, 2024, 2025])
    assert by_year.rows() == [(2023, 3.0, "<=", "rank"), (2024, 5.0, "<=", "rank")]


def test_a_target_of_one_field_is_not_the_fields_together(lake: Path):
    # only 001's on_time_rate:F2 is 0.99; the indicator on all fields reads 001's own 0.95
    assert value(data.target_for("on_time_rate", 2024, "001"))[0] == pytest.approx(95.0)
    # digitised_rate:F2 (0.95) is not a second target of digitised_rate: one line, at the 0.8 for all fields
    assert value(data.target_for("digitised_rate", 2024)) == pytest.approx((80.0, ">=", "value"))
    assert value(data.target_for("digitised_rate", 2024, "002")) == pytest.approx((80.0, ">=", "value"))


def test_a_viewer_of_one_unit_sees_the_line_of_its_targets(lake: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(fetch, "current_viewer", lambda: Viewer(mode="login", scope=frozenset({"002"})))
    # 002's viewer sees the target for all (0.9), not 001's 0.95: one line
    assert value(data.target_for("on_time_rate", 2024)) == pytest.approx((90.0, ">=", "value"))
    assert value(data.target_for("online_payment_rate", 2024)) == pytest.approx((70.0, ">=", "value"))
    monkeypatch.setattr(fetch, "current_viewer", lambda: Viewer(mode="login", scope=frozenset()))
    assert data.target_for("sipas_overall", 2024) is None  # no rule matched: no target either
