"""Filter widgets bound to the URL, so every view is a permalink (`?province=01&year=2024&lang=en`).

Every filter has a stable key, which is also its URL parameter: lang, province, year, unit, units,
indicator, period, level (and any key a page passes to `select`/`multiselect`).

Why not `bind="query-params"`: Streamlit 1.67's binding writes the option's *display label* into the
URL (`?province=Hà+Nội`, `?indicator=Tỷ+lệ…`), which changes with the language, and it drops an invalid
value silently. Our URLs carry codes (`?province=01&indicator=on_time_rate`), the same in vi and en,
and a value that is not an option (unknown, stale or malicious) falls back to the default with a
visible notice, never an exception. The mechanics:
  1. first render in a session: the URL value, if it is one of the options, seeds st.session_state[key];
     otherwise the default does (plus a notice naming the parameter);
  2. the widget owns the value from then on; the last value of every filter is also kept in a
     session-level store, so a filter keeps its value when the user moves to another page (page
     switches clear the URL; the next page writes it back);
  3. after the widget, st.query_params[key] is set to the chosen code (removed when it is a fixed default;
     always written when the default comes from the data, `pin=True`: the year, the level and the
     province, so a link copied today shows the same view after newer data load).

Widgets go in the sidebar unless `container=` says otherwise (e.g. `container=st` for the page body).
Every function returns plain codes (str or int), ready for `ui.fetch.fetch`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from ui import data, lookups, views
from ui.i18n import DEFAULT_LANG, LANG_KEY, LANGS, current_lang, t
from ui.indicators import LEVELS, indicators

NOTICES_KEY = "_cchc_url_notices"
STORE_KEY = "_cchc_filter_values"  # key -> last chosen value, kept across pages
MAX_URL_VALUE_SHOWN = 40


# ------------------------------------------------------------------------------------------------
# Generic URL-bound widgets
# ------------------------------------------------------------------------------------------------
def _options(options: Sequence[Any] | Mapping[Any, str]) -> tuple[list[Any], dict[Any, str] | None]:
    if isinstance(options, Mapping):
        return list(options.keys()), dict(options)
    return list(options), None


def _safe(value: str) -> str:
    """A URL value made harmless for a Markdown notice: no backticks/newlines, truncated, in a code span."""
    text = re.sub(r"[`\r\n\t\\]", " ", str(value))
    if len(text) > MAX_URL_VALUE_SHOWN:
        text = text[:MAX_URL_VALUE_SHOWN] + "…"
    return f"`{text}`" if text.strip() else "`(trống)`"


def notice(param: str, raw: Any) -> None:
    """Show (once per run and parameter) that the URL value of `param` was not valid."""
    shown = st.session_state.setdefault(NOTICES_KEY, set())
    if param in shown:
        return
    shown.add(param)
    st.warning(t("notice.url_value", param=f"`{param}`", value=_safe(raw)), icon=":material/link_off:")


def _url_value(key: str) -> str | None:
    try:
        return st.query_params.get(key)
    except Exception:
        return None


def _url_values(key: str) -> list[str]:
    try:
        raw = st.query_params.get_all(key)
    except Exception:
        return []
    values: list[str] = []
    for item in raw:
        values.extend(part for part in str(item).split(",") if part != "")
    return values


def _sync_url(
    key: str, codes: str | list[str] | None, default_codes: str | list[str] | None, *, pin: bool = False
) -> None:
    try:
        if codes is None or codes == [] or (codes == default_codes and not pin):
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get_all(key) != (codes if isinstance(codes, list) else [codes]):
            st.query_params[key] = codes
    except Exception:  # AppTest or bare mode without a URL: nothing to keep in sync
        pass


def select(
    key: str,
    options: Sequence[Any] | Mapping[Any, str],
    *,
    label: str,
    default: Any = None,
    format_func: Callable[[Any], str] | None = None,
    container: Any = None,
    widget: str = "selectbox",
    help: str | None = None,
    pin: bool = False,
) -> Any:
    """One value from `options`, bound to `?key=<code>`. Returns the chosen option (or None when
    there are no options: the caller shows its "no data" message).

    options      a sequence of codes, or a mapping code -> label (labels are shown, codes go in the URL)
    default      the option used when the URL has none or an invalid one (default: the first option)
    format_func  label of an option (default: the mapping's label, else str)
    container    st.sidebar (default), st, a column …
    widget       "selectbox" | "radio" | "segmented" (segmented control; good for 2–4 options)
    pin          write the value to the URL even when it is the default (a default that comes from the
                 data: the latest year, the level, the province)
    """
    values, labels = _options(options)
    container = container if container is not None else st.sidebar
    if not values:
        return None
    codes = [str(v) for v in values]
    default = default if default in values else values[0]
    state = st.session_state
    store = state.setdefault(STORE_KEY, {})
    if key in state and state[key] in values:
        chosen = state[key]
    else:
        chosen = default
        raw = _url_value(key) if key not in state else None
        if raw is not None and raw in codes:
            chosen = values[codes.index(raw)]
        else:
            if raw is not None:
                notice(key, raw)
            if store.get(key) in values:
                chosen = store[key]
    # Written before the widget exists on every run: a widget of the same key on another page
    # then starts from this value instead of its own default.
    state[key] = chosen
    if format_func is None:
        format_func = (lambda v: labels.get(v, str(v))) if labels is not None else str
    common: dict[str, Any] = {"key": key, "format_func": format_func, "help": help}
    if widget == "radio":
        value = container.radio(label, values, horizontal=True, **common)
    elif widget == "segmented":
        value = container.segmented_control(label, values, selection_mode="single", required=True, **common)
    else:
        value = container.selectbox(label, values, placeholder=t("filter.choose"), **common)
    if value is None:  # a segmented control cannot be emptied with required=True; be safe anyway
        value = default
    store[key] = value
    _sync_url(key, str(value), str(default), pin=pin)
    return value


def multiselect(
    key: str,
    options: Sequence[Any] | Mapping[Any, str],
    *,
    label: str,
    default: Sequence[Any] = (),
    max_selections: int | None = None,
    format_func: Callable[[Any], str] | None = None,
    container: Any = None,
    help: str | None = None,
) -> list[Any]:
    """Several values from `options`, bound to `?key=a&key=b` (a comma list `?key=a,b` is accepted
    too). Unknown values are dropped with a notice; more than `max_selections` are cut."""
    values, labels = _options(options)
    container = container if container is not None else st.sidebar
    codes = [str(v) for v in values]
    default_list = [v for v in default if v in values][: max_selections or None]
    state = st.session_state
    store = state.setdefault(STORE_KEY, {})
    current = state.get(key)
    if isinstance(current, list):
        chosen = [v for v in current if v in values]
    else:
        chosen = default_list
        raw = _url_values(key)
        good = [values[codes.index(r)] for r in dict.fromkeys(raw) if r in codes]
        bad = [r for r in raw if r not in codes]
        if bad:
            notice(key, ",".join(bad))
        if good:
            chosen = good[: max_selections or None]
        elif isinstance(store.get(key), list):
            chosen = [v for v in store[key] if v in values][: max_selections or None]
    state[key] = chosen
    if format_func is None:
        format_func = (lambda v: labels.get(v, str(v))) if labels is not None else str
    selected = container.multiselect(
        label,
        values,
        key=key,
        format_func=format_func,
        max_selections=max_selections,
        help=help,
        placeholder=t("filter.choose"),
    )
    store[key] = list(selected)
    _sync_url(key, [str(v) for v in selected], [str(v) for v in default_list])
    return list(selected)


# ------------------------------------------------------------------------------------------------
# The named filters
# ------------------------------------------------------------------------------------------------
LANG_LABELS = {"vi": "Tiếng Việt", "en": "English"}


def lang(container: Any = None) -> str:
    """The vi/en switch (Vietnamese default), `?lang=en`. Call it first (the frame, ui/navigation.py, does), so that
    every t() in the run uses the chosen language."""
    return select(
        LANG_KEY,
        LANG_LABELS,
        label="Ngôn ngữ / Language",
        default=DEFAULT_LANG,
        container=container,
        widget="segmented",
    )


def province(options: Mapping[str, str], *, default: str | None = None, container: Any = None) -> str | None:
    """A province, `?province=01`, always in the URL. `options`: code -> name (ui.lookups.provinces())."""
    return select("province", options, label=t("filter.province"), default=default, container=container, pin=True)


def year(
    options: Sequence[int], *, default: int | None = None, label: str | None = None, container: Any = None
) -> int | None:
    """A year, `?year=2024`, always in the URL; default the latest. `options`: years with data."""
    years = sorted({int(y) for y in options}, reverse=True)
    if default is None and years:
        default = years[0]
    return select("year", years, label=label or t("filter.year"), default=default, container=container, pin=True)


def unit(
    options: Mapping[str, str],
    *,
    key: str = "unit",
    label: str | None = None,
    default: str | None = None,
    container: Any = None,
) -> str | None:
    """One unit, `?unit=001` (use key="unit2" etc. for a second one). `options`: code -> name,
    already in Vietnamese order (ui.format.unit_options / SQL COLLATE vi)."""
    return select(key, options, label=label or t("filter.unit"), default=default, container=container)


def units(
    options: Mapping[str, str], *, default: Sequence[str] = (), max_selections: int = 8, container: Any = None
) -> list[str]:
    """Several units, `?units=001&units=002`."""
    return multiselect(
        "units",
        options,
        label=t("filter.units"),
        default=default,
        max_selections=max_selections,
        container=container,
    )


def indicator(options: Sequence[str] | None = None, *, default: str | None = None, container: Any = None) -> str:
    """An indicator code of data/reference/indicators.csv, `?indicator=on_time_rate`."""
    catalogue = indicators()
    codes = [c for c in (options or catalogue) if c in catalogue]
    return select(
        "indicator",
        {c: catalogue[c].name() for c in codes},
        label=t("filter.indicator"),
        default=default,
        container=container,
    )


PERIODS = ("year", "quarter", "month")


def period(options: Sequence[str] = PERIODS, *, default: str = "year", container: Any = None) -> str:
    """Year / quarter / month, `?period=quarter`."""
    return select(
        "period",
        {p: t(f"period.{p}") for p in options if p in PERIODS},
        label=t("filter.period"),
        default=default,
        container=container,
        widget="segmented",
    )


def level(options: Sequence[str], *, default: str | None = None, container: Any = None) -> str | None:
    """Administrative level of the units compared, `?level=commune`, always in the URL. `options`: the
    levels the page has data for (ui.data.levels_with_data: district only before 2025), default the
    first; None when there is none. A link asking for districts where there are none (a year from 2025,
    today's units) says why it shows another level, rather than calling the link invalid."""
    if _url_value("level") == "district" and "district" not in options and "level" not in st.session_state:
        st.session_state.setdefault(NOTICES_KEY, set()).add("level")
        st.info(t("reform.no_district"), icon=":material/info:")
    return select(
        "level",
        {lv: t(f"level.{lv}") for lv in LEVELS if lv in options},
        label=t("filter.level"),
        default=default,
        container=container,
        widget="segmented",
        pin=True,
    )


UNIT_BASES = ("as_published", "current")
LEGACY_BASIS_KEY = "units_as"  # the standing page's name for ?basis= until 2026-12


def basis(*, default: str = "as_published", help: str | None = None, container: Any = None) -> str:
    """Units as published (each period in the units of its time) or in today's units (history re-based
    through the crosswalk, docs/units.md), `?basis=current`. One URL key on every page, so the choice
    follows the user from page to page. Links of the standing page made before this key was shared say
    `?units_as=`: read as `?basis=` when the URL has no basis, so an old bookmark keeps its choice."""
    legacy = _url_value(LEGACY_BASIS_KEY)
    if legacy is not None:
        if legacy in UNIT_BASES and _url_value("basis") is None:
            st.query_params["basis"] = legacy
        del st.query_params[LEGACY_BASIS_KEY]
    return select(
        "basis",
        {b: t(f"reform.basis_{b}") for b in UNIT_BASES},
        label=t("reform.basis"),
        default=default,
        container=container,
        widget="segmented",
        help=help or t("reform.basis_help"),
    )


def reported_units(code: str, year: int) -> tuple[str, str, str | None]:
    """Which units an indicator is shown for, as (basis, level, province_code): the basis (`?basis=`);
    the level (`?level=`) among those with data in `year` in that basis; below province level the
    province (`?province=`), from the provinces of `year` as published, or today's in today's units
    (None at province level: every province). Stops the page with a notice when no level has data in
    `year`."""
    chosen_basis = basis()
    levels = data.levels_with_data(code, year, units=chosen_basis)
    chosen_level = level(levels, default=data.default_level(levels))
    if chosen_level is None:
        st.info(t("reform.no_level", year=year))
        st.stop()
    if chosen_level == "province":
        return chosen_basis, chosen_level, None
    provinces = lookups.provinces(None if chosen_basis == "current" else year)
    return chosen_basis, chosen_level, province(provinces, default=lookups.default_province(year))


def tabs(key: str, labels: Mapping[str, str], *, default: str | None = None) -> dict[str, Any]:
    """st.tabs whose chosen tab is in the URL, `?tab=map` (codes, the same in both languages): code ->
    tab container. A shared link opens the tab it was copied from."""
    codes = list(labels)
    default = default if default in codes else codes[0]
    state = st.session_state
    store = state.setdefault(STORE_KEY, {})
    chosen = None
    if state.get(key) not in labels.values():  # not switched in this session: the URL, else the tab kept
        raw = _url_value(key)
        if raw in codes:
            chosen = raw
        elif raw is not None:
            notice(key, raw)
        if chosen is None and store.get(key) in codes:
            chosen = store[key]
    chosen = chosen or default
    containers, shown = views.rerun_tabs(list(labels.values()), key, codes.index(chosen))
    chosen = codes[shown]
    store[key] = chosen
    _sync_url(key, chosen, default)
    return dict(zip(codes, containers, strict=True))


def active_lang() -> str:
    """The language of this run (same as ui.i18n.current_lang)."""
    return current_lang() if current_lang() in LANGS else DEFAULT_LANG


def clear_notices() -> None:
    """Forget which URL notices were shown (the frame, ui/navigation.py, calls it at the start of each run)."""
    st.session_state[NOTICES_KEY] = set()
