"""`generate`: every demo export file, per load kind, in load order."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl

from etl.demo import calibration as cal
from etl.demo.assumptions import VOLUME, Y
from etl.demo.bad_rows import BAD_ROW_SHARE, bad_rows
from etl.demo.calendar import window_share
from etl.demo.calibration import DEFAULT_SCALE, DEFAULT_SEED
from etl.demo.catalogue import Catalogue, before_reform, build_catalogue, build_pool, catalogue_frame, from_reform
from etl.demo.dossiers import add_signatures, dossier_rows, export_frame, plan_for
from etl.demo.feedback import feedback_frame, write_feedback_xlsx
from etl.demo.files import CsvOut
from etl.demo.measures import generate as write_measures
from etl.demo.par import par_frame
from etl.demo.periods import REFORM_DAY, YEARS, Window, windows
from etl.demo.styles import STYLES
from etl.demo.survey import survey_frame
from etl.demo.targets import write_targets
from etl.demo.units import (
    LINEAGE,
    NATIONAL_YEAR,
    REFORM_PROVINCES,
    THAI_NGUYEN,
    Unit,
    build_units,
    national_units,
    pre_reform_districts,
)

LOAD_ORDER = (
    "procedures", "dossiers", "feedback", "survey", "par", "targets", "queue_tickets", "one_stop_offices", "plan",
)  # fmt: skip
FILE_PROVINCES = (*cal.PROVINCES, THAI_NGUYEN)  # the provinces whose systems export files


def generate(out_dir: Path, scale: float = DEFAULT_SCALE, seed: int = DEFAULT_SEED) -> dict[str, list[Path]]:
    """Write calibrated, export-shaped demo files into `out_dir`; return them per load kind, in load order.

    Files (all names start with "demo-"):
    - procedures: demo-procedures-<province>.csv for Hà Nội 01, TP.HCM 79 and Bắc Kạn 06, the catalogues
      in force before 1 July 2025 (Bắc Kạn's UTF-8 with BOM, CRLF line ends and decimal commas, as Excel
      saves it); demo-procedures-<province>-2025-07.csv for 01, 79 and Thái Nguyên 19, the catalogues
      published on 1 July 2025 and what was published after. Not scaled.
    - dossiers: demo-dossiers-<province>-<year>.csv, one per province and year it has dossiers in (01 and
      79: 2019–2026, 06: 2019–2025, 19: 2025–2026), each with ~0.05 % extra bad rows.
    - feedback: demo-feedback-01.csv, demo-feedback-79.csv, demo-feedback-06.xlsx, demo-feedback-19.xlsx.
    - survey: demo-survey-<year>.csv (2019–2026; 2022 with a BOM); at least SURVEY_FLOOR respondents per
      unit and year whatever the scale.
    - par: demo-par.csv (semicolon-separated, decimal commas, as Excel writes CSV in a Vietnamese locale).
    - targets: demo-targets.xlsx.
    - queue_tickets, one_stop_offices, plan: the service measures of etl/demo/measures.py.
    Same scale and seed, same bytes. Personal data: only the invented applicant names, phone numbers and
    e-mail addresses in the columns the loader drops (contract.PII_HEADERS).
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    units = build_units(seed)
    pool = build_pool(seed)
    catalogues = {p: build_catalogue(p, pool, seed) for p in cal.PROVINCES}
    files = {
        "procedures": write_procedures(out_dir, catalogues),
        "dossiers": write_dossiers(out_dir, units, catalogues, scale, seed),
        "feedback": write_feedback(out_dir, units, scale, seed),
        "survey": write_surveys(out_dir, units, scale, seed),
        "par": [write_csv(out_dir / "demo-par.csv", par_frame(units, seed), separator=";")],
        "targets": [out_dir / "demo-targets.xlsx"],
    }
    write_targets(files["targets"][0])
    files |= write_measures(out_dir, scale, seed)
    return {kind: files[kind] for kind in LOAD_ORDER}


def write_csv(path: Path, frame: pl.DataFrame, bom: bool = False, crlf: bool = False, separator: str = ",") -> Path:
    out = CsvOut(path, bom=bom, crlf=crlf, separator=separator)
    out.write(frame)
    out.close()
    return path


def write_procedures(out_dir: Path, catalogues: dict[str, Catalogue]) -> list[Path]:
    """Each catalogue before the reform (Bắc Kạn's as Excel saves it: BOM, CRLF, decimal commas), then the
    ones published on 1 July 2025 under the provinces of the new era."""
    paths = []
    for province in cal.PROVINCES:
        bak = province == cal.BAC_KAN
        frame = catalogue_frame(before_reform(catalogues[province]), STYLES[province], bak, province)
        paths.append(write_csv(out_dir / f"demo-procedures-{province}.csv", frame, bom=bak, crlf=bak))
    return paths + [write_reform_catalogue(out_dir, catalogues, province) for province in REFORM_PROVINCES]


def write_reform_catalogue(out_dir: Path, catalogues: dict[str, Catalogue], province: str) -> Path:
    """A province's catalogue published on 1 July 2025 and after: its lineage's, in its lineage's style."""
    lineage = LINEAGE[province]
    frame = catalogue_frame(from_reform(catalogues[lineage]), STYLES[lineage], lineage == cal.BAC_KAN, province)
    return write_csv(out_dir / f"demo-procedures-{province}-{REFORM_DAY:%Y-%m}.csv", frame)


def write_dossiers(
    out_dir: Path, units: list[Unit], catalogues: dict[str, Catalogue], scale: float, seed: int
) -> list[Path]:
    """One file per province and year: every unit's window of that year, then ~0.05 % bad rows made from
    an uncalibrated district's or commune's rows."""
    paths = []
    for province in FILE_PROVINCES:
        members = [(i, u) for i, u in enumerate(units) if u.province == province]
        years = sorted({w.year for _, u in members for w in windows(u.first_day, u.last_day)})
        for year in years:
            path = out_dir / f"demo-dossiers-{province}-{year}.csv"
            if write_dossier_file(path, province, year, members, catalogues, scale, seed):
                paths.append(path)
    return paths


def write_dossier_file(
    path: Path,
    province: str,
    year: int,
    members: list[tuple[int, Unit]],
    catalogues: dict[str, Catalogue],
    scale: float,
    seed: int,
) -> bool:
    """A province's dossiers received in `year`, unit by unit, then the bad rows. Rows dated after the
    reform also get a retired district's code among their defects. False, and no file, when the scale
    leaves the province no dossier that year (a file without rows is not an export)."""
    style = STYLES[LINEAGE[province]]
    parts, template, template_window = [], None, None
    for u_i, unit in members:
        for window in windows(unit.first_day, unit.last_day):
            if window.year != year:
                continue
            rows = unit_window_rows(unit, u_i, window, catalogues, scale, seed)
            parts.append(rows)
            if template is None and unit.kind in ("district", "commune") and unit.code not in cal.CALIBRATED_UNITS:
                template, template_window = export_frame(rows.head(500), style), window
    parts = [p for p in parts if not p.is_empty()]
    if not parts:
        return False
    out = CsvOut(path)
    out.write(export_frame(pl.concat(parts), style))
    n_bad = math.ceil(out.rows * BAD_ROW_SHARE)
    rng = np.random.default_rng([seed, 8, int(province), year])
    if template is not None:
        after_reform = template_window.first >= np.datetime64(REFORM_DAY)
        retired = retired_district(province) if after_reform else None
        out.write(bad_rows(template, n_bad, style, province, rng, retired))
    out.close()
    return True


def unit_window_rows(
    unit: Unit, u_i: int, window: Window, catalogues: dict[str, Catalogue], scale: float, seed: int
) -> pl.DataFrame:
    """One unit's dossiers of a window (`dossier_rows`) with their signatures, from the unit-year's own
    random streams (`u_i`: the unit's index in its list)."""
    year, province = window.year, int(unit.province)
    rng = np.random.default_rng([seed, 4, province, u_i, year])
    plan = plan_for(unit, window, scale, rng)
    rows = dossier_rows(unit, window, plan, catalogues[unit.lineage], rng)
    signatures = np.random.default_rng([seed, 41, province, u_i, year])
    return add_signatures(unit, year, rows, signatures)


def retired_district(province: str) -> str:
    """A district code of the province's lineage that no longer names a unit after 1 July 2025."""
    lineage = LINEAGE[province]
    return next(code for code, _ in pre_reform_districts(lineage) if code not in cal.CALIBRATED_UNITS)


def write_feedback(out_dir: Path, units: list[Unit], scale: float, seed: int) -> list[Path]:
    """One file per province (Bắc Kạn's and Thái Nguyên's XLSX), each with one petition answered "before"
    it arrived: quarantine content for the feedback table. A province the scale leaves no petition has no
    file."""
    paths = []
    for province in FILE_PROVINCES:
        style = STYLES[LINEAGE[province]]
        frame = feedback_frame([u for u in units if u.province == province], scale, seed, style)
        if frame.is_empty():
            continue
        bad = frame.head(1).with_columns(
            (pl.col("feedback_id") + "-L").alias("feedback_id"),
            (pl.col("received_at") - pl.duration(days=5)).alias("due_at"),
        )
        frame = pl.concat([frame, bad])
        if LINEAGE[province] == cal.BAC_KAN:
            path = out_dir / f"demo-feedback-{province}.xlsx"
            write_feedback_xlsx(frame, style, path)
        else:
            text = frame.with_columns(
                pl.col(c).dt.to_string(style.timestamp) for c in ("received_at", "due_at", "resolved_at")
            )
            h = style.feedback_headers
            path = write_csv(out_dir / f"demo-feedback-{province}.csv", text.select([pl.col(c).alias(h[c]) for c in h]))
        paths.append(path)
    return paths


def write_surveys(out_dir: Path, units: list[Unit], scale: float, seed: int) -> list[Path]:
    """One file per year (2022's with a BOM)."""
    return [
        write_csv(out_dir / f"demo-survey-{year}.csv", survey_frame(units, year, scale, seed), bom=year == 2022)
        for year in YEARS
    ]


# ------------------------------------------------------------------------------------------------
# The national bench's exports: every unit valid in a year, one export per province and month
# ------------------------------------------------------------------------------------------------
NATIONAL_BATCH_ROWS = 1_000_000  # dossier rows drawn before they are formatted and written out


def generate_national(
    out_dir: Path, dossiers: int, year: int = NATIONAL_YEAR, seed: int = DEFAULT_SEED
) -> dict[str, list[Path]]:
    """The exports of a whole country for one year, for the national bench: every commune valid on
    1 January of `year` and the departments of `units.national_units`, in all 34 provinces, about
    `dossiers` dossiers in all (received from 1 January to the demo's LAST_DAY when `year` is its last
    year). Files: demo-procedures-<province>-2025-07.csv (each province's catalogue, its lineage's) and
    demo-dossiers-<province>-<yyyy>-<mm>.csv (a province's dossiers received in one month, as a system
    exporting monthly writes them, each with ~0.05 % bad rows). Same dossiers and seed, same bytes."""
    if dossiers <= 0:
        raise ValueError("dossiers must be positive")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    units = national_units(year, seed)
    pool = build_pool(seed)
    catalogues = {p: build_catalogue(p, pool, seed) for p in cal.PROVINCES}
    provinces = sorted({u.province for u in units})
    scale = dossiers / expected_received(units, year)
    files: dict[str, list[Path]] = {"procedures": [], "dossiers": []}
    for province in provinces:
        members = [(i, u) for i, u in enumerate(units) if u.province == province]
        files["procedures"].append(write_reform_catalogue(out_dir, catalogues, province))
        files["dossiers"] += write_monthly_dossiers(out_dir, province, year, members, catalogues, scale, seed)
    return files


def expected_received(units: list[Unit], year: int) -> float:
    """Dossiers `units` receive in `year` at scale 1, before each unit-year's small random factor."""
    return sum(
        unit.size * VOLUME[unit.lineage][Y[year]] * window_share(unit.province, window)
        for unit in units
        for window in windows(unit.first_day, unit.last_day)
        if window.year == year
    )


def write_monthly_dossiers(
    out_dir: Path,
    province: str,
    year: int,
    members: list[tuple[int, Unit]],
    catalogues: dict[str, Catalogue],
    scale: float,
    seed: int,
) -> list[Path]:
    """A province's dossiers of `year`, one file per month received, each closed by its bad rows (made
    from a commune's rows of the same month). Units are drawn NATIONAL_BATCH_ROWS rows at a time, so
    memory stays at a batch whatever the scale."""
    style = STYLES[LINEAGE[province]]
    outs: dict[int, CsvOut] = {}
    templates: dict[int, pl.DataFrame] = {}
    batch: list[pl.DataFrame] = []

    def flush() -> None:
        rows = pl.concat(batch)
        batch.clear()
        for (month,), part in rows.group_by(pl.col("received_at").dt.month(), maintain_order=True):
            if month not in outs:
                outs[month] = CsvOut(out_dir / f"demo-dossiers-{province}-{year}-{month:02d}.csv")
            outs[month].write(export_frame(part, style))
            communes = part.filter(~pl.col("unit_code").str.contains(".", literal=True))
            if month not in templates and not communes.is_empty():
                templates[month] = export_frame(communes.head(500), style)

    for u_i, unit in members:
        for window in windows(unit.first_day, unit.last_day):
            if window.year == year:
                rows = unit_window_rows(unit, u_i, window, catalogues, scale, seed)
                if not rows.is_empty():
                    batch.append(rows)
        if sum(part.height for part in batch) >= NATIONAL_BATCH_ROWS:
            flush()
    if batch:
        flush()
    for month, out in outs.items():
        rng = np.random.default_rng([seed, 8, int(province), year, month])
        if month in templates:
            template = templates[month]
            out.write(bad_rows(template, math.ceil(out.rows * BAD_ROW_SHARE), style, province, rng,
                               retired_district(province)))  # fmt: skip
        out.close()
    return [outs[month].path for month in sorted(outs)]
