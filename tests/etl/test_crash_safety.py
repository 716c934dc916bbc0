"""Crash safety in `make test`: loads killed with SIGKILL leave one whole state (100 trials: `make stress`)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from crash_harness import REPO, fingerprint, load_command, run_trials, write_export

pytestmark = pytest.mark.slow  # loads in child processes, killed or cut off by a file-size limit


@pytest.mark.slow  # ten loads in child processes, each killed at a random point
def test_ten_killed_loads_each_leave_the_old_or_the_new_state_whole(tmp_path: Path) -> None:
    trials = run_trials(trials=10, seed=20260101, rows=3000, work=tmp_path)
    assert len(trials) == 10
    # The exact-step kills before the commit must leave the old state (at least one such trial ran).
    assert any(t.outcome == "old" for t in trials)


def test_a_load_that_hits_the_file_size_limit_fails_cleanly(tmp_path: Path) -> None:
    root = tmp_path / "data"
    first = load_command(root, write_export(tmp_path / "first.csv", 0, 500))
    assert first.wait() == 0
    before = fingerprint(root)
    big = write_export(tmp_path / "big.csv", 1, 60000)
    limit = 256 * 1024  # bytes: the new dossiers partition does not fit

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", "dossiers", str(big)],
        cwd=REPO,
        env={**os.environ, "CCHC_DATA_DIR": str(root)},
        preexec_fn=limit_file_size,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "lake unchanged" in lines[0], done.stderr
    assert fingerprint(root) == before
