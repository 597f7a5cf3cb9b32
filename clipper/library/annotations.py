"""Passages in the database: create, edit, delete and re-anchor annotations.

Session-level functions: the facade owns transactions. Offsets always refer to the
plain text of the version an annotation is anchored on (`clipper.article.plain_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, object_session

from clipper.anchoring import TextPositionSelector, TextQuoteSelector, anchor, describe, find_quote
from clipper.anchoring.normalize import squeeze
from clipper.errors import ConflictError, LibraryError, NotFoundError
from clipper.library.models import Annotation, Clip, Tag, Version, utcnow
from clipper.library.queries import live_clip
from clipper.library.store import bump_revision, get_or_create_tags
from clipper.library.types import AnnotationInfo
from clipper.rules import tag_key

COLORS = ("yellow", "green", "blue", "pink", "purple")


@dataclass(frozen=True)
class Reanchored:
    annotation_id: int
    state: str
    method: str


def check_color(color: str) -> str:
    value = color.strip().lower()
    if value not in COLORS:
        raise LibraryError(f"unknown colour {color!r} (use one of: {', '.join(COLORS)})")
    return value


def current_text(session: Session, clip: Clip) -> tuple[Version, str]:
    version = session.get(Version, clip.current_version_id)
    if version is None:
        raise NotFoundError(f"clip {clip.id} has no stored version")
    return version, version.text


def span_for_quote(text: str, quote: str, prefix: str = "", suffix: str = "") -> tuple[int, int]:
    spans = find_quote(text, quote, prefix, suffix)
    if not spans:
        raise LibraryError(f"the passage {_short(quote)!r} is not in the clip's text")
    if len(spans) > 1:
        raise LibraryError(
            f"the passage {_short(quote)!r} occurs {len(spans)} times; "
            "give more of it, or --prefix/--suffix to choose one"
        )
    return spans[0]


def add_annotation(
    session: Session,
    clip_id: int,
    start: int,
    end: int,
    *,
    note: str = "",
    tags: Sequence[str] = (),
    color: str = "yellow",
) -> Annotation:
    tag_rows = get_or_create_tags(session, tags)  # before the clip lock: one lock order
    clip = live_clip(session, clip_id, lock=True)
    version, text = current_text(session, clip)
    if not 0 <= start < end <= len(text):
        raise LibraryError(f"invalid passage {start}:{end} (the text has {len(text)} characters)")
    quote, position = describe(text, start, end)
    now = utcnow()
    ann = Annotation(
        clip_id=clip.id,
        version_id=version.id,
        exact=quote.exact,
        prefix=quote.prefix,
        suffix=quote.suffix,
        start=position.start,
        end=position.end,
        quote_version_id=version.id,
        quote_start=position.start,
        quote_end=position.end,
        current_exact="",
        color=check_color(color),
        note=note.strip(),
        state="anchored",
        created_at=now,
        updated_at=now,
    )
    ann.tags = tag_rows
    session.add(ann)
    bump_revision(session, clip)
    session.flush()
    return ann


def get_annotation(session: Session, annotation_id: int) -> Annotation:
    ann = session.get(Annotation, annotation_id)
    if ann is None:
        raise NotFoundError(f"no annotation with id {annotation_id}")
    return ann


def update_annotation(
    session: Session,
    annotation_id: int,
    *,
    note: str | None = None,
    tags: Sequence[str] | None = None,
    color: str | None = None,
    expected_version: int | None = None,
) -> Annotation:
    """Edit note, tags or colour. With `expected_version` (the `edit_version` the user
    saw), an edit made meanwhile by someone else is reported, never overwritten."""
    tag_rows = get_or_create_tags(session, tags) if tags is not None else None
    # Locks in the order every writer takes them: tags, the clip, then its passages.
    live_clip(session, get_annotation(session, annotation_id).clip_id, lock=True)
    ann = session.get(Annotation, annotation_id, with_for_update=True, populate_existing=True)
    if ann is None:
        raise NotFoundError(f"no annotation with id {annotation_id}")
    if expected_version is not None and ann.edit_version != expected_version:
        raise ConflictError(
            f"the passage {annotation_id} was changed by someone else meanwhile; "
            "nothing was overwritten (reload it and edit again)"
        )
    if note is not None:
        ann.note = note.strip()
    if tag_rows is not None:
        ann.tags = tag_rows
    if color is not None:
        ann.color = check_color(color)
    ann.updated_at = utcnow()
    ann.edit_version = (ann.edit_version or 1) + 1  # the row is locked: no lost update
    bump_revision(session, ann.clip)
    session.flush()
    return ann


def reanchor_clip(session: Session, clip: Clip, version: Version) -> list[Reanchored]:
    """Find every annotation of `clip` in `version`'s text. The quote never changes.

    The passage is looked for as it read in the version it was anchored on (its current
    wording and context there), so that a second rewording is still found. What is found
    is compared with the original quote: the same words are "anchored" (same place) or
    "moved"; other words are "changed", the new wording kept in `current_exact` beside
    the original; nothing found is "orphaned". Orphans and changed passages keep `exact`.
    """
    results: list[Reanchored] = []
    text = version.text
    texts: dict[int, str] = {}
    for ann in session.scalars(select(Annotation).where(Annotation.clip_id == clip.id)):
        quote, position = _current_selectors(session, ann, texts)
        found = anchor(text, quote, position)
        ann.version_id = version.id
        if found.start is None or found.end is None:
            ann.state = "orphaned"
            ann.start = ann.end = None
            ann.current_exact = ""
        else:
            ann.start, ann.end = found.start, found.end
            words = text[found.start : found.end]
            if same_words(words, ann.exact):
                ann.state = found.state
                ann.current_exact = ""
            else:
                ann.state = "changed"
                ann.current_exact = words
        results.append(Reanchored(ann.id, ann.state, found.method))
    return results


def same_words(a: str, b: str) -> bool:
    """Equal but for whitespace, typographic quotes and dashes (re-extraction noise)."""
    return squeeze(a).strip() == squeeze(b).strip()


def _current_selectors(
    session: Session, ann: Annotation, texts: dict[int, str]
) -> tuple[TextQuoteSelector, TextPositionSelector | None]:
    """The passage as it reads in the version it is anchored on now, with its context."""
    if ann.version_id is not None and ann.start is not None and ann.end is not None:
        if ann.version_id not in texts:
            old = session.get(Version, ann.version_id)
            texts[ann.version_id] = old.text if old is not None else ""
        old_text = texts[ann.version_id]
        if ann.end <= len(old_text) and old_text[ann.start : ann.end].strip():
            quote, position = describe(old_text, ann.start, ann.end)
            return quote, position
    return TextQuoteSelector(ann.current_exact or ann.exact, ann.prefix, ann.suffix), None


def annotation_info(
    ann: Annotation, clip_title: str = "", quote_fetched_at: datetime | None = None
) -> AnnotationInfo:
    if quote_fetched_at is None and ann.quote_version_id is not None:
        session = object_session(ann)
        quoted = session.get(Version, ann.quote_version_id) if session is not None else None
        quote_fetched_at = quoted.fetched_at if quoted is not None else None
    return AnnotationInfo(
        id=ann.id,
        clip_id=ann.clip_id,
        version_id=ann.version_id or 0,
        exact=ann.exact,
        prefix=ann.prefix,
        suffix=ann.suffix,
        start=ann.start,
        end=ann.end,
        color=ann.color,
        note=ann.note,
        tags=tuple(sorted((t.name for t in ann.tags), key=str.casefold)),
        state=ann.state,  # type: ignore[arg-type]
        created_at=ann.created_at,
        updated_at=ann.updated_at,
        clip_title=clip_title or (ann.clip.title if ann.clip else ""),
        current_exact=ann.current_exact or "",
        quote_version_id=ann.quote_version_id,
        quote_start=ann.quote_start,
        quote_end=ann.quote_end,
        quote_fetched_at=quote_fetched_at,
        edit_version=ann.edit_version or 1,
    )


def list_annotations(
    session: Session, clip_id: int | None = None, tag: str | None = None
) -> list[AnnotationInfo]:
    quoted = aliased(Version)
    stmt = (
        select(Annotation, Clip.title, quoted.fetched_at)
        .join(Clip, Clip.id == Annotation.clip_id)
        .outerjoin(quoted, quoted.id == Annotation.quote_version_id)
        .where(Clip.deleted_at.is_(None))
    )
    if clip_id is not None:
        live_clip(session, clip_id)
        stmt = stmt.where(Annotation.clip_id == clip_id).order_by(
            Annotation.start.is_(None), Annotation.start, Annotation.id
        )
    else:
        stmt = stmt.order_by(Annotation.updated_at.desc(), Annotation.id.desc())
    if tag is not None:
        stmt = stmt.where(Annotation.tags.any(Tag.normalized == tag_key(tag)))
    return [annotation_info(ann, title, fetched) for ann, title, fetched in session.execute(stmt)]


def restore_annotation(session: Session, info: AnnotationInfo) -> Annotation:
    """Undo of a delete: the same passage, note, tags and dates again."""
    tag_rows = get_or_create_tags(session, info.tags)
    clip = live_clip(session, info.clip_id, lock=True)
    ann = Annotation(
        clip_id=clip.id,
        version_id=info.version_id or clip.current_version_id,
        exact=info.exact,
        prefix=info.prefix,
        suffix=info.suffix,
        start=info.start,
        end=info.end,
        quote_version_id=info.quote_version_id,
        quote_start=info.quote_start,
        quote_end=info.quote_end,
        current_exact=info.current_exact,
        color=info.color,
        note=info.note,
        state=info.state,
        created_at=info.created_at,
        updated_at=info.updated_at,
    )
    ann.tags = tag_rows
    session.add(ann)
    bump_revision(session, clip)
    session.flush()
    return ann


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
