"""Fetching and caching: the one door from the dashboard to the query runner.

    frame = fetch("dossier_kpis", year=2024, period="quarter", level="district", province_code="01")

`fetch(name, **params)` is `queries.run` behind `st.cache_data` (ttl, max_entries), keyed by the query
name, the primitive parameter values, the viewer's scope and the published generation
(`queries.generation()`, docs/architecture.md): a new load changes the key, so nobody sees stale numbers
after a load. When the lake is empty it shows the guidance to run the demo or load data and stops the
page; a rejected parameter shows one clear line and stops the page. Never a traceback.

`@per_lake` caches what the pages derive from fetched frames (normalised indicator frames, ranks, unit
names in Vietnamese order, card inputs) under the same key, plus the language: computed once per published
lake, scope and language, not on every page run (docs/performance.md, "What a page run costs").
`per_lake_view(key, draw)` does the same for what a chart shows (its Plotly figure's dict, its table's
texts), under a key the page gives (the chart and the filters its frames were fetched with):
ui.views.view_chart(..., view_key=...).

Who is asking (docs/security.md): every fetch passes the viewer's scope (the unit codes they may see,
None = all) and, in the public mode, `aggregates_only=True` to the runner. The viewer is the one of
the script run (ui/access.py, from `st.user`), or, inside a callable wrapped by `bind_viewer(fn)`, the
one captured when it was wrapped: Streamlit builds `st.download_button(data=callable)` files on another
thread where the session is not visible, so ui.views.download_buttons wraps every such callable; there
`fetch` runs the query uncached, as that viewer and in that language. Outside both (a bare thread in the
login mode) the viewer is nobody: no rows, never all rows.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, TypeVar

import polars as pl
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

import queries
from ui import access
from ui.i18n import current_lang, t, using_lang

CACHE_TTL_SECONDS = 600
CACHE_MAX_ENTRIES = 512

Primitive = str | int | float | bool | None
T = TypeVar("T")

# ------------------------------------------------------------------------------------------------
# The viewer
# ------------------------------------------------------------------------------------------------
_BOUND_VIEWER: contextvars.ContextVar[access.Viewer | None] = contextvars.ContextVar("cchc_viewer", default=None)


def current_viewer() -> access.Viewer:
    """The viewer whose data is being fetched: the one bound by `bind_viewer` (a download being
    built), else the script run's (ui.access.current_viewer)."""
    bound = _BOUND_VIEWER.get()
    return bound if bound is not None else access.current_viewer()


def current_scope() -> frozenset[str] | None:
    """The unit codes the viewer may see; None = everything (open and public modes). Every fetch
    passes it to the runner."""
    return current_viewer().scope


def aggregates_only() -> bool:
    """The public mode: row-level queries (`access: detail`) are refused; pages say so."""
    return current_viewer().aggregates_only


def bind_viewer(fn: Callable[[], T]) -> Callable[[], T]:
    """`fn` to be called later, maybe on another thread, as the current viewer and in the current
    language (captured now). ui.views.download_buttons wraps every download callable with it."""
    viewer, lang = current_viewer(), current_lang()

    @functools.wraps(fn)
    def bound() -> T:
        token = _BOUND_VIEWER.set(viewer)
        try:
            with using_lang(lang):
                return fn()
        finally:
            _BOUND_VIEWER.reset(token)

    return bound


def in_script_run() -> bool:
    """Inside a Streamlit script run (not a test's direct call, not a download's thread)."""
    return get_script_run_ctx(suppress_warning=True) is not None


def _direct() -> bool:
    """Run queries uncached: outside a script run, or inside a bound callable (a download)."""
    return _BOUND_VIEWER.get() is not None or not in_script_run()


# ------------------------------------------------------------------------------------------------
# The published lake
# ------------------------------------------------------------------------------------------------
def stop_empty_lake() -> None:
    """The guidance to run the demo or load data, then the page stops."""
    st.info(t("data.empty_lake_title"), icon=":material/database:")
    st.markdown(t("data.empty_lake_body"))
    st.stop()


@st.cache_data(max_entries=4, show_spinner=False)
def _lake_info_cached(generation_key: str, data_dir: str) -> dict[str, Any]:
    del generation_key  # part of the cache key: a new load reads its lake_state again
    return queries.lake_info(data_dir)


def lake_status() -> dict[str, Any] | None:
    """{'load_id', 'published_at', 'is_demo'} of the published lake, None when nothing is published
    (never stops the page)."""
    try:
        published = queries.generation()
    except queries.EmptyLakeError:
        return None
    if not in_script_run():
        return queries.lake_info(published.data_dir)
    return _lake_info_cached(published.key, published.data_dir)


def lake_info() -> dict[str, Any]:
    """lake_status(), but showing the empty-lake guidance and stopping the page when nothing is published."""
    status = lake_status()
    if status is None:
        stop_empty_lake()
        raise queries.EmptyLakeError()  # not reached: st.stop() raises
    return status


# ------------------------------------------------------------------------------------------------
# Queries
# ------------------------------------------------------------------------------------------------
def _primitive(name: str, value: Any) -> Primitive | tuple:
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return tuple(_primitive(name, v) for v in items)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"fetch: parameter {name}={value!r} is not a primitive value")


def _run(
    name: str, params: tuple[tuple[str, Any], ...], scope: frozenset[str] | None, aggregates_only: bool
) -> pl.DataFrame:
    kwargs = {k: (list(v) if isinstance(v, tuple) else v) for k, v in params}
    return queries.run(name, scope=scope, aggregates_only=aggregates_only, **kwargs)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _cached_run(
    name: str,
    params: tuple[tuple[str, Any], ...],
    scope: tuple[str, ...] | None,
    generation_key: str,
    aggregates_only: bool,
) -> pl.DataFrame:
    del generation_key  # part of the cache key only: what the data directory publishes now
    return _run(name, params, None if scope is None else frozenset(scope), aggregates_only)


def _scope_key(viewer: access.Viewer) -> tuple[str, ...] | None:
    return None if viewer.scope is None else tuple(sorted(viewer.scope))


def fetch(name: str, **params: Any) -> pl.DataFrame:
    """Run query `name` with `params` through the cache (see the module docstring). Parameters must be
    primitives (str, int, float, bool, None, date, or lists of them). None values are dropped so the
    query's default applies."""
    key = tuple(sorted((k, _primitive(k, v)) for k, v in params.items() if v is not None))
    viewer = current_viewer()
    try:
        if _direct():
            return _run(name, key, viewer.scope, viewer.aggregates_only)
        return _cached_run(name, key, _scope_key(viewer), queries.generation().key, viewer.aggregates_only)
    except queries.EmptyLakeError:
        stop_empty_lake()
        raise
    except queries.QueryError as error:
        st.error(t("data.query_error", error=str(error)), icon=":material/error:")
        st.stop()
        raise


# ------------------------------------------------------------------------------------------------
# What pages derive from fetched frames
# ------------------------------------------------------------------------------------------------
@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _cached_call(
    function: str,
    args: tuple,
    kwargs: tuple[tuple[str, Any], ...],
    scope: tuple[str, ...] | None,
    generation_key: str,
    aggregates_only: bool,
    lang: str,
) -> Any:
    del scope, generation_key, aggregates_only, lang  # the key: the fetches inside follow the run's viewer
    return _PER_LAKE[function](*args, **dict(kwargs))


_PER_LAKE: dict[str, Callable[..., Any]] = {}


def _lake_key() -> tuple[tuple[str, ...] | None, str, bool, str] | None:
    """What a result derived from the lake is cached under besides its own arguments: the viewer's scope,
    the published generation, the public mode and the language; None when it must not be cached (outside
    a script run, inside a download's bound callable, or nothing published)."""
    if _direct():
        return None
    try:
        generation_key = queries.generation().key
    except queries.EmptyLakeError:
        return None  # its fetch shows the empty-lake guidance
    viewer = current_viewer()
    return _scope_key(viewer), generation_key, viewer.aggregates_only, current_lang()


def per_lake(fn: Callable[..., T]) -> Callable[..., T]:
    """`fn` (a function of fetched frames and its arguments, drawing nothing) cached like `fetch`: per
    published generation, the viewer's scope and public mode, and the language, with its arguments
    (primitives, tuples, lists). A scoped viewer never gets a result computed for another scope. Outside a
    script run, or inside a download's bound callable, `fn` runs uncached. The result is a copy (pickled):
    a caller may change it freely."""
    name = f"{fn.__module__}.{fn.__qualname__}"
    _PER_LAKE[name] = fn

    @functools.wraps(fn)
    def cached(*args: Any, **kwargs: Any) -> T:
        lake = _lake_key()
        if lake is None:
            return fn(*args, **kwargs)
        return _cached_call(name, args, tuple(sorted(kwargs.items())), *lake)

    return cached


# ------------------------------------------------------------------------------------------------
# What a chart shows: its figure and its table's texts
# ------------------------------------------------------------------------------------------------
# A cache of its own, smaller than the frames': an entry is 2-90 KB pickled (a ranking of 160 communes
# ~35 KB, its table's texts ~30 KB), a province's commune map with its outline ~310 KB, so 256 entries
# hold about twenty province x language x scope combinations of the Overview in ~10-20 MB. Province maps
# (0.9-1.4 MB with the outlines of 34 or 63 provinces) are not kept (docs/performance.md).
VIEW_CACHE_MAX_ENTRIES = 256


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=VIEW_CACHE_MAX_ENTRIES, show_spinner=False)
def _cached_view(
    key: tuple,
    scope: tuple[str, ...] | None,
    generation_key: str,
    aggregates_only: bool,
    lang: str,
    _draw: Callable[[], T],
) -> T:
    del key, scope, generation_key, aggregates_only, lang  # the key; `_draw` is not part of it
    return _draw()


def per_lake_view(key: tuple, draw: Callable[[], T]) -> T:
    """What `draw()` returns (a figure's dict, a table's texts: plain data), cached like `per_lake`: per
    published generation, the viewer's scope and public mode, and the language, under `key`, which must
    name everything else it is drawn from (the chart and the page's filters, primitives). A scoped viewer
    never gets what was drawn for another scope. Uncached where `per_lake` is; the result is a copy."""
    lake = _lake_key()
    if lake is None:
        return draw()
    return _cached_view(key, *lake, draw)
