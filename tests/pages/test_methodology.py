"""Methodology page (Phương pháp) through AppTest: the same catalogue as docs/indicators.md."""

from __future__ import annotations

from queries import catalogue
from queries.docs import query_section
from tests.pages.conftest import tables
from ui import methodology, t
from ui.indicators import indicators

PAGE = "pages/phuong-phap.py"


def _table(at, index=0):
    value = tables(at)[index].value
    return getattr(value, "data", value)


def test_every_indicator_and_query_is_documented(page_lake, app):
    at = app(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    table = _table(at)
    assert list(table["Mã"]) == list(indicators())
    labels = " ".join(e.label for e in at.expander)
    for name in catalogue():
        assert f"`{name}`" in labels
    markdown = "\n".join(m.value for m in at.markdown)
    assert "PROGRESS_ON_TIME" in markdown  # the 766 scoring table
    assert "geoBoundaries" in markdown  # the boundaries' attribution
    assert "CECODES" in markdown  # PAPI's SOURCE.md


def test_sections_are_the_docs_renderer_output():
    """English: the section of docs/indicators.md itself. Vietnamese: the same header fields under Vietnamese
    labels, after a note that the query reference is quoted in English."""
    for name, _, section in methodology.query_sections("en"):
        full = query_section(catalogue()[name])
        assert full.endswith(section) or section in full
    for name, description, section in methodology.query_sections("vi"):
        query = catalogue()[name]
        assert section.startswith(f"*{t('methodology.english_reference', 'vi')}*")
        assert description in section and f"**{t('methodology.q_grain', 'vi')}:** {query.grain}" in section


def test_english_and_permalink(page_lake, app):
    at = app(PAGE, lang="en")
    assert not at.exception
    assert at.title[0].value == "Methodology"
    assert "Definition, formula" in _table(at).columns


def test_empty_lake_still_explains_the_methods(empty_lake, app):
    at = app(PAGE)
    assert not at.exception
    assert "python -m etl demo" in " ".join(m.value for m in at.markdown)
    assert len(at.expander) >= len(catalogue())


def test_an_entry_per_published_index_with_its_source_method_versions_and_breaks(empty_lake, app):
    """Each of the five published indices has its entry (data/reference/published_methods.csv): PCI's four
    versions, the years its method changed, and VCCI as the source; the page needs no data."""
    at = app(PAGE, lang="en")
    assert not at.exception
    entries = {e.label: "\n".join(m.value for m in e.markdown) for e in at.expander}
    names = ("766 score (national portal)", "PAR Index", "SIPAS", "PAPI", "PCI")
    assert all(name in entries for name in names), sorted(entries)
    pci = entries["PCI"]
    versions = [line.split(" | ")[0].lstrip("| ") for line in pci.splitlines() if line.startswith("| PCI 20")]
    assert versions == ["PCI 2005 (9 sub-indices)", "PCI 2006 (10 sub-indices)", "PCI 2009 (9 sub-indices)",
                        "PCI 2013 (10 sub-indices)"]  # fmt: skip
    assert "2006, 2009, 2013" in pci and "pcivietnam.org" in pci
    assert "2018" in entries["PAPI"] and "8 dimensions" in entries["PAPI"]
    assert "876/QĐ-BNV" in entries["PAR Index"] and "2026" in entries["766 score (national portal)"]
