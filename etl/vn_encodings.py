"""File encodings: the one place that decides how a text file's bytes become Unicode, and converts them.

`open_text(path, notes)` is called once per CSV/text file. It recognises, in this order:
- a UTF-8 byte-order mark (skipped) or a UTF-16 one (Excel's "Unicode text", LE or BE);
- NUL bytes in the first 8 KB without a UTF-16 mark: not text at all;
- UTF-8, checked over the whole file;
- otherwise one of the legacy Vietnamese encodings below, recognised from a sample of the bytes, or
  refused (`EncodingError`, naming the first non-UTF-8 byte and what each candidate scored).
It returns a `Text`: the file's text as UTF-8 bytes chunk by chunk, its first megabyte decoded, and
the fix applied to each cell (legacy font text inside a UTF-8 file, TCVN3 capitals). Workbooks hold
Unicode already; `cell_fixer(cells, notes)` finds legacy font text in their cells. Each appends one
line to `notes` for what it converted.

Before Unicode, Vietnamese text was stored in 8-bit encodings that exports still carry:

- **Windows-1258** (cp1258): Windows' Vietnamese code page. Some letters are precomposed (á, â, ơ, ư,
  đ), the other tones are *combining* marks after the letter (ả = a + U+0309). Python decodes it; the
  reader normalises every cell to NFC, so "a" + hook becomes "ả".
- **TCVN3 (ABC)**, TCVN 5712:1993 VN3: one byte per letter, lowercase toned letters only (capitals with a
  tone were drawn with separate ".VnTimeH"-style fonts that show the lowercase codes as capitals).
- **VNI Windows**: a base letter followed by one byte for its diacritics ("aù" = á, "oâ" = ô, "ôø" = ờ).

TCVN3 and VNI text in Windows is stored as Windows-1252 characters (the font draws them as Vietnamese):
a CSV saved from such a sheet holds those bytes, and an XLSX holds those characters as Unicode text.

How the encoding is recognised: a text is split into words, and the words holding a non-ASCII character
are checked against the shape of a Vietnamese syllable (onset, vowel nucleus, final consonant, at most one
tone). A decoding is accepted only when nearly every such word becomes a valid syllable and no other
candidate comes close; otherwise the caller refuses the file, naming what it saw. A file is never
converted on a guess, so a good row cannot be silently mangled.

The tables below are written from the published charts (TCVN 5712:1993 VN3; VNI Windows), one row per
vowel in the order: grave, hook above, tilde, acute, dot below.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------
GRAVE, HOOK, TILDE, ACUTE, DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
TONES = (GRAVE, HOOK, TILDE, ACUTE, DOT)  # the chart order
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"

# TCVN3 (ABC): toned lowercase vowels, bytes in the order grave, hook, tilde, acute, dot below.
TCVN3_TONED = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
# TCVN3 (ABC): letters without a tone beyond ASCII (the only capitals it has).
TCVN3_PLAIN = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
}  # fmt: skip

# VNI Windows: the byte after a base letter, lowercase form (capitals use the capital of the same byte).
VNI_TONE_MARKS = ("ø", "û", "õ", "ù", "ï")  # grave, hook, tilde, acute, dot below after a e o u y ơ ư
VNI_CIRCUMFLEX = ("â", "à", "å", "ã", "á", "ä")  # none, then the five tones, after a e o
VNI_BREVE = ("ê", "è", "ú", "ü", "é", "ë")  # none, then the five tones, after a
VNI_HORN = {"ô": "ơ", "ö": "ư"}  # single bytes; tone marks follow them like any vowel
VNI_I = {"ì": "ì", "æ": "ỉ", "ó": "ĩ", "í": "í", "ò": "ị"}  # i with a tone is one byte
VNI_SINGLE = {**VNI_HORN, **VNI_I, "î": "ỵ", "ñ": "đ"}

ENCODING_NAMES = {"cp1258": "Windows-1258", "tcvn3": "TCVN3 (ABC)", "vni": "VNI Windows"}


def _compose(*parts: str) -> str:
    return unicodedata.normalize("NFC", "".join(parts))


def _with_capitals(pairs: dict[str, str]) -> dict[str, str]:
    """Add the capital form of every (legacy sequence -> letter) pair."""
    return {**pairs, **{key.upper(): value.upper() for key, value in pairs.items()}}


def _tcvn3_map() -> dict[str, str]:
    table = {chr(code): letter for code, letter in TCVN3_PLAIN.items()}
    for vowel, codes in TCVN3_TONED.items():
        for code, tone in zip(codes, TONES, strict=True):
            table[chr(code)] = _compose(vowel, tone)
    return table


def _vni_map() -> dict[str, str]:
    table: dict[str, str] = dict(VNI_SINGLE)
    for base in "aeouy":
        for mark, tone in zip(VNI_TONE_MARKS, TONES, strict=True):
            table[base + mark] = _compose(base, tone)
    for byte, letter in VNI_HORN.items():
        for mark, tone in zip(VNI_TONE_MARKS, TONES, strict=True):
            table[byte + mark] = _compose(letter, tone)
    for base in "aeo":
        for mark, tone in zip(VNI_CIRCUMFLEX, ("", *TONES), strict=True):
            table[base + mark] = _compose(base, CIRCUMFLEX, tone)
    for mark, tone in zip(VNI_BREVE, ("", *TONES), strict=True):
        table["a" + mark] = _compose("a", BREVE, tone)
    del table["yï"]  # ỵ is the single byte î
    return _with_capitals(table)


def _tcvn3_codes() -> np.ndarray:
    """TCVN3_MAP as a lookup table over the 256 Latin-1 code points (each maps to one character)."""
    codes = np.arange(256, dtype=np.uint32)
    for glyph, letter in TCVN3_MAP.items():
        codes[ord(glyph)] = ord(letter)
    return codes


TCVN3_MAP = _tcvn3_map()
VNI_MAP = _vni_map()
_TCVN3_CODES = _tcvn3_codes()
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(VNI_MAP, key=len, reverse=True)))


# ---------------------------------------------------------------------------------------------
# Bytes -> text
# ---------------------------------------------------------------------------------------------
def windows_1252(data: bytes) -> str:
    """Bytes as Windows-1252 characters (the five bytes it leaves undefined as Latin-1)."""
    return data.decode("cp1252", errors="latin1fallback")


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("latin1fallback", _latin1_fallback)


def tcvn3_to_unicode(text: str) -> str:
    """TCVN3 font text (as Windows-1252 characters) -> Unicode.

    One array lookup over the code points: str.translate looks each character up in a dict, several
    times slower on the megabytes of text encoding detection converts.
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    letters = np.where(codes < 256, _TCVN3_CODES[np.minimum(codes, 255)], codes)
    return letters.tobytes().decode("utf-32-le", "surrogatepass")


def vni_to_unicode(text: str) -> str:
    """VNI font text (as Windows-1252 characters) -> Unicode."""
    return _VNI_PATTERN.sub(lambda match: VNI_MAP[match.group(0)], text)


def decode(data: bytes, encoding: str) -> str:
    """Bytes in a legacy encoding -> Unicode text (cp1258 keeps its combining marks: normalise to NFC)."""
    if encoding == "cp1258":
        return data.decode("cp1258")
    if encoding == "tcvn3":
        return tcvn3_to_unicode(windows_1252(data))
    if encoding == "vni":
        return vni_to_unicode(windows_1252(data))
    raise ValueError(f"unknown legacy encoding {encoding!r}")


def capitalise_tcvn3_cell(text: str) -> str:
    """Capitals TCVN3 could not encode: a cell whose ASCII letters are all capitals (at least two) is
    capitalised whole, so "UBND QUậN" (typed with a ".VnTimeH" capitals font) becomes "UBND QUẬN"."""
    ascii_letters = [c for c in text if c.isascii() and c.isalpha()]
    if len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters) and not text.isupper():
        return text.upper()
    return text


# ---------------------------------------------------------------------------------------------
# Is this Vietnamese?
# ---------------------------------------------------------------------------------------------
_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_NUCLEI = (
    "uyê|uya|uyu|iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uô|uơ|ưa|ưi|ươ|ưu|uy|yê|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_CODAS = "ch|ng|nh|c|m|n|p|t"
_SYLLABLE = re.compile(f"^(?:{_ONSETS})?(?:{_NUCLEI})(?:{_CODAS})?$")
# A word: a run of anything but spaces, ASCII punctuation and digits (so mojibake such as "gi¶i"
# stays one word, and fails).
_WORD = re.compile(r"[^\s!-@\[-`{-~]+")
_TONE_MARKS = frozenset(TONES)


def is_syllable(word: str) -> bool:
    """True when `word` is shaped like a Vietnamese syllable (any case, NFC or NFD)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in _TONE_MARKS)
    if tones > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    return bool(_SYLLABLE.match(bare))


@dataclass(frozen=True)
class Score:
    valid: int  # words with a non-ASCII character that are Vietnamese syllables
    words: int  # words with a non-ASCII character
    distinct_valid: int = 0  # different valid words among them

    @property
    def share(self) -> float:
        return self.valid / self.words if self.words else 0.0


def score(text: str) -> Score:
    """How many of the words holding a non-ASCII character are Vietnamese syllables."""
    words = Counter(_WORD.findall(unicodedata.normalize("NFC", text)))
    counts = {word: count for word, count in words.items() if not word.isascii()}
    valid_words = [word for word in counts if is_syllable(word)]
    return Score(sum(counts[w] for w in valid_words), sum(counts.values()), len(valid_words))


# ---------------------------------------------------------------------------------------------
# Choosing an encoding
# ---------------------------------------------------------------------------------------------
ACCEPT_SHARE = 0.9  # the winner: at least 90 % of the non-ASCII words are syllables ...
MARGIN = 0.3  # ... every other candidate at least 30 points below it ...
MIN_WORDS = 3  # ... and at least 3 different valid words: a single "é" proves nothing


@dataclass(frozen=True)
class Detection:
    encoding: str | None  # the encoding to convert from, or None when no candidate is convincing
    scores: dict[str, Score]
    impossible: dict[str, str] = field(default_factory=dict)  # candidate -> why it cannot be

    def describe(self) -> str:
        """'Windows-1258 38/40 words, TCVN3 (ABC) 3/40 words, ...' for messages."""
        ranked = sorted(self.scores.items(), key=lambda item: -item[1].share)
        parts = [f"{ENCODING_NAMES.get(name, name)} {s.valid}/{s.words} words" for name, s in ranked]
        parts += [f"{ENCODING_NAMES.get(name, name)} impossible ({why})" for name, why in self.impossible.items()]
        return ", ".join(parts)


def _choose(scores: dict[str, Score]) -> str | None:
    ranked = sorted(scores.items(), key=lambda item: -item[1].share)
    if not ranked:
        return None
    best, best_score = ranked[0]
    runner_up = ranked[1][1].share if len(ranked) > 1 else 0.0
    if (
        best_score.distinct_valid >= MIN_WORDS
        and best_score.share >= ACCEPT_SHARE
        and best_score.share - runner_up >= MARGIN
    ):
        return best
    return None


def detect_bytes(sample: bytes) -> Detection:
    """Which legacy encoding a sample of a non-UTF-8 text file is in (cp1258, tcvn3, vni), if clearly one."""
    scores: dict[str, Score] = {}
    impossible: dict[str, str] = {}
    for encoding in ("cp1258", "tcvn3", "vni"):
        try:
            text = decode(sample, encoding)
        except UnicodeDecodeError as error:  # cp1258 leaves a few bytes undefined
            impossible[encoding] = f"byte 0x{sample[error.start]:02x} is undefined in it"
            continue
        scores[encoding] = score(text)
    return Detection(_choose(scores), scores, impossible)


# ---------------------------------------------------------------------------------------------
# Legacy font text inside Unicode files (XLSX cells typed with .VnTime / VNI-Times fonts)
# ---------------------------------------------------------------------------------------------
_GLYPH_CHARS = re.compile(r"[\u00a0-\u00ff]")
FONT_CONVERTERS = {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode}


def detect_font_text(values: Iterable[str]) -> Detection:
    """Whether Unicode cells hold TCVN3 or VNI font text (Latin-1 characters that only read as
    Vietnamese through the old fonts). Candidates: 'unicode' (as they are), 'tcvn3', 'vni'.

    Only cells with a Latin-1 letter or symbol take part; when there are none, the answer is None at once.
    When the cells read well as they are, only 'unicode' is scored: no font could win against it.
    """
    sample = [v for v in values if v and _GLYPH_CHARS.search(v)]
    if not sample:
        return Detection(None, {})
    text = "\n".join(sample)
    scores = {"unicode": score(text)}
    if 1.0 - scores["unicode"].share < MARGIN:
        # Not even a conversion making every word a syllable would beat the text as it is by the margin,
        # so no font can be chosen: the conversions are not scored (most files end here).
        return Detection(None, scores)
    scores.update({name: score(convert(text)) for name, convert in FONT_CONVERTERS.items()})
    choice = _choose(scores)
    return Detection(None if choice == "unicode" else choice, scores)


def fix_font_cell(value: str, font: str) -> str:
    """One cell typed with a legacy font -> Unicode, once the file is known to hold such cells.

    A cell is converted only when it could have been typed with the font (every character exists in
    Windows-1252; Unicode Vietnamese nearly always has a letter beyond it, such as ơ, ư, đ or ạ) and the
    conversion makes every word a Vietnamese syllable. Other cells (a workbook often mixes fonts) are
    returned unchanged. The check is on the converted text only: font text often looks like valid
    syllables as it is ("Maõ hoà sô" for "Mã hồ sơ").
    """
    if not _GLYPH_CHARS.search(value):
        return value
    try:
        value.encode("cp1252")
    except UnicodeEncodeError:
        return value
    converted = unicodedata.normalize("NFC", FONT_CONVERTERS[font](value))
    after = score(converted)
    if converted == value or after.valid != after.words:
        return value
    return capitalise_tcvn3_cell(converted) if font == "tcvn3" else converted


def encode_cp1258(text: str) -> bytes:
    """Unicode -> Windows-1258 as Windows writes it: precomposed where the code page has the letter,
    else the letter without its tone followed by a combining tone mark (used to build test files)."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(ch for ch in decomposed if ch in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
        out += (base + tones).encode("cp1258")
    return bytes(out)


def encode_legacy(text: str, encoding: str) -> bytes:
    """Unicode -> TCVN3, VNI or Windows-1258 bytes (the inverse of `decode`, for building test files).

    TCVN3 has no capitals with a tone: they are written as the lowercase code, as a ".VnTimeH" font would.
    """
    if encoding == "cp1258":
        return encode_cp1258(text)
    table = TCVN3_MAP if encoding == "tcvn3" else VNI_MAP
    reverse = {letter: code for code, letter in table.items()}
    if encoding == "tcvn3":  # capital toned letters: the lowercase code
        for code, letter in list(table.items()):
            reverse.setdefault(letter.upper(), code)
    out = []
    for char in unicodedata.normalize("NFC", text):
        out.append(reverse.get(char, char))
    return "".join(out).encode("cp1252")


# ---------------------------------------------------------------------------------------------
# A text file's encoding, decided once (open_text), and the conversion to UTF-8
# ---------------------------------------------------------------------------------------------
READ_CHUNK = 4 << 20  # bytes read from disk at a time (the reader passes its own)
HEAD_BYTES = 1 << 20  # text decoded at once for the reader's sniffing and for font detection
HEAD_CHECK_BYTES = 8192  # where byte-order marks and NUL bytes are looked for
ENCODING_SAMPLE = 4 << 20  # bytes of a non-UTF-8 file used to recognise its legacy encoding
SAVE_AS_UTF8 = "save the file as CSV UTF-8 or as XLSX"
_VNI_BASES = frozenset(bytes([b]) for b in "aeouyAEOUYôöÔÖ".encode("cp1252"))  # letters a VNI mark may follow


class EncodingError(ValueError):
    """A file whose bytes are no text this module can read; str() is the reason, for the user."""


def no_fix(value: str) -> str:
    """The cell fix of text that needs none."""
    return value


@dataclass(frozen=True)
class Text:
    """A text file as UTF-8, whatever it was saved in (see `open_text`)."""

    path: Path
    encoding: str  # utf-8 | utf-16 | cp1258 | tcvn3 | vni
    skip: int  # byte-order mark bytes at the start
    head: str  # the start of the text (about `HEAD_BYTES` of it), decoded
    cell_fix: Callable[[str], str]  # applied to each distinct non-ASCII cell value; `no_fix` when none is needed
    chunk_bytes: int = READ_CHUNK

    def utf8_chunks(self) -> Iterator[bytes]:
        """The text as UTF-8 bytes, chunk by chunk from its start (BOM removed, converted when not UTF-8)."""
        return _utf8_chunks(self.path, self.encoding, self.skip, self.chunk_bytes)


def open_text(path: Path, notes: list[str], chunk_bytes: int = READ_CHUNK, head_bytes: int = HEAD_BYTES) -> Text:
    """How a text file's bytes become Unicode (see the module docstring); raises EncodingError."""
    with path.open("rb") as handle:
        start = handle.read(HEAD_CHECK_BYTES)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, skip = "utf-16", 0
    else:
        skip = len(codecs.BOM_UTF8) if start.startswith(codecs.BOM_UTF8) else 0
        if b"\x00" in start:
            raise EncodingError(f"not a CSV, XLSX or Parquet file (starts with bytes {start[:4].hex(' ')})")
        encoding = _utf8_or_legacy(path, skip, notes, chunk_bytes)
    head = _head_text(_utf8_chunks(path, encoding, skip, chunk_bytes), head_bytes)
    if encoding == "tcvn3":
        cell_fix: Callable[[str], str] = capitalise_tcvn3_cell
    elif encoding == "utf-8":
        cell_fix = cell_fixer(head.splitlines(), notes)
    else:
        cell_fix = no_fix
    return Text(path, encoding, skip, head, cell_fix, chunk_bytes)


def cell_fixer(cells: Iterable[str], notes: list[str]) -> Callable[[str], str]:
    """The fix for Unicode cells typed with a legacy TCVN3 or VNI font, when `cells` (a sample of a file's
    cells or lines) score as one (`detect_font_text`; the choice is noted); else `no_fix`."""
    detection = detect_font_text(cells)
    font = detection.encoding
    if font is None:
        return no_fix
    name = ENCODING_NAMES[font]
    notes.append(f"cells typed with the legacy {name} font converted to Unicode ({detection.describe()})")
    return lambda value: fix_font_cell(value, font)


def _utf8_or_legacy(path: Path, skip: int, notes: list[str], chunk_bytes: int) -> str:
    """'utf-8' when every byte after `skip` is UTF-8; else the legacy encoding the bytes are clearly in."""
    bad = first_invalid_utf8(path, skip, chunk_bytes)
    if bad is None:
        return "utf-8"
    offset, byte = bad
    with path.open("rb") as handle:
        sample = handle.read(ENCODING_SAMPLE)
        if offset > len(sample) - 1024:  # the first non-UTF-8 byte lies beyond the sample: add its surroundings
            handle.seek(max(0, offset - 1024))
            sample += b"\n" + handle.read(ENCODING_SAMPLE)
    detection = detect_bytes(sample[skip:])
    if detection.encoding is None:
        raise EncodingError(
            f"not UTF-8 or UTF-16 text (byte 0x{byte:02x} at offset {offset}), and not recognisably one of the "
            f"legacy encodings TCVN3, VNI, Windows-1258 either ({detection.describe() or 'no words to check'}): "
            + SAVE_AS_UTF8
        )
    notes.append(f"converted from {ENCODING_NAMES[detection.encoding]} to Unicode ({detection.describe()})")
    return detection.encoding


def first_invalid_utf8(path: Path, skip: int, chunk_bytes: int = READ_CHUNK) -> tuple[int, int] | None:
    """(offset, byte) of the first byte after `skip` that is not UTF-8, or None; reads the file chunk by chunk.

    Most files are UTF-8, which Polars confirms several times faster than Python decodes it; Python's
    decoder runs only on the other files, to find the offset.
    """
    if _is_utf8(path, skip, chunk_bytes):
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    start = skip
    with path.open("rb") as handle:
        handle.seek(skip)
        while True:
            chunk = handle.read(chunk_bytes)
            final = len(chunk) < chunk_bytes
            carried = len(decoder.getstate()[0])  # bytes of a character cut at the previous chunk's end
            try:
                decoder.decode(chunk, final=final)
            except UnicodeDecodeError as error:
                offset = start - carried + error.start
                handle.seek(offset)
                return offset, handle.read(1)[0]
            start += len(chunk)
            if final:
                return None


def _is_utf8(path: Path, skip: int, chunk_bytes: int) -> bool:
    """Whether the file's bytes after the first `skip` are UTF-8."""
    with path.open("rb") as handle:
        handle.seek(skip)
        held = b""  # a character cut at the previous chunk's end
        while chunk := handle.read(chunk_bytes):
            data = held + chunk
            end = _last_char_start(data)
            if not _valid_utf8(data[:end]):
                return False
            held = data[end:]
        return _valid_utf8(held)


def _last_char_start(data: bytes) -> int:
    """Index of the first byte of the last, maybe incomplete, UTF-8 character of `data`."""
    for index in range(len(data) - 1, max(len(data) - 4, 0) - 1, -1):
        if data[index] & 0xC0 != 0x80:  # not a continuation byte (10xxxxxx)
            return index
    return len(data)  # no first byte among the last four bytes: not UTF-8 anyway


def _valid_utf8(data: bytes) -> bool:
    try:
        pl.Series([data], dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.PolarsError:
        return False
    return True


def _utf8_chunks(path: Path, encoding: str, skip: int, chunk_bytes: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(skip)
        if encoding == "utf-8":
            while chunk := handle.read(chunk_bytes):
                yield chunk
            return
        if encoding == "utf-16":
            decoder = codecs.getincrementaldecoder("utf-16")()
            try:
                while True:
                    chunk = handle.read(chunk_bytes)
                    yield decoder.decode(chunk, final=not chunk).encode("utf-8")
                    if not chunk:
                        return
            except UnicodeDecodeError as error:
                raise EncodingError(f"damaged UTF-16 text ({error.reason})") from None
        held = b""  # VNI: a base letter at a chunk's end waits for the mark that may follow it
        while True:
            chunk = handle.read(chunk_bytes)
            data = held + chunk
            held = b""
            if chunk and encoding == "vni" and data[-1:] in _VNI_BASES:
                data, held = data[:-1], data[-1:]
            yield decode(data, encoding).encode("utf-8")
            if not chunk:
                return


def _head_text(chunks: Iterator[bytes], head_bytes: int) -> str:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    size, parts = 0, []
    for chunk in chunks:
        parts.append(decoder.decode(chunk, final=False))
        size += len(chunk)
        if size >= head_bytes:
            break
    return "".join(parts)
