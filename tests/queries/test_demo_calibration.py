"""The demo data, once loaded through the ETL, reproduces the published facts through the query modules.

The generator's own tests (tests/etl/test_demo.py) check the files it writes; these check what the
dashboard shows: the same counts and rates after reading, validation, quarantine and the SQL.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from etl.demo import DEFAULT_SCALE
from etl.demo.calibration import BAC_TU_LIEM, PHU_XUYEN, QUAN_1, btl_2019, scaled
from queries import run


def kpis(data: Path, year: int, period: str = "year") -> pl.DataFrame:
    return run("dossier_kpis", data_dir=data, year=year, period=period, province_code=None)


def test_bac_tu_liem_2019_counts_and_rates(demo_data_dir: Path) -> None:
    expected = btl_2019(DEFAULT_SCALE)  # 6,985 to resolve, 6,906 resolved, 6,897 on time, 79 in progress
    row = kpis(demo_data_dir, 2019).filter(pl.col("unit_code") == BAC_TU_LIEM).row(0, named=True)
    assert (row["resolved"], row["resolved_on_time"], row["in_progress"]) == (6906, 6897, 79)
    assert (row["resolved"], row["resolved_on_time"], row["in_progress"]) == (
        expected.resolved, expected.on_time, expected.in_progress
    )  # fmt: skip
    assert round(100 * row["resolved"] / (row["resolved"] + row["in_progress"]), 1) == 98.9
    assert round(100 * row["on_time_rate"], 2) == 99.87


def test_phu_xuyen_online_dossiers(demo_data_dir: Path) -> None:
    year_2021 = kpis(demo_data_dir, 2021).filter(pl.col("unit_code") == PHU_XUYEN).row(0, named=True)
    assert round(year_2021["online_rate"] * year_2021["received"]) == scaled(305, DEFAULT_SCALE) == 6
    q1_2022 = kpis(demo_data_dir, 2022, "quarter").filter(pl.col("unit_code") == PHU_XUYEN).row(0, named=True)
    assert round(q1_2022["online_rate"] * q1_2022["received"]) == scaled(428, DEFAULT_SCALE) == 9


def test_quan_1_online_share_and_rejection(demo_data_dir: Path) -> None:
    stated_rejection = {2019: 29, 2020: 25, 2021: 21, 2022: 17, 2023: 13}
    for year, percent in stated_rejection.items():
        row = kpis(demo_data_dir, year).filter(pl.col("unit_code") == QUAN_1).row(0, named=True)
        assert row["online_rate"] > 0.92, year
        assert round(100 * row["rejection_rate"]) == percent, year
