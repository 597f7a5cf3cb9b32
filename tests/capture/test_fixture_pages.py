"""The extractor against hand-written pages that reproduce real-world page patterns.

Each page in `tests/fixtures/pages/` has an entry in `manifest.json` saying what a perfect
extraction of it gives (see the manifest section of the fixtures' brief):

* metadata (`title`, `subtitle`, `authors`, `published`, `site_name`, `canonical_url`,
  `language`); `null` means "not checked for this page". `published` is a prefix of the
  ISO form of the date; `language` is compared on its primary subtag ("en-US" is "en").
* `paragraphs`: the first 60 characters of every body block that must be in `text`, in order.
* `text_excludes`: strings that must not be in `text` (case-insensitive).
* `figures`: the complete, ordered list of content figures (src of the largest rendition,
  resolved against the page URL; caption; credit without parentheses or label). A figure may
  carry `after`: the start of the body block it follows (`null`: before any text block).

Pages are read as bytes, as they come off the wire, and extracted as if served from
`http://fixtures.test/<file name>`. Besides the extraction tests, a few tests check the
fixtures themselves (every page has an entry, the manifest agrees with the pages, the
legacy-encoded pages match their generator), so a broken fixture fails on its own.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import lxml.html
import pytest

from clipper.article import Article

PAGES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
BASE_URL = "http://fixtures.test/"
MANIFEST: dict[str, dict[str, Any]] = json.loads(
    (PAGES_DIR / "manifest.json").read_text(encoding="utf-8")
)
PAGE_NAMES = sorted(MANIFEST)

ENTRY_KEYS = {
    "title",
    "subtitle",
    "authors",
    "published",
    "site_name",
    "canonical_url",
    "language",
    "paragraphs",
    "text_excludes",
    "figures",
}
STRING_FIELDS = ("title", "subtitle", "site_name", "canonical_url")
METADATA_FIELDS = (*STRING_FIELDS, "authors", "published", "language")
JSON_KEYS = [
    "title",
    "subtitle",
    "authors",
    "published",
    "site_name",
    "url",
    "canonical_url",
    "language",
    "text",
    "figures",
]
FIGURE_JSON_KEYS = ["src", "caption", "credit", "alt"]


# --- helpers -----------------------------------------------------------------------------


def page_url(name: str) -> str:
    return BASE_URL + name


def norm(text: str) -> str:
    """Collapse every run of whitespace (including newlines and NBSP) to one space."""
    return " ".join(text.split())


@cache
def make_encoded() -> ModuleType:
    path = PAGES_DIR / "make_encoded.py"
    spec = importlib.util.spec_from_file_location("fixture_pages_make_encoded", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_encoding(name: str) -> str:
    legacy: dict[str, tuple[str, str]] = make_encoded().PAGES
    return legacy[name][1] if name in legacy else "utf-8"


@cache
def page_text(name: str) -> str:
    """The visible-ish text of a whole page (everything, junk included), normalized."""
    html = (PAGES_DIR / name).read_bytes().decode(page_encoding(name))
    tree = lxml.html.document_fromstring(html)
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return norm(tree.text_content())


@cache
def extracted(name: str) -> Article:
    from clipper.capture.extract import extract_article

    return extract_article((PAGES_DIR / name).read_bytes(), page_url(name))


def expected_figures(name: str) -> list[tuple[str, str, str]]:
    return [(f["src"], f["caption"], f["credit"]) for f in MANIFEST[name]["figures"]]


def primary_subtag(language: str) -> str:
    return language.strip().replace("_", "-").split("-")[0].lower()


METADATA_CASES = [
    pytest.param(name, field, id=f"{name}-{field}")
    for name in PAGE_NAMES
    for field in METADATA_FIELDS
    if MANIFEST[name][field] is not None
]
POSITIONED_PAGES = [
    name for name in PAGE_NAMES if any("after" in f for f in MANIFEST[name]["figures"])
]


# --- the fixtures themselves --------------------------------------------------------------


def test_every_page_has_a_manifest_entry() -> None:
    pages = {p.name for p in PAGES_DIR.glob("*.html")}
    assert pages == set(MANIFEST)
    assert len(pages) >= 17


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_manifest_entry_is_well_formed(name: str) -> None:
    entry = MANIFEST[name]
    assert set(entry) == ENTRY_KEYS
    assert entry["title"], "every page has a title to check"
    assert entry["canonical_url"].startswith(("http://", "https://"))
    assert len(entry["paragraphs"]) >= 5
    assert all(0 < len(p) <= 60 for p in entry["paragraphs"])
    assert entry["authors"] is None or all(isinstance(a, str) and a for a in entry["authors"])
    for figure in entry["figures"]:
        assert set(figure) - {"after"} == {"src", "caption", "credit"}
        assert figure["src"].startswith(BASE_URL)
        assert not figure["credit"].startswith("("), "credits are given without parentheses"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_manifest_agrees_with_page(name: str) -> None:
    """Everything the manifest expects (or forbids) is really on the page."""
    entry = MANIFEST[name]
    text = page_text(name)
    raw = (PAGES_DIR / name).read_bytes().decode(page_encoding(name)).replace("&amp;", "&")
    for prefix in entry["paragraphs"]:
        assert norm(prefix) in text, prefix
    for figure in entry["figures"]:
        assert figure["src"][len(BASE_URL) - 1 :] in raw, figure["src"]
        assert norm(figure["caption"]) in text, figure["caption"]
        assert norm(figure["credit"]) in text, figure["credit"]
    for unwanted in entry["text_excludes"]:
        assert norm(unwanted).lower() in text.lower() or unwanted.lower() in raw.lower(), unwanted
    # Images must be served by the test server: no other host in any image URL.
    tree = lxml.html.document_fromstring(raw)
    for img in tree.iter("img", "source"):
        for attr in ("src", "data-src", "data-lazy-src", "srcset", "data-srcset"):
            value = img.get(attr) or ""
            if value.startswith("data:"):
                continue  # inline placeholders
            assert "://" not in value and not value.startswith("//"), (attr, value)


def test_encoded_pages_match_their_generator() -> None:
    built: dict[str, bytes] = make_encoded().build()
    assert set(built) == {"windows-1252.html", "shift-jis.html"}
    for name, data in built.items():
        assert (PAGES_DIR / name).read_bytes() == data, (
            f"{name} is stale: run tests/fixtures/pages/make_encoded.py"
        )
    # The point of these pages: their bytes are not UTF-8.
    for name in built:
        with pytest.raises(UnicodeDecodeError):
            (PAGES_DIR / name).read_bytes().decode("utf-8")


# --- extraction ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "field"), METADATA_CASES)
def test_metadata(name: str, field: str) -> None:
    expected = MANIFEST[name][field]
    article = extracted(name)
    if field == "published":
        assert article.published is not None, "no publication date found"
        assert article.published.isoformat().startswith(expected)
    elif field == "language":
        assert primary_subtag(article.language) == expected, article.language
    elif field == "authors":
        assert article.authors == expected
    else:
        assert getattr(article, field) == expected


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_paragraphs_in_order(name: str) -> None:
    text = norm(extracted(name).text)
    position = 0
    for prefix in MANIFEST[name]["paragraphs"]:
        wanted = norm(prefix)
        found = text.find(wanted, position)
        if found < 0:
            where = "out of order" if wanted in text else "missing"
            pytest.fail(f"paragraph {where}: {prefix!r}")
        position = found + len(wanted)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_text_excludes(name: str) -> None:
    text = norm(extracted(name).text).lower()
    present = [s for s in MANIFEST[name]["text_excludes"] if norm(s).lower() in text]
    assert present == []


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_text_is_body_only(name: str) -> None:
    """No figure caption, no subtitle, and not the headline as the first block."""
    entry = MANIFEST[name]
    article = extracted(name)
    text = norm(article.text)
    captions = [f["caption"] for f in entry["figures"] if f["caption"]]
    assert [c for c in captions if norm(c) in text] == []
    if entry["subtitle"]:
        assert norm(entry["subtitle"]) not in text
    first_block = article.text.split("\n\n", 1)[0]
    assert norm(first_block) != norm(entry["title"])


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_figures(name: str) -> None:
    got = [(f.src, f.caption, f.credit) for f in extracted(name).figures]
    assert got == expected_figures(name)


@pytest.mark.parametrize("name", POSITIONED_PAGES)
def test_figures_sit_between_the_right_blocks(name: str) -> None:
    article = extracted(name)
    for index, figure in enumerate(MANIFEST[name]["figures"]):
        if "after" not in figure:
            continue
        places = [
            i for i, b in enumerate(article.blocks) if b.kind == "figure" and b.figure == index
        ]
        assert len(places) == 1, f"figure {index} has {len(places)} blocks"
        before = [b for b in article.blocks[: places[0]] if b.kind != "figure" and b.text]
        if figure["after"] is None:
            assert before == [], f"figure {index} should come before the text"
        else:
            assert before, f"figure {index} should follow {figure['after']!r}"
            assert norm(before[-1].text).startswith(norm(figure["after"])), before[-1].text


def test_to_json_keys() -> None:
    article = extracted("seed-news.html")
    data = article.to_json()
    assert list(data) == JSON_KEYS
    assert data["url"] == page_url("seed-news.html")
    assert data["figures"], "the seed page has a figure"
    for figure in data["figures"]:
        assert list(figure) == FIGURE_JSON_KEYS
    assert isinstance(data["published"], str)
    json.dumps(data)  # plain JSON all the way down


def test_str_and_bytes_input_agree() -> None:
    from clipper.capture.extract import extract_article

    name = "seed-news.html"
    raw = (PAGES_DIR / name).read_bytes()
    from_str = extract_article(raw.decode("utf-8"), page_url(name))
    assert from_str.to_json() == extracted(name).to_json()
