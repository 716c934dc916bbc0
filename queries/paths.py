"""Where things live: the repository's reference data and the data directory. Standard library only, so
every package (etl, queries, ui, tests, bench) can import it without pulling anything else in.

The data directory moves with the environment variable CCHC_DATA_DIR (default: data/ in the repository).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = REPO_ROOT / "data" / "reference"
CATALOG_NAME = "cchc.duckdb"
ENV_DATA_DIR = "CCHC_DATA_DIR"


def data_dir() -> Path:
    """The data directory: $CCHC_DATA_DIR, or data/ in the repository (absolute, symlinks resolved)."""
    configured = os.environ.get(ENV_DATA_DIR)
    return Path(configured).expanduser().resolve() if configured else REPO_ROOT / "data"


def catalog_path(root: Path | str | None = None) -> Path:
    """The catalogue symlink the dashboard opens read-only (views over the lake, load log)."""
    return (Path(root).resolve() if root is not None else data_dir()) / CATALOG_NAME


def lake_dir(root: Path | str | None = None) -> Path:
    return (Path(root) if root is not None else data_dir()) / "lake"
