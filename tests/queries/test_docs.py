"""docs/indicators.md is generated from the query catalogue and the scoring tables, and is current."""

from __future__ import annotations

from queries import docs
from queries.catalogue import load_catalogue


def test_every_query_is_documented() -> None:
    text = docs.render()
    for name, query in load_catalogue().items():
        assert f"### `{name}`" in text
        assert query.description in text and query.grain in text


def test_indicators_md_is_current() -> None:
    current = docs.INDICATORS_MD.read_text(encoding="utf-8") if docs.INDICATORS_MD.exists() else ""
    assert current == docs.render(), "docs/indicators.md is stale: run `python -m queries docs`"


def test_render_is_deterministic() -> None:
    assert docs.render() == docs.render()
