"""Tagging a large selection at once (`library.tags.change`, set-based), on SQLite and
the real PostgreSQL: every clip gets the tag, counts, revisions, the returned `Changes`
and `tag:` search agree, and a refused change leaves everything as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from clipper.errors import NotFoundError
from clipper.library import Library
from clipper.library.models import Clip
from clipper.library.types import ClipFilter
from clipper.paths import LibraryLocation
from tests.conftest import pg_database
from tests.helpers.biglibrary import clip_rows

COUNT = 3_000
"""Clips in the library; the selection is the first 2,400 (several batches of ids)."""


def _fill(library: Library) -> list[int]:
    """`COUNT` clip rows (no versions: tagging needs none), indexed; their ids."""
    with library.engine.begin() as conn:
        conn.execute(insert(Clip), clip_rows(COUNT))
    library.maintenance.reindex()
    return library.clips.ids(sort="clipped", descending=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def big(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Library, list[int]]]:
    if request.param == "sqlite":
        with Library.open(tmp_path / "library") as library:
            yield library, _fill(library)
        return
    with pg_database() as url:
        location = LibraryLocation(folder=tmp_path / "pg-local", database_url=url)
        with Library.open(location) as library:
            yield library, _fill(library)


def _revisions(library: Library) -> dict[int, int]:
    with library._read() as session:
        return {i: r for i, r in session.execute(select(Clip.id, Clip.revision))}


def _tags(library: Library, clip_id: int) -> tuple[str, ...]:
    return library.clips.summaries([clip_id])[0].tags


def _counts(library: Library) -> dict[str, int]:
    return {t.name: t.count for t in library.tags.counts()}


def test_tag_and_untag_a_large_selection(big: tuple[Library, list[int]]) -> None:
    library, ids = big
    selection, outside = ids[:2_400], ids[2_400:]
    had_x = selection[::5] + outside[:100]  # some already carry the tag being added
    had_y = selection[1::3] + outside[100:150]  # the tag being removed
    library.tags.change(had_x, add=["Harbour"])
    library.tags.change(had_y, add=["ferry"])
    before = _revisions(library)

    changes = library.tags.change(selection, add=["harbour"], remove=["FERRY"])

    expected = set(selection) - set(selection[::5]) | set(selection[1::3])
    assert changes.clips == expected  # exactly the clips whose tags changed
    assert changes.tags and not changes.added and not changes.removed
    after = _revisions(library)
    assert {i for i in after if after[i] != before[i]} == expected
    assert all(after[i] == before[i] + 1 for i in expected)  # bumped once, in SQL
    assert _counts(library) == {"Harbour": 2_500, "ferry": 50}  # the first spelling stays
    assert sorted(library.clips.ids(ClipFilter(tag="harbour"))) == sorted(selection + outside[:100])
    assert library.search("tag:harbour", limit=1).total == 2_500
    assert library.search("tag:ferry", limit=1).total == 50
    assert _tags(library, selection[1]) == ("Harbour",)
    assert _tags(library, outside[100]) == ("ferry",)  # outside: untouched

    again = library.tags.change(selection, add=["Harbour"])
    assert again.clips == frozenset() and _revisions(library) == after  # nothing to do
    assert not again.tags  # the sidebar need not read its counts again
    assert library.tags.change([], add=["new"]).tags  # a new tag is listed (count 0)

    untagged = library.tags.change(selection, remove=["harbour"])
    assert untagged.clips == set(selection) and untagged.tags
    assert _counts(library) == {"Harbour": 100, "ferry": 50, "new": 0}
    assert library.search("tag:harbour", limit=1).total == 100
    assert _tags(library, selection[0]) == ()


def test_a_tag_both_added_and_removed_stays(big: tuple[Library, list[int]]) -> None:
    """The clip ends with (its tags - remove) + add, as the tag dialog means it."""
    library, ids = big
    library.tags.change(ids[:10], add=["river"])
    changes = library.tags.change(ids[:20], add=["River"], remove=["river"])
    assert changes.clips == set(ids[10:20])
    assert _counts(library) == {"river": 20}


def test_a_missing_clip_refuses_the_whole_change(big: tuple[Library, list[int]]) -> None:
    library, ids = big
    library.clips.delete([ids[1_500]], permanent=False)  # in the trash
    before = _revisions(library)
    with pytest.raises(NotFoundError, match=f"no clip with id {ids[1_500]}"):
        library.tags.change(ids[:2_000], add=["energy"])
    assert _counts(library) == {}  # not even the new tag: one transaction
    assert _revisions(library) == before
    assert library.search("tag:energy", limit=1).total == 0
