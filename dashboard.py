"""Entry point: `streamlit run dashboard.py` (what `make run` ends in).

An explicit page registry with stable URL slugs (permalinks keep working when titles are translated):
tong-quan, so-sanh, xu-huong, chi-so, ho-so, du-lieu, phuong-phap. The vi/en switch (`?lang=en`,
Vietnamese by default) is created before anything is translated; then the access gate (ui/access.py:
the login screen, "no access", or who is signed in, per CCHC_ACCESS_MODE, docs/security.md) runs
before any page; the demo-data label and the time the data were published are shown on every page.
"""

from __future__ import annotations

import streamlit as st

from ui import access, filters, t
from ui import format as fmt
from ui.fetch import lake_status

# (file, url slug, title key, Material icon, section key)
PAGES: tuple[tuple[str, str, str, str, str], ...] = (
    ("pages/overview.py", "tong-quan", "nav.overview", ":material/dashboard:", "nav.section_browse"),
    ("pages/compare.py", "so-sanh", "nav.compare", ":material/leaderboard:", "nav.section_browse"),
    ("pages/trends.py", "xu-huong", "nav.trends", ":material/show_chart:", "nav.section_browse"),
    ("pages/drilldown.py", "chi-so", "nav.drilldown", ":material/account_tree:", "nav.section_detail"),
    ("pages/dossiers.py", "ho-so", "nav.dossiers", ":material/folder_open:", "nav.section_detail"),
    ("pages/data_quality.py", "du-lieu", "nav.data_quality", ":material/fact_check:", "nav.section_about"),
    ("pages/methodology.py", "phuong-phap", "nav.methodology", ":material/menu_book:", "nav.section_about"),
)


def registry() -> dict[str, list[st.Page]]:
    """Sections -> pages, titles in the current language; the first page is the default."""
    sections: dict[str, list[st.Page]] = {}
    for i, (path, slug, title_key, icon, section_key) in enumerate(PAGES):
        page = st.Page(path, title=t(title_key), icon=icon, url_path=slug, default=i == 0)
        sections.setdefault(t(section_key), []).append(page)
    return sections


def lake_banner() -> None:
    """The demo-data label (when the published lake is demo data) and when the data were published."""
    status = lake_status()
    if status is None:
        return
    if status.get("is_demo"):
        st.warning(t("app.demo_label"), icon=":material/science:")
    if status.get("published_at") is not None:
        st.sidebar.caption(t("app.published_at", when=fmt.datetime(status["published_at"])))


def main() -> None:
    # An emoji favicon becomes a data: URL; a :material/…: one would be fetched from fonts.gstatic.com (issue 6).
    st.set_page_config(page_title="CCHC", page_icon="🏛️", layout="wide")
    filters.clear_notices()
    filters.lang()
    st.set_page_config(page_title=t("app.title"))
    access.gate()  # stops the run when the viewer may see nothing (login screen, no access, bad setting)
    lake_banner()  # before st.navigation: shown on every page, also when a page is opened directly
    page = st.navigation(registry(), position="sidebar")
    page.run()


main()
