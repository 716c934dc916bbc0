"""Marts: small pre-aggregated tables the ETL builds from the dossiers at each load (docs/performance.md).

Each `etl/marts/<name>.sql` is one mart: a header in the query-module format (name, description, grain,
params, columns with their DuckDB types, method) and one SELECT over the lake tables, run for a range of
years (`$from_year`, `$to_year`) and stored as one Parquet file per year (`lake/<name>/part-<load>-<year>.parquet`,
the year also a column). Query modules read a mart like any lake table; tests/queries/test_marts.py proves
that each mart-backed query returns exactly what its definition over raw rows (queries/from_rows/) returns.

This module only reads the definitions (etl.lake needs their schemas); etl.marts.build writes them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from queries.catalogue import MODELS_DIR, parse_header, with_models

MARTS_DIR = Path(__file__).resolve().parent
BLOCK_DIRS = (MARTS_DIR / "blocks", MODELS_DIR)
PREFIX = "mart_"  # every mart's name starts with it, so a lake table that is a mart is known by its name
_TYPED_COLUMN = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*)\s+(?P<type>[A-Z]+)$")


@dataclass(frozen=True)
class Mart:
    name: str
    sql: str
    schema: dict[str, str]  # column -> DuckDB type, in output order


@cache
def definitions() -> dict[str, Mart]:
    """Every mart of etl/marts/, keyed by name (file order)."""
    marts = {}
    for path in sorted(MARTS_DIR.glob("*.sql")):
        header, body = parse_header(path.read_text(encoding="utf-8"))
        if not path.stem.startswith(PREFIX):
            raise ValueError(f"{path}: a mart's name starts with {PREFIX}")
        if header.get("name") != path.stem:
            raise ValueError(f"{path}: header name {header.get('name')!r} differs from the file name")
        schema = {}
        for column in header["columns"].split(","):
            match = _TYPED_COLUMN.match(column.strip())
            if match is None:
                raise ValueError(f"{path}: column {column.strip()!r} is not `name TYPE`")
            schema[match["name"]] = match["type"]
        if "year" not in schema:
            raise ValueError(f"{path}: a mart has a `year` column (it is stored one file per year)")
        if header.get("uses"):  # blocks of the marts (etl/marts/blocks/), then those shared with the queries
            body = with_models(body, [n.strip() for n in header["uses"].split(",") if n.strip()], BLOCK_DIRS)
        marts[path.stem] = Mart(name=path.stem, sql=body, schema=schema)
    return marts


def version() -> str:
    """Hash of the mart definitions as run, building blocks included: a lake built with other
    definitions rebuilds its marts."""
    digest = hashlib.sha256()
    for mart in definitions().values():
        digest.update(mart.name.encode() + b"\0" + mart.sql.encode() + b"\0")
    return digest.hexdigest()
