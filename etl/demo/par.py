"""PAR Index scores per unit, year and criterion, on the frameworks of data/reference/par/frameworks.csv. A
few rows carry appraised + survey points above the criterion's maximum (the query caps them).

Who is scored: every demo unit that exists at the end of the year, each on its own province's framework
for its level (FRAMEWORKS: Hà Nội, TP.HCM and Bắc Kạn each have theirs for districts and departments,
the provinces of 2025 theirs for communes and departments), and every province of the year's era (63,
then 34) on the provincial framework QD2948-2017, so a province's rank is among all provinces.
"""

from __future__ import annotations

import csv

import numpy as np
import polars as pl

from etl.demo import calibration as cal
from etl.demo.assumptions import Y
from etl.demo.periods import YEARS, year_end
from etl.demo.units import THAI_NGUYEN, Unit, provinces_on
from queries.paths import REFERENCE_DIR

FRAMEWORKS_FILE = REFERENCE_DIR / "par" / "frameworks.csv"


def read_frameworks() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    with open(FRAMEWORKS_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["framework"], []).append(row)
    return out


# (province, level) -> the frameworks it uses, each from a year on.
FRAMEWORKS = {
    (cal.HANOI, "district"): ((2019, "HANOI-DISTRICT-2019"), (2022, "HANOI-DISTRICT-2022")),
    (cal.HANOI, "department"): ((2019, "HANOI-DEPARTMENT-2019"), (2022, "HANOI-DEPARTMENT-2022")),
    (cal.HANOI, "commune"): ((2025, "HANOI-COMMUNE-2025"),),
    (cal.HCMC, "district"): ((2019, "HCMC-DISTRICT-2019"),),
    (cal.HCMC, "department"): ((2019, "HCMC-DEPARTMENT-2019"),),
    (cal.HCMC, "commune"): ((2025, "HCMC-COMMUNE-2025"),),
    (cal.BAC_KAN, "district"): ((2019, "BACKAN-DISTRICT-2019"),),
    (cal.BAC_KAN, "department"): ((2019, "BACKAN-DEPARTMENT-2019"),),
    (THAI_NGUYEN, "commune"): ((2025, "THAINGUYEN-COMMUNE-2025"),),
    (THAI_NGUYEN, "department"): ((2025, "THAINGUYEN-DEPARTMENT-2025"),),
}
PROVINCIAL_FRAMEWORK = "QD2948-2017"
# The demo provinces' PAR level; the other provinces' is drawn.
PROVINCE_QUALITY = {cal.HANOI: 0.905, cal.HCMC: 0.885, cal.BAC_KAN: 0.84}


def framework_code(unit: Unit, year: int) -> str:
    """The framework `unit` is scored on in `year`: its province's for its level, the latest by then."""
    return [code for first, code in FRAMEWORKS[(unit.province, unit.kind)] if first <= year][-1]


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
    """Every score of the demo units and the provinces, as the PAR office's spreadsheet holds them."""
    frameworks = read_frameworks()
    records = []
    for u_i, unit in enumerate(units):
        for year in YEARS:
            if unit.exists_on(year_end(year)):
                rng = np.random.default_rng([seed, 7, int(unit.province), u_i, year])
                q = np.clip(unit.quality + 0.01 * Y[year] + rng.normal(0, 0.015), 0.72, 0.93)
                code = framework_code(unit, year)
                records += criterion_scores(year, unit.code, code, criteria_of(frameworks[code]), q, rng)
    records += province_scores(frameworks, seed)
    frame = pl.DataFrame(
        records,
        schema=["Năm", "Mã đơn vị", "Bộ tiêu chí", "Mã lĩnh vực", "Mã tiêu chí", "Điểm tối đa",
                "Điểm tự đánh giá", "Điểm thẩm định", "Điểm điều tra XHH"],
        orient="row",
    )  # fmt: skip
    numbers = {v: _vi_number(v) for c in frame.columns[5:] for v in frame[c].drop_nulls().unique().to_list()}
    vi = [pl.col(c).replace_strict(numbers, default=None, return_dtype=pl.String) for c in frame.columns[5:]]
    return frame.with_columns(pl.col("Năm").cast(pl.String), *vi)


def criterion_scores(
    year: int, unit_code: str, framework: str, criteria: list, q: float, rng: np.random.Generator
) -> list[tuple]:
    """One unit-year's criterion rows at quality `q`: appraised points in quarter points, self-assessed a
    little higher, survey points where the criterion has them (2 % over-generous, above the maximum)."""
    records = []
    for area, criterion, appraisal_max, survey_max in criteria:
        max_points = appraisal_max + survey_max
        appraised = min(appraisal_max, round(appraisal_max * np.clip(q + rng.normal(0, 0.07), 0.3, 1) * 4) / 4)
        self_points = min(appraisal_max, appraised + round(abs(rng.normal(0, 0.08)) * appraisal_max * 4) / 4)
        survey = None
        if survey_max > 0:
            survey = round(survey_max * float(np.clip(q + rng.normal(0, 0.05), 0.5, 1.0)), 2)
            if rng.random() < 0.02:  # over-generous appraisal: appraised + survey exceed the max
                appraised = self_points = max_points
        records.append((year, unit_code, framework, area, criterion, max_points, self_points, appraised, survey))
    return records


def province_scores(frameworks: dict[str, list[dict[str, str]]], seed: int) -> list[tuple]:
    """Every province of each year's era on the provincial framework (the demo provinces at their level,
    the others drawn around the published range of 81–92 %)."""
    criteria = criteria_of(frameworks[PROVINCIAL_FRAMEWORK])
    drawn = np.random.default_rng([seed, 13])
    quality: dict[str, float] = {}
    records = []
    for year in YEARS:
        for code in provinces_on(year_end(year)):
            if code not in quality:
                quality[code] = PROVINCE_QUALITY.get(code, float(drawn.uniform(0.8, 0.91)))
            rng = np.random.default_rng([seed, 17, int(code), year])
            q = np.clip(quality[code] + 0.003 * Y[year] + rng.normal(0, 0.01), 0.72, 0.94)
            records += criterion_scores(year, code, PROVINCIAL_FRAMEWORK, criteria, q, rng)
    return records


def _vi_number(value: float | None) -> str | None:
    """2.75 -> "2,75", 10.0 -> "10" (Vietnamese decimal comma; never three decimals)."""
    if value is None:
        return None
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
