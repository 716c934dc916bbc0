"""Does a change to the ETL keep the lake the same? Build it with the code of a commit and with the working tree.

    python tests/etl/compare_lakes.py [COMMIT] [--demo-scale S]

Both code versions load the same inputs into fresh data directories:
- the hostile-input corpus (tests/corpus/files, every checked-in case in expected.toml, one load per
  file in order, into one lake seeded with a header-only dossier export);
- the demo (`python -m etl demo --scale S`, default 0.002: about 90,000 dossiers in many 8 MB batches).
Then every Parquet file of the two lakes is compared: the same file names (one per table, partition and
load), and in each the same rows, compared as multisets: the order of rows that tie on the lake's sort
order, and of a multi-file merge's rows, can differ between two runs of the same code. Load times are
left out, and file paths are compared from each build's folder and each code's data/reference (a demo
writes its exports into its own data directory and loads the PAPI workbook from data/reference). Prints
each difference and exits 1 when there is one.

COMMIT defaults to `main`. The commit's `etl/`, `queries/` and `data/reference/` are taken with `git
archive`; both versions run with this checkout's Python environment and its corpus files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus"
TIMES = {"started_at", "finished_at", "published_at"}

LOAD_CORPUS = r"""
import sys, tomllib
from pathlib import Path
from etl.load import load_files
root, corpus = Path(sys.argv[1]), Path(sys.argv[2])
root.parent.mkdir(parents=True, exist_ok=True)
seed = root.parent / "seed.csv"
seed.write_text("Mã hồ sơ;Mã TTHC;Mã đơn vị;Ngày tiếp nhận;Trạng thái;Kênh thực hiện\n", encoding="utf-8")
load_files("dossiers", [seed], data_dir=root)
for case in tomllib.loads((corpus / "expected.toml").read_text(encoding="utf-8"))["case"]:
    if not case.get("generated"):
        load_files(case["kind"], [corpus / "files" / case["file"]], data_dir=root, sheet=case.get("sheet"))
"""


def build(code: Path, out: Path, demo_scale: str) -> None:
    """The corpus lake and the demo lake, built by the ETL under `code`."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    corpus = out / "corpus" / "data"
    subprocess.run([sys.executable, "-c", LOAD_CORPUS, str(corpus), str(CORPUS)], cwd=code, env=env, check=True)
    demo = {**env, "CCHC_DATA_DIR": str(out / "demo" / "data")}
    subprocess.run(
        [sys.executable, "-m", "etl", "demo", "--scale", demo_scale],
        cwd=code,
        env=demo,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def rows(con: duckdb.DuckDBPyConnection, path: Path, build: Path, code: Path) -> list[tuple]:
    columns = [c for c in con.sql(f"select * from read_parquet('{path}')").columns if c not in TIMES]
    reference = code / "data" / "reference"
    path_of = f"replace(replace(source_file, '{build}/', '<build>/'), '{reference}/', '<reference>/') as source_file"
    select = ", ".join(path_of if c == "source_file" else c for c in columns)
    return con.sql(f"select {select} from read_parquet('{path}') order by all").fetchall()


def differences(old: Path, old_code: Path, new: Path) -> list[str]:
    found = []
    con = duckdb.connect()
    for lake in ("corpus", "demo"):
        old_root, new_root = old / lake / "data", new / lake / "data"
        old_files = {p.relative_to(old_root) for p in (old_root / "lake").rglob("*.parquet")}
        new_files = {p.relative_to(new_root) for p in (new_root / "lake").rglob("*.parquet")}
        for missing in sorted(old_files ^ new_files):
            found.append(f"{lake}: {missing} only in the {'old' if missing in old_files else 'new'} lake")
        for name in sorted(old_files & new_files):
            before = rows(con, old_root / name, old, old_code)
            after = rows(con, new_root / name, new, REPO)
            if before != after:
                gone, came = set(before) - set(after), set(after) - set(before)
                found.append(f"{lake}: {name}: {len(before)} rows before, {len(after)} now")
                found += [f"  - {row}" for row in list(gone)[:3]] + [f"  + {row}" for row in list(came)[:3]]
        print(f"{lake}: {len(old_files & new_files)} files compared", flush=True)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit", nargs="?", default="main")
    parser.add_argument("--demo-scale", default="0.002")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="compare-lakes-") as work_dir:
        work = Path(work_dir)
        old_code = work / "old-code"
        old_code.mkdir()
        archive = subprocess.run(
            ["git", "archive", args.commit, "etl", "queries", "data/reference"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(old_code)], input=archive, check=True)
        print(f"building with {args.commit} and with the working tree…", flush=True)
        build(old_code, work / "old", args.demo_scale)
        build(REPO, work / "new", args.demo_scale)
        found = differences(work / "old", old_code, work / "new")
        shutil.rmtree(work / "old-code")
    print("\n".join(found) if found else f"the lake is the same with {args.commit} and with the working tree")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
