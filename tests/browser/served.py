"""A dashboard served as `make run` serves it, and Debian's Chromium driven by Playwright: what the browser
tests share.

    with serve(demo_data_dir, CCHC_ACCESS_MODE="login") as base:   # a fresh server process on a free port
        with chromium(tmp_path) as browser:                        # Debian's /usr/bin/chromium, headless
            context = new_context(browser)                          # a fresh profile: a new session
            page = context.new_page(); open_page(page, base + "/so-sanh")

Playwright runs /usr/bin/chromium (`make browser` installs it); `playwright install` is never used. Without
Chromium the tests fail and say how to get it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "tests" / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
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
ERROR_SELECTOR = '[data-testid="stException"], .stException, [data-testid="stErrorCodeBlock"]'


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


def _log_tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


@contextlib.contextmanager
def serve(
    data_dir: Path,
    log_name: str = "browser-server.log",
    *,
    port: int | None = None,
    args: Sequence[str] = (),
    **env: str,
) -> Iterator[str]:
    """`streamlit run dashboard.py` on a free port (or `port`) over `data_dir`, with Streamlit's options
    `args` (e.g. `--secrets.files`) and the environment variables `env` (a new server process: its first
    visitor is the first since the server started); killed, with its process group, at the end."""
    streamlit = Path(sys.executable).parent / "streamlit"
    if not streamlit.exists():
        streamlit = Path(shutil.which("streamlit") or "streamlit")
    port = port or free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / log_name
    environment = {**os.environ, "CCHC_DATA_DIR": str(data_dir), "CCHC_ACCESS_MODE": "open", **env}
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [str(streamlit), "run", "dashboard.py", "--server.port", str(port), "--server.headless", "true", *args],
            cwd=REPO,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited {proc.returncode} before answering:\n{_log_tail(log_path)}")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer on {base} within {SERVER_START_S}s:\n{_log_tail(log_path)}")
            time.sleep(0.25)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium, headless (a Playwright Browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser):
    """A fresh browser profile (no cookies: a new session), Vietnamese locale, 1400x1000 viewport."""
    return browser.new_context(viewport=VIEWPORT, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True)


class Recorder:
    """Every request (and WebSocket) a page makes, and its uncaught JavaScript errors."""

    def __init__(self, page) -> None:
        self.urls: list[str] = []
        self.page_errors: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("websocket", lambda ws: self.urls.append(ws.url))
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def outside(self, base: str) -> list[str]:
        """URLs not on the dashboard's own host:port, nor data:/blob: URLs."""
        own = urlsplit(base)
        own_hosts = {"127.0.0.1", "localhost", "::1"}
        bad = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob"):
                continue
            if (
                parts.scheme in ("http", "https", "ws", "wss")
                and parts.hostname in own_hosts
                and parts.port == own.port
            ):
                continue
            bad.append(url)
        return sorted(set(bad))


def new_page(context):
    page = context.new_page()
    page.recorder = Recorder(page)
    return page


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_done(page)


def wait_done(page) -> None:
    """Until the app has finished, twice 300 ms apart (a widget bound to the URL may rerun it once)."""
    page.wait_for_function(APP_DONE_JS, timeout=PAGE_RUN_MS, polling=100)
    page.wait_for_timeout(300)
    page.wait_for_function(APP_DONE_JS, timeout=PAGE_RUN_MS, polling=100)


def click_for_a_grid(page, tab) -> None:
    """Click `tab` (the locator of a Table tab) and wait for the grid it draws: a view draws its table only
    once the tab is open, by running the page again (ui/views.py view_tabs)."""
    before = page.locator('[data-testid="stDataFrame"]').count()
    tab.click()
    page.wait_for_function(
        f"document.querySelectorAll('[data-testid=\"stDataFrame\"]').length > {before}",
        timeout=PAGE_RUN_MS,
        polling=100,
    )
    wait_done(page)


def open_last_table(page, label: str):
    """Open the page's last Table tab (`label`) and return the grid drawn for it, scrolled into view."""
    click_for_a_grid(page, page.get_by_role("tab", name=label).last)
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    return grid


def problems(page) -> list[str]:
    """Error elements, alerts that read like errors, dialogs (e.g. "Page not found"), JavaScript errors."""
    found = [f"error element: {text[:300]!r}" for text in page.locator(ERROR_SELECTOR).all_inner_texts()]
    found += [
        f"alert: {text[:300]!r}"
        for text in page.locator('[data-testid="stAlert"]').all_inner_texts()
        if re.search(r"Traceback|Error", text)
    ]
    found += [f"dialog: {text[:300]!r}" for text in page.locator('[role="dialog"]').all_inner_texts()]
    body = page.locator("body").inner_text()
    if "Traceback" in body:
        found.append("'Traceback' in the page text")
    found += [f"JavaScript error: {error[:300]}" for error in page.recorder.page_errors]
    return found


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
