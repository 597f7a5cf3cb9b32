"""Word-level diffs between versions: readable runs, exact reconstruction, renderers."""

from __future__ import annotations

import itertools
import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from clipper.textdiff import DiffOp, render_html, render_terminal, summary, tokenize, word_diff

OLD = "Morocco's army said Tuesday it had agreed with Israel to strengthen cooperation."
NEW = "Morocco's army said on Wednesday it had agreed with Israel to expand cooperation."


def test_tokens_keep_words_whole_and_lose_nothing() -> None:
    text = "It isn't over — 3 days,\n\nsaid O’Brien."
    tokens = tokenize(text)
    assert "".join(tokens) == text
    assert "isn't" in tokens
    assert "O’Brien" in tokens
    assert "\n\n" in tokens


def test_changed_words_are_shown_whole() -> None:
    ops = word_diff(OLD, NEW)
    assert render_terminal(ops, color=False) == (
        "Morocco's army said [-Tuesday-]{+on Wednesday+} it had agreed with Israel to "
        "[-strengthen-]{+expand+} cooperation."
    )


def test_changes_separated_by_spaces_are_one_place() -> None:
    ops = word_diff("the old cat sat on the mat.", "a new dog sat on the mat!")
    assert ops == [
        ("delete", "the old cat"),
        ("insert", "a new dog"),
        ("equal", " sat on the mat"),
        ("delete", "."),
        ("insert", "!"),
    ]
    assert summary(ops) == "3 words removed, 3 added in 2 places"


def test_a_lone_insertion_starts_at_a_word() -> None:
    assert render_terminal(word_diff("it agreed", "it had agreed"), False) == "it {+had +}agreed"
    assert render_terminal(word_diff("it had agreed", "it agreed"), False) == "it [-had -]agreed"


def test_identical_and_empty_texts() -> None:
    assert word_diff(OLD, OLD) == [("equal", OLD)]
    assert word_diff("", "") == []
    assert word_diff("", "new words") == [("insert", "new words")]
    assert word_diff("old words", "") == [("delete", "old words")]
    assert summary(word_diff(OLD, OLD)) == "no changes"


def test_paragraphs_added_and_removed() -> None:
    old = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."
    new = "First paragraph.\n\nThird paragraph.\n\nA new closing paragraph here."
    ops = word_diff(old, new)
    assert "".join(t for k, t in ops if k != "insert") == old
    assert "".join(t for k, t in ops if k != "delete") == new
    assert summary(ops) == "2 words removed, 5 added in 2 places"


def test_render_terminal_with_color() -> None:
    rendered = render_terminal([("equal", "a "), ("delete", "b"), ("insert", "c")], color=True)
    assert rendered == "a \x1b[31mb\x1b[0m\x1b[32mc\x1b[0m"


def test_render_html_escapes_everything() -> None:
    ops = word_diff("x < y & <b>bold</b>", "x > y & <i>it</i>")
    rendered = render_html(ops)
    assert "<b>" not in rendered
    assert "<i>" not in rendered
    assert "&lt;" in rendered
    assert "&amp;" in rendered
    assert rendered.count("<del>") == rendered.count("</del>") >= 1
    assert rendered.count("<ins>") == rendered.count("</ins>") >= 1
    assert render_html([("equal", "a"), ("delete", "b"), ("insert", "c")]) == (
        "a<del>b</del><ins>c</ins>"
    )


def test_summary_wording() -> None:
    assert summary([("equal", "a "), ("delete", "b c")]) == "2 words removed in 1 place"
    assert summary([("insert", "one")]) == "1 word added in 1 place"
    assert summary([("delete", "one"), ("insert", "two three")]) == (
        "1 word removed, 2 added in 1 place"
    )
    assert summary([("delete", ","), ("insert", ";")]) == (
        "punctuation or spacing changed in 1 place"
    )
    ops: list[DiffOp] = [
        ("delete", "a b c"),
        ("equal", " x "),
        ("insert", "d e f g h i j k l m n o"),
    ]
    assert summary(ops) == "3 words removed, 12 added in 2 places"


def _article(seed: int, words: int) -> str:
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(2000)] + [
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "is",
        "that",
    ]
    paragraphs = [
        " ".join(rng.choice(vocabulary) for _ in range(60)) + "." for _ in range(words // 60)
    ]
    return "\n\n".join(paragraphs)


def test_a_few_edits_in_a_50kb_text_are_fast() -> None:
    old = _article(1, 10000)
    assert len(old) > 50_000
    new = old[:5000] + " Some new words." + old[5000:30000] + old[30500:]
    started = time.perf_counter()
    ops = word_diff(old, new)
    assert time.perf_counter() - started < 1.0
    assert "".join(t for k, t in ops if k != "insert") == old
    assert "".join(t for k, t in ops if k != "delete") == new
    assert sum(1 for kind, _ in ops if kind == "equal") <= 3


def test_completely_different_long_texts_do_not_hang() -> None:
    old, new = _article(1, 6000), _article(2, 6000).replace("\n\n", " ")
    started = time.perf_counter()
    ops = word_diff(old, new)
    assert time.perf_counter() - started < 5.0
    assert "".join(t for k, t in ops if k != "delete") == new


texts = st.text(alphabet=st.sampled_from("ab c.\n’'"), max_size=40) | st.text(max_size=60)


@settings(max_examples=300)
@given(old=texts, new=texts)
def test_ops_rebuild_both_texts_and_are_well_formed(old: str, new: str) -> None:
    ops = word_diff(old, new)
    assert "".join(t for k, t in ops if k != "insert") == old
    assert "".join(t for k, t in ops if k != "delete") == new
    assert all(text for _, text in ops)
    for (kind, _), (next_kind, _) in itertools.pairwise(ops):
        assert kind != next_kind
        assert (kind, next_kind) != ("insert", "delete")
