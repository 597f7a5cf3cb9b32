"""Snippets: the window, the marks, and matching exactly as the index does."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from clipper.search.snippet import (
    _candidate_spans,
    _first_match,
    _irregular,
    _Matcher,
    _spans,
    make_snippet,
)

TEXT = (
    "Intro sentence without anything. "
    * 20
    + "The Café Society met. Co-operation between military leaders was the climate "
    "change topic, said Militaries. " + "Tail words follow here. " * 30
)


def test_marks_words_accents_compounds_and_prefixes() -> None:
    snippet = make_snippet(TEXT, ["cafe", "cooperation", "milit*", "climate change"])
    assert "[[Café]]" in snippet
    assert "[[Co-operation]]" in snippet
    assert "[[military]]" in snippet
    assert "[[Militaries]]" in snippet
    assert "[[climate change]]" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet.replace("[[", "").replace("]]", "")) <= 240 + 2


def test_whole_words_only_unless_prefix() -> None:
    assert "[[" not in make_snippet("The militia marched.", ["milit"])
    assert make_snippet("The militia marched.", ["milit*"]) == "The [[militia]] marched."
    assert make_snippet("Cooperation.", ["operation"]) == "Cooperation."


def test_phrase_marks_only_words_in_sequence() -> None:
    text = "The climate is warm. Change comes. Then climate change arrived."
    assert make_snippet(text, ["climate change"]) == (
        "The climate is warm. Change comes. Then [[climate change]] arrived."
    )
    assert "[[" not in make_snippet(text, ["change climate"])
    across_lines = make_snippet("Climate\n\nchange", ["climate change"])
    assert across_lines == "[[Climate change]]"


def test_window_starts_near_the_first_match() -> None:
    text = "word " * 500 + "needle " + "word " * 500
    snippet = make_snippet(text, ["needle"], width=100)
    assert "[[needle]]" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) <= 102


def test_no_match_shows_the_start() -> None:
    assert make_snippet("Short text here.", ["absent"]) == "Short text here."
    assert make_snippet("Short text here.", []) == "Short text here."
    long = "alpha " * 100
    assert make_snippet(long, ["absent"], width=50).endswith("…")
    assert make_snippet("", ["x"]) == ""


def test_case_insensitive_and_uppercase_accents() -> None:
    assert make_snippet("ÉLYSÉES and élysées", ["elysees"]) == "[[ÉLYSÉES]] and [[élysées]]"
    assert make_snippet("Straße", ["strasse"]) == "[[Straße]]"
    assert make_snippet("un cafe\u0301 noir", ["cafe"]) == "un [[cafe\u0301]] noir"


def test_whitespace_is_collapsed() -> None:
    assert make_snippet("a\n\n  b\tneedle", ["needle"]) == "a b [[needle]]"


_ALPHABET = [
    *"ab cé-'’\u2010_9.\nßCOÉ",
    *("co-op", "Café", "milit", "Climate change", " the "),
    *("Ąb", "Łódź", "Σοφία", "Ḁ"),  # letters past Latin-1: the wide candidate regex
    *("co-operation", "Cooper’ation", "coope-ration"),  # joiners before and after 4 letters
    *("Øre", "ÿes", "µ", "?", "中", "中-coop", "“Café”"),  # the byte-level scan: "?" stands
]  # for any character past Latin-1, Latin-1 letters fold to one byte


@settings(max_examples=600, deadline=None)
@example(text="x a b", terms=["b", "a b"])  # the phrase starts before the word's match
@example(text="é-Climate change", terms=["climate change", "e"])  # a phrase inside a compound
@given(
    text=st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join),
    terms=st.lists(
        st.sampled_from(
            [
                "cafe",
                "coop",
                "co",
                "op",
                "milit*",
                "ca*",
                "climate change",
                "the a",
                "b",
                "e",
                "ss",
                "a9",
                "cafe op",
                "łodz",
                "cooperation",
                "cooperation*",
                "ation",
                "σοφια",
                "ab*",
                "b",
                "a b",
                "cé co",
                "øre",
                "yes",
                "µ",
                "中",
                "中 coop",
            ]
        ),
        max_size=3,
    ),
)
def test_candidate_scan_marks_exactly_what_a_full_scan_marks(text: str, terms: list[str]) -> None:
    """The fast path (only chunks the candidate regex points at) equals the word-by-word
    scan of the whole text."""
    matcher = _Matcher.from_terms(terms)
    full = _spans(text, matcher, 0, len(text))
    assert _candidate_spans(text, matcher, 0, len(text)) == full
    if not _irregular().search(text):  # there the first match may be a later one
        assert _first_match(text, matcher) == (full[0][0] if full else None)
