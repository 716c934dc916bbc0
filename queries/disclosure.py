"""Disclosure control: which cells of a query's result a caller may see (docs/security.md, "Disclosure
control"). The query runner applies it to every result (`queries.run`), so the pages, every table, the
tables' own CSV export, the app's downloads and the command line get the same cells.

A query declares its rules in its header, `-- disclosure:`, as clauses separated by `;`:

    counts a, b              count columns: in the public mode a count from 1 to min_count − 1 is hidden
    x, y from a, b           x and y are hidden whenever the rules hide a or b (a rate, a percentile, an
                             interval of them; a column may follow one it gives back, `a from x`)
    x share of d             x is a fraction of the count d whose numerator is not a column: hidden with d,
                             and, in the public mode, when x × d (the numerator) or (1 − x) × d (the
                             rest) is a count to hide
    sum t = a + b            within a row, t = a + b: a hidden cell is never the only hidden one of t, a, b
    group a, b by k [least w]  across the rows sharing k, the cells of column a (and of b, each on its own)
                             are bound by one equation whose other terms are shown (a total in this table
                             or in another one): a hidden cell is never the only hidden one of its group.
                             A key `parent(unit_code)` is the unit's parent in the published `units` table
                             (a district's province, a commune's district): the units whose figures add
                             up to their parent's, shown in the same query at the parent's level
    paths p                  in the public mode, a server path keeps only its file name
    hashes h                 in the public mode, emptied (a file's hash)
    texts m                  in the public mode, paths inside the text keep only their file names
    x, y with q.c on k [over p = v1, v2] [where i = w[:f]]
                             in the public mode, x and y are hidden where the catalogue query q, run in the
                             public mode with this query's parameters that q takes, hides its column c (a
                             cell c empty after the rules, shown before them) in a row with the same keys k.
                             `over p = v1, v2`: q is run once per value of its parameter p, and every run
                             counts. `where i = w`: only rows whose column i reads w, or `w:<v>` (then q
                             runs with its parameter f = v). For figures that show, without their counts, a
                             value another query hides: a unit's rate beside its target, the points
                             lost of a hidden 766 metric

A hidden cell is one the rules emptied (the threshold, or a rule of the relation's); a `group` leaves
out the cells empty before the rules (no data: not a term of the total). The complementary rule (`sum`,
`group`) runs in every mode: when exactly one cell of a relation is hidden, the shown cell of the
relation with the smallest value (or the smallest `least` column) is hidden too, and the rules run again
until no relation has a single hidden cell. In the public mode a relation of counts is also completed
when its total is shown and its hidden cells are all counts below the threshold adding up to the least
or the most they can (two hidden cells adding up to 2 are both 1; to 4, with a threshold of 3, both 2).
That stops differencing: the hidden cell is no longer the total minus the cells shown. The count
threshold, paths, hashes, texts and `with` apply
in the public mode only. (SIPAS shares are suppressed, with what would give them back, in the query
itself, because targets_gap reads the same building block: queries/models/sipas_estimates.sql.)

    rules = parse_rules("counts received; on_time_rate from received", columns)
    protected = protect(frame, rules, public=True, min_count=3, parents=lambda: unit_parents)

The threshold is `CCHC_PUBLIC_MIN_COUNT` (default 3; a whole number of at least 1).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

ENV_MIN_COUNT = "CCHC_PUBLIC_MIN_COUNT"
DEFAULT_MIN_COUNT = 3
MAX_ROUNDS = 50  # each round hides at least one more cell; a table has far fewer relations
_ROW = "__disclosure_row"
_ORIGINAL = "__disclosure_original"  # a cell's value before the rules
# a folder part of a POSIX or Windows path, e.g. "/srv/exports/" or "D:\\du lieu\\"
_PARENT = re.compile(r"parent\((\w+)\)")  # a group key: the parent unit of the unit in that column
_FOLDERS = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\\/\s:;,'\"|()]+)+[\\/]")


@dataclass(frozen=True)
class Group:
    """Cells of `column` across the rows sharing the `by` columns, bound by one equation."""

    column: str
    by: tuple[str, ...]
    least: str | None = None  # the complement is the shown cell with the smallest value of this column


@dataclass(frozen=True)
class Lookup:
    """`columns` hidden where query `query` hides its `column` in a row with the same `on` keys."""

    columns: tuple[str, ...]
    query: str
    column: str
    on: tuple[str, ...]
    over: tuple[str, tuple[str, ...]] | None = None  # (parameter of `query`, the values it is run with)
    where: tuple[str, str, str | None] | None = None  # (column, value, parameter the `:` suffix binds)


# the source of a lookup: (query, parameters) -> its result before and after disclosure control
Sources = Callable[[str, dict[str, Any]], tuple[pl.DataFrame, pl.DataFrame]]
_LOOKUP = re.compile(
    r"(?P<columns>.+?) with (?P<query>\w+)\.(?P<column>\w+) on (?P<on>.+?)"
    r"(?: over (?P<param>\w+) = (?P<values>.+?))?"
    r"(?: where (?P<where>\w+) = (?P<value>\w+)(?:\[:(?P<suffix>\w+)\])?)?"
)


@dataclass(frozen=True)
class Rules:
    counts: tuple[str, ...] = ()
    follows: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (column, the columns it is hidden with)
    shares: tuple[tuple[str, str], ...] = ()  # (fraction column, its denominator's count column)
    sums: tuple[tuple[str, ...], ...] = ()  # (total, part, part, ...) within a row
    groups: tuple[Group, ...] = ()
    paths: tuple[str, ...] = ()
    hashes: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    lookups: tuple[Lookup, ...] = ()

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


def _names(text: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    if not names:
        raise ValueError("a clause names no column")
    return names


def parse_rules(text: str | None, columns: tuple[str, ...] | list[str]) -> Rules:
    """The rules of a `disclosure:` header value; ValueError naming the clause when one is malformed or
    names a column the query does not return."""
    fields: dict[str, list[Any]] = {name: [] for name in Rules.__dataclass_fields__}
    for raw in (text or "").split(";"):
        clause = " ".join(raw.split())
        if not clause:
            continue
        word, _, rest = clause.partition(" ")
        try:
            if word in ("counts", "paths", "hashes", "texts"):
                fields[word].extend(_names(rest))
            elif word == "sum":
                total, eq, parts = rest.partition("=")
                terms = (total.strip(), *(p.strip() for p in parts.split("+")))
                if not eq or len(terms) < 3 or not all(terms):
                    raise ValueError("expected 'sum t = a + b'")
                fields["sums"].append(terms)
            elif word == "group":
                match = re.fullmatch(r"(.+?) by (.+?)(?: least (\S+))?", rest)
                if match is None:
                    raise ValueError("expected 'group a by k [least w]'")
                for column in _names(match.group(1)):
                    fields["groups"].append(Group(column, _names(match.group(2)), match.group(3)))
            elif " with " in clause:
                match = _LOOKUP.fullmatch(clause)
                if match is None:
                    raise ValueError("expected 'x with q.c on k [over p = v, w] [where i = w[:f]]'")
                over = (match["param"], _names(match["values"])) if match["param"] else None
                where = (match["where"], match["value"], match["suffix"]) if match["where"] else None
                fields["lookups"].append(
                    Lookup(_names(match["columns"]), match["query"], match["column"], _names(match["on"]), over, where)
                )
            elif " share of " in clause:
                target, _, denominator = clause.partition(" share of ")
                fields["shares"].append((target.strip(), denominator.strip()))
                fields["follows"].append((target.strip(), (denominator.strip(),)))
            elif " from " in clause:
                targets, _, sources = clause.partition(" from ")
                fields["follows"].extend((t, _names(sources)) for t in _names(targets))
            else:
                raise ValueError("unknown clause")
        except ValueError as error:
            raise ValueError(f"disclosure clause {clause!r}: {error}") from None
    rules = Rules(**{name: tuple(values) for name, values in fields.items()})
    named = set(rules.counts) | set(rules.paths) | set(rules.hashes) | set(rules.texts)
    for target, sources in rules.follows:
        named |= {target, *sources}
    for terms in rules.sums:
        named |= set(terms)
    for group in rules.groups:
        keys = [m.group(1) if (m := _PARENT.fullmatch(k)) else k for k in group.by]
        named |= {group.column, *keys, *([group.least] if group.least else [])}
    for lookup in rules.lookups:
        named |= {*lookup.columns, *lookup.on, *([lookup.where[0]] if lookup.where else [])}
    unknown = sorted(named - set(columns))
    if unknown:
        raise ValueError(f"disclosure names columns the query does not return: {', '.join(unknown)}")
    return rules


def min_count() -> int:
    """The public mode's threshold: CCHC_PUBLIC_MIN_COUNT, default 3; ValueError when it is not a whole
    number of at least 1."""
    raw = (os.environ.get(ENV_MIN_COUNT) or "").strip()
    if not raw:
        return DEFAULT_MIN_COUNT
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{ENV_MIN_COUNT}={raw!r} is not a whole number of at least 1")
    return int(raw)


# --------------------------------------------------------------------------------------------------
# Applying the rules
# --------------------------------------------------------------------------------------------------
def _hide(column: str, when: pl.Expr) -> pl.Expr:
    return pl.when(when).then(None).otherwise(pl.col(column)).alias(column)


def _small(value: pl.Expr, threshold: int) -> pl.Expr:
    return (value >= 1) & (value < threshold)


def _public(frame: pl.DataFrame, rules: Rules, threshold: int) -> pl.DataFrame:
    exprs = [_hide(c, _small(pl.col(c), threshold)) for c in rules.counts]
    exprs += [
        _hide(
            x,
            _small((pl.col(x) * pl.col(d)).round(0), threshold)
            | _small(((1 - pl.col(x)) * pl.col(d)).round(0), threshold),
        )
        for x, d in rules.shares
    ]
    exprs += [pl.col(c).cast(pl.String).str.extract(r"([^\\/]*)$", 1).alias(c) for c in rules.paths]
    exprs += [pl.lit(None, frame.schema[c]).alias(c) for c in rules.hashes]
    for text in rules.texts:
        cleaned = pl.col(text).cast(pl.String)
        for path in rules.paths:  # the row's own path first: it may hold spaces the pattern stops at
            folder = pl.col(path).cast(pl.String).str.extract(r"^(.*[\\/])", 1)
            cleaned = pl.when(folder.is_not_null()).then(cleaned.str.split(folder).list.join("")).otherwise(cleaned)
        exprs.append(cleaned.str.replace_all(_FOLDERS.pattern, "").alias(text))
    return frame.with_columns(exprs) if exprs else frame


def _follow(frame: pl.DataFrame, rules: Rules, original: pl.DataFrame) -> pl.DataFrame:
    """Hide a cell whose source the rules emptied (a source empty before the rules has no data: a rate of
    0 of 0 leaves its count shown)."""
    sources_of: dict[str, list[str]] = {}  # a column may follow several clauses (`share of`, `from`)
    for target, sources in rules.follows:
        sources_of.setdefault(target, []).extend(sources)
    emptied = {s: pl.col(s).is_null() & pl.lit(original.get_column(s)).is_not_null() for s in original.columns}
    exprs = [_hide(t, pl.any_horizontal([emptied[s] for s in sources])) for t, sources in sources_of.items()]
    return frame.with_columns(exprs) if exprs else frame


def _complete_sums(frame: pl.DataFrame, rules: Rules, original: pl.DataFrame, threshold: int | None) -> pl.DataFrame:
    """Within a row: where exactly one term of a sum is hidden, or (`threshold` given, the public mode)
    the total is shown and the parts hidden are counts below the threshold pinned by their sum (two
    parts adding up to 4 are both 2), hide the shown term with the smallest value (the first of equals).
    `original`: the frame before the rules, row for row."""
    for terms in rules.sums:
        hidden = pl.sum_horizontal([pl.col(c).is_null().cast(pl.Int32) for c in terms])
        exposed = hidden == 1
        if threshold is not None:
            was = {c: pl.lit(original.get_column(c)) for c in terms[1:]}
            parts = [pl.col(c).is_null() for c in terms[1:]]
            count = pl.sum_horizontal([p.cast(pl.Int32) for p in parts])
            small = pl.sum_horizontal(
                [
                    (p & _small(was[c], threshold).fill_null(False)).cast(pl.Int32)
                    for c, p in zip(terms[1:], parts, strict=True)
                ]
            )
            total = pl.sum_horizontal(
                [pl.when(p).then(was[c]).otherwise(0) for c, p in zip(terms[1:], parts, strict=True)]
            )
            pinned = (total == count) | (total == count * (threshold - 1))
            exposed = exposed | (pl.col(terms[0]).is_not_null() & (count >= 2) & (small == count) & pinned)
        least = pl.min_horizontal([pl.col(c) for c in terms])
        exprs = []
        for i, column in enumerate(terms):
            pick = exposed & pl.col(column).is_not_null() & (pl.col(column) == least)
            for earlier in terms[:i]:
                pick = pick & ~(pl.col(earlier).is_not_null() & (pl.col(earlier) == least)).fill_null(False)
            exprs.append(_hide(column, pick.fill_null(False)))
        frame = frame.with_columns(exprs)
    return frame


def _with_keys(frame: pl.DataFrame, group: Group, parents: Callable[[], pl.DataFrame] | None) -> pl.DataFrame:
    """`frame` with a row number and, for each `parent(column)` key, a column holding that parent."""
    out = frame.with_row_index(_ROW)
    for key in group.by:
        match = _PARENT.fullmatch(key)
        if match is None or key in out.columns:
            continue
        if parents is None:
            raise ValueError(f"disclosure key {key}: no unit table to read parents from")
        lookup = (
            parents()
            .select(pl.col("unit_code").alias(match.group(1)), pl.col("parent_code").alias(key))
            .unique(match.group(1), keep="last")
        )
        out = out.join(lookup, on=match.group(1), how="left").sort(_ROW)
    return out


def _pinned(column: str, by: tuple[str, ...], threshold: int) -> pl.Expr:
    """In the group of rows sharing `by`: two hidden cells or more, all counts below the threshold
    (their values before the rules in `_ORIGINAL`; a count column), adding up to their least or most possible sum, so
    that the total minus the cells shown gives each of them (two adding up to 2 are both 1)."""
    hidden = pl.col(column).is_null() & pl.col(_ORIGINAL).is_not_null()
    small = hidden & _small(pl.col(_ORIGINAL), threshold).fill_null(False)
    count = hidden.sum().over(by)
    total = pl.when(hidden).then(pl.col(_ORIGINAL)).otherwise(0).sum().over(by)
    return (count >= 2) & (small.sum().over(by) == count) & ((total == count) | (total == count * (threshold - 1)))


def _complete_groups(
    frame: pl.DataFrame,
    rules: Rules,
    parents: Callable[[], pl.DataFrame] | None,
    original: pl.DataFrame,
    threshold: int | None,
) -> pl.DataFrame:
    """Across rows: in a group with exactly one hidden cell of a column, or (`threshold` given, the
    public mode) with hidden counts pinned by their sum (`_pinned`), hide the shown cell with the
    smallest weight (the `least` column, else the cell itself; the first row of equals). `original`:
    the frame before the rules, row for row."""
    for group in rules.groups:
        if frame.get_column(group.column).null_count() == 0:
            continue  # nothing hidden: nothing to complete
        keyed = _with_keys(frame.with_columns(original.get_column(group.column).alias(_ORIGINAL)), group, parents)
        # a cell empty before the rules has no data: it is not a term of the total (the 766 total leaves
        # a metric without data out), so only the cells the rules emptied count as hidden
        emptied = pl.col(group.column).is_null() & pl.col(_ORIGINAL).is_not_null()
        exposed = emptied.sum().over(group.by) == 1
        if threshold is not None and group.column in rules.counts:
            exposed = exposed | _pinned(group.column, group.by, threshold)
        candidates = keyed.filter(exposed & pl.col(group.column).is_not_null())
        if candidates.is_empty():
            continue
        picked = (
            candidates.sort([group.least or group.column, _ROW], nulls_last=True)
            .group_by(group.by, maintain_order=True)
            .agg(pl.col(_ROW).first())
            .get_column(_ROW)
        )
        hidden = keyed.with_columns(_hide(group.column, pl.col(_ROW).is_in(picked.implode())))
        frame = hidden.select(frame.columns)
    return frame


def _hidden_keys(raw: pl.DataFrame, protected: pl.DataFrame, column: str, on: tuple[str, ...]) -> pl.DataFrame:
    """The distinct `on` keys of the rows whose `column` disclosure control emptied (shown in `raw`)."""
    emptied = raw.get_column(column).is_not_null() & protected.get_column(column).is_null()
    return protected.filter(emptied).select(on).unique()


def _look_up(frame: pl.DataFrame, rules: Rules, sources: Sources | None) -> pl.DataFrame:
    """Hide the cells of every `with` clause whose source query hides the cell it names."""
    for lookup in rules.lookups:
        if sources is None:
            raise ValueError(f"disclosure clause on {lookup.query}.{lookup.column}: no query runner to read it")
        keyed = frame.with_row_index(_ROW)
        runs: list[tuple[pl.Expr, dict[str, Any]]] = []  # (the rows, the source's extra parameters)
        if lookup.where is None:
            runs.append((pl.lit(True), {}))
        else:
            column, value, suffix = lookup.where
            text = pl.col(column).cast(pl.String)
            runs.append((text == value, {}))
            if suffix is not None:
                prefix = f"{value}:"
                for variant in keyed.filter(text.str.starts_with(prefix)).get_column(column).unique().sort():
                    runs.append((text == variant, {suffix: variant[len(prefix) :]}))
        picked: list[pl.Series] = []
        for rows, extra in runs:
            candidates = keyed.filter(rows.fill_null(False))
            if candidates.is_empty():
                continue
            for over in lookup.over[1] if lookup.over else (None,):
                params = extra if over is None else {**extra, lookup.over[0]: over}
                raw, protected = sources(lookup.query, params)
                hidden = _hidden_keys(raw, protected, lookup.column, lookup.on)
                picked.append(candidates.join(hidden, on=list(lookup.on), how="semi").get_column(_ROW))
        if picked:
            rows_hidden = pl.concat(picked).implode()
            frame = keyed.with_columns([_hide(c, pl.col(_ROW).is_in(rows_hidden)) for c in lookup.columns]).drop(_ROW)
    return frame


def protect(
    frame: pl.DataFrame,
    rules: Rules,
    *,
    public: bool,
    min_count: int = DEFAULT_MIN_COUNT,
    parents: Callable[[], pl.DataFrame] | None = None,
    sources: Sources | None = None,
) -> pl.DataFrame:
    """`frame` with the cells `rules` hide emptied (see the module docstring). `public`: the public
    mode (aggregates only), where counts below `min_count`, paths, hashes and texts' paths are hidden too,
    and what other queries hide (`with`). `parents`: returns the units' (unit_code, parent_code), read
    only when a `parent(...)` key is needed. `sources`: runs a catalogue query (name, parameters beyond
    this query's) and returns its result before and after disclosure control, for `with`."""
    if not rules or frame.is_empty():
        return frame
    original = frame
    if public:
        frame = _look_up(_public(frame, rules, min_count), rules, sources)
    for _ in range(MAX_ROUNDS):
        hidden_before = sum(frame.null_count().row(0))
        frame = _complete_sums(_follow(frame, rules, original), rules, original, min_count if public else None)
        frame = _complete_groups(frame, rules, parents, original, min_count if public else None)
        if sum(frame.null_count().row(0)) == hidden_before:
            return frame
    raise RuntimeError("disclosure control did not settle")  # not reached: every round hides a cell
