"""`library.passages`: the passages (quotes with notes, tags and a colour) of clips.

A manager of the `Library` facade; every write returns the `Changes` it made: the clip
in `passages` (its row and text stay), and `tags` when the passage's tags changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import clipper.library.passage_store as passage_store
from clipper.library.queries import live_clip
from clipper.library.store import bump_revision
from clipper.library.types import Changes, PassageInfo

if TYPE_CHECKING:
    from clipper.library.facade import Library


class Passages:
    """The passages of one library (`library.passages`)."""

    def __init__(self, library: Library) -> None:
        self._lib = library

    def add(
        self,
        clip_id: int,
        start: int,
        end: int,
        *,
        note: str = "",
        tags: Sequence[str] = (),
        color: str = "yellow",
    ) -> Changes[PassageInfo]:
        """A passage by offsets in the clip's current plain text (a reader selection)."""
        with self._lib._write() as session:
            passage = passage_store.add_passage(
                session, clip_id, start, end, note=note, tags=tags, color=color
            )
            info = passage_store.passage_info(passage)
        self._lib._sync_index([clip_id])
        return _passage_changes(info, tags=bool(tags))

    def add_quote(
        self,
        clip_id: int,
        quote: str,
        *,
        prefix: str = "",
        suffix: str = "",
        note: str = "",
        tags: Sequence[str] = (),
        color: str = "yellow",
    ) -> Changes[PassageInfo]:
        """A passage by its words (`clipper annotate --quote`); must occur exactly once."""
        with self._lib._read() as session:
            clip = live_clip(session, clip_id)
            _version, text = passage_store.current_text(session, clip)
        start, end = passage_store.span_for_quote(text, quote, prefix, suffix)
        return self.add(clip_id, start, end, note=note, tags=tags, color=color)

    def update(
        self,
        passage_id: int,
        *,
        note: str | None = None,
        tags: Sequence[str] | None = None,
        color: str | None = None,
        expected_version: int | None = None,
    ) -> Changes[PassageInfo]:
        """Edit a passage; with `expected_version` (`PassageInfo.edit_version` as the
        user saw it) a change made meanwhile elsewhere raises `ConflictError`."""
        with self._lib._write() as session:
            passage = passage_store.update_passage(
                session,
                passage_id,
                note=note,
                tags=tags,
                color=color,
                expected_version=expected_version,
            )
            info = passage_store.passage_info(passage)
        self._lib._sync_index([info.clip_id])
        return _passage_changes(info, tags=tags is not None)

    def delete(self, passage_id: int) -> Changes[PassageInfo]:
        """Delete; the returned value restores it (`restore`) for undo."""
        with self._lib._write() as session:
            passage = passage_store.get_passage(session, passage_id)
            info = passage_store.passage_info(passage)
            bump_revision(session, passage.clip)
            session.delete(passage)
        self._lib._sync_index([info.clip_id])
        return _passage_changes(info, tags=bool(info.tags))

    def restore(self, info: PassageInfo) -> Changes[PassageInfo]:
        with self._lib._write() as session:
            restored = passage_store.passage_info(passage_store.restore_passage(session, info))
        self._lib._sync_index([info.clip_id])
        return _passage_changes(restored, tags=bool(info.tags))

    def find(self, clip_id: int | None = None, *, tag: str | None = None) -> list[PassageInfo]:
        with self._lib._read() as session:
            return passage_store.list_passages(session, clip_id, tag)


def _passage_changes(info: PassageInfo, *, tags: bool) -> Changes[PassageInfo]:
    """A passage write changes its clip's passages (not the clip's row or text) and,
    when it set tags, the tag list: a passage's tags count in the sidebar."""
    return Changes(passages=frozenset({info.clip_id}), tags=tags, result=info)
