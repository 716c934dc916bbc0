"""The page registry (ui/navigation.py) and the page files agree: every file of pages/ is a registered
page named after its URL slug, and runs the frame (the access gate) before anything else. The routes
themselves are checked in a real browser (tests/browser/test_routes.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ui import navigation

REPO = Path(__file__).resolve().parents[2]


def test_every_page_file_is_registered_under_its_slug() -> None:
    files = sorted(p.name for p in (REPO / "pages").glob("*.py"))
    assert files == sorted(f"{page.slug}.py" for page in navigation.PAGES)
    assert all((REPO / page.file).is_file() for page in navigation.PAGES)
    assert navigation.PAGES[0].slug == "tong-quan"  # the default page, also served at the root


@pytest.mark.parametrize("page", navigation.PAGES, ids=[p.slug for p in navigation.PAGES])
def test_a_page_runs_the_frame_before_anything_else(page) -> None:
    """The first statement after the docstring and the imports is `navigation.enter(__file__)`: run by
    Streamlit without dashboard.py, the page still starts with the access gate."""
    body = ast.parse((REPO / page.file).read_text(encoding="utf-8")).body
    first = next(
        node
        for node in body
        if not isinstance(node, ast.Import | ast.ImportFrom)
        and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
    )
    assert ast.unparse(first) == "navigation.enter(__file__)"


def test_slugs_are_url_safe_and_unique() -> None:
    slugs = [page.slug for page in navigation.PAGES]
    assert len(set(slugs)) == len(slugs)
    assert all(slug.replace("-", "").isascii() and slug.replace("-", "").isalpha() for slug in slugs)
