"""Citations: CSL-JSON fields, BibLaTeX keys and escaping, RIS records, parsed back."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import bibtexparser
import rispy

from clipper.export.citation import (
    citation_key,
    markdown_link,
    split_name,
    to_bibtex,
    to_csl_items,
    to_csl_json,
    to_ris,
)
from clipper.export.styles import render, render_items
from tests.export.factories import detail, make_passage


def parse_bibtex(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """(type, key, fields) per entry, read by bibtexparser (a real BibTeX consumer)."""
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return [
        (e.entry_type, e.key, {name: str(f.value) for name, f in e.fields_dict.items()})
        for e in library.entries
    ]


def parse_ris(text: str) -> list[list[tuple[str, str]]]:
    records: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    assert "\r" not in text
    for line in text.split("\n"):
        if not line:
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, line
        current.append((match.group(1), match.group(2)))
        if match.group(1) == "ER":
            records.append(current)
            current = []
    assert not current
    return records


def braces_balanced(text: str) -> bool:
    depth = 0
    for i, char in enumerate(text):
        if char in "{}" and i > 0 and text[i - 1] == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_names() -> None:
    assert split_name("María López") == {"family": "López", "given": "María"}
    assert split_name("López, María") == {"family": "López", "given": "María"}
    assert split_name("Mary Ann de la Cruz") == {
        "family": "Cruz",
        "given": "Mary Ann",
        "non-dropping-particle": "de la",
    }
    assert split_name("Martin Luther King Jr.") == {
        "family": "King",
        "given": "Martin Luther",
        "suffix": "Jr.",
    }
    assert split_name("Reuters") == {"literal": "Reuters"}
    assert split_name("Associated Press") == {"literal": "Associated Press"}
    assert split_name("Times of Israel Staff") == {"literal": "Times of Israel Staff"}
    assert split_name("习近平") == {"literal": "习近平"}
    # Organisations are cited whole, never as family name "projects".
    assert split_name("Contributors to Wikimedia projects") == {
        "literal": "Contributors to Wikimedia projects"
    }
    assert split_name("Sky") == {"literal": "Sky"}


def test_csl_json_for_a_news_article() -> None:
    item = to_csl_json(detail())
    assert item == {
        "id": "lopez2022morocco",
        "type": "article-newspaper",
        "title": "Morocco says it will boost military ties with Israel",
        "container-title": "The Times of Israel",
        "author": [{"family": "López", "given": "María"}, {"literal": "Agencies"}],
        "issued": {"date-parts": [[2022, 3, 1]]},
        "accessed": {"date-parts": [[2024, 5, 6]]},
        "URL": "https://www.timesofisrael.com/liveblog_entry/morocco/",
        "language": "en",
        "abstract": "Rabat and Jerusalem will strengthen cooperation",
        "keyword": "Middle East, defense",
    }
    assert json.loads(json.dumps([item], ensure_ascii=False)) == [item]


def test_csl_json_for_an_undated_page() -> None:
    item = to_csl_json(detail(published_at=None, site_name="", authors=(), canonical_url=""))
    assert item["type"] == "webpage"
    assert "issued" not in item
    assert "author" not in item
    assert item["URL"].startswith("https://www.timesofisrael.com/liveblog_entry/morocco/?")


def test_citation_keys() -> None:
    assert citation_key(detail()) == "lopez2022morocco"
    assert citation_key(detail(title="The Évolution of a War")) == "lopez2022evolution"
    no_author = detail(authors=(), published_at=None)
    assert citation_key(no_author) == "timesndmorocco"
    assert citation_key(detail(authors=(), site_name="", title="", published_at=None)) == "clip1"
    assert citation_key(detail(authors=("Ludwig van Beethoven",))) == "beethoven2022morocco"


def test_bibtex_entries_parse_back() -> None:
    tricky = detail(
        id=2,
        title="50% of {profits} & $costs: the #1 C_D ~ ^ \\ question",
        authors=("Martin Luther King Jr.", "Associated Press"),
        site_name="Smith & Sons",
        url="https://example.com/a b",
        canonical_url="",
        language="fr-CA",
    )
    text = to_bibtex([detail(), tricky, detail(id=3)])
    entries = parse_bibtex(text)
    assert [(kind, key) for kind, key, _ in entries] == [
        ("online", "lopez2022morocco"),
        ("online", "king2022profits"),
        ("online", "lopez2022moroccoa"),
    ]
    fields = entries[0][2]
    assert fields == {
        "author": "López, María and {Agencies}",
        "title": "{Morocco says it will boost military ties with Israel}",
        "organization": "The Times of Israel",
        "date": "2022-03-01",
        "year": "2022",
        "month": "mar",  # the standard macro: classic styles print "March"
        "url": "https://www.timesofisrael.com/liveblog_entry/morocco/",
        "urldate": "2024-05-06",
        "langid": "english",
        # The standfirst is an abstract, not a subtitle (printed as part of the title).
        "abstract": "Rabat and Jerusalem will strengthen cooperation",
        "keywords": "Middle East, defense",
    }
    assert "subtitle" not in text
    tricky_fields = entries[1][2]
    assert tricky_fields["author"] == "King, Jr., Martin Luther and {Associated Press}"
    assert tricky_fields["title"] == (
        "{50\\% of \\{profits\\} \\& \\$costs: the \\#1 C\\_D \\textasciitilde{} "
        "\\textasciicircum{} \\textbackslash{} question}"
    )
    assert tricky_fields["organization"] == "Smith \\& Sons"
    assert tricky_fields["url"] == "https://example.com/a%20b"
    assert tricky_fields["langid"] == "french"
    for _, _, entry in entries:
        for value in entry.values():
            assert braces_balanced(value)


def test_ris_records_parse_back() -> None:
    page = detail(id=2, published_at=None, site_name="", tags=())
    records = parse_ris(to_ris([detail(), page]))
    assert len(records) == 2
    news: dict[str, list[str]] = {}
    for tag, value in records[0]:
        news.setdefault(tag, []).append(value)
    assert records[0][0] == ("TY", "NEWS")
    assert records[0][-1] == ("ER", "")
    assert news["TI"] == ["Morocco says it will boost military ties with Israel"]
    assert news["AU"] == ["López, María", "Agencies"]
    assert news["T2"] == ["The Times of Israel"]
    assert news["PY"] == ["2022"]
    assert news["DA"] == ["2022/03/01/"]
    assert news["Y2"] == ["2024/05/06/"]
    assert news["UR"] == ["https://www.timesofisrael.com/liveblog_entry/morocco/"]
    assert news["LA"] == ["en"]
    assert news["KW"] == ["Middle East", "defense"]
    web: dict[str, Any] = dict(records[1])
    assert web["TY"] == "ELEC"
    assert "PY" not in web
    assert "T2" not in web


def test_ris_values_stay_on_one_line() -> None:
    text = to_ris([detail(title="Two\nlines\r\nhere")])
    assert ("TI", "Two lines here") in parse_ris(text)[0]


def test_ris_notes_carry_highlights_and_notes_read_by_rispy() -> None:
    clip = detail()
    changed = make_passage(
        clip.text,
        "formalized ties in 2020",
        id=6,
        state="changed",
        current_exact="formalized ties in December 2020",
    )
    passages = {1: [make_passage(clip.text, "agreed with Israel", note="Why now?"), changed]}
    (record,) = rispy.loads(to_ris([clip], passages))
    assert record["type_of_reference"] == "NEWS"
    assert record["authors"] == ["López, María", "Agencies"]
    assert record["keywords"] == ["Middle East", "defense"]
    assert record["notes"] == [
        "“agreed with Israel” — Why now?",
        "“formalized ties in 2020” (now reads: “formalized ties in December 2020”)",
    ]
    assert record["abstract"] == "Rabat and Jerusalem will strengthen cooperation"


def test_publisher_local_date_not_utc() -> None:
    """Published 2022-07-26 01:30 in +03:00 is 2022-07-25 in UTC: cite the 26th."""
    local = datetime(2022, 7, 26, 1, 30, tzinfo=timezone(timedelta(hours=3)))
    clip = detail(published_at=local)
    assert to_csl_json(clip)["issued"] == {"date-parts": [[2022, 7, 26]]}
    fields = parse_bibtex(to_bibtex([clip]))[0][2]
    assert (fields["date"], fields["year"], fields["month"]) == ("2022-07-26", "2022", "jul")
    (record,) = rispy.loads(to_ris([clip]))
    assert record["date"] == "2022/07/26/"


def test_citeproc_renders_apa_and_chicago() -> None:
    clip = detail()
    (apa,) = render([clip], "apa")
    assert apa.startswith("López, M., & Agencies. (2022, March 1). Morocco says it will boost")
    assert "The Times of Israel" in apa and apa.endswith("/liveblog_entry/morocco/")
    (chicago,) = render([clip], "chicago")
    assert chicago.startswith("López, María, and Agencies. 2022. “Morocco Says It Will Boost")
    org = detail(authors=("Contributors to Wikimedia projects",), site_name="Wikipedia")
    (apa_org,) = render([org], "apa")
    assert apa_org.startswith("Contributors to Wikimedia projects. (2022")


def test_two_clips_with_the_same_base_key_render_twice() -> None:
    """Two AFP 2022 "Morocco ..." clips: unique ids, so citeproc keeps both."""
    first = detail(id=1, authors=("AFP",), title="Morocco wins the match")
    second = detail(id=2, authors=("AFP",), title="Morocco holds talks")
    items = to_csl_items([first, second])
    assert [i["id"] for i in items] == ["afp2022morocco", "afp2022moroccoa"]
    rendered = render_items(items, "apa")
    assert len(rendered) == 2
    assert "Morocco wins the match" in rendered[0] and "Morocco holds talks" in rendered[1]
    # Stored keys win over generated ones: a clip keeps its key whatever else is exported.
    stored = detail(id=3, citation_key="lopez2022moroccob")
    assert [e[1] for e in parse_bibtex(to_bibtex([stored]))] == ["lopez2022moroccob"]
    assert [e[1] for e in parse_bibtex(to_bibtex([detail(id=4), stored]))] == [
        "lopez2022morocco",
        "lopez2022moroccob",
    ]


def test_markdown_link_uses_the_canonical_url() -> None:
    link = markdown_link(detail(title="A [bracketed] title"))
    assert link == (
        "[A \\[bracketed\\] title](https://www.timesofisrael.com/liveblog_entry/morocco/)"
        " — The Times of Israel, 2022-03-01"
    )
