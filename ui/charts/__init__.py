"""Chart builders: pure functions from frames to a `Chart` (ui/charts/common.py), the Plotly figure and the
exact frame behind it: sorted as plotted, labelled in the current language, numbers still numeric (the
table tab formats them; CSV/XLSX keep them as numbers). They never query, read a file or call Streamlit:
the page passes in the frames, the indicator (ui/indicators.py) and the names of codes (ui/lookups.py).
Each module's `figure(..., return_df=False)` gives the figure, or the frame behind it.

Indicator pages (`frame` is an INDICATOR FRAME, `components` a COMPONENT FRAME: ui/indicators.py):
- ranking.chart(frame, ind, *, target=None, highlight=None, bands=None)
- trend.chart(frame, ind, *, grain="year", target=None, units=None)
- choropleth.chart(frame, ind, *, boundaries, attribution)
- compare.chart(components, ind, unit_a, unit_b)
- cards.chart(inputs, catalogue, *, bands=None) and cards.metric_cards(...) (the Overview's headline)

The drill-down (one module per index; earned.py draws the points earned and lost they share):
- service_766: headline, groups_chart, metrics_chart, cost_chart
- par_index: headline, areas_chart, criteria_chart
- sipas: headline, chart
- papi: headline, chart

Data quality and the dossier explorer: quality (load log, reasons, freshness), dossiers (the table).
"""
