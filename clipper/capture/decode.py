"""Bytes to text: refuse what is clearly not a web page, then find the right charset.

trafilatura's own decoding ignores the charset a page declares (it tries UTF-8, then
guesses), so a Windows-1252 or Shift-JIS page could come out as mojibake. We decode
first, in the order browsers use (byte-order mark, HTTP header, `<meta>` declaration),
check that the declared charset really fits the bytes, and only then guess.
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib
from dataclasses import dataclass, field

from clipper.errors import ExtractionError

# File signatures of formats people drop or link by mistake: (prefix, human name).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office/EPUB document)"),
    (b"\x7fELF", "a program (ELF)"),
    (b"MZ", "a Windows program"),
    (b"OggS", "an Ogg audio/video file"),
    (b"ID3", "an MP3 audio file"),
    (b"fLaC", "a FLAC audio file"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)
_RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}
_FTYP_RE = re.compile(rb"^....ftyp(avif|heic|heix|mif1|isom|mp4|M4A|qt  )", re.DOTALL)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_HEADER_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE | re.DOTALL
)
_XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)

# WHATWG: labels browsers treat as a superset encoding.
_SUPERSETS = {
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "windows-1252": "cp1252",
    "iso-8859-9": "cp1254",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "unicode": "utf-16",
    "utf8": "utf-8",
}
_SINGLE_BYTE_WESTERN = {"cp1252", "cp1254"}
MAX_DECOMPRESSED = 64 * 1024 * 1024
_LATIN_LOOKALIKES = {
    "cp1250",
    "iso8859-2",
    "cp1257",
    "iso8859-13",
    "iso8859-4",
    "iso8859-15",
    "iso8859-16",
    "mac-latin2",
    "cp852",
    "cp850",
    "mac-roman",
    "cp1254",
    "iso8859-9",
    "iso8859-3",
}
_CENTRAL_LANGUAGES = {"cs", "pl", "sk", "sl", "hu", "hr", "ro", "bs", "sr", "lt", "lv", "et", "tr"}
_LANG_ATTR = re.compile(rb"""<html[^>]*\blang\s*=\s*["']?([a-zA-Z]{2,3})""", re.IGNORECASE)


@dataclass
class Decoded:
    """A page's text and how it was read."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def sniff_not_html(data: bytes) -> str | None:
    """Name the format of `data` when it is clearly not HTML, else None."""
    head = data[:64]
    for prefix, name in _SIGNATURES:
        if head.startswith(prefix):
            return name
    if head.startswith(b"RIFF") and head[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[head[8:12]]
    if _FTYP_RE.match(head):
        return "an image or video file (ISO media)"
    return None


def _normalise_label(label: str) -> str | None:
    """A Python codec name for a charset label, or None when Python does not know it."""
    label = label.strip().strip("\"'").lower()
    label = _SUPERSETS.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _declared_in_page(data: bytes) -> str | None:
    """The charset a `<meta>` or XML declaration names in the first 16 KB."""
    head = data[:16384]
    match = _XML_DECL_RE.match(head) or _META_CHARSET_RE.search(head)
    if not match:
        return None
    return match.group(1).decode("ascii", "replace")


def _looks_binary(data: bytes) -> bool:
    """True when the start of `data` is mostly control bytes, not text of any charset."""
    sample = data[:4096]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32 or b == 127)
    return controls / len(sample) > 0.10


def _utf16_without_bom(data: bytes) -> str | None:
    """Detect UTF-16 HTML without a byte-order mark by its zero bytes."""
    sample = data[:2048]
    if len(sample) < 8:
        return None
    even_zero = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_zero = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd_zero > 0.6 and even_zero < 0.1:
        return "utf-16-le"
    if even_zero > 0.6 and odd_zero < 0.1:
        return "utf-16-be"
    return None


def _gunzip(data: bytes) -> bytes | None:
    """Inflate a gzip file (a saved `.html.gz`), bounded so a bomb cannot eat memory."""
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = inflater.decompress(data, MAX_DECOMPRESSED)
    except (zlib.error, gzip.BadGzipFile, EOFError):
        return None
    if inflater.unconsumed_tail:
        return None
    return out


def _guess(data: bytes) -> str | None:
    """Statistical guess (charset_normalizer, which trafilatura already depends on).

    Short Western texts are often guessed as a Central European single-byte charset
    (é and č share a byte); unless the page says it is in such a language, Windows-1252,
    by far the most common legacy charset on the web, wins when it fits.
    """
    guessed = _statistical_guess(data)
    if guessed in _LATIN_LOOKALIKES and _strict(data, "cp1252") is not None:
        lang = _LANG_ATTR.search(data[:4096])
        if not lang or lang.group(1).decode("ascii").lower() not in _CENTRAL_LANGUAGES:
            return "cp1252"
    return guessed


def _statistical_guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a trafilatura dependency
        return None
    sample = data if len(data) < 200_000 else data[:100_000] + data[-100_000:]
    best = from_bytes(sample).best()
    if best is None:
        return None
    return _normalise_label(best.encoding)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _lenient(data: bytes, encoding: str) -> str | None:
    """Decode with a declared charset, tolerating a handful of stray bytes.

    Only legacy charsets get the tolerance: bytes that are not valid UTF-8 are a sign
    that a "UTF-8" label is wrong, and a guess will do better.
    """
    text = _strict(data, encoding)
    if text is not None or encoding == "utf-8":
        return text
    try:
        text = data.decode(encoding, "replace")
    except LookupError:
        return None
    if text.count("\ufffd") <= max(3, len(text) // 2000):
        return text
    return None


def decode_html(data: bytes | str, content_type: str | None = None) -> Decoded:
    """Turn page bytes into text.

    Raises `ExtractionError` when the bytes are clearly another format (PDF, image,
    archive, binary data); everything else decodes, at worst with replacement
    characters and a warning.
    """
    if isinstance(data, str):
        return Decoded(data.lstrip("\ufeff"), "unicode")
    warnings: list[str] = []
    if data[:2] == b"\x1f\x8b":
        inflated = _gunzip(data)
        if inflated is None:
            raise ExtractionError(
                "The file is a damaged or oversized gzip archive, not a web page."
            )
        data = inflated
    kind = sniff_not_html(data)
    if kind:
        raise ExtractionError(f"This is {kind}, not a web page.")

    for bom, name in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(name, "replace"), name)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return Decoded(data.decode(utf16, "replace"), utf16)
    if _looks_binary(data):
        raise ExtractionError("This is binary data, not a web page.")

    header_label = None
    if content_type:
        match = _HEADER_CHARSET_RE.search(content_type)
        header_label = match.group(1) if match else None
    page_label = _declared_in_page(data)

    is_utf8 = _strict(data, "utf-8")
    for source, label in (("HTTP header", header_label), ("page", page_label)):
        if not label:
            continue
        encoding = _normalise_label(label)
        if encoding and encoding.startswith(("utf-16", "utf-32")):
            encoding = "utf-8"  # WHATWG: an ASCII-compatible page cannot really be UTF-16
        if encoding is None:
            warnings.append(f"Unknown charset {label!r} declared by the {source}; ignored.")
            continue
        if encoding in _SINGLE_BYTE_WESTERN and is_utf8 is not None and not data.isascii():
            # Servers often label UTF-8 as Latin-1; valid multi-byte UTF-8 is no accident.
            warnings.append(f"The {source} declares {label}, but the page is UTF-8.")
            return Decoded(is_utf8, "utf-8", warnings)
        text = _lenient(data, encoding)
        if text is not None:
            return Decoded(text, encoding, warnings)
        warnings.append(f"The {source} declares {label}, which does not fit the bytes.")

    if is_utf8 is not None:
        return Decoded(is_utf8, "utf-8", warnings)
    guessed = _guess(data)
    if guessed:
        text = _strict(data, guessed)
        if text is not None:
            if header_label or page_label:
                warnings.append(f"Charset guessed as {guessed}.")
            return Decoded(text, guessed, warnings)
    warnings.append("The charset could not be determined; some characters may be wrong.")
    return Decoded(data.decode("cp1252", "replace"), "cp1252", warnings)


__all__ = ["Decoded", "decode_html", "sniff_not_html"]
