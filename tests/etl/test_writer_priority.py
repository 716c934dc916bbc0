"""The writer yields the CPU to the readers (docs/reliability.md, "The writer yields the CPU"): a process
started as `python -m etl ...` lowers its own priority by CCHC_WRITER_NICE (default 10), and a process
that only calls `etl.__main__.main` (a test, a notebook) keeps its own. Each case runs in a process of its
own, since a priority once lowered cannot be raised again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# `python -m etl contract` run through runpy, as `-m` runs it, then the niceness it left
AS_MAIN = """
import os, runpy, sys
before = os.nice(0)
sys.argv = ["etl", "contract"]
try:
    runpy.run_module("etl", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
print(before, os.nice(0), file=sys.stderr)
"""
CALLED = """
import os, sys
from etl.__main__ import main
before = os.nice(0)
main(["contract"])
print(before, os.nice(0), file=sys.stderr)
"""


def _niceness(code: str, setting: str | None) -> tuple[int, int, str]:
    env = {k: v for k, v in os.environ.items() if k != "CCHC_WRITER_NICE"}
    if setting is not None:
        env["CCHC_WRITER_NICE"] = setting
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True, timeout=120
    )
    *warnings, last = done.stderr.strip().splitlines()
    before, after = (int(n) for n in last.split())
    return before, after, "\n".join(warnings)


@pytest.mark.parametrize(("setting", "step"), [(None, 10), ("7", 7), ("0", 0)])
def test_a_writer_process_lowers_its_priority_by_the_setting(setting, step):
    before, after, warnings = _niceness(AS_MAIN, setting)
    assert after == min(19, before + step)
    assert not warnings


@pytest.mark.parametrize("setting", ["abc", "25", "-5"])
def test_a_setting_out_of_range_is_named_and_the_default_used(setting):
    before, after, warnings = _niceness(AS_MAIN, setting)
    assert after == min(19, before + 10)
    assert f"CCHC_WRITER_NICE={setting!r}" in warnings and "0 to 19" in warnings


def test_calling_main_in_a_shared_process_keeps_its_priority():
    before, after, _ = _niceness(CALLED, "7")
    assert after == before
