"""Benchmark harness: `make bench` (1 M and 10 M dossiers), `make bench SCALE=50M`.

For each scale it builds the demo data at that size, then measures (medians of RUNS runs):
- ETL: rows/s loading the largest dossier export (parse, validate, quarantine, merge, publish) and, on
  the same file, a bare DuckDB `COPY (SELECT * FROM read_csv(file, all_varchar = true)) TO parquet`
  (text columns: DuckDB's sniffer cannot type an export whose bad rows lie past its sample); the ratio;
  peak RSS; the CPU seconds of each (the machine is shared: CPU time varies less than wall time); and a
  third peer, DuckDB alone typing the export and writing it sorted like the lake (`typed_floor_sql`);
- every query module the pages call: warm in one process, and first call in a fresh process;
- every page through AppTest: first run in a fresh process, a cached rerun, the process RSS;
- the lake's size on disk against the CSV exports;
- the peer an analyst would otherwise reach for: dossier KPIs by unit for a year, read from the lake
  into pandas and grouped, timed after pandas is imported, against the warm `dossier_kpis` call (both
  in a warm process, both from the lake on disk: what each does per page view).
Results go to bench/results/<date>-<scale>.json and .md, with library versions, cores and memory, and
every target of the performance issue marked met or missed.

`make bench ENGINE=spark SCALE=10M` runs the query part only, on a local Apache Spark session over the
same lake (queries/spark.py), beside the DuckDB figures: results go to <date>-<scale>-spark.*.

`make bench PART=etl SCALE=10M` measures the ETL only: it generates the demo's export files at that scale
(without loading them, which is what takes long) when the work folder has none: results go to
<date>-<scale>-etl.*.

`make bench SCALE=national` (100 M dossiers; `SCALE=national-10M`, or any count after the dash, for
another size) is the national bench instead (`run_national`): one year (NATIONAL_YEAR) of synthetic
monthly exports of every province, commune and department valid in it (`etl.demo.generate_national`),
loaded a month at a time; the last month's load (whole process, its steps, the mart rebuild inside it,
what it rewrote), the chart queries at commune level (NATIONAL_QUERIES) beside the bare DuckDB scan of
the raw year, and the lake's bytes per dossier. ENGINE and PART do not apply to it. Results go to
<date>-national[-<count>].*.

The machine's load average is recorded at the start and the end of each run: on a machine shared with
other work, wall times stretch with it (CPU seconds much less so).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import time
from importlib import metadata
from pathlib import Path

import duckdb

from etl import contract, demo, lake
from etl.headers import map_headers
from ui import navigation

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as `python bench/run.py`: its sibling modules are `bench.*`
from bench import measured  # noqa: E402

RESULTS = REPO / "bench" / "results"
RUNS = 5
DEMO_DOSSIERS_AT_SCALE_1 = 66.8e6  # dossiers the demo generates at --scale 1 (docs/demo-data.md)

# Every query the pages call, as they call it: (label, query, params, kind). Chart queries (and the
# filter lists, labels and panels beside the charts) read small aggregates and must answer at once;
# drill-down queries read raw rows for one unit or one page of rows.
QUERIES = [
    ("dossier_kpis year", "dossier_kpis", {"year": 2023}, "chart"),
    ("dossier_kpis month", "dossier_kpis", {"year": 2023, "period": "month", "province_code": "01"}, "chart"),
    ("dossier_kpis province", "dossier_kpis", {"year": 2023, "level": "province"}, "chart"),
    ("service_index_766", "service_index_766", {"year": 2023, "province_code": "01"}, "chart"),
    ("service_index_766_total", "service_index_766_total", {"year": 2023, "province_code": "01"}, "chart"),
    ("sipas", "sipas", {"year": 2023}, "chart"),
    ("par_index", "par_index", {"year": 2023}, "chart"),
    ("papi", "papi", {"year": 2015}, "chart"),
    ("targets_gap", "targets_gap", {"year": 2023}, "chart"),
    ("freshness", "freshness", {}, "chart"),
    ("dossier_rows page", "dossier_rows", {"year": 2023, "unit_code": "021", "limit": 50}, "drill-down"),
    ("dossier_rows_count", "dossier_rows_count", {"year": 2023, "unit_code": "021"}, "drill-down"),
    # the dossier explorer as it opens: a province, the latest year
    (
        "dossier_rows explorer",
        "dossier_rows",
        {"province_code": "01", "received_from": "2024-01-01", "limit": 50},
        "drill-down",
    ),
    (
        "dossier_rows_count explorer",
        "dossier_rows_count",
        {"province_code": "01", "received_from": "2024-01-01"},
        "drill-down",
    ),
    (
        "procedure_cost_766",
        "procedure_cost_766",
        {"year": 2023, "unit_code": "021", "metric_code": "PROGRESS_ON_TIME"},
        "drill-down",
    ),
    # what the pages ask for their filters, labels and side panels
    ("available_years", "available_years", {}, "chart"),
    ("metrics_766", "metrics_766", {}, "chart"),
    ("units", "units", {"level": "district"}, "chart"),
    ("dossier_units", "dossier_units", {}, "chart"),
    ("dossier_fields", "dossier_fields", {}, "chart"),
    ("dossier_procedures", "dossier_procedures", {"province_code": "01"}, "chart"),
    ("par_criteria", "par_criteria", {"year": 2023, "unit_code": "021"}, "chart"),
    ("papi_profile", "papi_profile", {"year": 2015, "province_code": "01"}, "chart"),
    ("quarantine_summary", "quarantine_summary", {}, "chart"),
    ("load_log", "load_log", {}, "chart"),
    ("lake_state", "lake_state", {}, "chart"),
    ("quarantine_rows page", "quarantine_rows", {"limit": 50}, "drill-down"),
]

# The national bench (`make bench SCALE=national`): one year of every province's monthly exports. Chart
# queries at commune level as the pages call them, plus the drill-downs beside them.
NATIONAL_YEAR = demo.NATIONAL_YEAR
NATIONAL_DEFAULT_DOSSIERS = 100_000_000  # SCALE=national; SCALE=national-10M (any count) for another size
NATIONAL_QUERIES = [
    ("dossier_kpis commune year", "dossier_kpis", {"year": NATIONAL_YEAR, "level": "commune"}, "chart"),
    ("dossier_kpis commune month", "dossier_kpis",
     {"year": NATIONAL_YEAR, "period": "month", "level": "commune", "province_code": "01"}, "chart"),
    ("dossier_kpis province", "dossier_kpis", {"year": NATIONAL_YEAR, "level": "province"}, "chart"),
    ("dossier_kpis department", "dossier_kpis", {"year": NATIONAL_YEAR, "level": "department"}, "chart"),
    ("service_index_766 commune", "service_index_766",
     {"year": NATIONAL_YEAR, "level": "commune", "province_code": "01"}, "chart"),
    ("service_index_766_total commune", "service_index_766_total",
     {"year": NATIONAL_YEAR, "level": "commune"}, "chart"),
    ("units commune", "units", {"level": "commune", "year": NATIONAL_YEAR}, "chart"),
    ("dossier_units commune", "dossier_units", {"level": "commune"}, "chart"),
    ("dossier_procedures", "dossier_procedures", {"province_code": "01"}, "chart"),
    ("dossier_rows commune page", "dossier_rows",
     {"year": NATIONAL_YEAR, "level": "commune", "province_code": "01", "limit": 50}, "drill-down"),
    ("dossier_rows_count commune", "dossier_rows_count",
     {"year": NATIONAL_YEAR, "level": "commune", "province_code": "01"}, "drill-down"),
]  # fmt: skip

PAGES = [page.file for page in navigation.PAGES]  # the registry of ui/navigation.py


def parse_scale(text: str) -> int:
    text = text.strip().upper()
    factor = {"K": 1_000, "M": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("KM")) * factor)


def run_child(args: list[str], env: dict | None = None) -> measured.Measured:
    """Run a child process and measure it: its own peak RSS, not this process's (bench/measured.py)."""
    child = measured.run(args, cwd=REPO, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])}… failed: {child.stderr.strip().splitlines()[-1:]}")
    return child


def median(values: list[float]) -> float:
    return statistics.median(values)


def demo_exports(work: Path, rows: int) -> dict:
    """The demo's export files at this scale, generated (not loaded) unless the work folder has them."""
    exports = work / "data" / "exports" / "demo"
    if any(exports.glob("demo-dossiers-*.csv")):
        return {"exports_s": None, "reused": True}
    scale = rows / DEMO_DOSSIERS_AT_SCALE_1
    started = time.perf_counter()
    demo.generate(exports, scale=scale)
    return {"exports_s": time.perf_counter() - started, "demo_scale": scale, "reused": False}


def build_demo(work: Path, rows: int) -> dict:
    data = work / "data"
    if (data / "cchc.duckdb").exists():  # built before, maybe by an older release: bring its marts up to date
        run_child([sys.executable, "-m", "etl", "marts"], env={"CCHC_DATA_DIR": str(data)})
        return {"demo_build_s": None, "reused": True}
    scale = rows / DEMO_DOSSIERS_AT_SCALE_1
    wall = run_child(
        [sys.executable, "-m", "etl", "demo", "--scale", f"{scale:.6f}"], env={"CCHC_DATA_DIR": str(data)}
    ).wall
    return {"demo_build_s": wall, "demo_scale": scale, "reused": False}


def measure_etl(work: Path) -> dict:
    data = work / "data"
    exports = sorted((data / "exports" / "demo").glob("demo-dossiers-*.csv"), key=lambda p: p.stat().st_size)
    export = exports[-1]
    rows = sum(1 for _ in export.open("rb")) - 1
    base = work / "etl-base"
    if not base.exists():  # a lake with the reference tables and the catalogue, but no dossiers
        procedures = sorted((data / "exports" / "demo").glob("demo-procedures-*.csv"))
        run_child(
            [sys.executable, "-m", "etl", "load", "procedures", *map(str, procedures)], {"CCHC_DATA_DIR": str(base)}
        )
    out = work / "peer.parquet"
    copy = (
        'import duckdb, sys; duckdb.sql("copy (select * from read_csv(\'" + sys.argv[1] + "\', '
        'all_varchar = true)) to \'" + sys.argv[2] + "\' (format parquet, compression zstd)")'
    )
    typed = "import duckdb, sys; duckdb.sql(sys.argv[1])"
    loads, bare, floor = [], [], []
    for run in range(RUNS):
        target = work / f"etl-run-{run}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(base, target, symlinks=True)
        loads.append(
            run_child([sys.executable, "-m", "etl", "load", "dossiers", str(export)], {"CCHC_DATA_DIR": str(target)})
        )
        shutil.rmtree(target)
        bare.append(run_child([sys.executable, "-c", copy, str(export), str(out)]))
        floor.append(run_child([sys.executable, "-c", typed, typed_floor_sql(export, out)]))
        out.unlink(missing_ok=True)
    load_s, bare_s, floor_s = (median([c.wall for c in runs]) for runs in (loads, bare, floor))
    return {
        "file": export.name,
        "rows": rows,
        "csv_bytes": export.stat().st_size,
        "load_s": load_s,
        "load_rows_per_s": rows / load_s,
        "bare_duckdb_s": bare_s,
        "bare_rows_per_s": rows / bare_s,
        "ratio_to_bare": bare_s / load_s,
        "load_peak_rss_bytes": max(c.rss for c in loads),
        "load_cpu_s": median([c.cpu for c in loads]),
        "bare_cpu_s": median([c.cpu for c in bare]),
        "typed_floor_s": floor_s,
        "typed_floor_cpu_s": median([c.cpu for c in floor]),
    }


def typed_floor_sql(export: Path, out: Path) -> str:
    """A peer for what a load costs when every row stays in DuckDB: one COPY that reads the export,
    types each column the contract maps (day-first dates, numbers, the contract's yes/no forms; codes and
    unit codes as text), leaves personal data out and writes Parquet sorted like the lake's dossiers.

    Approximate typing, no quarantine, no validation, no merge with earlier rows, no marts, no publish:
    a floor under any load of this file, not a loader.
    """
    header = duckdb.sql(f"select * from read_csv('{export}', all_varchar = true) limit 0").columns
    columns = []
    for raw, name in map_headers(header, contract.DOSSIERS).rename.items():
        value = f'trim("{raw}")'
        kind = contract.DOSSIERS.column(name).type
        if kind in ("timestamp", "date"):
            value = f"try_strptime({value}, ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y', '%Y-%m-%d'])"
        elif kind in ("number", "integer"):
            value = f"try_cast(replace({value}, ',', '.') as double)"
        elif kind == "boolean":
            cases = " ".join(
                f"when '{form.lower()}' then {str(flag).lower()}"
                for flag, forms in contract.BOOLEAN_FORMS.items()
                for form in forms
            )
            value = f"case lower({value}) {cases} end"
        columns.append(f"{value} as {name}")
    return (
        f"copy (select {', '.join(columns)} from read_csv('{export}', all_varchar = true) "
        f"order by unit_code, received_at) to '{out}' (format parquet, compression zstd)"
    )


QUERY_CHILD = """
import json, sys, time
started = time.perf_counter()
from queries import run
run(sys.argv[1], engine=sys.argv[3], **json.loads(sys.argv[2]))
print(time.perf_counter() - started)
"""


def measure_queries(data: Path, engine: str = "duckdb", queries: list | None = None, runs: int = RUNS) -> list[dict]:
    os.environ["CCHC_DATA_DIR"] = str(data)
    from queries import run

    results = []
    for label, name, params, kind in queries or QUERIES:
        rows = run(name, engine=engine, **params).height  # the first call opens the lake, warms caches
        warm = []
        for _ in range(runs):
            started = time.perf_counter()
            run(name, engine=engine, **params)
            warm.append(time.perf_counter() - started)
        child = [sys.executable, "-c", QUERY_CHILD, name, json.dumps(params), engine]
        fresh = [float(run_child(child, {"CCHC_DATA_DIR": str(data)}).stdout) for _ in range(runs)]
        results.append(
            {
                "label": label,
                "query": name,
                "kind": kind,
                "rows": rows,
                "warm_s": median(warm),
                "fresh_s": median(fresh),
            }
        )
    return results


# The peer of the chart queries (issue: "≤ 0.3× a bare DuckDB scan of the raw year"): the dossier KPIs by
# unit for a year computed by DuckDB straight from the lake's raw dossiers, in the same warm process. It
# counts what dossier_kpis counts for a year (received, resolved, on time, online, median days), without
# the units' validity, the catalogue's fields, the marts or the scope.
BARE_KPIS_SQL = """
select unit_code, count(*) as received,
  count(*) filter (where status = 'resolved' and year(resolved_at) = {year}) as resolved,
  count(*) filter (where status = 'resolved' and year(resolved_at) = {year}
                   and (due_at is null or resolved_at::date <= due_at::date)) as on_time,
  count(*) filter (where channel = 'online') as online,
  median(datediff('day', received_at::date, resolved_at::date))
    filter (where status = 'resolved' and year(resolved_at) = {year}) as median_days
from read_parquet(['{files}']) group by unit_code
"""


def listed_files(data: Path, table: str) -> list[Path]:
    """The files of `table` the lake's manifest lists: a folder can still hold files of earlier loads
    that the current state no longer reads (kept for readers of the earlier state until collected)."""
    state = lake.read_state(data)
    return [data / p for p in state.files.get(table, ())] if state else []


def measure_bare_scan(data: Path, year: int = 2023) -> dict:
    paths = [p for p in listed_files(data, "dossiers") if lake.partition_of(str(p), "year") == year]
    files = "', '".join(str(p).replace("'", "''") for p in paths)
    sql = BARE_KPIS_SQL.format(year=year, files=files)
    con = duckdb.connect()
    try:
        rows = con.sql(f"select count(*) from read_parquet(['{files}'])").fetchall()[0][0]
        con.sql(sql).pl()  # warm: the files' metadata and pages in the OS cache
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            con.sql(sql).pl()
            times.append(time.perf_counter() - started)
    finally:
        con.close()
    return {"what": f"dossier KPIs by unit for {year}, bare DuckDB over the raw year", "dossiers": rows,
            "s": median(times)}  # fmt: skip


PAGE_CHILD = """
import json, resource, sys, time
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("dashboard.py", default_timeout=600)
at.switch_page(sys.argv[1])
started = time.perf_counter(); at.run(); first = time.perf_counter() - started
started = time.perf_counter(); at.run(); rerun = time.perf_counter() - started
errors = len(at.exception)
print(json.dumps({"first_s": first, "rerun_s": rerun, "errors": errors,
                  "rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


# The peer of the pages: a one-line Streamlit script through AppTest in a fresh process, measured like
# the pages. Its first run is Streamlit's own floor (the script runner, the scan of installed packages for
# components); a page's first run over it is what the dashboard's imports, queries and drawing add.
PEER_PAGE_CHILD = PAGE_CHILD.replace(
    'AppTest.from_file("dashboard.py", default_timeout=600)\nat.switch_page(sys.argv[1])',
    'AppTest.from_string("import streamlit as st\\nst.write(1)", default_timeout=600)',
)


def measure_peer_page() -> dict:
    runs = [json.loads(run_child([sys.executable, "-c", PEER_PAGE_CHILD]).stdout) for _ in range(RUNS)]
    return {
        "what": "a one-line Streamlit script (st.write) through AppTest, fresh process",
        "first_s": median([r["first_s"] for r in runs]),
        "rerun_s": median([r["rerun_s"] for r in runs]),
    }


def measure_pages(data: Path) -> list[dict]:
    results = []
    for page in PAGES:
        runs = [
            json.loads(run_child([sys.executable, "-c", PAGE_CHILD, page], {"CCHC_DATA_DIR": str(data)}).stdout)
            for _ in range(RUNS)
        ]
        results.append(
            {
                "page": page,
                "first_s": median([r["first_s"] for r in runs]),
                "rerun_s": median([r["rerun_s"] for r in runs]),
                "rss_bytes": max(r["rss_bytes"] for r in runs),
                "errors": max(r["errors"] for r in runs),
            }
        )
    return results


PANDAS_CHILD = """
import glob, sys, time
import pandas as pd
started = time.perf_counter()
files = glob.glob(sys.argv[1] + "/lake/dossiers/year=2023/*.parquet")
d = pd.read_parquet(files)
d["received"] = 1
d["is_resolved"] = d["status"].eq("resolved") & d["resolved_at"].dt.year.eq(2023)
d["on_time"] = d["is_resolved"] & (d["resolved_at"].dt.normalize() <= d["due_at"].dt.normalize())
d["online"] = d["channel"].eq("online")
d["days"] = (d["resolved_at"].dt.normalize() - d["received_at"].dt.normalize()).dt.days.where(d["is_resolved"])
kpis = d.groupby("unit_code").agg(received=("received", "sum"), resolved=("is_resolved", "sum"),
                                  on_time=("on_time", "sum"), online=("online", "sum"),
                                  median_days=("days", "median"))
kpis["on_time_rate"] = kpis["on_time"] / kpis["resolved"]
kpis["online_rate"] = kpis["online"] / kpis["received"]
print(time.perf_counter() - started)
"""


def measure_pandas(data: Path) -> dict:
    runs = [float(run_child([sys.executable, "-c", PANDAS_CHILD, str(data)]).stdout) for _ in range(RUNS)]
    return {"what": "dossier KPIs by unit for 2023 with pandas from the lake (read + group)", "s": median(runs)}


def lake_sizes(data: Path, exports: Path | None = None) -> dict:
    def size(path: Path, pattern: str) -> int:
        return sum(p.stat().st_size for p in path.rglob(pattern))

    state = lake.read_state(data)
    listed = {table: sum((data / p).stat().st_size for p in paths) for table, paths in state.files.items()}
    lake_bytes, csv = sum(listed.values()), size(exports or data / "exports" / "demo", "*.csv")
    con = duckdb.connect(str(data / "cchc.duckdb"), read_only=True, config={"file_search_path": str(data)})
    try:
        dossiers = con.sql("select count(*) from dossiers").fetchall()[0][0]
        marts = {
            name: {
                "rows": con.sql(f"select count(*) from {name}").fetchall()[0][0],
                "bytes": listed.get(name, 0),
            }
            for (name,) in con.sql(
                "select distinct table_name from lake_files where table_name like 'mart_%' order by 1"
            ).fetchall()
        }
    finally:
        con.close()
    return {
        "lake_bytes": lake_bytes,
        "csv_bytes": csv,
        "lake_to_csv": lake_bytes / csv if csv else None,
        "dossier_rows": dossiers,
        "dossier_bytes": listed.get("dossiers", 0),
        "marts": marts,
    }


def national_dossiers(label: str) -> int | None:
    """Dossiers of a national scale label (`national`: 100 M; `national-10M`: 10 M), None for another label."""
    name, _, count = label.strip().lower().partition("-")
    if name != "national":
        return None
    return parse_scale(count) if count else NATIONAL_DEFAULT_DOSSIERS


LOAD_CHILD = """
import json, sys, time
from pathlib import Path
from etl import lake
from etl.load import load_files
from etl.marts import build
started = time.perf_counter()
marks = []
rebuild = build.refresh
def timed_refresh(*args, **kwargs):  # the load's own mart rebuild, timed where it ends
    state = rebuild(*args, **kwargs)
    marks.append(("marts rebuilt", time.perf_counter() - started))
    return state
build.refresh = timed_refresh
results = load_files(sys.argv[1], sys.argv[3:], data_dir=Path(sys.argv[2]), is_demo=True,
                     progress=lambda message: marks.append((message, time.perf_counter() - started)))
state = lake.read_state(Path(sys.argv[2]))
written = {table: sorted({int(p.rsplit("-", 1)[1][:4]) if table.startswith("mart_") else lake.partition_of(p, "year")
                          for p in paths if f"part-{state.load_id:06d}" in p})
           for table, paths in state.files.items() if table == "dossiers" or table.startswith("mart_")}
print(json.dumps({"marks": marks, "rows": sum(r.rows_accepted for r in results),
                  "quarantined": sum(r.rows_quarantined for r in results),
                  "refused": [str(r.path) for r in results if r.status != "loaded"], "written_years": written}))
"""


def load_child(kind: str, data: Path, files: list[Path]) -> dict:
    """Load `files` in a fresh process: its wall, CPU and peak RSS, and when each step of the load began."""
    child = run_child([sys.executable, "-c", LOAD_CHILD, kind, str(data), *map(str, files)])
    out = json.loads(child.stdout.strip().splitlines()[-1])  # the last line: what the load printed comes before
    if out["refused"]:
        raise RuntimeError(f"the load refused {out['refused']}")
    marks = dict(out["marks"])  # message -> seconds after the load began
    merge = next(t for m, t in marks.items() if m.endswith("into the lake"))
    marts, rebuilt = marks["rebuilding the marts"], marks["marts rebuilt"]
    published = next(t for m, t in marks.items() if m.startswith("published load"))
    return out | {"wall_s": child.wall, "cpu_s": child.cpu, "rss_bytes": child.rss, "read_s": merge,
                  "merge_s": marts - merge, "marts_s": rebuilt - marts, "publish_s": published - rebuilt}  # fmt: skip


def month_of(path: Path) -> str:
    return path.stem.rsplit("-", 2)[-2] + "-" + path.stem.rsplit("-", 1)[-1]  # demo-dossiers-01-2026-11 -> 2026-11


def measure_national(work: Path, dossiers: int, runs: int = RUNS) -> dict:
    """The national bench: generate a year of every province's monthly exports (unless the work folder
    has them), load the catalogues and every month but the last one month at a time (each month's load
    timed), then load the last month RUNS times, each into a copy of that lake: the month's load, its
    steps and its mart rebuild. The last copy stays, with the whole year, for the queries (`work/data`)."""
    exports = work / "exports"
    result: dict = {"dossiers_asked": dossiers, "year": NATIONAL_YEAR}
    if not any(exports.glob("demo-dossiers-*.csv")):
        started = time.perf_counter()
        demo.generate_national(exports, dossiers, NATIONAL_YEAR)
        result["exports_s"] = time.perf_counter() - started
    files = sorted(exports.glob("demo-dossiers-*.csv"))
    months = sorted({month_of(f) for f in files})
    by_month = {m: [f for f in files if month_of(f) == m] for m in months}
    base = work / "base"
    if not (base / "cchc.duckdb").exists():
        shutil.rmtree(base, ignore_errors=True)
        load_child("procedures", base, sorted(exports.glob("demo-procedures-*.csv")))
        result["base_months"] = [
            {"month": m, **{k: v for k, v in load_child("dossiers", base, by_month[m]).items() if k != "marks"}}
            for m in months[:-1]
        ]
    last = months[-1]
    data = work / "data"
    loads = []
    for _ in range(runs):
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(base, data, symlinks=True)
        loads.append(load_child("dossiers", data, by_month[last]))
    rows = loads[-1]["rows"] + loads[-1]["quarantined"]
    result["month"] = {
        "month": last,
        "files": len(by_month[last]),
        "rows": rows,
        "rows_accepted": loads[-1]["rows"],
        "csv_bytes": sum(f.stat().st_size for f in by_month[last]),
        **{k: median([r[k] for r in loads]) for k in ("wall_s", "cpu_s", "read_s", "merge_s", "marts_s", "publish_s")},
        "rows_per_s": rows / median([r["wall_s"] for r in loads]),
        "peak_rss_bytes": max(r["rss_bytes"] for r in loads),
        "written_years": loads[-1]["written_years"],
    }
    result["month"]["marts_rewritten"] = rewritten_mart_rows(data)
    result["units"] = national_coverage(data)
    result["sizes"] = lake_sizes(data, exports)
    return result


def rewritten_mart_rows(data: Path) -> dict:
    """Per mart: rows in the files the lake's last load wrote, and rows of the years those files hold."""
    state = lake.read_state(data)
    con = duckdb.connect()
    out = {}
    try:
        for table, paths in state.files.items():
            written = [str(data / p) for p in paths if table.startswith("mart_") and f"part-{state.load_id:06d}" in p]
            if not written:
                continue
            ((rows, years),) = con.sql("select count(*), list(distinct year) from read_parquet($files)",
                                       params={"files": written}).fetchall()  # fmt: skip
            every = [str(data / p) for p in paths]
            ((total,),) = con.sql("select count(*) from read_parquet($files) where list_contains($years, year)",
                                  params={"files": every, "years": years}).fetchall()  # fmt: skip
            out[table] = {"rewritten_rows": rows, "rows_of_those_years": total}
    finally:
        con.close()
    return out


def national_coverage(data: Path) -> dict:
    """Provinces, communes and departments with dossiers in the lake, against the units valid in the year."""
    con = duckdb.connect(str(data / "cchc.duckdb"), read_only=True, config={"file_search_path": str(data)})
    day = f"{NATIONAL_YEAR}-01-01"
    try:
        valid = dict(
            con.sql(
                "select level, count(distinct unit_code) from units where valid_from <= $day "
                "and (valid_to is null or valid_to >= $day) group by level",
                params={"day": day},
            ).fetchall()
        )
        seen = dict(
            con.sql(
                "select u.level, count(distinct d.unit_code) from dossiers d join units u on u.unit_code = d.unit_code "
                "and d.received_at::date between u.valid_from and coalesce(u.valid_to, date '9999-12-31') "
                "group by u.level"
            ).fetchall()
        )
        provinces = con.sql(
            "select count(distinct u.province_code) from dossiers d join units u on u.unit_code = d.unit_code "
            "and d.received_at::date between u.valid_from and coalesce(u.valid_to, date '9999-12-31')"
        ).fetchall()[0][0]
    finally:
        con.close()
    return {"provinces": provinces, "provinces_valid": valid.get("province", 0),
            "communes": seen.get("commune", 0), "communes_valid": valid.get("commune", 0),
            "departments": seen.get("department", 0), "departments_valid": valid.get("department", 0)}  # fmt: skip


def national_targets(result: dict) -> list[dict]:
    month, queries = result["national"]["month"], result["queries"]
    chart = [q for q in queries if q["kind"] == "chart"]
    slowest = max(chart, key=lambda q: q["warm_s"])
    rebuilt = sorted({y for table, years in month["written_years"].items() if table.startswith("mart_") for y in years})
    per_dossier = result["sizes"]["dossier_bytes"] / result["sizes"]["dossier_rows"]
    rewritten = sum(m["rewritten_rows"] for m in month["marts_rewritten"].values())
    of_years = sum(m["rows_of_those_years"] for m in month["marts_rewritten"].values())
    checks = [
        ("every chart query at commune level ≤ 10 ms warm",
         f"max {slowest['warm_s'] * 1000:.0f} ms ({slowest['label']})", slowest["warm_s"] <= 0.010),
        ("chart queries ≤ 0.3× the bare DuckDB scan of the raw year",
         f"max {slowest['warm_s'] / result['bare_scan']['s']:.2f}× ({result['bare_scan']['s'] * 1000:.0f} ms)",
         slowest["warm_s"] <= 0.3 * result["bare_scan"]["s"]),
        (f"mart rebuild after a month ≤ 60 s (for 8 M dossiers; this month: {month['rows']:,})",
         f"{month['marts_s']:.1f} s", month["marts_s"] <= 60),
        ("the mart rebuild rewrites less than the year's marts (by month, not the whole year)",
         f"{rewritten:,} of {of_years:,} rows of {rebuilt} rewritten", rewritten < of_years),
        ("lake size per dossier (planned ≤ 50 B)", f"{per_dossier:.1f} B", per_dossier <= 50),
    ]  # fmt: skip
    return target_rows(checks)


def national_markdown(result: dict) -> str:
    n, mib = result["national"], 2**20
    month, units, sizes = n["month"], n["units"], result["sizes"]
    lines = [
        f"# National benchmark, {result['scale']} ({n['dossiers_asked']:,} dossiers asked) — {result['date']}",
        "",
        machine_line(result),
        "",
        f"Synthetic exports of {n['year']} (`etl.demo.generate_national`): {units['provinces']} of "
        f"{units['provinces_valid']} provinces, {units['communes']:,} of {units['communes_valid']:,} communes and "
        f"{units['departments']} of {units['departments_valid']} departments valid on 1 January {n['year']} have "
        f"dossiers; {sizes['dossier_rows']:,} dossiers in the lake.",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        *[f"| {t['target']} | {t['measured']} | {'met' if t['met'] else '**missed**'} |" for t in result["targets"]],
        "",
        "## Loading a month",
        "",
        f"{month['month']}: {month['files']} files (one per province), {month['rows']:,} rows, "
        f"{month['csv_bytes'] / mib:.0f} MiB, into a lake holding the months before it. Whole process "
        f"{month['wall_s']:.2f} s ({month['rows_per_s']:,.0f} rows/s), {month['cpu_s']:.2f} s CPU, peak RSS "
        f"{month['peak_rss_bytes'] / mib:.0f} MiB. Steps: read, parse, validate and stage {month['read_s']:.2f} s; "
        f"merge {month['merge_s']:.2f} s; mart rebuild {month['marts_s']:.2f} s; publish, with the serving tables "
        f"(etl/serving.py), {month['publish_s']:.2f} s.",
        "",
        "What the load rewrote: " + "; ".join(f"{t} {y}" for t, y in month["written_years"].items()) + ". The merge "
        "rewrites the dossiers' year partition the month falls in, and the marts rebuild every year from the "
        "earliest one the load changed (etl/marts/build.py): a month's load costs a year's rewrite.",
        "",
        f"Lake {sizes['lake_bytes'] / mib:.0f} MiB for {sizes['csv_bytes'] / mib:.0f} MiB of CSV exports; dossiers "
        f"{sizes['dossier_bytes'] / mib:.1f} MiB = {sizes['dossier_bytes'] / sizes['dossier_rows']:.1f} B per "
        f"dossier; whole lake {sizes['lake_bytes'] / sizes['dossier_rows']:.1f} B per dossier. Marts: "
        + "; ".join(f"{k} {m['rows']:,} rows, {m['bytes'] / mib:.1f} MiB" for k, m in sizes["marts"].items())
        + ".",
        "",
        "## Queries at commune level",
        "",
        "| query | kind | rows | warm | fresh process (incl. imports) |",
        "|---|---|---:|---:|---:|",
        *[
            f"| {q['label']} | {q['kind']} | {q['rows']:,} | {q['warm_s'] * 1000:.1f} ms | {q['fresh_s']:.2f} s |"
            for q in result["queries"]
        ],
        "",
        f"Chart-query peer: {result['bare_scan']['what']} ({result['bare_scan']['dossiers']:,} dossiers): "
        f"{result['bare_scan']['s'] * 1000:.1f} ms.",
    ]
    if n.get("base_months"):
        lines += ["", "Months loaded before it, one load each (whole process, mart rebuild): " + "; ".join(
            f"{m['month']} {m['rows']:,} rows {m['wall_s']:.1f} s, marts {m['marts_s']:.1f} s" for m in n["base_months"]
        ) + "."]  # fmt: skip
    return "\n".join(lines) + "\n"


def run_national(label: str, dossiers: int, work: Path | None = None, runs: int = RUNS) -> dict:
    """`--scale national…`: the result of the national bench (see measure_national), targets included;
    `runs` timed runs of each step (medians). Work folder: bench/work/<label> unless given."""
    work = work or REPO / "bench" / "work" / label.lower()
    work.mkdir(parents=True, exist_ok=True)
    result = {"scale": label, "date": dt.date.today().isoformat(), "versions": versions(), "machine": machine()}
    result["runs"] = runs
    print(f"[{label}] exports and loads…", flush=True)
    result["national"] = measure_national(work, dossiers, runs)
    data = work / "data"
    result["sizes"] = result["national"].pop("sizes")
    print(f"[{label}] queries…", flush=True)
    result["queries"] = measure_queries(data, queries=NATIONAL_QUERIES, runs=runs)
    result["bare_scan"] = measure_bare_scan(data, NATIONAL_YEAR)
    result["targets"] = national_targets(result)
    result["machine"]["load_average_end"] = round(os.getloadavg()[0], 1)
    return result


def versions() -> dict:
    names = ["duckdb", "polars", "pyarrow", "streamlit", "plotly", "pandas"]
    return {n: metadata.version(n) for n in names} | {"python": platform.python_version()}


def machine() -> dict:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "platform": platform.platform(),
        "load_average_start": round(os.getloadavg()[0], 1),  # processes running or waiting, over 1 minute
    }


def machine_line(result: dict) -> str:
    box = result["machine"]
    load = f"load average {box['load_average_start']} at the start, {box['load_average_end']} at the end"
    versions = ", ".join(f"{k} {v}" for k, v in result["versions"].items())
    runs = result.get("runs", RUNS)
    return f"Machine: {box['cores']} cores, {box['memory_gib']} GiB, {load}. {versions}. Medians of {runs} runs."


def etl_targets(etl: dict) -> list[tuple[str, str, bool]]:
    return [
        ("ETL ≥ 0.6× bare DuckDB CSV→Parquet", f"{etl['ratio_to_bare']:.2f}×", etl["ratio_to_bare"] >= 0.6),
        ("ETL peak RSS ≤ 2 GiB", f"{etl['load_peak_rss_bytes'] / 2**30:.2f} GiB", etl["load_peak_rss_bytes"] <= 2**31),
    ]


def target_rows(checks: list[tuple[str, str, bool]]) -> list[dict]:
    return [{"target": name, "measured": measured, "met": met} for name, measured, met in checks]


def targets(result: dict) -> list[dict]:
    """The performance issue's targets against this run (stated for 50 M dossiers; checked at every size)."""
    etl, queries, pages = result["etl"], result["queries"], result["pages"]
    chart = [q["warm_s"] for q in queries if q["kind"] == "chart"]
    drill = [q["warm_s"] for q in queries if q["kind"] == "drill-down"]
    # like for like: both sides in a warm process (libraries imported), both reading the lake
    kpis_warm = next(q["warm_s"] for q in queries if q["label"] == "dossier_kpis year")
    first_page = max(p["first_s"] for p in pages)
    checks = [
        *etl_targets(etl),
        ("every chart query ≤ 10 ms warm", f"max {max(chart) * 1000:.0f} ms", max(chart) <= 0.010),
        ("every chart query ≤ 0.3× the bare DuckDB scan of the raw year",
         f"max {max(chart) / result['bare_scan']['s']:.2f}× ({result['bare_scan']['s'] * 1000:.0f} ms)",
         max(chart) <= 0.3 * result["bare_scan"]["s"]),
        ("drill-down queries ≤ 300 ms warm", f"max {max(drill) * 1000:.0f} ms", max(drill) <= 0.300),
        ("every page first run ≤ 1.5 s (fresh process)",
         f"max {first_page:.2f} s ({first_page / result['page_peer']['first_s']:.1f}× the one-line peer's "
         f"{result['page_peer']['first_s']:.2f} s)", first_page <= 1.5),
        ("cached rerun ≤ 100 ms", f"max {max(p['rerun_s'] for p in pages) * 1000:.0f} ms",
         max(p["rerun_s"] for p in pages) <= 0.100),
        ("dashboard process RSS ≤ 600 MiB", f"max {max(p['rss_bytes'] for p in pages) / 2**20:.0f} MiB",
         max(p["rss_bytes"] for p in pages) <= 600 * 2**20),
        ("≥ 20× faster than the pandas peer", f"{result['pandas']['s'] / kpis_warm:.1f}×",
         result["pandas"]["s"] / kpis_warm >= 20),
    ]  # fmt: skip
    base = RESULTS / f"{result['date']}-10M.json"
    if result["scale"] == "50M" and base.exists():
        # each chart query against itself at 10 M, from the same day's run
        at_10m = {q["label"]: q["warm_s"] for q in json.loads(base.read_text(encoding="utf-8"))["queries"]}
        growth = {
            q["label"]: q["warm_s"] / at_10m[q["label"]]
            for q in queries
            if q["kind"] == "chart" and q["label"] in at_10m
        }
        worst = max(growth, key=growth.get)
        checks.append(("chart-query time grows ≤ 1.5× from 10 M to 50 M", f"max {growth[worst]:.2f}× ({worst})",
                       growth[worst] <= 1.5))  # fmt: skip
    return target_rows(checks)


def etl_lines(etl: dict) -> list[str]:
    mib = 2**20
    return [
        f"`{etl['file']}`: {etl['rows']:,} rows, {etl['csv_bytes'] / mib:.0f} MiB. Load (read, map, parse, "
        f"validate, quarantine, merge, publish) {etl['load_s']:.2f} s = {etl['load_rows_per_s']:,.0f} rows/s; "
        f"bare DuckDB CSV→Parquet {etl['bare_duckdb_s']:.2f} s = {etl['bare_rows_per_s']:,.0f} rows/s "
        f"(ratio {etl['ratio_to_bare']:.2f}); peak RSS {etl['load_peak_rss_bytes'] / mib:.0f} MiB.",
        "",
        f"CPU seconds (user + system): load {etl['load_cpu_s']:.2f} s, bare DuckDB {etl['bare_cpu_s']:.2f} s "
        f"(ratio {etl['bare_cpu_s'] / etl['load_cpu_s']:.2f}). DuckDB alone typing the export and writing it sorted "
        f"like the lake (no validation, quarantine, merge or marts): {etl['typed_floor_s']:.2f} s, "
        f"{etl['typed_floor_cpu_s']:.2f} s CPU.",
    ]


def etl_markdown(result: dict) -> str:
    lines = [
        f"# ETL benchmark {result['scale']} dossiers — {result['date']}",
        "",
        machine_line(result),
        "",
        "| target | measured | |",
        "|---|---|---|",
        *[f"| {t['target']} | {t['measured']} | {'met' if t['met'] else '**missed**'} |" for t in result["targets"]],
        "",
        *etl_lines(result["etl"]),
    ]
    return "\n".join(lines) + "\n"


def markdown(result: dict) -> str:
    mib = 2**20
    lines = [
        f"# Benchmark {result['scale']} dossiers — {result['date']}",
        "",
        machine_line(result),
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        *[f"| {t['target']} | {t['measured']} | {'met' if t['met'] else '**missed**'} |" for t in result["targets"]],
        "",
        "## ETL",
        "",
        *etl_lines(result["etl"]),
        "",
        f"Lake {result['sizes']['lake_bytes'] / mib:.0f} MiB on disk for {result['sizes']['csv_bytes'] / mib:.0f} MiB "
        f"of CSV exports ({result['sizes']['lake_to_csv']:.2f}); {result['sizes']['dossier_rows']:,} dossiers in "
        f"{result['sizes']['dossier_bytes'] / mib:.0f} MiB. Marts: "
        + "; ".join(f"{n} {m['rows']:,} rows, {m['bytes'] / mib:.1f} MiB" for n, m in result["sizes"]["marts"].items())
        + ".",
        "",
        "## Queries",
        "",
        "| query | kind | rows | warm | fresh process (incl. imports) |",
        "|---|---|---:|---:|---:|",
        *[
            f"| {q['label']} | {q['kind']} | {q['rows']:,} | {q['warm_s'] * 1000:.1f} ms | {q['fresh_s']:.2f} s |"
            for q in result["queries"]
        ],
        "",
        "## Pages (AppTest)",
        "",
        "| page | first run, fresh process | cached rerun | process RSS | exceptions |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {p['page']} | {p['first_s']:.2f} s | {p['rerun_s'] * 1000:.0f} ms | {p['rss_bytes'] / mib:.0f} MiB "
            f"| {p['errors']} |"
            for p in result["pages"]
        ],
        "",
        f"Page peer: {result['page_peer']['what']}: first run {result['page_peer']['first_s']:.2f} s, rerun "
        f"{result['page_peer']['rerun_s'] * 1000:.0f} ms.",
        "",
        f"Chart-query peer: {result['bare_scan']['what']} ({result['bare_scan']['dossiers']:,} dossiers): "
        f"{result['bare_scan']['s'] * 1000:.1f} ms.",
        "",
        f"Pandas peer: {result['pandas']['what']}: {result['pandas']['s']:.2f} s, against "
        f"{next(q['warm_s'] for q in result['queries'] if q['label'] == 'dossier_kpis year') * 1000:.0f} ms "
        "for `dossier_kpis` (year, warm).",
        "",
    ]
    return "\n".join(lines)


def spark_markdown(result: dict) -> str:
    """The query table of a Spark run, with the DuckDB figures of the same day and scale beside it."""
    duckdb_run = RESULTS / f"{result['date']}-{result['scale']}.json"
    duckdb_warm = {}
    if duckdb_run.exists():
        duckdb_warm = {q["label"]: q["warm_s"] for q in json.loads(duckdb_run.read_text())["queries"]}
    lines = [
        f"# Queries on local Spark, {result['scale']} dossiers — {result['date']}",
        "",
        f"Local Spark session (local[2]) over the same lake; medians of {RUNS} runs. DuckDB figures from "
        f"`{duckdb_run.name}` when present.",
        "",
        "| query | rows | Spark warm | Spark fresh process | DuckDB warm |",
        "|---|---:|---:|---:|---:|",
    ]
    for q in result["queries"]:
        duck = f"{duckdb_warm[q['label']] * 1000:.1f} ms" if q["label"] in duckdb_warm else "—"
        lines.append(f"| {q['label']} | {q['rows']:,} | {q['warm_s']:.2f} s | {q['fresh_s']:.1f} s | {duck} |")
    return "\n".join(lines) + "\n"


# Chart queries as the pages call them, answered from the serving tables (queries/serving.py) and from their
# SQL (CCHC_SERVING=off), at the latest year the serving tables store, against the bare DuckDB scan of that
# year's raw dossiers: the "≤ 10 ms warm and ≤ 0.3× the bare scan".
SERVED_CHARTS = [
    ("dossier_kpis year", "dossier_kpis", {}),
    ("dossier_kpis quarter, commune, province 01", "dossier_kpis", {"period": "quarter", "level": "commune",
                                                                    "province_code": "01"}),
    ("dossier_kpis province", "dossier_kpis", {"level": "province"}),
    ("service_index_766_total, province 01", "service_index_766_total", {"province_code": "01"}),
    ("service_index_766_total commune, current", "service_index_766_total", {"level": "commune", "units": "current"}),
    ("service_index_766, province 01", "service_index_766", {"province_code": "01"}),
    ("digital_shares", "digital_shares", {}),
    ("waiting_time", "waiting_time", {}),
    ("petitions_on_time", "petitions_on_time", {}),
    ("targets_gap province, current", "targets_gap", {"level": "province", "units": "current"}),
    ("sipas", "sipas", {}),
    ("par_index", "par_index", {}),
    ("papi", "papi", {}),
]  # fmt: skip

# The same state published again, its serving tables built from scratch (the previous catalogue has none:
# a lake built with CCHC_SERVING=off, as the bench's is, or by an older release): what building every serving
# table costs a publish; prints {query: seconds}
SERVING_PUBLISH_CHILD = """
import json, sys
from dataclasses import replace
from pathlib import Path
from etl import lake
root = Path(sys.argv[1])
build, spent = lake.serving.build, {}
def timed(*args):
    spent.update(build(*args))
    return spent
lake.serving.build = timed
with lake.writer_lock(root):
    previous = lake.read_state(root)
    lake.publish(root, replace(previous, load_id=previous.load_id + 1), previous)
print(json.dumps(spent))
"""


def measure_serving(data: Path) -> dict:
    """Served against computed chart queries, warm, with the bare scan beside them; and what building every
    serving table from scratch costs (a load of dossiers rebuilds the dossier queries' tables), unless the
    lake's serving tables are current already (BENCH_SERVING_BUILD=0 then skips the two publishes).

    On a shared machine wall times move with the load: the three sides are timed round-robin (served,
    computed, bare, served, ...) so they share it, and each in CPU seconds of the process too."""
    os.environ["CCHC_DATA_DIR"] = str(data)
    from queries import run, serving
    from queries.connection import cursor

    load_start = os.getloadavg()[0]
    built: dict = {}
    if os.environ.get("BENCH_SERVING_BUILD", "1") != "0":
        plain = run_child([sys.executable, "-c", SERVING_PUBLISH_CHILD, str(data)], {serving.ENV_SERVING: "off"})
        build = run_child([sys.executable, "-c", SERVING_PUBLISH_CHILD, str(data)], {serving.ENV_SERVING: "on"})
        built = {"build_s": build.wall, "build_cpu_s": build.cpu, "publish_without_s": plain.wall,
                 "publish_without_cpu_s": plain.cpu,
                 "build_queries_s": json.loads(build.stdout.strip().splitlines()[-1])}  # fmt: skip
    cur = cursor(data)
    try:
        latest = dict(cur.sql(f"select query, max(year) from {serving.KEYS_TABLE} group by query").fetchall())
    finally:
        cur.close()
    year = latest["dossier_kpis"]
    files = str(data / "lake" / "dossiers" / f"year={year}" / "*.parquet").replace("'", "''")
    bare_sql = BARE_KPIS_SQL.format(year=year, files=files)
    bare_con = duckdb.connect()
    dossiers = bare_con.sql(f"select count(*) from read_parquet('{files}')").fetchall()[0][0]

    def timed(call) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        return time.perf_counter() - wall, time.process_time() - cpu

    def with_serving(mode: str, name: str, params: dict):
        def call():
            os.environ[serving.ENV_SERVING] = mode
            return run(name, year=latest[name], **params)

        return call

    rows = []
    try:
        for label, name, params in SERVED_CHARTS:
            sides = {"served": with_serving("on", name, params), "computed": with_serving("off", name, params),
                     "bare": lambda: bare_con.sql(bare_sql).pl()}  # fmt: skip
            height = sides["served"]().height  # warm each side
            sides["computed"]()
            sides["bare"]()
            times: dict[str, list[tuple[float, float]]] = {side: [] for side in sides}
            for _ in range(RUNS):
                for side, call in sides.items():
                    times[side].append(timed(call))
            row = {"label": label, "query": name, "year": latest[name], "rows": height}
            for side, pairs in times.items():
                row[f"{side}_s"] = median([w for w, _ in pairs])
                row[f"{side}_cpu_s"] = median([c for _, c in pairs])
            for side in ("served", "computed"):
                row[f"{side}_to_bare"] = row[f"{side}_s"] / row["bare_s"]
                row[f"{side}_to_bare_cpu"] = row[f"{side}_cpu_s"] / row["bare_cpu_s"]
            rows.append(row)
    finally:
        os.environ.pop(serving.ENV_SERVING, None)
        bare_con.close()
    return {"queries": rows, "bare_scan": {"year": year, "dossiers": dossiers}, **built,
            "load_average": [load_start, os.getloadavg()[0]]}  # fmt: skip


def serving_lines(result: dict) -> list[str]:
    sr = result["serving"]
    bare = sr["bare_scan"]
    worst = max(q["served_s"] for q in sr["queries"])
    worst_cpu = max(q["served_cpu_s"] for q in sr["queries"])
    ratio = max(q["served_to_bare"] for q in sr["queries"])
    ratio_cpu = max(q["served_to_bare_cpu"] for q in sr["queries"])
    lines = [
        "",
        f"## Chart queries: served against computed (load average {sr['load_average'][0]:.1f} → "
        f"{sr['load_average'][1]:.1f})",
        "",
        f"Peer: bare DuckDB KPIs over the raw {bare['year']} dossiers ({bare['dossiers']:,}), timed round-robin "
        "with each query (served, computed, bare). Wall ms, and CPU ms of the process (all threads) in brackets.",
    ]
    if "build_s" in sr:
        lines += [
            "",
            f"Building every serving table from scratch: {sr['build_s']:.1f} s ({sr['build_cpu_s']:.1f} s CPU) "
            f"for a publish, against {sr['publish_without_s']:.1f} s ({sr['publish_without_cpu_s']:.1f} s CPU) "
            "without serving tables; by query (s): "
            + ", ".join(f"{q} {s:.1f}" for q, s in sr["build_queries_s"].items())
            + ".",
        ]
    lines += [
        "",
        "| query | year | rows | served | computed | bare scan | served / bare | computed / bare |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for q in sr["queries"]:
        lines.append(
            f"| {q['label']} | {q['year']} | {q['rows']:,}"
            f" | {q['served_s'] * 1000:.1f} ({q['served_cpu_s'] * 1000:.1f})"
            f" | {q['computed_s'] * 1000:.1f} ({q['computed_cpu_s'] * 1000:.1f})"
            f" | {q['bare_s'] * 1000:.1f} ({q['bare_cpu_s'] * 1000:.1f})"
            f" | {q['served_to_bare']:.2f}× ({q['served_to_bare_cpu']:.2f}×)"
            f" | {q['computed_to_bare']:.2f}× ({q['computed_to_bare_cpu']:.2f}×) |"
        )
    lines += [
        "",
        f"- every chart query ≤ 10 ms warm (served): max {worst * 1000:.1f} ms wall, {worst_cpu * 1000:.1f} ms CPU"
        f" — wall **{'met' if worst <= 0.010 else 'missed'}**, CPU **{'met' if worst_cpu <= 0.010 else 'missed'}**",
        f"- ≤ 0.3× the bare scan (served): max {ratio:.2f}× wall, {ratio_cpu:.2f}× CPU — wall "
        f"**{'met' if ratio <= 0.3 else 'missed'}**, CPU **{'met' if ratio_cpu <= 0.3 else 'missed'}**",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale",
        default="1M,10M",
        help="comma-separated dossier counts, e.g. 1M,10M or 50M; national or national-10M: the national bench",
    )
    parser.add_argument("--engine", default="duckdb", choices=("duckdb", "spark"), help="spark: queries only")
    parser.add_argument(
        "--part", default="all", choices=("all", "etl", "serving"),
        help="etl: the ETL only, from exports; serving: chart queries served against computed",
    )  # fmt: skip
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    for label in args.scale.split(","):
        national = national_dossiers(label)
        if national is not None:
            result = run_national(label, national)
            write(RESULTS / f"{result['date']}-{label.lower()}", result, national_markdown(result))
            continue
        rows = parse_scale(label)
        work = REPO / "bench" / "work" / label
        work.mkdir(parents=True, exist_ok=True)
        print(f"[{label}] building demo data…", flush=True)
        result = {"scale": label, "date": dt.date.today().isoformat(), "versions": versions(), "machine": machine()}
        if args.part == "etl":
            result["demo"] = demo_exports(work, rows)
            print(f"[{label}] ETL…", flush=True)
            result["etl"] = measure_etl(work)
            result["targets"] = target_rows(etl_targets(result["etl"]))
            result["machine"]["load_average_end"] = round(os.getloadavg()[0], 1)
            write(RESULTS / f"{result['date']}-{label}-etl", result, etl_markdown(result))
            continue
        result["demo"] = build_demo(work, rows)
        data = work / "data"
        if args.part == "serving":
            print(f"[{label}] chart queries, served and computed…", flush=True)
            result["serving"] = measure_serving(data)
            result["machine"]["load_average_end"] = round(os.getloadavg()[0], 1)
            text = "\n".join([f"# Serving tables at {label} dossiers ({result['date']})", "", machine_line(result),
                              *serving_lines(result), ""])  # fmt: skip
            write(RESULTS / f"{result['date']}-{label}-serving", result, text)
            continue
        if args.engine == "spark":
            print(f"[{label}] queries on Spark…", flush=True)
            result["engine"] = "spark"
            result["queries"] = measure_queries(data, engine="spark")
            write(RESULTS / f"{result['date']}-{label}-spark", result, spark_markdown(result))
            continue
        print(f"[{label}] ETL…", flush=True)
        result["etl"] = measure_etl(work)
        print(f"[{label}] queries…", flush=True)
        result["queries"] = measure_queries(data)
        print(f"[{label}] pages…", flush=True)
        result["pages"] = measure_pages(data)
        result["page_peer"] = measure_peer_page()
        print(f"[{label}] bare DuckDB peer of the chart queries…", flush=True)
        result["bare_scan"] = measure_bare_scan(data)
        print(f"[{label}] pandas peer…", flush=True)
        result["pandas"] = measure_pandas(data)
        result["sizes"] = lake_sizes(data)
        result["targets"] = targets(result)
        result["machine"]["load_average_end"] = round(os.getloadavg()[0], 1)
        write(RESULTS / f"{result['date']}-{label}", result, markdown(result))
    return 0


def write(stem: Path, result: dict, text: str) -> None:
    # not with_suffix: a scale such as 1.3M has a dot of its own
    stem.with_name(stem.name + ".json").write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    stem.with_name(stem.name + ".md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    sys.exit(main())
