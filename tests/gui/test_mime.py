"""What a drop or paste asks to clip, for each browser's MIME shape (STACK-NOTES.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QUrl

from clipper.gui.mime import ClipSource, decode_text, sources_from_formats, sources_from_mime

A = "https://news.example.test/a-story"
B = "https://other.example.test/b?x=1&y=2"


def utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def urls(sources: list[ClipSource]) -> list[str]:
    return [s.url or str(s.path) for s in sources]


def test_firefox_moz_url_pairs_in_utf16() -> None:
    data = utf16(f"{A}\nA story\n{B}\nB story")
    sources = sources_from_formats({"text/x-moz-url": data})
    assert urls(sources) == [A, B]
    assert [s.title for s in sources] == ["A story", "B story"]


def test_firefox_moz_url_with_bom_and_no_title() -> None:
    data = f"{A}".encode("utf-16")  # with a byte-order mark
    assert urls(sources_from_formats({"text/x-moz-url": data})) == [A]


def test_uri_list_skips_comments_and_blank_lines() -> None:
    data = f"# dragged\r\n{A}\r\n\r\n{B}\r\n".encode()
    assert urls(sources_from_formats({"text/uri-list": data})) == [A, B]


def test_chromium_uri_list_wins_over_html_and_plain_text() -> None:
    formats = {
        "text/uri-list": A.encode(),
        "text/html": f'<a href="{B}">B</a>'.encode(),
        "text/plain": b"some words",
        "_NETSCAPE_URL": f"{A}\nA".encode(),
    }
    assert urls(sources_from_formats(formats)) == [A]


def test_netscape_url() -> None:
    sources = sources_from_formats({"_NETSCAPE_URL": f"{A}\nA story".encode()})
    assert urls(sources) == [A] and sources[0].title == "A story"


def test_html_alone_gives_its_links() -> None:
    html = f"<meta charset='utf-8'><a href=\"{B.replace('&', '&amp;')}\">B</a> <a href='{A}'>A</a>"
    assert urls(sources_from_formats({"text/html": html.encode()})) == [B, A]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (A, [A]),
        (f"  {A}  ", [A]),
        (f"read this: {A}, and ({B}).", [A, B]),
        (f"{A}\n{B}\n{A}", [A, B]),
        (f"{A}\n{A}?utm_source=feed#top", [A]),  # one article: clipped once
        ("see www.example.test/page for more", ["https://www.example.test/page"]),
        ("no link here", []),
        ("javascript:alert(1)", []),
    ],
)
def test_plain_text(text: str, expected: list[str]) -> None:
    assert urls(sources_from_formats({"text/plain": text.encode()})) == expected


def test_files_from_the_file_manager(tmp_path: Path) -> None:
    page = tmp_path / "saved page.html"
    data = f"{page.as_uri()}\r\n{(tmp_path / 'b.HTM').as_uri()}\r\n".encode()
    sources = sources_from_formats({"text/uri-list": data})
    assert [s.path for s in sources] == [page, tmp_path / "b.HTM"]
    assert all(s.is_html_file for s in sources)
    other = sources_from_formats({"text/uri-list": (tmp_path / "x.pdf").as_uri().encode()})
    assert not other[0].is_html_file


def test_unsupported_schemes_are_dropped() -> None:
    data = b"javascript:alert(1)\r\ndata:text/html,hi\r\nabout:blank\r\nftp://x.test/f"
    assert sources_from_formats({"text/uri-list": data}) == []


def test_decode_text_tells_utf16_from_utf8() -> None:
    assert decode_text(utf16("héllo")) == "héllo"
    assert decode_text("héllo".encode()) == "héllo"


def test_from_real_qmimedata(qapp: object) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl(A), QUrl(B)])
    mime.setText("ignored")
    assert urls(sources_from_mime(mime)) == [A, B]
    text_only = QMimeData()
    text_only.setText(A)
    assert urls(sources_from_mime(text_only)) == [A]
    moz = QMimeData()
    moz.setData("text/x-moz-url", utf16(f"{B}\nB"))
    assert urls(sources_from_mime(moz)) == [B]
