"""The one package pages share: filter widgets, the data the pages need, chart builders, the Chart /
Table / Download tabs, the vi/en dictionaries and formats. docs/architecture.md ("The dashboard") walks
a page down to the SQL; the example below runs as a test (tests/pages/test_package_example.py).

    import streamlit as st
    from ui import data, filters, lookups, t, view_chart
    from ui.charts import ranking
    from ui.indicators import indicator

    st.title(t("compare.title"))
    ind = indicator("on_time_rate")
    year = filters.year(lookups.years(ind.code))
    frame = data.ranked_frame(ind.code, year=year, level="district", province_code="01")
    view_chart(
        ranking.chart(frame, ind, target=data.target_for(ind.code, year), bands=lookups.band_names()),
        filename=f"xep-hang-{ind.code}-{year}",
        meta=data.meta(ind.code, filters=data.describe_filters(indicator=ind.code, year=year)),
    )

Modules:
- ui.i18n       t(key, **params), current_lang(); dictionaries ui/i18n/vi.toml, en.toml
- ui.format     number/percent/date/period formats for vi (1.234,5; dd/mm/yyyy) and en; Vietnamese order
- ui.theme      Okabe-Ito palette, band/quartile colours, Plotly template (style(fig))
- ui.filters    URL-bound widgets: lang, province, year, unit, units, indicator, period, level, select,
                multiselect
- ui.fetch      fetch(name, **params): queries.run, cached per published generation, as the viewer
- ui.lookups    units, provinces, years with data, names of codes (bands, components, boundaries)
- ui.indicators the indicator catalogue (data/reference/indicators.csv) and the frames charts take
- ui.data       what the indicator pages need: indicator frames, ranks, components, cards, targets, meta
- ui.views      view_chart / view_tabs (Chart / Table / Download), headline numbers, metric cards
- ui.charts     chart builders: chart(frames, ...) -> Chart(figure, table)
- ui.access     access modes (CCHC_ACCESS_MODE open|login|public), rules, the viewer's scope (docs/security.md)
- ui.navigation the page registry, the frame every page runs in (language, gate, banner)
- ui.drilldown  the drill-down page's four rooms (766, PAR Index, SIPAS, PAPI)
"""

from ui.i18n import current_lang, t
from ui.views import download_buttons, view_chart, view_tabs

__all__ = ["current_lang", "download_buttons", "t", "view_chart", "view_tabs"]
