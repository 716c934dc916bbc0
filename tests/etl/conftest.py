"""Fixtures of the ETL tests: the demo's export files at the default scale and seed, the ones the session's
demo lake was loaded from (`demo_exports`, tests/conftest.py), so the demo is generated once per session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_files(demo_exports: dict[str, list[Path]]) -> dict[str, list[Path]]:
    return demo_exports
