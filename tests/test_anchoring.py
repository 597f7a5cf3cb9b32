"""Re-anchoring passages in changed texts: every outcome, and describe/anchor round trips."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clipper.anchoring import (
    Anchor,
    TextPositionSelector,
    TextQuoteSelector,
    anchor,
    describe,
    find_quote,
)

ARTICLE = (
    "Morocco says it will boost military ties with Israel\n\n"
    "Morocco's army said Tuesday it had agreed with Israel to strengthen military "
    "cooperation including in intelligence and cybersecurity, following defense meetings "
    "in Rabat.\n\n"
    "The two countries agreed to further strengthen cooperation and expand it to other "
    "areas, including in intelligence, air defense and electronic warfare, the Royal "
    "Moroccan Armed Forces said in a statement.\n\n"
    "The announcement on Tuesday followed the first meeting of the monitoring committee "
    "for Moroccan-Israeli defense cooperation in the Moroccan capital.\n\n"
    "The two countries formalized ties in 2020, following similar agreements between "
    "Israel and the United Arab Emirates and Bahrain. The agreements were brokered by the "
    "Trump administration and are together known as the Abraham Accords."
)
PASSAGE = "the first meeting of the monitoring committee for Moroccan-Israeli defense cooperation"


def selectors(text: str, passage: str) -> tuple[TextQuoteSelector, TextPositionSelector]:
    start = text.index(passage)
    return describe(text, start, start + len(passage))


def span(text: str, found: Anchor) -> str:
    assert found.start is not None
    assert found.end is not None
    return text[found.start : found.end]


# --- selectors ---------------------------------------------------------------------------


def test_describe_takes_context_on_both_sides() -> None:
    quote, position = selectors(ARTICLE, PASSAGE)
    assert quote.exact == PASSAGE
    assert quote.prefix == ARTICLE[position.start - 32 : position.start]
    assert quote.suffix == ARTICLE[position.end : position.end + 32]
    assert ARTICLE[position.start : position.end] == PASSAGE


def test_describe_at_the_edges_and_invalid_ranges() -> None:
    quote, _ = describe("short text", 0, 5)
    assert (quote.prefix, quote.exact, quote.suffix) == ("", "short", " text")
    with pytest.raises(ValueError):
        describe("short", 3, 2)
    with pytest.raises(ValueError):
        describe("short", 0, 6)


def test_selectors_round_trip_through_w3c_json() -> None:
    quote, position = selectors(ARTICLE, PASSAGE)
    data = quote.to_json()
    assert data["type"] == "TextQuoteSelector"
    assert set(data) == {"type", "exact", "prefix", "suffix"}
    assert TextQuoteSelector.from_json(data) == quote
    assert position.to_json() == {
        "type": "TextPositionSelector",
        "start": position.start,
        "end": position.end,
    }
    assert TextPositionSelector.from_json(position.to_json()) == position
    assert TextQuoteSelector.from_json({"type": "TextQuoteSelector", "exact": "x"}).prefix == ""
    with pytest.raises(ValueError):
        TextQuoteSelector.from_json(position.to_json())


# --- outcomes ----------------------------------------------------------------------------


def test_unchanged_text_anchors_at_the_position() -> None:
    quote, position = selectors(ARTICLE, PASSAGE)
    found = anchor(ARTICLE, quote, position)
    assert found == Anchor(position.start, position.end, "anchored", "position", 1.0)


def test_paragraph_inserted_before_moves_the_passage() -> None:
    quote, position = selectors(ARTICLE, PASSAGE)
    first_break = ARTICLE.index("\n\n") + 2
    inserted = "An editor's note was added here, long after publication.\n\n"
    new = ARTICLE[:first_break] + inserted + ARTICLE[first_break:]
    found = anchor(new, quote, position)
    assert found.state == "moved"
    assert found.method == "quote"
    assert span(new, found) == PASSAGE
    assert found.start == position.start + len(inserted)


def test_without_a_position_the_quote_is_found() -> None:
    quote, _ = selectors(ARTICLE, PASSAGE)
    found = anchor(ARTICLE, quote, None)
    assert span(ARTICLE, found) == PASSAGE
    assert found.state == "moved"


def test_edited_nearby_and_inside_is_found_approximately() -> None:
    quote, position = selectors(ARTICLE, PASSAGE)
    new = (
        ARTICLE.replace("The announcement on Tuesday followed", "Tuesday's announcement came after")
        .replace("in the Moroccan capital", "held in Rabat")
        .replace("monitoring committee", "oversight committee")
    )
    found = anchor(new, quote, position)
    assert found.state == "moved"
    assert found.method == "fuzzy"
    assert 0.8 <= found.score < 1.0
    assert span(new, found) == (
        "the first meeting of the oversight committee for Moroccan-Israeli defense cooperation"
    )


def test_a_word_changed_at_the_start_of_the_quote_keeps_whole_words() -> None:
    quote, position = selectors(ARTICLE, PASSAGE)
    new = ARTICLE.replace("followed the first meeting", "followed an initial meeting")
    found = anchor(new, quote, position)
    assert found.method == "fuzzy"
    assert span(new, found).endswith(
        "meeting of the monitoring committee for Moroccan-Israeli defense cooperation"
    )
    assert span(new, found).startswith(("an initial", "initial"))


def test_repeated_quote_is_chosen_by_its_context() -> None:
    text = (
        "In January the minister said the plan would work.\n\n"
        "In March the opposition said the plan would work, if funded.\n\n"
        "By June even the unions said the plan would work.\n\n"
        "Nobody else agreed."
    )
    second = text.index("said the plan would work", text.index("March"))
    quote, position = describe(text, second, second + len("said the plan would work"))
    new = "A short introduction.\n\n" + text.replace("In January", "Early in January")
    found = anchor(new, quote, position)
    march = new.index("said the plan would work", new.index("March"))
    assert (found.start, found.state, found.method) == (march, "moved", "context")
    assert find_quote(new, "said the plan would work") == [
        (i, i + len("said the plan would work"))
        for i in (new.index("said the"), march, new.index("said the", new.index("June")))
    ]
    assert find_quote(new, "said the plan would work", prefix="the opposition") == [
        (march, march + len("said the plan would work"))
    ]
    assert find_quote(new, "said the plan would work", suffix=", if funded") == [
        (march, march + len("said the plan would work"))
    ]


def test_repeated_quote_prefers_the_old_position_among_equals() -> None:
    text = "ab ab ab ab ab ab"
    quote, position = describe(text, 6, 8, context=0)
    assert anchor(text, quote, position) == Anchor(6, 8, "anchored", "position", 1.0)
    found = anchor("x" + text, quote, position)
    assert (found.start, found.state) == (7, "moved")


def test_a_coincidental_exact_match_at_the_old_position_yields_to_the_right_context() -> None:
    text = "red apple, green pear. blue apple, white pear."
    start = text.index("apple", 20)
    quote, position = describe(text, start, start + 5, context=8)
    new = "blue apple, white pear. XXXXXXXXXX apple, green pear."
    assert new[position.start : position.end] != "apple"
    assert span(new, anchor(new, quote, position)) == "apple"
    assert anchor(new, quote, position).start == new.index("apple")


def test_deleted_passage_is_orphaned() -> None:
    quote, position = selectors(ARTICLE, PASSAGE)
    start = ARTICLE.index("The announcement")
    end = ARTICLE.index("The two countries formalized")
    new = ARTICLE[:start] + ARTICLE[end:]
    found = anchor(new, quote, position)
    assert found.state == "orphaned"
    assert (found.start, found.end, found.method) == (None, None, "none")
    assert found.score < 0.8


def test_short_quote_that_vanished_is_orphaned() -> None:
    quote, position = selectors(ARTICLE, "Rabat")
    new = ARTICLE.replace("Rabat", "the capital")
    assert anchor(new, quote, position).state == "orphaned"


def test_whitespace_changes_do_not_orphan() -> None:
    passage = "first meeting of the monitoring committee"
    quote, position = selectors(ARTICLE, passage)
    new = ARTICLE.replace("the first meeting of the", "the  first\nmeeting of\tthe").replace(
        "\n\n", "\n"
    )
    found = anchor(new, quote, position)
    assert found.state == "moved"
    assert found.method == "quote"
    assert span(new, found) == "first\nmeeting of\tthe monitoring committee"


def test_quote_spanning_paragraphs_survives_joined_lines() -> None:
    passage = "in Rabat.\n\nThe two countries agreed"
    quote, position = selectors(ARTICLE, passage)
    new = ARTICLE.replace("\n\n", " ")
    found = anchor(new, quote, position)
    assert span(new, found) == "in Rabat. The two countries agreed"
    assert found.method == "quote"


def test_typographic_quotes_and_dashes_do_not_orphan() -> None:
    passage = "Morocco's army said Tuesday"
    quote, position = selectors(ARTICLE, passage)
    new = "Intro.\n\n" + ARTICLE.replace("Morocco's army", "Morocco\u2019s army")
    found = anchor(new, quote, position)
    assert span(new, found) == "Morocco\u2019s army said Tuesday"
    assert found.state == "moved"


def test_same_offsets_after_a_whitespace_change_count_as_anchored() -> None:
    passage = "the first meeting\nof the monitoring"
    text = ARTICLE.replace("the first meeting of the monitoring", passage)
    quote, position = selectors(text, passage)
    new = text.replace(passage, passage.replace("\n", " "))
    found = anchor(new, quote, position)
    assert (found.start, found.end, found.state) == (position.start, position.end, "anchored")


def test_find_quote_ignores_whitespace_and_typography() -> None:
    text = "He said \u201cno\u201d \u2014 twice.\n\nThen  he left."
    assert find_quote(text, 'said "no" - twice. Then he') == [(3, text.index("he left") + 2)]
    assert find_quote(text, "nowhere") == []
    assert find_quote(text, "he", prefix="Then") == [
        (text.index("he left"), text.index("he left") + 2)
    ]
    assert find_quote(text, "he", prefix="xyz") == []


def test_empty_quote() -> None:
    quote, position = describe(ARTICLE, 10, 10)
    assert anchor(ARTICLE, quote, position).state == "anchored"
    assert anchor(ARTICLE, quote, None).state == "orphaned"
    assert find_quote(ARTICLE, "  ") == []


def test_position_outside_the_new_text_falls_back_to_the_quote() -> None:
    quote = TextQuoteSelector("Abraham Accords", "known as the ", ".")
    found = anchor(ARTICLE, quote, TextPositionSelector(10_000, 10_015))
    assert span(ARTICLE, found) == "Abraham Accords"


def test_threshold_decides_between_fuzzy_and_orphaned() -> None:
    quote, position = selectors(ARTICLE, PASSAGE)
    new = ARTICLE.replace("monitoring committee", "oversight committee")
    assert anchor(new, quote, position).method == "fuzzy"
    assert anchor(new, quote, position, threshold=0.99).state == "orphaned"


# --- size --------------------------------------------------------------------------------


def _long_text(words: int, seed: int) -> str:
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(3000)]
    vocabulary += ["the", "of", "and", "to", "a", "in", "is", "that", "for", "it"]
    paragraphs = []
    for _ in range(words // 60):
        paragraphs.append(" ".join(rng.choice(vocabulary) for _ in range(60)))
    return "\n\n".join(paragraphs)


def test_fuzzy_search_is_fast_on_a_50kb_text() -> None:
    text = _long_text(9000, seed=3)
    assert len(text) > 50_000
    middle = len(text) // 2
    quote, position = describe(text, middle, middle + 400)
    edited = text[:middle] + "Inserted words here. " + text[middle : middle + 200]
    edited += "CHANGED" + text[middle + 207 :]
    edited = "A new first paragraph.\n\n" + edited
    started = time.perf_counter()
    found = anchor(edited, quote, position)
    assert found.method == "fuzzy"
    assert found.start is not None
    assert abs(found.start - (middle + 24 + 21)) <= 3
    missing = TextQuoteSelector("zebra " * 200, "", "")
    assert anchor(edited, missing, None).state == "orphaned"
    assert time.perf_counter() - started < 1.0


# --- properties --------------------------------------------------------------------------

texts = st.text(alphabet=st.sampled_from("ab \n.\u2019\u00a0"), min_size=1, max_size=80) | st.text(
    min_size=1, max_size=200
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), text=texts, context=st.integers(min_value=0, max_value=40))
def test_describe_then_anchor_gives_back_the_same_span(
    data: st.DataObject, text: str, context: int
) -> None:
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=len(text)))
    quote, position = describe(text, start, end, context=context)
    found = anchor(text, quote, position)
    assert (found.start, found.end, found.state, found.method) == (
        start,
        end,
        "anchored",
        "position",
    )


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=texts,
    exact=texts,
    prefix=st.text(max_size=40),
    suffix=st.text(max_size=40),
    start=st.integers(min_value=-5, max_value=250),
    end=st.integers(min_value=-5, max_value=250),
    threshold=st.floats(min_value=0.0, max_value=1.0),
)
def test_anchor_never_fails_and_returns_valid_spans(
    text: str, exact: str, prefix: str, suffix: str, start: int, end: int, threshold: float
) -> None:
    quote = TextQuoteSelector(exact, prefix, suffix)
    found = anchor(text, quote, TextPositionSelector(start, end), threshold=threshold)
    assert 0.0 <= found.score <= 1.0
    if found.state == "orphaned":
        assert (found.start, found.end, found.method) == (None, None, "none")
    else:
        assert found.start is not None
        assert found.end is not None
        assert 0 <= found.start <= found.end <= len(text)
    for span_start, span_end in find_quote(text, exact, prefix, suffix):
        assert 0 <= span_start < span_end <= len(text)


@settings(max_examples=200)
@given(
    before=st.text(min_size=0, max_size=60),
    passage=st.text(alphabet=st.characters(categories=("L", "N")), min_size=6, max_size=40),
    after=st.text(min_size=0, max_size=60),
    inserted=st.text(min_size=1, max_size=40),
)
def test_text_inserted_before_never_loses_a_unique_passage(
    before: str, passage: str, after: str, inserted: str
) -> None:
    text = before + passage + after
    new = inserted + text
    if new.count(passage) != 1:
        return
    quote, position = describe(text, len(before), len(before) + len(passage))
    found = anchor(new, quote, position)
    assert found.state in ("anchored", "moved")
    assert span(new, found) == passage
