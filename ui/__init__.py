"""The one package pages share (DESIGN.md §1).

    import streamlit as st
    from ui import data, filters, t, view_tabs
    from ui.charts import ranking

    year = filters.year(data.years("on_time_rate"))
    frame = data.indicator_frame("on_time_rate", year=year, level="district", province_code="01")
    view_tabs(ranking.figure(frame, "on_time_rate"), ranking.figure(frame, "on_time_rate", return_df=True),
              filename=f"xep-hang-on_time_rate-{year}", meta=data.meta("on_time_rate", year=year))

Modules:
- ui.i18n    t(key, **params), current_lang(); dictionaries ui/i18n/vi.toml, en.toml
- ui.format  number/percent/date/period formats for vi (1.234,5; dd/mm/yyyy) and en
- ui.theme   Okabe-Ito palette, band/quartile colours, Plotly template (style(fig))
- ui.filters URL-bound widgets: lang, province, year, unit, units, indicator, period, level, select,
             multiselect
- ui.views   view_tabs(chart, table, filename, meta): Chart / Table / Download; file builders
- ui.data    fetch(name, **params) (cached queries.run), the indicator catalogue and indicator frames
- ui.access  access modes (CCHC_ACCESS_MODE open|login|public), rules, the viewer's scope (docs/security.md)
- ui.charts  chart builders: figure(frame, ..., return_df=False) -> go.Figure | pl.DataFrame
"""

from ui.i18n import current_lang, t
from ui.views import download_buttons, view_tabs

__all__ = ["current_lang", "download_buttons", "t", "view_tabs"]
