"""etl.vn_encodings.open_text: the one place a CSV's encoding is decided and its bytes converted."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from etl import lake
from etl import vn_encodings as vn
from etl.load import load_files

HEADER = "Mã hồ sơ;Mã TTHC;Mã đơn vị;Ngày tiếp nhận;Trạng thái;Kênh thực hiện;Lý do từ chối\n"
ROW = "HS-1;1.004227;001;05/01/2023 08:00;Đang xử lý;Trực tuyến;Thiếu giấy tờ theo quy định\n"
TEXT = HEADER + ROW


def decoded(text: vn.Text) -> str:
    return b"".join(text.utf8_chunks()).decode("utf-8")


def test_utf8_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + TEXT.encode())
    notes: list[str] = []
    text = vn.open_text(path, notes)
    assert (text.encoding, text.skip, text.head, decoded(text), notes) == ("utf-8", 3, TEXT, TEXT, [])
    assert text.cell_fix is vn.no_fix


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_its_mark_in_small_chunks(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "u16.txt"
    mark = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    path.write_bytes(mark + TEXT.encode(codec))
    text = vn.open_text(path, [], chunk_bytes=5)  # odd: splits code units
    assert (text.encoding, decoded(text)) == ("utf-16", TEXT)


@pytest.mark.parametrize(("encoding", "name"), [("cp1258", "Windows-1258"), ("vni", "VNI Windows")])
def test_a_legacy_encoding_is_converted_and_noted(tmp_path: Path, encoding: str, name: str) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(vn.encode_legacy(TEXT * 3, encoding))
    notes: list[str] = []
    text = vn.open_text(path, notes, chunk_bytes=7)  # splits VNI letter + mark pairs
    assert text.encoding == encoding
    assert vn.unicodedata.normalize("NFC", decoded(text)) == TEXT * 3
    assert len(notes) == 1 and notes[0].startswith(f"converted from {name} to Unicode (")


def test_tcvn3_text_gets_its_capitals_back_cell_by_cell(tmp_path: Path) -> None:
    path = tmp_path / "tcvn3.csv"
    path.write_bytes(vn.encode_legacy("UBND QUẬN BA ĐÌNH\n" + TEXT * 3, "tcvn3"))
    text = vn.open_text(path, [])
    assert text.encoding == "tcvn3"
    assert decoded(text).startswith("UBND QUậN BA ĐìNH\n")  # TCVN3 has no capital toned letters
    assert text.cell_fix("UBND QUậN BA ĐìNH") == "UBND QUẬN BA ĐÌNH"


def test_legacy_font_text_in_a_utf8_file_is_found_once_and_fixed_per_cell(tmp_path: Path) -> None:
    def as_vni_font_shows_it(unicode: str) -> str:
        return vn.windows_1252(vn.encode_legacy(unicode, "vni"))

    path = tmp_path / "glyphs.csv"
    path.write_text(as_vni_font_shows_it(TEXT * 3), encoding="utf-8")
    notes: list[str] = []
    text = vn.open_text(path, notes)
    assert text.encoding == "utf-8"
    assert text.cell_fix(as_vni_font_shows_it("Thiếu giấy tờ theo quy định")) == "Thiếu giấy tờ theo quy định"
    assert text.cell_fix("Đang xử lý") == "Đang xử lý"  # a Unicode cell stays as it is
    assert len(notes) == 1 and notes[0].startswith("cells typed with the legacy VNI Windows font converted")


def test_bytes_in_no_readable_encoding_are_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"ab\x00\x01cd")
    with pytest.raises(vn.EncodingError, match="not a CSV, XLSX or Parquet file"):
        vn.open_text(path, [])
    path.write_bytes(TEXT.encode() + bytes(range(0x80, 0x100)))
    with pytest.raises(vn.EncodingError, match=r"not UTF-8 or UTF-16 text \(byte 0x80 at offset \d+\)"):
        vn.open_text(path, [])


def test_utf8_check_across_chunks(tmp_path: Path) -> None:
    text = "Mã hồ sơ,Đà Nẵng 😀\n".encode()
    path = tmp_path / "x.csv"
    path.write_bytes(text)
    assert vn.first_invalid_utf8(path, 0, chunk_bytes=3) is None  # splits every multi-byte character somewhere
    path.write_bytes(text + b"\xe1\xba")  # a character cut at the end of the file
    assert vn.first_invalid_utf8(path, 0, chunk_bytes=3) == (len(text), 0xE1)


def test_a_load_decides_a_files_encoding_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(vn.encode_legacy(TEXT * 3, "cp1258"))
    calls = []
    open_text = vn.open_text

    def counted(*args, **kwargs):
        calls.append(args[0])
        return open_text(*args, **kwargs)

    monkeypatch.setattr(vn, "open_text", counted)
    (result,) = load_files("dossiers", [path], data_dir=tmp_path / "data")
    assert (result.status, result.rows_accepted) == ("loaded", 1), result.message  # the same id three times
    assert calls.count(path) == 1  # (a first load also reads the reference files)
    assert "converted from Windows-1258" in result.message


# ---------------------------------------------------------------------------------------------
# One export, every encoding and format: the same lake
# ---------------------------------------------------------------------------------------------
EXPORT_ROWS = [
    ["Mã hồ sơ", "Mã TTHC", "Mã đơn vị", "Ngày tiếp nhận", "Trạng thái", "Kênh thực hiện", "Lý do từ chối", "Họ tên"],
    ["HS-1", "1.004227", "001", "05/01/2023 08:00:00", "Đang xử lý", "Trực tuyến", "", "Nguyễn Văn An"],
    [
        "HS-2",
        "1.004227",
        "001",
        "06/01/2023 09:30:00",
        "Chờ bổ sung",
        "Bưu chính",
        "Thiếu giấy tờ, sai mẫu",
        "Trần Thị Bình",
    ],
    ["HS-3", "1.004227", "999", "07/01/2023 10:00:00", "Chờ ký duyệt", "Trực tiếp", "", "Lê Văn Cường"],
    ["HS-4", "1.004227", "001", "ngày 8/1/2023", "Đang giải quyết", "Trực tuyến", "", "Phạm Thị Dung"],
]


def csv_text(separator: str, line_end: str) -> str:
    lines = []
    for row in EXPORT_ROWS:
        lines.append(separator.join(f'"{cell}"' if separator in cell else cell for cell in row))
    return line_end.join(lines) + line_end


def write_every_form(folder: Path) -> dict[str, Path]:
    files = {
        "utf-8": ("csv", csv_text(";", "\n").encode()),
        "utf-8 with BOM, CRLF": ("csv", codecs.BOM_UTF8 + csv_text(",", "\r\n").encode()),
        "utf-16 LE, tabs": ("txt", codecs.BOM_UTF16_LE + csv_text("\t", "\r\n").encode("utf-16-le")),
        "utf-16 BE": ("csv", codecs.BOM_UTF16_BE + csv_text(",", "\n").encode("utf-16-be")),
        "Windows-1258": ("csv", vn.encode_legacy(csv_text(";", "\r\n"), "cp1258")),
        "VNI Windows": ("csv", vn.encode_legacy(csv_text(";", "\n"), "vni")),
    }
    paths = {}
    for name, (suffix, data) in files.items():
        paths[name] = folder / f"{name.replace(' ', '_').replace(',', '')}.{suffix}"
        paths[name].write_bytes(data)
    paths["XLSX"] = folder / "export.xlsx"
    book = xlsxwriter.Workbook(paths["XLSX"])
    sheet = book.add_worksheet()
    for r, row in enumerate(EXPORT_ROWS):
        sheet.write_row(r, 0, [cell or None for cell in row])
    book.close()
    paths["Parquet"] = folder / "export.parquet"
    header, *rows = EXPORT_ROWS
    pl.DataFrame(
        [[cell or None for cell in column] for column in zip(*rows, strict=True)], schema=header, orient="col"
    ).write_parquet(paths["Parquet"])
    return paths


def lake_rows(root: Path) -> tuple[list, list]:
    con = lake.connect_catalog(root)
    try:
        dossiers = con.sql("select * from dossiers order by dossier_id").pl().to_dicts()
        quarantine = con.sql(
            "select row_number, column_name, raw_value, reason, raw_record from quarantine order by all"
        ).fetchall()
    finally:
        con.close()
    return dossiers, quarantine


@pytest.mark.slow  # a whole load per encoding and format
def test_one_export_in_every_encoding_and_format_loads_the_same_rows(tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    header_only = tmp_path / "header.csv"
    header_only.write_text(";".join(EXPORT_ROWS[0]) + "\n", encoding="utf-8")
    load_files("dossiers", [header_only], data_dir=seed)  # a lake with its reference tables and no dossiers
    outcomes = {}
    for name, path in write_every_form(tmp_path).items():
        root = tmp_path / f"lake-{len(outcomes)}"
        shutil.copytree(seed, root, symlinks=True)
        (result,) = load_files("dossiers", [path], data_dir=root)
        assert (result.status, result.rows_accepted, result.rows_quarantined) == ("loaded", 2, 2), (name, result)
        outcomes[name] = lake_rows(root)
    expected_dossiers, expected_quarantine = outcomes["utf-8"]
    assert [(row["dossier_id"], row["status"], row["channel"]) for row in expected_dossiers] == [
        ("HS-1", "processing", "online"),
        ("HS-2", "supplement", "postal"),
    ]
    assert expected_dossiers[1]["rejected_reason"] == "Thiếu giấy tờ, sai mẫu"  # converted, unquoted
    assert [(row[0], row[1], row[2], row[3]) for row in expected_quarantine] == [
        (4, "status", "Chờ ký duyệt", "unknown_code"),
        (4, "unit_code", "999", "unknown_unit"),
        (5, "received_at", "ngày 8/1/2023", "bad_date"),
    ]
    assert "Nguyễn" not in repr(outcomes)  # personal data never reaches the lake, whatever the form
    for name, outcome in outcomes.items():
        assert outcome == outcomes["utf-8"], name
