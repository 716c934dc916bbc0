"""The hostile-input corpus (tests/corpus/): every file through the real pipeline, outcome as expected.

For each case of tests/corpus/expected.toml, `etl.load.load_files(kind, [file], data_dir=...)` runs on a
copy of a freshly seeded lake, and the test checks:
- loaded files: accepted / quarantined counts and reasons, the quarantined row numbers, accepted +
  quarantined == the file's records, every good row's key in the lake (and nothing else), spot values,
  notices in the load message, and no personal data anywhere in the lake;
- refused files: status "refused", the message (one line, naming the file and the problem), and the lake
  exactly as it was; a few also through `python -m etl load` (one line on stderr, non-zero exit, no
  traceback, nothing on stdout);
- the 1,100,000-row file (generated here): loaded by `python -m etl load` with its peak memory under
  BIG_RSS_LIMIT_MB, whatever the size of the file (see docs/reliability.md for the measurements);
- tests/corpus/ is what tests/corpus/make_corpus.py builds, and docs/reliability.md's table is what
  `render_table` makes of expected.toml.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench import measured
from etl import contract, lake
from etl.load import load_files
from queries.paths import CATALOG_NAME

pytestmark = pytest.mark.slow  # every hostile file through a whole load on a copy of a seeded lake, ~90 loads

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus"
sys.path.insert(0, str(CORPUS))

import make_corpus  # noqa: E402

CASES = make_corpus.load_expectations()
CHECKED_IN = [c for c in CASES if not c.get("generated")]
RELIABILITY_DOC = REPO / "docs" / "reliability.md"
# Peak RSS of `python -m etl load dossiers <1.1M rows>`: measured 460 MB (interpreter and libraries
# ~190 MB, one 8 MB batch of CSV text being parsed and validated ~250 MB, DuckDB capped at 256 MB by
# etl.lake.WRITER_MEMORY_LIMIT while merging). Reading the whole file, as the loader once did, took
# 970 MB for this file and grows with every row; the bound catches that.
BIG_RSS_LIMIT_MB = 700


def case_id(case: dict) -> str:
    return case["file"] + (f"[{case['sheet']}]" if case.get("sheet") else "")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory after its first publish (reference tables and GSO units, no dossiers)."""
    root = tmp_path_factory.mktemp("seed") / "data"
    seed = root.parent / "seed.csv"
    seed.write_text("Mã hồ sơ;Mã TTHC;Mã đơn vị;Ngày tiếp nhận;Trạng thái;Kênh thực hiện\n", encoding="utf-8")
    (result,) = load_files("dossiers", [seed], data_dir=root)
    assert result.status == "loaded"
    return root


@pytest.fixture
def lake_copy(seeded: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(seeded, target, symlinks=True)
    return target


def lake_state(root: Path) -> tuple:
    """What a refused load must leave alone: the catalogue it points at and every file of the lake."""
    files = sorted(p.relative_to(root).as_posix() for p in (root / "lake").rglob("*") if p.is_file())
    return os.readlink(root / CATALOG_NAME), files


def key_sql(kind: str) -> str:
    table = contract.KINDS[kind]
    return "concat_ws('|', " + ", ".join(f"coalesce(cast({k} as varchar), '')" for k in table.key) + ")"


# ---------------------------------------------------------------------------------------------
# Every checked-in file
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CHECKED_IN, ids=case_id)
def test_corpus_file(case: dict, lake_copy: Path) -> None:
    path = CORPUS / "files" / case["file"]
    before = lake_state(lake_copy)
    (result,) = load_files(case["kind"], [path], data_dir=lake_copy, sheet=case.get("sheet"))
    assert "\n" not in result.message
    for notice in case.get("notices", []):
        assert notice in result.message, result.message
    if case["outcome"] == "refused":
        assert result.status == "refused", result.message
        assert result.message.startswith(str(path)), result.message
        assert case["message"] in result.message, result.message
        assert (result.rows_accepted, result.rows_quarantined) == (0, 0)
        assert lake_state(lake_copy) == before
        return
    assert result.status == "loaded", result.message
    reasons = dict(result.top_reasons)
    assert (result.rows_accepted, result.rows_quarantined, reasons) == (
        case["accepted"], case.get("quarantined", 0), case.get("reasons", {})
    ), result.message  # fmt: skip
    # Nothing lost: every record of the file is accepted or quarantined, and totals rows are reported.
    assert result.rows_read == result.rows_accepted + result.rows_quarantined == case["rows"]
    skipped = re.search(r"skipped (\d+) totals rows?", result.message)
    assert (int(skipped.group(1)) if skipped else 0) == case.get("skipped", 0), result.message
    check_lake(case, path, lake_copy)


def check_lake(case: dict, path: Path, root: Path) -> None:
    table = contract.KINDS[case["kind"]].name
    con = lake.connect_catalog(root)
    try:
        keys = sorted(k for (k,) in con.sql(f"select {key_sql(case['kind'])} from {table}").fetchall())
        if table == "units":  # seeded with the GSO list: the file's units come on top
            keys = sorted(set(keys) & set(case.get("keys", [])))
        assert keys == sorted(case.get("keys", [])), "the lake holds exactly the good rows"
        rows = con.sql(
            "select distinct row_number from quarantine where source_file = $f order by 1", params={"f": str(path)}
        ).fetchall()
        assert [r for (r,) in rows] == case.get("quarantined_rows", [])
        for key, column, expected in case.get("values", []):
            got = con.sql(
                f"select cast({column} as varchar) from {table} where {key_sql(case['kind'])} = $k", params={"k": key}
            ).fetchall()
            assert got == [(expected,)], (key, column)
    finally:
        con.close()
    if case.get("absent"):
        stored = b"".join(p.read_bytes() for p in (root / "lake").rglob("*.parquet"))
        for text in case["absent"]:
            assert text.encode() not in stored, text


# ---------------------------------------------------------------------------------------------
# Refusals through the command line: one line on stderr, a non-zero exit, the lake untouched
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", [c for c in CHECKED_IN if c.get("cli")], ids=case_id)
def test_corpus_refusal_on_the_command_line(case: dict, lake_copy: Path) -> None:
    path = CORPUS / "files" / case["file"]
    before = lake_state(lake_copy)
    command = [sys.executable, "-m", "etl", "load", case["kind"], str(path)]
    if case.get("sheet"):
        command += ["--sheet", case["sheet"]]
    done = subprocess.run(
        command, cwd=REPO, env={**os.environ, "CCHC_DATA_DIR": str(lake_copy)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert str(path) in lines[0] and case["message"] in lines[0]
    assert lake_state(lake_copy) == before


# ---------------------------------------------------------------------------------------------
# The large file: over a million rows in bounded memory
# ---------------------------------------------------------------------------------------------
@pytest.mark.slow  # a 98 MB file of 1.1 million rows
def test_a_file_of_over_a_million_rows_loads_in_bounded_memory(lake_copy: Path, tmp_path: Path) -> None:
    (case,) = [c for c in CASES if c.get("generated")]
    big = make_corpus.big_file(tmp_path / case["file"], case["rows"])
    # Measured through bench/measured.py: a child of this test process would start at its size.
    load = measured.run(
        [sys.executable, "-m", "etl", "load", "dossiers", str(big)],
        cwd=REPO,
        env={**os.environ, "CCHC_DATA_DIR": str(lake_copy)},
        capture_output=True,
        text=True,
    )
    assert load.returncode == 0, load.stderr
    peak_mb = load.rss / 2**20
    con = lake.connect_catalog(lake_copy)
    try:
        (accepted, quarantined) = con.sql(
            "select rows_accepted, rows_quarantined from load_log where source_file = $f", params={"f": str(big)}
        ).fetchall()[0]
        reasons = dict(con.sql("select reason, count(distinct row_number) from quarantine group by reason").fetchall())
        rows = [r for (r,) in con.sql("select distinct row_number from quarantine order by 1").fetchall()]
        (in_lake,) = con.sql("select count(*) from dossiers").fetchall()[0]
    finally:
        con.close()
    assert (accepted, quarantined, reasons) == (case["accepted"], case["quarantined"], case["reasons"])
    assert rows == case["quarantined_rows"]
    assert in_lake == accepted == case["rows"] - case["quarantined"]
    print(f"\n{case['rows']:,} rows: peak RSS {peak_mb:.0f} MB, {load.wall:.1f} s")
    assert peak_mb < BIG_RSS_LIMIT_MB, f"peak RSS {peak_mb:.0f} MB"


# ---------------------------------------------------------------------------------------------
# The corpus is what the script builds; the doc's table is what the expectations say
# ---------------------------------------------------------------------------------------------
def test_corpus_is_what_the_script_builds() -> None:
    assert make_corpus.differences() == [], "run: python tests/corpus/make_corpus.py"


def test_corpus_size_and_spread() -> None:
    files = {c["file"] for c in CASES}
    assert len(files) >= 50
    assert {c["category"] for c in CASES} == {"encoding", "unicode", "layout", "columns", "rows", "values", "structure"}
    assert all((CORPUS / "files" / c["file"]).stat().st_size < 200_000 for c in CHECKED_IN)


def test_reliability_doc_table_matches_the_expectations() -> None:
    text = RELIABILITY_DOC.read_text(encoding="utf-8")
    begin, end = "<!-- corpus-table:begin -->", "<!-- corpus-table:end -->"
    assert begin in text and end in text
    table = text.split(begin, 1)[1].split(end, 1)[0].strip()
    assert table == make_corpus.render_table(CASES), "run: python tests/corpus/make_corpus.py --doc"
