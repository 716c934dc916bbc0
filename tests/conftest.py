"""Shared test fixtures. Keep this file small: fixtures used by one test module live in that module.

- `lake_dir`: a fresh, empty data directory; CCHC_DATA_DIR points at it for the test.
- `demo_data_dir` (session): a data directory loaded once per session with `python -m etl demo` (default
  scale and seed), for invariant tests over realistic volumes. Read it, never write to it. Its exports stay
  in `<demo_data_dir>/exports/demo`: `demo_exports` gives them per load kind, so the generator's tests read
  the same files instead of generating the demo a second time.
- Test lanes (docs/how-to.md, "Tests"): a test that uses `demo_data_dir` (directly or through a fixture listed in
  DEMO_FIXTURES) is marked `demo`; `make check` leaves out the markers `demo`, `slow`, `spark` and
  `browser`, `make test` runs everything.
- `golden_lake(inputs)` (session): the lake of an inputs folder (a golden case's `inputs/`), built once per
  session with `build_lake_from` and shared by every test that asks for the same folder. Read it, never
  write to it: a test that loads more files into a lake builds its own.
- `build_lake(inputs, data_dir)`: publishes input tables into `data_dir` so that `queries.run(...,
  data_dir=data_dir)` reads them. `inputs` is a folder of `<table>.csv` files or a mapping
  {table: [row dicts]}; column names are the contract's canonical names (etl/contract.py); values are
  canonical too (ISO dates `2024-03-05 23:59`, `true`/`false`, canonical codes). A `note` column (why
  the row exists) is dropped. Inputs go through the ETL (`etl.load.load_files(kind, [csv],
  data_dir=...)`), so the lake has the published shape, marts included; a fixture row that is
  quarantined fails the test; reference tables given as inputs replace the committed file.
  A folder may also hold `files.json`: files loaded as they are, after the tables, each
  {"kind": "pci", "file": "<path from the repository root>", "quarantined": <rows expected>} (real
  published files: a workbook, the portal's JSON); a different number of quarantined rows fails.
- Test lakes, the demo's included, publish without serving tables (CCHC_SERVING=off: building them costs a
  publish seconds of CPU, and a query answers the same either way); tests/queries/test_serving.py builds
  them where it compares the two.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import polars as pl
import pytest

os.environ.setdefault("CCHC_SERVING", "off")  # see the docstring: test lakes publish without serving tables

from etl import contract
from etl import load as load_module

REPO = Path(__file__).resolve().parents[1]
REFERENCE_DIR = REPO / "data" / "reference"
NOTE_COLUMN = "note"
# Kinds load in this order: units first (other tables' unit codes must exist), the catalogue next.
LOAD_ORDER = (
    "units", "procedures", "dossiers", "feedback", "survey", "par", "papi", "targets", "published_766", "pci",
    "published_index", "queue_tickets", "one_stop_offices", "plan",
)  # fmt: skip
FILES_MANIFEST = "files.json"

Inputs = Path | str | Mapping[str, list[dict]]
# Fixtures that build or read the demo lake: a test using one is marked `demo` (left out of `make check`).
DEMO_FIXTURES = {"demo_data_dir", "demo_exports", "page_lake"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if DEMO_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.demo)


@pytest.fixture
def lake_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("CCHC_DATA_DIR", str(path))
    return path


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "data"
    path.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "etl", "demo"],
        cwd=REPO,
        env={**os.environ, "CCHC_DATA_DIR": str(path)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        pytest.fail(f"`python -m etl demo` exited {done.returncode}: {last[0]}")
    return path


@pytest.fixture(scope="session")
def demo_exports(demo_data_dir: Path) -> dict[str, list[Path]]:
    """The export files `demo_data_dir` was loaded from, per load kind (`etl.demo.generate`'s answer):
    `demo-<kind>-....csv|xlsx`, sorted by name within a kind."""
    from etl import demo

    files: dict[str, list[Path]] = {kind: [] for kind in demo.LOAD_ORDER}
    for path in sorted((demo_data_dir / "exports" / "demo").iterdir()):
        # demo-<kind, hyphens for underscores>[-...]: demo-queue-tickets-01-2023.csv is a queue_tickets file
        [kind] = [k for k in demo.LOAD_ORDER if f"{path.stem}-".startswith(f"demo-{k.replace('_', '-')}-")]
        files[kind].append(path)
    return files


@pytest.fixture
def build_lake() -> Callable[[Inputs, Path], Path]:
    return build_lake_from


@pytest.fixture(scope="session")
def golden_lake(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    lakes: dict[Path, Path] = {}

    def lake_of(inputs: Path) -> Path:
        inputs = Path(inputs).resolve()
        if inputs not in lakes:
            lakes[inputs] = build_lake_from(inputs, tmp_path_factory.mktemp(inputs.parent.name) / "data")
        return lakes[inputs]

    return lake_of


def build_lake_from(inputs: Inputs, data_dir: Path) -> Path:
    """Publish `inputs` into `data_dir` (see the module docstring); returns data_dir."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    tables = _read_inputs(inputs)
    files = _read_files(inputs)
    _load_through_etl(tables, data_dir, files)
    return data_dir


def _read_files(inputs: Inputs) -> list[dict]:
    """The entries of `files.json` in an inputs folder (none for a mapping)."""
    if isinstance(inputs, Mapping) or not (Path(inputs) / FILES_MANIFEST).exists():
        return []
    return json.loads((Path(inputs) / FILES_MANIFEST).read_text(encoding="utf-8"))


def _read_inputs(inputs: Inputs) -> dict[str, pl.DataFrame]:
    """{table: frame of strings}, note column dropped, tables checked against the contract."""
    tables: dict[str, pl.DataFrame] = {}
    if isinstance(inputs, Mapping):
        for name, rows in inputs.items():
            columns = list(dict.fromkeys(k for row in rows for k in row))
            data = {c: [None if r.get(c) is None else str(r.get(c)) for r in rows] for c in columns}
            tables[name] = pl.DataFrame(data, schema=dict.fromkeys(columns, pl.String))
    else:
        for path in sorted(Path(inputs).glob("*.csv")):
            tables[path.stem] = pl.read_csv(path, infer_schema=False)
    for name, frame in tables.items():
        if name not in contract.TABLES:
            raise ValueError(f"input {name}: not a contract table ({', '.join(contract.TABLES)})")
        if NOTE_COLUMN in frame.columns:
            tables[name] = frame.drop(NOTE_COLUMN)
    return tables


def _load_through_etl(tables: dict[str, pl.DataFrame], data_dir: Path, files: list[dict] | None = None) -> None:
    """Each input through `etl.load.load_files(kind, [csv], data_dir=data_dir)`, units first. Reference
    tables given as inputs (no load kind: scoring_766, par_frameworks, ...) replace the committed
    file for this load: the ETL reads them from a copy of data/reference/ with the input in place."""
    staging = data_dir.parent / f"{data_dir.name}-inputs"
    staging.mkdir(parents=True, exist_ok=True)
    reference = {n: f for n, f in tables.items() if contract.TABLES[n].kind is None}
    order = {kind: i for i, kind in enumerate(LOAD_ORDER)}
    loads = sorted((n for n in tables if n not in reference), key=lambda n: order[contract.TABLES[n].kind])
    with _reference_overlay(load_module, reference, staging / "reference"):
        if not loads and not files:
            raise ValueError("inputs hold only reference tables: add at least one loadable table (e.g. units)")
        for name in loads:
            path = staging / f"{name}.csv"
            tables[name].write_csv(path)
            for result in load_module.load_files(contract.TABLES[name].kind, [path], data_dir=data_dir):
                if result.status == "refused" or result.rows_quarantined:  # "skipped": loaded before
                    raise AssertionError(
                        f"fixture {name}.csv: {result.status}, {result.rows_quarantined} row(s) quarantined "
                        f"{result.top_reasons} {result.message}"
                    )
        for entry in files or ():
            (result,) = load_module.load_files(entry["kind"], [REPO / entry["file"]], data_dir=data_dir)
            expected = entry.get("quarantined", 0)
            if result.status != "loaded" or result.rows_quarantined != expected:
                raise AssertionError(
                    f"file {entry['file']}: {result.status}, {result.rows_quarantined} row(s) quarantined where "
                    f"{expected} are expected {result.top_reasons} {result.message}"
                )


@contextlib.contextmanager
def _reference_overlay(load_module, reference: dict[str, pl.DataFrame], directory: Path):
    if not reference:
        yield
        return
    import queries.paths

    modules = [m for m in (load_module, queries.paths) if hasattr(m, "REFERENCE_DIR")]
    originals = [m.REFERENCE_DIR for m in modules]
    for table in contract.TABLES.values():
        if table.reference_file is None:
            continue
        target = directory / table.reference_file
        target.parent.mkdir(parents=True, exist_ok=True)
        if table.name in reference:
            reference[table.name].write_csv(target)
        elif (REFERENCE_DIR / table.reference_file).exists():
            shutil.copyfile(REFERENCE_DIR / table.reference_file, target)
    for module in modules:
        module.REFERENCE_DIR = directory
    try:
        yield
    finally:
        for module, original in zip(modules, originals, strict=True):
            module.REFERENCE_DIR = original
