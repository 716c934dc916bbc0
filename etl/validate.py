"""Row rules: which parsed rows may enter the lake, and why the others may not.

`validate()` takes the typed frame from `etl.parse.parse_frame`, the cell issues the parser found, and
the raw text (for the quarantine's raw values), and splits the rows into accepted rows and issues.
Every issue names the file row, the column, the raw value and a reason code from `contract.REASONS`;
a row with any issue is quarantined whole, with one issue row per problem found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from etl import contract
from etl.unit_resolution import UnitDirectory, resolve

ROW = "__row__"
EXTRA = "__extra__"  # etl.read: text beyond the header's last column (CSV rows with too many fields)
FINAL_STATUSES = ("resolved", "rejected", "withdrawn")
ISSUE_SCHEMA = {
    "row_number": pl.Int64,
    "column_name": pl.String,
    "raw_value": pl.String,
    "reason": pl.String,
    "detail": pl.String,  # words beyond the reason code: the unit a code named, its successor, candidates
}


@dataclass(frozen=True)
class Validated:
    accepted: pl.DataFrame  # typed rows, stored contract columns only, unit codes as resolved, in file order
    issues: pl.DataFrame  # row_number, column_name, raw_value, reason, detail, raw_record

    @property
    def rows_quarantined(self) -> int:
        return self.issues["row_number"].n_unique()


def validate(
    typed: pl.DataFrame,
    parse_issues: pl.DataFrame,
    raw: pl.DataFrame,
    table: contract.Table,
    units: UnitDirectory,
    seen: SeenKeys | None = None,
) -> Validated:
    """Split `typed` (contract columns + __row__) into accepted rows and quarantine issues.

    Unit codes are read on the row's date against `units` (etl/unit_resolution.py): an accepted row
    carries the code of the unit it names, padded as the units table writes it.

    `seen` holds the keys of rows of the same file read in earlier batches (a row repeating one is a
    duplicate like a repeat within the batch); this batch's keys are added to it. A `__extra__` column
    in `raw` marks rows that had more fields than the header.
    """
    if "detail" not in parse_issues.columns:
        parse_issues = parse_issues.with_columns(pl.lit(None, pl.String).alias("detail"))
    if table is contract.UNITS:  # a unit without formed_on took its territory when its row began
        typed = typed.with_columns(pl.col("formed_on").fill_null(pl.col("valid_from")))
    typed, unit_issues = _resolve_units(typed, raw, table, units)
    found = [
        parse_issues.select(ISSUE_SCHEMA.keys()).cast(ISSUE_SCHEMA),
        _extra_fields(raw),
        _missing_required(typed, parse_issues.vstack(unit_issues.select(parse_issues.columns)), raw, table),
        unit_issues,
        *(_CHECKS[name](typed, raw) for name in table.checks),
        _duplicate_keys(typed, raw, table, seen),
    ]
    issues = pl.concat(found, how="vertical").unique(maintain_order=True).sort("row_number", maintain_order=True)
    bad_rows = issues["row_number"].unique()
    stored = [c.name for c in table.stored_columns]
    accepted = typed.filter(~pl.col(ROW).is_in(bad_rows.implode())).select(stored)
    return Validated(accepted=accepted, issues=_with_raw_record(issues, raw))


def _issues_where(typed: pl.DataFrame, raw: pl.DataFrame, condition: pl.Expr, column: str, reason: str) -> pl.DataFrame:
    """One issue per row of `typed` meeting `condition`, carrying the raw text of `column`."""
    hits = typed.filter(condition).select(pl.col(ROW).alias("row_number"))
    if not hits.height:  # the usual case
        return pl.DataFrame(schema=ISSUE_SCHEMA)
    if column in raw.columns:
        raw_text = raw.select(pl.col(ROW).alias("row_number"), pl.col(column).alias("raw_value"))
        hits = hits.join(raw_text, on="row_number", how="left")
    else:
        hits = hits.with_columns(pl.lit(None, pl.String).alias("raw_value"))
    return hits.select(
        "row_number",
        pl.lit(column).alias("column_name"),
        "raw_value",
        pl.lit(reason).alias("reason"),
        pl.lit(None, pl.String).alias("detail"),
    ).cast(ISSUE_SCHEMA)


def _missing_required(
    typed: pl.DataFrame, parse_issues: pl.DataFrame, raw: pl.DataFrame, table: contract.Table
) -> pl.DataFrame:
    found = []
    for column in table.columns:
        if not column.required:
            continue
        # A value the parser rejected is reported once, with the parser's reason.
        unparsed = parse_issues.filter(pl.col("column_name") == column.name)["row_number"]
        condition = pl.col(column.name).is_null() & ~pl.col(ROW).is_in(unparsed.implode())
        found.append(_issues_where(typed, raw, condition, column.name, "missing_required"))
    return pl.concat(found) if found else pl.DataFrame(schema=ISSUE_SCHEMA)


def _resolve_units(
    typed: pl.DataFrame, raw: pl.DataFrame, table: contract.Table, units: UnitDirectory
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`typed` with every unit-code column read on the row's date, and one issue per code that names no
    unit then. A units file defines the codes it lists, so they are known in it at any date."""
    columns = [c for c in table.columns if c.type == "unit_code"]
    if not columns or not typed.height:
        return typed, pl.DataFrame(schema=ISSUE_SCHEMA)
    if table is contract.UNITS:
        return typed, pl.DataFrame(schema=ISSUE_SCHEMA)
    start, end = _unit_period(typed, table)
    names = typed["unit_name"] if "unit_name" in typed.columns else None
    found = []
    for column in columns:
        # `all` (the national catalogue) names no unit: it is kept as it is
        everyone = (pl.col(column.name) == contract.ALL_UNITS).fill_null(False)
        codes = typed.select(pl.when(~everyone).then(pl.col(column.name))).to_series()
        resolution = resolve(codes, start, end, units, names=names, level=column.unit_level)
        typed = typed.with_columns(
            pl.when(everyone).then(pl.col(column.name)).otherwise(resolution.codes).alias(column.name)
        )
        flagged = pl.DataFrame({ROW: typed[ROW], "reason": resolution.reasons, "detail": resolution.details}).filter(
            pl.col("reason").is_not_null()
        )
        if flagged.height:
            raw_text = raw.select(ROW, pl.col(column.name).alias("raw_value")) if column.name in raw.columns else None
            if raw_text is not None:
                flagged = flagged.join(raw_text, on=ROW, how="left")
            else:
                flagged = flagged.with_columns(pl.lit(None, pl.String).alias("raw_value"))
            found.append(
                flagged.select(
                    pl.col(ROW).alias("row_number"),
                    pl.lit(column.name).alias("column_name"),
                    "raw_value",
                    "reason",
                    "detail",
                ).cast(ISSUE_SCHEMA)
            )
    return typed, pl.concat(found) if found else pl.DataFrame(schema=ISSUE_SCHEMA)


def _unit_period(typed: pl.DataFrame, table: contract.Table) -> tuple[pl.Series, pl.Series]:
    """The first and last day of each row's period: its date, or the whole of its year."""
    if table.unit_date is None:  # a table without a date: a code is read on any date
        first = pl.repeat(date(1900, 1, 1), typed.height, eager=True)
        return first, pl.repeat(date(9999, 12, 31), typed.height, eager=True)
    column, kind = table.unit_date
    if kind == "year":
        year = typed[column].cast(pl.Int32)
        start = pl.select(pl.date(year, 1, 1)).to_series()
        return start, pl.select(pl.date(year, 12, 31)).to_series()
    day = typed[column].cast(pl.Date)
    return day, day


def _not_before_received(column: str):
    """Rule: `column` may not fall on a date before received_at (compared as dates)."""

    def check(typed: pl.DataFrame, raw: pl.DataFrame) -> pl.DataFrame:
        condition = pl.col(column).cast(pl.Date) < pl.col("received_at").cast(pl.Date)
        return _issues_where(typed, raw, condition.fill_null(False), column, "date_order")

    return check


def _called_not_before_issued(typed: pl.DataFrame, raw: pl.DataFrame) -> pl.DataFrame:
    """Rule: a queue ticket is called after it was issued (timestamps: a wait is minutes, not days)."""
    condition = (pl.col("called_at") < pl.col("issued_at")).fill_null(False)
    return _issues_where(typed, raw, condition, "called_at", "date_order")


def _resolved_at_when_final(typed: pl.DataFrame, raw: pl.DataFrame) -> pl.DataFrame:
    condition = pl.col("status").is_in(FINAL_STATUSES) & pl.col("resolved_at").is_null()
    return _issues_where(typed, raw, condition, "resolved_at", "missing_resolved_at")


_CHECKS = {
    "due_not_before_received": _not_before_received("due_at"),
    "resolved_not_before_received": _not_before_received("resolved_at"),
    "returned_not_before_received": _not_before_received("returned_at"),
    "resolved_at_when_final": _resolved_at_when_final,
    "called_not_before_issued": _called_not_before_issued,
}


def _extra_fields(raw: pl.DataFrame) -> pl.DataFrame:
    """Rows with text beyond the header's last column: a separator inside an unquoted value shifts every
    field after it, so no field of such a row can be trusted."""
    if EXTRA not in raw.columns:
        return pl.DataFrame(schema=ISSUE_SCHEMA)
    hits = raw.filter(pl.col(EXTRA).is_not_null())
    return hits.select(
        pl.col(ROW).alias("row_number"),
        pl.lit(None, pl.String).alias("column_name"),
        pl.col(EXTRA).alias("raw_value"),
        pl.lit("extra_fields").alias("reason"),
        pl.lit(None, pl.String).alias("detail"),
    ).cast(ISSUE_SCHEMA)


@dataclass
class SeenKeys:
    """The keys of the rows of one file read so far, for duplicates across the batches of a large file.

    Keys are kept as 128-bit hashes (two 64-bit hashes with different seeds) in sorted runs, merged
    like a log-structured tree: 16 bytes a row whatever the key's length, lookups by binary search.
    Two different keys collide with a probability of about n² / 2¹²⁹ (1e-25 for ten million rows).
    """

    runs: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # (first hash sorted, second)

    @staticmethod
    def hashes(typed: pl.DataFrame, table: contract.Table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(first hashes, second hashes) of the rows with a complete key, and the mask of those rows."""
        key = [k for k in table.key if k in typed.columns]
        complete = pl.all_horizontal(pl.col(k).is_not_null() for k in key)
        text = pl.col(key[0]).cast(pl.String) if len(key) == 1 else pl.struct(key).struct.json_encode()
        frame = typed.select(complete.alias("complete"), text.hash(seed=0).alias("a"), text.hash(seed=1).alias("b"))
        mask = frame["complete"].to_numpy()
        return frame["a"].to_numpy()[mask], frame["b"].to_numpy()[mask], mask

    def contains(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        found = np.zeros(len(first), dtype=bool)
        for run_first, run_second in self.runs:
            low = np.searchsorted(run_first, first, side="left")
            hit = run_first[np.minimum(low, len(run_first) - 1)] == first
            for i in np.flatnonzero(hit):  # equal first hashes: rare, unless the key repeats
                high = np.searchsorted(run_first, first[i], side="right")
                found[i] |= bool((run_second[low[i] : high] == second[i]).any())
        return found

    def add(self, first: np.ndarray, second: np.ndarray) -> None:
        if not len(first):
            return
        while self.runs and len(self.runs[-1][0]) <= 2 * len(first):
            run_first, run_second = self.runs.pop()
            first, second = np.concatenate([run_first, first]), np.concatenate([run_second, second])
        order = np.argsort(first, kind="stable")
        self.runs.append((first[order], second[order]))


def _duplicate_keys(
    typed: pl.DataFrame, raw: pl.DataFrame, table: contract.Table, seen: SeenKeys | None = None
) -> pl.DataFrame:
    """The second and later rows with the same key in one file (the first one is kept)."""
    key = [k for k in table.key if k in typed.columns]
    if not key:
        return pl.DataFrame(schema=ISSUE_SCHEMA)
    complete = pl.all_horizontal(pl.col(k).is_not_null() for k in key)
    later = ~pl.struct(key).is_first_distinct() & complete
    if seen is not None and typed.height:
        first, second, mask = SeenKeys.hashes(typed, table)
        repeated = np.zeros(typed.height, dtype=bool)
        repeated[mask] = seen.contains(first, second)
        seen.add(first, second)
        later = later | pl.lit(pl.Series(repeated))
    return _issues_where(typed, raw, later, key[0], "duplicate_id")


def _with_raw_record(issues: pl.DataFrame, raw: pl.DataFrame) -> pl.DataFrame:
    """Attach the whole raw row (canonical columns, personal data already dropped) as JSON text."""
    columns = [c for c in raw.columns if c != ROW]
    if not columns:
        return issues.with_columns(pl.lit(None, pl.String).alias("raw_record"))
    # encode only these rows; a row read into several records (a workbook row of many measures) once
    quarantined = raw.filter(pl.col(ROW).is_in(issues["row_number"].implode())).unique(ROW, keep="first")
    records = quarantined.select(
        pl.col(ROW).alias("row_number"), pl.struct(columns).struct.json_encode().alias("raw_record")
    )
    return issues.join(records, on="row_number", how="left", maintain_order="left")
