"""Our own vi/en dictionaries and the `t()` lookup.

The dictionaries live in `ui/i18n/vi.toml` and `ui/i18n/en.toml` (read with tomllib), plus any
`ui/i18n/vi.<part>.toml` / `en.<part>.toml` (e.g. `vi.pages2.toml` for pages another developer owns):
all files of a language are merged, and a key defined twice is an error. A TOML section becomes a
dotted prefix: `[overview] title = "Tổng quan"` is the key `overview.title`. Values are
`str.format` templates: `t("notice.url_value", key="year", value="abc")`.

Vietnamese is the default language. The current language is the value of the `lang` filter widget
(bound to the URL as `?lang=en`, see `ui.filters.lang`); outside a Streamlit run it is Vietnamese.
tests/ui/test_i18n.py checks that both dictionaries have the same keys and that every `t("...")` key
used in ui/ and pages/ exists.
"""

from __future__ import annotations

import contextlib
import contextvars
import tomllib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

LANGS: tuple[str, ...] = ("vi", "en")
DEFAULT_LANG = "vi"
LANG_KEY = "lang"  # widget key and URL parameter
DICT_DIR = Path(__file__).resolve().parent / "i18n"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{full}."))
        else:
            out[full] = str(value)
    return out


@lru_cache(maxsize=len(LANGS))
def dictionary(lang: str) -> dict[str, str]:
    """The flattened dictionary of one language (`section.key` -> template)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    merged: dict[str, str] = {}
    for path in dictionary_files(lang):
        with path.open("rb") as handle:
            part = _flatten(tomllib.load(handle))
        twice = sorted(set(part) & set(merged))
        if twice:
            raise ValueError(f"{path.name}: keys defined in another {lang} dictionary: {', '.join(twice[:5])}")
        merged.update(part)
    return merged


def dictionary_files(lang: str) -> list[Path]:
    """`<lang>.toml` first, then `<lang>.<part>.toml` in name order."""
    main = DICT_DIR / f"{lang}.toml"
    return [main, *sorted(p for p in DICT_DIR.glob(f"{lang}.*.toml") if p != main)]


_LANG_OVERRIDE: contextvars.ContextVar[str | None] = contextvars.ContextVar("cchc_lang", default=None)


@contextlib.contextmanager
def using_lang(lang: str) -> Iterator[None]:
    """current_lang() returns `lang` inside the block, also outside a script run (a download is
    built on another thread: ui.fetch.bind_viewer passes the language of the run that drew the button)."""
    token = _LANG_OVERRIDE.set(lang if lang in LANGS else DEFAULT_LANG)
    try:
        yield
    finally:
        _LANG_OVERRIDE.reset(token)


def current_lang() -> str:
    """The language of this run: the `lang` widget's value, else `?lang=`, else Vietnamese (inside
    `using_lang(...)`: that language)."""
    override = _LANG_OVERRIDE.get()
    if override is not None:
        return override
    try:  # Streamlit only when asked inside a script run: the chart builders and the CLI use t() without it
        import streamlit as st
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        if get_script_run_ctx(suppress_warning=True) is None:
            return DEFAULT_LANG
        value = st.session_state.get(LANG_KEY)
        if value in LANGS:
            return value
        raw = st.query_params.get(LANG_KEY)
        if raw in LANGS:
            return raw
    except Exception:  # outside a Streamlit run (tests, CLI)
        pass
    return DEFAULT_LANG


def t(key: str, lang: str | None = None, /, **params: Any) -> str:
    """Translate `key` into `lang` (default: the current language), formatting `params` into it.

    A key missing from the chosen language falls back to Vietnamese, then to the key itself, so a
    missing translation never raises in front of a user (the i18n test catches it first).
    """
    lang = lang or current_lang()
    text = dictionary(lang).get(key)
    if text is None:
        text = dictionary(DEFAULT_LANG).get(key, key)
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def has(key: str, lang: str | None = None) -> bool:
    """Whether `key` exists in the dictionary of `lang` (default: current)."""
    return key in dictionary(lang or current_lang())


def pick(row: dict[str, Any], base: str, lang: str | None = None) -> Any:
    """Pick the language variant of a bilingual field: `pick(row, "name")` -> row["name_vi"|"name_en"].

    Falls back to the Vietnamese variant, then to `row[base]`.
    """
    lang = lang or current_lang()
    for key in (f"{base}_{lang}", f"{base}_{DEFAULT_LANG}", base):
        value = row.get(key)
        if value not in (None, ""):
            return value
    return None
