"""The page registry, and the frame every page runs in: the language switch, the access gate, the demo label
and the navigation.

    PAGES                      every page: its URL slug (= its file pages/<slug>.py), title, icon, section
    main()                     dashboard.py: the frame, then the page the address names
    enter(__file__)            the first line of every page file (see below)

Addresses. A page is served at /<slug> (/so-sanh?year=2023 is a permalink, the same in both languages);
the first page, the Overview, also at the root. Streamlit derives an address from each file of the pages/
folder as well, and before any st.navigation has run in a fresh server process it routes by those file
addresses alone (its "pages directory" mode, streamlit#9992), running the page file without
dashboard.py. Two choices make that harmless:
- each page file is named after its slug, so the file-derived address is the slug: the first visitor of
  /so-sanh finds the page Streamlit looks for (no "Page not found"), and no second address exists;
- each page file starts with `navigation.enter(__file__)`: run by Streamlit directly, the page first runs
  the frame (language, access gate, demo label, navigation), so the gate stands in front of every route;
  run through dashboard.py, the frame has run already and `enter` returns at once.
tests/browser/test_routes.py checks both in a real browser, login mode included.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from ui import access, data, filters
from ui import format as fmt
from ui.fetch import lake_status
from ui.i18n import t

PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"


@dataclass(frozen=True)
class PageEntry:
    slug: str  # the URL path, and the page file's name
    title_key: str  # dictionary key of the title shown in the navigation
    icon: str  # a Material icon (served by Streamlit itself, no outside call)
    section_key: str  # dictionary key of the navigation section

    @property
    def file(self) -> str:
        """The page file, relative to the repository (what st.Page and AppTest.switch_page take)."""
        return f"pages/{self.slug}.py"


PAGES: tuple[PageEntry, ...] = (
    PageEntry("tong-quan", "nav.overview", ":material/dashboard:", "nav.section_browse"),
    PageEntry("vi-tri", "standing.nav", ":material/military_tech:", "nav.section_browse"),
    PageEntry("so-sanh", "nav.compare", ":material/leaderboard:", "nav.section_browse"),
    PageEntry("xu-huong", "nav.trends", ":material/show_chart:", "nav.section_browse"),
    PageEntry("chi-so", "nav.drilldown", ":material/account_tree:", "nav.section_detail"),
    PageEntry("ho-so", "nav.dossiers", ":material/folder_open:", "nav.section_detail"),
    PageEntry("ke-hoach", "nav.plans", ":material/checklist:", "nav.section_detail"),
    PageEntry("phuc-vu", "service.nav", ":material/support_agent:", "nav.section_detail"),
    PageEntry("du-lieu", "nav.data_quality", ":material/fact_check:", "nav.section_about"),
    PageEntry("phuong-phap", "nav.methodology", ":material/menu_book:", "nav.section_about"),
)

_IN_FRAME: contextvars.ContextVar[bool] = contextvars.ContextVar("cchc_in_frame", default=False)


def registry() -> dict[str, list[st.Page]]:
    """Sections -> st.Page, titles in the current language. The first page is the default, served at the
    root, and also at its own slug (a hidden twin: the default page's public address is always the root)."""
    sections: dict[str, list[st.Page]] = {}
    for i, page in enumerate(PAGES):
        title, section = t(page.title_key), t(page.section_key)
        if i == 0:
            sections.setdefault(section, []).append(
                st.Page(page.file, title=title, icon=page.icon, url_path="", default=True)
            )
            sections[section].append(
                st.Page(page.file, title=title, icon=page.icon, url_path=page.slug, visibility="hidden")
            )
        else:
            sections.setdefault(section, []).append(st.Page(page.file, title=title, icon=page.icon, url_path=page.slug))
    return sections


def lake_banner() -> None:
    """The demo-data label (when the published lake is demo data), naming the sources that are real published
    figures (the demo's PAPI), and when the data were published."""
    status = lake_status()
    if status is None:
        return
    if status.get("is_demo"):
        demo = data.demo_kinds()
        real = [t(f"source_kind.{kind}") for kind in data.as_of_by_source() if kind not in demo]
        label = t("app.demo_label") + (" " + t("app.demo_except", sources=", ".join(real)) if real else "")
        st.warning(label, icon=":material/science:")
    if status.get("published_at") is not None:
        st.sidebar.caption(t("app.published_at", when=fmt.datetime(status["published_at"])))


def frame() -> st.Page:
    """What every page run starts with; returns the page the address names. The vi/en switch
    (`?lang=en`) comes first so everything after it is translated; the access gate (ui/access.py: the
    sign-in screen, "no access", or who is signed in) stops the run when the viewer may see nothing."""
    # An emoji favicon becomes a data: URL; a :material/…: one would be fetched from fonts.gstatic.com.
    st.set_page_config(page_title="CCHC", page_icon="🏛️", layout="wide")
    filters.clear_notices()
    filters.lang()
    st.set_page_config(page_title=t("app.title"))
    if not access.gate():
        # No menu on the sign-in or "no access" screen; this also replaces the menu Streamlit derives
        # from the pages/ folder when it routed by file (module docstring).
        st.navigation(registry(), position="hidden")
        st.stop()
    lake_banner()  # before the navigation: shown on every page
    return st.navigation(registry(), position="sidebar")


def main() -> None:
    """dashboard.py: the frame, then the page."""
    page = frame()
    token = _IN_FRAME.set(True)
    try:
        page.run()
    finally:
        _IN_FRAME.reset(token)


def enter(page_file: str) -> None:
    """The first line of every page file. Run through dashboard.py it does nothing; run by Streamlit
    directly (its pages-directory routing, module docstring) it runs the frame first, the gate included,
    and, should the address name another page, that page instead."""
    if _IN_FRAME.get():
        return
    page = frame()
    if (page.url_path or PAGES[0].slug) == Path(page_file).stem:
        return  # the address names this very file: its body runs next
    token = _IN_FRAME.set(True)
    try:
        page.run()
    finally:
        _IN_FRAME.reset(token)
    st.stop()
