"""`library.passages`: the passages (quotes with notes, tags and a colour) of clips.

A manager of the `Library` facade; every write returns the `Changes` it made: the clip
in `passages` (its row and text stay), and `tags` when the passage's tags changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import clipper.library.annotations as ann_db
from clipper.library.queries import live_clip
from clipper.library.store import bump_revision
from clipper.library.types import AnnotationInfo, Changes

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
    ) -> Changes[AnnotationInfo]:
        """A passage by offsets in the clip's current plain text (a reader selection)."""
        with self._lib._write() as session:
            ann = ann_db.add_annotation(
                session, clip_id, start, end, note=note, tags=tags, color=color
            )
            info = ann_db.annotation_info(ann)
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
    ) -> Changes[AnnotationInfo]:
        """A passage by its words (`clipper annotate --quote`); must occur exactly once."""
        with self._lib._read() as session:
            clip = live_clip(session, clip_id)
            _version, text = ann_db.current_text(session, clip)
        start, end = ann_db.span_for_quote(text, quote, prefix, suffix)
        return self.add(clip_id, start, end, note=note, tags=tags, color=color)

    def update(
        self,
        annotation_id: int,
        *,
        note: str | None = None,
        tags: Sequence[str] | None = None,
        color: str | None = None,
        expected_version: int | None = None,
    ) -> Changes[AnnotationInfo]:
        """Edit a passage; with `expected_version` (`AnnotationInfo.edit_version` as the
        user saw it) a change made meanwhile elsewhere raises `ConflictError`."""
        with self._lib._write() as session:
            ann = ann_db.update_annotation(
                session,
                annotation_id,
                note=note,
                tags=tags,
                color=color,
                expected_version=expected_version,
            )
            info = ann_db.annotation_info(ann)
        self._lib._sync_index([info.clip_id])
        return _passage_changes(info, tags=tags is not None)

    def delete(self, annotation_id: int) -> Changes[AnnotationInfo]:
        """Delete; the returned value restores it (`restore`) for undo."""
        with self._lib._write() as session:
            ann = ann_db.get_annotation(session, annotation_id)
            info = ann_db.annotation_info(ann)
            bump_revision(session, ann.clip)
            session.delete(ann)
        self._lib._sync_index([info.clip_id])
        return _passage_changes(info, tags=bool(info.tags))

    def restore(self, info: AnnotationInfo) -> Changes[AnnotationInfo]:
        with self._lib._write() as session:
            restored = ann_db.annotation_info(ann_db.restore_annotation(session, info))
        self._lib._sync_index([info.clip_id])
        return _passage_changes(restored, tags=bool(info.tags))

    def find(self, clip_id: int | None = None, *, tag: str | None = None) -> list[AnnotationInfo]:
        with self._lib._read() as session:
            return ann_db.list_annotations(session, clip_id, tag)


def _passage_changes(info: AnnotationInfo, *, tags: bool) -> Changes[AnnotationInfo]:
    """A passage write changes its clip's passages (not the clip's row or text) and,
    when it set tags, the tag list: a passage's tags count in the sidebar."""
    return Changes(passages=frozenset({info.clip_id}), tags=tags, result=info)
