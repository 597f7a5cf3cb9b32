"""Passages in the database: create, edit, delete and re-anchor passages.

Session-level functions: the facade owns transactions. Offsets always refer to the
plain text of the version a passage is anchored on (`clipper.article.plain_text`).
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
from clipper.library.models import Clip, Passage, Tag, Version, utcnow
from clipper.library.queries import live_clip
from clipper.library.store import bump_revision, get_or_create_tags
from clipper.library.types import PassageInfo
from clipper.rules import tag_key

COLORS = ("yellow", "green", "blue", "pink", "purple")


@dataclass(frozen=True)
class Reanchored:
    passage_id: int
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


def add_passage(
    session: Session,
    clip_id: int,
    start: int,
    end: int,
    *,
    note: str = "",
    tags: Sequence[str] = (),
    color: str = "yellow",
) -> Passage:
    tag_rows = get_or_create_tags(session, tags)  # before the clip lock: one lock order
    clip = live_clip(session, clip_id, lock=True)
    version, text = current_text(session, clip)
    if not 0 <= start < end <= len(text):
        raise LibraryError(f"invalid passage {start}:{end} (the text has {len(text)} characters)")
    quote, position = describe(text, start, end)
    now = utcnow()
    passage = Passage(
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
    passage.tags = tag_rows
    session.add(passage)
    bump_revision(session, clip)
    session.flush()
    return passage


def get_passage(session: Session, passage_id: int) -> Passage:
    passage = session.get(Passage, passage_id)
    if passage is None:
        raise NotFoundError(f"no passage with id {passage_id}")
    return passage


def update_passage(
    session: Session,
    passage_id: int,
    *,
    note: str | None = None,
    tags: Sequence[str] | None = None,
    color: str | None = None,
    expected_version: int | None = None,
) -> Passage:
    """Edit note, tags or colour. With `expected_version` (the `edit_version` the user
    saw), an edit made meanwhile by someone else is reported, never overwritten."""
    tag_rows = get_or_create_tags(session, tags) if tags is not None else None
    # Locks in the order every writer takes them: tags, the clip, then its passages.
    live_clip(session, get_passage(session, passage_id).clip_id, lock=True)
    passage = session.get(Passage, passage_id, with_for_update=True, populate_existing=True)
    if passage is None:
        raise NotFoundError(f"no passage with id {passage_id}")
    if expected_version is not None and passage.edit_version != expected_version:
        raise ConflictError(
            f"the passage {passage_id} was changed by someone else meanwhile; "
            "nothing was overwritten (reload it and edit again)"
        )
    if note is not None:
        passage.note = note.strip()
    if tag_rows is not None:
        passage.tags = tag_rows
    if color is not None:
        passage.color = check_color(color)
    passage.updated_at = utcnow()
    passage.edit_version = (passage.edit_version or 1) + 1  # the row is locked: no lost update
    bump_revision(session, passage.clip)
    session.flush()
    return passage


def reanchor_clip(session: Session, clip: Clip, version: Version) -> list[Reanchored]:
    """Find every passage of `clip` in `version`'s text. The quote never changes.

    The passage is looked for as it read in the version it was anchored on (its current
    wording and context there), so that a second rewording is still found. What is found
    is compared with the original quote: the same words are "anchored" (same place) or
    "moved"; other words are "changed", the new wording kept in `current_exact` beside
    the original; nothing found is "orphaned". Orphans and changed passages keep `exact`.
    """
    results: list[Reanchored] = []
    text = version.text
    texts: dict[int, str] = {}
    for passage in session.scalars(select(Passage).where(Passage.clip_id == clip.id)):
        quote, position = _current_selectors(session, passage, texts)
        found = anchor(text, quote, position)
        passage.version_id = version.id
        if found.start is None or found.end is None:
            passage.state = "orphaned"
            passage.start = passage.end = None
            passage.current_exact = ""
        else:
            passage.start, passage.end = found.start, found.end
            words = text[found.start : found.end]
            if same_words(words, passage.exact):
                passage.state = found.state
                passage.current_exact = ""
            else:
                passage.state = "changed"
                passage.current_exact = words
        results.append(Reanchored(passage.id, passage.state, found.method))
    return results


def same_words(a: str, b: str) -> bool:
    """Equal but for whitespace, typographic quotes and dashes (re-extraction noise)."""
    return squeeze(a).strip() == squeeze(b).strip()


def _current_selectors(
    session: Session, passage: Passage, texts: dict[int, str]
) -> tuple[TextQuoteSelector, TextPositionSelector | None]:
    """The passage as it reads in the version it is anchored on now, with its context."""
    if passage.version_id is not None and passage.start is not None and passage.end is not None:
        if passage.version_id not in texts:
            old = session.get(Version, passage.version_id)
            texts[passage.version_id] = old.text if old is not None else ""
        old_text = texts[passage.version_id]
        if passage.end <= len(old_text) and old_text[passage.start : passage.end].strip():
            quote, position = describe(old_text, passage.start, passage.end)
            return quote, position
    return TextQuoteSelector(
        passage.current_exact or passage.exact, passage.prefix, passage.suffix
    ), None


def passage_info(
    passage: Passage, clip_title: str = "", quote_fetched_at: datetime | None = None
) -> PassageInfo:
    if quote_fetched_at is None and passage.quote_version_id is not None:
        session = object_session(passage)
        quoted = session.get(Version, passage.quote_version_id) if session is not None else None
        quote_fetched_at = quoted.fetched_at if quoted is not None else None
    return PassageInfo(
        id=passage.id,
        clip_id=passage.clip_id,
        version_id=passage.version_id or 0,
        exact=passage.exact,
        prefix=passage.prefix,
        suffix=passage.suffix,
        start=passage.start,
        end=passage.end,
        color=passage.color,
        note=passage.note,
        tags=tuple(sorted((t.name for t in passage.tags), key=str.casefold)),
        state=passage.state,  # type: ignore[arg-type]
        created_at=passage.created_at,
        updated_at=passage.updated_at,
        clip_title=clip_title or (passage.clip.title if passage.clip else ""),
        current_exact=passage.current_exact or "",
        quote_version_id=passage.quote_version_id,
        quote_start=passage.quote_start,
        quote_end=passage.quote_end,
        quote_fetched_at=quote_fetched_at,
        edit_version=passage.edit_version or 1,
    )


def list_passages(
    session: Session, clip_id: int | None = None, tag: str | None = None
) -> list[PassageInfo]:
    quoted = aliased(Version)
    stmt = (
        select(Passage, Clip.title, quoted.fetched_at)
        .join(Clip, Clip.id == Passage.clip_id)
        .outerjoin(quoted, quoted.id == Passage.quote_version_id)
        .where(Clip.deleted_at.is_(None))
    )
    if clip_id is not None:
        live_clip(session, clip_id)
        stmt = stmt.where(Passage.clip_id == clip_id).order_by(
            Passage.start.is_(None), Passage.start, Passage.id
        )
    else:
        stmt = stmt.order_by(Passage.updated_at.desc(), Passage.id.desc())
    if tag is not None:
        stmt = stmt.where(Passage.tags.any(Tag.normalized == tag_key(tag)))
    return [passage_info(row, title, fetched) for row, title, fetched in session.execute(stmt)]


def restore_passage(session: Session, info: PassageInfo) -> Passage:
    """Undo of a delete: the same passage, note, tags and dates again."""
    tag_rows = get_or_create_tags(session, info.tags)
    clip = live_clip(session, info.clip_id, lock=True)
    passage = Passage(
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
    passage.tags = tag_rows
    session.add(passage)
    bump_revision(session, clip)
    session.flush()
    return passage


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
