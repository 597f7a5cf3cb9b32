"""Every query-language feature against a real index: which clips come back, which not."""

from __future__ import annotations

import pytest

from clipper.search.whoosh.index import SearchIndex
from tests.search.conftest import ids


def exact(index: SearchIndex, query: str) -> set[int]:
    return ids(index, query, prefix_last=False)


def test_words_are_anded(index: SearchIndex) -> None:
    assert exact(index, "climate") == {2, 6}
    assert exact(index, "climate change") == {2, 6}
    assert exact(index, "climate bonn") == {2}
    assert exact(index, "climate vienna") == set()


def test_case_and_accent_folding(index: SearchIndex) -> None:
    assert exact(index, "cafe") == {3}
    assert exact(index, "CAFÉ") == {3}
    assert exact(index, "naive") == {3}
    assert exact(index, "élysées") == {1}
    assert exact(index, "ELYSEES") == {1}


def test_hyphenated_compounds(index: SearchIndex) -> None:
    # "co-operation" is indexed as co, operation and cooperation.
    assert exact(index, "cooperation") == {1, 2}
    assert exact(index, "co-operation") == {1, 2}
    assert exact(index, "operation") == {1}
    assert exact(index, '"co operation"') == {1}


def test_phrase_is_exact(index: SearchIndex) -> None:
    # Doc 6 has both words, not side by side: the words match, the phrase does not.
    assert exact(index, '"climate change"') == {2}
    assert exact(index, '"change climate"') == set()
    assert exact(index, '"the army marched"') == {1}
    assert exact(index, '"army the marched"') == set()
    assert exact(index, '"change is slow" militia') == {4}


def test_or(index: SearchIndex) -> None:
    assert exact(index, "vienna OR bonn") == {2, 3}
    assert exact(index, "vienna OR bonn OR valley") == {2, 3, 6}
    assert exact(index, "change vienna OR bonn") == {2, 3}
    assert exact(index, '"climate change" OR militia') == {2, 4}
    # lower-case "or" is a plain word
    assert exact(index, "vienna or bonn") == set()


def test_exclusion(index: SearchIndex) -> None:
    assert exact(index, "change -climate") == {3, 4, 5}
    assert exact(index, 'change -"climate change"') == {3, 4, 5, 6}
    assert exact(index, "-climate -change") == {1}
    assert exact(index, "change -tag:history") == {2, 3, 5, 6}


def test_tag(index: SearchIndex) -> None:
    assert ids(index, "tag:history") == {4}  # not "military history": tags are whole
    assert ids(index, 'tag:"military history"') == {1}
    assert ids(index, "tag:FRANCE") == {1}
    assert ids(index, 'tag:"climate change"') == {2}
    assert ids(index, "tag:history OR tag:travel") == {3, 4}
    assert ids(index, "change tag:history") == {4}
    assert ids(index, "tag:nothing") == set()


def test_site_matches_name_or_host(index: SearchIndex) -> None:
    assert ids(index, "site:lemonde.fr") == {1}
    assert ids(index, "site:www.lemonde.fr") == {1}
    assert ids(index, "site:https://www.LeMonde.fr/page") == {1}
    assert ids(index, 'site:"le monde"') == {1}
    assert ids(index, "site:EXAMPLE.COM") == {3, 4}
    assert ids(index, "site:news.example.com") == {4}
    assert ids(index, "site:theguardian.com") == {2}
    assert ids(index, "site:example") == set()


def test_author(index: SearchIndex) -> None:
    assert ids(index, "author:smith") == {2}
    assert ids(index, 'author:"jeanne dupont"') == {1}
    assert ids(index, 'author:"dupont jeanne"') == set()


def test_dates_fall_back_to_clipped(index: SearchIndex) -> None:
    # published: 1=2023-07-14, 2=2024-01-31, 4=2019-05-01, 6=2025-02-02;
    # clipped only: 3=2022-03-05, 5=2024-06-01.
    assert ids(index, "before:2024") == {1, 3, 4}
    assert ids(index, "after:2024") == {2, 5, 6}
    assert ids(index, "after:2023 before:2024") == {1}
    assert ids(index, "before:2024-01-31") == {1, 3, 4}
    assert ids(index, "after:2024-01-31 before:2024-02-01") == {2}
    assert ids(index, "after:2024-02") == {5, 6}
    assert ids(index, "before:2022-03") == {4}
    assert ids(index, "change after:2024") == {2, 5, 6}


def test_has_note_and_note(index: SearchIndex) -> None:
    assert ids(index, "has:note") == {1, 5}
    assert exact(index, "note:change") == {5}
    assert exact(index, 'note:"great photos"') == {1}
    assert exact(index, 'note:"photos great"') == set()


def test_prefix_on_the_last_word(index: SearchIndex) -> None:
    assert ids(index, "milit") == {1, 4}  # military, militia
    assert ids(index, "mil") == {1, 4}
    assert ids(index, "militar") == {1}  # 6+ letters: Prefix query
    assert ids(index, "milit parade") == set()  # only the last word is a prefix
    assert ids(index, "parade milit") == {1}
    assert ids(index, "milit ") == set()  # a finished word is exact
    assert exact(index, "milit") == set()
    assert ids(index, "chan") == {2, 3, 4, 5, 6}
    assert ids(index, "mi") == set()  # two letters: exact only


def test_searchable_parts_and_where(index: SearchIndex) -> None:
    where = {h.id: h.where for h in index.search("change", prefix_last=False, limit=50).hits}
    assert where[2] == ("title", "text", "tag")
    assert where[5] == ("note",)
    assert where[3] == ("text",)
    reuters = index.search("reuters", prefix_last=False)
    assert [(h.id, h.where) for h in reuters.hits] == [(1, ("caption",))]
    photos = index.search("photos", prefix_last=False)
    assert [(h.id, h.where) for h in photos.hits] == [(1, ("note",))]
    assert index.search("travel", prefix_last=False).hits[0].where == ("tag",)
    assert index.search("tag:travel").hits[0].where == ("tag",)
    milit = {h.id: h.where for h in index.search("milit").hits}
    assert milit == {1: ("title", "tag"), 4: ("title", "text")}
    phrase = index.search('"climate change"').hits
    assert phrase[0].where == ("title", "text", "tag")
    either = {h.id: h.where for h in index.search("vienna OR reuters", prefix_last=False).hits}
    assert either == {1: ("caption",), 3: ("title",)}
    assert index.search('"more salt"').hits[0].where == ("note",)


def test_terms_for_highlighting(index: SearchIndex) -> None:
    result = index.search('"climate change" -bonn cafe milit')
    assert result.terms == ("climate change", "cafe", "milit*")


def test_filters_alone_sort_newest_first(index: SearchIndex) -> None:
    result = index.search("site:example.com")
    assert [h.id for h in result.hits] == [3, 4]  # 2022 before 2019


def test_restrict_ids_and_paging(index: SearchIndex) -> None:
    assert ids(index, "change", restrict_ids={2, 5, 99}) == {2, 5}
    assert ids(index, "tag:history", restrict_ids=[1]) == set()
    assert ids(index, "change", restrict_ids=()) == set()
    full = index.search("chan", limit=10)
    page1 = index.search("chan", limit=2)
    page2 = index.search("chan", limit=2, offset=2)
    assert full.total == page1.total == page2.total == 5
    assert [h.id for h in page1.hits + page2.hits] == [h.id for h in full.hits[:4]]


@pytest.mark.parametrize(
    "query",
    [
        'climate "change',
        "tag:",
        "OR climate",
        "climate OR",
        "- climate",
        "(climate)",
        "before:2024-13-45",
        "after:someday",
        "has:pictures",
        "site:",
        '"',
        "OR",
        "--climate",
    ],
)
def test_malformed_queries_fall_back_to_words(index: SearchIndex, query: str) -> None:
    result = index.search(query)
    assert result.total == len(result.hits)


def test_malformed_examples(index: SearchIndex) -> None:
    assert exact(index, 'climate "change') == {2, 6}
    assert exact(index, "(climate)") == {2, 6}
    assert exact(index, "- climate") == {2, 6}
    assert index.search("before:2024-13-45").warnings
    assert exact(index, "climate OR") == set()  # "or" searched as a word
    assert index.search("climate OR").warnings
    assert index.search("").total == 0
    assert index.search("   ").hits == ()
