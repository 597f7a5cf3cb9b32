"""The rule book (`clipper.rules`): each rule pinned once, here.

Other tests check that a layer *uses* a rule (tags in the library, `tag:` in search);
what the rule says is only written down in this file.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from clipper import rules
from clipper.rules import (
    collapse,
    fold,
    normalize_url,
    same_text,
    site_key,
    tag_key,
    tag_name,
    text_key,
    url_key,
)


def test_fold_is_case_and_accent_folding() -> None:
    assert fold("Café") == "cafe"
    assert fold("NAÏVE") == "naive"
    assert fold("Straße") == "strasse"
    assert fold("ΣΊΣΥΦΟΣ") == fold("σίσυφος") == "σισυφοσ"
    assert fold("e\u0301te\u0301") == "ete"  # decomposed accents
    assert fold("ﬁnal ①") == "final 1"  # compatibility forms
    assert fold("Plain ASCII") == "plain ascii"


@given(st.text(max_size=120))
def test_fold_drops_exactly_the_combining_marks(text: str) -> None:
    """Its translate table (filled as characters come) is `unicodedata.combining`, and a
    text folds as its words do (words are cached, long texts are not)."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    assert fold(text) == unicodedata.normalize("NFC", bare)
    long = text + " " + "Été à Montréal " * 4
    assert fold(long) == " ".join(fold(part) for part in long.split(" "))
    assert fold(fold(long)) == fold(long)


def test_collapse_is_the_whitespace_rule() -> None:
    assert collapse("  two\t words\n\nhere ") == "two words here"
    assert collapse("\u00a0nbsp\u2003em ") == "nbsp em"


def test_text_key_compares_texts_as_a_reader_does() -> None:
    assert text_key("Café — open!") == text_key("cafe open") == "cafe open"
    assert same_text("The Harbour Plan.", "the  harbour plan")
    assert same_text("Résumé", "resume")
    assert not same_text("", "")
    assert not same_text("harbour plan", "harbour plans")


def test_tags_with_one_key_are_one_tag() -> None:
    assert tag_key("Café") == tag_key("cafe") == tag_key("#CAFE ") == "cafe"
    assert tag_key(" Local   Politics ") == "local politics"
    assert tag_key("Straße") == tag_key("strasse")
    assert tag_key("café") != tag_key("cafes")
    assert tag_name("  #harbour   plan ") == "harbour plan"
    assert tag_name("Café") == "Café"  # the name keeps what the user typed


@given(st.text(max_size=40))
def test_a_tag_name_has_the_key_of_what_was_typed(raw: str) -> None:
    assert tag_key(tag_name(raw)) == tag_key(raw)
    assert tag_key(tag_key(raw)) == tag_key(raw)


def test_site_key() -> None:
    assert site_key("https://user@www.Example.COM:8080/path?q#x") == "example.com"
    assert site_key("www.bbc.co.uk") == "bbc.co.uk"
    assert site_key("Le Monde") == "le monde"
    assert site_key("Le  Télégramme") == "le telegramme"


def test_one_article_has_one_url_key() -> None:
    same = [
        "https://www.example.com/2024/harbour-plan/",
        "http://example.com/2024/harbour-plan?utm_source=x&fbclid=1#comments",
        "HTTPS://EXAMPLE.com:443/2024/harbour-plan",
    ]
    assert {normalize_url(u) for u in same} == {"http://example.com/2024/harbour-plan"}
    assert len({url_key(u) for u in same}) == 1
    assert normalize_url("https://example.com/a?b=2&a=1") == "http://example.com/a?a=1&b=2"
    assert url_key("https://example.com/a") != url_key("https://example.com/b")
    assert url_key("https://example.com:8443/a") != url_key("https://example.com/a")
    assert len(url_key("https://example.com/a")) == 64


def test_the_rule_book_loads_nothing_heavy() -> None:
    """The window calls it at start-up: no SQLAlchemy, search engine or Qt behind it."""
    code = (
        "import sys, clipper.rules;"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'whoosh', 'PySide6', 'lxml', 'numpy')];"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert rules.__all__  # every rule is public
