"""`library.tags`: the tags of a library, and tagging clips.

A manager of the `Library` facade; every write returns the `Changes` it made.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from clipper.errors import LibraryError, NotFoundError
from clipper.library import queries
from clipper.library.models import Clip, ClipTag, Passage, Tag
from clipper.library.store import find_tag, get_or_create_tags, mark_changed
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
        """Add and remove tags on clips: a clip ends with (its tags - `remove`) + `add`.

        Set-based: per batch of `BATCH` ids, one statement locks the clips, one reads
        their links to the tags named, one deletes, one inserts, one bumps revisions. The
        clips whose tags really changed are the `Changes` (and the ones re-indexed), with
        `tags` when the tag list or its counts changed; an id not in the library (or in
        the trash) refuses the whole change."""
        wanted = sorted(set(ids))
        changed: list[int] = []
        with self._lib._write() as session:
            add_keys = {k for k in map(tag_key, add) if k}
            known = (
                set(session.scalars(select(Tag.normalized).where(Tag.normalized.in_(add_keys))))
                if add_keys
                else set()
            )
            add_ids = {t.id for t in get_or_create_tags(session, add)}  # before any lock
            created = bool(add_keys - known)
            drop_keys = {tag_key(n) for n in remove}
            drop_ids: set[int] = set()
            if drop_keys:
                found = session.scalars(select(Tag.id).where(Tag.normalized.in_(drop_keys)))
                drop_ids = set(found) - add_ids  # named on both sides: the clip keeps it
            for start in range(0, len(wanted), BATCH):
                batch = wanted[start : start + BATCH]
                _lock_live_clips(session, batch)  # batches in id order: one lock order
                done = _relink(session, batch, add_ids, drop_ids)
                self._bump(session, done)
                changed.extend(done)
        self._lib._sync_index(changed)
        return Changes(clips=frozenset(changed), tags=bool(changed) or created)

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
        """`revision = revision + 1` in SQL (see `store.bump_revision`), `BATCH` ids a time."""
        mark_changed(session, ids)
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            session.execute(
                update(Clip).where(Clip.id.in_(batch)).values(revision=Clip.revision + 1)
            )


BATCH = 500
"""Clip ids per statement of a bulk tag change (well under SQLite's bound parameters)."""


def _lock_live_clips(session: Session, ids: Sequence[int]) -> None:
    """Lock these clips' rows in id order (PostgreSQL `FOR UPDATE`; SQLite writers are
    serialized by `BEGIN IMMEDIATE`), so their tags are read after another writer's
    commit; any id that is not a live clip is a `NotFoundError`."""
    live = session.scalars(
        select(Clip.id)
        .where(Clip.id.in_(ids), Clip.deleted_at.is_(None))
        .order_by(Clip.id)
        .with_for_update()
    ).all()
    missing = sorted(set(ids) - set(live))
    if missing:
        raise NotFoundError(f"no clip with id {missing[0]}")


def _relink(
    session: Session, ids: Sequence[int], add_ids: set[int], drop_ids: set[int]
) -> list[int]:
    """Insert the missing (clip, tag) links of `add_ids`, delete those of `drop_ids`;
    the clips whose links changed, in id order."""
    if not add_ids and not drop_ids:
        return []
    rows = session.execute(
        select(ClipTag.clip_id, ClipTag.tag_id).where(
            ClipTag.clip_id.in_(ids), ClipTag.tag_id.in_(add_ids | drop_ids)
        )
    )
    links = {(clip_id, tag_id) for clip_id, tag_id in rows}
    gone = {clip_id for clip_id, tag_id in links if tag_id in drop_ids}
    new = [(c, t) for c in ids for t in sorted(add_ids) if (c, t) not in links]
    if gone:
        session.execute(
            delete(ClipTag)
            .where(ClipTag.clip_id.in_(sorted(gone)), ClipTag.tag_id.in_(drop_ids))
            .execution_options(synchronize_session=False)
        )
    if new:
        session.execute(insert(ClipTag), [{"clip_id": c, "tag_id": t} for c, t in new])
    return sorted(gone | {c for c, _ in new})
