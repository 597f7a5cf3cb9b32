"""Every write of the facade says what it changed (`Changes`) and carries its own answer;
a delete survives a locked index; emptying the trash of a shared library purges only
what this client trashed (or what anyone trashed long ago)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from clipper.library import Library
from clipper.library.models import Clip, utcnow
from clipper.paths import LibraryLocation
from tests.conftest import pg_database
from tests.helpers.captures import make_capture


@contextmanager
def index_locked(library: Library) -> Iterator[None]:
    """Another process holds the search index's write lock (as a long reindex does)."""
    from whoosh.filedb.filestore import FileStorage

    from clipper.search.whoosh.index import INDEX_NAME

    lock = FileStorage(str(library.location.index_dir)).lock(f"{INDEX_NAME}_WRITELOCK")
    assert lock.acquire()
    try:
        yield
    finally:
        lock.release()


def test_each_write_names_what_it_changed_and_returns_its_result(library: Library) -> None:
    stored = library.clips.store(make_capture("Harbour plan delayed", ["The committee waits."]))
    clip_id = stored.result.clip_id
    assert stored.result.status == "new"
    assert stored.added == {clip_id} and stored.tags and stored.sites and not stored.clips

    again = library.clips.store(make_capture("Harbour plan delayed", ["The committee waits."]))
    assert again.result.status == "unchanged" and not again.touched and not again.tags

    changed = library.clips.store(make_capture("Harbour plan delayed", ["The committee met."]))
    assert changed.result.status == "updated" and changed.clips == {clip_id}

    passage = library.passages.add_quote(clip_id, "committee", tags=["Brand new"])
    assert passage.result.exact == "committee"
    assert passage.passages == {clip_id} and passage.tags and not passage.clips
    assert "Brand new" in {t.name for t in library.tags.counts()}  # what the sidebar shows
    edited = library.passages.update(passage.result.id, note="ask Ana")
    assert edited.result.note == "ask Ana" and edited.passages == {clip_id} and not edited.tags
    deleted = library.passages.delete(passage.result.id)
    assert deleted.result.id == passage.result.id and deleted.passages == {clip_id}
    restored = library.passages.restore(deleted.result)
    assert restored.result.exact == "committee" and library.passages.find(clip_id)

    metadata = library.clips.edit_metadata(clip_id, {"site_name": "The Quay"})
    assert metadata.clips == {clip_id} and metadata.sites

    assert library.clips.delete([clip_id], permanent=False).removed == {clip_id}
    assert library.clips.restore([clip_id]).added == {clip_id}


def test_a_delete_with_the_index_locked_commits_and_warns(library: Library) -> None:
    clip_id = library.clips.store(make_capture("Harbour plan delayed", ["Text."])).result.clip_id
    index = library.index
    index.options = replace(index.options, lock_timeout=0.2)  # type: ignore[attr-defined]
    with index_locked(library):
        changes = library.clips.delete([clip_id], permanent=False)
    assert changes.removed == {clip_id}
    assert library.clips.count() == 0
    [warning] = library.index_warnings
    assert warning.startswith("search index not updated (") and "\n" not in warning
    library.clips.restore([clip_id])  # the undo works
    assert library.clips.count() == 1 and library.search("Harbour").hits


def _trash_both(first: Library, second: Library) -> tuple[int, int]:
    mine = first.clips.store(make_capture("Mine", ["Trashed by me."])).result.clip_id
    theirs = second.clips.store(make_capture("Theirs", ["Trashed by a colleague."])).result.clip_id
    first.clips.delete([mine], permanent=False)
    second.clips.delete([theirs], permanent=False)
    return mine, theirs


def _check_empty_trash_rule(first: Library, second: Library) -> None:
    mine, theirs = _trash_both(first, second)
    purged = first.clips.empty_trash()
    assert purged.result == 1 and purged.removed == {mine}
    second.clips.restore([theirs])  # the colleague's undo still works
    assert [s.title for s in second.clips.page()] == ["Theirs"]

    # A clip someone trashed more than a week ago (a window that crashed) goes too.
    old = second.clips.store(make_capture("Old", ["Long gone."])).result.clip_id
    second.clips.delete([old], permanent=False)
    with first._write() as session:
        session.execute(
            update(Clip).where(Clip.id == old).values(deleted_at=utcnow() - timedelta(days=8))
        )
    recent = second.clips.store(make_capture("Recent", ["Just trashed."])).result.clip_id
    second.clips.delete([recent], permanent=False)
    assert first.clips.empty_trash().removed == {old}
    second.clips.restore([recent])
    assert sorted(s.title for s in first.clips.page()) == ["Recent", "Theirs"]


@pytest.mark.postgres
def test_empty_trash_of_a_shared_library_keeps_a_colleagues_undo(tmp_path: Path) -> None:
    with pg_database() as url:
        first = Library.open(LibraryLocation(folder=tmp_path / "a", database_url=url))
        second = Library.open(LibraryLocation(folder=tmp_path / "b", database_url=url))
        try:
            _check_empty_trash_rule(first, second)
        finally:
            first.close()
            second.close()


def test_empty_trash_purges_only_this_clients_clips_on_sqlite(library_path: Path) -> None:
    with Library.open(library_path) as first, Library.open(library_path) as second:
        _check_empty_trash_rule(first, second)


def test_the_cli_rm_with_the_index_locked_exits_0_with_one_warning(
    library_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Index lock wait: the index's own 5 s (a separate process would wait as long)."""
    from clipper.cli import main

    with Library.open(library_path) as library:
        clip_id = library.clips.store(
            make_capture("Harbour plan delayed", ["Text."])
        ).result.clip_id
        with index_locked(library):
            code = main(["rm", str(clip_id), "--library", str(library_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Deleted 1 clip(s)." in out
    [line] = err.strip().splitlines()
    assert line.startswith("clipper: warning: search index not updated (")
    with Library.open(library_path) as library:  # reconciled on open: the entry is gone
        assert library.clips.count() == 0 and not library.search("Harbour").hits
