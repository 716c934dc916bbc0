"""Which unit a code names: read by the row's date, in one place (docs/units.md, "A code names a unit on
a date").

Vietnam's unit codes were reused by the 1 July 2025 reform: province 52 was Bình Định before and is Gia
Lai from then; commune 00004 was Phường Trúc Bạch and is the new Phường Ba Đình. So a code is read
together with the row's date (the received date of a dossier or petition, the year of a survey, a PAR
assessment or a target, the publication date of a catalogue), against the `units` table's validity
rows:

1. A code is first read at its own length: 2 digits a province, 3 a district, 5 a commune,
   `<province>.<SHORT>` a department. When the unit it names at that length is valid on the row's date,
   that is the row's unit.
2. When the code names a unit at its own length, but not on that date (a district in 2026, province
   64 after 1 July 2025), the row is quarantined `unit_not_valid_on_date`; the detail names the unit
   the code named and its successor from the crosswalk. Such a row is never counted.
3. A code shorter than its level (Excel dropped the leading zeros: `1`, `9`, `21`), or one that names
   no unit at its own length, is read at the other lengths (zeros stripped, then padded to 2, 3 and
   5 digits). It is resolved when exactly one of those units is valid on the date and, when the file
   has a unit-name column, that unit's name matches the row's name. Several candidates, or a name that
   contradicts the only one, quarantine the row `ambiguous_unit`, naming the candidates.
4. A code that names no unit at any length is `unknown_unit`.

A column may be limited to a level (`Column.unit_level`: the province of a catalogue or of PAPI):
then only units of that level are candidates. A period (a year) matches a unit valid on any day of it;
when the code named two units in the period (52 in 2025), the one in force at the period's end is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from etl.contract import fold_text

LEVEL_OF_WIDTH = {2: "province", 3: "district", 5: "commune"}
WIDTHS = tuple(LEVEL_OF_WIDTH)
DEPARTMENT_CODE = re.compile(r"^(?P<province>\d{1,2})\.(?P<short>[^\W\d_][\w\-]*)$")
MAX_NAMED = 5  # candidates or successors named in a detail, then "and N more"

# Words in front of a unit's name in exports ("UBND phường Ba Đình", "TP. Thủ Đức"), folded: dropped
# before names are compared, so a name matches with or without them.
_NAME_PREFIXES = (
    "uy ban nhan dan",
    "ubnd",
    "bo phan mot cua",
    "bo phan tiep nhan va tra ket qua",
    "trung tam phuc vu hanh chinh cong",
    "thanh pho",
    "tp.",
    "tp",
    "tinh",
    "quan",
    "huyen",
    "thi xa",
    "tx.",
    "tx",
    "thi tran",
    "tt.",
    "phuong",
    "p.",
    "xa",
    "dac khu",
)
_PUNCTUATION = re.compile(r"[.,;:()\-–]+")


def name_key(name: str | None) -> str | None:
    """A unit name folded for comparison: case, diacritics, administrative prefixes and punctuation
    ignored ('UBND Phường Ba Đình' and 'ba dinh' give 'ba dinh'; 'Quận 1' gives '1')."""
    if name is None:
        return None
    text = fold_text(name)
    changed = True
    while changed:
        changed = False
        for prefix in _NAME_PREFIXES:
            if text.startswith(prefix + " ") or (prefix.endswith(".") and text.startswith(prefix)):
                text = text[len(prefix) :].strip()
                changed = True
    text = " ".join(_PUNCTUATION.sub(" ", text).split())
    return text or None


def normalise_code(text: str) -> str:
    """A code as written, trimmed; a department code with its province zero-padded and its short code
    upper-cased (`1.stp` -> `01.STP`). Digit codes keep their length: their length is their level."""
    text = text.strip()
    department = DEPARTMENT_CODE.match(text)
    if department:
        return f"{int(department['province']):02d}.{department['short'].upper()}"
    return text


def other_lengths(code: str) -> list[str]:
    """The codes a digit code may be once its leading zeros are restored: `1` -> 01, 001, 00001;
    `052` -> 52, 00052 (its own length excluded)."""
    if not code.isdigit():
        return []
    digits = code.lstrip("0") or "0"
    return [digits.zfill(width) for width in WIDTHS if width >= len(digits) and digits.zfill(width) != code]


@dataclass(frozen=True)
class UnitDirectory:
    """The units of every era and their successors, as the lake holds them when a load starts."""

    units: pl.DataFrame  # unit_code, unit_name, short_name, level, valid_from, valid_to
    crosswalk: pl.DataFrame  # old_code, new_code, new_level, new_name, effective

    @classmethod
    def build(cls, units: pl.DataFrame, crosswalk: pl.DataFrame | None = None) -> UnitDirectory:
        keyed = units.select(
            "unit_code",
            pl.col("name").alias("unit_name"),
            pl.col("short_name").fill_null(pl.col("name")),
            "level",
            pl.col("valid_from").cast(pl.Date),
            pl.col("valid_to").cast(pl.Date),
        )
        if crosswalk is None or crosswalk.is_empty():
            crosswalk = pl.DataFrame(
                schema={
                    "old_code": pl.String,
                    "new_code": pl.String,
                    "new_level": pl.String,
                    "new_name": pl.String,
                    "effective": pl.Date,
                }
            )
        else:
            crosswalk = crosswalk.select(
                "old_code",
                "new_code",
                pl.col("new_level") if "new_level" in crosswalk.columns else pl.lit(None, pl.String).alias("new_level"),
                "new_name",
                pl.col("effective").cast(pl.Date),
            )
        return cls(units=keyed, crosswalk=crosswalk)


@dataclass(frozen=True)
class Resolution:
    """Per input row: the code of the unit it names (null when unresolved), and for an unresolved
    non-empty code the reason (`unit_not_valid_on_date`, `ambiguous_unit`, `unknown_unit`) and a detail
    in words."""

    codes: pl.Series
    reasons: pl.Series
    details: pl.Series


def resolve(
    codes: pl.Series,
    period_start: pl.Series,
    period_end: pl.Series,
    directory: UnitDirectory,
    *,
    names: pl.Series | None = None,
    level: str | None = None,
) -> Resolution:
    """Read each code on its row's period [period_start, period_end] (a day: both the same date).

    `names` is the file's unit-name column (when it has one); `level` limits the candidates to one
    level. A row whose code or period is empty is left unresolved without a reason: the required-value
    rule reports it.
    """
    rows = pl.DataFrame(
        {
            "code": codes.cast(pl.String),
            "start": period_start.cast(pl.Date),
            "end": period_end.cast(pl.Date),
            "name": names.cast(pl.String)
            if names is not None
            else pl.repeat(None, len(codes), dtype=pl.String, eager=True),
        }
    ).with_columns(pl.col("code").str.strip_chars())
    keys = rows.unique(maintain_order=True).filter(pl.col("code").is_not_null() & (pl.col("code") != ""))
    keys = keys.filter(pl.col("start").is_not_null())
    decided = _decide(keys, directory, level)
    out = rows.join(decided, on=["code", "start", "end", "name"], how="left", nulls_equal=True, maintain_order="left")
    # a row without a period keeps its code: the rule on its empty or bad date quarantines it
    out = out.with_columns(pl.when(pl.col("reason").is_null()).then(pl.coalesce("resolved", "code")).alias("resolved"))
    return Resolution(
        codes=out["resolved"].rename("unit_code"),
        reasons=out["reason"].rename("reason"),
        details=out["detail"].rename("detail"),
    )


def _candidates(texts: list[str], units: pl.DataFrame, level: str | None) -> pl.DataFrame:
    """(code as written, candidate code, is its own length) for every unique code text."""
    rows = []
    for text in texts:
        own = normalise_code(text)
        rows.append((text, own, True))
        rows.extend((text, other, False) for other in other_lengths(own))
    frame = pl.DataFrame(rows, schema={"code": pl.String, "candidate": pl.String, "own": pl.Boolean}, orient="row")
    if level is not None:
        units = units.filter(pl.col("level") == level)
    found = frame.join(units, left_on="candidate", right_on="unit_code", how="inner")
    # names are folded for the few candidate units only, not the whole list
    return found.with_columns(
        pl.col("unit_name").map_elements(name_key, return_dtype=pl.String).alias("name_key"),
        pl.col("short_name").map_elements(name_key, return_dtype=pl.String).alias("short_key"),
    )


def _decide(keys: pl.DataFrame, directory: UnitDirectory, level: str | None) -> pl.DataFrame:
    """One decision per unique (code, period, name): resolved code, reason, detail. Vectorised: a file
    has few codes but many dates, so only the details of quarantined codes are written one by one."""
    key = ["code", "start", "end", "name"]
    out_schema = {"code": pl.String, "start": pl.Date, "end": pl.Date, "name": pl.String,
                  "resolved": pl.String, "reason": pl.String, "detail": pl.String}  # fmt: skip
    if keys.is_empty():
        return pl.DataFrame(schema=out_schema)
    candidates = _candidates(keys["code"].unique().to_list(), directory.units, level)
    joined = keys.with_columns(pl.col("name").map_elements(name_key, return_dtype=pl.String).alias("row_key")).join(
        candidates, on="code", how="inner"
    )
    joined = joined.with_columns(
        (
            (pl.col("valid_from") <= pl.col("end"))
            & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= pl.col("start")))
        )
        .fill_null(False)
        .alias("valid"),
        (
            pl.col("row_key").is_null()
            | (pl.col("row_key") == pl.col("name_key"))
            | (pl.col("row_key") == pl.col("short_key"))
        ).alias("name_fits"),
    )
    # 1. the code at its own length names a unit valid in the period (the latest one in it)
    own_valid = (
        joined.filter(pl.col("own") & pl.col("valid"))
        .sort("valid_from", descending=True)
        .unique(key, keep="first", maintain_order=True)
        .select(*key, pl.col("candidate").alias("resolved"))
    )
    # 2. ... or names a unit at its own length, on other dates
    has_own = joined.filter(pl.col("own")).select(key).unique()
    # 3. the other lengths: units valid in the period, and those whose name fits the row's
    labelled = pl.concat_str(["candidate", "unit_name"], separator=" ")
    others = (
        joined.filter(~pl.col("own"))
        .group_by(key)
        .agg(
            pl.col("candidate").filter(pl.col("valid")).n_unique().alias("n_valid"),
            pl.col("candidate").filter(pl.col("valid") & pl.col("name_fits")).unique().alias("fitting"),
            labelled.filter(pl.col("valid")).unique().sort().alias("valid_named"),
            labelled.filter(pl.col("valid") & pl.col("name_fits")).unique().sort().alias("fitting_named"),
        )
    )
    decided = (
        keys.join(own_valid, on=key, how="left", nulls_equal=True)
        .join(has_own.with_columns(pl.lit(True).alias("has_own")), on=key, how="left", nulls_equal=True)
        .join(others, on=key, how="left", nulls_equal=True)
        .with_columns(
            pl.when(pl.col("resolved").is_not_null())
            .then(pl.col("resolved"))
            .when(pl.col("has_own").is_null() & (pl.col("fitting").list.len() == 1))
            .then(pl.col("fitting").list.first())
            .alias("resolved")
        )
        .with_columns(
            pl.when(pl.col("resolved").is_not_null())
            .then(None)
            .when(pl.col("has_own").fill_null(False))
            .then(pl.lit("unit_not_valid_on_date"))
            .when(pl.col("n_valid").fill_null(0) > 0)
            .then(pl.lit("ambiguous_unit"))
            .when(pl.col("n_valid").is_not_null())
            .then(pl.lit("unit_not_valid_on_date"))
            .otherwise(pl.lit("unknown_unit"))
            .alias("reason")
        )
    )
    return _with_details(decided, joined, directory).select(out_schema.keys())


def _with_details(decided: pl.DataFrame, joined: pl.DataFrame, directory: UnitDirectory) -> pl.DataFrame:
    """The detail of each quarantined decision, written once per distinct case (a code, a name and the
    candidates it had), so a file of many dates costs a few sentences."""
    to_explain = decided.filter(pl.col("reason").is_in(["unit_not_valid_on_date", "ambiguous_unit"]))
    if to_explain.is_empty():
        return decided.with_columns(pl.lit(None, pl.String).alias("detail"))
    case = ["code", "name", "reason", "has_own", "valid_named", "fitting_named"]
    details = []
    for code, name, reason, has_own, valid_named, fitting_named in to_explain.select(case).unique().iter_rows():
        if reason == "unit_not_valid_on_date":
            rows = joined.filter((pl.col("code") == code) & (pl.col("own") == bool(has_own)))
            text = _not_valid_detail(rows.unique(["candidate", "valid_from"]), directory)
        elif fitting_named:
            text = f"code {code} may be {_listed(fitting_named)}" + ("" if name is None else f" (name '{name}')")
        else:
            text = f"the name '{name}' fits none of the units code {code} may be: {_listed(valid_named or [])}"
        details.append((code, name, reason, has_own, valid_named, fitting_named, text))
    explained = pl.DataFrame(
        details, schema={**{c: to_explain.schema[c] for c in case}, "detail": pl.String}, orient="row"
    )
    return decided.join(explained, on=case, how="left", nulls_equal=True, maintain_order="left")


def _listed(named: list[str]) -> str:
    shown = ", ".join(named[:MAX_NAMED])
    return shown if len(named) <= MAX_NAMED else f"{shown} and {len(named) - MAX_NAMED} more"


def _not_valid_detail(rows: pl.DataFrame, directory: UnitDirectory) -> str:
    """'001 named Quận Ba Đình from 01/01/2000 until 30/06/2025; its successor: 01 Thành phố Hà Nội, …'
    (the row's own date is in the quarantined record)."""
    parts = []
    for unit in rows.sort("valid_from").iter_rows(named=True):
        until = "" if unit["valid_to"] is None else f" until {_day(unit['valid_to'])}"
        parts.append(f"{unit['candidate']} named {unit['unit_name']} from {_day(unit['valid_from'])}{until}")
    text = "; ".join(parts)
    last = rows.sort("valid_from").tail(1).row(0, named=True)
    if last["valid_to"] is not None:
        successors = _successors(last["candidate"], last["valid_to"], directory)
        if successors:
            text += f"; its successor: {successors}"
    return text


def _successors(code: str, valid_to: date, directory: UnitDirectory) -> str | None:
    """The units a code's territory went to on the day after it ended: a district's province first,
    then the units of its own level."""
    effective = valid_to + timedelta(days=1)
    rows = directory.crosswalk.filter((pl.col("old_code") == code) & (pl.col("effective") == effective))
    if rows.is_empty():
        return None
    order = {"province": 0, "department": 1, "commune": 2}
    rows = rows.with_columns(pl.col("new_level").replace_strict(order, default=3).alias("_order")).sort(
        "_order", "new_code"
    )
    pairs = [f"{c} {n}" for c, n in zip(rows["new_code"], rows["new_name"], strict=True)]
    shown = ", ".join(pairs[:MAX_NAMED])
    return shown if len(pairs) <= MAX_NAMED else f"{shown} and {len(pairs) - MAX_NAMED} more"


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")
