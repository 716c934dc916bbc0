"""`python -m etl marts` (what `make run` calls) brings a lake built by an older release up to date: a
reference file added or edited since the lake's last load is published as a new load, without any
export being loaded again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import etl.load
from etl.__main__ import refresh_reference_tables
from queries import lake_info, run
from queries.paths import REFERENCE_DIR
from tests.conftest import build_lake_from

pytestmark = pytest.mark.slow  # lakes loaded, then `python -m etl marts` on them

UNITS = [{"unit_code": "01", "name": "Thành phố Hà Nội", "level": "province", "province_code": "01",
          "valid_from": "2000-01-01"}]  # fmt: skip


def test_a_current_lake_is_left_alone(tmp_path: Path) -> None:
    root = build_lake_from({"units": UNITS}, tmp_path / "data")
    before = lake_info(root)["load_id"]
    assert refresh_reference_tables(root) is None
    assert lake_info(root)["load_id"] == before
    assert refresh_reference_tables(tmp_path / "nothing-here") is None  # no lake: nothing to do


def test_an_edited_reference_file_is_published_as_a_new_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = build_lake_from({"units": UNITS}, tmp_path / "data")
    before = lake_info(root)["load_id"]
    edited = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, edited)
    terms = edited / "766" / "metric_terms.csv"
    terms.write_text(
        terms.read_text(encoding="utf-8").replace(
            "DOSSIER_SYNC,4,dossiers,received,synced_on_time", "DOSSIER_SYNC,4,,,"
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(etl.load, "REFERENCE_DIR", edited)

    assert refresh_reference_tables(root) == before + 1
    rows = {r["metric_code"]: r for r in run("metrics_766", data_dir=root).iter_rows(named=True)}
    assert rows["DOSSIER_SYNC"]["counted_on"] is None
    assert rows["PROGRESS_ON_TIME"]["counted_on"] == "dossiers"
    assert refresh_reference_tables(root) is None  # now current
