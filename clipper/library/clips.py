"""`library.clips`: clipping, reading, correcting and deleting clips.

A manager of the `Library` facade (like Anki's `col.decks`, `col.tags`): it writes
through the facade's transactions (`_write`) and index sync, and every write returns
the `Changes` it made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from clipper.errors import LibraryError
from clipper.library import queries
from clipper.library.clipping import ClipRequest
from clipper.library.editing import MetadataValue, check_values
from clipper.library.models import Clip, Version, utcnow
from clipper.library.passage_store import reanchor_clip
from clipper.library.store import (
    USER,
    bump_revision,
    delete_unused_blobs,
    get_or_create_tags,
    mark_changed,
    raw_html_of,
    set_metadata,
    store_capture,
)
from clipper.library.types import (
    Changes,
    ClipDetail,
    ClipFilter,
    ClipResult,
    ClipSummary,
    SiteCount,
    SortKey,
    VersionInfo,
)

if TYPE_CHECKING:  # extraction (trafilatura, lxml, Pillow, httpx) loads on the first clip
    from clipper.capture.fetch import Fetcher
    from clipper.capture.pipeline import Capture, CaptureOptions
    from clipper.library.facade import Library

TRASH_KEPT = timedelta(days=7)
"""A clip trashed longer ago is purged by any client (its own window would have)."""


class Clips:
    """The clips of one library (`library.clips`)."""

    def __init__(self, library: Library) -> None:
        self._lib = library
        self._trashed_here: set[int] = set()
        """Clips this client moved to the trash: `empty_trash` purges these."""

    # --- clipping -----------------------------------------------------------------------

    def clip(
        self,
        request: ClipRequest,
        *,
        options: CaptureOptions | None = None,
        fetcher: Fetcher | None = None,
        progress: Callable[[str], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> Changes[ClipResult]:
        """Fetch, extract, store and index one page (see `library/clipping.py`).

        Raises `ClipperError` (`Cancelled` when `cancel()` turned True) with nothing
        stored. The window runs its two halves on two threads (`ClipJob`)."""
        from clipper.library.clipping import ClipJob

        return ClipJob(
            self._lib, request, options=options, fetcher=fetcher, progress=progress, cancel=cancel
        ).run()

    def clip_url(
        self,
        url: str,
        tags: Sequence[str] = (),
        *,
        options: CaptureOptions | None = None,
        fetcher: Fetcher | None = None,
    ) -> Changes[ClipResult]:
        """`clip` of one URL."""
        request = ClipRequest(url=url, tags=tuple(tags))
        return self.clip(request, options=options, fetcher=fetcher)

    def clip_file(
        self,
        path: Path,
        tags: Sequence[str] = (),
        *,
        base_url: str | None = None,
        options: CaptureOptions | None = None,
        fetcher: Fetcher | None = None,
    ) -> Changes[ClipResult]:
        """`clip` of a saved page."""
        request = ClipRequest(path=path, base_url=base_url, tags=tuple(tags))
        return self.clip(request, options=options, fetcher=fetcher)

    def store(self, capture: Capture, tags: Sequence[str] = ()) -> Changes[ClipResult]:
        """Write a capture (new clip, new version, or nothing if unchanged) and tag it."""
        with self._lib._write() as session:
            wanted = get_or_create_tags(session, tags)  # before any clip lock: one order
            outcome = store_capture(session, capture)
            clip = outcome.clip
            moved = []
            if outcome.status == "updated":
                moved = reanchor_clip(session, clip, outcome.version)
            if outcome.status == "unchanged" and wanted:
                queries.live_clip(session, clip.id, lock=True)
            new_tags = [t for t in wanted if t not in clip.tags]
            if new_tags:
                clip.tags.extend(new_tags)
                if outcome.status == "unchanged":
                    bump_revision(session, clip)
            result = ClipResult(
                clip_id=clip.id,
                status=outcome.status,
                version_id=outcome.version.id,
                title=clip.title,
                url=clip.url,
                warnings=tuple(capture.warnings),
                reanchored=tuple((r.passage_id, r.state) for r in moved),
                duplicate_of=clip.duplicate_of_id if outcome.status == "new" else None,
            )
        if outcome.status != "unchanged" or tags:
            self._lib._sync_index([result.clip_id])
        one = frozenset({result.clip_id})
        changed = outcome.status == "updated" or bool(new_tags)
        return Changes(
            clips=one if changed and outcome.status != "new" else frozenset(),
            added=one if outcome.status == "new" else frozenset(),
            tags=outcome.status == "new" or bool(new_tags) or bool(moved),
            passages=one if moved else frozenset(),
            sites=outcome.status != "unchanged",
            result=result,
        )

    def reextract(self, clip_id: int) -> Changes[ClipResult]:
        """Run today's extractor on the stored page (no network); a changed text becomes
        a new version and the passages are re-anchored on it."""
        from clipper.capture.images import ValidatedImage
        from clipper.capture.pipeline import capture_stored

        with self._lib._read() as session:
            clip = queries.live_clip(session, clip_id)
            version = session.get(Version, clip.current_version_id)
            if version is None:
                raise LibraryError(f"clip {clip_id} has no stored page")
            images: dict[str, ValidatedImage] = {}
            for figure in version.figures:
                blob = figure.blob
                if blob is not None:
                    images[figure.src_url] = ValidatedImage(
                        sha256=blob.sha256,
                        media_type=blob.media_type,
                        width=blob.width,
                        height=blob.height,
                        data=bytes(blob.data),
                        thumbnail=bytes(blob.thumbnail),
                    )
            capture = capture_stored(
                raw_html_of(version),
                version.source_url or clip.url,
                version.content_type,
                version.http_status,
                images,
            )
        return self.store(capture)

    # --- reading ------------------------------------------------------------------------

    def count(self, flt: ClipFilter | None = None) -> int:
        with self._lib._read() as session:
            return queries.count_clips(session, flt)

    def find_url(self, url: str) -> int | None:
        """The clip already holding this page (same normalized URL), without fetching."""
        from clipper.rules import url_key

        with self._lib._read() as session:
            return queries.clip_with_url(session, url_key(url))

    def ids(
        self, flt: ClipFilter | None = None, sort: SortKey = "clipped", descending: bool = True
    ) -> list[int]:
        with self._lib._read() as session:
            return queries.clip_ids(session, flt, sort, descending)

    def summaries(self, ids: Sequence[int]) -> list[ClipSummary]:
        with self._lib._read() as session:
            return queries.summaries(session, ids)

    def page(
        self,
        flt: ClipFilter | None = None,
        sort: SortKey = "clipped",
        descending: bool = True,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[ClipSummary]:
        with self._lib._read() as session:
            ids = queries.clip_ids(session, flt, sort, descending)
            end = None if limit is None else offset + limit
            return queries.summaries(session, ids[offset:end])

    def get(self, clip_id: int, version_id: int | None = None) -> ClipDetail:
        with self._lib._read() as session:
            return queries.clip_detail(session, clip_id, version_id)

    def versions(self, clip_id: int) -> list[VersionInfo]:
        with self._lib._read() as session:
            return queries.versions(session, clip_id)

    def sites(self) -> list[SiteCount]:
        with self._lib._read() as session:
            return queries.site_counts(session)

    def blob(self, sha256: str, *, thumbnail: bool = False) -> bytes | None:
        with self._lib._read() as session:
            return queries.blob_bytes(session, sha256, thumbnail)

    # --- correcting, deleting -----------------------------------------------------------

    def edit_metadata(
        self,
        clip_id: int,
        values: Mapping[str, MetadataValue],
        *,
        sources: Mapping[str, str] | None = None,
    ) -> Changes:
        """Correct metadata fields; each becomes "user" (kept by re-clips).

        `sources` replaces the whole provenance map instead: undo restores an earlier
        state (`metadata_of(detail)`, `detail.sources`) with it.
        """
        clean = check_values(values)
        with self._lib._write() as session:
            clip = queries.live_clip(session, clip_id, lock=True)
            set_metadata(clip, clean)
            if sources is not None:
                clip.metadata_sources = dict(sources)
            else:
                clip.metadata_sources = {
                    **(clip.metadata_sources or {}),
                    **dict.fromkeys(clean, USER),
                }
            bump_revision(session, clip)
        self._lib._sync_index([clip_id])
        return Changes(clips=frozenset({clip_id}), sites="site_name" in clean)

    def delete(self, ids: Iterable[int], *, permanent: bool = True) -> Changes:
        """Delete clips; `permanent=False` moves them to the trash (see `restore`).

        Like every write, a failure of the search index after the commit is a warning
        (`index_warnings`), not an error: the delete happened, so undo stays possible."""
        ids = list(ids)
        with self._lib._write() as session:
            for clip_id in ids:
                queries.live_clip(session, clip_id)  # NotFoundError for a bad id
            mark_changed(session, ids)
            if permanent:
                self._purge(session, ids)
            else:
                session.execute(
                    update(Clip)
                    .where(Clip.id.in_(ids))
                    .values(deleted_at=utcnow(), revision=Clip.revision + 1)
                )
        if not permanent:
            self._trashed_here.update(ids)
        self._lib._unindex(ids)
        return Changes(removed=frozenset(ids), tags=True, sites=True)

    def restore(self, ids: Iterable[int]) -> Changes:
        """Undo a `delete(permanent=False)`."""
        ids = list(ids)
        with self._lib._write() as session:
            mark_changed(session, ids)
            session.execute(
                update(Clip)
                .where(Clip.id.in_(ids), Clip.deleted_at.is_not(None))
                .values(deleted_at=None, revision=Clip.revision + 1)
            )
        self._trashed_here.difference_update(ids)
        self._lib._sync_index(ids)
        return Changes(added=frozenset(ids), tags=True, sites=True)

    def empty_trash(self, *, older_than: timedelta = TRASH_KEPT) -> Changes[int]:
        """Purge what this client moved to the trash, and what anyone trashed longer
        than `older_than` ago (a window that crashed before emptying its own).

        Never every trashed clip: in a shared library another user's delete stays
        undoable until that user quits. The result is the number purged."""
        cutoff = utcnow() - older_than
        mine = sorted(self._trashed_here)
        with self._lib._write() as session:
            trashed = Clip.deleted_at.is_not(None)
            ids = set(session.scalars(select(Clip.id).where(trashed, Clip.deleted_at < cutoff)))
            for start in range(0, len(mine), 1000):
                chunk = mine[start : start + 1000]
                ids.update(session.scalars(select(Clip.id).where(trashed, Clip.id.in_(chunk))))
            purged = sorted(ids)
            mark_changed(session, purged)
            self._purge(session, purged)
        self._trashed_here.clear()
        return Changes(removed=frozenset(purged), result=len(purged))

    @staticmethod
    def _purge(session: Session, ids: Sequence[int]) -> None:
        if not ids:
            return
        # Break the clip -> current version cycle first, then let cascades do the rest.
        session.execute(update(Clip).where(Clip.id.in_(ids)).values(current_version_id=None))
        session.execute(
            update(Clip).where(Clip.duplicate_of_id.in_(ids)).values(duplicate_of_id=None)
        )
        session.execute(delete(Clip).where(Clip.id.in_(ids)))
        session.flush()
        delete_unused_blobs(session)
