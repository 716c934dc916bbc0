"""Words the writer (etl) and the readers (queries, ui) share: the folding that makes two spellings the
same word, the quarantine reason codes, and the names of PAPI's dimensions. Standard library only: a leaf
every package may import (docs/architecture.md, "Layers").
"""

from __future__ import annotations

import re
import unicodedata


def fold_text(value: str) -> str:
    """Case-, diacritics- and spacing-insensitive form used to match headers and codes.

    NFC/NFD and zero-width or non-breaking spaces fold to the same key; đ folds to d.
    """
    for invisible in ("\u200b", "\u200c", "\u200d", "\ufeff"):
        value = value.replace(invisible, "")
    text = unicodedata.normalize("NFD", value.replace("\u00a0", " "))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D").lower()
    return " ".join(text.replace("_", " ").split())


# Quarantine reason codes: every rejected row carries one. The English text is the source of truth for the
# reasons' meaning (docs/data-contract.md lists them; the dashboard shows them, in Vietnamese from its
# dictionaries).
REASONS: dict[str, str] = {
    "missing_required": "A required value is empty",
    "bad_date": "Not a date in dd/mm/yyyy[ HH:MM[:SS]], ISO or Excel-serial form",
    "bad_number": "Not a number",
    "bad_boolean": "Not a yes/no value (có/không, x/blank, 1/0, true/false, yes/no, đúng/sai, y/n)",
    "unknown_code": "Not one of the allowed codes",
    "unknown_unit": "The code names no unit at any length (units of both eras and departments: docs/units.md)",
    "unit_not_valid_on_date": (
        "The code named a unit, but not on the row's date (e.g. a district after 1 July 2025); the detail names "
        "the successor"
    ),
    "ambiguous_unit": (
        "A code without its leading zeros fits several units on the row's date, or the unit name beside it fits "
        "none; the detail names the candidates"
    ),
    "date_order": (
        "A date lies before the one it follows (a dossier's dates before it was received; a ticket called "
        "before it was issued)"
    ),
    "missing_resolved_at": "Status is final (resolved, rejected, withdrawn) but the end date is empty",
    "duplicate_id": "The same id appears more than once in this file (first kept)",
    "extra_fields": "The row has more fields than the header (a separator inside an unquoted value?)",
    "unmatched_name": (
        "A unit name matches no unit of its province and level valid on the row's date "
        "(closest names in raw_record.candidates)"
    ),
    "ambiguous_name": "A unit name matches several units valid on the row's date (listed in raw_record.candidates)",
}

# Dimensions of the PAPI designs (2011–2017: six; from 2018 two more), in PAPI's order. In a PAPI workbook a
# column whose English header is one of these starts a dimension (etl/papi.py); the dashboard lists
# dimensions in this order.
PAPI_DIMENSIONS: tuple[str, ...] = (
    "Participation at Local Levels",
    "Transparency",
    "Transparency in Local Decision-making",
    "Vertical Accountability",
    "Vertical Accountability Towards Citizens",
    "Control of Corruption",
    "Control of Corruption in the Public Sector",
    "Public Administrative Procedures",
    "Public Service Delivery",
    "Environmental Governance",
    "E-Governance",
    "E-governance",
)


def papi_measure_code(name: str) -> str:
    """Measure code of an English PAPI measure name (its slug).

    ``People's Inspection Boards`` → ``peoples_inspection_boards``.
    """
    folded = fold_text(name).replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")
