"""The boilerplate rules: DOM cleaning before trafilatura and the block post-filter."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from clipper.article import Block, FigureInfo
from clipper.capture.blocks import filter_blocks
from clipper.capture.boilerplate import clean_tree, decode_cf_email, is_boilerplate_text
from clipper.capture.extract import extract_article
from clipper.capture.prompts import is_prompt
from clipper.capture.structure import paragraphize

URL = "https://example.test/story"
PROSE = [
    "The museum reopened on Saturday after a two-year renovation that replaced the roof, "
    "the heating and most of the lighting in the main galleries.",
    "Visitors queued from early morning, and by noon the staff had stopped counting; the "
    "director said she had never seen the entrance hall so full.",
    "The reopening exhibition brings together paintings that have not been shown together "
    "since the collection was split between two buildings in 1962.",
]


@pytest.mark.parametrize(
    "text",
    [
        "Register for free",
        "Already registered? Enter your email to sign in.",
        "Sign up for our daily newsletter",
        "Click here to subscribe to The Paradigm Newsletter",
        "Subscribe now",
        "Read more: Alibaba poised to launch record-breaking listing",
        "Related: The 15 Weirdest Galaxies in Our Universe",
        "(Leggi anche su: I Cavalieri dello Zodiaco)",
        "SEE MORE: Hong Kong protests",
        "Most read in world news",
        "Share",
        "Share on Facebook",
        "Facebook Twitter Email",
        "Advertisement",
        "ADVERTISEMENT",
        "Scroll to continue with content",
        "We use cookies to improve your experience. By continuing you accept our cookie policy.",
        "Please use the following structure: [email\u00a0protected]",
        "[email protected]",
        "Log in to continue",
        "You've reached your limit of free articles this month.",
        "© 2022 The Times of Israel. All rights reserved.",
        "Thanks for signing up!",
        "read more:",
    ],
)
def test_prompts_are_recognised(text: str) -> None:
    assert is_prompt(text)
    assert is_boilerplate_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "He said the newsletter, which he started in 2015, is delivered to 40,000 readers.",
        "The publisher’s newsletter strategy was built around one briefing, written by a named "
        "editor and sent at six every morning, and readers who open it subscribe more often.",
        "The company said it would stop using third-party cookies in its browser next year.",
        "Copyright law in the EU changed last year.",
        "Share prices fell sharply on Monday after the announcement.",
        "Related research has shown similar effects in mice.",
        "Morocco’s army said Tuesday it had agreed with Israel to strengthen cooperation.",
        "Register offices will close early on Friday, the council said.",
    ],
)
def test_real_sentences_are_not_prompts(text: str) -> None:
    assert not is_prompt(text)
    assert not is_boilerplate_text(text)


def cleaned(body: str) -> str:
    tree = lxml_html.document_fromstring(f"<html><body>{body}</body></html>")
    clean_tree(tree)
    return " ".join(tree.text_content().split())


def test_containers_named_as_furniture_are_removed() -> None:
    body = (
        "<div class='article-body'><p>Kept text.</p></div>"
        "<div class='newsletter-signup'><p>Get the briefing</p></div>"
        "<div class='share-buttons'><a>Facebook</a></div>"
        "<section class='related-articles'><a>Other story</a></section>"
        "<div id='cookie-banner'>We value your privacy</div>"
        "<div class='ad-slot'>Sponsored stuff</div>"
        "<div role='dialog'>Modal text</div>"
        "<nav>Menu text</nav><aside>Sidebar text</aside><footer>Footer text</footer>"
        "<div class='hidden'>Hidden text</div><div style='display:none'>Invisible</div>"
        "<div class='NewsletterSignupWidget'>Camel text</div>"
    )
    assert cleaned(body) == "Kept text."


def test_a_furniture_class_never_takes_the_prose() -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in PROSE)
    body = f"<div class='article-body promo-enabled share-tools'>{paragraphs}</div>"
    assert PROSE[0][:40] in cleaned(body)


def test_short_prompt_elements_are_removed_but_prose_mentioning_them_stays() -> None:
    body = (
        f"<p>{PROSE[0]}</p><p>Sign up for our newsletter</p><p>Advertisement</p>"
        "<p>The newsletter, which started in 2015, now reaches 40,000 readers each morning.</p>"
    )
    text = cleaned(body)
    assert "Sign up" not in text and "Advertisement" not in text
    assert "now reaches 40,000 readers" in text


def test_cloudflare_email_is_decoded() -> None:
    assert decode_cf_email("8ce9f4ede1fce0e9cce8e3e1ede5e2a2f8e9fff8") == "example@domain.test"
    body = (
        "<p>Write to <a class='__cf_email__' data-cfemail='8ce9f4ede1fce0e9cce8e3e1ede5e2a2f8e9fff8'>"
        "[email&#160;protected]</a> with tips about the story.</p>"
    )
    assert "example@domain.test" in cleaned(body)


def test_filter_drops_title_standfirst_captions_and_prompts() -> None:
    figure = FigureInfo(src="https://x.test/a.jpg", caption="A caption.", credit="Jane Doe")
    blocks = [
        Block("heading", "The Headline", level=2),
        Block("paragraph", "The standfirst sentence."),
        Block("paragraph", PROSE[0]),
        Block("paragraph", "A caption. Jane Doe"),
        Block("paragraph", "Read more: another story"),
        Block("paragraph", PROSE[1]),
        Block("paragraph", PROSE[1]),
        Block("code", "subscribe()"),
    ]
    kept = filter_blocks(
        blocks,
        title_variants=["The Headline | Site", "The Headline"],
        subtitle="The standfirst sentence.",
        figures=[figure],
    )
    assert [b.text for b in kept] == [PROSE[0], PROSE[1], "subscribe()"]


def test_loose_text_runs_become_paragraphs() -> None:
    tree = lxml_html.document_fromstring(
        f"<html><body><div>{PROSE[0]}<br><br>{PROSE[1]}<br>with a line break</div></body></html>"
    )
    paragraphize(tree)
    paragraphs = [" ".join(" ".join(p.itertext()).split()) for p in tree.iter("p")]
    assert paragraphs == [PROSE[0], f"{PROSE[1]} with a line break"]


def test_seed_like_page_keeps_the_article_and_drops_the_junk() -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in PROSE)
    html = (
        "<html lang='en'><head><title>Museum reopens | The Gazette</title>"
        "<meta property='og:title' content='Museum reopens'></head><body>"
        "<header role='banner'><a>Log In</a> <a>Sign Up</a></header>"
        "<article><h1>Museum reopens</h1>"
        "<h2>After two years, the doors are open again</h2>"
        f"<div class='body'>{paragraphs}</div>"
        "<div class='read-more-title'>read more:</div>"
        "<div class='notification-prompt'><div>Never miss breaking news</div>"
        "<button>Subscribe</button></div></article>"
        "<div class='modal hidden' role='dialog'><h2>Register for free</h2>"
        "<p>and continue reading</p><p>Already registered? Enter your email to sign in.</p></div>"
        "</body></html>"
    )
    article = extract_article(html, URL)
    assert article.title == "Museum reopens"
    assert article.subtitle == "After two years, the doors are open again"
    assert article.text == "\n\n".join(PROSE)
