"""Serve the dashboard with several Streamlit processes behind nginx: `make serve` (docs/performance.md).

    python -m ui.serve [--processes N] [--port 8501] [--backend-port 8511]

One Streamlit process runs one page at a time per CPU core at best (a page run is Python work under
one interpreter lock), so a machine with several cores serves more users with a process per core.
This starts N processes (`streamlit run dashboard.py` on 127.0.0.1, ports backend-port …
backend-port+N-1; N defaults to the number of cores) and nginx (Debian's package; `make serve`
installs it when missing) on `--port`, with sticky sessions by cookie (docs/deploy/nginx.conf.template,
rendered into a runtime folder under the system's temporary directory). Every process reads the
same data directory (CCHC_DATA_DIR) and the same `.streamlit/secrets.toml`, so a sign-in holds
whichever process a browser lands on. Ctrl-C (or SIGTERM) stops nginx and every process.

`serving(...)` is the same as a context manager (bench/load_test.py measures through it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "docs" / "deploy" / "nginx.conf.template"
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")
START_TIMEOUT_S = 120


class ServeError(RuntimeError):
    """The setup could not start: the message says what is missing."""


@dataclass
class Serving:
    """A running setup: the URL to open, the Streamlit processes and nginx (None: no proxy)."""

    url: str
    backends: list[str] = field(default_factory=list)  # each Streamlit process's own URL
    streamlit: list[subprocess.Popen] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    config: Path | None = None

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.streamlit] + ([self.nginx.pid] if self.nginx else [])


def nginx_binary() -> str:
    for candidate in NGINX_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise ServeError("nginx is not installed: `make serve` installs Debian's package (apt-get install nginx)")


def render_config(template: str, *, listen: str, backends: list[int], runtime: Path) -> str:
    """The nginx configuration for `backends` (ports on 127.0.0.1) listening on `listen`."""
    servers = "\n".join(f"        server 127.0.0.1:{port};" for port in backends)
    sticky = []
    for port in backends:
        lines = [f"    upstream cchc_{port} {{", f"        server 127.0.0.1:{port};"]
        lines += [f"        server 127.0.0.1:{other} backup;" for other in backends if other != port]
        sticky.append("\n".join([*lines, "    }"]))
    sticky_map = "\n".join(f"        {port} cchc_{port};" for port in backends)
    answered = "\n".join(f'        "127.0.0.1:{port}" {port};' for port in backends)
    return (
        template.replace("@RUNTIME@", str(runtime))
        .replace("@LISTEN@", listen)
        .replace("@SERVERS@", servers)
        .replace("@STICKY_UPSTREAMS@", "\n".join(sticky))
        .replace("@STICKY_MAP@", sticky_map)
        .replace("@ANSWERED_MAP@", answered)
    )


def _wait_healthy(url: str, procs: list[subprocess.Popen], timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while True:
        for proc in procs:
            if proc.poll() is not None:
                raise ServeError(f"a process exited ({proc.returncode}) before {url} answered")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
            if answer.status == 200:
                return
        if time.monotonic() > deadline:
            raise ServeError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.25)


def _stop(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


@contextlib.contextmanager
def serving(
    processes: int,
    port: int,
    *,
    backend_port: int | None = None,
    proxy: bool = True,
    env: Mapping[str, str] | None = None,
    streamlit_args: tuple[str, ...] = (),
    log_dir: Path | None = None,
) -> Iterator[Serving]:
    """Start `processes` Streamlit processes and (with `proxy`) nginx on `port`; stop them all on exit.
    Without the proxy there must be one process, listening on `port` itself."""
    if not proxy and processes != 1:
        raise ServeError("without the proxy, serve one process")
    nginx = nginx_binary() if proxy else None
    backend_port = backend_port or port + 10
    ports = list(range(backend_port, backend_port + processes)) if proxy else [port]
    environment = {**os.environ, **(env or {})}
    streamlit = str(Path(sys.executable).parent / "streamlit")
    runtime = Path(tempfile.mkdtemp(prefix=f"cchc-serve-{port}-"))
    log_dir = log_dir or runtime
    setup = Serving(url=f"http://127.0.0.1:{port}", backends=[f"http://127.0.0.1:{p}" for p in ports])
    try:
        for backend in ports:
            command = [streamlit, "run", "dashboard.py", "--server.port", str(backend)]
            command += ["--server.address", "127.0.0.1", "--server.headless", "true", *streamlit_args]
            with (log_dir / f"streamlit-{backend}.log").open("w", encoding="utf-8") as log:
                setup.streamlit.append(
                    subprocess.Popen(
                        command, cwd=REPO, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                    )
                )
        for backend in ports:
            _wait_healthy(f"http://127.0.0.1:{backend}", setup.streamlit)
        if nginx is not None:
            for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
                (runtime / sub).mkdir(exist_ok=True)
            setup.config = runtime / "nginx.conf"
            text = render_config(
                TEMPLATE.read_text(encoding="utf-8"), listen=f"127.0.0.1:{port}", backends=ports, runtime=runtime
            )
            setup.config.write_text(text, encoding="utf-8")
            with (log_dir / "nginx.log").open("w", encoding="utf-8") as log:
                setup.nginx = subprocess.Popen(
                    [nginx, "-p", str(runtime), "-c", str(setup.config), "-g", "daemon off;"],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            _wait_healthy(setup.url, [setup.nginx], timeout=30)
        yield setup
    finally:
        if setup.nginx is not None:
            _stop(setup.nginx)
        for proc in setup.streamlit:
            _stop(proc)
        if log_dir != runtime:  # the logs were written elsewhere: the runtime folder is not needed
            shutil.rmtree(runtime, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2, help="Streamlit processes (cores)")
    parser.add_argument("--port", type=int, default=8501, help="where nginx listens (127.0.0.1)")
    parser.add_argument("--backend-port", type=int, default=None, help="first Streamlit port (default port+10)")
    args = parser.parse_args(argv)
    stop = {"now": False}

    def on_signal(signum: int, frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        with serving(args.processes, args.port, backend_port=args.backend_port) as setup:
            print(f"{args.processes} Streamlit processes behind nginx: {setup.url}  (nginx config: {setup.config})")
            print("Ctrl-C stops them all.", flush=True)
            while not stop["now"]:
                if any(p.poll() is not None for p in [*setup.streamlit, setup.nginx] if p is not None):
                    print("a process of the setup exited: stopping", file=sys.stderr)
                    return 1
                time.sleep(0.5)
    except ServeError as error:
        print(f"make serve: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
