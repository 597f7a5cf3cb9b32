"""The passage half of the `Library` facade: annotations, versions and re-extraction.

A mixin only to keep `facade.py` short; it uses the facade's sessions and index sync.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from clipper.errors import LibraryError
from clipper.library import annotations as ann_db
from clipper.library.models import Version
from clipper.library.queries import live_clip
from clipper.library.store import bump_revision, raw_html_of
from clipper.library.types import AnnotationInfo, Changes, ClipResult

if TYPE_CHECKING:
    from collections.abc import Iterable

    from clipper.capture.pipeline import Capture


class PassagesMixin:
    _read: Callable[[], AbstractContextManager[Session]]
    _write: Callable[[], AbstractContextManager[Session]]
    _sync_index: Callable[[Iterable[int]], None]
    store: Callable[[Capture], Changes[ClipResult]]

    def annotate(
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
        with self._write() as session:
            ann = ann_db.add_annotation(
                session, clip_id, start, end, note=note, tags=tags, color=color
            )
            info = ann_db.annotation_info(ann)
        self._sync_index([clip_id])
        return _passage_changes(info, tags=bool(tags))

    def annotate_quote(
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
        with self._read() as session:
            clip = live_clip(session, clip_id)
            _version, text = ann_db.current_text(session, clip)
        start, end = ann_db.span_for_quote(text, quote, prefix, suffix)
        return self.annotate(clip_id, start, end, note=note, tags=tags, color=color)

    def update_annotation(
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
        with self._write() as session:
            ann = ann_db.update_annotation(
                session,
                annotation_id,
                note=note,
                tags=tags,
                color=color,
                expected_version=expected_version,
            )
            info = ann_db.annotation_info(ann)
        self._sync_index([info.clip_id])
        return _passage_changes(info, tags=tags is not None)

    def delete_annotation(self, annotation_id: int) -> Changes[AnnotationInfo]:
        """Delete; the returned value restores it (`restore_annotation`) for undo."""
        with self._write() as session:
            ann = ann_db.get_annotation(session, annotation_id)
            info = ann_db.annotation_info(ann)
            bump_revision(session, ann.clip)
            session.delete(ann)
        self._sync_index([info.clip_id])
        return _passage_changes(info, tags=bool(info.tags))

    def restore_annotation(self, info: AnnotationInfo) -> Changes[AnnotationInfo]:
        with self._write() as session:
            restored = ann_db.annotation_info(ann_db.restore_annotation(session, info))
        self._sync_index([info.clip_id])
        return _passage_changes(restored, tags=bool(info.tags))

    def annotations(
        self, clip_id: int | None = None, *, tag: str | None = None
    ) -> list[AnnotationInfo]:
        with self._read() as session:
            return ann_db.list_annotations(session, clip_id, tag)

    def reextract(self, clip_id: int) -> Changes[ClipResult]:
        """Run today's extractor on the stored page (no network); a changed text becomes
        a new version and the annotations are re-anchored on it."""
        from clipper.capture.images import ValidatedImage
        from clipper.capture.pipeline import capture_stored

        with self._read() as session:
            clip = live_clip(session, clip_id)
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


def _passage_changes(info: AnnotationInfo, *, tags: bool) -> Changes[AnnotationInfo]:
    """A passage write changes its clip's passages (not the clip's row or text) and,
    when it set tags, the tag list: a passage's tags count in the sidebar."""
    return Changes(passages=frozenset({info.clip_id}), tags=tags, result=info)
