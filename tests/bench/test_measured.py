"""bench/measured.py: a child's peak RSS is its own, not the size of the process that spawned it."""

from __future__ import annotations

import os
import subprocess
import sys

from bench import measured

MB = 2**20
ALLOCATE = "import sys; block = b'x' * (int(sys.argv[1]) * 2**20); print(len(block) // 2**20)"


def test_a_child_of_a_large_process_reports_its_own_peak_not_its_parents() -> None:
    held = b"x" * (600 * MB)  # this process grows by 600 MB, every page written
    try:
        small = measured.run([sys.executable, "-c", "pass"])
        large = measured.run([sys.executable, "-c", ALLOCATE, "300"], capture_output=True, text=True)
        spawned_directly = subprocess.Popen([sys.executable, "-c", "pass"])
        _, _, direct = os.wait4(spawned_directly.pid, 0)
    finally:
        del held
    # A bare interpreter is 10-20 MB; spawned directly it reports at least this process's 600 MB more.
    assert small.returncode == 0 and small.rss < 60 * MB
    assert direct.ru_maxrss * 1024 > 600 * MB
    # 300 MB written by the child itself: its peak is at least that and not this process's size on top.
    assert large.stdout.strip() == "300"
    assert 300 * MB < large.rss < 400 * MB
    assert large.cpu > 0 and large.wall > 0


def test_the_exit_code_and_streams_are_the_commands() -> None:
    failed = measured.run(
        [sys.executable, "-c", "import sys; print('out'); sys.exit('no such file')"], capture_output=True, text=True
    )
    assert (failed.returncode, failed.stdout, failed.stderr) == (1, "out\n", "no such file\n")
    killed = measured.run([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"])
    assert killed.returncode == -9
