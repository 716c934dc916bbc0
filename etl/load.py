"""Loading files into the lake: read → map headers → parse → validate → stage → merge → publish.

`load_files(kind, paths)` is the one entry point the CLI, the demo and the tests use. All files of one
call become one load (one load id, one publish): either every accepted row of the call is visible
afterwards, or, if the process dies first, none is. A file whose sha256 was loaded before is skipped
(loading is idempotent); a later export of the same key replaces the earlier row (upsert).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from etl import contract, lake, papi, pci, published_766, published_index, unit_map
from etl.headers import known_header_keys, map_headers
from etl.marts import build as marts_build
from etl.parse import parse_frame
from etl.read import EXTRA, ReadError, read_ahead, read_batches, read_file
from etl.unit_names import Resolved, UnitNames
from etl.unit_resolution import UnitDirectory
from etl.units import reference_units
from etl.validate import ROW, SeenKeys, validate
from queries.paths import REFERENCE_DIR
from queries.paths import data_dir as default_data_dir

Progress = Callable[[str], None]

# Kinds whose parsed rows get a `prepare` step: it fills the derived columns (contract.Table.derived),
# for the published indices from the units valid on each row's date (etl/unit_names.py: the rows name
# units rather than code them), for long PAPI tables the measure codes of the year's design.
Prepare = Callable[[pl.DataFrame, pl.DataFrame, UnitNames | None, Path], Resolved]
PREPARE: dict[str, Prepare] = {
    "published_766": published_766.prepare,
    "pci": pci.prepare,
    "published_index": published_index.prepare,
    "papi": papi.prepare_long,
}
NAME_MATCHED_KINDS = ("published_766", "pci", "published_index")
SHOWN_NAMES = 20  # names not matched listed in the load log and summary (all are in the quarantine)
_ISSUE_COLUMNS = {"row_number": pl.Int64, "column_name": pl.String, "raw_value": pl.String, "reason": pl.String}


class LoadError(Exception):
    """A load that cannot start at all (unknown kind, missing file); one line for the user."""


@dataclass
class FileResult:
    path: Path
    kind: str
    status: str  # loaded | skipped (same file loaded before) | refused (could not be read)
    message: str = ""
    sha256: str = ""
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    top_reasons: list[tuple[str, int]] = field(default_factory=list)
    unmatched_names: list[str] = field(default_factory=list)  # names no unit was found for, with candidates
    started_at: datetime | None = None
    finished_at: datetime | None = None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_files(
    kind: str,
    paths: Sequence[Path | str],
    *,
    data_dir: Path | None = None,
    sheet: str | None = None,
    is_demo: bool = False,
    progress: Progress | None = None,
    values: dict[str, str] | None = None,
) -> list[FileResult]:
    """Load export files of one kind; returns one result per file. Never raises on bad rows.

    `values` gives columns the files may lack, as text (`python -m etl load procedures --province 01
    --published-at 2023-01-01`): a file without the column takes the value, a file with it takes it in
    its empty cells. A column neither the file nor `values` gives takes its contract default, if any.
    """
    if kind not in contract.KINDS:
        raise LoadError(f"unknown kind '{kind}'; expected one of: {', '.join(contract.KINDS)}")
    table = contract.KINDS[kind]
    for name in values or {}:
        if name not in table.names:
            raise LoadError(f"{kind} files have no column '{name}'")
    root = Path(data_dir) if data_dir else default_data_dir()
    paths = [Path(p) for p in paths]
    for path in paths:
        if not path.is_file():
            raise LoadError(f"{path}: no such file")
    say = progress or (lambda message: None)

    with lake.writer_lock(root):
        try:
            return _load_locked(kind, table, paths, root, sheet, is_demo, say, values or {})
        except (OSError, duckdb.Error, pl.exceptions.PolarsError) as error:
            # Nothing was committed: the catalogue still points at the previous state.
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise LoadError(f"{root}: cannot write the lake ({reason}); lake unchanged") from error


def _load_locked(
    kind: str,
    table: contract.Table,
    paths: list[Path],
    root: Path,
    sheet: str | None,
    is_demo: bool,
    say: Progress,
    values: dict[str, str],
) -> list[FileResult]:
    previous = lake.read_state(root)
    load_id = (previous.load_id if previous else 0) + 1
    state = ensure_reference_tables(root, previous or lake.LakeState(), load_id)
    con = lake.work_connection(root, state)
    try:
        loaded_before = _loaded_hashes(con, kind)
        units = UnitDirectory.build(con.sql("select * from units").pl(), con.sql("select * from unit_crosswalk").pl())
        names = None
        if kind in NAME_MATCHED_KINDS:
            unit_rows = con.sql(
                "select unit_code, name, short_name, level, province_code, valid_from, valid_to from units"
            )
            names = UnitNames(unit_rows.pl())
        results: list[FileResult] = []
        staged: list[str] = []
        quarantine: list[str] = []
        for seq, path in enumerate(paths):
            say(f"{path}: reading")
            stager = _Stager(root, load_id, seq, path)
            result = _process_file(kind, table, path, sheet, units, loaded_before, stager, names, values)
            results.append(result)
            if result.status != "loaded":
                stager.discard()  # a file refused midway (e.g. cut short) leaves nothing behind
                continue
            loaded_before.add(result.sha256)
            staged.extend(stager.accepted)
            quarantine.extend(stager.quarantine)
            say(f"{path}: {result.rows_accepted:,} accepted, {result.rows_quarantined:,} quarantined")

        if not staged and state == previous:
            return results  # nothing new: the lake is untouched
        if staged:
            say(f"{table.name}: merging {len(staged)} file(s) into the lake")
            state = merge_staged(con, root, state, table.name, staged, load_id)
            state = _append_staged(con, root, state, "quarantine", quarantine, load_id)
            log = _log_rows([r for r in results if r.status == "loaded"], load_id, is_demo)
            state = _append(con, root, state, "load_log", log, load_id)
    finally:
        con.close()
    state = lake.LakeState(
        load_id=load_id,
        files=state.files,
        reference_sha256=state.reference_sha256,
        is_demo=state.is_demo or (is_demo and bool(staged)),
    )
    state = unit_map.refresh(root, state, previous, load_id)
    say("rebuilding the marts")
    state = marts_build.refresh(root, state, previous, load_id)
    lake.publish(root, state, previous)
    say(f"published load {load_id}")
    return results


def _loaded_hashes(con: duckdb.DuckDBPyConnection, kind: str) -> set[str]:
    rows = con.sql(
        "select sha256 from load_log where kind = $kind and status = 'loaded'", params={"kind": kind}
    ).fetchall()
    return {sha for (sha,) in rows}


def read_source(
    kind: str, path: Path, sheet: str | None, table: contract.Table, notes: list[str] | None = None
) -> Iterator[pl.DataFrame]:
    """Raw text frames of a file, batch by batch (etl.read.read_batches); published layouts have their own
    readers: the PAPI workbook (one sheet per year), VCCI's PCI workbooks, the portal's 766 JSON."""
    if kind == "papi" and sheet is None and papi.is_papi_workbook(path):
        return iter([papi.read_papi_workbook(path)])
    if kind == "pci" and sheet is None:
        try:
            frame, read_notes = pci.read_pci_workbook(path)
        except pci.PciReadError as error:
            raise ReadError(path, str(error)) from None
        if notes is not None:
            notes.extend(read_notes)
        return iter([frame])
    if kind == "published_766" and published_766.is_portal_json(path):
        try:
            return iter([published_766.read_portal_json(path)])
        except published_766.PortalReadError as error:
            raise ReadError(path, str(error)) from None
    return read_ahead(read_batches(path, sheet=sheet, known_headers=known_header_keys(table), notes=notes))


class _Stager:
    """Writes one input file's accepted rows and quarantine rows to staging Parquet files, batch by
    batch, so that memory does not grow with the file."""

    COMPRESSION = "lz4"  # the files are read once, by the merge, then deleted: fast beats small

    def __init__(self, root: Path, load_id: int, seq: int, path: Path) -> None:
        self.root, self.load_id, self.seq, self.path = root, load_id, seq, path
        self.accepted: list[str] = []
        self.quarantine: list[str] = []

    def write(self, accepted: pl.DataFrame, issues: pl.DataFrame) -> None:
        batch = len(self.accepted)
        if accepted.height or not batch:  # the first batch always: a header-only file loads 0 rows
            relative = lake.part_path("_staging", self.load_id, suffix=f"-{self.seq:04d}-{batch:05d}")
            (self.root / relative).parent.mkdir(parents=True, exist_ok=True)
            staged = accepted.with_columns(pl.lit(self.seq, pl.Int32).alias("_seq"))
            staged.write_parquet(self.root / relative, compression=self.COMPRESSION)
            self.accepted.append(relative)
        if issues.height:
            suffix = f"-{self.seq:04d}-{len(self.quarantine):05d}-quarantine"
            relative = lake.part_path("_staging", self.load_id, suffix=suffix)
            (self.root / relative).parent.mkdir(parents=True, exist_ok=True)
            quarantined = _quarantine_rows(issues, self.load_id, self.path)
            quarantined.write_parquet(self.root / relative, compression=self.COMPRESSION)
            self.quarantine.append(relative)

    def discard(self) -> None:
        for relative in (*self.accepted, *self.quarantine):
            (self.root / relative).unlink(missing_ok=True)
        self.accepted, self.quarantine = [], []


def _process_file(
    kind: str,
    table: contract.Table,
    path: Path,
    sheet: str | None,
    units: UnitDirectory,
    loaded_before: set[str],
    stager: _Stager,
    names: UnitNames | None = None,
    values: dict[str, str] | None = None,
) -> FileResult:
    """Read, map, parse and validate one file batch by batch, staging each batch's rows as it goes."""
    started = datetime.now()
    sha = sha256_of(path)
    result = FileResult(path=path, kind=kind, status="loaded", sha256=sha, started_at=started)
    if sha in loaded_before:
        result.status, result.message = "skipped", "already loaded (same sha256)"
        return result
    read_notes: list[str] = []
    header_map = None
    seen = SeenKeys()  # keys of earlier batches: duplicates across batches
    reasons: dict[str, int] = {}
    try:
        for raw in read_source(kind, path, sheet, table, read_notes):
            if header_map is None:
                found = [c for c in raw.columns if c not in (ROW, EXTRA)]
                header_map = map_headers(found, table)
                absent = [c for c in header_map.missing_required if c not in table.derived and c not in (values or {})]
                if absent:
                    missing = _described(table, absent)
                    result.status = "refused"
                    result.message = "; ".join(
                        [f"{path}: missing required column(s) {missing} (found: {', '.join(found)})", *read_notes]
                    )
                    return result
            extra = [EXTRA] if EXTRA in raw.columns else []
            # Drops PII and unknown columns; keeps __extra__ for the validator.
            raw = raw.select(ROW, *extra, *header_map.rename).rename(header_map.rename)
            raw, filled = with_given_values(raw, table, values or {})
            typed, parse_issues = parse_frame(raw, table)
            if kind in PREPARE:
                typed, raw, parse_issues = _prepared(PREPARE[kind], typed, raw, parse_issues, names, path, result)
            checked = validate(typed, parse_issues, raw, table, units, seen=seen)
            stager.write(checked.accepted, checked.issues)
            for reason, rows in checked.issues.group_by("reason").agg(pl.col("row_number").n_unique()).iter_rows():
                reasons[reason] = reasons.get(reason, 0) + rows
            result.rows_read += raw.height
            result.rows_accepted += checked.accepted.height
            result.rows_quarantined += checked.rows_quarantined
    except ReadError as error:
        result.status, result.message = "refused", str(error)
        result.rows_read = result.rows_accepted = result.rows_quarantined = 0
        return result
    assert header_map is not None  # read_batches yields at least one frame
    result.top_reasons = sorted(reasons.items(), key=lambda r: (-r[1], r[0]))
    result.finished_at = datetime.now()
    notes = list(read_notes)
    notes.extend(filled)
    if header_map.pii_dropped:
        notes.append(f"personal-data columns dropped: {', '.join(header_map.pii_dropped)}")
    if header_map.unknown:
        notes.append(f"columns ignored: {', '.join(header_map.unknown)}")
    if header_map.duplicates:
        repeated = ", ".join(dict.fromkeys(re.sub(r"__\d+$", "", name) for name in header_map.duplicates))
        notes.append(f"repeated columns ignored (the first of each is used): {repeated}")
    if result.unmatched_names:
        shown = result.unmatched_names[:SHOWN_NAMES]
        more = len(result.unmatched_names) - len(shown)
        notes.append(
            f"names matching no unit (or several): {' | '.join(shown)}" + (f" | and {more} more" if more else "")
        )
    result.message = "; ".join(notes)
    return result


def _prepared(
    prepare: Prepare,
    typed: pl.DataFrame,
    raw: pl.DataFrame,
    parse_issues: pl.DataFrame,
    names: UnitNames | None,
    path: Path,
    result: FileResult,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Run a kind's `prepare` on parsed rows: its issues join the parser's, and the candidates it names
    for a name not matched go into the quarantined row's raw_record (key `candidates`)."""
    resolved = prepare(typed, raw, names, path)
    for problem in resolved.problems:
        if problem not in result.unmatched_names:
            result.unmatched_names.append(problem)
    if not resolved.issues:
        return resolved.typed, raw, parse_issues
    found = pl.DataFrame(resolved.issues, schema={**_ISSUE_COLUMNS, "candidates": pl.String})
    candidates = (
        found.filter(pl.col("candidates").is_not_null())
        .group_by("row_number", maintain_order=True)
        .agg(pl.col("candidates").first())
    )
    if candidates.height:
        raw = raw.join(candidates.rename({"row_number": ROW}), on=ROW, how="left", maintain_order="left")
    columns = list(_ISSUE_COLUMNS)
    issues = pl.concat([parse_issues.select(columns).cast(_ISSUE_COLUMNS), found.select(columns)])
    return resolved.typed, raw, issues.sort("row_number", maintain_order=True)


def with_given_values(
    raw: pl.DataFrame, table: contract.Table, values: dict[str, str]
) -> tuple[pl.DataFrame, list[str]]:
    """`raw` with the columns the caller gave (`values`) or the contract defaults where the file has
    none, and a note per column saying where its value came from (for the load summary)."""
    notes = []
    for column in table.columns:
        given = values.get(column.name)
        if given is not None and column.name in raw.columns:
            raw = raw.with_columns(pl.col(column.name).fill_null(given))
            notes.append(f"{column.name} {given} given for the rows without one")
        elif given is not None:
            raw = raw.with_columns(pl.lit(given, pl.String).alias(column.name))
            notes.append(f"{column.name} {given} given for every row")
        elif column.default is not None and column.name not in raw.columns:
            raw = raw.with_columns(pl.lit(column.default, pl.String).alias(column.name))
            notes.append(DEFAULT_NOTES.get((table.name, column.name), f"no {column.name} column: {column.default}"))
    return raw, notes


# What a contract default means, said in the load summary.
DEFAULT_NOTES = {
    ("procedures", "province_code"): "no province column: loaded as the national catalogue, for every province",
    ("procedures", "published_at"): f"no publication date: valid from the earliest period ({contract.EARLIEST_DAY})",
}


def _described(table: contract.Table, names: list[str]) -> str:
    """'received_at (Ngày tiếp nhận)': canonical names with the Vietnamese header users know them by."""
    described = []
    for name in names:
        aliases = table.column(name).aliases
        described.append(f"{name} ({aliases[0]})" if aliases else name)
    return ", ".join(described)


def _quarantine_rows(issues: pl.DataFrame, load_id: int, path: Path) -> pl.DataFrame:
    return issues.select(
        pl.lit(load_id, pl.Int64).alias("load_id"),
        pl.lit(str(path)).alias("source_file"),
        "row_number",
        "column_name",
        "raw_value",
        "reason",
        "detail",
        "raw_record",
    )


def _log_rows(results: list[FileResult], load_id: int, is_demo: bool) -> pl.DataFrame:
    schema = {c: _POLARS[t] for c, t in lake.LOAD_LOG_SCHEMA.items()}
    rows = [
        {
            "load_id": load_id,
            "kind": r.kind,
            "source_file": str(r.path),
            "sha256": r.sha256,
            "rows_read": r.rows_read,
            "rows_accepted": r.rows_accepted,
            "rows_quarantined": r.rows_quarantined,
            "started_at": r.started_at,
            "finished_at": r.finished_at,
            "status": r.status,
            "message": r.message,
            "is_demo": is_demo,
        }
        for r in results
    ]
    return pl.DataFrame(rows, schema=schema)


_POLARS = {
    "BIGINT": pl.Int64,
    "VARCHAR": pl.String,
    "TIMESTAMP": pl.Datetime("us"),
    "BOOLEAN": pl.Boolean,
    "DOUBLE": pl.Float64,
    "DATE": pl.Date,
}


def _append_staged(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    state: lake.LakeState,
    table: str,
    staged: list[str],
    load_id: int,
) -> lake.LakeState:
    """Append-only tables gain one new file per load, here from staged Parquet files."""
    if not staged:
        return state
    relative = lake.part_path(table, load_id)
    columns = ", ".join(f"cast({c} as {t}) as {c}" for c, t in lake.table_schema(table).items())
    staged_list = ", ".join("'" + p + "'" for p in staged)  # paths generated by this module
    lake.copy_to_parquet(con, f"select {columns} from read_parquet([{staged_list}])", root, relative)
    return state.with_files(table, (*state.files.get(table, ()), relative))


def _append(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    state: lake.LakeState,
    table: str,
    rows: pl.DataFrame,
    load_id: int,
) -> lake.LakeState:
    """Append-only tables (quarantine, load log) gain one new file per load."""
    if rows.is_empty():
        return state
    relative = lake.part_path(table, load_id)
    con.register("new_rows", rows.to_arrow())
    columns = ", ".join(f"cast({c} as {t}) as {c}" for c, t in lake.table_schema(table).items())
    lake.copy_to_parquet(con, f"select {columns} from new_rows", root, relative)
    con.unregister("new_rows")
    return state.with_files(table, (*state.files.get(table, ()), relative))


def merge_staged(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    state: lake.LakeState,
    table_name: str,
    staged: list[str],
    load_id: int,
) -> lake.LakeState:
    """Upsert the staged rows into `table_name`: rewrite only the files whose rows change."""
    table = contract.TABLES[table_name]
    schema = lake.table_schema(table_name)
    key_match = " and ".join(
        f"old.{k} = new.{k}" if table.column(k).required else f"old.{k} is not distinct from new.{k}" for k in table.key
    )
    key_list = ", ".join(table.key)
    cast_columns = ", ".join(f"cast({c} as {t}) as {c}" for c, t in schema.items())
    staged_list = ", ".join("'" + p + "'" for p in staged)  # paths generated by this module
    source = f"select {cast_columns} from read_parquet([{staged_list}], union_by_name = true)"
    ((files,),) = con.sql(f"select count(distinct _seq) from read_parquet([{staged_list}])").fetchall()
    if files <= 1 and all(table.column(k).required for k in table.key):
        # The accepted rows of one file have distinct keys (the validator quarantines repeated and
        # missing ones): there is nothing to choose between, so the staged files are read in place.
        con.sql(f"create or replace temp view staged as {source}")
    else:
        # Within one call, a later file's row wins over an earlier file's row with the same key.
        con.sql(
            f"create or replace temp table staged as {source} "
            f"qualify row_number() over (partition by {key_list} order by _seq desc) = 1"
        )
    keep_old = f"select * from {table_name} old where not exists (select 1 from staged new where {key_match})"
    columns = ", ".join(schema)
    partition = table.partition_by
    if partition is None:
        relative = lake.part_path(table_name, load_id)
        lake.copy_to_parquet(
            con,
            f"select {columns} from ({keep_old}) union all select {columns} from staged",
            root,
            relative,
        )
        return state.with_files(table_name, (relative,))

    source = table.partition_source
    touched = {
        y
        for (y,) in con.sql(
            f"select distinct year({source}) from staged union "
            f"select distinct old.{partition} from {table_name} old semi join staged new on {key_match}"
        ).fetchall()
    }
    kept = [p for p in state.files.get(table_name, ()) if lake.partition_of(p, partition) not in touched]
    for year in sorted(touched):
        relative = lake.part_path(table_name, load_id, partition=year)
        lake.copy_to_parquet(
            con,
            f"select {columns} from ({keep_old}) where {partition} = $year "
            f"union all select {columns} from staged where year({source}) = $year "
            f"order by unit_code, {source}",
            root,
            relative,
            params={"year": year},
        )
        kept.append(relative)
    return state.with_files(table_name, tuple(kept))


# ------------------------------------------------------------------------------------------------
# Reference tables: committed CSVs under data/reference/, and the units of both eras
# ------------------------------------------------------------------------------------------------
def ensure_reference_tables(root: Path, state: lake.LakeState, load_id: int) -> lake.LakeState:
    """(Re)write reference tables whose committed file changed, and seed `units` on first use."""
    con = duckdb.connect(config={"file_search_path": str(root)})
    try:
        for table in contract.TABLES.values():
            if table.reference_file is None:
                continue
            source = REFERENCE_DIR / table.reference_file
            sha = sha256_of(source)
            if state.reference_sha256.get(table.reference_file) == sha and table.name in state.files:
                continue
            frame = read_reference(table, source)
            state = _write_whole(con, root, state, table.name, frame, load_id)
            state = lake.LakeState(
                load_id=state.load_id,
                files=state.files,
                reference_sha256={**state.reference_sha256, table.reference_file: sha},
                is_demo=state.is_demo,
            )
        if "units" not in state.files:
            state = _write_whole(con, root, state, "units", reference_units(), load_id)
    finally:
        con.close()
    return state


def read_reference(table: contract.Table, source: Path) -> pl.DataFrame:
    """A committed reference CSV through the same reader and parser as exports; any issue is a bug."""
    raw = read_file(source)
    header_map = map_headers([c for c in raw.columns if c != ROW], table)
    raw = raw.select(ROW, *header_map.rename).rename(header_map.rename)
    typed, issues = parse_frame(raw, table)
    if header_map.missing_required or issues.height:
        raise ValueError(f"{source}: reference data does not match the contract: {issues.head(5)}")
    return typed.drop(ROW)


def _write_whole(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    state: lake.LakeState,
    table_name: str,
    frame: pl.DataFrame,
    load_id: int,
) -> lake.LakeState:
    relative = lake.part_path(table_name, load_id)
    schema = lake.table_schema(table_name)
    con.register("reference_rows", frame.to_arrow())
    columns = ", ".join(f"cast({c} as {t}) as {c}" for c, t in schema.items())
    lake.copy_to_parquet(con, f"select {columns} from reference_rows", root, relative)
    con.unregister("reference_rows")
    return state.with_files(table_name, (relative,))
