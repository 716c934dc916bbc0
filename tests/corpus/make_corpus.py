"""Build the hostile-input corpus: tests/corpus/files/* and its expectations, tests/corpus/expected.toml.

    python tests/corpus/make_corpus.py            rewrite the checked-in corpus and expected.toml
    python tests/corpus/make_corpus.py --check    exit 1 when the checked-in corpus differs from the script
    python tests/corpus/make_corpus.py --big N F  write the large file (N dossier rows) to F

Every case is one file with the outcome a user should get: loaded (so many rows accepted, so many
quarantined with which reasons, totals rows skipped, notices in the load message) or refused (a message
naming the problem). Each good row is listed by key, so the test can check that every one of them
reached the lake. tests/etl/test_corpus.py loads every file through the real pipeline and compares;
docs/reliability.md's "Hostile inputs" table is rendered from expected.toml (`render_table`).

Legacy-encoded files are written from hand-typed glyph strings (what a .VnTime or VNI-Times document
holds), not with etl/vn_encodings.py, so that the reader is checked against the published charts and
not against itself.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import gzip
import io
import random
import struct
import sys
import tomllib
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import xlsxwriter

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
EXPECTED = HERE / "expected.toml"
CREATED = dt.datetime(2024, 1, 1)  # fixed workbook metadata: the corpus is byte-for-byte reproducible

# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------


@dataclass
class Case:
    file: str
    kind: str
    category: str
    exercises: str
    outcome: str  # loaded | refused
    data: bytes = b""
    sheet: str | None = None
    rows: int = 0  # records in the file (what accepted + quarantined must add up to)
    accepted: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # reason -> rows
    quarantined_rows: list[int] = field(default_factory=list)  # row numbers as Excel shows them
    skipped: int = 0  # totals rows skipped with a notice
    keys: list[str] = field(default_factory=list)  # keys of the good rows ("|" between key columns)
    notices: list[str] = field(default_factory=list)  # substrings of the load message
    message: str = ""  # refused: substring of the one-line message
    values: list[list[str]] = field(default_factory=list)  # [key, column, value as text] in the lake
    absent: list[str] = field(default_factory=list)  # text that must not be anywhere in the lake
    cli: bool = False  # also run through `python -m etl load` (refusals: one line on stderr)
    generated: bool = False  # built at test time (too large to check in)

    @property
    def quarantined(self) -> int:
        return len(self.quarantined_rows)


CASES: list[Case] = []


def case(**kwargs) -> Case:
    item = Case(**kwargs)
    if item.outcome == "loaded":
        item.accepted = len(item.keys)
        item.rows = item.accepted + item.quarantined
    CASES.append(item)
    return item


# ---------------------------------------------------------------------------------------------
# Dossier rows
# ---------------------------------------------------------------------------------------------
HEADERS = {
    "dossier_id": "Mã hồ sơ",
    "procedure_code": "Mã TTHC",
    "unit_code": "Mã đơn vị",
    "received_at": "Ngày tiếp nhận",
    "due_at": "Ngày hẹn trả",
    "resolved_at": "Ngày kết thúc xử lý",
    "status": "Trạng thái",
    "channel": "Kênh thực hiện",
    "online_level": "Mức độ",
    "paid_online": "Được thanh toán trực tuyến",
    "rejected_reason": "Lý do từ chối",
}
COLUMNS = list(HEADERS)


def dossiers(n: int = 4, prefix: str = "HS") -> list[dict[str, str]]:
    """`n` good dossiers in the shapes one-stop systems export (cycling through four patterns)."""
    patterns = [
        {"procedure_code": "1.004227", "unit_code": "001", "received_at": "05/01/2023 08:00",
         "due_at": "10/01/2023 17:00", "resolved_at": "09/01/2023 10:00", "status": "Đã giải quyết",
         "channel": "Trực tuyến", "online_level": "Toàn trình", "paid_online": "có", "rejected_reason": ""},
        {"procedure_code": "1.004227", "unit_code": "002", "received_at": "06/01/2023 09:30",
         "due_at": "11/01/2023", "resolved_at": "", "status": "Đang xử lý", "channel": "Trực tiếp",
         "online_level": "Một phần", "paid_online": "", "rejected_reason": ""},
        {"procedure_code": "2.000001", "unit_code": "760", "received_at": "2023-01-09",
         "due_at": "2023-01-16", "resolved_at": "2023-01-12 15:45", "status": "Từ chối",
         "channel": "Bưu chính công ích", "online_level": "Mức độ 2", "paid_online": "không",
         "rejected_reason": "Thiếu giấy tờ theo quy định"},
        {"procedure_code": "1.001612", "unit_code": "005", "received_at": "10/01/2023 14:20",
         "due_at": "20/01/2023", "resolved_at": "", "status": "Chờ bổ sung", "channel": "Trực tuyến",
         "online_level": "Mức độ 4", "paid_online": "", "rejected_reason": ""},
    ]  # fmt: skip
    return [{"dossier_id": f"{prefix}-{i + 1}", **patterns[i % len(patterns)]} for i in range(n)]


def table_text(header: list[str], rows: list[list[str]], sep: str = ";", eol: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator=eol, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def dossier_csv(
    rows: list[dict[str, str]], columns: list[str] = COLUMNS, sep: str = ";", eol: str = "\n", **rename
) -> str:
    header = [rename.get(c) or HEADERS[c] for c in columns]
    return table_text(header, [[r.get(c, "") for c in columns] for r in rows], sep, eol)


def ids(rows: list[dict[str, str]]) -> list[str]:
    return [r["dossier_id"] for r in rows]


def xlsx(build) -> bytes:
    """A workbook built by `build(book)`, as bytes (fixed metadata, so the bytes are reproducible)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": CREATED})
    build(book)
    book.close()
    return buffer.getvalue()


def write_rows(sheet, first_row: int, rows: list[list[object]]) -> None:
    for offset, values in enumerate(rows):
        sheet.write_row(first_row + offset, 0, values)


# ---------------------------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------------------------
def encoding_cases() -> None:
    rows = dossiers()
    good = ids(rows)
    text = dossier_csv(rows)
    case(
        file="enc_utf8.csv",
        kind="dossiers",
        category="encoding",
        outcome="loaded",
        exercises="plain UTF-8, semicolons: the baseline every other case varies",
        data=text.encode(),
        keys=good,
        values=[["HS-3", "rejected_reason", "Thiếu giấy tờ theo quy định"], ["HS-3", "channel", "postal"]],
    )
    case(
        file="enc_utf8_bom_crlf.csv",
        kind="dossiers",
        category="encoding",
        outcome="loaded",
        exercises="UTF-8 with BOM and CRLF line ends (Excel's 'CSV UTF-8')",
        data=codecs.BOM_UTF8 + dossier_csv(rows, eol="\r\n").encode(),
        keys=good,
    )
    case(
        file="enc_utf16le_tab.txt",
        kind="dossiers",
        category="encoding",
        outcome="loaded",
        exercises="UTF-16 LE with BOM, tab-separated (Excel's 'Unicode text')",
        data=codecs.BOM_UTF16_LE + dossier_csv(rows, sep="\t", eol="\r\n").encode("utf-16-le"),
        keys=good,
        values=[["HS-3", "rejected_reason", "Thiếu giấy tờ theo quy định"]],
    )
    case(
        file="enc_utf16be.csv",
        kind="dossiers",
        category="encoding",
        outcome="loaded",
        exercises="UTF-16 BE with BOM, commas",
        data=codecs.BOM_UTF16_BE + dossier_csv(rows, sep=",").encode("utf-16-be"),
        keys=good,
    )

    # Windows-1258 as Windows writes it: precomposed where the code page has the letter, else a
    # combining tone mark after the letter ("ả" = "a" + 0xD2).
    case(
        file="enc_cp1258.csv",
        kind="dossiers",
        category="encoding",
        outcome="loaded",
        exercises="Windows-1258 with combining tone marks: recognised, converted, normalised to NFC",
        data=encode_cp1258(text),
        keys=good,
        notices=["converted from Windows-1258"],
        values=[["HS-3", "rejected_reason", "Thiếu giấy tờ theo quy định"], ["HS-4", "status", "supplement"]],
    )

    # TCVN3 (ABC), typed by hand from the chart: one byte per toned lowercase letter; capitals with a
    # tone are the lowercase code (drawn as capitals by .VnTimeH fonts).
    tcvn3_header = ["M· hå s¬", "M· TTHC", "M· ®¬n vÞ", "Ngµy tiÕp nhËn", "Ngµy hÑn tr¶", "Ngµy kÕt thóc xö lý",
                    "Tr¹ng th¸i", "Kªnh thùc hiÖn", "Møc ®é", "Lý do tõ chèi"]  # fmt: skip
    tcvn3_rows = [
        ["HS-1", "1.004227", "001", "05/01/2023 08:00", "10/01/2023 17:00", "09/01/2023 10:00", "§· gi¶i quyÕt", "Trùc tuyÕn", "Toµn tr×nh", ""],
        ["HS-2", "1.004227", "002", "06/01/2023 09:30", "11/01/2023", "", "§ang xö lý", "Trùc tiÕp", "Mét phÇn", ""],
        ["HS-3", "2.000001", "760", "2023-01-09", "2023-01-16", "2023-01-12 15:45", "Tõ chèi", "B\xadu chÝnh c«ng Ých", "", "ThiÕu giÊy tê theo quy ®Þnh"],
        ["HS-4", "1.001612", "005", "10/01/2023 14:20", "20/01/2023", "2023-01-11", "Tõ chèi", "Trùc tuyÕn", "", "Hå S¥ KH«NG HîP LÖ"],
    ]  # fmt: skip
    title = "UBND QUËN BA §×NH\nB¸O C¸O T×NH H×NH GI¶I QUYÕT Hå S¥\n\n"
    case(
        file="enc_tcvn3.csv",
        kind="dossiers",
        category="encoding",
        outcome="loaded",
        exercises="TCVN3 (ABC) bytes with title rows typed in capitals (.VnTimeH): converted, capitals restored",
        data=(title + table_text(tcvn3_header, tcvn3_rows)).encode("cp1252"),
        keys=["HS-1", "HS-2", "HS-3", "HS-4"],
        notices=["converted from TCVN3 (ABC)"],
        values=[
            ["HS-3", "rejected_reason", "Thiếu giấy tờ theo quy định"],
            ["HS-3", "channel", "postal"],
            ["HS-4", "rejected_reason", "HỒ SƠ KHÔNG HỢP LỆ"],
            ["HS-2", "status", "processing"],
        ],
    )

    # VNI Windows, typed by hand: base letter + one byte of diacritics ("aù" = á, "oâ" = ô, "ôø" = ờ).
    vni_header = ["Maõ hoà sô", "Maõ TTHC", "Maõ ñôn vò", "Ngaøy tieáp nhaän", "Ngaøy heïn traû",
                  "Ngaøy keát thuùc xöû lyù", "Traïng thaùi", "Keânh thöïc hieän", "Möùc ñoä", "Lyù do töø choái"]  # fmt: skip
    vni_rows = [
        ["HS-1", "1.004227", "001", "05/01/2023 08:00", "10/01/2023 17:00", "09/01/2023 10:00", "Ñaõ giaûi quyeát", "Tröïc tuyeán", "Toaøn trình", ""],
        ["HS-2", "1.004227", "002", "06/01/2023 09:30", "11/01/2023", "", "Ñang xöû lyù", "Tröïc tieáp", "Moät phaàn", ""],
        ["HS-3", "2.000001", "760", "2023-01-09", "2023-01-16", "2023-01-12 15:45", "Töø choái", "Böu chính coâng ích", "", "Thieáu giaáy tôø theo quy ñònh"],
        ["HS-4", "1.001612", "005", "10/01/2023 14:20", "20/01/2023", "", "Chôø boå sung", "Tröïc tuyeán", "", ""],
    ]  # fmt: skip
    case(
        file="enc_vni.csv",
        kind="dossiers",
        category="encoding",
        outcome="loaded",
        exercises="VNI Windows bytes (base letter + diacritic byte): recognised and converted",
        data=table_text(vni_header, vni_rows).encode("cp1252"),
        keys=["HS-1", "HS-2", "HS-3", "HS-4"],
        notices=["converted from VNI Windows"],
        values=[["HS-3", "rejected_reason", "Thiếu giấy tờ theo quy định"], ["HS-4", "status", "supplement"]],
    )
    vni_caps = [
        "MAÕ HOÀ SÔ",
        "MAÕ TTHC",
        "MAÕ ÑÔN VÒ",
        "NGAØY TIEÁP NHAÄN",
        "TRAÏNG THAÙI",
        "KEÂNH THÖÏC HIEÄN",
        "LYÙ DO TÖØ CHOÁI",
    ]
    vni_caps_rows = [
        ["HS-1", "1.004227", "001", "05/01/2023", "ÑANG XÖÛ LYÙ", "TRÖÏC TIEÁP", ""],
        ["HS-2", "1.004227", "003", "05/01/2023", "ÑANG GIAÛI QUYEÁT", "TRÖÏC TUYEÁN", ""],
        ["HS-3", "1.004227", "004", "05/01/2023", "CHÔØ BOÅ SUNG", "BÖU CHÍNH", "HOÀ SÔ KHOÂNG HÔÏP LEÄ"],
    ]  # fmt: skip
    case(
        file="enc_vni_capitals.csv",
        kind="dossiers",
        category="encoding",
        outcome="loaded",
        exercises="VNI Windows in capitals (capital diacritic bytes), comma-separated",
        data=table_text(vni_caps, vni_caps_rows, sep=",").encode("cp1252"),
        keys=["HS-1", "HS-2", "HS-3"],
        notices=["converted from VNI Windows"],
        values=[["HS-3", "rejected_reason", "HỒ SƠ KHÔNG HỢP LỆ"]],
    )

    def font_workbook(header: list[str], body: list[list[str]]):
        def build(book) -> None:
            sheet = book.add_worksheet("Sheet1")
            sheet.write(0, 0, "UBND QUẬN BA ĐÌNH")  # typed in Unicode: a workbook often mixes fonts
            write_rows(sheet, 2, [header, *body])

        return build

    case(
        file="enc_xlsx_tcvn3_font.xlsx",
        kind="dossiers",
        category="encoding",
        outcome="loaded",
        exercises="XLSX whose cells were typed with a TCVN3 font (.VnTime) beside Unicode cells: converted cell by cell",
        data=xlsx(font_workbook(tcvn3_header, tcvn3_rows)),
        keys=["HS-1", "HS-2", "HS-3", "HS-4"],
        notices=["legacy TCVN3 (ABC) font"],
        values=[
            ["HS-3", "rejected_reason", "Thiếu giấy tờ theo quy định"],
            ["HS-4", "rejected_reason", "HỒ SƠ KHÔNG HỢP LỆ"],
        ],
    )
    case(
        file="enc_xlsx_vni_font.xlsx",
        kind="dossiers",
        category="encoding",
        outcome="loaded",
        exercises="XLSX whose cells were typed with a VNI font (VNI-Times): converted cell by cell",
        data=xlsx(font_workbook(vni_header, vni_rows)),
        keys=["HS-1", "HS-2", "HS-3", "HS-4"],
        notices=["legacy VNI Windows font"],
        values=[["HS-3", "rejected_reason", "Thiếu giấy tờ theo quy định"]],
    )
    case(
        file="enc_utf8_vni_glyphs.csv",
        kind="dossiers",
        category="encoding",
        outcome="loaded",
        exercises="CSV UTF-8 saved from a VNI-font sheet (the glyph characters, now in UTF-8): converted cell by cell",
        data=table_text(vni_header, vni_rows).encode(),
        keys=["HS-1", "HS-2", "HS-3", "HS-4"],
        notices=["legacy VNI Windows font"],
        values=[["HS-2", "status", "processing"]],
    )

    western = (
        "Code;Société;Unité;Reçu le;État;Canal\nA-1;Crédit Agricole;001;05/01/2023;Traité;Guichet\n"
        "A-2;Société Générale;002;06/01/2023;Reçu;Télé-procédure\nA-3;Crème brûlée;003;07/01/2023;Déjà vu;Guichet\n"
    ).encode("cp1252")
    case(
        file="enc_cp1252_western.csv",
        kind="dossiers",
        category="encoding",
        outcome="refused",
        exercises="Windows-1252 text that is no Vietnamese encoding: refused, naming the candidates it tried",
        data=western,
        message="not recognisably one of the legacy encodings TCVN3, VNI, Windows-1258",
        cli=True,
    )
    mixed = text.encode() + encode_cp1258(dossier_csv(dossiers(8, "HX")[4:]).split("\n", 1)[1])
    case(
        file="enc_mixed_utf8_cp1258.csv",
        kind="dossiers",
        category="encoding",
        outcome="refused",
        exercises="two exports glued together, UTF-8 then Windows-1258: one file, two encodings, refused",
        data=mixed,
        message="not UTF-8 or UTF-16 text",
    )


def encode_cp1258(text: str) -> bytes:
    """Unicode -> Windows-1258 the way Windows writes it (precomposed letter where the code page has
    one, else the letter followed by a combining tone mark). Uses only Python's codec."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + "".join(c for c in parts if c in tones)).encode("cp1258")
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# Unicode forms, invisible characters
# ---------------------------------------------------------------------------------------------
def unicode_cases() -> None:
    rows = dossiers()
    nfd = unicodedata.normalize("NFD", dossier_csv(rows))
    case(
        file="uni_nfd.csv",
        kind="dossiers",
        category="unicode",
        outcome="loaded",
        exercises="everything decomposed (NFD, as macOS writes it): headers match, codes map, text stored NFC",
        data=nfd.encode(),
        keys=ids(rows),
        values=[["HS-3", "rejected_reason", "Thiếu giấy tờ theo quy định"], ["HS-1", "status", "resolved"]],
    )
    twins = dossiers(4, "HS-Đ")
    twin = dict(twins[0], dossier_id=unicodedata.normalize("NFD", twins[0]["dossier_id"]))
    case(
        file="uni_nfc_nfd_same_id.csv",
        kind="dossiers",
        category="unicode",
        outcome="loaded",
        exercises="the same id once NFC, once NFD: they compare equal, so the second is a duplicate",
        data=dossier_csv([*twins, twin]).encode(),
        keys=ids(twins),
        reasons={"duplicate_id": 1},
        quarantined_rows=[6],
    )
    zw = dossiers()
    zw[0] = dict(zw[0], dossier_id="HS-1\u200b", unit_code="\u200b001", status="Đã\u00a0giải quyết")
    zw[1] = dict(zw[1], dossier_id="\ufeffHS-2", channel="Trực \u2060tiếp", online_level=" Một phần\u202f")
    zw[2] = dict(zw[2], procedure_code="2.000001\u200c", rejected_reason="Thiếu\u00a0giấy tờ theo quy định")
    zw_header = ["Mã\u200b hồ sơ", "Mã\u00a0TTHC", "\ufeffMã đơn vị", "Ngày tiếp nhận\u200d", "Ngày hẹn trả",
                 "Ngày kết thúc xử lý", "Trạng\u00a0thái", "Kênh thực hiện", "Mức độ", "Được thanh toán trực tuyến",
                 "Lý do\u200b từ chối"]  # fmt: skip
    zw_text = table_text(zw_header, [[r[c] for c in COLUMNS] for r in zw])
    case(
        file="uni_zero_width_nbsp.csv",
        kind="dossiers",
        category="unicode",
        outcome="loaded",
        exercises="zero-width spaces/joiners, word joiner, BOM inside cells, NBSP and narrow NBSP in headers and cells",
        data=zw_text.encode(),
        keys=ids(rows),
        values=[
            ["HS-1", "unit_code", "001"],
            ["HS-1", "status", "resolved"],
            ["HS-2", "channel", "direct"],
            ["HS-3", "rejected_reason", "Thiếu giấy tờ theo quy định"],
        ],
    )

    def zw_book(book) -> None:
        sheet = book.add_worksheet("Hồ sơ")
        write_rows(sheet, 0, [zw_header, *[[r[c] for c in COLUMNS] for r in zw]])

    case(
        file="uni_zero_width.xlsx",
        kind="dossiers",
        category="unicode",
        outcome="loaded",
        exercises="the same invisible characters inside a workbook",
        data=xlsx(zw_book),
        keys=ids(rows),
        values=[["HS-2", "dossier_id", "HS-2"], ["HS-1", "unit_code", "001"]],
    )
    units_header = ["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã tỉnh", "Hiệu lực từ"]
    units_rows = [
        ["1.snv", unicodedata.normalize("NFD", "Sở Nội vụ thành phố Hà Nội"), unicodedata.normalize("NFD", "Sở"), "1", "01/01/2020"],
        ["79.SNV", "Sở Nội vụ Thành phố Hồ Chí Minh", "Sở, ban, ngành", "79", "2020-01-01"],
    ]  # fmt: skip
    case(
        file="uni_units_nfd.csv",
        kind="units",
        category="unicode",
        outcome="loaded",
        exercises="units: NFD names, department codes in lower case and without the province's zero ('1.snv')",
        data=table_text(units_header, units_rows, sep=",").encode(),
        keys=["01.SNV|2020-01-01", "79.SNV|2020-01-01"],
        values=[
            ["01.SNV|2020-01-01", "name", "Sở Nội vụ thành phố Hà Nội"],
            ["01.SNV|2020-01-01", "level", "department"],
        ],
    )


# ---------------------------------------------------------------------------------------------
# Spreadsheet layouts: title rows, merged cells, totals rows, several sheets
# ---------------------------------------------------------------------------------------------
def report_header(book, sheet, width: int, title: str) -> None:
    bold = book.add_format({"bold": True, "align": "center"})
    sheet.merge_range(0, 0, 0, width - 1, "UBND QUẬN BA ĐÌNH", bold)
    sheet.merge_range(1, 0, 1, width - 1, title, bold)
    sheet.merge_range(2, 0, 2, width - 1, "(Kèm theo Báo cáo số 15/BC-UBND ngày 05/02/2023)")


def layout_cases() -> None:
    rows = dossiers(5)
    columns = ["dossier_id", "procedure_code", "unit_code", "received_at", "due_at", "resolved_at", "status", "channel"]
    header = ["STT", *[HEADERS[c] for c in columns]]
    body = [[i + 1, *[r[c] for c in columns]] for i, r in enumerate(rows)]

    def titled(book) -> None:
        sheet = book.add_worksheet("Báo cáo")
        report_header(book, sheet, len(header), "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THÁNG 01/2023")
        write_rows(sheet, 4, [header, *body])  # header on row 5, dossiers on rows 6-10
        sheet.merge_range(10, 0, 10, 1, "Tổng cộng")
        sheet.write_formula(10, 2, '=COUNTA(B6:B10)&" hồ sơ"', None, "5 hồ sơ")

    case(
        file="xlsx_title_merged_totals.xlsx",
        kind="dossiers",
        category="layout",
        outcome="loaded",
        exercises="merged title rows above the header ('UBND QUẬN ...', 'BÁO CÁO ...'), STT column, 'Tổng cộng' row at the bottom",
        data=xlsx(titled),
        keys=ids(rows),
        skipped=1,
        notices=["skipped 1 totals row (not records): row 11 'Tổng cộng'", "columns ignored: STT"],
    )

    def subtotals(book) -> None:
        sheet = book.add_worksheet("Theo đơn vị")
        report_header(book, sheet, len(header), "TỔNG HỢP HỒ SƠ THEO ĐƠN VỊ")
        write_rows(
            sheet,
            4,
            [
                header,
                body[0],
                body[1],
                ["Cộng", "", "", "2 hồ sơ"],
                body[2],
                body[3],
                body[4],
                ["Cộng:", "", "", "3 hồ sơ"],
                ["TỔNG CỘNG", "", "", "5"],
            ],
        )

    case(
        file="xlsx_subtotals.xlsx",
        kind="dossiers",
        category="layout",
        outcome="loaded",
        exercises="a 'Cộng' subtotal after each group and a 'TỔNG CỘNG' row: all three skipped, each reported",
        data=xlsx(subtotals),
        keys=ids(rows),
        skipped=3,
        notices=["skipped 3 totals rows", "row 8 'Cộng'", "row 13 'TỔNG CỘNG'"],
    )

    def signature(book) -> None:
        sheet = book.add_worksheet("Báo cáo")
        report_header(book, sheet, len(header), "BÁO CÁO HỒ SƠ")
        write_rows(
            sheet,
            4,
            [
                header,
                *body,
                ["Tổng cộng (5 hồ sơ)"],
                [],
                ["", "Người lập biểu", "", "", "", "", "Hà Nội, ngày 05 tháng 02 năm 2023"],
                ["", "", "", "", "", "", "Thủ trưởng đơn vị"],
            ],
        )

    case(
        file="xlsx_signature_footer.xlsx",
        kind="dossiers",
        category="layout",
        outcome="loaded",
        exercises="totals row then a signature block: the footer rows are no dossiers and are quarantined, never loaded",
        data=xlsx(signature),
        keys=ids(rows),
        skipped=1,
        reasons={"bad_date": 2, "missing_required": 2},
        quarantined_rows=[13, 14],
    )

    def two_level(book) -> None:
        sheet = book.add_worksheet("Sheet1")
        merge = book.add_format({"align": "center"})
        sheet.write_row(0, 0, ["Mã hồ sơ", "Mã TTHC", "Mã đơn vị"])
        sheet.merge_range(0, 3, 0, 5, "Thời gian", merge)
        sheet.merge_range(0, 6, 0, 7, "Kết quả", merge)
        write_rows(
            sheet, 1, [["", "", "", *[HEADERS[c] for c in columns[3:]]], *[[r[c] for c in columns] for r in rows]]
        )

    case(
        file="xlsx_two_level_header.xlsx",
        kind="dossiers",
        category="layout",
        outcome="loaded",
        exercises="a two-level header: 'Thời gian' merged over the date columns; the row with the names is the header",
        data=xlsx(two_level),
        keys=ids(rows),
    )

    jan, feb = dossiers(3, "T1"), dossiers(4, "T2")

    def sheets(book) -> None:
        for name, part in (("Tháng 1", jan), ("Tháng 2", feb)):
            sheet = book.add_worksheet(name)
            write_rows(sheet, 0, [[HEADERS[c] for c in COLUMNS], *[[r[c] for c in COLUMNS] for r in part]])
        notes = book.add_worksheet("Ghi chú")
        notes.write(0, 0, "Số liệu tổng hợp từ hệ thống một cửa điện tử")

    sheets_book = xlsx(sheets)
    case(
        file="xlsx_sheets.xlsx",
        kind="dossiers",
        category="layout",
        outcome="loaded",
        exercises="three sheets: the first is read by default and the others are named in the message",
        data=sheets_book,
        keys=ids(jan),
        notices=["read sheet 'Tháng 1'; the workbook also has 'Tháng 2', 'Ghi chú'"],
    )
    case(
        file="xlsx_sheets.xlsx",
        sheet="Tháng 2",
        kind="dossiers",
        category="layout",
        outcome="loaded",
        exercises="the same workbook with --sheet 'Tháng 2'",
        keys=ids(feb),
    )
    case(
        file="xlsx_sheets.xlsx",
        sheet="Tháng 3",
        kind="dossiers",
        category="layout",
        outcome="refused",
        exercises="the same workbook with --sheet naming no sheet: refused, listing the sheets",
        message="no sheet named 'Tháng 3'; the workbook has 'Tháng 1', 'Tháng 2', 'Ghi chú'",
        cli=True,
    )

    def hidden_first(book) -> None:
        raw = book.add_worksheet("Dữ liệu gốc")
        raw.write(0, 0, "tạm")
        raw.hide()
        sheet = book.add_worksheet("Hồ sơ")
        sheet.activate()
        write_rows(sheet, 0, [[HEADERS[c] for c in COLUMNS], *[[r[c] for c in COLUMNS] for r in jan]])

    case(
        file="xlsx_hidden_first_sheet.xlsx",
        kind="dossiers",
        category="layout",
        outcome="loaded",
        exercises="the first sheet is hidden: the first visible sheet is read (what Excel shows)",
        data=xlsx(hidden_first),
        keys=ids(jan),
        notices=["read sheet 'Hồ sơ'"],
    )

    def cover(book) -> None:
        first = book.add_worksheet("Hướng dẫn")
        write_rows(first, 0, [["HƯỚNG DẪN NHẬP LIỆU"], ["Điền mỗi hồ sơ trên một dòng của sheet Dữ liệu"]])
        data = book.add_worksheet("Dữ liệu")
        write_rows(data, 0, [[HEADERS[c] for c in COLUMNS], *[[r[c] for c in COLUMNS] for r in jan]])

    case(
        file="xlsx_cover_sheet.xlsx",
        kind="dossiers",
        category="layout",
        outcome="refused",
        exercises="the first sheet is an instructions page: refused naming the missing columns and the other sheet",
        data=xlsx(cover),
        message="missing required column(s) dossier_id (Mã hồ sơ)",
        notices=["the workbook also has 'Dữ liệu' (choose one with --sheet)"],
    )

    def typed(book) -> None:
        sheet = book.add_worksheet("Sheet1")
        stamp = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        day = book.add_format({"num_format": "dd/mm/yyyy"})
        sheet.write_row(
            0,
            0,
            [
                "Mã hồ sơ",
                "Mã TTHC",
                "Mã đơn vị",
                "Ngày tiếp nhận",
                "Ngày hẹn trả",
                "Ngày kết thúc xử lý",
                "Trạng thái",
                "Kênh thực hiện",
                "Được thanh toán trực tuyến",
                "Thời gian chờ (phút)",
                "Tên đơn vị",
            ],
        )
        sheet.write_column(1, 10, ["Quận Ba Đình", "Quận 1", "Quận Cầu Giấy"])
        sheet.write_row(1, 0, ["HS-1", "1.004227", 1])
        sheet.write_datetime(1, 3, dt.datetime(2023, 1, 5, 8, 30), stamp)
        sheet.write_datetime(1, 4, dt.datetime(2023, 1, 10), day)
        sheet.write_datetime(1, 5, dt.datetime(2023, 1, 9, 16, 0), stamp)
        sheet.write_row(1, 6, ["Đã giải quyết", 2, True, 12.5])
        sheet.write_row(2, 0, ["HS-2", "1.004227", 760, 44932, 44937.75, None, "Đang xử lý", 1, False, 1234.5])
        sheet.write_row(
            3, 0, ["HS-3", "1.004227", 5, "07/01/2023 10:15", "2023-01-12", None, "Mới tiếp nhận", 3, None, 7]
        )

    case(
        file="xlsx_typed_cells.xlsx",
        kind="dossiers",
        category="layout",
        outcome="loaded",
        exercises="typed cells: real dates, serial numbers, unit codes as numbers read with the unit name beside them (1, Quận Ba Đình -> 001), TRUE/FALSE, decimals",
        data=xlsx(typed),
        keys=["HS-1", "HS-2", "HS-3"],
        values=[
            ["HS-1", "unit_code", "001"],
            ["HS-3", "unit_code", "005"],
            ["HS-2", "received_at", "2023-01-06 00:00:00"],
            ["HS-2", "due_at", "2023-01-11 18:00:00"],
            ["HS-2", "wait_minutes", "1234.5"],
            ["HS-1", "paid_online", "true"],
        ],
    )

    def empty_first(book) -> None:
        book.add_worksheet("Trống")
        sheet = book.add_worksheet("Dữ liệu")
        sheet.write(0, 0, "x")

    case(
        file="xlsx_empty_sheet.xlsx",
        kind="dossiers",
        category="layout",
        outcome="refused",
        exercises="the sheet read is empty",
        data=xlsx(empty_first),
        message="sheet 'Trống' is empty",
    )

    def header_only(book) -> None:
        write_rows(book.add_worksheet("Sheet1"), 0, [[HEADERS[c] for c in COLUMNS]])

    case(
        file="xlsx_header_only.xlsx",
        kind="dossiers",
        category="layout",
        outcome="loaded",
        exercises="a workbook with the header row and no data: loads nothing, says so",
        data=xlsx(header_only),
        notices=["no data rows below the header"],
    )
    csv_rows = dossiers(3)
    title = "UBND QUẬN BA ĐÌNH;;;\nBÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ;;;\n;;;\n"
    totals = "Tổng cộng;;;3 hồ sơ;;;;;;;\n"
    case(
        file="csv_title_rows_totals.csv",
        kind="dossiers",
        category="layout",
        outcome="loaded",
        exercises="a CSV saved from such a report: title rows, a blank row, the header on row 4, a totals row",
        data=(title + dossier_csv(csv_rows) + totals).encode(),
        keys=ids(csv_rows),
        skipped=1,
        notices=["skipped 1 totals row (not records): row 8 'Tổng cộng'"],
    )


# ---------------------------------------------------------------------------------------------
# Columns: reordered, duplicated, missing, extra, personal data, vendor names
# ---------------------------------------------------------------------------------------------
def column_cases() -> None:
    rows = dossiers()
    good = ids(rows)
    order = ["status", "received_at", "unit_code", "rejected_reason", "dossier_id", "channel", "procedure_code",
             "resolved_at", "online_level", "due_at", "paid_online"]  # fmt: skip
    case(
        file="cols_reordered.csv",
        kind="dossiers",
        category="columns",
        outcome="loaded",
        exercises="columns in another order",
        data=dossier_csv(rows, order).encode(),
        keys=good,
        values=[["HS-3", "unit_code", "760"], ["HS-1", "status", "resolved"]],
    )
    header = [HEADERS[c] for c in COLUMNS] + ["Trạng thái", "Mã hồ sơ"]
    body = [[r[c] for c in COLUMNS] + ["Hoàn thành", f"X-{i}"] for i, r in enumerate(rows)]
    case(
        file="cols_duplicated.csv",
        kind="dossiers",
        category="columns",
        outcome="loaded",
        exercises="'Trạng thái' and 'Mã hồ sơ' twice: the first of each is used, the repeats are named in the message",
        data=table_text(header, body).encode(),
        keys=good,
        notices=["repeated columns ignored (the first of each is used): Trạng thái, Mã hồ sơ"],
        values=[["HS-2", "status", "processing"]],
    )
    required = ["dossier_id", "procedure_code", "unit_code", "received_at", "status", "channel"]
    case(
        file="cols_missing_optional.csv",
        kind="dossiers",
        category="columns",
        outcome="loaded",
        exercises="only the required columns: optional ones load as empty",
        data=dossier_csv([dict(r, status="Đang xử lý") for r in rows], required).encode(),
        keys=good,
    )
    case(
        file="cols_missing_required.csv",
        kind="dossiers",
        category="columns",
        outcome="refused",
        exercises="no 'Ngày tiếp nhận' column: refused, naming the column in both languages",
        data=dossier_csv(rows, [c for c in COLUMNS if c != "received_at"]).encode(),
        message="missing required column(s) received_at (Ngày tiếp nhận)",
        cli=True,
    )
    header = ["STT", *[HEADERS[c] for c in COLUMNS], "Ghi chú", "Cán bộ xử lý"]
    body = [[str(i + 1), *[r[c] for c in COLUMNS], "", "Phòng TN&TKQ"] for i, r in enumerate(rows)]
    case(
        file="cols_extra.csv",
        kind="dossiers",
        category="columns",
        outcome="loaded",
        exercises="extra columns (STT, notes, officer): ignored and named in the message",
        data=table_text(header, body).encode(),
        keys=good,
        notices=["columns ignored: STT, Ghi chú, Cán bộ xử lý"],
    )
    pii = ["Chủ hồ sơ", "Số CCCD", "Số điện thoại", "Email", "Địa chỉ"]
    people = [["Nguyễn Văn An", "001089012345", "0912345678", "an.nguyen@example.vn", "12 Phố Huế, Hà Nội"],
              ["Trần Thị Bình", "001190054321", "0987654321", "binh.tran@example.vn", "5 Lý Thường Kiệt"],
              ["Lê Văn Cường", "079085000111", "0901234567", "", ""], ["Phạm Thị Dung", "", "0977000111", "", ""]]  # fmt: skip
    body = [[r[c] for c in COLUMNS] + p for r, p in zip(rows, people, strict=True)]
    case(
        file="cols_personal_data.csv",
        kind="dossiers",
        category="columns",
        outcome="loaded",
        exercises="applicant personal data (name, ID number, phone, e-mail, address): dropped on read, never in the lake",
        data=table_text([HEADERS[c] for c in COLUMNS] + pii, body).encode(),
        keys=good,
        notices=["personal-data columns dropped: Chủ hồ sơ, Số CCCD, Số điện thoại, Email, Địa chỉ"],
        absent=["Nguyễn Văn An", "001089012345", "0912345678", "an.nguyen@example.vn", "Phố Huế"],
    )
    vendor = {"dossier_id": "MaHoSo", "procedure_code": "MaTTHC", "unit_code": "MaDonVi", "received_at": "NgayTiepNhan",
              "due_at": "NgayHenTra", "resolved_at": "NgayKetThucXuLy", "status": "TrangThaiHoSo",
              "channel": "KenhThucHien", "online_level": "MucDo", "paid_online": "DuocThanhToanTrucTuyen",
              "rejected_reason": "LyDoTuChoi"}  # fmt: skip
    coded = [dict(r, channel={"Trực tuyến": "2", "Trực tiếp": "1"}.get(r["channel"], "3")) for r in rows]
    case(
        file="cols_vendor_names.csv",
        kind="dossiers",
        category="columns",
        outcome="loaded",
        exercises="national-portal field names (MaHoSo, NgayTiepNhan, KenhThucHien 1/2/3 ...)",
        data=dossier_csv(coded, sep=",", **vendor).encode(),
        keys=good,
        values=[["HS-1", "channel", "online"], ["HS-3", "channel", "postal"]],
    )
    marked = {c: HEADERS[c] + (" (*)" if c in required else "") for c in COLUMNS}
    case(
        file="cols_template_markers.csv",
        kind="dossiers",
        category="columns",
        outcome="loaded",
        exercises="import-template headers with required markers: 'Mã hồ sơ (*)'",
        data=dossier_csv(rows, **marked).encode(),
        keys=good,
    )
    wrapped = {c: HEADERS[c].replace(" ", "\n", 1) for c in COLUMNS}
    case(
        file="cols_header_line_breaks.csv",
        kind="dossiers",
        category="columns",
        outcome="loaded",
        exercises="header cells with line breaks inside quotes ('Ngày\\ntiếp nhận', as wrapped in Excel)",
        data=dossier_csv(rows, **wrapped).encode(),
        keys=good,
    )
    header = [HEADERS[c] for c in COLUMNS[:3]] + [""] + [HEADERS[c] for c in COLUMNS[3:]] + [""]
    body = [[r[c] for c in COLUMNS[:3]] + ["ghi chú tay"] + [r[c] for c in COLUMNS[3:]] + [""] for r in rows]
    case(
        file="cols_blank_header.csv",
        kind="dossiers",
        category="columns",
        outcome="loaded",
        exercises="a column with values but no header, and a trailing separator on every line",
        data=table_text(header, body).encode(),
        keys=good,
        notices=["columns ignored: column_4"],
    )


# ---------------------------------------------------------------------------------------------
# Rows: fields beyond the header, short rows, quoting, blank lines, duplicates, line ends
# ---------------------------------------------------------------------------------------------
def row_cases() -> None:
    rows = dossiers()
    text = dossier_csv(rows)
    lines = text.splitlines()
    shifted = [
        *lines[:3],
        lines[3].replace("Thiếu giấy tờ theo quy định", "Thiếu giấy tờ; cần bổ sung bản gốc"),
        lines[4],
    ]
    case(
        file="rows_extra_fields.csv",
        kind="dossiers",
        category="rows",
        outcome="loaded",
        exercises="an unquoted separator inside a value (one field too many): the row is quarantined, not cut short",
        data=("\n".join(shifted) + "\n").encode(),
        keys=["HS-1", "HS-2", "HS-4"],
        reasons={"extra_fields": 1},
        quarantined_rows=[4],
    )
    short = [*lines[:3], "HS-3;2.000001;760;2023-01-09", ";".join(lines[4].split(";")[:8]), ""]
    case(
        file="rows_short.csv",
        kind="dossiers",
        category="rows",
        outcome="loaded",
        exercises="rows with fewer fields than the header: padded with empty cells; one then lacks required values",
        data="\n".join(short).encode(),
        keys=["HS-1", "HS-2", "HS-4"],
        reasons={"missing_required": 1},
        quarantined_rows=[4],
    )
    quoted = [dict(r) for r in rows]
    quoted[0]["rejected_reason"] = 'Ghi chú: "bản sao"; thiếu\ntờ khai'
    quoted[2]["rejected_reason"] = "Thiếu giấy tờ;\r\ncần bổ sung"
    case(
        file="rows_quoted_separators.csv",
        kind="dossiers",
        category="rows",
        outcome="loaded",
        exercises="quoted separators, doubled quotes and line breaks inside cells; row numbers count records",
        data=dossier_csv(quoted).encode(),
        keys=ids(rows),
        values=[["HS-1", "rejected_reason", 'Ghi chú: "bản sao"; thiếu\ntờ khai']],
    )
    spaced = [lines[0], "", lines[1], "   ", lines[2], ";;;;;;;;;;", lines[3], "\t", lines[4], "", ""]
    bad = dict(rows[0], dossier_id="HS-9", status="Treo")
    case(
        file="rows_blank_lines.csv",
        kind="dossiers",
        category="rows",
        outcome="loaded",
        exercises="blank, whitespace-only and separator-only lines between rows: skipped, row numbers kept",
        data=("\n".join([*spaced, dossier_csv([bad]).splitlines()[1]]) + "\n").encode(),
        keys=ids(rows),
        reasons={"unknown_code": 1},
        quarantined_rows=[12],
    )
    dup = dossiers(4)
    case(
        file="rows_duplicate_ids.csv",
        kind="dossiers",
        category="rows",
        outcome="loaded",
        exercises="the same dossier id three times in one file: the first is kept, the repeats quarantined",
        data=dossier_csv([*dup, dup[1], dict(dup[1], status="Đã giải quyết", resolved_at="12/01/2023")]).encode(),
        keys=ids(dup),
        reasons={"duplicate_id": 2},
        quarantined_rows=[6, 7],
    )
    case(
        file="rows_cr_only.csv",
        kind="dossiers",
        category="rows",
        outcome="loaded",
        exercises="classic Mac line ends (CR only)",
        data=dossier_csv(rows, eol="\r").encode(),
        keys=ids(rows),
    )
    stray = text.replace("Thiếu giấy tờ theo quy định", 'Thiếu bản "gốc')
    case(
        file="rows_stray_quote.csv",
        kind="dossiers",
        category="rows",
        outcome="refused",
        exercises="a lone quote inside an unquoted cell: where rows end is unknowable, refused",
        data=stray.encode(),
        message='a quote (") opened in row 4 is never closed',
    )


# ---------------------------------------------------------------------------------------------
# Values: lost leading zeros, mixed dates, percentages, Vietnamese numbers, yes/no and code forms
# ---------------------------------------------------------------------------------------------
def value_cases() -> None:
    rows = dossiers()
    names = ["Quận Ba Đình", "Hoàn Kiếm", "", "UBND quận Cầu Giấy"]
    zeros = [dict(r, unit_code=u, unit_name=n) for r, u, n in zip(rows, ["1", "2", "760", "5"], names, strict=True)]
    zeros.append(dict(rows[0], dossier_id="HS-5", unit_code="1.stp"))
    zeros.append(dict(rows[1], dossier_id="HS-6", unit_code="2"))  # no name: 02 Hà Giang or 002 Hoàn Kiếm
    zeros.append(dict(rows[1], dossier_id="HS-7", unit_code="1", unit_name="Quận Hoàn Kiếm"))  # contradicts
    case(
        file="val_leading_zeros.csv",
        kind="dossiers",
        category="values",
        outcome="loaded",
        exercises="unit codes that lost their leading zeros, read with the unit name beside them ('1', Quận Ba Đình -> '001'; '1.stp' -> '01.STP'); without a name, or with a name that fits none, quarantined",
        data=dossier_csv(zeros, [*COLUMNS, "unit_name"], unit_name="Tên đơn vị").encode(),
        keys=[*ids(rows), "HS-5"],
        reasons={"ambiguous_unit": 2},
        quarantined_rows=[7, 8],
        values=[
            ["HS-1", "unit_code", "001"],
            ["HS-2", "unit_code", "002"],
            ["HS-4", "unit_code", "005"],
            ["HS-5", "unit_code", "01.STP"],
        ],
    )

    def numeric_codes(book) -> None:
        sheet = book.add_worksheet("Sheet1")
        sheet.write_row(0, 0, [HEADERS[c] for c in COLUMNS[:8]])
        for i, (r, unit) in enumerate(zip(rows, [1, 2, 760, 5], strict=True)):
            sheet.write_row(i + 1, 0, [r["dossier_id"], r["procedure_code"], unit, *[r[c] for c in COLUMNS[3:8]]])

    case(
        file="val_leading_zeros.xlsx",
        kind="dossiers",
        category="values",
        outcome="loaded",
        exercises="unit codes stored as numbers in a workbook without a unit-name column: 760 is a district and 5 fits only 005; 1 and 2 fit several units of 2023 and are quarantined",
        data=xlsx(numeric_codes),
        keys=["HS-3", "HS-4"],
        reasons={"ambiguous_unit": 2},
        quarantined_rows=[2, 3],
        values=[["HS-3", "unit_code", "760"], ["HS-4", "unit_code", "005"]],
    )
    procedures = [["1.004227", "1", "Đăng ký khai sinh", "HT", "15/03/2021"],
                  ["2.000001", "79", "Cấp giấy phép xây dựng", "XD", "2021-03-15"],
                  ["1.001612", "1", "Chứng thực bản sao từ bản chính", "CT", "44270"]]  # fmt: skip
    case(
        file="val_procedures_zeros.csv",
        kind="procedures",
        category="values",
        outcome="loaded",
        exercises="procedures: province code '1' for '01', publication dates as text, ISO and a serial",
        data=table_text(
            ["Mã TTHC", "Mã tỉnh", "Tên TTHC", "Mã lĩnh vực", "Ngày công bố"], procedures, sep=","
        ).encode(),
        keys=["01|1.004227|2021-03-15", "79|2.000001|2021-03-15", "01|1.001612|2021-03-15"],
        values=[["01|1.001612|2021-03-15", "procedure_code", "1.001612"]],
    )
    mixed = [dict(rows[0], dossier_id=f"D-{i}", received_at=v, due_at="", resolved_at="", status="Đang xử lý")
             for i, v in enumerate(["05/01/2023", "2023-01-05", "44931", "44931.5", "5/1/2023 8:30", "08:30 05/01/2023",
                                    "2023-01-05T01:30:00Z", "05.01.2023", "31/02/2023", "05/01/23"], start=1)]  # fmt: skip
    case(
        file="val_dates_mixed.csv",
        kind="dossiers",
        category="values",
        outcome="loaded",
        exercises="one date column holding dd/mm/yyyy, ISO, Excel serials, time-first and UTC forms; 31/02 and 2-digit years refused",
        data=dossier_csv(mixed).encode(),
        keys=[f"D-{i}" for i in range(1, 9)],
        reasons={"bad_date": 2},
        quarantined_rows=[10, 11],
        values=[
            ["D-3", "received_at", "2023-01-05 00:00:00"],
            ["D-4", "received_at", "2023-01-05 12:00:00"],
            ["D-7", "received_at", "2023-01-05 08:30:00"],
        ],
    )

    def dates_book(book) -> None:
        sheet = book.add_worksheet("Sheet1")
        day = book.add_format({"num_format": "dd/mm/yyyy"})
        sheet.write_row(0, 0, [HEADERS[c] for c in COLUMNS[:8]])
        for i, r in enumerate(rows):
            sheet.write_row(i + 1, 0, [r[c] for c in COLUMNS[:8]])
        sheet.write_datetime(1, 3, dt.datetime(2023, 1, 5), day)  # a real date
        sheet.write_number(2, 3, 44932.375)  # a serial shown as a number
        sheet.write_string(3, 3, "2023-01-09")  # text
        sheet.write_string(4, 3, "10/01/2023 14:20")

    case(
        file="val_dates_mixed.xlsx",
        kind="dossiers",
        category="values",
        outcome="loaded",
        exercises="a workbook date column mixing real dates, serial numbers and text",
        data=xlsx(dates_book),
        keys=ids(rows),
        values=[["HS-2", "received_at", "2023-01-06 09:00:00"], ["HS-1", "received_at", "2023-01-05 00:00:00"]],
    )
    targets = [["on_time_rate", "all", "2023", ">=", "98,9%"], ["online_share", "001", "2023", "≥", "95 %"],
               ["digitised_share", "all", "2023", ">=", "0,85"], ["sipas_overall", "all", "2023", ">=", "85%"],
               ["wait_minutes", "all", "2023", "<=", "1.234,5"], ["par_rank", "all", "2023", "<=", "cao"]]  # fmt: skip
    case(
        file="val_percentages.csv",
        kind="targets",
        category="values",
        outcome="loaded",
        exercises="percentages as '98,9%' and '95 %', decimal commas, '1.234,5'; a word where a number belongs",
        data=table_text(["Chỉ tiêu", "Mã đơn vị", "Năm", "So sánh", "Giá trị"], targets).encode(),
        keys=[
            "on_time_rate|all|2023|",
            "online_share|001|2023|",
            "digitised_share|all|2023|",
            "sipas_overall|all|2023|",
            "wait_minutes|all|2023|",
        ],
        reasons={"bad_number": 1},
        quarantined_rows=[7],
        values=[
            ["on_time_rate|all|2023|", "value", "0.989"],
            ["online_share|001|2023|", "value", "0.95"],
            ["wait_minutes|all|2023|", "value", "1234.5"],
            ["online_share|001|2023|", "comparator", ">="],
        ],
    )
    waits = [dict(r, **{"wait_minutes": w}) for r, w in zip(rows, ["1.234,5", "12,5", "1,234.5", "15"], strict=True)]
    case(
        file="val_numbers.csv",
        kind="dossiers",
        category="values",
        outcome="loaded",
        exercises="numbers with Vietnamese and English separators in one column",
        data=dossier_csv(waits, [*COLUMNS, "wait_minutes"], wait_minutes="Thời gian chờ (phút)").encode(),
        keys=ids(rows),
        values=[
            ["HS-1", "wait_minutes", "1234.5"],
            ["HS-2", "wait_minutes", "12.5"],
            ["HS-3", "wait_minutes", "1234.5"],
        ],
    )
    forms = [dict(r) for r in rows]
    forms[0].update(status="DA GIAI QUYET", paid_online="X", channel="TRỰC TUYẾN", online_level="Mức 4")
    forms[1].update(status="đang xử lý", paid_online="Không", channel="1", online_level="")
    forms[2].update(status="HOÀN THÀNH", paid_online="TRUE", channel="BCCI", online_level="3")
    forms[3].update(status="Yêu cầu bổ sung", paid_online="maybe")
    case(
        file="val_codes_booleans.csv",
        kind="dossiers",
        category="values",
        outcome="loaded",
        exercises="status/channel/level forms in any case, with or without diacritics; yes/no forms; one 'maybe'",
        data=dossier_csv(forms).encode(),
        keys=["HS-1", "HS-2", "HS-3"],
        reasons={"bad_boolean": 1},
        quarantined_rows=[5],
        values=[
            ["HS-1", "status", "resolved"],
            ["HS-1", "paid_online", "true"],
            ["HS-3", "channel", "postal"],
            ["HS-3", "online_level", "partial"],
            ["HS-2", "paid_online", "false"],
        ],
    )
    wrong = [dict(rows[0], dossier_id="HS-5", unit_code="999"), dict(rows[1], dossier_id="HS-6", unit_code="01.XYZ")]
    case(
        file="val_unknown_units.csv",
        kind="dossiers",
        category="values",
        outcome="loaded",
        exercises="unit codes in no unit list: quarantined with the code",
        data=dossier_csv([*rows, *wrong]).encode(),
        keys=ids(rows),
        reasons={"unknown_unit": 2},
        quarantined_rows=[6, 7],
    )
    survey = [["P-001", "2023", "1", "A1", "5", "1", "Quận Ba Đình"], ["P-001", "2023", "1", "A2", "4", "1,0", "Quận Ba Đình"],
              ["P-002", "2023", "760", "A1", "3", "", ""], ["P-002", "2.023", "760", "A2", "", "0,75", ""]]  # fmt: skip
    case(
        file="val_survey.csv",
        kind="survey",
        category="values",
        outcome="loaded",
        exercises="survey microdata: unit '1' with its name for '001', decimal-comma weights, a year written '2.023'",
        data=table_text(
            ["Mã phiếu", "Năm", "Mã đơn vị", "Mã câu hỏi", "Trả lời", "Trọng số", "Tên đơn vị"], survey
        ).encode(),
        keys=["P-001|A1", "P-001|A2", "P-002|A1", "P-002|A2"],
        values=[["P-001|A1", "unit_code", "001"], ["P-002|A2", "weight", "0.75"], ["P-002|A2", "year", "2023"]],
    )
    par = [["2022", "1", "QD2948-2017", "1", "1.1", "1", "1", "0,75", "", "Hà Nội"], ["2022", "01", "QD2948-2017", "1", "1.2", "2,5", "2,5", "2", "0,5", "Hà Nội"],
           ["2022", "79", "QD2948-2017", "2", "2.1", "1,5", "", "", "", "TP. Hồ Chí Minh"]]  # fmt: skip
    case(
        file="val_par_scores.csv",
        kind="par",
        category="values",
        outcome="loaded",
        exercises="PAR scores: province '1' with its name for '01', points with decimal commas, empty points",
        data=table_text(
            [
                "Năm",
                "Mã đơn vị",
                "Bộ tiêu chí",
                "Mã lĩnh vực",
                "Mã tiêu chí",
                "Điểm tối đa",
                "Điểm tự đánh giá",
                "Điểm thẩm định",
                "Điểm điều tra XHH",
                "Tên đơn vị",
            ],
            par,
        ).encode(),
        keys=["2022|01|1.1", "2022|01|1.2", "2022|79|2.1"],
        values=[["2022|01|1.1", "appraised_points", "0.75"], ["2022|01|1.2", "max_points", "2.5"]],
    )
    feedback = [["PA-1", "001", "Thủ tục hành chính", "05/01/2023", "20/01/2023", "15/01/2023", "có", "Ba Đình"],
                ["PA-2", "2", "Cán bộ", "2023-01-06", "", "", "", "Hoàn Kiếm"],
                ["PA-3", "760", "Hành vi cán bộ, công chức", "44935", "44950", "44940", "không", "Quận 1"],
                ["PA-4", "760", "Khác", "07/01/2023", "", "", "", "Quận 1"]]  # fmt: skip
    case(
        file="val_feedback.csv",
        kind="feedback",
        category="values",
        outcome="loaded",
        exercises="citizen petitions: mixed date forms, a unit without its zeros (named beside it), a topic outside the vocabulary",
        data=table_text(
            [
                "Mã PAKN",
                "Mã đơn vị",
                "Nội dung",
                "Ngày tiếp nhận",
                "Hạn xử lý",
                "Ngày trả lời",
                "Hài lòng",
                "Tên đơn vị",
            ],
            feedback,
        ).encode(),
        keys=["PA-1", "PA-2", "PA-3"],
        reasons={"unknown_code": 1},
        quarantined_rows=[5],
        values=[["PA-2", "unit_code", "002"], ["PA-3", "topic", "official"]],
    )


# ---------------------------------------------------------------------------------------------
# Structure: empty, header only, truncated, binary, the wrong kind of file
# ---------------------------------------------------------------------------------------------
def png_bytes() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), body)
    return buffer.getvalue()


def structure_cases() -> None:
    rows = dossiers()
    text = dossier_csv(rows)
    case(
        file="empty.csv",
        kind="dossiers",
        category="structure",
        outcome="refused",
        exercises="0 bytes",
        data=b"",
        message="the file is empty",
        cli=True,
    )
    case(
        file="blank_lines_only.csv",
        kind="dossiers",
        category="structure",
        outcome="refused",
        exercises="a BOM and blank or whitespace-only lines",
        data=codecs.BOM_UTF8 + b"\r\n  \r\n\t\n",
        message="the file is empty",
    )
    case(
        file="header_only.csv",
        kind="dossiers",
        category="structure",
        outcome="loaded",
        exercises="the header row and nothing else: loads nothing, says so",
        data=text.splitlines(keepends=True)[0].encode(),
        notices=["no data rows below the header"],
    )
    cut_quote = dossier_csv([*rows[:2], dict(rows[2], rejected_reason="Thiếu giấy tờ;\ncần bổ sung bản gốc")])
    case(
        file="truncated_in_quote.csv",
        kind="dossiers",
        category="structure",
        outcome="refused",
        exercises="a download cut inside a quoted cell: refused whole (the rows after the cut are missing)",
        data=cut_quote.encode()[: cut_quote.encode().index("cần".encode())],
        cli=True,
        message='a quote (") opened in row 4 is never closed: the file looks truncated',
    )
    cut_row = text.encode()[: text.encode().index(b"2023-01-16") + 4]
    case(
        file="truncated_mid_row.csv",
        kind="dossiers",
        category="structure",
        outcome="refused",
        exercises="a download cut in the middle of the last row (no line end, too few fields): refused whole",
        data=cut_row,
        message="the file looks truncated: its last line (row 4) ends without a line break and has 5 of 11 fields",
    )
    workbook = xlsx(
        lambda book: write_rows(
            book.add_worksheet("Sheet1"), 0, [[HEADERS[c] for c in COLUMNS], *[[r[c] for c in COLUMNS] for r in rows]]
        )
    )
    case(
        file="truncated.xlsx",
        kind="dossiers",
        category="structure",
        outcome="refused",
        exercises="the first 60 % of a workbook",
        data=workbook[: len(workbook) * 6 // 10],
        message="a damaged XLSX/ZIP file (truncated download?)",
    )
    noise = random.Random(6)
    case(
        file="binary_garbage.csv",
        kind="dossiers",
        category="structure",
        outcome="refused",
        exercises="random bytes",
        data=bytes(noise.randrange(256) for _ in range(4096)),
        message="not a CSV, XLSX or Parquet file",
        cli=True,
    )
    case(
        file="binary_high_bytes.csv",
        kind="dossiers",
        category="structure",
        outcome="refused",
        exercises="random bytes without a NUL (so it looks like 8-bit text): no encoding fits, refused",
        data=bytes(noise.randrange(128, 256) for _ in range(4096)),
        message="not UTF-8 or UTF-16 text",
    )
    case(
        file="png_renamed.csv",
        kind="dossiers",
        category="structure",
        outcome="refused",
        exercises="a PNG image renamed .csv",
        data=png_bytes(),
        message="it is a PNG image",
    )
    case(
        file="pdf_renamed.xlsx",
        kind="dossiers",
        category="structure",
        outcome="refused",
        exercises="a PDF renamed .xlsx",
        data=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        message="it is a PDF document",
    )
    case(
        file="zip_not_workbook.xlsx",
        kind="dossiers",
        category="structure",
        outcome="refused",
        exercises="a ZIP archive (holding a CSV) renamed .xlsx",
        data=zip_bytes({"baocao_thang1.csv": text.encode()}),
        message="a ZIP archive, not an XLSX workbook (it holds: baocao_thang1.csv)",
        cli=True,
    )
    case(
        file="docx_renamed.xlsx",
        kind="dossiers",
        category="structure",
        outcome="refused",
        exercises="a Word document renamed .xlsx",
        data=zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
        message="a Word document (DOCX), not a workbook",
    )
    html = (
        "<html><head><meta charset='utf-8'></head><body><table><tr><th>Mã hồ sơ</th><th>Trạng thái</th></tr>"
        "<tr><td>HS-1</td><td>Đã giải quyết</td></tr></table></body></html>"
    )
    case(
        file="html_as_xls.xls",
        kind="dossiers",
        category="structure",
        outcome="refused",
        exercises="an HTML table saved as .xls (what many web systems' 'Export to Excel' gives)",
        data=html.encode(),
        message="an HTML page, not a spreadsheet",
    )
    xml = (
        '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        "<Worksheet><Table><Row><Cell><Data>Mã hồ sơ</Data></Cell></Row></Table></Worksheet></Workbook>"
    )
    case(
        file="xml2003_as_xls.xls",
        kind="dossiers",
        category="structure",
        outcome="refused",
        exercises="an Excel 2003 XML spreadsheet named .xls",
        data=xml.encode(),
        message="an XML file (Excel 2003 XML?)",
    )
    case(
        file="gzip_csv.csv",
        kind="dossiers",
        category="structure",
        outcome="refused",
        exercises="a gzip-compressed CSV named .csv",
        data=gzip.compress(text.encode(), mtime=0),
        message="it is a gzip archive",
    )
    typed = pl.DataFrame({
        "MaHoSo": ids(rows), "MaTTHC": [r["procedure_code"] for r in rows], "MaDonVi": [1, 2, 760, 5], "TenDonVi": ["Ba Đình", "Hoàn Kiếm", "Quận 1", "Cầu Giấy"],
        "NgayTiepNhan": [dt.datetime(2023, 1, 5, 8), dt.datetime(2023, 1, 6, 9, 30), dt.datetime(2023, 1, 9), dt.datetime(2023, 1, 10, 14, 20)],
        "TrangThaiHoSo": ["Đang xử lý"] * 4, "KenhThucHien": [2, 1, 3, 2], "ThoiGianCho": [1.234, 12.0, None, 7.5],
    })  # fmt: skip
    buffer = io.BytesIO()
    typed.write_parquet(buffer)
    case(
        file="parquet_export.parquet",
        kind="dossiers",
        category="structure",
        outcome="loaded",
        exercises="a typed Parquet export (integer unit codes with the unit names, timestamps, floats)",
        data=buffer.getvalue(),
        keys=ids(rows),
        values=[
            ["HS-3", "unit_code", "760"],
            ["HS-2", "unit_code", "002"],
            ["HS-2", "received_at", "2023-01-06 09:30:00"],
            ["HS-1", "wait_minutes", "1.234"],
            ["HS-4", "channel", "online"],
        ],
    )
    case(
        file="parquet_damaged.parquet",
        kind="dossiers",
        category="structure",
        outcome="refused",
        exercises="a Parquet file cut in half",
        data=buffer.getvalue()[: len(buffer.getvalue()) // 2],
        message="damaged Parquet file",
    )
    long_reason = "Thiếu giấy tờ " * 7000
    long_rows = [dict(rows[2], rejected_reason=long_reason.strip()), *rows[:2]]
    case(
        file="long_cell.csv",
        kind="dossiers",
        category="structure",
        outcome="loaded",
        exercises="a 98,000-character cell",
        data=dossier_csv(long_rows).encode(),
        keys=["HS-3", "HS-1", "HS-2"],
    )
    case(
        file="big_1m.csv",
        kind="dossiers",
        category="structure",
        outcome="loaded",
        generated=True,
        exercises="1,100,000 dossier rows (98 MB, generated at test time): loaded in bounded memory",
        keys=[],
        notices=[],
    )


def big_file(path: Path, rows: int) -> Path:
    """`rows` dossiers as a semicolon CSV, written by Polars in a second or two. Every 100,000th row
    repeats an earlier id (a duplicate across batches) and every 250,000th names an unknown unit."""
    index = pl.int_range(0, rows, eager=True).alias("i")
    frame = pl.DataFrame(index).select(
        pl.when(pl.col("i") % 100_000 == 99_999)
        .then(pl.concat_str(pl.lit("HS-"), (pl.col("i") - 50_000).cast(pl.String)))
        .otherwise(pl.concat_str(pl.lit("HS-"), pl.col("i").cast(pl.String)))
        .alias(HEADERS["dossier_id"]),
        pl.lit("1.004227").alias(HEADERS["procedure_code"]),
        pl.when(pl.col("i") % 250_000 == 123).then(pl.lit("999")).otherwise(
            pl.format("{}", (pl.col("i") % 9 + 1).cast(pl.String).str.zfill(3))
        ).alias(HEADERS["unit_code"]),
        pl.format("{}/{}/2023 08:00", (pl.col("i") % 28 + 1).cast(pl.String).str.zfill(2),
                  (pl.col("i") % 12 + 1).cast(pl.String).str.zfill(2)).alias(HEADERS["received_at"]),
        pl.lit("").alias(HEADERS["due_at"]),
        pl.lit("").alias(HEADERS["resolved_at"]),
        pl.lit("Đang xử lý").alias(HEADERS["status"]),
        pl.lit("Trực tuyến").alias(HEADERS["channel"]),
        pl.lit("Toàn trình").alias(HEADERS["online_level"]),
    )  # fmt: skip
    frame.write_csv(path, separator=";")
    return path


def big_expectation(rows: int) -> tuple[int, dict[str, int], list[int]]:
    """(accepted, quarantined rows by reason, quarantined row numbers) for `big_file(rows)`."""
    duplicates = [i + 2 for i in range(99_999, rows, 100_000)]  # row 1 is the header
    unknown = [i + 2 for i in range(123, rows, 250_000)]
    reasons = {"duplicate_id": len(duplicates), "unknown_unit": len(unknown)}
    return rows - len(duplicates) - len(unknown), reasons, sorted(duplicates + unknown)


BIG_ROWS = 1_100_000


# ---------------------------------------------------------------------------------------------
# Writing the corpus and its expectations
# ---------------------------------------------------------------------------------------------
def build() -> list[Case]:
    CASES.clear()
    for make in (encoding_cases, unicode_cases, layout_cases, column_cases, row_cases, value_cases, structure_cases):
        make()
    big = next(c for c in CASES if c.generated)
    big.accepted, big.reasons, big.quarantined_rows = big_expectation(BIG_ROWS)
    big.rows = BIG_ROWS
    return CASES


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_value(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(value)


def expectations_toml(cases: list[Case]) -> str:
    lines = [
        "# The hostile-input corpus: one [[case]] per file (and sheet) with the outcome a user should get.",
        "# Written by tests/corpus/make_corpus.py; checked by tests/etl/test_corpus.py; rendered into",
        "# docs/reliability.md. Do not edit by hand: change the script and run it.",
        "",
    ]
    for item in cases:
        lines.append("[[case]]")
        for name in ("file", "sheet", "kind", "category", "exercises", "outcome", "rows", "accepted", "quarantined",
                     "reasons", "quarantined_rows", "skipped", "keys", "notices", "message", "values", "absent",
                     "cli", "generated"):  # fmt: skip
            value = getattr(item, name)
            if value in (None, "", [], {}) or (name in ("cli", "generated") and not value):
                continue
            if item.outcome == "refused" and name in ("rows", "accepted", "quarantined", "skipped"):
                continue
            lines.append(f"{name} = {toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def load_expectations(path: Path = EXPECTED) -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["case"]


def write(target: Path = HERE) -> list[Case]:
    cases = build()
    files = target / "files"
    files.mkdir(parents=True, exist_ok=True)
    for item in cases:
        if not item.generated and item.sheet is None:
            (files / item.file).write_bytes(item.data)
    (target / "expected.toml").write_text(expectations_toml(cases), encoding="utf-8")
    return cases


def differences(target: Path = HERE) -> list[str]:
    """Files whose checked-in bytes differ from what the script builds (empty when the corpus is current)."""
    cases = build()
    found = []
    for item in cases:
        if item.generated or item.sheet is not None:
            continue
        path = target / "files" / item.file
        if not path.exists() or path.read_bytes() != item.data:
            found.append(item.file)
    if (target / "expected.toml").read_text(encoding="utf-8") != expectations_toml(cases):
        found.append("expected.toml")
    listed = {item.file for item in cases}
    found += sorted(p.name for p in (target / "files").iterdir() if p.name not in listed)
    return found


# ---------------------------------------------------------------------------------------------
# docs/reliability.md: the "Hostile inputs" table, rendered from expected.toml
# ---------------------------------------------------------------------------------------------
def outcome_text(item: dict) -> str:
    if item["outcome"] == "refused":
        return f"refused: {item['message']}"
    parts = [f"loaded {item.get('accepted', 0):,}"]
    if item.get("quarantined"):
        reasons = ", ".join(f"{reason} {n:,}" for reason, n in item.get("reasons", {}).items())
        parts.append(f"quarantined {item['quarantined']:,} ({reasons})")
    elif item.get("reasons"):  # the generated file: rows per reason
        parts.append("quarantined " + ", ".join(f"{reason} {n:,}" for reason, n in item["reasons"].items()))
    if item.get("skipped"):
        parts.append(f"{item['skipped']} totals row{'s' if item['skipped'] > 1 else ''} skipped")
    return ", ".join(parts)


def render_table(cases: list[dict] | None = None) -> str:
    """The Markdown table and totals for docs/reliability.md."""
    cases = cases if cases is not None else load_expectations()
    lines = ["| file | kind | what it exercises | outcome |", "|---|---|---|---|"]
    for item in cases:
        name = f"`{item['file']}`" + (f" (sheet '{item['sheet']}')" if item.get("sheet") else "")
        exercises = item["exercises"].replace("|", "\\|")
        lines.append(f"| {name} | {item['kind']} | {exercises} | {outcome_text(item).replace('|', chr(92) + '|')} |")
    files = {item["file"] for item in cases}
    loaded = [c for c in cases if c["outcome"] == "loaded"]
    refused = [c for c in cases if c["outcome"] == "refused"]
    by_reason: dict[str, int] = {}
    for item in loaded:
        for reason, n in item.get("reasons", {}).items():
            by_reason[reason] = by_reason.get(reason, 0) + n
    categories: dict[str, int] = {}
    for item in cases:
        if item["file"] not in categories.get("_seen", set()):
            categories.setdefault("_seen", set()).add(item["file"])
            categories[item["category"]] = categories.get(item["category"], 0) + 1
    categories.pop("_seen")
    generated = sum(1 for c in cases if c.get("generated"))
    lines += [
        "",
        f"**Totals:** {len(files)} files ({len(files) - generated} checked in, {generated} generated at test time; "
        f"{', '.join(f'{k} {v}' for k, v in categories.items())}) tried in "
        f"{len(cases)} loads: {len(loaded)} loaded ({sum(c.get('accepted', 0) for c in loaded):,} rows accepted, "
        f"{sum(c.get('skipped', 0) for c in loaded)} totals rows skipped), {len(refused)} refused with a one-line "
        f"message. Rows quarantined, by reason: "
        + ", ".join(f"{reason} {n:,}" for reason, n in sorted(by_reason.items(), key=lambda kv: (-kv[1], kv[0])))
        + ".",
    ]
    return "\n".join(lines)


DOC = HERE.parents[1] / "docs" / "reliability.md"
TABLE_BEGIN, TABLE_END = "<!-- corpus-table:begin -->", "<!-- corpus-table:end -->"


def write_doc_table(doc: Path = DOC) -> None:
    """Replace the table between the markers of docs/reliability.md with `render_table()`."""
    text = doc.read_text(encoding="utf-8")
    head, rest = text.split(TABLE_BEGIN, 1)
    _, tail = rest.split(TABLE_END, 1)
    doc.write_text(f"{head}{TABLE_BEGIN}\n{render_table()}\n{TABLE_END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare the checked-in corpus with the script")
    parser.add_argument("--big", nargs=2, metavar=("ROWS", "FILE"), help="write the large file")
    parser.add_argument("--doc", action="store_true", help="rewrite the table in docs/reliability.md")
    args = parser.parse_args(argv)
    if args.big:
        big_file(Path(args.big[1]), int(args.big[0]))
        return 0
    if args.doc:
        write_doc_table()
        return 0
    if args.check:
        stale = differences()
        for name in stale:
            print(f"out of date: {name}", file=sys.stderr)
        return 1 if stale else 0
    cases = write()
    print(f"wrote {len({c.file for c in cases if not c.generated})} files and {EXPECTED.relative_to(HERE.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
