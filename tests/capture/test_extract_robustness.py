"""extract_article on hostile input: it returns an Article or raises ExtractionError.

Every nasty input is generated here; nothing is read from disk.
"""

from __future__ import annotations

import random
import time

import pytest

from clipper.article import Article
from clipper.capture.extract import extract_article
from clipper.errors import ExtractionError

URL = "https://example.test/news/story"
PARAGRAPHS = [
    "The harbour authority said on Monday that the new breakwater would be finished by the "
    "end of the summer, two years later than first planned and well over budget.",
    "Fishermen who use the harbour have complained for months that the works block the "
    "entrance at low tide, forcing them to wait offshore before they can land their catch.",
    "The authority's chairman said the delays were caused by storms last winter, which "
    "washed away part of the foundations and forced engineers to redesign the outer wall.",
]


def page(body: str, head: str = "<title>Harbour works</title>", attrs: str = "") -> str:
    return f"<!DOCTYPE html><html{attrs}><head>{head}</head><body>{body}</body></html>"


def article_html() -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return page(f"<article><h1>Harbour works delayed</h1>{paragraphs}</article>")


def safe_extract(data: bytes | str, **kwargs: str) -> Article | None:
    """Extract; None when the input was rejected with ExtractionError."""
    try:
        return extract_article(data, URL, **kwargs)
    except ExtractionError as exc:
        message = str(exc)
        assert message and "\n" not in message
        return None


@pytest.mark.parametrize("data", [b"", "", b"   \n\t  ", "\ufeff", b"\xef\xbb\xbf"])
def test_empty_input_gives_an_empty_article_with_a_warning(data: bytes | str) -> None:
    article = extract_article(data, URL)
    assert article.blocks == []
    assert article.text == ""
    assert article.url == URL
    assert any("empty" in w.lower() for w in article.warnings)


@pytest.mark.parametrize("seed", range(5))
def test_binary_garbage_never_escapes(seed: int) -> None:
    data = random.Random(seed).randbytes(50_000)
    article = safe_extract(data)
    if article is not None:
        assert isinstance(article.text, str)


@pytest.mark.parametrize(
    ("data", "word"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "JPEG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
    ],
)
def test_other_file_formats_are_refused_with_one_clear_line(data: bytes, word: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_article(data + bytes(200), URL)
    message = str(caught.value)
    assert word in message and "not a web page" in message
    assert "\n" not in message


def test_an_image_content_type_with_image_bytes_is_refused() -> None:
    with pytest.raises(ExtractionError, match="image/png"):
        extract_article(b"\x00\x01binary", URL, content_type="image/png")


def test_html_served_with_a_wrong_content_type_is_still_read() -> None:
    article = extract_article(article_html().encode(), URL, content_type="application/pdf")
    assert PARAGRAPHS[0][:40] in article.text


def test_plain_text_is_not_a_crash() -> None:
    article = safe_extract(("Just some text without markup. " * 40).encode())
    assert article is not None


def test_twenty_megabyte_page() -> None:
    junk_menu = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(2000))
    filler = "<script>var data = '" + "x" * 1_000_000 + "';</script>"
    body = f"<nav><ul>{junk_menu}</ul></nav>{filler * 19}" + article_html()
    data = page(body).encode()
    assert len(data) > 19_000_000
    start = time.monotonic()
    article = extract_article(data, URL)
    assert time.monotonic() - start < 60
    assert PARAGRAPHS[1][:50] in article.text


def test_five_thousand_nested_divs() -> None:
    depth = 5000
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    body = "<div>" * depth + paragraphs + "</div>" * depth
    article = extract_article(page(body).encode(), URL)
    assert PARAGRAPHS[0][:50] in article.text
    assert any("nested" in w for w in article.warnings)


def test_deep_inline_nesting() -> None:
    body = "<b><i>" * 3000 + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</i></b>" * 3000
    article = safe_extract(page(body))
    assert article is not None


def test_windows_1252_declared_in_a_meta_tag() -> None:
    text = (
        "Renée Lefèvre opened the café on Mill Road in 1973 and still serves the first "
        "coffee of the day at five o’clock, “rain or shine”, with a croissant for €2."
    )
    html = page(
        f"<article><h1>Café Lefèvre</h1><p>{text}</p><p>{PARAGRAPHS[0]}</p></article>",
        head='<meta charset="windows-1252"><title>Café Lefèvre</title>',
    )
    article = extract_article(html.encode("cp1252"), URL)
    assert "Renée Lefèvre opened the café" in article.text
    assert "“rain or shine”" in article.text and "€2" in article.text
    assert article.title == "Café Lefèvre"


def test_windows_1252_behind_a_wrong_utf8_header() -> None:
    text = "Renée Lefèvre opened the café on Mill Road in 1973. " * 3
    html = page(f"<article><h1>Café</h1><p>{text}</p><p>{PARAGRAPHS[0]}</p></article>")
    article = extract_article(html.encode("cp1252"), URL, content_type="text/html; charset=utf-8")
    assert "Renée Lefèvre" in article.text
    assert "\ufffd" not in article.text


def test_utf8_behind_a_latin1_header() -> None:
    text = "Zoë’s naïve café — “quoted” — opened in Kraków. " * 3
    html = page(f"<article><h1>Zoë</h1><p>{text}</p><p>{PARAGRAPHS[0]}</p></article>")
    article = extract_article(html.encode(), URL, content_type="text/html; charset=ISO-8859-1")
    assert "Zoë’s naïve café" in article.text


def test_shift_jis_declared_in_a_meta_tag() -> None:
    text = "二年前の豪雨で鉄橋が流され、一部区間で運転を見合わせていたローカル線が、全線で運転を再開した。"
    more = "始発列車が到着した終点の駅では、早朝から集まった住民らが小旗を振って出迎えた。"
    html = page(
        f"<article><h1>運転再開</h1><p>{text * 2}</p><p>{more * 2}</p></article>",
        head='<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
        "<title>運転再開</title>",
        attrs=' lang="ja"',
    )
    article = extract_article(html.encode("shift_jis"), URL)
    assert text in article.text
    assert article.title == "運転再開"
    assert article.language == "ja"


def test_undeclared_legacy_charset_is_guessed_without_crashing() -> None:
    text = "Les élèves ont étudié l’histoire de la Révolution française à l’école. " * 6
    html = page(f"<article><h1>École</h1><p>{text}</p><p>{text}</p></article>")
    article = extract_article(html.encode("cp1252"), URL)
    assert "élèves" in article.text


def test_utf16_with_a_byte_order_mark() -> None:
    article = extract_article(article_html().encode("utf-16"), URL)
    assert PARAGRAPHS[0][:50] in article.text


def test_right_to_left_arabic_page() -> None:
    sentences = [
        "بدأ موسم حصاد التمور مبكراً هذا العام في واحة النخيل بسبب موجة الحر التي ضربت المنطقة.",
        "وقال المزارعون إنهم يسابقون الزمن لجني المحصول قبل أن تفسده الحرارة المرتفعة.",
        "وتشير التقديرات إلى أن إنتاج هذا العام سيكون أقل من المعتاد بنحو الخمس.",
    ]
    body = "<article><h1>موسم حصاد التمور يبدأ مبكراً</h1>" + "".join(
        f"<p>{s} {s}</p>" for s in sentences
    )
    html = page(
        body + "</article>", head="<title>حصاد التمور</title>", attrs=' lang="ar" dir="rtl"'
    )
    article = extract_article(html.encode(), URL)
    assert article.language == "ar"
    assert article.title == "موسم حصاد التمور يبدأ مبكراً"
    for sentence in sentences:
        assert sentence in article.text


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>Unclosed <b>bold <i>italic <p>and a new paragraph",
        "<p>" + "a" * 100_000,
        "<html><body>" + "<p>x</p>" * 20_000 + "</body></html>",
        "<?xml version='1.0' encoding='iso-8859-1'?><html><body><p>xml decl</p></body></html>",
        "<html><body><p>nul\x00 and \x0b control \x1f chars</p></body></html>",
        "<html><head><script>" + "{" * 10_000 + "</script></head><body></body></html>",
        '<html><head><script type="application/ld+json">{"@type": [</script></head></html>',
        "<html><body><img src=x><img><picture><source></picture></body></html>",
        "<html><body><p>lone surrogate \ud800 here</p></body></html>",
        "<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN' 'x.dtd'/><html/>",
    ],
)
def test_broken_markup_never_raises(html: str) -> None:
    article = safe_extract(html)
    assert article is not None


def test_str_and_bytes_give_the_same_article() -> None:
    html = article_html()
    assert extract_article(html, URL).to_json() == extract_article(html.encode(), URL).to_json()


def test_extraction_does_not_need_a_url() -> None:
    article = extract_article(article_html())
    assert PARAGRAPHS[2][:40] in article.text
    assert article.url == ""
