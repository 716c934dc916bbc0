"""The marts are rebuilt inside each load, only for the years that need it, and an incremental rebuild
ends exactly where a rebuild from scratch does (etl/marts/build.py). That the marts' numbers equal the
raw rows' is tests/queries/test_marts.py."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from etl import lake, marts
from etl.load import load_files
from queries.runner import cursor

pytestmark = pytest.mark.slow  # a lake per test, loaded several times to follow the mart rebuilds

COLUMNS = ("dossier_id", "procedure_code", "unit_code", "received_at", "due_at", "resolved_at", "status", "channel")
# 2023: one dossier resolved in 2023, one still open at the end of 2023 (it counts in 2024's months too)
DOSSIERS_2023 = [
    ("A1", "1.000001", "001", "2023-03-01 08:00", "2023-03-10 17:00", "2023-03-09 10:00", "resolved", "online"),
    ("A2", "1.000001", "002", "2023-11-20 08:00", "2023-12-05 17:00", "", "processing", "direct"),
]
DOSSIERS_2024 = [
    ("B1", "1.000002", "001", "2024-02-01 08:00", "2024-02-10 17:00", "2024-02-12 10:00", "resolved", "direct"),
]
# a later export of A2: resolved in February 2024 (changes the 2023 partition and 2024's months)
A2_RESOLVED = [
    ("A2", "1.000001", "002", "2023-11-20 08:00", "2023-12-05 17:00", "2024-02-01 09:00", "resolved", "direct"),
]


def write_export(path: Path, rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def mart_rows(data_dir: Path) -> dict[str, list[tuple]]:
    con = cursor(data_dir)
    try:
        return {name: con.sql(f"select * from {name} order by all").fetchall() for name in marts.definitions()}
    finally:
        con.close()


def mart_files(data_dir: Path) -> dict[str, tuple[str, ...]]:
    state = lake.read_state(data_dir)
    assert state is not None
    return {name: state.files.get(name, ()) for name in marts.definitions()}


def test_incremental_rebuilds_end_where_a_rebuild_from_scratch_does(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    first = write_export(exports / "2023.csv", DOSSIERS_2023)
    second = write_export(exports / "2024.csv", DOSSIERS_2024)
    update = write_export(exports / "a2-resolved.csv", A2_RESOLVED)

    step_by_step = tmp_path / "steps"
    load_files("dossiers", [first], data_dir=step_by_step)
    after_first = mart_files(step_by_step)
    assert [Path(p).name for p in after_first["mart_dossier_months"]] == ["part-000001-2023.parquet"]

    load_files("dossiers", [second], data_dir=step_by_step)
    after_second = mart_files(step_by_step)
    # only 2024 changed: 2023's mart files are kept, 2024's are new (A2, still open, counts in them)
    for name in marts.definitions():
        assert [p for p in after_second[name] if p.endswith("-2023.parquet")] == [
            p for p in after_first[name] if p.endswith("-2023.parquet")
        ]
    assert any(p.endswith("part-000002-2024.parquet") for p in after_second["mart_dossier_months"])

    load_files("dossiers", [update], data_dir=step_by_step)
    after_update = mart_files(step_by_step)
    # the update touched the 2023 partition: every year from 2023 on is rebuilt
    assert sorted(Path(p).name for p in after_update["mart_dossier_months"]) == [
        "part-000003-2023.parquet",
        "part-000003-2024.parquet",
    ]

    from_scratch = tmp_path / "scratch"
    load_files("dossiers", [first, second, update], data_dir=from_scratch)
    assert mart_rows(step_by_step) == mart_rows(from_scratch)

    # what the marts hold, worked out by hand: A2 open at the end of Nov and Dec 2023 and Jan 2024,
    # resolved in Feb 2024 (not in progress at the end of February)
    con = cursor(step_by_step)
    try:
        a2 = con.sql(
            "select month_start::varchar, received, resolved, in_progress, overdue_in_progress "
            "from mart_dossier_months where unit_code = '002' order by month_start"
        ).fetchall()
    finally:
        con.close()
    assert a2 == [
        ("2023-11-01", 1, 0, 1, 0),
        ("2023-12-01", 0, 0, 1, 1),
        ("2024-01-01", 0, 0, 1, 1),
        ("2024-02-01", 0, 1, 0, 0),
    ]


def test_a_load_that_touches_no_dossier_keeps_the_mart_files(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    load_files("dossiers", [write_export(tmp_path / "2023.csv", DOSSIERS_2023)], data_dir=data_dir)
    before = mart_files(data_dir)
    targets = tmp_path / "targets.csv"
    targets.write_text("year,unit_code,indicator,comparator,value\n2023,001,on_time_rate,>=,0.9\n", encoding="utf-8")
    [result] = load_files("targets", [targets], data_dir=data_dir)
    assert result.status == "loaded" and result.rows_accepted == 1
    assert mart_files(data_dir) == before


def test_new_mart_definitions_rebuild_every_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "data"
    load_files("dossiers", [write_export(tmp_path / "2023.csv", DOSSIERS_2023)], data_dir=data_dir)
    load_files("dossiers", [write_export(tmp_path / "2024.csv", DOSSIERS_2024)], data_dir=data_dir)
    monkeypatch.setattr(marts, "version", lambda: "definitions of a newer release")
    load_files("dossiers", [write_export(tmp_path / "again.csv", A2_RESOLVED)], data_dir=data_dir)
    load_id = lake.read_state(data_dir).load_id
    for files in mart_files(data_dir).values():
        assert files and all(f"part-{load_id:06d}-" in p for p in files)


def test_a_lake_of_an_older_release_gets_its_marts_from_etl_marts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etl.marts.build import rebuild_if_stale

    data_dir = tmp_path / "data"
    load_files("dossiers", [write_export(tmp_path / "2023.csv", DOSSIERS_2023)], data_dir=data_dir)
    assert rebuild_if_stale(data_dir) is None  # built by this release: nothing to do
    rows = mart_rows(data_dir)
    monkeypatch.setattr(marts, "version", lambda: "definitions of a newer release")
    assert rebuild_if_stale(data_dir) == 2
    assert rebuild_if_stale(data_dir) is None
    assert mart_rows(data_dir) == rows  # same definitions in fact: same rows, in new files
    assert all("part-000002-" in p for files in mart_files(data_dir).values() for p in files)


def test_a_mart_the_release_no_longer_has_leaves_the_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from etl.marts.build import rebuild_if_stale

    data_dir = tmp_path / "data"
    load_files("dossiers", [write_export(tmp_path / "2023.csv", DOSSIERS_2023)], data_dir=data_dir)
    state = lake.read_state(data_dir)
    retired = "lake/mart_retired/part-000001-2023.parquet"  # what an older release built
    (data_dir / retired).parent.mkdir(parents=True)
    (data_dir / retired).write_bytes((data_dir / state.files["mart_dossier_months"][0]).read_bytes())
    older = replace(state, load_id=2, files={**state.files, "mart_retired": (retired,)})
    lake.publish(data_dir, older, state)
    monkeypatch.setattr(marts, "version", lambda: "definitions of a newer release")
    assert rebuild_if_stale(data_dir) == 3
    assert "mart_retired" not in lake.read_state(data_dir).files


def test_a_unit_map_built_by_other_rules_is_rebuilt_with_the_marts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etl import unit_map
    from etl.marts.build import rebuild_if_stale

    data_dir = tmp_path / "data"
    load_files("dossiers", [write_export(tmp_path / "2023.csv", DOSSIERS_2023)], data_dir=data_dir)
    built = lake.read_state(data_dir)
    assert built.reference_sha256[unit_map.VERSION_KEY] == unit_map.version()
    rows = mart_rows(data_dir)
    monkeypatch.setattr(unit_map, "version", lambda: "rules of a newer release")
    assert rebuild_if_stale(data_dir) == built.load_id + 1
    state = lake.read_state(data_dir)
    assert state.reference_sha256[unit_map.VERSION_KEY] == "rules of a newer release"
    assert state.files[unit_map.TABLE] != built.files[unit_map.TABLE]  # a new unit_map file
    assert all(f"part-{state.load_id:06d}-" in p for files in mart_files(data_dir).values() for p in files)
    assert mart_rows(data_dir) == rows  # the same rules in fact: the same rows
    assert rebuild_if_stale(data_dir) is None
