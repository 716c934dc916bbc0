"""Read-only SQL queries over the lake: one `.sql` file per query, run through `queries.run`.

    from queries import run, load_id, EmptyLakeError, QueryError
    frame = run("dossier_kpis", year=2024, period="quarter", level="province")

See queries/runner.py (running, connections, scope) and queries/catalogue.py (the header format).
"""

from queries.catalogue import CatalogueError, Param, Query, QueryError
from queries.runner import (
    EmptyLakeError,
    EngineError,
    catalogue,
    catalogue_errors,
    cursor,
    data_dir,
    get_query,
    lake_info,
    load_id,
    reset_connections,
    run,
)

__all__ = [
    "CatalogueError",
    "EmptyLakeError",
    "EngineError",
    "Param",
    "Query",
    "QueryError",
    "catalogue",
    "catalogue_errors",
    "cursor",
    "data_dir",
    "get_query",
    "lake_info",
    "load_id",
    "reset_connections",
    "run",
]
