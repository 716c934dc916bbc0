"""The national bench (`make bench SCALE=national`) at a tiny national scale: 100 k dossiers over every
province, commune and department of 2026, one timed run of each step. It checks what the bench is for
(the exports cover the country as it is since 1 July 2025, the lake holds what was generated, the
report carries every figure), never the times themselves: speed is judged by `make bench` against peers."""

from __future__ import annotations

import datetime as dt
import math
import os
import re

import polars as pl
import pytest

from bench import run as bench
from etl import contract
from etl.demo.units import NATIONAL_DEPARTMENT_FIELDS
from etl.headers import map_headers
from queries.paths import REFERENCE_DIR

DOSSIERS = 100_000
YEAR = 2026


def test_national_scale_labels():
    assert bench.national_dossiers("national") == 100_000_000
    assert bench.national_dossiers("national-10M") == 10_000_000
    assert bench.national_dossiers("National-100k") == 100_000
    assert bench.national_dossiers("10M") is None


def units_valid_on(day: dt.date) -> pl.DataFrame:
    """The units file's rows in force on `day`, read here independently of the generator."""
    units = pl.read_csv(REFERENCE_DIR / "units" / "units.csv", infer_schema=False)
    start, end = pl.col("valid_from").str.to_date(), pl.col("valid_to").str.to_date()
    return units.filter((start <= day) & (end.is_null() | (end >= day)))


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    work = tmp_path_factory.mktemp("national")
    environment = dict(os.environ)  # the bench points CCHC_DATA_DIR at its lake, as its own process would
    try:
        result = bench.run_national("national-100k", DOSSIERS, work=work, runs=1)
    finally:
        os.environ.clear()
        os.environ.update(environment)
    return work, result


def export_rows(work) -> pl.DataFrame:
    """Unit code and file of every row of every dossier export."""
    frames = []
    for path in sorted((work / "exports").glob("demo-dossiers-*.csv")):
        frame = pl.read_csv(path, infer_schema=False)
        rename = map_headers(frame.columns, contract.DOSSIERS).rename
        frame = frame.rename(rename).select("unit_code").with_columns(pl.lit(path.name).alias("file"))
        frames.append(frame)
    return pl.concat(frames)


@pytest.mark.slow
def test_exports_cover_every_province_and_commune_valid_in_2026(national):
    work, _ = national
    valid = units_valid_on(dt.date(YEAR, 1, 1))
    rows = export_rows(work)
    files = rows.get_column("file").unique()
    provinces = {re.match(r"demo-dossiers-(\d\d)-", f).group(1) for f in files}
    assert provinces == set(valid.filter(pl.col("level") == "province").get_column("unit_code"))
    assert len(provinces) == 34
    # one file per province and month received, January to the demo's last month (November 2026)
    assert {re.search(r"-(\d{4}-\d\d)\.csv$", f).group(1) for f in files} == {f"{YEAR}-{m:02d}" for m in range(1, 12)}
    assert len(files) == 34 * 11
    communes = set(valid.filter(pl.col("level") == "commune").get_column("unit_code"))
    assert len(communes) == 3_321
    assert communes <= set(rows.get_column("unit_code"))
    # every department with a field of the demo's vocabulary is there
    departments = set(valid.filter(pl.col("level") == "department").get_column("unit_code"))
    served = {d for d in departments if d.split(".", 1)[1] in NATIONAL_DEPARTMENT_FIELDS}
    assert served <= set(rows.get_column("unit_code"))
    assert len(served) == 34 * 9
    # ~0.05 % deliberately bad rows on top of the dossiers asked for, per file
    assert DOSSIERS * 0.99 <= rows.height <= DOSSIERS * 1.01 + len(files)


@pytest.mark.slow
def test_the_lake_holds_the_accepted_rows_of_every_month(national):
    _, result = national
    n = result["national"]
    accepted = sum(m["rows"] for m in n["base_months"]) + n["month"]["rows_accepted"]
    assert result["sizes"]["dossier_rows"] == accepted
    assert [m["month"] for m in n["base_months"]] == [f"{YEAR}-{m:02d}" for m in range(1, 11)]
    assert n["month"]["month"] == f"{YEAR}-11"
    assert n["units"] == {
        "provinces": 34, "provinces_valid": 34, "communes": 3_321, "communes_valid": 3_321,
        "departments": 34 * 9, "departments_valid": 34 * 12,
    }  # fmt: skip
    # the month's load rewrites the year's dossier partition and every mart's whole year
    assert n["month"]["written_years"] == {
        "dossiers": [YEAR],
        "mart_dossier_months": [YEAR],
        "mart_dossier_procedure_periods": [YEAR],
        "mart_dossier_processing_percentiles": [YEAR],
    }
    for mart in n["month"]["marts_rewritten"].values():
        assert mart["rewritten_rows"] == mart["rows_of_those_years"] > 0


@pytest.mark.slow
def test_the_report_has_every_figure(national):
    _, result = national
    month = result["national"]["month"]
    steps = ("read_s", "merge_s", "marts_s", "publish_s")
    for key in ("wall_s", "cpu_s", *steps, "rows_per_s", "peak_rss_bytes", "csv_bytes"):
        assert month[key] > 0, key
    assert sum(month[step] for step in steps) < month["wall_s"]
    assert [q["label"] for q in result["queries"]] == [q[0] for q in bench.NATIONAL_QUERIES]
    for query in result["queries"]:
        assert query["warm_s"] > 0 and query["fresh_s"] > 0 and query["rows"] > 0, query["label"]
    by_label = {q["label"]: q["rows"] for q in result["queries"]}
    assert by_label["dossier_kpis commune year"] == 3_321
    assert by_label["dossier_kpis province"] == 34
    assert result["bare_scan"]["dossiers"] == result["sizes"]["dossier_rows"]
    sizes = result["sizes"]
    assert 0 < sizes["dossier_bytes"] < sizes["lake_bytes"] < sizes["csv_bytes"]
    assert len(result["targets"]) == 5
    text = bench.national_markdown(result)
    for figure in (
        "## Targets", "## Loading a month", "## Queries at commune level", "B per dossier", "mart rebuild",
        "34 of 34 provinces", "3,321 of 3,321 communes", f"{sizes['dossier_rows']:,} dossiers in the lake",
        "Chart-query peer", "load average",
    ):  # fmt: skip
        assert figure in text, figure
    assert "nan" not in text.lower().split() and "None" not in text
    per_dossier = sizes["dossier_bytes"] / sizes["dossier_rows"]
    assert f"{per_dossier:.1f} B per dossier" in text
    assert not math.isnan(per_dossier)
