"""Number, percent and date formats for the chosen language. Pure functions, no Streamlit.

Vietnamese (default): 1.234,5 · 98,5% · 31/12/2024 · Quý 4/2024 · Tháng 03/2024
English:              1,234.5 · 98.5% · 2024-12-31 · Q4 2024   · 2024-03

Missing values (None, NaN) are shown as "—", never as 0.
Rates in the query frames are fractions (0.985); indicator frames (ui.data) and chart frames hold
the *display scale* (98.5 with unit "%"): use `percent()` for fractions, `value()` for display scale.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from ui.i18n import current_lang

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
    from ui.i18n import t

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
