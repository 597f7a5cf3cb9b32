"""`library.tags`: the tags of a library, and tagging clips.

A manager of the `Library` facade; every write returns the `Changes` it made.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from clipper.errors import LibraryError
from clipper.library import queries
from clipper.library.models import Clip, ClipTag, Passage, Tag
from clipper.library.store import bump_revision, find_tag, get_or_create_tags, mark_changed
from clipper.library.types import Changes, TagCount
from clipper.rules import tag_key, tag_name

if TYPE_CHECKING:
    from clipper.library.facade import Library


class Tags:
    """The tags of one library (`library.tags`)."""

    def __init__(self, library: Library) -> None:
        self._lib = library

    def counts(self) -> list[TagCount]:
        with self._lib._read() as session:
            return queries.tag_counts(session)

    def change(
        self, ids: Iterable[int], add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> Changes:
        ids = list(ids)
        changed: set[int] = set()
        with self._lib._write() as session:
            add_tags = get_or_create_tags(session, add)
            drop = {tag_key(n) for n in remove}
            for clip_id in sorted(set(ids)):  # locks in id order: no deadlock between two
                clip = queries.live_clip(session, clip_id, lock=True)
                before = {t.normalized for t in clip.tags}
                clip.tags = [t for t in clip.tags if t.normalized not in drop]
                clip.tags.extend(t for t in add_tags if t not in clip.tags)
                if {t.normalized for t in clip.tags} != before:
                    bump_revision(session, clip)
                    changed.add(clip_id)
        self._lib._sync_index(changed)
        return Changes(clips=frozenset(changed), tags=True)

    def rename(self, old: str, new: str) -> Changes:
        """Rename, or merge into an existing tag of that name."""
        name = tag_name(new)
        if not name:
            raise LibraryError("a tag name cannot be empty")
        with self._lib._write() as session:
            tag = find_tag(session, old)
            if tag is None:
                raise LibraryError(f"no tag named {old!r}")
            target = find_tag(session, name)
            affected = self._clips_with_tag(session, tag.id)
            if target is not None and target.id != tag.id:
                for clip in session.scalars(select(Clip).where(Clip.tags.any(Tag.id == tag.id))):
                    if target not in clip.tags:
                        clip.tags.append(target)
                tagged = select(Passage).where(Passage.tags.any(Tag.id == tag.id))
                for passage in session.scalars(tagged):  # passages keep their tag too
                    if target not in passage.tags:
                        passage.tags.append(target)
                session.delete(tag)
            else:
                tag.name = name
                tag.normalized = tag_key(name)
            self._bump(session, affected)
        self._lib._sync_index(affected)
        return Changes(clips=frozenset(affected), passages=frozenset(affected), tags=True)

    def delete(self, name: str) -> Changes:
        with self._lib._write() as session:
            tag = find_tag(session, name)
            if tag is None:
                raise LibraryError(f"no tag named {name!r}")
            affected = self._clips_with_tag(session, tag.id)
            session.delete(tag)
            self._bump(session, affected)
        self._lib._sync_index(affected)
        return Changes(clips=frozenset(affected), passages=frozenset(affected), tags=True)

    @staticmethod
    def _clips_with_tag(session: Session, tag_id: int) -> list[int]:
        """Clips carrying the tag themselves or on a passage (what `tag:` finds)."""
        on_passages = select(Passage.clip_id).where(Passage.tags.any(Tag.id == tag_id))
        on_clips = select(ClipTag.clip_id).where(ClipTag.tag_id == tag_id)
        return sorted(set(session.scalars(on_clips)) | set(session.scalars(on_passages)))

    @staticmethod
    def _bump(session: Session, ids: Sequence[int]) -> None:
        mark_changed(session, ids)
        if ids:
            session.execute(update(Clip).where(Clip.id.in_(ids)).values(revision=Clip.revision + 1))
