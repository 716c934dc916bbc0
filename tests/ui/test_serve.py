"""`make serve` (ui/serve.py): Streamlit processes behind nginx with sticky sessions by cookie.

The rendered configuration is checked as text and by `nginx -t`; then two processes are served over
the page tests' small lake: a browser's first request gets the cookie naming the process that
answered, requests carrying it reach that same process (and a stale one is replaced), a page runs
through the proxied WebSocket, and nothing is left running afterwards.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.browser.served import free_port
from ui import serve

pytestmark = pytest.mark.slow


def test_the_config_routes_each_cookie_to_its_process_with_the_others_as_backups(tmp_path: Path) -> None:
    text = serve.render_config(
        serve.TEMPLATE.read_text(encoding="utf-8"), listen="127.0.0.1:8501", backends=[8511, 8512], runtime=tmp_path
    )
    assert not re.search(r"@[A-Z_]+@", text)  # every placeholder filled
    assert "upstream cchc_8511 {\n        server 127.0.0.1:8511;\n        server 127.0.0.1:8512 backup;" in text
    assert "upstream cchc_8512 {\n        server 127.0.0.1:8512;\n        server 127.0.0.1:8511 backup;" in text
    assert "        8511 cchc_8511;\n        8512 cchc_8512;" in text
    assert '"127.0.0.1:8512" 8512;' in text and "listen 127.0.0.1:8501;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text and "ip_hash;" not in text
    (tmp_path / "conf.d").mkdir()
    config = tmp_path / "nginx.conf"
    config.write_text(text, encoding="utf-8")
    checked = subprocess.run(
        [serve.nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def _get(url: str, cookie: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()
        cookies = [h.split(";", 1)[0] for h in answer.headers.get_all("Set-Cookie") or []]
        return answer.status, next(c for c in cookies if c.startswith("cchc_backend="))


def test_two_processes_behind_nginx_keep_a_browser_on_one_process(small_lake: Path, tmp_path: Path) -> None:
    from bench.load_test import read_until_finished, rerun_request

    port = free_port()
    env = {"CCHC_DATA_DIR": str(small_lake), "CCHC_ACCESS_MODE": "open"}
    with serve.serving(2, port, backend_port=free_port(), env=env, log_dir=tmp_path) as setup:
        backends = {url.rsplit(":", 1)[1] for url in setup.backends}
        first = {_get(setup.url + "/")[1] for _ in range(4)}
        assert first == {f"cchc_backend={b}" for b in backends}  # new browsers go to both processes
        for backend in backends:
            for path in ("/", "/_stcore/health", "/so-sanh"):
                assert _get(setup.url + path, f"cchc_backend={backend}") == (200, f"cchc_backend={backend}")
        status, cookie = _get(setup.url + "/", "cchc_backend=1")  # not a process: the least busy one takes it
        assert status == 200 and cookie.split("=")[1] in backends

        async def page_run() -> str | None:
            import websockets

            url = setup.url.replace("http://", "ws://") + "/_stcore/stream"
            headers = {"Cookie": cookie}
            async with websockets.connect(url, subprotocols=["streamlit"], additional_headers=headers) as ws:
                # the default page: a first session after a start asking for another one is told "page not
                # found" by Streamlit (streamlit/streamlit#9992, see tests/browser/test_dashboard_browser.py)
                await ws.send(rerun_request(setup.url, "", ""))
                return await asyncio.wait_for(read_until_finished(ws), 120)

        assert asyncio.run(page_run()) is None  # the overview ran to its end, without an exception
        pids = setup.pids
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or _zombie(pid), f"process {pid} is still running"


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.fixture
def small_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import build_lake_from
    from tests.pages.conftest import small_lake_inputs

    return build_lake_from(small_lake_inputs(), tmp_path_factory.mktemp("serve-lake") / "data")


def test_without_nginx_the_setup_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve, "NGINX_CANDIDATES", ("no-such-nginx",))
    monkeypatch.setenv("PATH", os.defpath)
    with pytest.raises(serve.ServeError, match="make serve"):
        serve.nginx_binary()
