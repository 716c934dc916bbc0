"""Legacy Vietnamese encodings: the charts, recognising an encoding, and never converting on a guess."""

from __future__ import annotations

import itertools
import unicodedata

import pytest

from etl import vn_encodings as vn

TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
VOWELS = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
# Every letter of the Vietnamese alphabet beyond ASCII: 12 vowels x 6 tones (less the 6 plain ASCII
# vowels) plus đ = 67 lowercase letters, and as many capitals.
LETTERS = sorted(
    {unicodedata.normalize("NFC", v + t) for v, t in itertools.product(VOWELS, TONES)} - set("aeiouy") | {"đ"}
)


def test_the_alphabet_has_67_lowercase_letters_beyond_ascii():
    assert len(LETTERS) == 67


# ---------------------------------------------------------------------------------------------
# Charts, checked against published examples (not against the module's own encoder)
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("glyphs", "text"),
    [
        ("B¶o Th¾ng", "Bảo Thắng"),
        ("B¸t X¸t", "Bát Xát"),
        ("M\xadêng Kh\xad¬ng", "Mường Khương"),  # ư is 0xAD, the soft hyphen, invisible in most fonts
        ("§· gi¶i quyÕt", "Đã giải quyết"),
        ("Ngµy tiÕp nhËn", "Ngày tiếp nhận"),
        ("¡ ¢ £ ¤ ¥ ¦ §", "Ă Â Ê Ô Ơ Ư Đ"),
    ],
)
def test_tcvn3_chart(glyphs, text):
    assert vn.tcvn3_to_unicode(glyphs) == text
    assert vn.decode(glyphs.encode("cp1252"), "tcvn3") == text


@pytest.mark.parametrize(
    ("glyphs", "text"),
    [
        ("Xin chaøo caùc baïn", "Xin chào các bạn"),
        ("Ñaõ giaûi quyeát", "Đã giải quyết"),
        ("Ngöôøi lao ñoäng", "Người lao động"),
        ("MAÕ HOÀ SÔ", "MÃ HỒ SƠ"),
        ("Quyù khaùch, ñaëc bieät, hyû, ì, æ, ó, ò, î", "Quý khách, đặc biệt, hỷ, ì, ỉ, ĩ, ị, ỵ"),
    ],
)
def test_vni_chart(glyphs, text):
    assert vn.vni_to_unicode(glyphs) == text
    assert vn.decode(glyphs.encode("cp1252"), "vni") == text


def test_tcvn3_has_every_lowercase_letter_once():
    assert sorted(vn.TCVN3_MAP[c] for c in vn.TCVN3_MAP if vn.TCVN3_MAP[c].islower()) == LETTERS
    assert len(set(vn.TCVN3_MAP.values())) == len(vn.TCVN3_MAP)


def test_vni_has_every_letter_once_in_both_cases():
    letters = sorted(vn.VNI_MAP.values())
    assert letters == sorted(LETTERS + [c.upper() for c in LETTERS])
    assert all(len(seq) <= 2 for seq in vn.VNI_MAP)


def test_every_vni_sequence_survives_a_chunk_boundary_only_via_the_readers_carry():
    # The reader holds back the last byte of each chunk; a base letter alone stays a base letter.
    assert vn.vni_to_unicode("a") + vn.vni_to_unicode("ù") != vn.vni_to_unicode("aù")


def test_windows_1258_combining_marks_become_nfc():
    raw = "Ha\u0300 N\u00f4\u0323i".encode("cp1258")  # how Windows writes "Hà Nội"
    decoded = vn.decode(raw, "cp1258")
    assert unicodedata.normalize("NFC", decoded) == "Hà Nội"


# ---------------------------------------------------------------------------------------------
# Recognising an encoding
# ---------------------------------------------------------------------------------------------
SAMPLE = "Mã hồ sơ;Trạng thái;Kênh thực hiện\nHS-1;Đã giải quyết;Trực tuyến\nHS-2;Đang xử lý;Bưu chính công ích\n"


@pytest.mark.parametrize("encoding", ["cp1258", "tcvn3", "vni"])
def test_each_encoding_is_recognised(encoding):
    detection = vn.detect_bytes(vn.encode_legacy(SAMPLE, encoding))
    assert detection.encoding == encoding, detection.describe()


def test_too_little_text_is_not_guessed():
    # One byte 0xD0 is "Đ" in Windows-1258 and "é" in TCVN3: a single word proves nothing.
    assert vn.detect_bytes("Đ,x".encode("cp1258")).encoding is None


def test_western_text_is_no_vietnamese_encoding():
    detection = vn.detect_bytes("Société Générale, crème brûlée, déjà vu, naïve".encode("cp1252"))
    assert detection.encoding is None
    assert "Windows-1258 0/" in detection.describe()


def test_undefined_bytes_rule_an_encoding_out():
    detection = vn.detect_bytes(b"\x90" + vn.encode_legacy(SAMPLE, "vni"))
    assert detection.encoding == "vni"
    assert "Windows-1258 impossible (byte 0x90 is undefined in it)" in detection.describe()


@pytest.mark.parametrize(
    ("word", "valid"),
    [("nghiêng", True), ("được", True), ("Người", True), ("QUYẾT", True), ("khuya", True), ("oà", True),
     ("gi¶i", False), ("Ñaõ", False), ("àeiou", False), ("ăê", False), ("đ", False), ("Société", False)],
)  # fmt: skip
def test_syllable_shape(word, valid):
    assert vn.is_syllable(word) is valid


# ---------------------------------------------------------------------------------------------
# Font text inside Unicode files, cell by cell
# ---------------------------------------------------------------------------------------------
def test_font_text_is_recognised_in_unicode_cells():
    cells = ["UBND QUẬN BA ĐÌNH", "Maõ hoà sô", "Ñaõ giaûi quyeát", "Tröïc tuyeán", "HS-1"]
    assert vn.detect_font_text(cells).encoding == "vni"
    assert vn.detect_font_text(["Hà Nội", "Đã giải quyết", "Cà Mau", "Tây Ninh"]).encoding is None
    assert vn.detect_font_text(["HS-1", "001"]).encoding is None


@pytest.mark.parametrize(
    ("cell", "font", "expected"),
    [
        ("Maõ hoà sô", "vni", "Mã hồ sơ"),  # looks like valid syllables as it is, but it is VNI
        ("Hå S¥ KH«NG HîP LÖ", "tcvn3", "HỒ SƠ KHÔNG HỢP LỆ"),  # capitals restored
        ("Đã giải quyết", "vni", "Đã giải quyết"),  # a letter beyond Windows-1252: Unicode already
        ("Hồ sơ hoà giải", "vni", "Hồ sơ hoà giải"),
        ("Société", "tcvn3", "Société"),  # would not become Vietnamese: left alone
        ("HS-1", "tcvn3", "HS-1"),
    ],
)
def test_fix_font_cell(cell, font, expected):
    assert vn.fix_font_cell(cell, font) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("UBND QUậN BA ĐìNH", "UBND QUẬN BA ĐÌNH"), ("Mã hồ sơ", "Mã hồ sơ"), ("Mã", "Mã"), ("TP. Hà Nội", "TP. Hà Nội")],
)
def test_capitals_tcvn3_could_not_encode(cell, expected):
    assert vn.capitalise_tcvn3_cell(cell) == expected
