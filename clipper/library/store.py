"""Writing a captured page: clip, version, figures and blobs in one session.

The caller owns the transaction; nothing here commits, so a failure anywhere leaves the
database as it was.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from clipper.article import Article
from clipper.export.citekeys import base_key, unique_key
from clipper.library.models import Blob, Clip, Figure, Tag, Version, utcnow
from clipper.library.types import ClipStatus
from clipper.rules import tag_key, tag_name, url_key

if TYPE_CHECKING:
    from clipper.capture.pipeline import Capture

EXTRACTOR_NAME = "clipper-1"


@dataclass(frozen=True)
class StoreOutcome:
    clip: Clip
    version: Version
    status: ClipStatus
    previous_version: Version | None


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_existing(session: Session, capture: Capture) -> Clip | None:
    """The clip this page is already in: by its canonical or fetched URL only.

    The canonical URL was checked at capture (only the page's own site or redirects);
    identical text under another URL is a new clip (see `find_duplicate`), never a
    reason to merge: text alone cannot say which page is which.
    """
    article = capture.article
    keys = {url_key(u) for u in (article.canonical_url, capture.source_url, article.url) if u}
    live = Clip.deleted_at.is_(None)
    if not keys:
        return None
    return session.scalars(
        select(Clip).where(Clip.url_key.in_(keys), live).order_by(Clip.id).limit(1)
    ).first()


def find_duplicate(session: Session, capture: Capture, text_hash: str) -> Clip | None:
    """The first live clip whose current text is identical (empty pages never match)."""
    live = Clip.deleted_at.is_(None)
    if not capture.article.text:
        return None
    return session.scalars(
        select(Clip)
        .join(Version, Version.id == Clip.current_version_id)
        .where(Version.text_sha256 == text_hash, live)
        .order_by(Clip.id)
        .limit(1)
    ).first()


def store_capture(session: Session, capture: Capture) -> StoreOutcome:
    article = capture.article
    plain = article.plain_text
    text_hash = text_sha256(plain)
    clip = find_existing(session, capture)
    previous: Version | None = None
    if clip is not None:
        previous = clip.current_version
        if previous is not None and previous.text_sha256 == text_hash:
            if upgrade_tables(previous, article):
                bump_revision(session, clip)
            return StoreOutcome(clip, previous, "unchanged", previous)
        status: ClipStatus = "updated"
    else:
        original = find_duplicate(session, capture, text_hash)
        clip = Clip(
            clipped_at=utcnow(),
            revision=0,
            authors=[],
            metadata_sources={},
            duplicate_of_id=original.id if original is not None else None,
        )
        session.add(clip)
        status = "new"
    _apply_metadata(clip, article, capture)
    version = _new_version(clip, capture, plain, text_hash)
    session.add(version)
    session.flush()
    _add_figures(session, version, capture)
    clip.current_version = version
    clip.updated_at = utcnow()
    bump_revision(session, clip)
    if not clip.citation_key:
        assign_citation_key(session, clip)
    session.flush()
    return StoreOutcome(clip, version, status, previous)


def _apply_metadata(clip: Clip, article: Article, capture: Capture) -> None:
    """The new version's metadata, except fields the researcher corrected ("user")."""
    clip.url = article.url or capture.source_url
    clip.url_key = url_key(article.canonical_url or capture.source_url or article.url)
    extracted = {
        "canonical_url": article.canonical_url or "",
        "title": article.title or article.canonical_url or article.url,
        "subtitle": article.subtitle,
        "authors": list(article.authors),
        "site_name": article.site_name,
        "published": article.published,
    }
    sources = dict(clip.metadata_sources or {})
    kept = {f for f, source in sources.items() if source == USER}
    new_sources = {f: s for f, s in article.sources.items() if f not in kept}
    set_metadata(clip, {f: v for f, v in extracted.items() if f not in kept})
    clip.metadata_sources = {**new_sources, **{f: USER for f in kept}}
    clip.language = article.language[:35]


USER = "user"
"""The source of a field the researcher corrected: re-clips and re-extraction keep it."""


def set_metadata(clip: Clip, values: dict[str, Any]) -> None:
    """Write metadata fields by name (the names of `Article` and `clipper edit`)."""
    if "title" in values:
        clip.title = str(values["title"])
        clip.title_key = clip.title.casefold()[:200]
    if "subtitle" in values:
        clip.subtitle = str(values["subtitle"])
    if "authors" in values:
        clip.authors = [str(a) for a in values["authors"]]
    if "site_name" in values:
        clip.site_name = str(values["site_name"])[:300]
    if "canonical_url" in values:
        clip.canonical_url = str(values["canonical_url"])
    if "published" in values:
        published: datetime | None = values["published"]
        clip.published_at = published
        offset = published.utcoffset() if published is not None else None
        clip.published_offset = int(offset.total_seconds() // 60) if offset is not None else None


def assign_citation_key(session: Session, clip: Clip) -> None:
    """Give a new clip its citation key, unique in the library (once, never changed)."""
    year = clip.published_at.year if clip.published_at else None
    base = base_key(clip.id, clip.title, clip.authors or [], clip.site_name, year)
    taken = {
        key
        for key in session.scalars(
            select(Clip.citation_key).where(Clip.citation_key.startswith(base))
        )
        if key
    }
    clip.citation_key = unique_key(base, taken)


def _new_version(clip: Clip, capture: Capture, plain: str, text_hash: str) -> Version:
    return Version(
        clip=clip,
        fetched_at=utcnow(),
        source_url=capture.source_url,
        http_status=capture.http_status,
        content_type=capture.content_type[:200],
        raw_html=zlib.compress(capture.raw_html, 6),
        html_sha256=capture.html_sha256,
        text_sha256=text_hash,
        blocks=[block.to_json() for block in capture.article.blocks],
        text=plain,
        extractor=EXTRACTOR_NAME,
    )


def _add_figures(session: Session, version: Version, capture: Capture) -> None:
    for index, info in enumerate(capture.article.figures):
        image = capture.images.get(index)
        sha = None
        if image is not None:
            sha = image.sha256
            if session.get(Blob, sha) is None:
                session.add(
                    Blob(
                        sha256=sha,
                        media_type=image.media_type,
                        size=len(image.data),
                        width=image.width,
                        height=image.height,
                        data=image.data,
                        thumbnail=image.thumbnail,
                    )
                )
                session.flush()
        session.add(
            Figure(
                version_id=version.id,
                position=index,
                blob_sha256=sha,
                caption=info.caption,
                credit=info.credit,
                alt=info.alt,
                src_url=info.src,
                width=image.width if image else info.width,
                height=image.height if image else info.height,
                image_error=capture.image_errors.get(index, "")[:500],
            )
        )


def raw_html_of(version: Version) -> bytes:
    return zlib.decompress(version.raw_html)


# --- tags -----------------------------------------------------------------------------


def get_or_create_tags(session: Session, names: Iterable[str]) -> list[Tag]:
    """The tags of these names, created when missing.

    Another client may add the same new tag at the same moment: the insert does nothing
    on a conflict with the unique `normalized` key (PostgreSQL waits for the other
    transaction, then skips), and the row is read back, whoever wrote it. Call this
    before locking clips (`live_clip(lock=True)`): every writer locks in one order.
    """
    tags: list[Tag] = []
    for raw in names:
        name = tag_name(raw)
        if not name:
            continue
        norm = tag_key(name)
        tag = session.scalars(select(Tag).where(Tag.normalized == norm)).first()
        if tag is None:
            session.execute(
                _insert_for(session)(Tag)
                .values(name=name, normalized=norm)
                .on_conflict_do_nothing(index_elements=["normalized"])
            )
            tag = session.scalars(select(Tag).where(Tag.normalized == norm)).one()
        if tag not in tags:
            tags.append(tag)
    return tags


def _insert_for(session: Session) -> Any:
    """The dialect's INSERT, which has `on_conflict_do_nothing` (SQLite and PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


TOUCHED = "clipper_touched"
"""`session.info` key: the clips this transaction changed (ids, or new Clip objects)."""


def mark_changed(session: Session, clips: Iterable[Clip | int]) -> None:
    """Remember changed clips, so an index kept in the database (PostgreSQL search) is
    written in this same transaction (see `Library._write`)."""
    session.info.setdefault(TOUCHED, []).extend(clips)


def touched_ids(session: Session) -> set[int]:
    """The ids `mark_changed` recorded (call after a flush, so new clips have ids)."""
    return {c if isinstance(c, int) else c.id for c in session.info.pop(TOUCHED, [])}


def upgrade_tables(version: Version, article: Article) -> bool:
    """Give a stored version the table blocks of a re-extraction of the same text.

    Releases before table blocks stored a table as a paragraph of its `table_text`;
    re-clipping or `reextract` then finds the same text ("unchanged"). When the only
    differences are such paragraphs becoming tables with exactly their text, the
    version's blocks are replaced: the plain text, and so every offset, stays the same.
    """
    new = [block.to_json() for block in article.blocks]
    old = version.blocks or []
    if len(new) != len(old) or new == old:
        return False
    for before, after in zip(old, new, strict=True):
        if before == after:
            continue
        upgraded = before.get("kind") == "paragraph" and after["kind"] == "table"
        if not upgraded or before.get("text") != after["text"]:
            return False
    version.blocks = new
    return True


def bump_revision(session: Session, clip: Clip) -> None:
    """`revision = revision + 1` in SQL: two clients changing one clip at once both
    count (a Python `+= 1` on values read before the other commit loses one)."""
    mark_changed(session, [clip])
    if clip.id is None or clip in session.new:
        clip.revision = (clip.revision or 0) + 1
        return
    session.flush()
    new = session.execute(
        update(Clip)
        .where(Clip.id == clip.id)
        .values(revision=Clip.revision + 1)
        .returning(Clip.revision)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    set_committed_value(clip, "revision", new)


def find_tag(session: Session, name: str) -> Tag | None:
    return session.scalars(select(Tag).where(Tag.normalized == tag_key(name))).first()


def delete_unused_blobs(session: Session) -> int:
    """Blobs no figure refers to any more (after deletions)."""
    used = select(Figure.blob_sha256).where(Figure.blob_sha256.is_not(None))
    orphans = session.scalars(select(Blob.sha256).where(Blob.sha256.not_in(used))).all()
    for sha in orphans:
        blob = session.get(Blob, sha)
        if blob is not None:
            session.delete(blob)
    return len(orphans)
