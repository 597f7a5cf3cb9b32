"""Citations: CSL-JSON fields, BibLaTeX keys and escaping, RIS records, parsed back."""

from __future__ import annotations

import json
import re
from typing import Any

from clipper.export.citation import citation_key, split_name, to_bibtex, to_csl_json, to_ris
from tests.export.factories import detail


def parse_bibtex(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """(type, key, fields) per entry; values keep their inner braces."""
    entries = []
    for match in re.finditer(r"@(\w+)\{([^,\s]+),\n(.*?)\n\}\n", text, re.S):
        fields = {}
        for line in match.group(3).split(",\n"):
            name, _, value = line.strip().partition(" = ")
            assert value.startswith("{")
            assert value.endswith("}")
            fields[name] = value[1:-1]
        entries.append((match.group(1), match.group(2), fields))
    return entries


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
        "subtitle": "Rabat and Jerusalem will strengthen cooperation",
        "organization": "The Times of Israel",
        "date": "2022-03-01",
        "url": "https://www.timesofisrael.com/liveblog_entry/morocco/",
        "urldate": "2024-05-06",
        "langid": "english",
    }
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
