"""The Chart / Table / Download tabs every chart is shown in, the file builders behind them, and the
other Streamlit elements pages share (headline numbers, metric cards).

    view_chart(ranking.chart(frame, ind), filename="xep-hang-on_time_rate-2024", meta={...})
    view_tabs(None, table, filename=..., meta=...)        # a table without a chart

- Chart: the Plotly figure.
- Table: the frame behind the chart (a chart builder's `return_df=True` output), numbers formatted for
  the language (1.234,5 in vi) but still sorted as numbers. Drawn only while its tab is open: the
  tabs rerun the page when switched (`on_change="rerun"`, key `tabs-<key>`), so a run that shows the
  chart does not pay for the grid.
- Download: CSV (UTF-8 with BOM so Excel shows Vietnamese; first line is the column header), XLSX (a data
  sheet and an "about" sheet) and a small metadata sidecar (.txt). Files are built only when a button is
  clicked (`data=callable`, `on_click="ignore"`), from `download()` when given (e.g. the whole filtered
  set behind a paginated table), else from `table`.

`meta` (all keys optional, values already human-readable in the current language):
    title        what the chart shows                    "Tỷ lệ hồ sơ đúng hạn, 2024"
    unit         unit code of the values: % | points | rank | count | days (sets table decimals)
    period       the period the numbers are for           2024, "2021–2024", "Quý 2/2024"
    filters      {label: value} of the filters in force   {"Tỉnh": "Hà Nội", "Năm": 2024}
    source       where the numbers come from             "Hệ thống một cửa (dữ liệu mẫu)"
    methodology  methodology version                      "QĐ 766/QĐ-TTg (scoring 2024-06)"
    query        query module name                       "dossier_kpis"
    as_of        data as of (date/datetime or text)
    notes        list of extra lines (methodology breaks, survey n < 30 suppressed, …)
The extraction time is added when the file is built.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from queries.vocabulary import fold_text
from ui import format as fmt
from ui import theme
from ui.charts.cards import MetricCard
from ui.charts.common import BuiltFigure, Chart, each
from ui.fetch import bind_viewer, per_lake_view
from ui.i18n import current_lang, t

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TXT_MIME = "text/plain"
OPEN_TABS_KEY = "_cchc_open_tabs"  # view key -> position of its open tab (open_tab_tabs)
# topojsonURL: plotly.js fetches the world base map for every geo chart (even with the base map hidden) from
# cdn.plot.ly; it gets an empty one from our own server instead (static/world_110m.json): the dashboard makes
# no call outside its own server (docs/security.md).
PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "topojsonURL": "app/static/",
}


# ------------------------------------------------------------------------------------------------
# File builders (pure: usable from tests and from other helpers' pages)
# ------------------------------------------------------------------------------------------------
def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) with an
    apostrophe (OWASP "CSV injection"): "-5 ngày" -> "'-5 ngày", "=HYPERLINK(…)" -> "'=HYPERLINK(…)".
    Only text columns change (categoricals are written as text): numbers, negative ones included,
    stay numeric. Used by both the CSV and the XLSX builder."""
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype == pl.String or isinstance(dtype, pl.Categorical | pl.Enum):
            col = pl.col(name).cast(pl.String)
            risky = col.str.starts_with(FORMULA_PREFIXES[0])
            for prefix in FORMULA_PREFIXES[1:]:
                risky = risky | col.str.starts_with(prefix)
            exprs.append(pl.when(risky).then(pl.lit("'") + col).otherwise(col).alias(name))
    return frame.with_columns(exprs) if exprs else frame


def neutralise_text(text: str) -> str:
    """One text cell neutralised as in neutralise_formulas (metadata lines of the "about" sheet)."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def shown_text(cell: str) -> str:
    """A neutralised text cell as the grid shows it: without the apostrophe neutralise_formulas added.
    (Text that itself began with an apostrophe and a formula character shows without its apostrophe.)"""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES) else cell


def _flatten_for_files(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists and structs do not fit a CSV cell: join lists with '; ', cast structs to text."""
    exprs = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.List):
            exprs.append(pl.col(name).cast(pl.List(pl.String)).list.join("; ").alias(name))
        elif isinstance(dtype, pl.Struct | pl.Object):
            exprs.append(each(frame.get_column(name), str))
    return frame.with_columns(exprs) if exprs else frame


CSV_DATE_FORMATS = {  # what Excel reads as a date in the language's locale (Vietnamese: day first)
    "vi": ("%d/%m/%Y", "%d/%m/%Y %H:%M:%S"),
    "en": ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S"),
}


def to_csv_bytes(frame: pl.DataFrame, lang: str | None = None) -> bytes:
    """UTF-8 with BOM, comma-separated, header row first; numbers written as numbers (dot decimal); dates
    and times as Excel reads them in the language's locale (31/12/2024 08:45:27 in Vietnamese,
    2024-12-31 08:45:27 in English; no fractions of a second, no "T"). The XLSX keeps real date cells
    whatever the locale: the download help points there."""
    date_format, datetime_format = CSV_DATE_FORMATS["en" if (lang or current_lang()) == "en" else "vi"]
    frame = neutralise_formulas(_flatten_for_files(frame))
    return b"\xef\xbb\xbf" + frame.write_csv(date_format=date_format, datetime_format=datetime_format).encode("utf-8")


def metadata_lines(meta: Mapping[str, Any] | None, lang: str | None = None) -> list[tuple[str, str]]:
    """(label, text) pairs describing an extract: title, filters, source, methodology, query, data as
    of, extraction time, notes."""
    lang = lang or current_lang()
    meta = dict(meta or {})
    rows: list[tuple[str, str]] = []
    if meta.get("title"):
        rows.append((t("meta.title", lang), str(meta["title"])))
    filters = meta.get("filters") or {}
    if filters:
        text = "; ".join(f"{k}: {_text(v, lang)}" for k, v in filters.items())
        rows.append((t("meta.filters", lang), text))
    if meta.get("period") is not None:
        rows.append((t("meta.period", lang), _text(meta["period"], lang)))
    for key in ("unit", "source", "methodology", "query"):
        if meta.get(key):
            value = meta[key]
            if key == "unit":
                value = t(f"unit_name.{value}", lang) if value else value
            rows.append((t(f"meta.{key}", lang), str(value)))
    if meta.get("as_of"):
        rows.append((t("meta.as_of", lang), _text(meta["as_of"], lang)))
    if meta.get("published_at"):
        rows.append((t("meta.published_at", lang), _text(meta["published_at"], lang)))
    now = dt.datetime.now().astimezone()
    rows.append((t("meta.extracted_at", lang), f"{fmt.datetime(now.replace(tzinfo=None), lang)} ({now:%z})"))
    for note in meta.get("notes") or ():
        rows.append((t("meta.note", lang), str(note)))
    return rows


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dt.datetime):
        return fmt.datetime(value, lang)
    if isinstance(value, dt.date):
        return fmt.date(value, lang)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    return "—" if fmt.is_missing(value) else str(value)


def to_metadata_bytes(meta: Mapping[str, Any] | None, lang: str | None = None) -> bytes:
    """The sidecar: one `label: text` line per metadata row, UTF-8 with BOM."""
    lines = [f"{label}: {text}" for label, text in metadata_lines(meta, lang)]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def to_xlsx_bytes(frame: pl.DataFrame, meta: Mapping[str, Any] | None = None, lang: str | None = None) -> bytes:
    """An XLSX with the data sheet (header frozen, numbers as numbers, dates as dates) and an "about"
    sheet with the metadata. Text is always written as text, never as a formula or a link."""
    import xlsxwriter  # only when a file is asked for: not part of a page's first run

    lang = lang or current_lang()
    frame = neutralise_formulas(_flatten_for_files(frame))
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = book.add_format({"bold": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy" if lang == "vi" else "yyyy-mm-dd"})
    datetime_format = book.add_format({"num_format": "dd/mm/yyyy hh:mm" if lang == "vi" else "yyyy-mm-dd hh:mm"})
    sheet = book.add_worksheet(t("meta.sheet_data", lang)[:31])
    for j, name in enumerate(frame.columns):
        sheet.write_string(0, j, name, bold)
    for j, (name, dtype) in enumerate(frame.schema.items()):
        for i, cell in enumerate(frame.get_column(name).to_list(), start=1):
            if fmt.is_missing(cell):
                sheet.write_blank(i, j, None)
            elif dtype.is_numeric() and not isinstance(cell, bool):
                sheet.write_number(i, j, cell)
            elif isinstance(cell, bool):
                sheet.write_boolean(i, j, cell)
            elif isinstance(cell, dt.datetime):
                sheet.write_datetime(i, j, cell.replace(tzinfo=None), datetime_format)
            elif isinstance(cell, dt.date):
                sheet.write_datetime(i, j, dt.datetime.combine(cell, dt.time()), date_format)
            else:
                sheet.write_string(i, j, str(cell))
    sheet.freeze_panes(1, 0)
    sheet.autofit()
    about = book.add_worksheet(t("meta.sheet_about", lang)[:31])
    for i, (label, text) in enumerate(metadata_lines(meta, lang)):
        about.write_string(i, 0, neutralise_text(label), bold)
        about.write_string(i, 1, neutralise_text(text))
    about.set_column(0, 0, 28)
    about.set_column(1, 1, 90)
    book.close()
    return buffer.getvalue()


def slug(text: str) -> str:
    """A file-name-safe slug: `slug("Xếp hạng 2024")` -> "xep-hang-2024"."""
    return re.sub(r"[^a-z0-9_.]+", "-", fold_text(str(text))).strip("-.") or "du-lieu"


# ------------------------------------------------------------------------------------------------
# Table display
# ------------------------------------------------------------------------------------------------
def _cell_formats(frame: pl.DataFrame, lang: str, decimals: int | Mapping[str, int] | None, unit: str | None):
    """column -> the function giving a cell's text (missing cells aside) in the language's formats."""
    default = fmt.DEFAULT_DECIMALS.get(unit or "", 2) if decimals is None or isinstance(decimals, Mapping) else decimals
    per_column = dict(decimals) if isinstance(decimals, Mapping) else {}
    formatters: dict[str, Callable[[Any], str]] = {}
    for name, dtype in frame.schema.items():
        if dtype.is_integer():
            formatters[name] = lambda v, _l=lang: fmt.integer(v, _l)
        elif dtype.is_float():
            d = per_column.get(name, default)
            formatters[name] = lambda v, _d=d, _l=lang: fmt.number(v, _d, _l)
        elif dtype == pl.Date:
            formatters[name] = lambda v, _l=lang: fmt.date(v, _l)
        elif dtype == pl.Datetime or isinstance(dtype, pl.Datetime):
            formatters[name] = lambda v, _l=lang: fmt.datetime(v, _l)
        else:
            formatters[name] = lambda v: fmt.NA if fmt.is_missing(v) else shown_text(str(v))
    return formatters


def _shown_as_given(dtype: pl.DataType) -> bool:
    """Column types whose cells the table shows the same whether formatted from Polars' values or from
    pandas' (a number, a date, a time, text, yes/no; lists and structs are text by then)."""
    return (
        dtype.is_numeric()
        or dtype in (pl.Date, pl.String, pl.Boolean, pl.Null)
        or isinstance(dtype, pl.Datetime | pl.Categorical | pl.Enum | pl.List | pl.Struct)
    )


def display_table(
    frame: pl.DataFrame,
    lang: str | None = None,
    *,
    decimals: int | Mapping[str, int] | None = None,
    unit: str | None = None,
    translated: dict[str, Any] | None = None,
):
    """A pandas Styler showing `frame` in the language's number and date formats; sorting in the
    grid still uses the underlying numbers. `decimals` (int or per column) defaults by `unit`;
    `translated` is display_values(frame, ...) when already at hand (kept per published lake).

    The grid's own toolbar ("Download as CSV") and its copy command write the cells' underlying
    values, not what the grid shows, so the underlying frame is neutralised as the app's downloads
    are (`neutralise_formulas`): a procedure named "=HYPERLINK(…)" leaves the app as "'=HYPERLINK(…)"
    whichever way it is taken. The grid itself shows the text as loaded (`shown_text`).

    The shown texts are computed here, column by column, and handed to Streamlit as the Styler's
    rendering: Streamlit takes from a Styler only its cells' display values (`styler._translate`), and
    pandas' own rendering builds the HTML attributes of every cell first, most of a page run's cost
    (docs/performance.md). tests/ui/test_views_table.py requires the same display values as pandas'
    rendering of the same formats (`display_table_by_pandas`)."""
    lang = lang or current_lang()
    if not all(_shown_as_given(dtype) for dtype in frame.schema.values()):
        return display_table_by_pandas(frame, lang, decimals=decimals, unit=unit)
    shown = neutralise_formulas(_flatten_for_files(frame))
    if translated is None:
        translated = _translated(shown, _cell_formats(frame, lang, decimals, unit))
    styler = shown.to_pandas().style
    styler._compute = lambda: styler  # nothing to compute: no styles, the formats are applied above
    styler._translate = lambda *args, **kwargs: translated
    return styler


def display_values(
    frame: pl.DataFrame,
    lang: str | None = None,
    *,
    decimals: int | Mapping[str, int] | None = None,
    unit: str | None = None,
) -> dict[str, Any] | None:
    """The texts display_table shows, cell by cell, as pandas' `Styler._translate` gives them (the part
    Streamlit reads): plain data, the same for everyone with the same frame and language, so a chart's
    can be kept per published lake (view_tabs' `view_key`). None for the column types only pandas'
    rendering knows (display_table_by_pandas)."""
    if not all(_shown_as_given(dtype) for dtype in frame.schema.values()):
        return None  # display_table renders it through pandas
    lang = lang or current_lang()
    return _translated(neutralise_formulas(_flatten_for_files(frame)), _cell_formats(frame, lang, decimals, unit))


def _translated(shown: pl.DataFrame, formatters: Mapping[str, Callable[[Any], str]]) -> dict[str, Any]:
    texts = [
        [fmt.NA if fmt.is_missing(v) else formatters[name](v) for v in shown.get_column(name).to_list()]
        for name in shown.columns
    ]
    body = [
        [{"id": f"row{i}_col{j}", "display_value": column[i]} for j, column in enumerate(texts)]
        for i in range(shown.height)
    ]
    return {"body": body, "cellstyle": [], "table_styles": []}


def display_table_by_pandas(
    frame: pl.DataFrame,
    lang: str | None = None,
    *,
    decimals: int | Mapping[str, int] | None = None,
    unit: str | None = None,
):
    """display_table through pandas' own Styler rendering (`Styler.format`): the reference the quick
    path is tested against, and the path for column types it does not know."""
    lang = lang or current_lang()
    formatters = _cell_formats(frame, lang, decimals, unit)
    pdf = neutralise_formulas(_flatten_for_files(frame)).to_pandas()
    return pdf.style.format(formatters, na_rep=fmt.NA)


def caption(meta: Mapping[str, Any] | None, lang: str | None = None) -> str:
    """One line under a chart: unit · period · source · methodology · data as of (what every number
    must carry)."""
    lang = lang or current_lang()
    meta = dict(meta or {})
    parts = []
    if meta.get("unit"):
        unit_key = "unit_name." + str(meta["unit"])
        parts.append(f"{t('meta.unit', lang)}: {t(unit_key, lang)}")
    if meta.get("period") is not None:
        parts.append(f"{t('meta.period', lang)}: {_text(meta['period'], lang)}")
    if meta.get("source"):
        parts.append(f"{t('meta.source', lang)}: {meta['source']}")
    if meta.get("methodology"):
        parts.append(f"{t('meta.methodology', lang)}: {meta['methodology']}")
    if meta.get("as_of"):
        parts.append(f"{t('meta.as_of', lang)}: {_text(meta['as_of'], lang)}")
    if meta.get("published_at"):
        parts.append(f"{t('meta.published_at', lang)}: {_text(meta['published_at'], lang)}")
    parts.extend(str(n) for n in meta.get("notes") or ())
    return " · ".join(parts)


# ------------------------------------------------------------------------------------------------
# Streamlit elements
# ------------------------------------------------------------------------------------------------
def download_buttons(
    frame: pl.DataFrame | Callable[[], pl.DataFrame],
    filename: str,
    meta: Mapping[str, Any] | None = None,
    *,
    key: str | None = None,
) -> None:
    """CSV, XLSX and metadata buttons; each file is built only when its button is clicked.

    `frame` may be a callable returning the frame (e.g. re-running the query for the whole filtered
    set), so nothing is built or sent until a user asks for it. Streamlit calls it on another thread,
    outside this script run: it is wrapped with `ui.fetch.bind_viewer`, so `ui.fetch.fetch` inside it
    runs with the viewer's scope and in the page's language, captured now (docs/security.md).
    """
    lang = current_lang()
    base = slug(filename)
    key = key or base
    source = bind_viewer(frame) if callable(frame) else None

    def get() -> pl.DataFrame:
        return source() if source is not None else frame

    cols = st.columns(3)
    cols[0].download_button(
        t("view.download_csv"),
        data=lambda: to_csv_bytes(get(), lang),
        file_name=f"{base}.csv",
        mime=CSV_MIME,
        on_click="ignore",
        key=f"dl-csv-{key}",
        icon=":material/download:",
    )
    cols[1].download_button(
        t("view.download_xlsx"),
        data=lambda: to_xlsx_bytes(get(), meta, lang),
        file_name=f"{base}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        key=f"dl-xlsx-{key}",
        icon=":material/table_view:",
    )
    cols[2].download_button(
        t("view.download_meta"),
        data=lambda: to_metadata_bytes(meta, lang),
        file_name=f"{base}.about.txt",
        mime=TXT_MIME,
        on_click="ignore",
        key=f"dl-meta-{key}",
        icon=":material/info:",
    )
    st.caption(t("view.download_help") + " " + t("reform.csv_dates"))


def view_tabs(
    chart: go.Figure | None,
    table: pl.DataFrame,
    filename: str,
    meta: Mapping[str, Any] | None = None,
    *,
    download: Callable[[], pl.DataFrame] | None = None,
    decimals: int | Mapping[str, int] | None = None,
    key: str | None = None,
    height: int | None = None,
    view_key: tuple | None = None,
) -> None:
    """Show a chart in Chart / Table / Download tabs (Table / Download when `chart` is None).

    chart     the chart builder's figure
    table     the chart builder's `return_df=True` frame: the table tab and the files come from it
    filename  file name without extension (slugged: Vietnamese letters folded to ASCII)
    meta      see the module docstring; its caption (source · methodology · as of) is shown under
              the chart and the table
    download  optional callable returning the frame to put in the files instead of `table`
    decimals  decimals of float columns in the table tab (default from meta["unit"], else 2)
    key       unique suffix when the same filename appears twice on a page
    view_key  the chart and every filter its frames were fetched with (primitives): the table's texts are
              then formatted once per published lake, scope and language (ui.fetch.per_lake_view)
    """
    lang = current_lang()
    key = key or slug(filename)
    line = caption(meta, lang)
    labels = [t("view.table"), t("view.download")]
    if chart is not None:
        labels.insert(0, t("view.chart"))
    # Behind a chart, the table is drawn only while its tab is open: drawing a grid (Streamlit's
    # handling of the Styler) was the largest share of a page run, for a tab most runs never show.
    # Opening the tab runs the page again (docs/performance.md, "Serving many users"). A view without a
    # chart opens on its table, so its tabs switch in the browser alone.
    tabs = open_tab_tabs(labels, key) if chart is not None else st.tabs(labels)
    unit = (meta or {}).get("unit")
    offset = 0
    if chart is not None:
        if not isinstance(chart, BuiltFigure):
            titled(chart, meta)
        with tabs[0]:
            st.plotly_chart(chart, width="stretch", config=PLOTLY_CONFIG, key=f"chart-{key}")
            if line:
                st.caption(line)
        offset = 1
    table_tab = tabs[offset]
    if table_tab.open is not False:  # None: tabs that switch in the browser, every one drawn
        with table_tab:
            if table.is_empty():
                st.info(t("common.no_data_for_selection"))
            else:
                kept = None
                if view_key is not None:
                    shape = (*view_key, "table", repr(decimals), unit)  # the table's formats are part of what it shows
                    kept = per_lake_view(shape, lambda: display_values(table, lang, decimals=decimals, unit=unit))
                st.dataframe(
                    display_table(table, lang, decimals=decimals, unit=unit, translated=kept),
                    width="stretch",
                    hide_index=True,
                    height=height or "auto",
                    key=f"table-{key}",
                )
            if line:
                st.caption(line)
    with tabs[offset + 1]:
        download_buttons(download or table, filename, meta, key=key)


def rerun_tabs(labels: list[str], key: str, chosen: int) -> tuple[Sequence[Any], int]:
    """st.tabs that run the page again when switched, state `key` (the label shown), opening on the tab
    the user switched to, else on position `chosen`, which is handed to st.tabs as its default: Streamlit
    forgets a widget's state when its identity changes between runs (as on the first run after a page is
    opened by its address, whose script hash differs), and without the default the first click on a tab
    would be dropped. Returns the tab containers and the position of the tab shown, for the caller to keep
    (the labels change with the language, positions do not)."""
    state = st.session_state
    if state.get(key) in labels:
        chosen = labels.index(state[key])
    chosen = chosen if 0 <= chosen < len(labels) else 0
    containers = st.tabs(labels, default=labels[chosen], key=key, on_change="rerun")
    shown = state.get(key)
    return containers, labels.index(shown) if shown in labels else chosen


def open_tab_tabs(labels: list[str], key: str) -> Sequence[Any]:
    """rerun_tabs for a view (each tab's `.open` says which is shown), state `tabs-<key>`, the open tab kept
    by position per view in OPEN_TABS_KEY, so it stays open across a language switch."""
    kept = st.session_state.setdefault(OPEN_TABS_KEY, {})
    tabs, kept[key] = rerun_tabs(labels, f"tabs-{key}", kept.get(key, 0))
    return tabs


def titled(figure: go.Figure, meta: Mapping[str, Any] | None) -> go.Figure:
    """The figure with meta's title when it has none of its own (theme.place_title)."""
    title = (meta or {}).get("title")
    if title and not figure.layout.title.text:
        theme.place_title(figure, str(title))
    return figure


def view_chart(
    chart: Chart,
    filename: str,
    meta: Mapping[str, Any] | None = None,
    *,
    view_key: tuple | None = None,
    **options: Any,
) -> None:
    """view_tabs for a chart builder's result: its figure and the frame behind it, computed once.

    view_key  the figure and the table's texts are the same for every viewer of the same scope and
              language on the same filters: give them (the chart's name and every filter its frames were
              fetched with, primitives) and both are drawn once per published lake (ui.fetch.per_lake_view,
              docs/performance.md), the figure with meta's title, instead of on every page run
    """
    if view_key is None:
        figure: go.Figure = chart.figure
    else:
        title = (meta or {}).get("title")
        figure = BuiltFigure(per_lake_view((*view_key, title), lambda: titled(chart.figure, meta).to_dict()))
    view_tabs(figure, chart.table, filename, meta, view_key=view_key, **options)


def headline(items: Sequence[tuple[str, str, str]]) -> None:
    """(label, value, help) headline numbers side by side (the drill-downs' first row)."""
    if not items:
        return
    for col, (label, value, help_text) in zip(st.columns(len(items)), items, strict=True):
        col.metric(label, value, help=help_text)


def metric_grid(cards: Sequence[MetricCard], columns: int = 3) -> None:
    """Headline cards (ui.charts.cards.metric_cards) with st.metric in a grid, each with its caption."""
    for start in range(0, len(cards), columns):
        for col, card in zip(st.columns(columns, border=True), cards[start : start + columns], strict=False):
            with col:
                st.metric(card.label, card.value, delta=card.delta, delta_color=card.delta_color, help=card.help)
                st.caption(card.caption)
