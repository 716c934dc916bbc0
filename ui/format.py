"""Number, percent and date formats for the chosen language, and Vietnamese sort order. Pure functions,
no Streamlit.

Vietnamese (default): 1.234,5 · 98,5% · 31/12/2024 · Quý 4/2024 · Tháng 03/2024
English:              1,234.5 · 98.5% · 2024-12-31 · Q4 2024   · 2024-03

Missing values (None, NaN) are shown as "—", never as 0.
Rates in the query frames are fractions (0.985); indicator frames (ui/indicators.py) and chart frames hold
the *display scale* (98.5 with unit "%"): use `percent()` for fractions, `value()` for display scale.

Sorting: `vi_sort_key` orders names as a Vietnamese reader expects (a ă â b c d đ e ê …, then tones;
SQL uses ORDER BY … COLLATE vi), `natural_key` orders codes 1, 2, 10 and 3.2 before 3.10, `sort_units`
and `unit_options` apply them to frames.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Mapping
from typing import Any

import polars as pl

from ui.i18n import current_lang, t

NA = "—"

# unit code (indicator catalogue) -> default decimals
DEFAULT_DECIMALS: dict[str, int] = {"%": 1, "points": 2, "rank": 0, "count": 0, "days": 1, "minutes": 0}


def is_missing(value: Any) -> bool:
    """None, NaN or an empty string."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def number(value: Any, decimals: int = 1, lang: str | None = None, *, signed: bool = False) -> str:
    """`1234.5` -> "1.234,5" (vi) or "1,234.5" (en); `signed=True` adds "+" to positive values."""
    if is_missing(value):
        return NA
    lang = lang or current_lang()
    number_ = float(value)
    text = f"{abs(number_):,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    rounded_zero = float(f"{abs(number_):.{decimals}f}") == 0
    if number_ < 0 and not rounded_zero:
        text = "-" + text
    elif signed and number_ > 0 and not rounded_zero:
        text = "+" + text
    elif signed and rounded_zero:
        text = "±" + text
    return text


def integer(value: Any, lang: str | None = None, *, signed: bool = False) -> str:
    """`12345` -> "12.345" (vi) or "12,345" (en)."""
    if is_missing(value):
        return NA
    return number(round(float(value)), 0, lang, signed=signed)


def percent(fraction: Any, decimals: int = 1, lang: str | None = None, *, signed: bool = False) -> str:
    """A fraction as a percent: `0.985` -> "98,5%" (vi) or "98.5%" (en)."""
    if is_missing(fraction):
        return NA
    return number(float(fraction) * 100, decimals, lang, signed=signed) + "%"


def value(v: Any, unit: str, decimals: int | None = None, lang: str | None = None, *, signed: bool = False) -> str:
    """A display-scale value with its unit: `value(98.5, "%")` -> "98,5%"; `value(87.1, "points")`
    -> "87,10 điểm"; `value(3, "rank")` -> "3"; a signed change of a percent is in percentage points."""
    if is_missing(v):
        return NA
    lang = lang or current_lang()
    decimals = DEFAULT_DECIMALS.get(unit, 1) if decimals is None else decimals
    text = number(v, decimals, lang, signed=signed)
    if unit == "%":
        return text + (" " + t("unit.pp", lang) if signed else "%")
    if unit in ("rank", "count"):
        return text
    key = f"unit.{unit}"
    return f"{text} {t(key, lang)}"


def date(d: Any, lang: str | None = None) -> str:
    """`date(2024, 12, 31)` -> "31/12/2024" (vi) or "2024-12-31" (en)."""
    if is_missing(d):
        return NA
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    if isinstance(d, dt.datetime):
        d = d.date()
    lang = lang or current_lang()
    return d.strftime("%d/%m/%Y") if lang == "vi" else d.isoformat()


def datetime(d: Any, lang: str | None = None) -> str:
    """`datetime(2024, 12, 31, 8, 5)` -> "31/12/2024 08:05" (vi) or "2024-12-31 08:05" (en)."""
    if is_missing(d):
        return NA
    if isinstance(d, str):
        d = dt.datetime.fromisoformat(d)
    if not isinstance(d, dt.datetime):
        return date(d, lang)
    lang = lang or current_lang()
    return d.strftime("%d/%m/%Y %H:%M") if lang == "vi" else d.strftime("%Y-%m-%d %H:%M")


def period(start: Any, grain: str = "year", lang: str | None = None) -> str:
    """Label of a period by its first day: year "2024"; quarter "Quý 2/2024" / "Q2 2024";
    month "Tháng 03/2024" / "2024-03"."""
    if is_missing(start):
        return NA
    if isinstance(start, int):
        start = dt.date(start, 1, 1)
    if isinstance(start, str):
        start = dt.date.fromisoformat(start[:10])
    lang = lang or current_lang()
    if grain == "quarter":
        q = (start.month - 1) // 3 + 1
        return f"Quý {q}/{start.year}" if lang == "vi" else f"Q{q} {start.year}"
    if grain == "month":
        return f"Tháng {start.month:02d}/{start.year}" if lang == "vi" else f"{start.year}-{start.month:02d}"
    return str(start.year)


def plotly_separators(lang: str | None = None) -> str:
    """Plotly's `layout.separators` (decimal mark, then thousands mark) for the language."""
    return ",." if (lang or current_lang()) == "vi" else ".,"


def d3_format(unit: str, decimals: int | None = None) -> str:
    """A d3 format for Plotly axes/hover of a display-scale value (separators come from the layout)."""
    decimals = DEFAULT_DECIMALS.get(unit, 1) if decimals is None else decimals
    return f",.{decimals}f"


# ------------------------------------------------------------------------------------------------
# Vietnamese order
# ------------------------------------------------------------------------------------------------
_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = {"\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0301": 5, "\u0323": 6}  # huyền hỏi ngã sắc nặng
_NEW_LETTER_MARKS = ("\u0306", "\u0302", "\u031b")  # breve, circumflex, horn: ă â ê ô ơ ư are letters


def vi_sort_key(text: str | None) -> tuple:
    """Sort key giving Vietnamese alphabetical order (a ă â b c d đ e ê … o ô ơ … u ư …, then tones).
    For sorting in Python; SQL uses ORDER BY … COLLATE vi. None sorts last."""
    if text is None:
        return ((9,),)
    letters: list[int] = []
    marks: list[int] = []
    for ch in unicodedata.normalize("NFD", text.lower()):
        if ch in _TONES:
            marks.append(_TONES[ch])
            continue
        if ch in _NEW_LETTER_MARKS and letters:
            prev = letters[-1]
            base = _LETTERS[prev] if 0 <= prev < len(_LETTERS) else ""
            composed = unicodedata.normalize("NFC", base + ch)
            if composed in _LETTERS:
                letters[-1] = _LETTERS.index(composed)
            continue
        if ch in _LETTERS:
            letters.append(_LETTERS.index(ch))
        elif ch.isdigit():
            letters.append(-100 + int(ch))
        elif ch.isspace():
            letters.append(-200)
        else:
            letters.append(100 + ord(ch))
    return (tuple(letters), tuple(marks))


def natural_key(codes: pl.Expr) -> pl.Expr:
    """Sort codes like 1, 2, 10 (and 3.2 before 3.10) naturally: digit runs left-padded."""
    return codes.str.replace_all(r"(\d+)", "0000000000$1").str.replace_all(r"0*(\d{10})", "$1")


def sort_units(frame: pl.DataFrame, *, name_col: str = "unit_name", extra: list[str] | None = None) -> pl.DataFrame:
    """Sort a frame by unit name in Vietnamese order (then `extra` columns)."""
    if frame.is_empty() or name_col not in frame.columns:
        return frame
    names = frame.get_column(name_col).unique().to_list()
    order = {name: i for i, name in enumerate(sorted(names, key=vi_sort_key))}
    key = "__vi_order"
    out = frame.with_columns(pl.col(name_col).replace_strict(order, default=None, return_dtype=pl.Int64).alias(key))
    return out.sort([key, *(extra or [])], nulls_last=True).drop(key)


def by_name(names: Mapping[str, str | None]) -> dict[str, str]:
    """code -> name in Vietnamese order of the names (a missing name shows the code)."""
    return dict(sorted(((code, name or code) for code, name in names.items()), key=lambda kv: vi_sort_key(kv[1])))


def unit_options(frame: pl.DataFrame) -> dict[str, str]:
    """unit_code -> unit_name of the units of a frame (an indicator, component or query frame), in
    Vietnamese order of the names; a frame without names shows the codes."""
    if frame.is_empty() or "unit_code" not in frame.columns:
        return {}
    name_col = "unit_name" if "unit_name" in frame.columns else "unit_code"
    return by_name(dict(frame.select("unit_code", name_col).unique(subset="unit_code").iter_rows()))
