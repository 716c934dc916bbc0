"""Load test: concurrent users of the served dashboard, through Streamlit's own browser protocol.

    python bench/load_test.py [--scale 1M] [--users 1,5,10,20] [--etl-users 10] [--duration 30]
                              [--think 5,0] [--routes one-default,one,proxy-default,proxy]

A user is what a browser tab does, without the browser: an HTTP GET of the page (which also picks
up the proxy's sticky-session cookie), then a WebSocket to /_stcore/stream (subprotocol
"streamlit"), on which it asks for page runs the way the browser does when an address is opened
(a BackMsg `rerun_script` with the page's URL path and query string) and reads the ForwardMsgs until
`script_finished`. The time of a page run is from the request to `script_finished`: what the server
makes a user wait, without the browser's drawing. A run that ends with an exception element,
"page not found", a dropped connection or no answer within 60 s is an error.

Each user goes through the seven pages of the registry (ui/navigation.py) in order, starting at a page of its
own, with one of the demo's provinces (01, 79, 06) in the query string, waiting `--think` seconds
between runs (exponentially distributed, mean `--think`; 0: back to back, the heaviest load). Before
each level every page is run once per province in every process (Streamlit's caches are shared by the
sessions of a process and warm up once). Users arrive spread over the first second (or the first
think time); runs started within `--duration` seconds count.

Routes (`--routes`), all started at once with ui/serve.py; every level runs on each route in turn:
    one-default     one Streamlit process, no proxy, with Streamlit's defaults for what
                    .streamlit/config.toml changes to spend less CPU per page run (a full garbage
                    collection after every run, the source-file watcher)
    one             one process with the repository's config
    proxy-default   one process per core behind nginx with sticky sessions, Streamlit's defaults
    proxy           one process per core behind nginx with the repository's config (`make serve`)
Then, on the last route, `--etl-users` users while `python -m etl load dossiers` loads a changed
copy of the largest dossier export again and again into the served lake (a copy of the bench lake,
so the bench's own lake is left as it was).

Reported per level: page runs, median, p95 and max of the page-run time, errors, runs per second,
the server's CPU seconds per page run (user + system of every Streamlit process, /proc; the load client's
own, which shares the cores, beside it), and the peak resident memory of the Streamlit processes (sum
and largest, sampled every 0.2 s). Results go to bench/results/<date>-load[-<label>].json and .md (-2, -3, ...
when a run of the same day wrote that name: a result the docs cite is never overwritten). Run by
`make bench` (not by `make test`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import dataclasses
import datetime as dt
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.run import RESULTS, build_demo, machine, parse_scale, versions  # noqa: E402
from ui.serve import serving  # noqa: E402

PROVINCES = ("01", "79", "06")
RUN_TIMEOUT_S = 60
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def page_slugs() -> list[str]:
    """The URL path of every page of the registry (ui/navigation.py); the default page's is the root."""
    from ui.navigation import PAGES

    return ["" if i == 0 else page.slug for i, page in enumerate(PAGES)]


# ------------------------------------------------------------------------------------------------
# One user
# ------------------------------------------------------------------------------------------------
@dataclasses.dataclass
class PageRun:
    user: int
    page: str
    started: float  # seconds since the level started
    seconds: float
    error: str | None = None


def rerun_request(base: str, slug: str, query: str) -> bytes:
    """The BackMsg a browser sends when it opens base/slug?query."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query
    state.page_name = slug
    state.context_info.timezone = "Asia/Ho_Chi_Minh"
    state.context_info.locale = "vi-VN"
    state.context_info.url = f"{base}/{slug}" + (f"?{query}" if query else "")
    return msg.SerializeToString()


async def read_until_finished(ws) -> str | None:
    """ForwardMsgs until the run finishes; the error, or None."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    error = None
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(await ws.recv())
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            if msg.delta.new_element.WhichOneof("type") == "exception":
                error = error or f"exception: {msg.delta.new_element.exception.message[:200]}"
        elif kind == "page_not_found":
            error = error or "page not found"
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue  # a widget bound to the URL asked for one more run: the page is not done yet
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                error = error or "compile error"
            return error


def first_get(base: str) -> str:
    """GET / as a browser does; the cookies it sets (the proxy's sticky-session cookie) as a header."""
    with urllib.request.urlopen(base + "/", timeout=30) as answer:
        answer.read()
        cookies = [h.split(";", 1)[0] for h in answer.headers.get_all("Set-Cookie") or []]
    return "; ".join(cookies)


async def user(
    number: int,
    base: str,
    slugs: list[str],
    started: float,
    duration: float,
    think: float,
    runs: list[PageRun],
    rng: random.Random,
) -> None:
    import websockets

    await asyncio.sleep(rng.uniform(0, max(1.0, think)))  # users arrive over the first second or think time
    province = PROVINCES[number % len(PROVINCES)]
    position = number % len(slugs)
    try:
        cookie = await asyncio.to_thread(first_get, base)
        ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
        headers = {"Cookie": cookie} if cookie else {}
        async with websockets.connect(
            ws_url,
            subprotocols=["streamlit"],
            additional_headers=headers,
            max_size=None,
            open_timeout=30,
            ping_interval=None,
        ) as ws:
            while time.monotonic() - started < duration:
                slug = slugs[position % len(slugs)]
                position += 1
                began = time.monotonic()
                try:
                    await ws.send(rerun_request(base, slug, f"province={province}"))
                    error = await asyncio.wait_for(read_until_finished(ws), RUN_TIMEOUT_S)
                except TimeoutError:
                    error = f"no answer within {RUN_TIMEOUT_S} s"
                runs.append(PageRun(number, slug, began - started, time.monotonic() - began, error))
                if error and error.startswith("no answer"):
                    return
                if think:
                    await asyncio.sleep(rng.expovariate(1 / think))
    except Exception as error:  # a refused or dropped connection is an error of this user's current run
        runs.append(PageRun(number, "?", time.monotonic() - started, 0.0, f"{type(error).__name__}: {error}"[:200]))


async def users(base: str, count: int, duration: float, think: float, seed: int) -> list[PageRun]:
    runs: list[PageRun] = []
    slugs = page_slugs()
    started = time.monotonic()
    rng = random.Random(seed)
    await asyncio.gather(
        *(user(i, base, slugs, started, duration, think, runs, random.Random(rng.random())) for i in range(count))
    )
    return runs


# ------------------------------------------------------------------------------------------------
# The server's processes: CPU and memory from /proc
# ------------------------------------------------------------------------------------------------
def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def rss_bytes(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE


class Sampler:
    """Peak resident memory of the processes (sum and largest), sampled every 0.2 s on a thread."""

    def __init__(self, pids: list[int]):
        self.pids, self.peak_sum, self.peak_one = pids, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError):
                sizes = [rss_bytes(p) for p in self.pids]
                self.peak_sum, self.peak_one = max(self.peak_sum, sum(sizes)), max(self.peak_one, max(sizes))
            self._stop.wait(0.2)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def summary(runs: list[PageRun], wall: float, cpu: float, sampler: Sampler) -> dict:
    times = sorted(r.seconds for r in runs if r.error is None)
    errors = [r for r in runs if r.error is not None]

    def quantile(q: float) -> float | None:
        return times[min(len(times) - 1, int(q * len(times)))] if times else None

    return {
        "runs": len(runs),
        "errors": len(errors),
        "error_examples": sorted({e.error for e in errors})[:5],
        "median_s": statistics.median(times) if times else None,
        "p95_s": quantile(0.95),
        "max_s": times[-1] if times else None,
        "runs_per_s": len(runs) / wall if wall else None,
        "cpu_s_per_run": cpu / len(runs) if runs else None,
        "rss_peak_sum_bytes": sampler.peak_sum,
        "rss_peak_process_bytes": sampler.peak_one,
        "by_page_median_s": {
            page: statistics.median([r.seconds for r in runs if r.page == page and r.error is None])
            for page in sorted({r.page for r in runs if r.error is None})
        },
    }


def streamlit_pids(setup) -> list[int]:
    return [p.pid for p in setup.streamlit]


def measure(setup, count: int, duration: float, think: float, seed: int) -> dict:
    pids = streamlit_pids(setup)
    if not getattr(setup, "warmed", False):  # each process's caches, once
        for backend in setup.backends:
            asyncio.run(warm(backend))
        setup.warmed = True
    cpu_before = sum(cpu_seconds(p) for p in pids)
    client_before = time.process_time()
    started = time.monotonic()
    with Sampler(pids) as sampler:
        runs = asyncio.run(users(setup.url, count, duration, think, seed))
    wall = time.monotonic() - started
    cpu = sum(cpu_seconds(p) for p in pids) - cpu_before
    client = time.process_time() - client_before
    level = {"users": count, "duration_s": duration, "think_s": think, **summary(runs, wall, cpu, sampler)}
    # the load client shares the machine's cores with the server: what it used
    level["client_cpu_s_per_run"] = client / len(runs) if runs else None
    level["load_average_1min"] = os.getloadavg()[0]  # everything the machine ran meanwhile, this test included
    return level


async def warm(base: str) -> None:
    """Every page once, in one session (caches shared by the process's sessions warm up)."""
    import websockets

    cookie = await asyncio.to_thread(first_get, base)
    headers = {"Cookie": cookie} if cookie else {}
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(
        ws_url, subprotocols=["streamlit"], additional_headers=headers, max_size=None, ping_interval=None
    ) as ws:
        for slug in page_slugs():
            for province in PROVINCES:
                await ws.send(rerun_request(base, slug, f"province={province}"))
                await asyncio.wait_for(read_until_finished(ws), RUN_TIMEOUT_S)


# ------------------------------------------------------------------------------------------------
# Loads during the load test
# ------------------------------------------------------------------------------------------------
class Loader:
    """`python -m etl load dossiers FILE` again and again until stopped. FILE is the largest dossier
    export with the satisfaction flag ("Hài lòng") of one dossier flipped, a different dossier each time,
    so that every load changes the lake (a file loaded before would be skipped)."""

    def __init__(self, data: Path, export: Path, work: Path):
        self.data, self.work, self.loads, self.failures, self.seconds = data, work, 0, 0, []
        with export.open(encoding="utf-8", newline="") as source:
            self.rows = list(csv.reader(source))
        self.column = self.rows[0].index("Hài lòng")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _file(self) -> Path:
        rows = [list(row) for row in self.rows]
        row = rows[1 + self.loads % (len(rows) - 1)]
        row[self.column] = "0" if row[self.column] == "1" else "1"
        path = self.work / "etl-during-load.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(rows)
        return path

    def _run(self) -> None:
        env = {**os.environ, "CCHC_DATA_DIR": str(self.data)}
        while not self._stop.is_set():
            path = self._file()
            began = time.monotonic()
            done = subprocess.run(
                [sys.executable, "-m", "etl", "load", "dossiers", str(path)],
                cwd=REPO,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            self.seconds.append(time.monotonic() - began)
            self.loads += 1
            self.failures += done.returncode != 0

    def __enter__(self) -> Loader:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def largest_export(data: Path) -> Path:
    return max((data / "exports" / "demo").glob("demo-dossiers-*.csv"), key=lambda p: p.stat().st_size)


# ------------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Streamlit's own defaults for what .streamlit/config.toml changes to spend less CPU per page run
STREAMLIT_DEFAULTS = ("--runner.postScriptGC", "true", "--server.fileWatcherType", "auto")
CORES = os.cpu_count() or 2
ROUTES = {
    "one-default": {
        "processes": 1,
        "proxy": False,
        "args": STREAMLIT_DEFAULTS,
        "label": "1 process, Streamlit defaults",
    },
    "one": {"processes": 1, "proxy": False, "args": (), "label": "1 process"},
    "proxy-default": {
        "processes": CORES,
        "proxy": True,
        "args": STREAMLIT_DEFAULTS,
        "label": f"{CORES} processes + nginx, Streamlit defaults",
    },
    "proxy": {"processes": CORES, "proxy": True, "args": (), "label": f"{CORES} processes + nginx"},
}


def markdown(result: dict) -> str:
    mib = 2**20
    lines = [
        f"# Load test, {result['scale']} dossiers — {result['date']}",
        "",
        f"Machine: {result['machine']['cores']} cores, {result['machine']['memory_gib']} GiB. "
        + ", ".join(f"{k} {v}" for k, v in result["versions"].items())
        + f". Each level: {result['duration_s']:.0f} s of page runs; think: the mean pause of a user between two "
        "page runs (0: back to back); times from the request to `script_finished`.",
        "",
        "| route | think | users | runs | median | p95 | max | errors | runs/s | CPU s/run (client) | RSS (sum, max) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for level in result["levels"]:
        extra = f" + ETL ({level['etl_loads']} loads, {level['etl_failures']} failed)" if "etl_loads" in level else ""

        def sec(value: float | None) -> str:
            return "—" if value is None else f"{value:.2f} s"

        lines.append(
            f"| {level['route_label']}{extra} | {level['think_s']:g} s | {level['users']} | {level['runs']} | "
            f"{sec(level['median_s'])} | "
            f"{sec(level['p95_s'])} | {sec(level['max_s'])} | {level['errors']} | {level['runs_per_s']:.1f} | "
            f"{level['cpu_s_per_run']:.3f} ({level['client_cpu_s_per_run']:.3f}) | "
            f"{level['rss_peak_sum_bytes'] / mib:.0f} MiB, "
            f"{level['rss_peak_process_bytes'] / mib:.0f} MiB |"
        )
    lines += ["", "Median page-run time by page, at the most users back to back, and with loads:", ""]
    heaviest = max(result["levels"], key=lambda level: (level["think_s"] == 0, level["users"]))
    for level in result["levels"]:
        if "etl_loads" in level or (level["users"], level["think_s"]) == (heaviest["users"], heaviest["think_s"]):
            pages = ", ".join(f"{p or '(default)'} {s:.2f} s" for p, s in level["by_page_median_s"].items())
            extra = " + ETL" if "etl_loads" in level else ""
            lines.append(
                f"- {level['route_label']}{extra}, {level['users']} users, think {level['think_s']:g} s: {pages}"
            )
    loads = [level["load_average_1min"] for level in result["levels"]]
    lines += ["", f"Machine load average (1 min) at the end of the levels: {min(loads):.1f}–{max(loads):.1f}."]
    errors = sorted({e for level in result["levels"] for e in level["error_examples"]})
    if errors:
        lines += ["", "Errors seen: " + "; ".join(errors)]
    return "\n".join(lines) + "\n"


def free_stem(results: Path, name: str) -> Path:
    """results/name, or name-2, name-3, ... when that name's JSON exists: a second run on the same day
    never overwrites a result the docs cite."""
    stem, n = name, 1
    while (results / f"{stem}.json").exists():
        n += 1
        stem = f"{name}-{n}"
    return results / stem


def write_results(stem: Path, result: dict) -> None:
    """<stem>.json and <stem>.md (the stem may hold dots: `1.3M`, so no with_suffix)."""
    Path(f"{stem}.json").write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    Path(f"{stem}.md").write_text(markdown(result), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="1M", help="the bench lake to serve (bench/work/<scale>/data)")
    parser.add_argument("--users", default="1,5,10,20", help="comma-separated numbers of users")
    parser.add_argument("--etl-users", type=int, default=10, help="users while loads run (0: skip)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of page runs per level")
    parser.add_argument(
        "--think", default="5,0", help="comma-separated mean seconds between a user's runs (0: back to back)"
    )
    parser.add_argument("--routes", default=",".join(ROUTES), help=f"comma-separated, of {', '.join(ROUTES)}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--label", default="", help="added to the results' name: <date>-load-<label>")
    args = parser.parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so that the servers this test started are stopped
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    work = REPO / "bench" / "work" / args.scale
    work.mkdir(parents=True, exist_ok=True)
    print(f"[load {args.scale}] demo data…", flush=True)
    build_demo(work, parse_scale(args.scale))
    data = work / "load-test-data"  # the served lake: a copy, since the ETL level writes to it
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(work / "data", data, symlinks=True, ignore=shutil.ignore_patterns("exports", ".etl.lock"))
    env = {"CCHC_DATA_DIR": str(data), "CCHC_ACCESS_MODE": "open"}
    logs = work / "load-test-logs"
    logs.mkdir(exist_ok=True)
    result = {
        "scale": args.scale,
        "date": dt.date.today().isoformat(),
        "versions": versions(),
        "machine": machine(),
        "duration_s": args.duration,
        "levels": [],
    }
    counts = [int(n) for n in args.users.split(",")]
    thinks = [float(n) for n in args.think.split(",")]
    routes = [r.strip() for r in args.routes.split(",") if r.strip()]
    with contextlib.ExitStack() as stack:
        # every route is up at once and the levels interleave (each level on every route in turn), so that
        # whatever else the machine does weighs on the routes alike
        setups = {
            route: stack.enter_context(
                serving(
                    ROUTES[route]["processes"],
                    free_port(),
                    proxy=ROUTES[route]["proxy"],
                    env=env,
                    streamlit_args=ROUTES[route]["args"],
                    log_dir=logs,
                )
            )
            for route in routes
        }
        for think in thinks:
            for count in counts:
                for route, setup in setups.items():
                    label = ROUTES[route]["label"]
                    print(f"[load {args.scale}] {label}: {count} users, think {think:g} s…", flush=True)
                    level = measure(setup, count, args.duration, think, args.seed)
                    result["levels"].append({"route": route, "route_label": label, **level})
        if args.etl_users:
            route = routes[-1]
            label = ROUTES[route]["label"]
            print(f"[load {args.scale}] {label}: {args.etl_users} users while loads run…", flush=True)
            with Loader(data, largest_export(work / "data"), work) as loader:
                level = measure(setups[route], args.etl_users, args.duration, thinks[0], args.seed)
            result["levels"].append(
                {
                    "route": route,
                    "route_label": label,
                    **level,
                    "etl_loads": loader.loads,
                    "etl_failures": loader.failures,
                    "etl_load_median_s": statistics.median(loader.seconds) if loader.seconds else None,
                }
            )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = free_stem(RESULTS, f"{result['date']}-load" + (f"-{args.label}" if args.label else ""))
    write_results(stem, result)
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
