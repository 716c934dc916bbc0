"""Every query's `key:` (queries/catalogue.py) identifies its rows: on the demo data no two rows share it
and none of its columns is empty, at every level and unit setting a query offers, in the latest year
and in the year of the reform."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from queries import catalogue, run
from queries.catalogue import Query

REQUIRED_VALUES = {"metric_code": "PROGRESS_ON_TIME", "index": "PAR", "province_code": "01"}
# Published tables the demo does not carry (the portal's scores, press tables typed by a user): their keys
# are checked by their golden fixtures; PCI is published to 2018.
NOT_ON_THE_DEMO = {"published_766", "published_766_history", "published_index"}
YEAR_OF = {"pci": 2018}


def param_sets(query: Query, data_dir: Path) -> list[dict[str, Any]]:
    names = {p.name for p in query.params}
    years: list[int | None] = [None]
    if "year" in names:
        available = run("available_years", data_dir=data_dir)
        own = available.filter(pl.col("query") == query.name)["year"].to_list()
        years = sorted({max(own), *(y for y in own if y == 2025)}) if own else [YEAR_OF.get(query.name, 2024)]
    levels = [p.allowed for p in query.params if p.name == "level"]
    level_values = list(levels[0]) if levels and levels[0] else [None]
    settings = ["as_published", "current"] if "units" in names else [None]
    fixed: dict[str, Any] = {}
    for param in query.params:
        if param.required and param.name not in ("year",):
            if param.name == "unit_code":
                fixed["unit_code"] = run("dossier_units", data_dir=data_dir)["unit_code"][0]
            else:
                fixed[param.name] = REQUIRED_VALUES[param.name]
    sets = []
    for year, level, units in itertools.product(years, level_values, settings):
        params = {**fixed, "year": year, "level": level, "units": units}
        sets.append({k: v for k, v in params.items() if k in names and v is not None})
    return sets


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_the_key_identifies_the_rows_on_the_demo(name: str, demo_data_dir: Path) -> None:
    query = catalogue()[name]
    checked = 0
    for params in param_sets(query, demo_data_dir):
        frame = run(name, data_dir=demo_data_dir, **params)
        checked += frame.height
        if not query.key:
            assert frame.height <= 1, f"{name} {params}: key none, {frame.height} rows"
            continue
        empty = frame.filter(pl.any_horizontal(pl.col(c).is_null() for c in query.key))
        assert empty.is_empty(), f"{name} {params}: rows with an empty key column:\n{empty.head()}"
        repeated = frame.filter(pl.struct(list(query.key)).is_duplicated())
        assert repeated.is_empty(), f"{name} {params}: rows share the key {query.key}:\n{repeated.head()}"
    assert checked > 0 or name in {"procedure_cost_766"} | NOT_ON_THE_DEMO, f"{name}: no rows to check on the demo"
