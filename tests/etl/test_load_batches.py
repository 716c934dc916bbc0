"""Loading a file batch by batch: the same result as in one piece, and nothing left of a refused file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from etl import contract, lake, read
from etl.load import load_files
from etl.validate import SeenKeys

pytestmark = pytest.mark.slow  # whole loads, each file in one piece and batch by batch

HEADER = "Mã hồ sơ;Mã TTHC;Mã đơn vị;Ngày tiếp nhận;Trạng thái;Kênh thực hiện"


def export(path: Path, rows: int, duplicates: dict[int, int] | None = None, bad: set[int] = frozenset()) -> Path:
    """`rows` dossiers; duplicates {row index: index whose id it repeats}; `bad` rows name unit 999."""
    duplicates = duplicates or {}
    lines = [HEADER]
    for i in range(rows):
        dossier = duplicates.get(i, i)
        unit = "999" if i in bad else f"{1 + i % 9:03d}"
        lines.append(f"HS-{dossier};1.004227;{unit};{1 + i % 28:02d}/01/2023 08:00;Đang xử lý;Trực tuyến")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def outcome(root: Path, result) -> tuple:
    con = lake.connect_catalog(root)
    try:
        quarantine = con.sql("select row_number, reason from quarantine order by 1, 2").fetchall()
        ids = [i for (i,) in con.sql("select dossier_id from dossiers order by 1").fetchall()]
    finally:
        con.close()
    return result.rows_read, result.rows_accepted, result.rows_quarantined, result.top_reasons, quarantine, ids


def test_many_batches_give_the_same_result_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Row 250 repeats row 10's id (another batch), row 12 repeats row 11's (the same batch).
    path = export(tmp_path / "hs.csv", 300, duplicates={250: 10, 12: 11}, bad={5, 280})
    (whole,) = load_files("dossiers", [path], data_dir=tmp_path / "one")
    monkeypatch.setattr(read, "BATCH_BYTES", 1500)
    monkeypatch.setattr(read, "READ_CHUNK", 1000)
    (batched,) = load_files("dossiers", [path], data_dir=tmp_path / "many")
    assert outcome(tmp_path / "many", batched) == outcome(tmp_path / "one", whole)
    assert (whole.rows_accepted, whole.rows_quarantined) == (296, 4)
    assert dict(whole.top_reasons) == {"duplicate_id": 2, "unknown_unit": 2}
    staged = list((tmp_path / "many" / "lake").rglob("_staging/*"))
    assert staged == []  # staging files are gone once published


def test_a_file_refused_after_some_batches_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = export(tmp_path / "jan.csv", 20)
    load_files("dossiers", [good], data_dir=tmp_path / "data")
    catalogue = (tmp_path / "data" / "cchc.duckdb").resolve()
    files = sorted((tmp_path / "data" / "lake").rglob("*"))
    cut = tmp_path / "feb.csv"
    text = export(tmp_path / "full.csv", 400).read_text(encoding="utf-8").replace("HS-", "HF-")
    cut.write_text(text[: len(text) - 30], encoding="utf-8")  # cut in the middle of the last row
    monkeypatch.setattr(read, "BATCH_BYTES", 1500)
    monkeypatch.setattr(read, "READ_CHUNK", 1000)
    (result,) = load_files("dossiers", [cut], data_dir=tmp_path / "data")
    assert result.status == "refused" and "looks truncated" in result.message
    assert (result.rows_read, result.rows_accepted, result.rows_quarantined) == (0, 0, 0)
    assert (tmp_path / "data" / "cchc.duckdb").resolve() == catalogue
    assert sorted((tmp_path / "data" / "lake").rglob("*")) == files


def test_composite_keys_repeat_across_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["Mã TTHC,Mã tỉnh,Tên TTHC,Mã lĩnh vực,Ngày công bố"]
    lines += [f"1.{i:06d},{1 + i % 2},Thủ tục {i},LV,01/01/2021" for i in range(200)]
    lines.append("1.000007,2,Thủ tục 7 lặp lại,LV,01/01/2021")  # 1.000007 is in province 02: a repeat
    lines.append("1.000007,1,Thủ tục 7 ở tỉnh 01,LV,01/01/2021")  # the same code in 01: not a repeat
    path = tmp_path / "tthc.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(read, "BATCH_BYTES", 1000)
    monkeypatch.setattr(read, "READ_CHUNK", 700)
    (result,) = load_files("procedures", [path], data_dir=tmp_path / "data")
    assert (result.rows_accepted, result.rows_quarantined, dict(result.top_reasons)) == (201, 1, {"duplicate_id": 1})


def test_seen_keys_compare_both_hashes() -> None:
    seen = SeenKeys()
    seen.add(np.array([5, 7, 7], dtype=np.uint64), np.array([1, 2, 3], dtype=np.uint64))
    seen.add(np.array([9], dtype=np.uint64), np.array([4], dtype=np.uint64))
    first = np.array([7, 7, 5, 9, 9, 6], dtype=np.uint64)
    second = np.array([3, 9, 1, 4, 5, 1], dtype=np.uint64)
    assert seen.contains(first, second).tolist() == [True, False, True, True, False, False]


def test_seen_keys_merge_runs_and_keep_every_key() -> None:
    seen = SeenKeys()
    rng = np.random.default_rng(1)
    keys = rng.integers(0, 2**63, size=(10_000, 2), dtype=np.uint64)
    for part in np.array_split(keys, 37):
        seen.add(part[:, 0].copy(), part[:, 1].copy())
    assert len(seen.runs) <= 8  # runs merge as they grow: lookups stay logarithmic
    assert seen.contains(keys[:, 0], keys[:, 1]).all()
    assert not seen.contains(keys[:, 0], keys[:, 1] + np.uint64(1)).any()


def test_key_hashes_skip_rows_without_a_complete_key() -> None:
    typed = pl.DataFrame({"province_code": ["01", None, "79"], "procedure_code": ["1.1", "1.2", None]})
    first, second, mask = SeenKeys.hashes(typed, contract.PROCEDURES)
    assert mask.tolist() == [True, False, False] and len(first) == len(second) == 1
