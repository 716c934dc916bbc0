"""Kill loads at random points and check the lake is always one whole state, old or new.

Used by tests/etl/test_crash_safety.py (a few trials in `make test`) and by `make stress`
(`python tests/etl/crash_harness.py --trials 100`): each trial starts `python -m etl load` on a fresh
export, kills it with SIGKILL either at an exact step of the writer (CCHC_KILL_AT) or after a random
delay, then checks that the catalogue opens and every table equals either the state before the load or
the state the same load produces when it is not killed. A final load must then succeed.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from etl import lake  # noqa: E402

HEADER = "Mã hồ sơ,Mã TTHC,Mã đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý,Trạng thái,Kênh thực hiện"
UNITS = ("001", "002", "003", "760", "761")  # GSO districts of Hà Nội and TP.HCM
STEPS = ("parquet_written:1", "parquet_written:2", "parquet_written:3", "before_commit:1", "after_commit:1")


def write_export(path: Path, batch: int, rows: int) -> Path:
    """`rows` dossiers over three years; every other batch re-exports half of the previous batch's ids."""
    lines = [HEADER]
    first_id = batch * rows - (rows // 2 if batch % 2 else 0)
    for n in range(rows):
        dossier, unit, year = first_id + n, UNITS[n % len(UNITS)], 2021 + n % 3
        day, month = 1 + n % 28, 1 + n % 12
        status, resolved = ("Đã giải quyết", f"{day:02d}/{month:02d}/{year} 16:00") if n % 4 else ("Đang xử lý", "")
        lines.append(
            f"HS-{dossier},1.004227,{unit},{day:02d}/{month:02d}/{year} 08:00,"
            f"{min(day + 5, 28):02d}/{month:02d}/{year},{resolved},{status},{1 + n % 3}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# Each table's rows as hashed; the load log leaves out its clock times, which differ run to run.
FINGERPRINT_ROWS = {
    "dossiers": "t",
    "quarantine": "t",
    "units": "t",
    "load_log": "(load_id, kind, source_file, sha256, rows_read, rows_accepted, rows_quarantined, status)",
}


def fingerprint(root: Path) -> tuple:
    """What a reader can see: load id, and per table its row count and an order-free hash of its rows."""
    con = lake.connect_catalog(root)
    try:
        state = [con.sql("select load_id from lake_state").fetchall()[0][0]]
        for table, row in FINGERPRINT_ROWS.items():
            state.append(con.sql(f"select count(*), bit_xor(hash({row})) from {table} t").fetchall()[0])
        return tuple(state)
    finally:
        con.close()


def load_command(root: Path, export: Path, kill_at: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "CCHC_DATA_DIR": str(root)}
    env.pop("CCHC_KILL_AT", None)
    if kill_at:
        env["CCHC_KILL_AT"] = kill_at
    return subprocess.Popen(
        [sys.executable, "-m", "etl", "load", "dossiers", str(export)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@dataclass
class Trial:
    how: str  # "step parquet_written:2" or "after 0.412s"
    outcome: str  # "old", "new" or "completed"


def run_trial(root: Path, work: Path, batch: int, rng: random.Random, rows: int) -> Trial:
    """One killed load; raises AssertionError when the lake is not exactly the old or the new state."""
    export = write_export(work / f"batch-{batch}.csv", batch, rows)
    before = fingerprint(root)
    # The state this load produces when it is not killed, built on a copy of the lake.
    twin = work / f"twin-{batch}"
    subprocess.run(["cp", "-a", str(root), str(twin)], check=True)
    finished = load_command(twin, export)
    assert finished.wait() == 0, finished.stderr.read()
    after = fingerprint(twin)
    subprocess.run(["rm", "-rf", str(twin)], check=True)

    if rng.random() < 0.5:
        how = f"step {rng.choice(STEPS)}"
        process = load_command(root, export, kill_at=how.split()[1])
        process.wait()
    else:
        delay = rng.uniform(0.05, 2.5)
        how = f"after {delay:.3f}s"
        process = load_command(root, export)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
    seen = fingerprint(root)
    assert seen in (before, after), f"{how}: lake is neither the old nor the new state"
    outcome = "completed" if process.returncode == 0 else ("old" if seen == before else "new")
    return Trial(how, outcome)


def run_trials(trials: int, seed: int, rows: int, work: Path) -> list[Trial]:
    rng = random.Random(seed)
    root = work / "data"
    root.mkdir(parents=True, exist_ok=True)
    first = load_command(root, write_export(work / "batch-0.csv", 0, rows))
    assert first.wait() == 0, first.stderr.read()
    results = []
    for batch in range(1, trials + 1):
        results.append(run_trial(root, work, batch, rng, rows))
    # After all the killing, a normal load still works and the lake opens.
    final = load_command(root, write_export(work / "final.csv", trials + 1, rows))
    assert final.wait() == 0, final.stderr.read()
    fingerprint(root)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=766)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--work", type=Path, default=REPO / "tests" / "artifacts" / "stress")
    args = parser.parse_args()
    subprocess.run(["rm", "-rf", str(args.work)], check=True)
    args.work.mkdir(parents=True)
    started = time.monotonic()
    results = run_trials(args.trials, args.seed, args.rows, args.work)
    counts = {o: sum(r.outcome == o for r in results) for o in ("old", "new", "completed")}
    print(
        f"{len(results)} killed loads, every one left a whole state: {counts['old']} old, {counts['new']} new, "
        f"{counts['completed']} finished before the kill ({time.monotonic() - started:.0f}s)"
    )
    print(f"{len(results)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
