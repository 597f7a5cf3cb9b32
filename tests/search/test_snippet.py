"""Snippets: the window, the marks, and matching exactly as the index does."""

from __future__ import annotations

from clipper.search.snippet import make_snippet

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
