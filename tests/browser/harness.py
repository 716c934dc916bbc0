"""What the browser tests share: the dashboard served as `make run` serves it, Debian's Chromium driven
by Playwright, and when a page run has finished.

- `served(data_dir, log, env=..., args=...)`: `streamlit run dashboard.py` on a free loopback port over
  `data_dir`, yielding its base URL once /_stcore/health answers; its process group is killed on exit
  (SIGTERM, then SIGKILL), so no server outlives the test.
- `chromium(profile, **options)`: a fresh persistent Chromium profile (/usr/bin/chromium, never a
  browser downloaded by Playwright), Vietnamese locale, downloads accepted.
- `wait_done(page)`: until the app is connected, not running, with no skeleton and every visible Plotly
  chart drawn, twice 300 ms apart (a widget bound to the URL may rerun it once).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "tests" / "artifacts"
VIEWPORT = {"width": 1400, "height": 1000}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_S = 90
PAGE_RUN_MS = 90_000

# The app has finished: connected, the script is not running (Streamlit's own state attributes), no
# running indicator, no skeleton, and every visible Plotly chart has drawn its SVG.
APP_DONE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]')) return false;
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    if (chart.offsetParent !== null && !chart.querySelector('.main-svg')) return false;
  }
  return true;
}"""


def require_browser() -> None:
    """Fail (never skip) when Debian's Chromium or the playwright package is missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser test needs Debian's package "
            "(`make browser`, i.e. `apt-get install chromium`, as root). It is never downloaded by Playwright."
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("the `playwright` package is missing: `make setup` installs the dev extras (pyproject.toml)")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def streamlit_command() -> str:
    streamlit = Path(sys.executable).parent / "streamlit"
    return str(streamlit if streamlit.exists() else shutil.which("streamlit") or "streamlit")


@contextlib.contextmanager
def served(
    data_dir: Path,
    log: Path,
    *,
    env: Mapping[str, str] | None = None,
    args: Sequence[str] = (),
    port: int | None = None,
) -> Iterator[str]:
    """The dashboard served over `data_dir` (see the module docstring); yields http://127.0.0.1:PORT."""
    port = port or free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    environment = {**os.environ, "CCHC_DATA_DIR": str(data_dir), "CCHC_ACCESS_MODE": "open", **(env or {})}
    command = [streamlit_command(), "run", "dashboard.py", "--server.port", str(port), "--server.headless", "true"]
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [*command, *args], cwd=REPO, env=environment, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited {proc.returncode} before answering:\n{log_tail(log)}")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer on {base} within {SERVER_START_S}s:\n{log_tail(log)}")
            time.sleep(0.25)
        yield base
    finally:
        stop_group(proc)


def stop_group(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group started with `start_new_session`, SIGKILL after 10 s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextlib.contextmanager
def chromium(profile: Path, **options) -> Iterator:
    """A persistent Chromium context on a fresh profile (see the module docstring)."""
    from playwright.sync_api import sync_playwright

    settings = {
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
        "viewport": VIEWPORT,
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "accept_downloads": True,
        **options,
    }
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(str(profile), **settings)
        try:
            yield context
        finally:
            context.close()


def wait_done(page) -> None:
    """Until the app has finished, twice 300 ms apart (a widget bound to the URL may rerun it once)."""
    page.wait_for_function(APP_DONE_JS, timeout=PAGE_RUN_MS, polling=100)
    page.wait_for_timeout(300)
    page.wait_for_function(APP_DONE_JS, timeout=PAGE_RUN_MS, polling=100)


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_done(page)
