"""Reading the demo's export files the way the tests check them: with polars, mapped through the contract's
aliases and vocabularies (not through the loader), so the generator's tests stand on their own."""

from __future__ import annotations

import csv
import datetime as dt
import functools
from pathlib import Path

import polars as pl
import python_calamine

from etl import contract
from etl.contract import fold_text, vocabulary_lookup
from etl.headers import map_headers
from queries.paths import REFERENCE_DIR

BAD_ID = r"-L\d{3}$"  # the ids of the deliberately bad dossier rows


def read_export(path: Path, table: contract.Table) -> pl.DataFrame:
    """A generated CSV or XLSX with canonical column names, canonical codes and parsed timestamps."""
    if path.suffix == ".xlsx":
        header, *rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        cells = [[None if v == "" else f"{v:%Y-%m-%d %H:%M:%S}" if isinstance(v, dt.datetime) else str(v) for v in row]
                 for row in rows]  # fmt: skip
        raw = pl.DataFrame(cells, schema=dict.fromkeys(header, pl.String), orient="row")
    else:
        raw = pl.read_csv(path, infer_schema=False, separator=";" if path.name.startswith("demo-par") else ",")
    mapping = map_headers(raw.columns, table)
    frame = raw.select([pl.col(k).alias(v) for k, v in mapping.rename.items()])
    exprs = []
    for column in table.columns:
        if column.name not in frame.columns:
            continue
        if column.type == "timestamp":
            exprs.append(
                pl.coalesce(
                    pl.col(column.name).str.to_datetime("%d/%m/%Y %H:%M:%S", strict=False),
                    pl.col(column.name).str.to_datetime("%d/%m/%Y %H:%M", strict=False),
                    pl.col(column.name).str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False),
                ).alias(column.name)
            )
        elif column.type == "code":
            lookup = vocabulary_lookup(column.codes)
            forms = {v: lookup.get(fold_text(v)) for v in frame[column.name].drop_nulls().unique()}
            exprs.append(pl.col(column.name).replace_strict(forms, default=None, return_dtype=pl.String))
    return frame.with_columns(exprs)


def is_yes(value: str) -> bool:
    return fold_text(value) in {"co", "1", "x", "true", "yes"}


@functools.cache
def read_dossiers(path: Path) -> pl.DataFrame:
    return read_export(path, contract.DOSSIERS)


def dossiers(files: dict[str, list[Path]], province: str, year: int) -> pl.DataFrame:
    (path,) = [p for p in files["dossiers"] if p.name == f"demo-dossiers-{province}-{year}.csv"]
    return read_dossiers(path)


def good_dossiers(path: Path) -> pl.DataFrame:
    """A dossier file without its deliberately bad rows (their own ids, or a repeated id)."""
    frame = read_dossiers(path)
    return frame.filter(~pl.col("dossier_id").str.contains(BAD_ID) & ~pl.col("dossier_id").is_duplicated())


def read_reference(relative: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / relative, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def unit_validity() -> pl.DataFrame:
    """units.csv as a frame: unit_code, level, province_code, valid_from, valid_to (dates; open end: far future)."""
    return pl.DataFrame(read_reference("units/units.csv")).select(
        "unit_code",
        "level",
        "province_code",
        pl.col("valid_from").str.to_date(),
        pl.col("valid_to").replace("", None).str.to_date().fill_null(dt.date(9999, 12, 31)),
    )


def units_on(frame: pl.DataFrame, day_column: str) -> pl.DataFrame:
    """`frame` (unit_code and a date column) with the level and province of the unit each code named on
    that date; rows whose code named no unit then get empty ones."""
    keyed = frame.with_row_index("row")
    matched = keyed.join(unit_validity(), on="unit_code", how="inner").filter(
        (pl.col(day_column) >= pl.col("valid_from")) & (pl.col(day_column) <= pl.col("valid_to"))
    )
    found = matched.select("row", "level", "province_code").unique("row")
    return keyed.join(found, on="row", how="left").drop("row")
