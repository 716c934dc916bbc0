"""PAR Index scores per unit, year and criterion, on the frameworks of data/reference/par/frameworks.csv. A
few rows carry appraised + survey points above the criterion's maximum (the query caps them)."""

from __future__ import annotations

import csv

import numpy as np
import polars as pl

from etl.demo.assumptions import Y
from etl.demo.calibration import YEARS
from etl.demo.units import Unit
from queries.paths import REFERENCE_DIR

FRAMEWORKS_FILE = REFERENCE_DIR / "par" / "frameworks.csv"


def read_frameworks() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    with open(FRAMEWORKS_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["framework"], []).append(row)
    return out


def framework_code(unit: Unit, year: int) -> str:
    level = "DEPARTMENT" if unit.kind == "department" else "DISTRICT"
    return f"HANOI-{level}-{2019 if year < 2022 else 2022}"


def criteria_of(areas: list[dict[str, str]]) -> list[tuple[str, str, float, float]]:
    """(area, criterion, appraisal max, survey max) for a framework, split in half-point steps.

    The published framework gives area maxima and criteria counts; the split of an area over its
    criteria is the demo's (documented in data/reference/par/SOURCE.md): the appraisal points spread
    evenly, the survey points on the area's first two criteria (60/40).
    """
    out = []
    for area in areas:
        n = int(area["criteria"])
        survey = float(area["survey_max_points"] or 0)
        halves = round((float(area["max_points"]) - survey) * 2)
        parts = [halves // n + (1 if i < halves % n else 0) for i in range(n)]
        s1 = round(survey * 0.6 * 2) / 2 if n > 1 else survey
        survey_parts = [s1, survey - s1] + [0.0] * (n - 2) if n > 1 else [survey]
        for i in range(n):
            out.append((area["area_code"], f"{area['area_code']}.{i + 1}", parts[i] / 2, survey_parts[i]))
    return out


def par_frame(units: list[Unit], seed: int) -> pl.DataFrame:
    frameworks = read_frameworks()
    records = []
    for u_i, unit in enumerate(units):
        for year in YEARS:
            rng = np.random.default_rng([seed, 7, int(unit.province), u_i, year])
            code = framework_code(unit, year)
            crit = criteria_of(frameworks[code])
            q = np.clip(unit.quality + 0.01 * Y[year] + rng.normal(0, 0.015), 0.72, 0.93)
            for area, criterion, appraisal_max, survey_max in crit:
                max_points = appraisal_max + survey_max
                appraised = min(appraisal_max, round(appraisal_max * np.clip(q + rng.normal(0, 0.07), 0.3, 1) * 4) / 4)
                self_points = min(appraisal_max, appraised + round(abs(rng.normal(0, 0.08)) * appraisal_max * 4) / 4)
                survey = None
                if survey_max > 0:
                    survey = round(survey_max * float(np.clip(q + rng.normal(0, 0.05), 0.5, 1.0)), 2)
                    if rng.random() < 0.02:  # over-generous appraisal: appraised + survey exceed the max
                        appraised = self_points = max_points
                records.append((year, unit.code, code, area, criterion, max_points, self_points, appraised, survey))
    frame = pl.DataFrame(
        records,
        schema=["Năm", "Mã đơn vị", "Bộ tiêu chí", "Mã lĩnh vực", "Mã tiêu chí", "Điểm tối đa",
                "Điểm tự đánh giá", "Điểm thẩm định", "Điểm điều tra XHH"],
        orient="row",
    )  # fmt: skip
    vi = [pl.col(c).map_elements(_vi_number, return_dtype=pl.String) for c in frame.columns[5:]]
    return frame.with_columns(pl.col("Năm").cast(pl.String), *vi)


def _vi_number(value: float | None) -> str | None:
    """2.75 -> "2,75", 10.0 -> "10" (Vietnamese decimal comma; never three decimals)."""
    if value is None:
        return None
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
