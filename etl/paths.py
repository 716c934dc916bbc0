"""Where things live. The data directory moves with the environment variable CCHC_DATA_DIR."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = REPO_ROOT / "data" / "reference"
CATALOG_NAME = "cchc.duckdb"


def data_dir() -> Path:
    """The data directory: $CCHC_DATA_DIR, or data/ in the repository."""
    configured = os.environ.get("CCHC_DATA_DIR")
    return Path(configured).resolve() if configured else REPO_ROOT / "data"


def catalog_path(root: Path | None = None) -> Path:
    """The DuckDB catalogue the dashboard opens read-only (views over the lake, load log)."""
    return (root or data_dir()) / CATALOG_NAME


def lake_dir(root: Path | None = None) -> Path:
    return (root or data_dir()) / "lake"
