"""Command line: `python -m queries list | run NAME [--param k=v ...] [--format csv|json] | docs`.

    python -m queries list                       every query: description, grain, parameters, columns
    python -m queries run dossier_kpis --param year=2024 --param period=quarter [--format json]
    python -m queries run dossier_kpis --param year=2024 --engine spark    (same rows, on Apache Spark)
    python -m queries docs [--check]             write (or check) docs/indicators.md

`--param k=` (empty value) passes NULL. `--data-dir DIR` overrides CCHC_DATA_DIR.
Errors print one line `error: ...` on stderr and exit with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import NoReturn

import duckdb
import polars as pl

from queries import docs
from queries.catalogue import CatalogueError, Query, QueryError
from queries.connection import EmptyLakeError, EngineError
from queries.runner import ENGINES, catalogue, catalogue_errors, run


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise QueryError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m queries", description="Run the dashboard's SQL queries.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands.add_parser("list", help="list every query with its description, grain and parameters")
    run_cmd = commands.add_parser("run", help="run one query and print the result")
    run_cmd.add_argument("name")
    run_cmd.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE")
    run_cmd.add_argument("--format", choices=("csv", "json"), default="csv")
    run_cmd.add_argument("--data-dir", type=Path, default=None)
    run_cmd.add_argument(
        "--engine", choices=ENGINES, default=None, help="default: CCHC_QUERY_ENGINE, else duckdb (see queries/spark.py)"
    )
    docs_cmd = commands.add_parser("docs", help="render docs/indicators.md from the catalogue")
    docs_cmd.add_argument("--output", type=Path, default=docs.INDICATORS_MD)
    docs_cmd.add_argument("--check", action="store_true", help="fail when the file is not current")
    return parser


def describe(query: Query) -> str:
    params = "; ".join(p.describe() for p in query.params) or "none"
    return "\n".join(
        (
            f"{query.name}",
            f"  {query.description}",
            f"  grain:   {query.grain}",
            f"  params:  {params}",
            f"  columns: {', '.join(query.columns)}",
        )
    )


def _params(pairs: list[str]) -> dict[str, str | None]:
    params: dict[str, str | None] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise QueryError(f"--param expects KEY=VALUE, got {pair!r}")
        if key in params:
            raise QueryError(f"parameter '{key}' given twice")
        params[key] = value if value != "" else None
    return params


def _json_value(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def _print(frame: pl.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(frame.write_csv())
    else:
        rows = [{k: _json_value(v) for k, v in row.items()} for row in frame.iter_rows(named=True)]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.command == "list":
            print("\n\n".join(describe(q) for q in catalogue().values()))
            broken = catalogue_errors()
            if broken:
                raise CatalogueError("; ".join(str(e) for e in broken.values()))
        elif args.command == "run":
            frame = run(args.name, data_dir=args.data_dir, engine=args.engine, **_params(args.param))
            _print(frame, args.format)
        elif args.command == "docs":
            text = docs.render()
            if args.check:
                current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
                if current != text:
                    raise QueryError(f"{args.output} is not current: run `python -m queries docs`")
            else:
                args.output.parent.mkdir(parents=True, exist_ok=True)
                args.output.write_text(text, encoding="utf-8")
                print(f"wrote {args.output}")
    except BrokenPipeError:  # pragma: no cover - e.g. `| head`
        return 0
    except (QueryError, EmptyLakeError, CatalogueError, EngineError, duckdb.Error, OSError) as exc:
        message = " ".join(str(exc).split())
        print(f"error: {message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
