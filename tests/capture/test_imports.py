"""Telling pages from bookmark files and URL lists; parsing what browsers export."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipper.capture.imports import (
    check_page_file,
    pages_in_folder,
    parse_bookmarks,
    parse_url_list,
    read_source,
    sniff,
)
from clipper.errors import ClipperError

BOOKMARKS = Path(__file__).resolve().parents[1] / "fixtures" / "bookmarks"
PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
BASE = "http://127.0.0.1:9"


def exported(name: str) -> str:
    return (BOOKMARKS / name).read_text(encoding="utf-8").replace("{BASE}", BASE)


def test_firefox_export_folders_become_tags() -> None:
    parsed = parse_bookmarks(exported("firefox.html"))
    got = [(i.url, i.tags) for i in parsed.items]
    assert got == [
        (f"{BASE}/seed-news.html", ("Research", "maghreb", "defence")),
        (f"{BASE}/no-images.html", ("Research", "Libraries & archives")),
        (f"{BASE}/multi-figure.html", ()),  # the toolbar is a container, not a topic
    ]
    assert parsed.items[0].title == "Morocco says it will boost military ties with Israel"
    assert parsed.duplicates == 1  # seed-news.html#comments
    # place: queries and bookmarklets are browser internals, silently left out
    assert parsed.rejected == (
        "An FTP file: not an http(s) URL: ftp://files.example.test/report.pdf",
    )


def test_chrome_export_nested_folders() -> None:
    parsed = parse_bookmarks(exported("chrome.html"))
    got = [(i.url.removeprefix(BASE), i.tags) for i in parsed.items if i.url]
    assert got == [
        ("/wordpress-caption.html", ("Reading list",)),
        ("/substack-like.html", ("Reading list", "Long reads")),
        ("/no-images.html", ()),
        ("/missing-page.html", ()),  # "Other bookmarks" is Chrome's root container
    ]
    assert parsed.rejected == ()


def test_url_list_skips_comments_and_reports_bad_lines() -> None:
    parsed = parse_url_list(
        "# reading\nhttps://a.example/1\n\n  https://a.example/2  \nnot a url\nhttps://a.example/1\n"
    )
    assert [i.url for i in parsed.items] == ["https://a.example/1", "https://a.example/2"]
    assert parsed.rejected == ("line 5: not an http(s) URL: not a url",)
    assert parsed.duplicates == 1


def test_sniff_tells_the_kinds_apart(tmp_path: Path) -> None:
    assert sniff((PAGES / "seed-news.html").read_bytes()) == "page"
    assert sniff((PAGES / "shift-jis.html").read_bytes()) == "page"
    assert sniff(exported("chrome.html").encode()) == "bookmarks"
    assert sniff(b"\xef\xbb\xbf" + exported("firefox.html").encode()) == "bookmarks"
    assert sniff(b"https://a.example/1\nhttp://b.example/x?y=1\n") == "urls"
    assert sniff(b"myhost\n") == "other"  # /etc/hostname
    assert sniff(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == "other"
    assert sniff(b"%PDF-1.7\n<< /Type /Catalog >>") == "other"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL>",
            "a bookmark file, not a page; use `clipper import",
        ),
        (b"https://a.example/1\n", "a list of URLs, not a page; use `clipper import"),
        (b"myhost\n", "not an HTML page"),
    ],
)
def test_check_page_file_refuses_with_one_line(data: bytes, message: str) -> None:
    with pytest.raises(ClipperError) as info:
        check_page_file(Path("x.html"), data)
    text = str(info.value)
    assert text.startswith("x.html: ") and message in text and "\n" not in text


def test_folder_of_pages_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.html").write_bytes(b"<html><body><p>b</p></body></html>")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.HTM").write_bytes(b"<html></html>")
    (tmp_path / "notes.txt").write_text("not a page")
    parsed = pages_in_folder(tmp_path)
    assert [i.path for i in parsed.items] == [tmp_path / "b.html", tmp_path / "sub" / "a.HTM"]
    assert read_source(str(tmp_path)).items == parsed.items


def test_read_source_refuses_a_single_page_and_other_files(tmp_path: Path) -> None:
    with pytest.raises(ClipperError, match="a single page; use `clipper clip"):
        read_source(str(PAGES / "seed-news.html"))
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(ClipperError, match="neither a bookmark file"):
        read_source(str(binary))
    with pytest.raises(ClipperError, match="cannot read"):
        read_source(str(tmp_path / "missing.txt"))
    assert [i.url for i in read_source("-", "https://a.example/\n").items] == ["https://a.example/"]


def test_same_list_same_key_another_list_another_key() -> None:
    one = parse_url_list("https://a.example/1\nhttps://a.example/2\n")
    assert one.key() == parse_url_list("https://a.example/1\n\nhttps://a.example/2").key()
    assert one.key() != parse_url_list("https://a.example/1\n").key()
