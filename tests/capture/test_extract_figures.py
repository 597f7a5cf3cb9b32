"""Figure rules: which images count, which rendition, caption/credit/alt, reading order."""

from __future__ import annotations

from lxml import html as lxml_html

from clipper.article import Article
from clipper.capture.extract import extract_article
from clipper.capture.figures import find_figures
from clipper.capture.images_in_page import parse_srcset

URL = "https://news.example.test/2024/story.html"
P1 = (
    "The first paragraph of the story explains what happened on Monday morning, when the "
    "river rose above the old flood wall for the first time in forty years."
)
P2 = (
    "The second paragraph adds what the council said afterwards, including a promise to "
    "repair the wall before the autumn storms and to pay for the damage."
)
P3 = (
    "The third paragraph quotes residents who spent the night on the upper floors of their "
    "houses, waiting for the water to go down and for help to arrive."
)


def page(content: str, extra: str = "") -> str:
    return (
        "<!DOCTYPE html><html lang='en'><head><title>Flood story</title></head><body>"
        "<header class='site-header'><img src='/logo.png' width='200' height='50' alt='Logo'></header>"
        f"<main><article><h1>The river rose</h1>{content}</article></main>{extra}</body></html>"
    )


def figures_of(body: str, extra: str = "") -> list[tuple[str, str, str]]:
    article = extract_article(page(body, extra), URL)
    return [(f.src, f.caption, f.credit) for f in article.figures]


def extract(body: str, extra: str = "") -> Article:
    return extract_article(page(body, extra), URL)


def test_figure_with_figcaption_and_credit_span() -> None:
    body = (
        f"<p>{P1}</p><figure><img src='/img/a.jpg' width='800' height='500' alt='Water in the street'>"
        "<figcaption>Water in the high street. <span class='credit'>(Photo: Jane Doe)</span>"
        f"</figcaption></figure><p>{P2}</p><p>{P3}</p>"
    )
    article = extract(body)
    assert [(f.src, f.caption, f.credit, f.alt) for f in article.figures] == [
        (
            "https://news.example.test/img/a.jpg",
            "Water in the high street.",
            "Jane Doe",
            "Water in the street",
        )
    ]
    kinds = [b.kind for b in article.blocks]
    assert kinds == ["paragraph", "figure", "paragraph", "paragraph"]
    assert "Water in the high street" not in article.text


def test_lead_image_comes_before_the_first_paragraph() -> None:
    body = (
        "<figure><img src='/img/lead.jpg' width='1200' height='800'><figcaption>The lead."
        f"</figcaption></figure><p>{P1}</p><p>{P2}</p><p>{P3}</p>"
    )
    article = extract(body)
    assert article.blocks[0].kind == "figure"
    assert article.figures[0].caption == "The lead."


def test_alt_equal_to_caption_and_credit_adds_nothing() -> None:
    body = (
        f"<p>{P1}</p><figure><img src='/img/a.jpg' width='800' height='500' "
        "alt='Water in the street. (AP Photo/Jane Doe)'><figcaption>Water in the street. "
        f"(AP Photo/Jane Doe)</figcaption></figure><p>{P2}</p><p>{P3}</p>"
    )
    article = extract(body)
    figure = article.figures[0]
    assert (figure.caption, figure.credit, figure.alt) == (
        "Water in the street.",
        "AP Photo/Jane Doe",
        "",
    )
    assert article.plain_text.count("Water in the street") == 1


def test_wordpress_caption_and_gutenberg_block() -> None:
    body = (
        f"<p>{P1}</p><div class='wp-caption aligncenter' style='width: 810px'>"
        "<img class='size-large' src='/wp-content/uploads/cages-800x533.jpg' width='800' height='533' "
        "srcset='/wp-content/uploads/cages-400x267.jpg 400w, /wp-content/uploads/cages.jpg 2000w'>"
        "<p class='wp-caption-text'>Oyster cages. Photo: Jane Doe/Reuters</p></div>"
        f"<p>{P2}</p><figure class='wp-block-image size-large'><img src='/wp-content/uploads/map.png' "
        "width='900' height='600'><figcaption class='wp-element-caption'>The lease map.</figcaption>"
        f"</figure><p>{P3}</p>"
    )
    assert figures_of(body) == [
        (
            "https://news.example.test/wp-content/uploads/cages.jpg",
            "Oyster cages.",
            "Jane Doe/Reuters",
        ),
        ("https://news.example.test/wp-content/uploads/map.png", "The lease map.", ""),
    ]


def test_mediawiki_thumbs() -> None:
    body = (
        f"<p>{P1}</p><figure typeof='mw:File/Thumb'><a href='/wiki/File:Tower.jpg' class='mw-file-description'>"
        "<img src='/up/thumb/Tower.jpg/220px-Tower.jpg' width='220' height='165' "
        "srcset='/up/thumb/Tower.jpg/330px-Tower.jpg 1.5x, /up/thumb/Tower.jpg/440px-Tower.jpg 2x'></a>"
        f"<figcaption>The tower in 1890</figcaption></figure><p>{P2}</p>"
        "<div class='thumb tright'><div class='thumbinner'><a href='/wiki/File:Lens.jpg' class='image'>"
        "<img src='/up/thumb/Lens.jpg/220px-Lens.jpg' width='220' height='293'></a>"
        f"<div class='thumbcaption'>The lens</div></div></div><p>{P3}</p>"
    )
    assert figures_of(body) == [
        ("https://news.example.test/up/thumb/Tower.jpg/440px-Tower.jpg", "The tower in 1890", ""),
        ("https://news.example.test/up/thumb/Lens.jpg/220px-Lens.jpg", "The lens", ""),
    ]


def test_lazy_image_with_noscript_fallback_is_one_figure() -> None:
    body = (
        f"<p>{P1}</p><figure><img src='data:image/gif;base64,R0lGOD' class='lazyload' "
        "data-src='/img/lazy.jpg' data-srcset='/img/lazy-600.jpg 600w, /img/lazy-1600.jpg 1600w' "
        "width='800' height='500'><noscript><img src='/img/lazy.jpg' width='800' height='500'>"
        f"</noscript><figcaption>Lazy.</figcaption></figure><p>{P2}</p><p>{P3}</p>"
    )
    assert figures_of(body) == [("https://news.example.test/img/lazy-1600.jpg", "Lazy.", "")]


def test_picture_sources_and_link_to_full_size() -> None:
    body = (
        f"<p>{P1}</p><figure><picture><source srcset='/img/p-640.webp 640w, /img/p-1400.webp 1400w' "
        "type='image/webp'><img src='/img/p-640.jpg' width='640' height='400'></picture>"
        f"<figcaption>Picture.</figcaption></figure><p>{P2}</p><figure><a href='/img/full/big.jpg'>"
        "<img src='/img/small.jpg' width='400' height='300'></a><figcaption>Linked.</figcaption>"
        f"</figure><p>{P3}</p>"
    )
    assert figures_of(body) == [
        ("https://news.example.test/img/p-1400.webp", "Picture.", ""),
        ("https://news.example.test/img/full/big.jpg", "Linked.", ""),
    ]


def test_base_href_is_used_to_resolve_urls() -> None:
    html = (
        "<html><head><base href='https://cdn.example.test/assets/'><title>t</title></head><body>"
        f"<article><h1>Story</h1><p>{P1}</p><figure><img src='img/a.jpg' width='800' height='500'>"
        f"<figcaption>Based.</figcaption></figure><p>{P2}</p><p>{P3}</p></article></body></html>"
    )
    tree = lxml_html.document_fromstring(html)
    found = find_figures(tree, "https://cdn.example.test/assets/")
    assert [f.info.src for f in found] == ["https://cdn.example.test/assets/img/a.jpg"]
    article = extract_article(html, URL)
    assert article.figures[0].src == "https://cdn.example.test/assets/img/a.jpg"


def test_decorative_images_are_dropped() -> None:
    body = (
        f"<p>{P1} <img src='/emoji/smile.png' class='emoji' width='16' height='16'></p>"
        "<img src='/pixel.gif' width='1' height='1'>"
        "<img src='/static/icons/share.png' width='120' height='120'>"
        "<img src='/img/author-avatar.jpg' class='avatar' width='300' height='300'>"
        "<img src='/static/logo-large.png' width='400' height='200'>"
        "<img src='https://ad.doubleclick.net/banner.jpg' width='728' height='90'>"
        "<img src='data:image/png;base64,iVBORw0KGgo=' width='800' height='600'>"
        f"<p>{P2}</p><p>{P3}</p>"
    )
    assert figures_of(body) == []


def test_images_outside_the_article_are_not_figures() -> None:
    extra = (
        "<aside><img src='/img/sidebar.jpg' width='600' height='400'></aside>"
        "<section class='more'><ul><li><a href='/other'><img src='/img/related.jpg' width='300' "
        "height='200'><span>Another story entirely</span></a></li></ul></section>"
        "<footer><img src='/img/footer.jpg' width='600' height='400'></footer>"
    )
    body = f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"
    assert figures_of(body, extra) == []


def test_bare_image_followed_by_caption_paragraph() -> None:
    body = (
        f"<p>{P1}</p><p><img src='/img/bare.jpg' width='800' height='600'></p>"
        "<p class='caption'>The bare image. Credit: Sam Patel</p>"
        f"<p>{P2}</p><p>{P3}</p>"
    )
    assert figures_of(body) == [
        ("https://news.example.test/img/bare.jpg", "The bare image.", "Sam Patel")
    ]


def test_parse_srcset() -> None:
    assert parse_srcset("a.jpg 400w, b.jpg 800w") == [("a.jpg", 400.0, "w"), ("b.jpg", 800.0, "w")]
    assert parse_srcset("a.jpg, b.jpg 2x") == [("a.jpg", 1.0, "x"), ("b.jpg", 2.0, "x")]
    assert parse_srcset("/fetch/w_424,c_limit/x.jpg 424w, /fetch/w_848,c_limit/x.jpg 848w") == [
        ("/fetch/w_424,c_limit/x.jpg", 424.0, "w"),
        ("/fetch/w_848,c_limit/x.jpg", 848.0, "w"),
    ]
