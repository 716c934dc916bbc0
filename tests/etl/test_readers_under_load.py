"""Loads while dashboards read: no reader errors, and every reader sees one whole state, old or new.

Three reader processes run dashboard queries through the query runner in a loop while the writer loads
three more exports, each load rebuilding the marts before its publish. Each reader also records, in one
statement, the load id it sees, the dossier count of that state and the dossiers its mart counts as
received; every (load id, count) pair must be the one the writer published, and the mart must agree with
the dossiers of the same state (a reader never sees new dossiers with old marts, or the reverse).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from crash_harness import REPO, load_command, write_export

READER = """
import json, sys, time
from pathlib import Path
from queries import cursor, run
root, stop = Path(sys.argv[1]), Path(sys.argv[2])
seen, errors, queries = set(), [], 0
while not stop.exists():
    try:
        run("dossier_kpis", data_dir=root, year=2022, level="province")
        run("dossier_rows", data_dir=root, year=2022, limit=50)
        cur = cursor(root)
        load_id, dossiers, in_mart = cur.sql(
            "select (select load_id from lake_state), (select count(*) from dossiers), "
            "(select sum(received) from mart_dossier_months)").fetchall()[0]
        seen.add((load_id, dossiers))
        if in_mart != dossiers:
            errors.append(f"load {load_id}: {dossiers} dossiers, the mart counts {in_mart}")
        cur.close()
        queries += 3
    except Exception as error:  # the test counts every error a reader meets
        errors.append(f"{type(error).__name__}: {error}")
print(json.dumps({"seen": sorted(seen), "errors": errors[:5], "error_count": len(errors), "queries": queries}))
"""


ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def published_state(root: Path, stop: Path) -> dict[int, int]:
    """{load id: dossier count} of the state published now, read once by the same reader code."""
    once = READER.replace("while not stop.exists()", "for _ in range(1)")
    done = subprocess.run(
        [sys.executable, "-c", once, str(root), str(stop)],
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(map(tuple, json.loads(done.stdout)["seen"]))


@pytest.mark.slow  # three reader processes in a loop while the writer loads three exports
def test_readers_see_whole_states_while_loads_publish(tmp_path: Path) -> None:
    root = tmp_path / "data"
    stop = tmp_path / "stop"
    assert load_command(root, write_export(tmp_path / "b0.csv", 0, 4000)).wait() == 0
    published = published_state(root, stop)
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(root), str(stop)], cwd=REPO, env=ENV, stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    time.sleep(1.0)
    for batch in range(1, 4):
        loader = load_command(root, write_export(tmp_path / f"b{batch}.csv", batch, 4000))
        assert loader.wait() == 0, loader.stderr.read()
        published |= published_state(root, stop)
        time.sleep(0.5)
    stop.touch()
    reports = [json.loads(reader.communicate(timeout=60)[0]) for reader in readers]

    assert [r["error_count"] for r in reports] == [0, 0, 0], [r["errors"] for r in reports]
    assert all(r["queries"] > 0 for r in reports)
    seen = {load_id: count for r in reports for load_id, count in r["seen"]}
    # Every state a reader saw is a published one, with exactly that state's row count.
    assert all(published[load_id] == count for load_id, count in seen.items()), (seen, published)
    assert len(seen) >= 2  # the readers did see loads land
