"""Every page in Chromium, in Vietnamese and English, at the two points a leader looks at across the reform:
the latest year at commune level (2026 in the demo) and 2024 at district level, each as published and in
today's units (`?year=…&level=…&basis=…`). Each view: the run finishes with no error element, no dialog
and no JavaScript error, and no chart draws text on text or outside itself (`chart_overlaps`: a title on
the legend, a label on another label, a label cut off at the chart's edge). A screenshot of each view goes
to tests/artifacts/screenshots/walk/.

One server over the demo lake (`demo_data_dir`); CCHC_BROWSER_DATA_DIR points it at another published data
directory instead (a demo built elsewhere, a province's own lake). A year the lake does not have falls back
to the latest with a notice, which is not a problem: the walk checks the pages, the page tests check the
numbers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.served import (
    chromium,
    new_context,
    new_page,
    open_page,
    problems,
    require_browser,
    screenshot,
    serve,
)
from ui import navigation

pytestmark = pytest.mark.browser

SLUGS = [page.slug for page in navigation.PAGES]
POINTS = {"latest-commune": {"level": "commune"}, "2024-district": {"year": "2024", "level": "district"}}
BASES = ("as_published", "current")
LANGS = ("vi", "en")

# Text boxes of every drawn Plotly chart that must not overlap one another (the title, the legend and the
# annotations: value labels, target labels, notes), nor leave the chart (those, axis titles and the labels
# written at a bar's end). An overlap of 1 px or less is a touch.
CHART_OVERLAPS_JS = """() => {
  const found = [];
  const box = (el) => el.getBoundingClientRect();
  const meets = (a, b) => a.width > 0 && b.width > 0 &&
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const name = (el) => (el.textContent || '').trim().slice(0, 60);
  document.querySelectorAll('[data-testid="stPlotlyChart"]').forEach((chart, index) => {
    if (chart.offsetParent === null) return;  // a chart on a closed tab
    const svg = chart.querySelector('.main-svg');
    if (!svg) return;
    const frame = box(svg);
    const title = chart.querySelector('.g-gtitle .gtitle');
    const legend = chart.querySelector('.legend .bg') || chart.querySelector('.legend');
    const notes = [...chart.querySelectorAll('.annotation-text-g text, .annotation text')]
      .filter((el) => name(el) !== '');
    if (title && legend && meets(box(title), box(legend)))
      found.push(`chart ${index}: the title "${name(title)}" is on the legend`);
    notes.forEach((note) => {
      if (title && meets(box(note), box(title)))
        found.push(`chart ${index}: the label "${name(note)}" is on the title`);
      if (legend && meets(box(note), box(legend)))
        found.push(`chart ${index}: the label "${name(note)}" is on the legend`);
    });
    for (let i = 0; i < notes.length; i++)
      for (let j = i + 1; j < notes.length; j++)
        if (meets(box(notes[i]), box(notes[j])))
          found.push(`chart ${index}: the labels "${name(notes[i])}" and "${name(notes[j])}" overlap`);
    const texts = [title, ...notes,
      ...chart.querySelectorAll('.legendtext, .g-xtitle text, .g-ytitle text, text.bartext, .textpoint text')];
    texts.filter((el) => el && name(el) !== '').forEach((el) => {
      const b = box(el);
      if (b.width > 0 && (b.left < frame.left - 1 || b.right > frame.right + 1))
        found.push(`chart ${index}: "${name(el)}" is cut off at the chart's edge`);
    });
  });
  return found;
}"""


def chart_overlaps(page) -> list[str]:
    """Text drawn on text, or cut off, in the page's visible charts (CHART_OVERLAPS_JS)."""
    return page.evaluate(CHART_OVERLAPS_JS)


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest) -> Iterator[str]:
    require_browser()
    other = os.environ.get("CCHC_BROWSER_DATA_DIR")
    data_dir = Path(other) if other else request.getfixturevalue("demo_data_dir")
    with serve(data_dir, "browser-walk-server.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser_context(server: str):
    with chromium() as browser:
        context = new_context(browser)
        try:
            yield context
        finally:
            context.close()


@pytest.mark.parametrize("basis", BASES)
@pytest.mark.parametrize("point", list(POINTS))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_every_page_at_both_points(browser_context, server: str, slug: str, lang: str, point: str, basis: str):
    page = new_page(browser_context)
    try:
        query = "&".join(f"{k}={v}" for k, v in {"lang": lang, **POINTS[point], "basis": basis}.items())
        open_page(page, f"{server}/{slug}?{query}")
        shot = screenshot(page, f"walk/{slug}-{lang}-{point}-{basis}")
        found = problems(page) + chart_overlaps(page)
        assert not found, f"/{slug}?{query} ({shot}): {found}"
        assert page.locator("h1").count() >= 1, f"/{slug}?{query} has no title ({shot})"
    finally:
        page.close()
