"""The load test names its results so that a second run never overwrites one the docs cite
(bench/load_test.py `free_stem`)."""

from __future__ import annotations

from bench.load_test import free_stem


def test_a_new_name_is_taken_as_it_is(tmp_path):
    assert free_stem(tmp_path, "2026-12-07-load") == tmp_path / "2026-12-07-load"


def test_a_name_taken_gets_the_next_number(tmp_path):
    (tmp_path / "2026-12-07-load.json").write_text("{}")
    (tmp_path / "2026-12-07-load-2.json").write_text("{}")
    assert free_stem(tmp_path, "2026-12-07-load") == tmp_path / "2026-12-07-load-3"


def test_a_dot_in_the_name_is_kept(tmp_path):
    (tmp_path / "2026-12-07-load-1.3M.json").write_text("{}")
    assert free_stem(tmp_path, "2026-12-07-load-1.3M") == tmp_path / "2026-12-07-load-1.3M-2"
