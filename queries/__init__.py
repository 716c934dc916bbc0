"""Read-only SQL queries over the lake: one `.sql` file per query, run through `queries.run`.

    from queries import run, generation, EmptyLakeError, QueryError
    frame = run("dossier_kpis", year=2024, period="quarter", level="province")

See queries/runner.py (running, scope), queries/connection.py (connections, the published generation) and
queries/catalogue.py (the header format). queries/paths.py and queries/vocabulary.py are leaves the
writer (etl) imports too: this package never imports etl (docs/architecture.md, "Layers").
"""

from queries.catalogue import CatalogueError, Param, Query, QueryError
from queries.connection import (
    EmptyLakeError,
    EngineError,
    Generation,
    cursor,
    generation,
    lake_info,
    load_id,
    reset_connections,
)
from queries.paths import data_dir
from queries.runner import catalogue, catalogue_errors, get_query, run

__all__ = [
    "CatalogueError",
    "EmptyLakeError",
    "EngineError",
    "Generation",
    "Param",
    "Query",
    "QueryError",
    "catalogue",
    "catalogue_errors",
    "cursor",
    "data_dir",
    "generation",
    "get_query",
    "lake_info",
    "load_id",
    "reset_connections",
    "run",
]
