"""Dossier explorer (the Hồ sơ page): filter options and the labelled table of dossier rows.

    table(rows)                     dossier_rows -> the table shown and downloaded (headers and codes in
                                    the current language, dates as dates, numbers as numbers)
    choices(frame, code, name)      a filter's options: {"": "Tất cả", code: "name (code)", ...}
    status_choices(), channel_choices()

There is no chart on this page: the explorer is a paginated table whose downloads hold the whole
filtered set (see pages/ho-so.py). The rows never carry applicant personal data (docs/security.md, "Privacy": the
ETL drops those columns on read; dossier_rows does not select any).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from ui.charts.common import label_columns
from ui.i18n import current_lang, t
from ui.indicators import LEVELS

STATUSES: tuple[str, ...] = ("received", "processing", "supplement", "resolved", "rejected", "withdrawn")
CHANNELS: tuple[str, ...] = ("direct", "online", "postal")
ONLINE_LEVELS: tuple[str, ...] = ("full", "partial", "none")
PAGE_SIZES: tuple[int, ...] = (50, 100, 500)
XLSX_MAX_ROWS = 1_048_575  # Excel's row limit, minus the header
XLSX_SLOW_ROWS = 100_000  # above this an XLSX takes a minute or more to build (CSV: seconds)
ALL = ""  # the option meaning "no filter" (kept out of the URL: it is every filter's default)

BOOLEAN_COLUMNS: tuple[str, ...] = (
    "has_fee",
    "paid_online",
    "dossier_digitised",
    "result_electronic",
    "on_time",
)
COLUMNS: tuple[str, ...] = (
    "dossier_id",
    "unit_code",
    "unit_name",
    "procedure_code",
    "procedure_name",
    "field_code",
    "field_name",
    "received_at",
    "due_at",
    "resolved_at",
    "status",
    "channel",
    "online_level",
    "has_fee",
    "paid_online",
    "dossier_digitised",
    "result_electronic",
    "processing_days",
    "on_time",
)


def levels(unit_list: pl.DataFrame) -> list[str]:
    """The levels of the units in a dossier_units frame, in the order filters offer them (LEVELS)."""
    present = set(unit_list.get_column("level").drop_nulls().to_list()) if not unit_list.is_empty() else set()
    return [lv for lv in LEVELS if lv in present]


def choices(frame: pl.DataFrame, code: str, name: str, *, lang: str | None = None) -> dict[str, str]:
    """{"": all, code: "name (code)"} in the frame's order (the queries sort names COLLATE vi)."""
    lang = lang or current_lang()
    out = {ALL: t("explorer.all", lang)}
    if frame.is_empty():
        return out
    for c, n in frame.select(code, name).iter_rows():
        if c is None:
            continue
        out[str(c)] = f"{n} ({c})" if n else str(c)
    return out


def status_choices(lang: str | None = None) -> dict[str, str]:
    lang = lang or current_lang()
    return {ALL: t("explorer.all", lang), **{s: t(f"dossier_status.{s}", lang) for s in STATUSES}}


def channel_choices(lang: str | None = None) -> dict[str, str]:
    lang = lang or current_lang()
    return {ALL: t("explorer.all", lang), **{c: t(f"dossier_channel.{c}", lang) for c in CHANNELS}}


def _codes(column: str, mapping: Mapping[str, str]) -> pl.Expr:
    return pl.col(column).replace_strict(dict(mapping), default=pl.col(column), return_dtype=pl.String)


def table(rows: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """dossier_rows with headers, statuses, channels, online levels and yes/no in the language."""
    lang = lang or current_lang()
    if rows.is_empty():
        rows = pl.DataFrame(schema={c: rows.schema.get(c, pl.String) for c in COLUMNS})
    yes, no = t("explorer.yes", lang), t("explorer.no", lang)
    out = rows.select(list(COLUMNS)).with_columns(
        _codes("status", {s: t(f"dossier_status.{s}", lang) for s in STATUSES}),
        _codes("channel", {c: t(f"dossier_channel.{c}", lang) for c in CHANNELS}),
        _codes("online_level", {o: t(f"dossier_online_level.{o}", lang) for o in ONLINE_LEVELS}),
        *[
            pl.when(pl.col(c).is_null()).then(None).when(pl.col(c)).then(pl.lit(yes)).otherwise(pl.lit(no)).alias(c)
            for c in BOOLEAN_COLUMNS
        ],
    )
    return label_columns(out, lang, {c: t(f"xcol.{c}", lang) for c in COLUMNS})


def page_count(total: int, size: int) -> int:
    """Pages of `size` rows needed for `total` rows (at least 1)."""
    return max(1, -(-int(total) // max(1, int(size))))
