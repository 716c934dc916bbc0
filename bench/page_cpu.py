"""The server's CPU seconds per page run, page by page: what decides how many users a process serves.

    CCHC_DATA_DIR=data python bench/page_cpu.py [--runs 6] [--pages tong-quan,so-sanh]

One Streamlit process with the repository's config (ui/serve.py, no proxy). Its caches are warmed first:
every page with each of the demo's provinces in one session (bench/load_test.py `warm`), then each page and
province once more in a fresh session (a new user's defaults, which the first session's carried-over widget
state may not have asked for). Then every page runs `--runs` times back to back, each run in a fresh
WebSocket session, the provinces in turn; a run's CPU is the user + system time of the Streamlit process
(/proc) from the request to `script_finished`. Prints the median and mean per page, and the mean of the
pages' medians (users going round every page), with the load average beside them.

To compare two versions in one session, run it from a checkout of each (`git archive <commit> | tar -x -C
DIR`, then `PYTHONPATH=DIR python bench/page_cpu.py` from DIR) against the same CCHC_DATA_DIR, one after the
other. Not part of `make test`; docs/performance.md "Serving many users".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.load_test import (  # noqa: E402
    PROVINCES,
    cpu_seconds,
    first_get,
    free_port,
    page_slugs,
    read_until_finished,
    rerun_request,
    streamlit_pids,
    warm,
)
from ui.serve import serving  # noqa: E402

RUN_TIMEOUT_S = 120


async def page_run(base: str, slug: str, province: str) -> str | None:
    """One page run in a fresh session, as a new browser tab; its error, or None."""
    import websockets

    cookie = await asyncio.to_thread(first_get, base)
    async with websockets.connect(
        base.replace("http://", "ws://") + "/_stcore/stream",
        subprotocols=["streamlit"],
        additional_headers={"Cookie": cookie} if cookie else {},
        max_size=None,
        ping_interval=None,
    ) as ws:
        await ws.send(rerun_request(base, slug, f"province={province}"))
        return await asyncio.wait_for(read_until_finished(ws), RUN_TIMEOUT_S)


def measure(runs: int, pages: list[str]) -> dict:
    with serving(1, free_port(), proxy=False, env={"CCHC_ACCESS_MODE": "open"}) as setup:
        [pid] = streamlit_pids(setup)
        asyncio.run(warm(setup.url))
        for slug in page_slugs():
            for province in PROVINCES:
                asyncio.run(page_run(setup.url, slug, province))
        out: dict[str, dict] = {}
        for slug in page_slugs():
            name = slug or "tong-quan"
            if pages and name not in pages:
                continue
            cpu, errors = [], []
            for i in range(runs):
                before = cpu_seconds(pid)
                error = asyncio.run(page_run(setup.url, slug, PROVINCES[i % len(PROVINCES)]))
                time.sleep(0.05)  # the last messages leave the server
                cpu.append(cpu_seconds(pid) - before)
                if error:
                    errors.append(error)
            out[name] = {
                "cpu_s_median": round(statistics.median(cpu), 3),
                "cpu_s_mean": round(statistics.mean(cpu), 3),
                "errors": errors,
                "load_average_1min": os.getloadavg()[0],
            }
            print(name, out[name], flush=True)
    medians = [page["cpu_s_median"] for page in out.values()]
    return {"runs_per_page": runs, "pages": out, "mean_of_medians_s": round(statistics.mean(medians), 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=6, help="measured runs per page")
    parser.add_argument("--pages", default="", help="comma-separated page slugs (default: every page)")
    args = parser.parse_args(argv)
    if "CCHC_DATA_DIR" not in os.environ:
        parser.error("set CCHC_DATA_DIR to the lake to serve (e.g. data after `make demo`)")
    result = measure(args.runs, [p for p in args.pages.split(",") if p])
    print(json.dumps(result, ensure_ascii=False))
    return 1 if any(page["errors"] for page in result["pages"].values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
