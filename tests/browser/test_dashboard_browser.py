"""The dashboard in a real browser: Debian's Chromium, driven by Playwright, against the server that
`make run` starts (issue 4 "Done when"; issue 6 item 6 "no outside calls").

One server for the module (`streamlit run dashboard.py --server.port P --server.headless true`, as
`make run`, over the `demo_data_dir` lake), one fresh Chromium profile. For every page of the
registry in dashboard.py, by its URL: the run finishes, no error element, the demo label is shown,
a screenshot goes to tests/artifacts/screenshots/<slug>.png, and every request the page made went to
the dashboard's own host (or was a data:/blob: URL). Then the `?lang=en` permalink, the compare
page's map tab (plotly.js would fetch its base map from a CDN), and the dossier explorer's CSV
download: UTF-8 BOM, header, Vietnamese unit names, every row of the filtered set.

Playwright runs /usr/bin/chromium (`make browser` installs it); `playwright install` is never used.
Without Chromium the tests fail and say how to get it. `make screenshots` (CCHC_README_SCREENSHOTS=
docs/img) also writes the README's docs/img/overview.png and docs/img/compare.png.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ui import t
from ui.charts import dossiers

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "tests" / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
SERVER_LOG = ARTIFACTS / "browser-server.log"
README_SHOTS = {"tong-quan": "overview.png", "so-sanh": "compare.png"}  # slug -> file under docs/img
README_SHOT_MAX_BYTES = 300_000
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


def registry() -> list[tuple[str, str]]:
    """(slug, URL path) of every page, read from dashboard.py's PAGES (importing it would run the app).
    The default page (the first) is served at the root: Streamlit ignores its url_path."""
    tree = ast.parse((REPO / "dashboard.py").read_text(encoding="utf-8"))
    for node in tree.body:
        target = getattr(node, "target", None) or (getattr(node, "targets", None) or [None])[0]
        if isinstance(target, ast.Name) and target.id == "PAGES":
            pages = ast.literal_eval(node.value)
            return [(slug, "" if i == 0 else slug) for i, (_, slug, *_rest) in enumerate(pages)]
    raise AssertionError("dashboard.py has no PAGES registry")


PAGES = registry()


# ------------------------------------------------------------------------------------------------
# Fixtures: the server, the browser
# ------------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log_tail(lines: int = 30) -> str:
    try:
        return "\n".join(SERVER_LOG.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


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


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest) -> Iterator[str]:
    """The dashboard served as `make run` serves it, on a free port; killed (its process group) at the end."""
    require_browser()  # before the demo data are built: fail fast
    demo_data_dir: Path = request.getfixturevalue("demo_data_dir")
    streamlit = Path(sys.executable).parent / "streamlit"
    if not streamlit.exists():
        streamlit = Path(shutil.which("streamlit") or "streamlit")
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CCHC_DATA_DIR": str(demo_data_dir), "CCHC_ACCESS_MODE": "open"}
    with SERVER_LOG.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [str(streamlit), "run", "dashboard.py", "--server.port", str(port), "--server.headless", "true"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited {proc.returncode} before answering:\n{_log_tail()}")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer on {base} within {SERVER_START_S}s:\n{_log_tail()}")
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


@pytest.fixture(scope="module")
def browser_context(server: str, tmp_path_factory: pytest.TempPathFactory):
    """A fresh Chromium profile (Debian's /usr/bin/chromium), Vietnamese locale, 1400x1000 viewport."""
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=VIEWPORT,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            accept_downloads=True,
        )
        try:
            # Streamlit shows a spurious "Page not found" dialog to the first session after a server start
            # that opens a page other than the default (streamlit/streamlit#9992): open the root once first.
            page = context.new_page()
            page.goto(server + "/")
            page.wait_for_function(APP_DONE_JS, timeout=PAGE_RUN_MS, polling=100)
            page.close()
            yield context
        finally:
            context.close()


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


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    page.recorder = Recorder(page)
    yield page
    page.close()


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_done(page)


def wait_done(page) -> None:
    """Until the app has finished, twice 300 ms apart (a widget bound to the URL may rerun it once)."""
    page.wait_for_function(APP_DONE_JS, timeout=PAGE_RUN_MS, polling=100)
    page.wait_for_timeout(300)
    page.wait_for_function(APP_DONE_JS, timeout=PAGE_RUN_MS, polling=100)


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


def copy_for_readme(source: Path, target: Path) -> None:
    """The screenshot, reduced to a 256-colour palette when Pillow is there (it comes with Streamlit)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        from PIL import Image
    except ImportError:
        shutil.copyfile(source, target)
        return
    with Image.open(source) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


# ------------------------------------------------------------------------------------------------
# Tests
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("slug", "path"), PAGES, ids=[slug for slug, _ in PAGES])
def test_page_runs_without_error(page, server: str, slug: str, path: str) -> None:
    open_page(page, f"{server}/{path}")
    shot = screenshot(page, slug)  # before asserting: a failure leaves its picture
    found = problems(page)
    assert not found, f"/{path} ({shot}): {found}"
    assert page.locator("h1").count() >= 1, f"/{path} has no title ({shot})"
    assert t("app.demo_label", "vi") in page.locator("body").inner_text(), f"/{path}: no demo-data label ({shot})"
    outside = page.recorder.outside(server)
    assert not outside, f"/{path} called outside the dashboard's host: {outside}"
    readme_dir = os.environ.get("CCHC_README_SCREENSHOTS")
    if readme_dir and slug in README_SHOTS:
        target = REPO / readme_dir / README_SHOTS[slug]
        copy_for_readme(shot, target)
        assert target.stat().st_size < README_SHOT_MAX_BYTES, f"{target} is {target.stat().st_size} bytes"


def test_permalink_lang_en_shows_english_navigation(page, server: str) -> None:
    slug, path = PAGES[1]
    open_page(page, f"{server}/{path}?lang=en")
    screenshot(page, f"{slug}-en")
    assert not problems(page)
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    for key in ("nav.overview", "nav.compare", "nav.dossiers", "nav.methodology"):
        assert t(key, "en") in nav, f"?lang=en: {t(key, 'en')!r} not in the navigation {nav!r}"
    assert t("nav.overview", "vi") not in nav
    assert t("app.demo_label", "en") in page.locator("body").inner_text()
    assert "lang=en" in page.url


def test_compare_map_draws_without_outside_calls(page, server: str) -> None:
    """plotly.js fetches a world base map for every geo chart; it must come from our own server."""
    open_page(page, f"{server}/so-sanh?indicator=papi_total&level=province")
    page.get_by_role("tab", name=t("compare.tab_map", "vi")).click()
    page.locator('[data-testid="stPlotlyChart"] path.choroplethlocation').first.wait_for(timeout=30_000)
    wait_done(page)
    shot = screenshot(page, "so-sanh-ban-do")
    assert not problems(page), shot
    assert page.locator('[data-testid="stPlotlyChart"] path.choroplethlocation').count() >= 60, shot
    outside = page.recorder.outside(server)
    assert not outside, f"the compare page's map called outside the dashboard's host: {outside}"


def test_dossier_csv_download(page, server: str) -> None:
    """The explorer's CSV of the whole filtered set (all of Hà Nội's dossiers of the latest year)."""
    open_page(page, f"{server}/ho-so?province=01")
    assert not problems(page)
    shown = re.search(r"([\d.]+) hồ sơ", " ".join(page.locator("h3").all_inner_texts()))
    assert shown, "the explorer shows no dossier count"
    total = int(shown.group(1).replace(".", ""))
    page.get_by_role("tab", name=t("view.download", "vi")).click()
    with page.expect_download(timeout=120_000) as info:
        page.locator(".st-key-dl-csv-explorer button").click()
    download = info.value
    target = ARTIFACTS / "downloads" / download.suggested_filename
    target.parent.mkdir(parents=True, exist_ok=True)
    download.save_as(str(target))
    raw = target.read_bytes()

    assert download.suggested_filename.endswith(".csv")
    assert raw.startswith(b"\xef\xbb\xbf"), f"no UTF-8 BOM: {raw[:16]!r}"
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    header = [t(f"xcol.{column}", "vi") for column in dossiers.COLUMNS]
    assert rows[0] == header
    assert {"Mã hồ sơ", "Mã đơn vị", "Đơn vị", "Ngày tiếp nhận", "Trạng thái", "Kênh nộp"} <= set(rows[0])
    names = {row[header.index("Đơn vị")] for row in rows[1:]}
    assert "Quận Ba Đình" in names and "Quận Bắc Từ Liêm" in names, sorted(names)[:10]
    assert len(rows) - 1 == total, f"the CSV has {len(rows) - 1} rows, the page says {total}"
    outside = page.recorder.outside(server)
    assert not outside, f"the explorer called outside the dashboard's host: {outside}"
