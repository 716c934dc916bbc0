"""Map an export's header names onto the contract's canonical column names.

A header matches a column when its key equals the key of the column's canonical name or of one of its
aliases. The key is `contract.fold_text` (case, diacritics, NFC/NFD, underscores and spacing do not
matter), compared twice: first as folded, then with every space removed, so that CamelCase exports
match spaced aliases ("NgayTiepNhan", "Ngày tiếp nhận", "ngay_tiep_nhan", "NGÀY TIẾP NHẬN " are one key).
A trailing required-field marker "(*)" or "*" (common in import templates) is ignored.

Headers that hold applicant personal data (contract.PII_HEADERS) are recognised first and always dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.contract import PII_HEADERS, Table, fold_text

_COPY_SUFFIX = re.compile(r"__\d+$")  # read_file names a repeated header "Name__2"
_REQUIRED_MARK = re.compile(r"\s*(\(\*\)|\*)$")


@dataclass(frozen=True)
class HeaderMap:
    """What to do with each header of a file, for one table."""

    rename: dict[str, str]  # raw header -> canonical column name (the columns kept)
    pii_dropped: list[str]  # raw headers holding applicant personal data, never kept
    unknown: list[str]  # raw headers matching no column (dropped, reported)
    duplicates: list[str]  # raw headers mapping to a column an earlier header already took (dropped)
    missing_required: list[str]  # required canonical columns no header maps to


def header_keys(header: str) -> tuple[str, str]:
    """(folded, folded without spaces): the two keys a header is matched on."""
    folded = fold_text(_REQUIRED_MARK.sub("", _COPY_SUFFIX.sub("", header.strip())))
    return folded, folded.replace(" ", "")


def column_keys(table: Table) -> dict[str, str]:
    """Every key of every column of `table` (canonical name and aliases) -> canonical column name."""
    keys: dict[str, str] = {}
    for column in table.columns:
        for form in (column.name, *column.aliases):
            for key in header_keys(form):
                keys.setdefault(key, column.name)
    return keys


def pii_keys() -> set[str]:
    """Keys of the headers that hold applicant personal data."""
    return {key for header in PII_HEADERS for key in header_keys(header)}


def known_header_keys(table: Table) -> set[str]:
    """Folded names read_file may recognise a header row by: columns, aliases and personal-data headers.

    Holds both key forms, so `fold_text(cell) in known_header_keys(table)` accepts "NgayTiepNhan" too.
    """
    return set(column_keys(table)) | pii_keys()


def map_headers(headers: list[str], table: Table) -> HeaderMap:
    """Decide, for each raw header of a file, which canonical column of `table` it fills (if any)."""
    columns = column_keys(table)
    personal = pii_keys()
    rename: dict[str, str] = {}
    pii_dropped: list[str] = []
    unknown: list[str] = []
    duplicates: list[str] = []
    for header in headers:
        folded, compact = header_keys(header)
        if folded in personal or compact in personal:
            pii_dropped.append(header)
            continue
        canonical = columns.get(folded) or columns.get(compact)
        if canonical is None:
            unknown.append(header)
        elif canonical in rename.values():
            duplicates.append(header)
        else:
            rename[header] = canonical
    taken = set(rename.values())
    missing = [c.name for c in table.columns if c.required and c.name not in taken]
    return HeaderMap(rename, pii_dropped, unknown, duplicates, missing)


def key_collisions(table: Table) -> list[tuple[str, str, str]]:
    """(key, column, other column) for every header key two different columns of `table` share.

    Such a key would make the mapping depend on column order; the contract must have none.
    """
    owner: dict[str, str] = {}
    collisions: list[tuple[str, str, str]] = []
    for column in table.columns:
        own_keys = {key for form in (column.name, *column.aliases) for key in header_keys(form)}
        for key in sorted(own_keys):
            if key in owner and owner[key] != column.name:
                collisions.append((key, owner[key], column.name))
            owner.setdefault(key, column.name)
    return collisions
