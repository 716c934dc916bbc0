"""Methodology (the Phương pháp page): every indicator's definition, formula, source and methodology
version, from the same catalogue docs/indicators.md is rendered from, and the data attributions. The
content is read from the repository (the indicator catalogue, the query headers, the SOURCE.md files), so
the page works without data in the lake.

    indicators_frame()        data/reference/indicators.csv as a labelled table (Table / Download tabs)
    query_sections()          (name, description, Markdown) per query module: queries.docs.query_section,
                              the renderer of docs/indicators.md, so page and file cannot disagree
    scoring_section()         the Decision 766 scoring table: queries.docs.scoring_766_section
    published_index_sections()  (title, Markdown) per published index: what it is, its source, its method
                              versions and breaks (data/reference/published_methods.csv, ui/published.py)
    attributions()            (title, Markdown) of every data/reference/*/SOURCE.md
"""

from __future__ import annotations

import polars as pl

from queries import catalogue
from queries.docs import query_section, scoring_766_section
from queries.paths import REFERENCE_DIR
from ui.charts.common import label_columns
from ui.i18n import current_lang, t
from ui.indicators import indicators
from ui.published import INDEXES, breaks, method_versions

SOURCE_TITLES: dict[str, str] = {
    "766": "methodology.source_766",
    "par": "methodology.source_par",
    "sipas": "methodology.source_sipas",
    "papi": "methodology.source_papi",
    "pci": "published.folder_pci",
    "names": "published.folder_names",
    "units": "methodology.source_units",
    "geo": "methodology.source_geo",
}


def indicators_frame(lang: str | None = None) -> pl.DataFrame:
    """One row per indicator of the catalogue: code, name, definition (the formula in words), unit,
    source, methodology version, query module, methodology breaks (first years not comparable)."""
    lang = lang or current_lang()
    rows = [
        {
            "code": ind.code,
            "name": ind.name(lang),
            "definition": ind.definition(lang),
            "unit": t(f"unit_name.{ind.unit}", lang),
            "source": ind.source(lang),
            "methodology": ind.methodology,
            "query": ind.query,
            "breaks": ", ".join(str(b) for b in ind.breaks) or None,
        }
        for ind in indicators().values()
    ]
    schema = dict.fromkeys(
        ("code", "name", "definition", "unit", "source", "methodology", "query", "breaks"), pl.String
    )
    frame = pl.DataFrame(rows, schema=schema)
    return label_columns(frame, lang, {k: t(f"methodology.col_{k}", lang) for k in schema})


def query_sections() -> list[tuple[str, str, str]]:
    """(query name, description, Markdown section of docs/indicators.md) for every query module."""
    return [(q.name, q.description, _without_heading(query_section(q))) for q in catalogue().values()]


def scoring_section() -> str:
    """The Decision 766 scoring table and bands, as docs/indicators.md shows them."""
    return _without_heading(scoring_766_section())


def published_index_sections(lang: str | None = None) -> list[tuple[str, str]]:
    """(title, Markdown) per published index, in ui.published.INDEXES order: what it is, how it is loaded and
    ranked, its source, and a table of its method versions (years, what changed, source) with the years
    its method changed (no series is drawn across them)."""
    lang = lang or current_lang()
    out = []
    for code in INDEXES:
        key = code.lower()
        header = (
            f"| {t('published.methods_col_version', lang)} | {t('published.methods_col_years', lang)} "
            f"| {t('published.methods_col_change', lang)} | {t('published.methods_col_source', lang)} |"
        )
        lines = [
            t(f"published.about_{key}", lang),
            "",
            f"**{t('meta.source', lang)}:** {t(f'published.source_{key}', lang)}",
            "",
            header,
            "|---|---|---|---|",
        ]
        for version in method_versions()[code]:
            cells = (version.version, version.years(), version.change(lang), version.source)
            lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
        changed = ", ".join(str(y) for y in breaks(code))
        lines += ["", t("standing.breaks", lang, years=changed) if changed else t("standing.no_breaks", lang)]
        out.append((t(f"published.name_{key}", lang), "\n".join(lines)))
    return out


def _without_heading(markdown: str) -> str:
    """The section without its first heading line (the page shows its own, translated, heading)."""
    lines = markdown.lstrip("\n").splitlines()
    if lines and lines[0].startswith("#"):
        lines = lines[1:]
    return "\n".join(lines).strip("\n")


def attributions(lang: str | None = None) -> list[tuple[str, str]]:
    """(title, Markdown) of each data/reference/<folder>/SOURCE.md, in a fixed order."""
    lang = lang or current_lang()
    out = []
    paths = sorted(REFERENCE_DIR.glob("*/SOURCE.md"))
    order = {name: i for i, name in enumerate(SOURCE_TITLES)}
    for path in sorted(paths, key=lambda p: (order.get(p.parent.name, len(order)), p.parent.name)):
        key = SOURCE_TITLES.get(path.parent.name)
        title = t(key, lang) if key else path.parent.name
        text = path.read_text(encoding="utf-8")
        out.append((f"{title} — data/reference/{path.parent.name}/SOURCE.md", _demote_headings(text)))
    return out


def _demote_headings(markdown: str) -> str:
    """SOURCE.md headings one level down, so they sit under the page's own headings."""
    lines = []
    for line in markdown.splitlines():
        lines.append("#" + line if line.startswith("#") else line)
    return "\n".join(lines)
