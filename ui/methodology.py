"""Methodology (the Phương pháp page): every indicator's definition, formula, source and methodology
version, from the same catalogue docs/indicators.md is rendered from, and the data attributions. The
content is read from the repository (the indicator catalogue, the query headers, the SOURCE.md files), so
the page works without data in the lake.

    indicators_frame()        data/reference/indicators.csv as a labelled table (Table / Download tabs)
    query_sections()          (name, description, Markdown) per query module: queries.docs.query_section,
                              the renderer of docs/indicators.md, so page and file cannot disagree
    scoring_section(lang)     the Decision 766 scoring table and bands, in the language
    published_index_sections()  (title, Markdown) per published index: what it is, its source, its method
                              versions and breaks (data/reference/published_methods.csv, ui/published.py)
    attributions()            (title, Markdown) of every data/reference/*/SOURCE.md
"""

from __future__ import annotations

import csv
from typing import Any

import polars as pl

from queries import catalogue
from queries.docs import query_section
from queries.paths import REFERENCE_DIR
from ui.charts.common import label_columns
from ui.i18n import current_lang, has, t
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
            "methodology": ind.methodology_text(lang),
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


def query_sections(lang: str | None = None) -> list[tuple[str, str, str]]:
    """(query name, description, Markdown section) for every query module. English: queries.docs.query_section,
    the renderer of docs/indicators.md, so page and file cannot disagree. Vietnamese: the same fields under
    Vietnamese labels (query_section_vi); the query headers themselves are the technical reference, in
    English, and the page says so."""
    lang = lang or current_lang()
    if lang == "en":
        return [(q.name, q.description, _without_heading(query_section(q))) for q in catalogue().values()]
    return [(q.name, q.description, query_section_vi(q)) for q in catalogue().values()]


def query_section_vi(query: Any) -> str:
    """A query module's section with Vietnamese labels (the fields of queries.docs.query_section)."""
    lines = [f"*{t('methodology.english_reference')}*", "", query.description, ""]
    lines.append(f"- **{t('methodology.q_grain')}:** {query.grain}")
    if query.source:
        lines.append(f"- **{t('methodology.q_source')}:** {query.source}")
    lines.append(f"- **{t('methodology.q_columns')}:** {', '.join(f'`{c}`' for c in query.columns)}")
    if query.method:
        lines.append(f"- **{t('methodology.q_method')}:** {query.method}")
    access = []
    if query.scope_column:
        access.append(t("methodology.q_scope", column=query.scope_column))
    if query.detail:
        access.append(t("methodology.q_detail"))
    if access:
        lines.append(f"- **{t('methodology.q_access')}:** {'; '.join(access)}")
    lines.append("")
    if query.params:
        lines += [f"| {t('methodology.q_param_header')} |", "|---|---|---|---|"]
        for p in query.params:
            default = t("methodology.q_required") if p.required else ("NULL" if p.default is None else f"`{p.default}`")
            allowed = " \\| ".join(f"`{a}`" for a in p.allowed) if p.allowed else ""
            lines.append(f"| `{p.name}` | {p.type} | {default} | {allowed} |")
        lines.append("")
    return "\n".join(lines)


def scoring_section(lang: str | None = None) -> str:
    """The Decision 766 scoring table and bands of data/reference/766 (the table docs/indicators.md shows),
    with headers, groups, metrics and bands in the language (metric names: the `metric766` dictionary)."""
    lang = lang or current_lang()
    with (REFERENCE_DIR / "766" / "scoring.csv").open(encoding="utf-8") as handle:
        scoring = list(csv.DictReader(handle))
    with (REFERENCE_DIR / "766" / "bands.csv").open(encoding="utf-8") as handle:
        bands = list(csv.DictReader(handle))
    lines = [
        t("methodology.scoring_intro", lang),
        "",
        f"| {t('methodology.scoring_header', lang)} |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in scoring:
        scope_key = f"methodology.scope_{row['scope']}"
        cells = (
            f"{row['group_code']} {row['group_name_en' if lang == 'en' else 'group_name_vi']}",
            row["group_max"],
            f"`{row['metric_code']}`",
            t(f"metric766.{row['metric_code']}", lang)
            if has(f"metric766.{row['metric_code']}", lang)
            else row["metric_name_vi"],
            row["max_points"],
            row["full_marks_at"],
            row.get("zero_denominator_points") or t("methodology.no_data", lang),
            t(scope_key, lang) if has(scope_key, lang) else row["scope"],
        )
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines += [
        "",
        t("methodology.bands_intro", lang),
        "",
        f"| {t('methodology.bands_header', lang)} |",
        "|---|---|---|---|",
    ]
    for row in bands:
        verified = {"yes": t("methodology.yes", lang), "no": t("methodology.no", lang)}.get(
            row.get("verified") or "", row.get("verified") or ""
        )
        cells = (
            row["band_en" if lang == "en" else "band_vi"],
            row["min_points"],
            row.get("max_points_exclusive") or "—",
            verified,
        )
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def _cell(text: object) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


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
        text = _demote_headings(path.read_text(encoding="utf-8"))
        if lang != "en":  # the files are written in English: the page says so before quoting them
            text = f"*{t('methodology.source_verbatim', lang)}*\n\n{text}"
        out.append((f"{title} — data/reference/{path.parent.name}/SOURCE.md", text))
    return out


def _demote_headings(markdown: str) -> str:
    """SOURCE.md headings one level down, so they sit under the page's own headings."""
    lines = []
    for line in markdown.splitlines():
        lines.append("#" + line if line.startswith("#") else line)
    return "\n".join(lines)
