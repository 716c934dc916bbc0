"""`generate`: every demo export file, per load kind, in load order."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl

from etl.demo import calibration as cal
from etl.demo.bad_rows import BAD_ROW_SHARE, bad_rows
from etl.demo.calibration import DEFAULT_SCALE, DEFAULT_SEED, YEARS
from etl.demo.catalogue import Catalogue, build_catalogue, build_pool, catalogue_frame
from etl.demo.dossiers import dossier_frame, plan_for
from etl.demo.feedback import feedback_frame, write_feedback_xlsx
from etl.demo.files import CsvOut
from etl.demo.par import par_frame
from etl.demo.styles import STYLES
from etl.demo.survey import survey_frame
from etl.demo.targets import write_targets
from etl.demo.units import Unit, build_units

LOAD_ORDER = ("procedures", "dossiers", "feedback", "survey", "par", "targets")


def generate(out_dir: Path, scale: float = DEFAULT_SCALE, seed: int = DEFAULT_SEED) -> dict[str, list[Path]]:
    """Write calibrated, export-shaped demo files into `out_dir`; return them per load kind, in load order.

    Files (all names start with "demo-"):
    - procedures: demo-procedures-01.csv, demo-procedures-79.csv, demo-procedures-06.csv (the last one
      UTF-8 with BOM, CRLF line ends and decimal commas, as Excel saves it). Not scaled.
    - dossiers: demo-dossiers-<province>-<year>.csv, 2019–2024 (18 files), each with ~0.05 % extra bad rows.
    - feedback: demo-feedback-01.csv, demo-feedback-79.csv, demo-feedback-06.xlsx.
    - survey: demo-survey-<year>.csv (2019–2024; 2022 with a BOM); at least SURVEY_FLOOR respondents per
      district and year whatever the scale.
    - par: demo-par.csv (semicolon-separated, decimal commas, as Excel writes CSV in a Vietnamese locale).
    - targets: demo-targets.xlsx.
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
    return {kind: files[kind] for kind in LOAD_ORDER}


def write_csv(path: Path, frame: pl.DataFrame, bom: bool = False, crlf: bool = False, separator: str = ",") -> Path:
    out = CsvOut(path, bom=bom, crlf=crlf, separator=separator)
    out.write(frame)
    out.close()
    return path


def write_procedures(out_dir: Path, catalogues: dict[str, Catalogue]) -> list[Path]:
    """One catalogue per province; Bắc Kạn's as Excel saves it (BOM, CRLF, decimal commas)."""
    paths = []
    for province in cal.PROVINCES:
        bak = province == cal.BAC_KAN
        frame = catalogue_frame(catalogues[province], STYLES[province], vietnamese_numbers=bak)
        paths.append(write_csv(out_dir / f"demo-procedures-{province}.csv", frame, bom=bak, crlf=bak))
    return paths


def write_dossiers(
    out_dir: Path, units: list[Unit], catalogues: dict[str, Catalogue], scale: float, seed: int
) -> list[Path]:
    """One file per province and year: every unit-year, then ~0.05 % bad rows made from an uncalibrated
    district's rows."""
    paths = []
    for province in cal.PROVINCES:
        style = STYLES[province]
        members = [(i, u) for i, u in enumerate(units) if u.province == province]
        for year in YEARS:
            path = out_dir / f"demo-dossiers-{province}-{year}.csv"
            out = CsvOut(path)
            template = None
            for u_i, unit in members:
                rng = np.random.default_rng([seed, 4, int(province), u_i, year])
                plan = plan_for(unit, year, scale, rng)
                frame = dossier_frame(unit, year, plan, catalogues[province], style, rng)
                out.write(frame)
                if template is None and unit.kind == "district" and unit.code not in cal.CALIBRATED_UNITS:
                    template = frame.head(500)
            n_bad = math.ceil(out.rows * BAD_ROW_SHARE)
            rng = np.random.default_rng([seed, 8, int(province), year])
            if template is not None:
                out.write(bad_rows(template, n_bad, style, province, rng))
            out.close()
            paths.append(path)
    return paths


def write_feedback(out_dir: Path, units: list[Unit], scale: float, seed: int) -> list[Path]:
    """One file per province (Bắc Kạn's an XLSX), each with one petition answered "before" it arrived:
    quarantine content for the feedback table."""
    paths = []
    for province in cal.PROVINCES:
        style = STYLES[province]
        frame = feedback_frame([u for u in units if u.province == province], scale, seed, style)
        bad = frame.head(1).with_columns(
            (pl.col("feedback_id") + "-L").alias("feedback_id"),
            (pl.col("received_at") - pl.duration(days=5)).alias("due_at"),
        )
        frame = pl.concat([frame, bad])
        if province == cal.BAC_KAN:
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
