"""Passages through the library: stored selectors, re-anchoring on a new version
(every outcome), editing, undoable delete, search in notes."""

from __future__ import annotations

import pytest

from clipper.errors import LibraryError
from clipper.library import Library
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite

URL = "/story.html"


def publish(site: FixtureSite, paragraphs: list[str]) -> None:
    site.pages[URL] = article_page(
        "Harbour plan vote", paragraphs, canonical="https://daily.test/h"
    )


def reclip(library: Library, site: FixtureSite, paragraphs: list[str]) -> dict[int, str]:
    publish(site, paragraphs)
    result = library.clips.clip_url(site.url(URL)).result
    assert result.status == "updated"
    return dict(result.reanchored)


@pytest.fixture
def clip_id(library: Library, site: FixtureSite) -> int:
    publish(site, LOREM)
    return library.clips.clip_url(site.url(URL)).result.clip_id


def test_passage_stores_both_selectors(library: Library, clip_id: int) -> None:
    info = library.passages.add_quote(
        clip_id, "historic warehouses", note="Key point", tags=["Heritage"]
    ).result
    text = library.clips.get(clip_id).text
    assert text[info.start : info.end] == "historic warehouses"
    assert text[: info.start].endswith(info.prefix) and text[info.end :].startswith(info.suffix)
    assert (info.state, info.note, info.tags) == ("anchored", "Key point", ("Heritage",))


def test_unchanged_passage_stays_anchored(
    library: Library, site: FixtureSite, clip_id: int
) -> None:
    info = library.passages.add_quote(clip_id, "historic warehouses").result
    states = reclip(library, site, [*LOREM, "A new closing paragraph was added later."])
    assert states == {info.id: "anchored"}
    after = library.passages.find(clip_id)[0]
    assert (after.start, after.end) == (info.start, info.end)


def test_moved_passage(library: Library, site: FixtureSite, clip_id: int) -> None:
    info = library.passages.add_quote(clip_id, "historic warehouses").result
    states = reclip(library, site, ["Editor's note: this story was updated on Friday.", *LOREM])
    assert states == {info.id: "moved"}
    after = library.passages.find(clip_id)[0]
    assert library.clips.get(clip_id).text[after.start : after.end] == "historic warehouses"
    assert after.start > info.start


def test_edited_nearby_passage_is_found_fuzzily(
    library: Library, site: FixtureSite, clip_id: int
) -> None:
    quote = "the chair asked engineers to present a revised plan that keeps the historic warehouses"
    info = library.passages.add_quote(clip_id, quote, note="Revised plan").result
    edited = [
        LOREM[0],
        "According to the published minutes, the chair asked the engineers to present a revised "
        "plan which keeps the historic warehouses and adds a protected cycle lane along the quay.",
        *LOREM[2:],
    ]
    states = reclip(library, site, edited)
    assert states == {info.id: "changed"}
    after = library.passages.find(clip_id)[0]
    assert after.exact == quote  # the researcher's quote is never rewritten
    assert "revised plan which keeps the historic warehouses" in after.current_exact
    assert after.current_text == after.current_exact
    assert library.clips.get(clip_id).text[after.start : after.end] == after.current_exact
    assert after.note == "Revised plan"


def test_reworded_quote_keeps_the_original_and_reports_text_changed(
    library: Library, site: FixtureSite
) -> None:
    """The issue's case: 10 percent -> 8 percent, "Carmen Ruiz, 67" -> "68"."""
    first = [
        "The reservoir fell below 10 percent of its capacity in August, officials said.",
        "“We have never seen it this low,” said Carmen Ruiz, 67, who farms nearby.",
        "Rationing starts on Monday for the whole valley and its farms.",
    ]
    publish(site, first)
    clip_id = library.clips.clip_url(site.url(URL)).result.clip_id
    v1 = library.clips.get(clip_id).version_id
    level = library.passages.add_quote(clip_id, "fell below 10 percent of its capacity").result
    person = library.passages.add_quote(clip_id, "Carmen Ruiz, 67").result
    second = [first[0].replace("10 percent", "8 percent"), first[1].replace("67", "68"), first[2]]
    states = reclip(library, site, second)
    assert states == {level.id: "changed", person.id: "changed"}
    after = {a.id: a for a in library.passages.find(clip_id)}
    assert after[level.id].exact == "fell below 10 percent of its capacity"
    assert after[level.id].current_exact == "fell below 8 percent of its capacity"
    assert after[person.id].exact == "Carmen Ruiz, 67"
    assert after[person.id].current_exact == "Carmen Ruiz, 68"
    # The quote says which version it comes from; the position is on the new one.
    assert after[level.id].quote_version_id == v1
    assert after[level.id].quote_fetched_at is not None
    assert after[level.id].version_id == library.clips.get(clip_id).version_id != v1
    # A third version that restores the words: the passage is plain "anchored" again.
    states = reclip(library, site, first)
    assert states[level.id] in ("anchored", "moved")
    again = {a.id: a for a in library.passages.find(clip_id)}
    assert again[level.id].current_exact == "" and again[level.id].state != "changed"
    assert again[level.id].exact == "fell below 10 percent of its capacity"


def test_repeated_quote_is_chosen_by_context(library: Library, site: FixtureSite) -> None:
    paragraphs = [
        "The mayor said the vote would happen. Critics were not convinced at all.",
        "The council said the vote would happen. Supporters welcomed the decision.",
        "The union said the vote would happen. Nobody knows when, though.",
    ]
    publish(site, paragraphs)
    clip_id = library.clips.clip_url(site.url(URL)).result.clip_id
    info = library.passages.add_quote(
        clip_id, "said the vote would happen", prefix="The council "
    ).result
    states = reclip(library, site, ["A new first paragraph.", *paragraphs])
    assert states == {info.id: "moved"}
    after = library.passages.find(clip_id)[0]
    text = library.clips.get(clip_id).text
    assert text[after.start - len("The council ") : after.start] == "The council "


def test_deleted_passage_is_orphaned_not_lost(
    library: Library, site: FixtureSite, clip_id: int
) -> None:
    info = library.passages.add_quote(
        clip_id, "underestimated the work needed to stabilise the old sea wall", note="Cost risk"
    ).result
    states = reclip(library, site, [LOREM[0], LOREM[1], LOREM[3]])
    assert states == {info.id: "orphaned"}
    after = library.passages.find(clip_id)[0]
    assert after.state == "orphaned" and after.start is None
    assert after.exact.endswith("old sea wall") and after.note == "Cost risk"


def test_ambiguous_or_missing_quote_is_a_clear_error(library: Library, site: FixtureSite) -> None:
    publish(site, ["Same words here. And Same words here again, with more words after."])
    clip_id = library.clips.clip_url(site.url(URL)).result.clip_id
    with pytest.raises(LibraryError, match="occurs 2 times"):
        library.passages.add_quote(clip_id, "Same words here")
    with pytest.raises(LibraryError, match="is not in the clip"):
        library.passages.add_quote(clip_id, "words that never appear")


def test_edit_delete_undo_and_search(library: Library, clip_id: int) -> None:
    info = library.passages.add_quote(clip_id, "protected cycle lane", note="bicycles").result
    assert [h.clip.id for h in library.search("note:bicycles").hits] == [clip_id]
    assert "note" in library.search("bicycles").hits[0].where
    assert [h.clip.id for h in library.search("has:note").hits] == [clip_id]
    library.passages.update(
        info.id, note="cycling infrastructure", tags=["Transport"], color="green"
    )
    assert not library.search("note:bicycles").hits
    assert [h.clip.id for h in library.search("tag:transport").hits] == [clip_id]
    assert [a.id for a in library.passages.find(tag="transport")] == [info.id]
    removed = library.passages.delete(info.id).result
    assert library.passages.find(clip_id) == []
    assert not library.search("has:note").hits
    restored = library.passages.restore(removed).result
    assert (restored.exact, restored.note, restored.color) == (
        "protected cycle lane",
        "cycling infrastructure",
        "green",
    )


def test_bad_colour_is_refused(library: Library, clip_id: int) -> None:
    with pytest.raises(LibraryError, match="unknown colour"):
        library.passages.add_quote(clip_id, "protected cycle lane", color="octarine")


def test_reextract_makes_a_version_and_reanchors(library: Library, site: FixtureSite) -> None:
    """A clip stored by an older, sloppier extractor (kept a registration prompt) is
    re-extracted offline from its stored page: new version, passage moved onto it."""
    from dataclasses import replace

    from clipper.article import Block
    from clipper.capture.fetch import Fetcher
    from clipper.capture.pipeline import capture_url

    with Fetcher() as fetcher:
        capture = capture_url(site.url("/seed-news.html"), fetcher)
    junk = Block(kind="paragraph", text="Register for free and continue reading")
    capture.article = replace(capture.article, blocks=[junk, *capture.article.blocks])
    clip_id = library.clips.store(capture).result.clip_id
    info = library.passages.add_quote(clip_id, "Polisario movement", note="Algeria's ally").result
    requests_before = len(site.requests)

    result = library.clips.reextract(clip_id).result

    assert len(site.requests) == requests_before  # offline: nothing fetched
    assert result.status == "updated"
    assert dict(result.reanchored) == {info.id: "moved"}
    detail = library.clips.get(clip_id)
    assert "Register for free" not in detail.text
    assert detail.figures[0].blob_sha256 is not None  # the stored image is kept
    after = library.passages.find(clip_id)[0]
    assert detail.text[after.start : after.end] == "Polisario movement"
    assert library.clips.reextract(clip_id).result.status == "unchanged"


def test_passage_tags_count_in_the_sidebar_like_in_search(library: Library, clip_id: int) -> None:
    from clipper.library.types import ClipFilter

    library.passages.add_quote(clip_id, "protected cycle lane", tags=["Evidence"])
    assert [(t.name, t.count) for t in library.tags.counts()] == [("Evidence", 1)]
    assert library.clips.ids(ClipFilter(tag="evidence")) == [clip_id]
    assert [h.clip.id for h in library.search("tag:evidence").hits] == [clip_id]
