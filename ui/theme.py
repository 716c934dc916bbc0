"""One colour-blind-safe palette (Okabe & Ito 2008), band and quartile colours, the Plotly template.

Colour is never the only carrier of meaning: bars carry their band/quartile as text and in hover,
target lines are dashed and labelled, methodology breaks are dotted vertical lines with a label.
"""

from __future__ import annotations

import plotly.graph_objects as go

from ui.format import plotly_separators

# Okabe-Ito, in the order series are coloured.
OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "sky_blue": "#56B4E9",
    "reddish_purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
SERIES: list[str] = list(OKABE_ITO.values())

NEUTRAL = "#8C8C8C"  # other units, "no band"
MISSING = "#D9D9D9"  # no data (map fill)
TARGET = "#000000"  # target lines: black, dashed
BREAK = "#595959"  # methodology-break markers: dark grey, dotted
HIGHLIGHT = OKABE_ITO["blue"]  # the selected unit

# Decision 766 bands (data/reference/766/bands.csv band_code)
BAND_COLOURS: dict[str, str] = {
    "excellent": OKABE_ITO["bluish_green"],
    "good": OKABE_ITO["sky_blue"],
    "average": OKABE_ITO["orange"],
    "weak": OKABE_ITO["vermillion"],
}

# Quartile groups, 1 = best (PAPI: Cao) … 4 = worst (Thấp); also used for any indicator's quartiles.
QUARTILE_COLOURS: dict[int, str] = {
    1: OKABE_ITO["blue"],
    2: OKABE_ITO["sky_blue"],
    3: OKABE_ITO["orange"],
    4: OKABE_ITO["vermillion"],
}

# Sequential scale for maps (light -> dark blue), readable with every colour-vision type.
SEQUENTIAL: list[list[float | str]] = [
    [0.0, "#F7FBFF"],
    [0.25, "#C6DBEF"],
    [0.5, "#6BAED6"],
    [0.75, "#2171B5"],
    [1.0, "#08306B"],
]

FONT_FAMILY = "Source Sans Pro, Roboto, Arial, sans-serif"  # all with Vietnamese glyphs

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        colorway=SERIES,
        font={"family": FONT_FAMILY, "size": 13, "color": "#262730"},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        xaxis={"gridcolor": "#E5E5E5", "zeroline": False, "automargin": True},
        yaxis={"gridcolor": "#E5E5E5", "zeroline": False, "automargin": True},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
    )
)


def band_colour(band_code: str | None) -> str:
    return BAND_COLOURS.get(band_code or "", NEUTRAL)


def quartile_colour(quartile: int | None) -> str:
    return QUARTILE_COLOURS.get(int(quartile), NEUTRAL) if quartile is not None else NEUTRAL


def series_colour(i: int) -> str:
    return SERIES[i % len(SERIES)]


def style(fig: go.Figure, lang: str | None = None, *, title: str | None = None, height: int | None = None) -> go.Figure:
    """Apply the template and the language's separators (1.234,5 in vi) to a figure; returns it."""
    fig.update_layout(template=TEMPLATE, separators=plotly_separators(lang))
    if height is not None:
        fig.update_layout(height=height)
    return place_title(room_for_outside_labels(fig), title)


OUTSIDE_LABEL_CHAR_PX = 7  # about the width of one character of a bar's 12 px label


def room_for_outside_labels(fig: go.Figure) -> go.Figure:
    """A right margin wide enough for the longest label written outside the end of a horizontal bar
    (`textposition="outside"`): the longest bar reaches the plot's edge, and its label must not be cut off
    at the figure's ("16,82 / 2…")."""
    widest = 0
    for trace in fig.data:
        if trace.type != "bar" or trace.orientation != "h" or trace.textposition != "outside" or trace.text is None:
            continue
        texts = [trace.text] if isinstance(trace.text, str) else trace.text
        widest = max(widest, max((len(str(text)) for text in texts if text is not None), default=0))
    if widest:
        current = fig.layout.margin.r if fig.layout.margin.r is not None else 0
        fig.update_layout(margin={"r": max(current, 16 + OUTSIDE_LABEL_CHAR_PX * widest)})
    return fig


def place_title(fig: go.Figure, title: str | None = None) -> go.Figure:
    """Set the title (when given) and keep it clear of the legend: the legend sits in a row above the plot,
    the title goes above that row, with the top margin to hold both (also for a title set after the chart
    was built: ui.views.view_tabs)."""
    if title is not None:
        fig.update_layout(title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}})
    if fig.layout.title.text:
        legend_rows = (
            1
            if any(getattr(trace, "showlegend", False) is not False for trace in fig.data) and len(fig.data) > 1
            else 0
        )
        top = 50 + 40 * legend_rows
        margin = max(top, fig.layout.margin.t if fig.layout.margin.t is not None else 0)
        if fig.layout.height:
            # the legend 6 px above the plot whatever its height (1.02 of a 4,000 px plot is 80 px up, on the title)
            plot = max(fig.layout.height - margin - (fig.layout.margin.b or 0), 1)
            fig.update_layout(legend={"y": 1 + 6 / plot})
        fig.update_layout(
            margin={"t": margin},
            # at the very top in pixels, whatever the figure's height (0.99 of a 4,000 px ranking is 40 px down)
            title={"yref": "container", "y": 1.0, "yanchor": "top", "pad": {"t": 8}},
        )
    return fig
