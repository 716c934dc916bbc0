"""The national public service portal's Decision 766 scores, as published: readers and unit matching.

Three shapes of file load into `published_766_scores` (kind `published_766`):

1. The portal's own response to `/api/v1/reporting/evaluation/service-results` (one list of the 34
   provinces): `data.evaluation[]` with `departmentName`, `departmentCode` (the portal's code, `H21`),
   `totalScore`, `scoreDelta` and `groupScores` {CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL}. The response does
   not say which period or day it is: the file name must, as the archives name them:
   `service-results_<year|quarter|month>-<year>[-<quarter or month>]_<yyyy-mm-dd>.json`
   (`service-results_year-2026_2026-09-17.json`).
2. Lists archived by crawlers: `metadata` (province, year, timeType, period, periodLabel, extractedAt),
   `overview` (the province's own score) and one or more lists of its units (`communes[]`, ...) with
   `childGroup`, `rank` (among all the province's units) and `groupRank` (among units of the same group),
   the online-services group keyed `ONLINE` instead of `CLGQ`.
3. A CSV/XLSX typed from the portal: unit name and total, the six groups, year, date, and for units
   below the province the province (headers in docs/data-contract.md, template in
   docs/templates/diem-766-cong-dvcqg.csv).

Row numbers of JSON records (quarantine, load log) are their position in their list, 1 for the first;
a province overview is row 0.

`prepare` then derives the period (from year and the period label) and matches every unit by name to the
units valid on `as_of` (etl/unit_names.py): a province among the provinces, a unit below it among that
province's communes, departments (and districts, before 1 July 2025). The portal's code stays beside the
NSO code. A name that matches nothing, or several units, is quarantined with the candidates, never guessed.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import polars as pl

from etl.contract import fold_text
from etl.unit_names import Resolved, UnitNames, issue, name_key

ROW = "__row__"
GROUP_COLUMNS = {
    "CKMB": "ckmb",
    "TDGQ": "tdgq",
    "CLGQ": "clgq",
    "ONLINE": "clgq",
    "TTTT": "tttt",
    "MDSH": "mdsh",
    "MDHL": "mdhl",
}
TEXT_COLUMNS = (
    "year", "period_label", "period_type", "as_of", "portal_code", "unit_name_published", "province_name_published",
    "listing", "total_score", "ckmb", "tdgq", "clgq", "tttt", "mdsh", "mdhl", "published_rank", "score_delta", "source",
)  # fmt: skip
_FILE_NAME = re.compile(
    r"(?P<type>year|quarter|month)-(?P<year>\d{4})(?:-(?P<period>\d{1,2}))?_(?P<date>\d{4}-\d{2}-\d{2})"
)
_VIETNAM = timezone(timedelta(hours=7))
SUB_UNIT_LEVELS = ("commune", "department", "district")
_PROVINCE_WORDS = {"tinh", "thanh pho", "tp"}


class PortalReadError(ValueError):
    """The JSON is not one of the portal's shapes, or does not say its period and date."""


def is_portal_json(path: Path) -> bool:
    return Path(path).suffix.lower() == ".json"


def _number_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PortalReadError(f"expected a number, got {value!r}")
    text = repr(float(value))
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(4, '0')}"  # "1.234" would read as 1234 (etl/parse.py)


def period_label(period_type: str, year: int, period: int | None) -> str:
    if period_type == "quarter":
        return f"Quý {period}/{year}"
    if period_type == "month":
        return f"Tháng {period}/{year}"
    return f"Năm {year}"


def _record(item: dict, row: int, common: dict, listing: str, province: str | None, path: Path) -> dict:
    groups = item.get("groupScores") or {}
    unknown = sorted(set(groups) - set(GROUP_COLUMNS))
    if unknown:
        raise PortalReadError(
            f"{path.name}: unknown score group(s) {', '.join(unknown)} "
            "(expected CKMB, TDGQ, CLGQ or ONLINE, TTTT, MDSH, MDHL)"
        )
    record = dict.fromkeys(TEXT_COLUMNS) | common
    record |= {
        "portal_code": item.get("departmentCode"),
        "unit_name_published": item.get("departmentName"),
        "province_name_published": province,
        "listing": listing,
        "total_score": _number_text(item.get("totalScore")),
        "published_rank": None if item.get("groupRank") is None else str(int(item["groupRank"])),
        "score_delta": _number_text(item.get("scoreDelta")),
        ROW: row,
    }
    for key, value in groups.items():
        record[GROUP_COLUMNS[key]] = _number_text(value)
    return record


def read_portal_json(path: Path) -> pl.DataFrame:
    """The records of a portal response or an archived list as `published_766_scores` text columns."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PortalReadError(f"{path.name}: not a JSON document ({error})") from None
    if not isinstance(document, dict):
        raise PortalReadError(f"{path.name}: expected a JSON object")
    source = path.name
    if isinstance(document.get("metadata"), dict):
        records = _archived_list(document, path, source)
    elif isinstance(document.get("data"), dict) and isinstance(document["data"].get("evaluation"), list):
        records = _service_results(document["data"], path, source)
    else:
        raise PortalReadError(f"{path.name}: neither the portal's service-results response nor an archived list")
    schema: dict[str, pl.DataType] = dict.fromkeys(TEXT_COLUMNS, pl.String) | {ROW: pl.Int64}
    return pl.DataFrame(records, schema=schema)


def _service_results(data: dict, path: Path, source: str) -> list[dict]:
    found = _FILE_NAME.search(path.name)
    if not found:
        raise PortalReadError(
            f"{path.name}: the portal's response does not say its period or date; name the file like "
            "service-results_year-2026_2026-09-17.json (or service-results_quarter-2026-3_2026-09-17.json)"
        )
    year = int(found.group("year"))
    period = int(found.group("period")) if found.group("period") else None
    common = {
        "year": str(year),
        "period_type": found.group("type"),
        "period_label": period_label(found.group("type"), year, period),
        "as_of": found.group("date"),
        "source": source,
    }
    return [_record(item, i + 1, common, "national_list", None, path) for i, item in enumerate(data["evaluation"])]


def _archived_list(document: dict, path: Path, source: str) -> list[dict]:
    meta = document["metadata"]
    try:
        year = int(meta["year"])
        period_type = str(meta.get("timeType") or "year").lower()
        extracted = datetime.fromisoformat(str(meta["extractedAt"]).replace("Z", "+00:00"))
    except (KeyError, TypeError, ValueError) as error:
        raise PortalReadError(f"{path.name}: metadata needs year, timeType and extractedAt ({error})") from None
    if extracted.tzinfo is None:
        extracted = extracted.replace(tzinfo=UTC)
    period = meta.get("period")
    common = {
        "year": str(year),
        "period_type": period_type,
        "period_label": meta.get("periodLabel") or period_label(period_type, year, int(period) if period else None),
        "as_of": extracted.astimezone(_VIETNAM).date().isoformat(),  # the portal's day, in Vietnam
        "source": f"{source} ({meta['sourceUrl']})" if meta.get("sourceUrl") else source,
    }
    province = meta.get("province") or (document.get("overview") or {}).get("departmentName")
    records = []
    if isinstance(document.get("overview"), dict):
        records.append(_record(document["overview"], 0, common, "province_overview", None, path))
    for key, items in document.items():
        if key in ("metadata", "overview") or not isinstance(items, list):
            continue
        units = [i for i in items if isinstance(i, dict) and "departmentName" in i and "totalScore" in i]
        records += [_record(item, n + 1, common, "province_list", province, path) for n, item in enumerate(units)]
    if not records:
        raise PortalReadError(f"{path.name}: no unit with departmentName and totalScore")
    return records


# ------------------------------------------------------------------------------------------------
# Period and units
# ------------------------------------------------------------------------------------------------
PERIOD_FORMS = "Năm <year> (or empty: the year), Quý 1–4, Tháng 1–12"
_QUARTER = re.compile(r"^(quy|q)\s*(\d)")
_MONTH = re.compile(r"^(thang|t)\s*(\d{1,2})")


def period_of(label: str | None, year: int, period_type: str | None) -> tuple[str, date] | None:
    """(period_type, first day) from the period label and the year: "Năm 2026", "2026" or empty is the
    year, "Quý 3/2026" or "Q3" the quarter, "Tháng 9/2026" or "T9" the month; None for anything else, for
    a label naming another year, or for one that contradicts a period type the file gives (timeType)."""
    text = fold_text(label or "")
    if any(int(found) != year for found in re.findall(r"\b(\d{4})\b", text)):
        return None  # "Quý 3/2025" on a row of 2026
    quarter, month = _QUARTER.match(text), _MONTH.match(text)
    if not text or text.startswith("nam") or text == str(year):
        found = ("year", date(year, 1, 1))
    elif quarter and 1 <= int(quarter.group(2)) <= 4:
        found = ("quarter", date(year, 3 * int(quarter.group(2)) - 2, 1))
    elif month and 1 <= int(month.group(2)) <= 12:
        found = ("month", date(year, int(month.group(2)), 1))
    else:
        return None
    return found if period_type in (None, found[0]) else None


def names_a_province(name: str) -> bool:
    return name_key(name)[0] in _PROVINCE_WORDS


def prepare(typed: pl.DataFrame, raw: pl.DataFrame, names: UnitNames, path: Path) -> Resolved:
    """Fill period_type, period_start, unit_code, level, province_code and listing of parsed rows.

    A row the parser already rejected (no year or date) is left as it is: the parser's issue stands."""
    rows = typed.to_dicts()
    issues: list[dict] = []
    problems: list[str] = []
    typed_listing: list[dict] = []  # rows whose list the file does not say (typed tables)
    for row in rows:
        year, as_of = row["year"], row["as_of"]
        if not row.get("source"):
            row["source"] = path.name
        if year is None or as_of is None:
            continue
        period = period_of(row["period_label"], year, row["period_type"])
        if period is None:
            issues.append(issue(row[ROW], "period_label", row["period_label"], "unknown_code", PERIOD_FORMS))
            continue
        row["period_type"], row["period_start"] = period
        name = row["unit_name_published"] or ""
        province_name = row["province_name_published"]
        listed = row["listing"]
        is_province = listed in ("national_list", "province_overview") or (
            not province_name and "." not in (row["portal_code"] or "") and names_a_province(name)
        )
        column = "unit_name_published"
        if is_province:
            match = names.match(name, as_of, ("province",))
        else:
            province = names.match(province_name, as_of, ("province",)) if province_name else None
            if province is not None and province.unit is None:
                match, column = province, "province_name_published"
            else:
                match = names.match(name, as_of, SUB_UNIT_LEVELS, province.unit_code if province else None)
        if match.unit is None:
            issues.append(issue(row[ROW], column, row[column], match.reason, match.candidates))
            problems.append(f"{row[column]!r} on {as_of.isoformat()}: {match.reason} (candidates: {match.candidates})")
            continue
        row["unit_code"], row["level"], row["province_code"] = (
            match.unit.unit_code,
            match.unit.level,
            match.unit.province_code,
        )
        if not listed:
            row["listing"] = "national_list" if match.unit.level == "province" else "province_list"
            typed_listing.append(row)
    # A typed table that lists a province's units beside the province itself is that province's page:
    # the province's row is the score shown above its units, not an entry of the national list.
    with_units = {r["province_code"] for r in typed_listing if r["listing"] == "province_list"}
    for row in typed_listing:
        if row["listing"] == "national_list" and row["unit_code"] in with_units:
            row["listing"] = "province_overview"
    return Resolved(pl.DataFrame(rows, schema=typed.schema), issues, problems)
