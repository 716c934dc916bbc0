"""Render the data contract (etl/contract.py) as Markdown: docs/data-contract.md is its output."""

from __future__ import annotations

from etl import contract, lake


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_contract() -> str:
    out = [
        "# Data contract",
        "",
        "Generated from `etl/contract.py` by `python -m etl contract > docs/data-contract.md`",
        "(`make docs`); a test fails when this file is out of date. Do not edit it by hand.",
        "",
        "Headers are matched case-, diacritics- and spacing-insensitively against the canonical name and",
        "every alias (`Ngày tiếp nhận`, `NGAY TIEP NHAN`, `NgayTiepNhan` and `received_at` are the same",
        "column). Codes are matched the same way against their accepted forms.",
        "",
        "## Column types",
        "",
        "| type | lake type | accepted input |",
        "|---|---|---|",
        "| text | VARCHAR | any text; normalised to Unicode NFC, trimmed |",
        "| code | VARCHAR | one of the vocabulary's accepted forms (below) |",
        "| unit_code | VARCHAR | GSO code, zero-padded to its level (`1` → `01`/`001`), or "
        "`<province>.<short>`; must exist in `units` |",
        "| date | DATE | dd/mm/yyyy, yyyy-mm-dd, Excel serial |",
        "| timestamp | TIMESTAMP | a date with an optional time HH:MM[:SS] |",
        "| integer | BIGINT | whole number; `1.234` is one thousand two hundred and thirty-four |",
        "| number | DOUBLE | `1.234,5`, `1234.5`; `98,9%` is 0.989 |",
        "| boolean | BOOLEAN | có/không, x/blank, 1/0, true/false, yes/no |",
        "",
        "## Personal data",
        "",
        "Columns with these headers are dropped when a file is read and never reach the lake:",
        ", ".join(f"`{h}`" for h in contract.PII_HEADERS) + ".",
        "",
        "## Tables",
        "",
    ]
    for table in contract.TABLES.values():
        source = (
            f"loaded with `python -m etl load {table.kind} FILE...`"
            if table.kind
            else f"reference data from `data/reference/{table.reference_file}`"
        )
        out += [
            f"### `{table.name}`",
            "",
            table.description,
            "",
            f"- grain: {table.grain}",
            f"- key: {', '.join(f'`{k}`' for k in table.key)}"
            + (" (a later row with the same key replaces the earlier one)" if table.upsert else ""),
            f"- source: {source}",
        ]
        if table.partition_by:
            out.append(f"- stored Hive-partitioned by `{table.partition_by}` of `{table.partition_source}`")
        if table.checks:
            out.append(f"- row checks: {', '.join(f'`{c}`' for c in table.checks)}")
        if table.derived:
            out.append(
                "- derived columns (filled by the loader, not needed in the file; a row they cannot be filled for "
                f"is quarantined with the reason): {', '.join(f'`{c}`' for c in table.derived)}"
            )
        out += ["", "| column | type | required | description | header aliases |", "|---|---|---|---|---|"]
        for c in table.columns:
            kind = f"code: {c.codes}" if c.codes else c.type
            aliases = ", ".join(f"`{a}`" for a in c.aliases)
            required = "derived" if c.name in table.derived else ("yes" if c.required else "")
            out.append(f"| `{c.name}` | {kind} | {required} | {_cell(c.description)} | {_cell(aliases)} |")
        out.append("")
    out += ["## Code vocabularies", ""]
    for name, codes in contract.VOCABULARIES.items():
        out += [f"### `{name}`", "", "| code | accepted forms |", "|---|---|"]
        for canonical, forms in codes.items():
            shown = ", ".join(f"`{f}`" if f else "(blank)" for f in forms)
            out.append(f"| `{canonical}` | {_cell(shown)} |")
        out.append("")
    out += ["## Tables the ETL writes", "", "### `quarantine`", "",
            "One row per problem found in a rejected row; the row's other values are kept in `raw_record`.", "",
            "| column | type |", "|---|---|"]  # fmt: skip
    out += [f"| `{c}` | {t} |" for c, t in lake.QUARANTINE_SCHEMA.items()]
    out += ["", "Reason codes:", "", "| reason | meaning |", "|---|---|"]
    out += [f"| `{r}` | {text} |" for r, text in contract.REASONS.items()]
    out += ["", "### `load_log`", "", "One row per file loaded.", "", "| column | type |", "|---|---|"]
    out += [f"| `{c}` | {t} |" for c, t in lake.LOAD_LOG_SCHEMA.items()]
    out.append("")
    return "\n".join(out)
