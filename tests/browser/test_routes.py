"""Every route in a real browser (ui/navigation.py, "Addresses"), each on a freshly started server, since
Streamlit routes the first visits after a start by the files of pages/ (streamlit#9992):

- open mode: a permalink (/so-sanh?year=2023) as the first visitor opens its page with its year and no
  "Page not found" dialog; then every page's slug, and the root, open their page in a fresh session;
- login mode: every address Streamlit can route to (each slug, which is also the address derived from
  the page's file; the root; the addresses the page files had before they were named after their slugs)
  shows, in a fresh session, only the sign-in screen: no page title, no table, chart, number or
  download, no menu.
"""

from __future__ import annotations

from collections.abc import Iterator

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
from ui import navigation, t

pytestmark = pytest.mark.browser

# the title each page shows (its h1)
PAGE_TITLES = {
    "tong-quan": "overview.title",
    "vi-tri": "standing.title",
    "so-sanh": "compare.title",
    "xu-huong": "trends.title",
    "chi-so": "drilldown.title",
    "ho-so": "explorer.title",
    "ke-hoach": "plans.title",
    "phuc-vu": "service.title",
    "du-lieu": "quality.title",
    "phuong-phap": "methodology.title",
}
# file-derived addresses of the pages before they were named after their slugs (the login-mode bypass)
FORMER_FILE_ADDRESSES = ("overview", "compare", "trends", "drilldown", "dossiers", "data_quality", "methodology")
DATA_SELECTOR = (
    '[data-testid="stDataFrame"], [data-testid="stPlotlyChart"], [data-testid="stMetric"], '
    '[data-testid="stDownloadButton"], [data-testid="stSidebarNav"] a'
)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_browser()
    with chromium() as browser:
        yield browser


def _h1(page) -> list[str]:
    return [text.strip() for text in page.locator("h1").all_inner_texts()]


def test_the_registry_titles_every_page() -> None:
    assert set(PAGE_TITLES) == {page.slug for page in navigation.PAGES}


def test_open_mode_a_permalink_as_the_first_visitor_then_every_slug(demo_data_dir, browser) -> None:
    with serve(demo_data_dir, "routes-open-server.log") as base:
        context = new_context(browser)
        try:
            page = new_page(context)
            open_page(page, f"{base}/so-sanh?year=2023")  # the first visitor since the server started
            shot = screenshot(page, "route-first-visitor-so-sanh")
            assert not problems(page), (shot, problems(page))
            assert _h1(page)[0] == t("compare.title", "vi"), shot
            # the chart is of 2023: its caption names the period
            assert f"{t('meta.period', 'vi')}: 2023" in page.locator("body").inner_text(), shot
            assert "year=2023" in page.url
        finally:
            context.close()
        for path, slug in [("", "tong-quan")] + [(s, s) for s in PAGE_TITLES]:
            context = new_context(browser)  # a fresh session for each address
            try:
                page = new_page(context)
                open_page(page, f"{base}/{path}")
                shot = screenshot(page, f"route-{slug}" if path else "route-root")
                assert not problems(page), (f"/{path}", shot, problems(page))
                assert _h1(page)[0] == t(PAGE_TITLES[slug], "vi"), (f"/{path}", shot)
            finally:
                context.close()


def test_login_mode_every_address_shows_only_the_sign_in_screen(demo_data_dir, browser) -> None:
    addresses = ["ho-so", *[s for s in PAGE_TITLES if s != "ho-so"], "", *FORMER_FILE_ADDRESSES]
    with serve(demo_data_dir, "routes-login-server.log", CCHC_ACCESS_MODE="login") as base:
        for path in addresses:  # the first one is the first visit since the server started
            context = new_context(browser)
            try:
                page = new_page(context)
                open_page(page, f"{base}/{path}")
                shot = screenshot(page, f"route-login-{path or 'root'}")
                assert _h1(page) == [t("access.login_title", "vi")], (f"/{path}", shot)
                assert page.locator(DATA_SELECTOR).count() == 0, (f"/{path}", shot)
                text = page.locator("body").inner_text()
                for slug, key in PAGE_TITLES.items():
                    assert t(key, "vi") not in text, (f"/{path}", slug, shot)
            finally:
                context.close()
