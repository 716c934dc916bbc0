"""One child process's own peak memory and CPU time, measured through a small launcher.

Linux starts a process's peak RSS (`ru_maxrss`) at the RSS of the process that spawned it: `fork`
copies the parent's high-water mark and `exec` keeps it. A child spawned by a test run or a bench that
has grown to 800 MB therefore reports at least 800 MB, whatever it used itself (a full `make test` run
reported 829-911 MB for a load that peaks at 500-570 MB). `run` spawns the command through this file
run as a script, a process of about 10 MB that imports only the standard library, and reports the
usage `os.wait4` gives for the command: its own peak, not its spawner's.

Used by the bench (`bench/run.py`) and by the tests that bound a process's memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

LAUNCHER = Path(__file__).resolve()


class Measured(NamedTuple):
    returncode: int  # negative: killed by that signal
    wall: float  # seconds, from the command's start to its end
    rss: int  # its own peak RSS, bytes
    cpu: float  # user + system seconds
    stdout: str | bytes | None = None  # what it printed, when captured (`capture_output=True`)
    stderr: str | bytes | None = None


def run(args: list[str], *, cwd: Path | str | None = None, env: dict[str, str] | None = None, **kwargs) -> Measured:
    """Run `args` to its end and measure it. `kwargs` go to `subprocess.run` for the launcher, whose
    standard streams the command inherits (`stdout=a_file`, `capture_output=True, text=True`, ...)."""
    with tempfile.TemporaryDirectory(prefix="measured-") as work:
        report = Path(work) / "usage.json"
        done = subprocess.run(
            [sys.executable, str(LAUNCHER), str(report), *args], cwd=cwd, env=env, check=False, **kwargs
        )
        if not report.exists():
            raise RuntimeError(f"the launcher could not run {args[:3]}: exit {done.returncode}, {done.stderr!r}")
        usage = json.loads(report.read_text(encoding="utf-8"))
    return Measured(**usage, stdout=done.stdout, stderr=done.stderr)


def _launch(report: str, command: list[str]) -> int:
    started = time.perf_counter()
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)
    measured = {
        "returncode": os.waitstatus_to_exitcode(status),
        "wall": time.perf_counter() - started,
        "rss": usage.ru_maxrss * 1024,  # Linux reports kilobytes
        "cpu": usage.ru_utime + usage.ru_stime,
    }
    Path(report).write_text(json.dumps(measured), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(_launch(sys.argv[1], sys.argv[2:]))
