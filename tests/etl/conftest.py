"""Fixtures of the ETL tests: the demo's export files, generated once at the default scale."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl import demo


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    return demo.generate(tmp_path_factory.mktemp("demo"), demo.DEFAULT_SCALE, demo.DEFAULT_SEED)
