"""Command line: python -m etl demo | load KIND FILE... | status | contract (see README)."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path

from etl import contract, lake, serving
from etl.contract_doc import render_contract
from etl.load import SHOWN_NAMES, FileResult, LoadError, ensure_reference_tables, load_files
from etl.marts.build import rebuild_if_stale
from etl.marts.build import refresh as refresh_marts
from queries import serving as served
from queries.paths import CATALOG_NAME, REFERENCE_DIR, data_dir

# Published index tables shipped with the product (data/reference/*/SOURCE.md), loaded beside the demo data.
PAPI_REFERENCE = (REFERENCE_DIR / "papi" / "PAPI_2011-2016.xlsx", REFERENCE_DIR / "papi" / "papi_2017_2024_long.csv")
PCI_REFERENCE = tuple(sorted((REFERENCE_DIR / "pci").glob("PCI_*.xls*")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Load data into the CCHC lake.")
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="build calibrated demo data and load it")
    demo.add_argument("--scale", type=float, default=None, help="share of real-world volume (default: small)")
    demo.add_argument("--seed", type=int, default=None, help="random seed (same seed, same data)")
    demo.add_argument("--if-empty", action="store_true", help="do nothing when the lake already has data")

    load = commands.add_parser("load", help="load export files of one kind")
    load.add_argument("kind", choices=list(contract.KINDS))
    load.add_argument("files", nargs="+", type=Path)
    load.add_argument("--sheet", help="XLSX sheet name (default: the first sheet)")
    load.add_argument(
        "--province",
        help="procedures: the province whose catalogue the file is (else its province column; without "
        "either, the national catalogue for every province); plan: the province whose plan it is",
    )
    load.add_argument(
        "--published-at",
        help="procedures: the date the catalogue was announced, dd/mm/yyyy or yyyy-mm-dd (else its column; "
        "without either, valid from the earliest period)",
    )
    load.add_argument("--year", help="plan: the plan's year (else its year column)")
    load.add_argument(
        "--as-of",
        help="plan: the day the statuses were reported; one_stop_offices: the day the list describes "
        "(dd/mm/yyyy or yyyy-mm-dd; else the file's column)",
    )

    commands.add_parser(
        "marts", help="bring a lake built by an older release up to date: reference tables, then the marts"
    )
    commands.add_parser("status", help="tables, row counts, last load per source, quarantine counts")
    commands.add_parser("contract", help="print the data contract as Markdown (docs/data-contract.md)")

    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            return run_demo(args.scale, args.seed, args.if_empty)
        if args.command == "load":
            values = load_values(parser, args)
            return run_load(args.kind, args.files, args.sheet, values)
        if args.command == "status":
            return run_status()
        if args.command == "marts":
            return run_marts()
        sys.stdout.write(render_contract())
        return 0
    except (LoadError, TimeoutError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


ENV_WRITER_NICE = "CCHC_WRITER_NICE"
WRITER_NICE = 10  # default: under contention a reader's thread gets about ten times the writer's CPU


def yield_cpu_to_readers() -> int:
    """Lower this writer process's CPU priority by CCHC_WRITER_NICE (default 10, 0 to keep it; Linux
    `nice`): a load shares the machine with the dashboard's readers, and a page run waiting behind the
    parsing threads is what a user sees, while a load that takes longer is not (docs/reliability.md, "The
    writer yields the CPU"). A value that is not a whole number from 0 to 19 is named on stderr and the
    default used. Returns the process's niceness after the change."""
    text = os.environ.get(ENV_WRITER_NICE, "").strip()
    valid = text.isdigit() and int(text) <= 19
    if text and not valid:
        print(f"warning: {ENV_WRITER_NICE}={text!r} is not a whole number from 0 to 19; using {WRITER_NICE}",
              file=sys.stderr)  # fmt: skip
    return os.nice(int(text) if valid else WRITER_NICE)


# The options of `load` that give a column a file may lack, per kind: option -> (kind -> column).
LOAD_OPTIONS: dict[str, dict[str, str]] = {
    "province": {"procedures": "province_code", "plan": "province_code"},
    "published_at": {"procedures": "published_at"},
    "year": {"plan": "year"},
    "as_of": {"plan": "reported_on", "one_stop_offices": "as_of"},
}


def load_values(parser: argparse.ArgumentParser, args: argparse.Namespace) -> dict[str, str]:
    """The columns the options of `load` give (LOAD_OPTIONS), as text; an option the kind has no use for
    is an error naming the kinds that take it."""
    values = {}
    for option, columns in LOAD_OPTIONS.items():
        given = getattr(args, option)
        if given is None:
            continue
        if args.kind not in columns:
            flag = "--" + option.replace("_", "-")
            parser.error(f"{flag} is an option of `load {' | '.join(columns)}`")
        values[columns[args.kind]] = given
    return values


def progress_printer(total_files: int):
    """A one-line progress bar on stderr (a terminal only): files done, elapsed time, current step."""
    if not sys.stderr.isatty():
        return None
    started = time.monotonic()
    done = 0

    def show(message: str) -> None:
        nonlocal done
        if message.endswith("quarantined"):
            done += 1
        width = 24
        filled = width * done // max(total_files, 1)
        bar = "#" * filled + "-" * (width - filled)
        elapsed = time.monotonic() - started
        print(
            f"\r[{bar}] {done}/{total_files} files {elapsed:6.1f}s  {message[-60:]:<60}",
            end="",
            file=sys.stderr,
        )
        if message.startswith("published"):
            print(file=sys.stderr)

    return show


def print_summary(results: list[FileResult]) -> None:
    header = f"{'file':<44} {'status':<8} {'read':>10} {'accepted':>10} {'quarantined':>11}  top reasons"
    print(header)
    print("-" * len(header))
    for r in results:
        reasons = ", ".join(f"{reason} {count:,}" for reason, count in r.top_reasons[:3])
        print(
            f"{str(r.path)[-44:]:<44} {r.status:<8} {r.rows_read:>10,} {r.rows_accepted:>10,} "
            f"{r.rows_quarantined:>11,}  {reasons}"
        )
    for r in results:
        if r.message:
            print(f"{r.path}: {r.message}" if not r.message.startswith(str(r.path)) else r.message)
    for r in results:
        if r.unmatched_names:
            print(
                f"{r.path}: {len(r.unmatched_names)} name(s) matched no unit (or several); their rows are quarantined:"
            )
            for line in r.unmatched_names[:SHOWN_NAMES]:
                print(f"  {line}")
            if len(r.unmatched_names) > SHOWN_NAMES:
                print(f"  ... and {len(r.unmatched_names) - SHOWN_NAMES} more (python -m queries run quarantine_rows)")


@contextlib.contextmanager
def serving_deferred():
    """Loads inside publish without computing serving rows. Computing them costs most of a load's time and
    memory (docs/performance.md, "Chart queries"), so they are computed once after the loads, by `python -m
    etl marts` (which `make run` runs); until then the runner runs the SQL of each query the load changed
    (the same rows, computed). The rows of the queries a load left unchanged (a load of dossiers: PAR,
    SIPAS, PAPI) are copied into the new catalogue, so those charts stay served (CCHC_SERVING=reuse).
    CCHC_SERVING=off stays off."""
    setting = os.environ.get(served.ENV_SERVING)
    if served.enabled():
        os.environ[served.ENV_SERVING] = served.REUSE
    try:
        yield
    finally:
        if setting is None:
            del os.environ[served.ENV_SERVING]
        else:
            os.environ[served.ENV_SERVING] = setting


def run_load(kind: str, files: list[Path], sheet: str | None, values: dict[str, str] | None = None) -> int:
    serving_wanted = served.enabled()
    with serving_deferred():
        results = load_files(kind, files, sheet=sheet, progress=progress_printer(len(files)), values=values)
    refused = [r for r in results if r.status == "refused"]
    if len(results) == 1 and refused:
        print(f"error: {refused[0].message}", file=sys.stderr)
        return 1
    print_summary(results)
    if serving_wanted and len(refused) < len(results):
        print(
            "serving tables: kept for the queries this load left unchanged; `python -m etl marts` computes the "
            "others after the day's loads"
        )
    return 1 if refused else 0


def run_demo(scale: float | None, seed: int | None, if_empty: bool) -> int:
    from etl import demo

    root = data_dir()
    state = lake.read_state(root)
    if state is not None and if_empty:
        print(f"{root}: the lake already holds data (load {state.load_id}); demo not rebuilt")
        return 0
    if state is not None and not _only_demo_loads(root):
        print(
            f"error: {root} holds loaded (non-demo) data; set CCHC_DATA_DIR to another directory for the demo",
            file=sys.stderr,
        )
        return 2
    with lake.writer_lock(root):
        (root / CATALOG_NAME).unlink(missing_ok=True)
        shutil.rmtree(root / "lake", ignore_errors=True)
    exports = root / "exports" / "demo"
    shutil.rmtree(exports, ignore_errors=True)
    kwargs = {k: v for k, v in (("scale", scale), ("seed", seed)) if v is not None}
    started = time.monotonic()
    files_by_kind = demo.generate(exports, **kwargs)
    print(f"generated demo exports in {exports} ({time.monotonic() - started:.1f}s)")
    with serving_deferred():  # built once, after the last load
        for kind, files in files_by_kind.items():
            results = []
            for batch in by_year(files) if kind == "dossiers" else [files]:
                results += load_files(kind, batch, is_demo=True, progress=progress_printer(len(batch)))
            print_totals(kind, results)
        # Real published data ships with the product and is shown beside the demo data.
        for kind, files in (("papi", PAPI_REFERENCE), ("pci", PCI_REFERENCE)):
            results = load_files(kind, list(files), progress=progress_printer(len(files)))
            print_totals(kind, results)
    if refresh_serving(root) is not None:
        print("serving tables built")
    print(f"demo data loaded into {root} in {time.monotonic() - started:.1f}s")
    return 0


def refresh_serving(root: Path) -> int | None:
    """Publish the lake again when its serving tables are missing or stale (etl/serving.py); the new load
    id, or None when they are current, switched off, or there is no lake."""
    with lake.writer_lock(root):
        previous = lake.read_state(root)
        if previous is None or serving.is_current((root / CATALOG_NAME).resolve(), previous.files, lake.LAKE_TABLES):
            return None
        load_id = previous.load_id + 1
        lake.publish(root, replace(previous, load_id=load_id), previous)
        return load_id


def by_year(files: list[Path]) -> list[list[Path]]:
    """Dossier exports grouped by the year their name ends with (`demo-dossiers-01-2024.csv`), oldest
    first: one load per year, as one-stop-shop systems export them, keeps each load the size of a year."""
    years: dict[str, list[Path]] = {}
    for path in files:
        years.setdefault(path.stem.rsplit("-", 1)[-1], []).append(path)
    return [years[year] for year in sorted(years)]


def print_totals(kind: str, results: list[FileResult]) -> None:
    accepted = sum(r.rows_accepted for r in results)
    quarantined = sum(r.rows_quarantined for r in results)
    print(f"  {kind:<16} {len(results):>3} file(s) {accepted:>12,} rows accepted {quarantined:>8,} quarantined")


def _only_demo_loads(root: Path) -> bool:
    """True when every load came from the demo or from the reference data shipped in the repository."""
    con = lake.connect_catalog(root)
    try:
        sources = [Path(f) for (f,) in con.sql("select source_file from load_log where not is_demo").fetchall()]
    finally:
        con.close()
    return all(source.resolve().is_relative_to(REFERENCE_DIR) for source in sources)


def run_marts() -> int:
    root = data_dir()
    load_id = refresh_reference_tables(root)
    print("reference tables are current" if load_id is None else f"reference tables published as load {load_id}")
    load_id = rebuild_if_stale(root)
    print("marts are current" if load_id is None else f"marts rebuilt and published as load {load_id}")
    load_id = refresh_serving(root)
    print("serving tables are current" if load_id is None else f"serving tables built and published as load {load_id}")
    return 0


def refresh_reference_tables(root: Path) -> int | None:
    """Publish a new load with the reference tables of the committed files (data/reference/) when the lake
    was built with other ones (a reference file added or edited since); the new load id, or None when they
    are current or there is no lake. A load does the same as its first step."""
    with lake.writer_lock(root):
        previous = lake.read_state(root)
        if previous is None:
            return None
        load_id = previous.load_id + 1
        state = ensure_reference_tables(root, previous, load_id)
        if state == previous:
            return None
        state = replace(state, load_id=load_id)
        lake.publish(root, refresh_marts(root, state, previous, load_id), previous)
        return load_id


def run_status() -> int:
    root = data_dir()
    state = lake.read_state(root)
    if state is None:
        print(f"{root}: no data yet. Run `python -m etl demo` or `python -m etl load KIND FILE...`.")
        return 0
    con = lake.connect_catalog(root)
    try:
        print(f"data directory: {root}   load id: {state.load_id}   demo data: {'yes' if state.is_demo else 'no'}")
        print(f"\n{'table':<20} {'rows':>14} {'files':>6}")
        for table in lake.LAKE_TABLES:
            (rows,) = con.sql(f"select count(*) from {table}").fetchall()[0]  # names from the contract
            print(f"{table:<20} {rows:>14,} {len(state.files.get(table, ())):>6}")
        print("\nlast load per source (data as of):")
        latest = con.sql(
            "select kind, max(finished_at) as as_of, sum(rows_accepted) as accepted, "
            "sum(rows_quarantined) as quarantined from load_log group by kind order by kind"
        ).fetchall()
        for kind, as_of, accepted, quarantined in latest:
            print(f"  {kind:<12} {as_of:%d/%m/%Y %H:%M}  accepted {accepted:>12,}  quarantined {quarantined:>8,}")
        print("\nquarantine by reason:")
        for reason, rows in con.sql(
            "select reason, count(distinct (source_file, row_number)) from quarantine group by reason order by 2 desc"
        ).fetchall():
            print(f"  {reason:<22} {rows:>10,}  {contract.REASONS.get(reason, '')}")
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    yield_cpu_to_readers()  # a writer process of its own; main() called in a process it shares keeps its priority
    sys.exit(main())
