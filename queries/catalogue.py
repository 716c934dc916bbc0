"""The query catalogue: one `.sql` file per query in `queries/`, described by its header comment.

A query file starts with a header of `-- key: value` comment lines; a comment line without a known
key continues the previous key. The header ends at the first line that is not a comment.

    -- name: dossier_kpis                       (required; equals the file name without .sql)
    -- description: One sentence for `python -m queries list` and docs/indicators.md.   (required)
    -- grain: one row per unit_code × period_start                                        (required)
    -- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
    --         province_code VARCHAR = NULL                    (optional; `none` or absent = no params)
    -- columns: unit_code, unit_name, period_start, ...        (required; the exact output columns)
    -- key: unit_code, period_start                            (required; see below)
    -- source: Decision 766/QĐ-TTg, Annex ...                  (optional; docs)
    -- method: How the figure is computed, in words.           (optional; docs)
    -- scope: unit_code                                        (optional; see below)
    -- access: detail                                          (optional; see below)
    -- uses: service_766_metric_points                        (optional; see below)
    -- disclosure: counts received; on_time_rate from received  (optional; queries/disclosure.py)

Parameters: `NAME TYPE [= default] [(required)] [(a|b|c)]`, separated by `;`.
- TYPE is one of INTEGER, VARCHAR, DATE, DOUBLE, BOOLEAN.
- default is NULL, a quoted string ('year'), a number, true/false, or an ISO date ('2024-01-01').
  A parameter with neither default nor `(required)` defaults to NULL.
- `(a|b|c)` lists the allowed values.
- Every declared parameter must be used in the SQL as `$name`, and every `$name` used must be
  declared (except `$scope`, see below): a mismatch is a bug caught when the catalogue loads.
- The names `scope`, `data_dir` and `name` are reserved (they are arguments of `run`).

Scope (docs/security.md, "Where the scope is enforced"): `scope:` names the output column holding the
unit code the caller's scope is checked against. Without it, the runner uses `unit_code` when the query
returns one, else `province_code`. `scope: none` declares a query whose rows belong to no unit (e.g. a reference table).
A query may also use `$scope` (a VARCHAR list, NULL when unrestricted) to filter in SQL; every query
returning unit rows does (tests/queries/test_access_sql.py).

Building blocks: `uses: a, b` names files of `queries/models/` (same header format, never run on their
own) that the query reads like tables. The catalogue puts each in front of the query as a CTE of that
name (`with a as (<a's SQL>), <the query's own CTEs>`), so logic two queries share lives in one file,
as dbt's layered models do. A model's parameters are the query's: declare them in both.

Key: `key:` names the output columns that identify a row (the grain, machine-readable): no two rows
share them and none is empty (tests/queries/test_keys.py checks it on the demo). `key: none` declares a
query returning at most one row. Building blocks (queries/models/) have no key.

Access: `access: detail` marks a query returning individual records (a dossier, a quarantined raw
value) rather than aggregates; the runner refuses it to aggregates-only callers (public mode,
docs/security.md). `access: aggregate` (the default) says nothing.

Disclosure: `disclosure:` declares the query's count columns, what is hidden with them, the relations
that complementary suppression keeps safe and the server paths and hashes; queries/disclosure.py states
the clauses and the runner applies them to every result (docs/security.md, "Disclosure control").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from queries.disclosure import Rules, parse_rules

QUERIES_DIR = Path(__file__).resolve().parent
PARAM_TYPES = ("INTEGER", "VARCHAR", "DATE", "DOUBLE", "BOOLEAN")
HEADER_KEYS = (
    "name", "description", "grain", "key", "params", "columns", "source", "method", "scope", "access", "uses",
    "disclosure",
)  # fmt: skip
MODELS_DIR = Path(__file__).resolve().parent / "models"
ACCESS_LEVELS = ("aggregate", "detail")
REQUIRED_KEYS = ("name", "description", "grain", "columns")
RESERVED_PARAMS = ("scope", "data_dir", "name", "engine", "aggregates_only")

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


class QueryError(ValueError):
    """The caller asked for something the catalogue does not offer (unknown query or parameter,
    a missing or ill-typed value, a value outside the allowed list). Message: one line."""


class CatalogueError(RuntimeError):
    """A query file is malformed, or a query returned other columns than its header declares.
    This is a bug in `queries/`, not a user error."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool = False
    default: Any = None
    allowed: tuple[Any, ...] | None = None

    def coerce(self, value: Any, query: str = "?") -> Any:
        """Turn a Python value or a command-line string into the value bound for this parameter."""
        if value is None:
            if self.required:
                raise QueryError(f"query '{query}': parameter '{self.name}' is required ({self.type})")
            return None
        try:
            result = _coerce(self.type, value)
        except (TypeError, ValueError):
            raise QueryError(f"query '{query}': parameter '{self.name}' expects {self.type}, got {value!r}") from None
        if self.allowed is not None and result not in self.allowed:
            choices = "|".join(str(a) for a in self.allowed)
            raise QueryError(f"query '{query}': parameter '{self.name}' must be one of {choices}, got {value!r}")
        return result

    def describe(self) -> str:
        """The declaration as written in a header, e.g. `period VARCHAR = 'year' (year|quarter|month)`."""
        text = f"{self.name} {self.type}"
        if self.required:
            text += " (required)"
        else:
            text += f" = {_literal(self.default)}"
        if self.allowed is not None:
            text += " (" + "|".join(str(a) for a in self.allowed) + ")"
        return text


def _coerce(type_: str, value: Any) -> Any:
    if type_ == "INTEGER":
        if isinstance(value, bool):
            raise TypeError
        if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,20}\s*", value):
            value = int(value)
        if isinstance(value, int) and -(2**63) <= value < 2**63:  # a BIGINT, as DuckDB binds it
            return value
        raise ValueError
    if type_ == "DOUBLE":
        if isinstance(value, bool):
            raise TypeError
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str):
            return float(value)
        raise ValueError
    if type_ == "VARCHAR":
        if isinstance(value, str):
            return value
        raise TypeError
    if type_ == "DATE":
        if isinstance(value, dt.datetime):
            raise TypeError
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            return dt.date.fromisoformat(value.strip())
        raise TypeError
    if type_ == "BOOLEAN":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise ValueError
    raise TypeError(type_)


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | dt.date):
        return f"'{value}'"
    return str(value)


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    grain: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    sql: str
    path: Path
    source: str | None = None
    method: str | None = None
    key: tuple[str, ...] = ()  # the output columns identifying a row; () for a query of at most one row
    scope_column: str | None = None  # output column checked against the caller's scope; None: no unit
    uses_scope: bool = False  # the SQL references $scope
    disclosure: Rules = field(default_factory=Rules, compare=False, repr=False)  # queries/disclosure.py
    header: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def detail(self) -> bool:
        """The header says `access: detail`: individual records, refused in the public mode."""
        return self.header.get("access", "aggregate").strip().lower() == "detail"

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query '{self.name}' has no parameter '{name}'; parameters: {known}")

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        """Validate `given` and return every declared parameter's value, defaults filled in."""
        for key in given:
            self.param(key)
        return {p.name: p.coerce(given.get(p.name, p.default), self.name) for p in self.params}


# --------------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------------
_HEADER_LINE = re.compile(r"^--\s?(?:(?P<key>[a-z_]+):)?\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[A-Za-z]+)"
    r"(?:\s*=\s*(?P<default>'[^']*'|[^\s(]+))?"
    r"(?P<groups>(?:\s*\([^)]*\))*)$"
)
_PLACEHOLDER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def parse_header(text: str) -> tuple[dict[str, str], str]:
    """Split a query file into its header (key -> value, continuation lines joined) and its body."""
    header: dict[str, str] = {}
    lines = text.splitlines()
    key: str | None = None
    body_start = len(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("--"):
            body_start = i
            break
        match = _HEADER_LINE.match(stripped)
        assert match is not None
        new_key, value = match.group("key"), match.group("value")
        if new_key in HEADER_KEYS:
            if new_key in header:
                raise CatalogueError(f"header key '{new_key}' appears twice")
            key = new_key
            header[key] = value
        elif key is not None:
            header[key] = f"{header[key]} {stripped.lstrip('-').strip()}".strip()
        else:
            raise CatalogueError(f"header line before any key: {stripped!r}")
    return header, "\n".join(lines[body_start:])


def parse_params(text: str) -> tuple[Param, ...]:
    text = text.strip()
    if not text or text.lower() == "none":
        return ()
    params: list[Param] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        match = _PARAM.match(part)
        if match is None:
            raise CatalogueError(f"cannot read parameter declaration {part!r}")
        name, type_ = match.group("name"), match.group("type").upper()
        if type_ not in PARAM_TYPES:
            raise CatalogueError(f"parameter {name}: type {type_} not one of {', '.join(PARAM_TYPES)}")
        if name in RESERVED_PARAMS:
            raise CatalogueError(f"parameter name '{name}' is reserved")
        required = False
        allowed: tuple[Any, ...] | None = None
        for group in re.findall(r"\(([^)]*)\)", match.group("groups") or ""):
            group = group.strip()
            if group == "required":
                required = True
            else:
                try:
                    allowed = tuple(_coerce(type_, v.strip()) for v in group.split("|"))
                except (TypeError, ValueError):
                    raise CatalogueError(f"parameter {name}: allowed values ({group}) not {type_}") from None
        raw_default = match.group("default")
        default: Any = None
        if raw_default is not None and raw_default.upper() != "NULL":
            if required:
                raise CatalogueError(f"parameter {name}: a required parameter has no default")
            try:
                default = _coerce(type_, raw_default.strip("'"))
            except (TypeError, ValueError):
                raise CatalogueError(f"parameter {name}: default {raw_default} is not {type_}") from None
            if allowed is not None and default not in allowed:
                raise CatalogueError(f"parameter {name}: default {raw_default} not among allowed values")
        if any(p.name == name for p in params):
            raise CatalogueError(f"parameter {name} declared twice")
        params.append(Param(name, type_, required, default, allowed))
    return tuple(params)


_LEXEME = re.compile(r"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/", re.S)


def strip_comments_and_strings(sql: str) -> str:
    """SQL text without comments and string literals, to look for `$name` placeholders. One pass,
    left to right, so an apostrophe in a comment (`-- the province's rows`) does not open a string
    and `--` inside a string does not open a comment."""
    return _LEXEME.sub(lambda m: "''" if m.group(0).startswith("'") else "", sql)


def placeholders(sql: str) -> set[str]:
    return set(_PLACEHOLDER.findall(strip_comments_and_strings(sql)))


def with_models(body: str, names: list[str], models_dir: Path | Sequence[Path] = MODELS_DIR) -> str:
    """The query's SQL with each building block in front of it as a CTE.

    Blocks are read from `models_dir` (a folder, or folders searched in order: a raw-row twin folder
    before queries/models/). A block's own `uses:` come before it, once each, so a query names only the
    blocks it reads itself. `block as alias` puts a block under another name: a block that reads
    `alias` can then be fed differently in different places (the mart reads dossier months where a
    raw-row definition reads its periods)."""
    folders = [models_dir] if isinstance(models_dir, Path) else list(models_dir)
    blocks: list[str] = []
    placed: set[str] = set()

    def place(entry: str, trail: tuple[str, ...]) -> None:
        name, _, alias = entry.partition(" as ")
        name, alias = name.strip(), alias.strip() or name.strip()
        if alias in placed:
            return
        if name in trail:
            raise CatalogueError(f"building blocks use each other in a circle: {' -> '.join((*trail, name))}")
        path = next((folder / f"{name}.sql" for folder in folders if (folder / f"{name}.sql").exists()), None)
        if path is None:
            raise CatalogueError(f"uses '{name}', but there is no {name}.sql in {', '.join(map(str, folders))}")
        model_header, model_sql = parse_header(path.read_text(encoding="utf-8"))
        if model_header.get("name") != name:
            raise CatalogueError(f"{path} is named '{model_header.get('name')}'")
        for inner in _names(model_header.get("uses", "")):
            place(inner, (*trail, name))
        blocks.append(f"{alias} as (\n{model_sql.strip()}\n)")
        placed.add(alias)

    for entry in names:
        place(entry, ())
    own_ctes = re.match(r"\s*with\s", body, flags=re.I)
    if own_ctes:
        return "with " + ",\n".join(blocks) + ",\n" + body[own_ctes.end() :]
    return "with " + ",\n".join(blocks) + "\n" + body


def _names(uses: str) -> list[str]:
    return [n.strip() for n in uses.split(",") if n.strip()]


def parse_query(path: Path, models_dir: Path | Sequence[Path] | None = None) -> Query:
    """Read one `.sql` file into a Query; CatalogueError (naming the file) when it is malformed.
    Its building blocks come from `models_dir`, by default the `models/` folder beside the file."""
    try:
        header, body = parse_header(path.read_text(encoding="utf-8"))
        if header.get("uses"):
            body = with_models(body, _names(header["uses"]), models_dir or path.parent / "models")
        missing = [k for k in REQUIRED_KEYS if not header.get(k)]
        if missing:
            raise CatalogueError(f"header lacks {', '.join(missing)}")
        if header["name"] != path.stem:
            raise CatalogueError(f"name '{header['name']}' differs from the file name '{path.stem}'")
        params = parse_params(header.get("params", ""))
        columns = tuple(c.strip() for c in header["columns"].split(","))
        if any(not c or not re.fullmatch(r"[a-z_][a-z0-9_]*", c) for c in columns):
            raise CatalogueError(f"columns must be lower_snake_case names: {header['columns']!r}")
        if len(set(columns)) != len(columns):
            raise CatalogueError("a column is listed twice")
        if not header.get("key"):
            raise CatalogueError("header lacks key (the columns that identify a row, or none)")
        key = () if header["key"].strip().lower() == "none" else tuple(k.strip() for k in header["key"].split(","))
        if set(key) - set(columns):
            raise CatalogueError(f"key columns are not output columns: {', '.join(sorted(set(key) - set(columns)))}")
        used = placeholders(body)
        declared = {p.name for p in params}
        if used - declared - {"scope"}:
            raise CatalogueError(f"SQL uses undeclared parameters: {', '.join(sorted(used - declared))}")
        if declared - used:
            raise CatalogueError(f"declared parameters unused in SQL: {', '.join(sorted(declared - used))}")
        scope = header.get("scope")
        if scope is None:
            scope_column = next((c for c in ("unit_code", "province_code") if c in columns), None)
        elif scope.lower() == "none":
            scope_column = None
        elif scope in columns:
            scope_column = scope
        else:
            raise CatalogueError(f"scope column '{scope}' is not an output column")
        if header.get("access", "aggregate").strip().lower() not in ACCESS_LEVELS:
            raise CatalogueError(f"access must be one of {', '.join(ACCESS_LEVELS)}, got {header['access']!r}")
        if not body.strip():
            raise CatalogueError("no SQL after the header")
        try:
            disclosure = parse_rules(header.get("disclosure"), columns)
        except ValueError as error:
            raise CatalogueError(str(error)) from None
    except CatalogueError as exc:
        raise CatalogueError(f"{path.name}: {exc}") from None
    return Query(
        name=header["name"],
        description=header["description"],
        grain=header["grain"],
        params=params,
        columns=columns,
        key=key,
        sql=body,
        path=path,
        source=header.get("source"),
        method=header.get("method"),
        scope_column=scope_column,
        uses_scope="scope" in used,
        disclosure=disclosure,
        header=header,
    )


def load_catalogue(directory: Path = QUERIES_DIR) -> dict[str, Query]:
    """Every `*.sql` file of `directory`, parsed, keyed by query name, in name order.
    Strict: the first malformed file raises CatalogueError (tests, docs)."""
    return {q.name: q for q in (parse_query(p) for p in sorted(directory.glob("*.sql")))}


def scan_catalogue(directory: Path = QUERIES_DIR) -> tuple[dict[str, Query], dict[str, CatalogueError]]:
    """Lenient: (queries that parse, {file stem: error} for those that do not), so that one broken
    file fails its own query and not every page of the dashboard."""
    good: dict[str, Query] = {}
    broken: dict[str, CatalogueError] = {}
    for path in sorted(directory.glob("*.sql")):
        try:
            query = parse_query(path)
        except CatalogueError as exc:
            broken[path.stem] = exc
        else:
            good[query.name] = query
    return good, broken
