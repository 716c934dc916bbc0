"""Chart builders. Each takes frames (never queries) and returns a Plotly figure, or with
`return_df=True` the exact frame behind it: sorted as plotted, labelled in the current language,
numbers still numeric (the table tab formats them; CSV/XLSX keep them as numbers).

- ranking.figure(frame, code, *, target=None, highlight=None, lang=None, return_df=False)
- trend.figure(frame, code, *, grain="year", target=None, lang=None, return_df=False)
- cards.figure(inputs, *, lang=None, return_df=False)  + cards.render(frame)
- choropleth.figure(frame, code, *, lang=None, return_df=False)
- compare.figure(components, code, unit_a, unit_b, *, lang=None, return_df=False)
`frame` is an INDICATOR FRAME (ui/indicators.py docstring). Shared helpers: ui/charts/common.py.
"""
