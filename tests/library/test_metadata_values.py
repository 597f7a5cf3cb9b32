"""Edited metadata values are checked by type at the facade (no `Any` gets through)."""

from __future__ import annotations

import pytest

from clipper.errors import LibraryError
from clipper.library import Library
from tests.helpers.captures import make_capture


def test_authors_must_be_a_list_of_names_and_nothing_changes_otherwise(
    library: Library,
) -> None:
    clip_id = library.clips.store(make_capture("Harbour plan", ["The vote waits."])).result.clip_id
    with pytest.raises(LibraryError, match="authors must be a list of names"):
        library.clips.edit_metadata(clip_id, {"authors": "Ana Ruiz", "title": "Changed"})
    detail = library.clips.get(clip_id)
    assert detail.title == "Harbour plan" and detail.authors == ()
    library.clips.edit_metadata(clip_id, {"authors": ["Ana Ruiz", " "]})
    assert library.clips.get(clip_id).authors == ("Ana Ruiz",)
