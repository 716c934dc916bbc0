"""Deliberately bad dossier rows: extra rows (never in the calibrated units) built from good rows of the same
file, each with one defect the validator must catch, so every quarantine reason has content."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from etl.demo.styles import PROCESSING, RESOLVED, Style

BAD_ROW_SHARE = 0.0005  # extra, deliberately bad rows per dossier file
BAD_KINDS = (
    "due_before_received", "unknown_unit", "bad_date", "missing_resolved_at", "unknown_status",
    "bad_boolean", "bad_number", "missing_procedure", "duplicate_id",
)  # fmt: skip
RETIRED_UNIT = "retired_unit"  # after 1 July 2025: a district's code, a unit that no longer exists then


def bad_rows(
    template: pl.DataFrame,
    count: int,
    style: Style,
    province: str,
    rng: np.random.Generator,
    retired_code: str | None = None,
) -> pl.DataFrame:
    """`count` rows built from good rows of `template`, each with one defect the validator must catch;
    with `retired_code` (rows dated after the reform) one of the defects is that unit's code."""
    if count <= 0 or template.height == 0:
        return template.head(0)
    kinds = (*BAD_KINDS, RETIRED_UNIT) if retired_code else BAD_KINDS
    picks = rng.choice(template.height, size=count, replace=template.height < count)
    rows = template[picks.tolist()].to_dicts()
    first_kind = int(rng.integers(len(kinds)))  # small files get different defects, not always the first
    out = []
    for k, row in enumerate(rows):
        kind = kinds[(first_kind + k) % len(kinds)]
        out.append(spoil(row, kind, k, style, province, retired_code))
    return pl.DataFrame(out, schema=template.schema)


def spoil(row: dict, kind: str, k: int, style: Style, province: str, retired_code: str | None) -> dict:
    """The `k`-th bad row: `row` with a new id (`-L001`, …) and the defect `kind`."""
    h = style.headers
    original_id = row[h["dossier_id"]]
    row[h["dossier_id"]] = f"{original_id}-L{k + 1:03d}"
    received = dt.datetime.strptime(row[h["received_at"]], style.timestamp)
    if kind == "due_before_received":
        row[h["due_at"]] = (received - dt.timedelta(days=3)).strftime(style.timestamp)
    elif kind == "unknown_unit":
        row[h["unit_code"]] = "999" if k % 2 else f"{province}.SXX"
    elif kind == RETIRED_UNIT:
        row[h["unit_code"]] = retired_code
    elif kind == "bad_date":
        row[h["received_at"]] = (
            f"31/02/{received.year} 08:15:00" if k % 2 else f"ngày {received.day}/13/{received.year}"
        )
    elif kind == "missing_resolved_at":
        row[h["status"]] = style.status[RESOLVED]
        row[h["resolved_at"]] = None
    elif kind == "unknown_status":
        row[h["status"]] = "Chờ ký duyệt"
    elif kind == "bad_boolean":
        row[h["has_fee"]] = "Chưa rõ"
    elif kind == "bad_number":
        row[h["wait_minutes"]] = "mười lăm"
    elif kind == "missing_procedure":
        row[h["procedure_code"]] = None
    elif kind == "duplicate_id":
        row[h["dossier_id"]] = original_id
        row[h["status"]] = style.status[PROCESSING]
        row[h["resolved_at"]] = None
        row[h["returned_at"]] = None
    return row
