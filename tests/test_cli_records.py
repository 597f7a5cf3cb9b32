"""Records a researcher can cite, through the CLI on a real library and a local server:
metadata corrections with provenance that survive re-clips and `reextract`, the
publisher's local date, stable unique citation keys read back by citeproc-py,
bibtexparser and rispy, pinpoint citations, and quotes that never change."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import bibtexparser
import pytest
import rispy

from clipper.export.styles import render_items
from tests.helpers.network import hosts_file
from tests.helpers.pages import article_page
from tests.helpers.site import FixtureSite
from tests.test_cli import Cli


def news_page(
    title: str,
    paragraphs: list[str],
    *,
    author: str = "Carrie Arnold",
    published: str = "2022-07-26T01:30:00+03:00",
    site: str = "livescience.com",
    canonical: str = "",
) -> bytes:
    """A page whose metadata comes from JSON-LD (author, date) and Open Graph (site)."""
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "author": {"@type": "Person", "name": author},
            "datePublished": published,
        }
    )
    link = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{escape(title)}</title>{link}
<meta property="og:site_name" content="{escape(site)}">
<script type="application/ld+json">{ld}</script></head><body>
<article><h1>{escape(title)}</h1>{body}</article></body></html>""".encode()


PARAGRAPHS = [
    "The reservoir fell below 10 percent of its capacity in August, officials said on Monday.",
    "“We have never seen it this low,” said Carmen Ruiz, 67, who farms in the valley.",
    "Rationing starts next week for every household and farm in the district, they added.",
]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    return Cli(capsys, tmp_path / "lib")


def test_show_gives_each_fields_source(cli: Cli, site: FixtureSite) -> None:
    site.pages["/a.html"] = news_page("Drought", PARAGRAPHS, canonical="https://news.test/a")
    assert cli("clip", site.url("/a.html"))[0] == 0
    shown = cli.json("show", "1")[0]
    assert shown["sources"] == {
        "title": "headline",
        "authors": "json-ld",
        "published": "json-ld",
        "site_name": "open-graph",
        "canonical_url": "link",
    }
    assert shown["citation_key"] == "arnold2022drought"
    code, out, _ = cli("show", "1")
    assert "Sources: title: page headline, authors: JSON-LD, published: JSON-LD" in out


def test_edit_metadata_survives_reclip_and_is_marked_user(cli: Cli, site: FixtureSite) -> None:
    site.pages["/a.html"] = news_page(
        "Drought", PARAGRAPHS, author="Carrie Arnold November", site="usatoday"
    )
    assert cli("clip", site.url("/a.html"))[0] == 0
    code, out, err = cli(
        "edit", "1", "--author", "Carrie Arnold", "--author", "Ana Ruiz",
        "--site", "USA Today", "--published", "2019-05-03", "--url", "https://news.test/a",
    )  # fmt: skip
    assert code == 0, err
    assert "Authors:    Carrie Arnold; Ana Ruiz  [edited by you]" in out
    shown = cli.json("show", "1")[0]
    assert shown["authors"] == ["Carrie Arnold", "Ana Ruiz"]
    assert shown["site_name"] == "USA Today"
    assert shown["published"].startswith("2019-05-03")
    assert shown["canonical_url"] == "https://news.test/a"
    assert shown["sources"]["authors"] == "user"
    assert shown["sources"]["title"] == "headline"  # untouched fields keep their source
    # The publisher changes the page: a new version, but the corrections stay.
    site.pages["/a.html"] = news_page(
        "Drought worsens", [*PARAGRAPHS, "A new paragraph."], author="Carrie Arnold November"
    )
    assert cli("clip", site.url("/a.html"))[0] == 0
    after = cli.json("show", "1")[0]
    assert after["versions"] == 2
    assert after["title"] == "Drought worsens"  # not edited: follows the page
    assert after["authors"] == ["Carrie Arnold", "Ana Ruiz"]
    assert after["site_name"] == "USA Today"
    assert after["published"].startswith("2019-05-03")
    # The citation uses the corrections, and the key made at the first clip.
    (item,) = json.loads(cli("export", "csl")[1])
    assert item["id"] == "november2022drought"
    assert item["author"][0] == {"family": "Arnold", "given": "Carrie"}
    assert item["container-title"] == "USA Today"


def test_edited_author_survives_reextract(cli: Cli, site: FixtureSite, tmp_path: Path) -> None:
    """A clip stored by an older extractor (with a registration prompt in its text) is
    re-extracted offline into a new version: the corrected author stays."""
    from dataclasses import replace

    from clipper.article import Block
    from clipper.capture.fetch import Fetcher
    from clipper.capture.pipeline import capture_url
    from clipper.library import Library

    site.pages["/a.html"] = news_page("Drought", PARAGRAPHS, author="Analysis by Chris Cillizza")
    with Fetcher() as fetcher:
        capture = capture_url(site.url("/a.html"), fetcher)
    junk = Block(kind="paragraph", text="Register for free and continue reading")
    capture.article = replace(capture.article, blocks=[junk, *capture.article.blocks])
    with Library.open(cli.library) as library:
        clip_id = library.clips.store(capture).result.clip_id
    assert cli("edit", str(clip_id), "--author", "Chris Cillizza")[0] == 0
    code, out, err = cli("reextract", str(clip_id))
    assert code == 0, err
    shown = cli.json("show", str(clip_id))[0]
    assert shown["versions"] == 2 and "Register for free" not in shown["text"]
    assert shown["authors"] == ["Chris Cillizza"]
    assert shown["sources"]["authors"] == "user"


def test_edit_errors_are_one_line(cli: Cli, site: FixtureSite) -> None:
    site.pages["/a.html"] = news_page("Drought", PARAGRAPHS)
    assert cli("clip", site.url("/a.html"))[0] == 0
    code, _, err = cli("edit", "1", "--published", "last tuesday")
    assert code == 1 and err.count("\n") == 1 and "not a date" in err
    code, _, err = cli("edit", "1", "--url", "ftp://x.test/a")
    assert code == 1 and "not an http(s) URL" in err
    code, _, err = cli("edit", "1", "--title", "  ")
    assert code == 1 and "title cannot be empty" in err
    code, _, err = cli("edit", "9", "--title", "X")
    assert code == 1 and "no clip with id 9" in err
    code, _, err = cli("edit", "1")
    assert code == 2 and "give --title" in err
    assert cli.json("show", "1")[0]["authors"] == ["Carrie Arnold"]  # nothing changed


def test_publisher_local_date_in_every_citation_format(cli: Cli, site: FixtureSite) -> None:
    """2022-07-26T01:30:00+03:00 is the 25th in UTC: every format cites the 26th."""
    site.pages["/a.html"] = news_page("Drought", PARAGRAPHS)
    assert cli("clip", site.url("/a.html"))[0] == 0
    (item,) = json.loads(cli("export", "csl")[1])
    assert item["issued"] == {"date-parts": [[2022, 7, 26]]}
    (entry,) = bibtexparser.parse_string(cli("export", "bibtex")[1]).entries
    assert entry["date"] == "2022-07-26" and entry["year"] == "2022" and entry["month"] == "jul"
    (record,) = rispy.loads(cli("export", "ris")[1])
    assert record["date"] == "2022/07/26/"
    assert cli.json("show", "1")[0]["published"] == "2022-07-26T01:30:00+03:00"


def test_same_key_clips_get_unique_stable_keys_and_render_twice(
    cli: Cli, site: FixtureSite
) -> None:
    site.pages["/a.html"] = news_page("Morocco wins the final", PARAGRAPHS, author="AFP")
    site.pages["/b.html"] = news_page("Morocco opens talks", PARAGRAPHS[:2], author="AFP")
    assert cli("clip", site.url("/a.html"), site.url("/b.html"))[0] == 0
    items = json.loads(cli("export", "csl")[1])
    assert sorted(i["id"] for i in items) == ["afp2022morocco", "afp2022moroccoa"]
    assert items[0]["author"] == [{"literal": "AFP"}]
    rendered = render_items(items, "apa")
    assert len(rendered) == 2
    assert any("Morocco wins the final" in r for r in rendered)
    assert any("Morocco opens talks" in r for r in rendered)
    # A clip's key does not depend on what else is exported.
    alone = bibtexparser.parse_string(cli("export", "bibtex", "2")[1]).entries
    both = bibtexparser.parse_string(cli("export", "bibtex", "1", "2")[1]).entries
    assert [e.key for e in alone] == ["afp2022moroccoa"]
    assert [e.key for e in both] == ["afp2022morocco", "afp2022moroccoa"]
    # Nor on later corrections.
    assert cli("edit", "2", "--author", "María López")[0] == 0
    assert bibtexparser.parse_string(cli("export", "bibtex", "2")[1]).entries[0].key == (
        "afp2022moroccoa"
    )


def test_ris_notes_hold_highlights_and_notes(cli: Cli, site: FixtureSite) -> None:
    site.pages["/a.html"] = news_page("Drought", PARAGRAPHS)
    assert cli("clip", site.url("/a.html"), "--tag", "water")[0] == 0
    assert cli("annotate", "1", "--quote", "Carmen Ruiz, 67", "--note", "Source")[0] == 0
    (record,) = rispy.loads(cli("export", "ris")[1])
    assert record["notes"] == ["“Carmen Ruiz, 67” — Source"]
    assert record["keywords"] == ["water"]
    (entry,) = bibtexparser.parse_string(cli("export", "bibtex")[1]).entries
    assert entry["keywords"] == "water"


def test_reclip_keeps_quotes_and_cites_text_changed(
    cli: Cli, site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    hosts_file(monkeypatch, "news.test")  # the page comes from its canonical's site
    site.pages["/a.html"] = news_page("Drought", PARAGRAPHS, canonical="https://news.test/a")
    assert cli("clip", site.on("news.test", "/a.html"))[0] == 0
    cli("annotate", "1", "--quote", "fell below 10 percent of its capacity", "--note", "key")
    cli("annotate", "1", "--quote", "Carmen Ruiz, 67")
    changed = [PARAGRAPHS[0].replace("10 percent", "8 percent"), PARAGRAPHS[1].replace("67", "68")]
    site.pages["/a.html"] = news_page(
        "Drought", [*changed, PARAGRAPHS[2]], canonical="https://news.test/a"
    )
    assert cli("clip", site.on("news.test", "/a.html"))[0] == 0
    rows = {r["id"]: r for r in cli.json("passages", "1")}
    assert rows[1]["exact"] == "fell below 10 percent of its capacity"
    assert rows[1]["current_exact"] == "fell below 8 percent of its capacity"
    assert rows[1]["state"] == "changed"
    assert (rows[2]["exact"], rows[2]["current_exact"]) == ("Carmen Ruiz, 67", "Carmen Ruiz, 68")
    code, out, _ = cli("passages", "1")
    assert "“Carmen Ruiz, 67”" in out and "Text changed; now reads: “Carmen Ruiz, 68”" in out
    assert "Carmen Ruiz, [-67-]{+68+}" in out  # the word diff
    assert rows[2]["diff"] == [["equal", "Carmen Ruiz, "], ["delete", "67"], ["insert", "68"]]
    # Pinpoint citations: the original quote, the reference, both links.
    code, out, _ = cli("passages", "1", "--cite")
    assert code == 0
    first = out.split("\n\n")[0].splitlines()
    assert first[0] == "“fell below 10 percent of its capacity”"
    assert first[1].startswith("Arnold, C. (2022, July 26). Drought. Livescience.com.")
    assert first[2].startswith("Passage: https://news.test/a#:~:text=")
    assert "fell%20below%208%20percent" in first[2]  # the live page has the new words
    assert first[3].startswith("Stored version of 20") and "clipper://clip/1?version=1#" in first[3]
    assert (
        first[4] == "Text changed since; the page now reads: “fell below 8 percent of its capacity”"
    )
    cited = cli.json("passages", "1", "--cite", "--style", "chicago")
    assert cited[0]["reference"].startswith("Arnold, Carrie. 2022. “Drought”.")
    # W3C: the selectors describe the stored version the quote was made on.
    data = json.loads(cli("export", "jsonld", "--creator", "Ana Reporter")[1])
    item = data["first"]["items"][0]
    assert item["creator"] == {"type": "Person", "name": "Ana Reporter"}
    target = item["target"]
    assert target["state"]["type"] == "TimeState"
    assert target["state"]["cached"] == "clipper://clip/1?version=1"
    quote, position = target["selector"]
    assert quote["exact"] == "fell below 10 percent of its capacity"
    shown_v1 = cli.json("show", "1", "--version", "1")[0]
    assert shown_v1["version_id"] == 1
    # The citation's clipper:// link opens the stored version it names.
    stored_link = first[3].split(": ", 1)[1]
    linked = cli.json("show", stored_link)[0]
    assert linked["version_id"] == 1 and "10 percent" in linked["text"]
    assert cli.json("show", "1")[0]["version_id"] == 2
    with pytest.raises(SystemExit) as usage:
        cli("show", "clipper://elsewhere/1")
    assert usage.value.code == 2
    assert "not an id: 'clipper://elsewhere/1'" in cli.capsys.readouterr().err
    assert any(b["purpose"] == "describing" and "8 percent" in b["value"] for b in item["body"])


def test_cite_command_styles(cli: Cli, site: FixtureSite, monkeypatch: pytest.MonkeyPatch) -> None:
    hosts_file(monkeypatch, "news.test")  # the page comes from its canonical's site
    site.pages["/a.html"] = news_page(
        "Drought", PARAGRAPHS, author="Contributors to Wikimedia projects",
        canonical="https://news.test/a",
    )  # fmt: skip
    assert cli("clip", site.on("news.test", "/a.html"))[0] == 0
    code, out, _ = cli("cite", "1")
    assert out.startswith("Contributors to Wikimedia projects. (2022, July 26). Drought.")
    code, out, _ = cli("cite", "1", "--style", "markdown")
    assert out.strip() == "[Drought](https://news.test/a) — livescience.com, 2022-07-26"
    code, out, _ = cli("cite", "1", "--style", "bibtex")
    (entry,) = bibtexparser.parse_string(out).entries
    assert entry["author"] == "{Contributors to Wikimedia projects}"


def test_article_page_still_clips(cli: Cli, site: FixtureSite) -> None:
    """The plain fixture page (Open Graph date, visible byline) records its sources too."""
    site.pages["/p.html"] = article_page("Harbour", PARAGRAPHS)
    assert cli("clip", site.url("/p.html"))[0] == 0
    sources = cli.json("show", "1")[0]["sources"]
    assert sources["published"] == "open-graph" and sources["site_name"] == "open-graph"
