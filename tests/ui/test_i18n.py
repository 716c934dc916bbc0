"""The vi/en dictionaries: same keys, same placeholders, and every key the code uses exists."""

import re
import string
from pathlib import Path

import pytest

from ui import i18n
from ui.charts.common import COLUMN_LABELS
from ui.filters import LEVELS, PERIODS
from ui.indicators import indicators

REPO = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((REPO / "ui").rglob("*.py")), *sorted((REPO / "pages").glob("*.py")), REPO / "dashboard.py"]
# t("key"), t('key', …): the key is the first argument
T_CALL = re.compile(r"""\bt\(\s*["']([A-Za-z0-9_%]+(?:\.[A-Za-z0-9_%]+)+)["']""")
# any "section.key" string literal whose section is a dictionary section (PAGES registry, COLUMN_LABELS …)
LITERAL = re.compile(r"""["']([a-z_0-9]+(?:\.[a-z_0-9%]+)+)["']""")
FILE_SUFFIXES = (".py", ".csv", ".toml", ".json", ".md", ".txt", ".xlsx", ".sql", ".geojson", ".duckdb")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys():
    vi, en = i18n.dictionary("vi"), i18n.dictionary("en")
    assert sorted(set(vi) - set(en)) == [], "keys in vi missing from en"
    assert sorted(set(en) - set(vi)) == [], "keys in en missing from vi"


def test_placeholders_match_between_languages():
    vi, en = i18n.dictionary("vi"), i18n.dictionary("en")
    wrong = {
        k: (_placeholders(vi[k]), _placeholders(en[k])) for k in vi if _placeholders(vi[k]) != _placeholders(en[k])
    }
    assert wrong == {}


def test_no_empty_translations():
    for lang in i18n.LANGS:
        assert [k for k, v in i18n.dictionary(lang).items() if not v.strip()] == []


def _used_keys() -> dict[str, set[str]]:
    sections = {key.split(".", 1)[0] for key in i18n.dictionary("vi")}
    used: dict[str, set[str]] = {}
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        keys = set(T_CALL.findall(text))
        for literal in LITERAL.findall(text):
            if literal.split(".", 1)[0] in sections and not literal.endswith(FILE_SUFFIXES):
                keys.add(literal)
        if keys:
            used[str(path.relative_to(REPO))] = keys
    return used


def test_every_key_used_in_the_code_exists():
    vi = i18n.dictionary("vi")
    missing = {path: sorted(k for k in keys if k not in vi) for path, keys in _used_keys().items()}
    assert {p: m for p, m in missing.items() if m} == {}


def test_the_grep_finds_keys():
    used = set().union(*_used_keys().values())
    assert "overview.title" in used and "nav.overview" in used and "view.download_csv" in used


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_keys_built_at_run_time_exist(lang):
    d = i18n.dictionary(lang)
    dynamic = {f"period.{p}" for p in PERIODS} | {f"level.{lv}" for lv in LEVELS}
    dynamic |= {f"unit_name.{ind.unit}" for ind in indicators().values()}
    dynamic |= {f"unit.{ind.unit}" for ind in indicators().values() if ind.unit not in ("%", "rank", "count")}
    dynamic |= set(COLUMN_LABELS.values()) | {f"quartile.q{q}" for q in range(1, 5)}
    dynamic |= {f"meta.{k}" for k in ("unit", "source", "methodology", "query")}
    assert sorted(k for k in dynamic if k not in d) == []


def test_t_formats_and_falls_back():
    assert i18n.t("notice.url_value", "en", param="year", value="x").startswith("The value x")
    assert i18n.t("no.such.key", "en") == "no.such.key"
    assert i18n.t("filter.year", "vi") == "Năm"
    assert i18n.t("filter.year", "en") == "Year"
    assert i18n.current_lang() == "vi"  # outside a Streamlit run


def test_a_key_defined_in_two_files_is_an_error(tmp_path, monkeypatch):
    (tmp_path / "vi.toml").write_text('[a]\nb = "1"\n', encoding="utf-8")
    (tmp_path / "vi.extra.toml").write_text('[a]\nb = "2"\nc = "3"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "DICT_DIR", tmp_path)
    i18n.dictionary.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"a\.b"):
            i18n.dictionary("vi")
    finally:
        monkeypatch.undo()
        i18n.dictionary.cache_clear()
