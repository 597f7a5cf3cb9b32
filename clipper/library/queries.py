"""Read-only queries that turn rows into the plain values of `types.py`.

Lists are built for 100,000 clips: ordered ids come from one indexed query, rows are
loaded by id in pages, and tags for a page come in one extra query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from clipper.article import Block, body_text, plain_text
from clipper.errors import LibraryError, NotFoundError
from clipper.library.models import Blob, Clip, ClipTag, Figure, Passage, Tag, Version
from clipper.library.types import (
    ClipDetail,
    ClipFilter,
    ClipSummary,
    SiteCount,
    SortKey,
    StoredFigure,
    TagCount,
    VersionInfo,
)
from clipper.rules import tag_key
from clipper.search.document import IndexDoc

SORT_COLUMNS: dict[str, Any] = {
    "title": Clip.title_key,
    "site": Clip.site_name,
    "published": Clip.published_at,
    "clipped": Clip.clipped_at,
}


def publisher_time(published_at: datetime | None, offset: int | None) -> datetime | None:
    """The stored UTC time in the publisher's own zone (their date is the one to cite)."""
    if published_at is None or offset is None:
        return published_at
    return published_at.astimezone(timezone(timedelta(minutes=offset)))


def live_clip(session: Session, clip_id: int, *, lock: bool = False) -> Clip:
    """A clip not in the trash; `lock` reads it fresh and locks its row until the
    transaction ends (PostgreSQL `FOR UPDATE`; SQLite writers are serialized anyway)."""
    if lock:
        clip = session.get(Clip, clip_id, with_for_update=True, populate_existing=True)
    else:
        clip = session.get(Clip, clip_id)
    if clip is None or clip.deleted_at is not None:
        raise NotFoundError(f"no clip with id {clip_id}")
    return clip


def clip_with_url(session: Session, key: str) -> int | None:
    """The live clip whose normalized URL has this `urls.url_key`, if any."""
    live = Clip.deleted_at.is_(None)
    stmt = select(Clip.id).where(Clip.url_key == key, live).order_by(Clip.id).limit(1)
    return session.scalars(stmt).first()


def _filtered(stmt: Select[Any], flt: ClipFilter | None) -> Select[Any]:
    stmt = stmt.where(Clip.deleted_at.is_(None))
    if flt is None:
        return stmt
    if flt.tag is not None:
        tagged = _clip_tag_pairs().subquery()
        tag_ids = select(Tag.id).where(Tag.normalized == tag_key(flt.tag))
        stmt = stmt.where(Clip.id.in_(select(tagged.c.clip_id).where(tagged.c.tag_id.in_(tag_ids))))
    if flt.untagged:
        stmt = stmt.where(Clip.id.not_in(select(ClipTag.clip_id)))
    if flt.site is not None:
        stmt = stmt.where(Clip.site_name == flt.site)
    if flt.ids is not None:
        stmt = stmt.where(Clip.id.in_(flt.ids))
    return stmt


def count_clips(session: Session, flt: ClipFilter | None = None) -> int:
    return int(session.scalar(_filtered(select(func.count(Clip.id)), flt)) or 0)


def clip_ids(
    session: Session,
    flt: ClipFilter | None = None,
    sort: SortKey = "clipped",
    descending: bool = True,
) -> list[int]:
    column = SORT_COLUMNS[sort]
    order = [column.desc(), Clip.id.desc()] if descending else [column.asc(), Clip.id.asc()]
    # Core execution, not ORM: 100,000 ints without per-row ORM bookkeeping.
    stmt = _filtered(select(Clip.id), flt).order_by(*order)
    return list(session.connection().execute(stmt).scalars())


SUMMARY_CHUNK = 5_000
"""Ids per query: SQLite binds at most 32,766 values in one statement."""


def summaries(session: Session, ids: Sequence[int]) -> list[ClipSummary]:
    """Rows for any number of `ids`, in the order given (missing ids are skipped), read
    `SUMMARY_CHUNK` at a time in the one session (one snapshot)."""
    by_id: dict[int, ClipSummary] = {}
    for start in range(0, len(ids), SUMMARY_CHUNK):
        by_id.update(_summaries(session, ids[start : start + SUMMARY_CHUNK]))
    return [by_id[i] for i in ids if i in by_id]


def _summaries(session: Session, ids: Sequence[int]) -> dict[int, ClipSummary]:
    rows = session.execute(
        select(
            Clip.id,
            Clip.title,
            Clip.site_name,
            Clip.url,
            Clip.canonical_url,
            Clip.published_at,
            Clip.published_offset,
            Clip.clipped_at,
        ).where(Clip.id.in_(ids))
    ).all()
    tags = tags_by_clip(session, ids)
    return {
        row.id: ClipSummary(
            id=row.id,
            title=row.title,
            site_name=row.site_name,
            url=row.url,
            published_at=publisher_time(row.published_at, row.published_offset),
            clipped_at=row.clipped_at,
            tags=tuple(tags.get(row.id, ())),
            canonical_url=row.canonical_url or "",
        )
        for row in rows
    }


def tags_by_clip(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(ClipTag.clip_id, Tag.name)
        .join(Tag, Tag.id == ClipTag.tag_id)
        .where(ClipTag.clip_id.in_(ids))
        .order_by(Tag.normalized)
    )
    for clip_id, name in rows:
        result[clip_id].append(name)
    return result


def stored_figures(session: Session, version_id: int) -> list[StoredFigure]:
    rows = session.execute(
        select(Figure, Blob.media_type)
        .outerjoin(Blob, Blob.sha256 == Figure.blob_sha256)
        .where(Figure.version_id == version_id)
        .order_by(Figure.position)
    ).all()
    return [
        StoredFigure(
            id=fig.id,
            position=fig.position,
            caption=fig.caption,
            credit=fig.credit,
            alt=fig.alt,
            src_url=fig.src_url,
            blob_sha256=fig.blob_sha256,
            media_type=media_type,
            width=fig.width,
            height=fig.height,
            image_error=fig.image_error,
        )
        for fig, media_type in rows
    ]


def clip_detail(session: Session, clip_id: int, version_id: int | None = None) -> ClipDetail:
    clip = live_clip(session, clip_id)
    wanted = version_id or clip.current_version_id
    version = session.get(Version, wanted) if wanted is not None else None
    if version_id is None and version is None:
        raise LibraryError(
            f"clip {clip_id} is damaged: it has no current version; run `clipper check`"
        )
    if version is None or version.clip_id != clip.id:
        raise NotFoundError(f"clip {clip_id} has no version {version_id}")
    blocks = tuple(Block.from_json(b) for b in version.blocks)
    figures = tuple(stored_figures(session, version.id))
    count = session.scalar(select(func.count(Version.id)).where(Version.clip_id == clip.id))
    return ClipDetail(
        id=clip.id,
        url=clip.url,
        canonical_url=clip.canonical_url,
        title=clip.title,
        subtitle=clip.subtitle,
        authors=tuple(clip.authors or ()),
        site_name=clip.site_name,
        published_at=publisher_time(clip.published_at, clip.published_offset),
        clipped_at=clip.clipped_at,
        language=clip.language,
        tags=tuple(sorted((t.name for t in clip.tags), key=str.casefold)),
        version_id=version.id,
        version_count=int(count or 0),
        blocks=blocks,
        figures=figures,
        text=plain_text(list(blocks), list(figures)),
        citation_key=clip.citation_key or "",
        sources=dict(clip.metadata_sources or {}),
        fetched_at=version.fetched_at,
        duplicate_of=clip.duplicate_of_id,
    )


def versions(session: Session, clip_id: int) -> list[VersionInfo]:
    clip = live_clip(session, clip_id)
    rows = session.execute(
        select(
            Version.id,
            Version.fetched_at,
            Version.http_status,
            Version.content_type,
            Version.html_sha256,
            Version.text_sha256,
        )
        .where(Version.clip_id == clip_id)
        .order_by(Version.id)
    ).all()
    return [
        VersionInfo(
            id=row.id,
            clip_id=clip_id,
            fetched_at=row.fetched_at,
            http_status=row.http_status,
            content_type=row.content_type,
            html_sha256=row.html_sha256,
            text_sha256=row.text_sha256,
            is_current=row.id == clip.current_version_id,
        )
        for row in rows
    ]


def _clip_tag_pairs() -> Any:
    """(clip_id, tag_id) for tags on a clip or on one of its passages: the same rule as
    `tag:` in search, so a sidebar count and a search agree."""
    from clipper.library.models import PassageTag

    on_passages = select(Passage.clip_id.label("clip_id"), PassageTag.tag_id).join(
        PassageTag, PassageTag.passage_id == Passage.id
    )
    return select(ClipTag.clip_id.label("clip_id"), ClipTag.tag_id).union(on_passages)


def tag_counts(session: Session) -> list[TagCount]:
    pairs = _clip_tag_pairs().subquery()
    live = select(Clip.id).where(Clip.deleted_at.is_(None))
    rows = session.execute(
        select(Tag.name, func.count(func.distinct(pairs.c.clip_id)))
        .outerjoin(pairs, (pairs.c.tag_id == Tag.id) & pairs.c.clip_id.in_(live))
        .group_by(Tag.id, Tag.name, Tag.normalized)
        .order_by(Tag.normalized)
    ).all()
    return [TagCount(name, int(count)) for name, count in rows]


def site_counts(session: Session) -> list[SiteCount]:
    rows = session.execute(
        select(Clip.site_name, func.count(Clip.id))
        .where(Clip.deleted_at.is_(None), Clip.site_name != "")
        .group_by(Clip.site_name)
        .order_by(func.count(Clip.id).desc(), Clip.site_name)
    ).all()
    return [SiteCount(name, int(count)) for name, count in rows]


def index_docs(session: Session, ids: Sequence[int]) -> list[IndexDoc]:
    """What the search index holds for these clips (deleted ones are skipped)."""
    if not ids:
        return []
    clips = session.scalars(select(Clip).where(Clip.id.in_(ids), Clip.deleted_at.is_(None))).all()
    version_ids = [c.current_version_id for c in clips if c.current_version_id]
    texts: dict[int, list[dict[str, Any]]] = {  # blocks only: `text` would be read twice
        row.id: row.blocks
        for row in session.execute(
            select(Version.id, Version.blocks).where(Version.id.in_(version_ids))
        )
    }
    captions: dict[int, list[str]] = defaultdict(list)
    for version_id, caption, credit in session.execute(
        select(Figure.version_id, Figure.caption, Figure.credit)
        .where(Figure.version_id.in_(version_ids))
        .order_by(Figure.version_id, Figure.position)
    ):
        captions[version_id].append(" ".join(p for p in (caption, credit) if p))
    clip_tags = tags_by_clip(session, [c.id for c in clips])
    notes: dict[int, list[str]] = defaultdict(list)
    note_flags: dict[int, bool] = defaultdict(bool)
    passage_tags: dict[int, list[str]] = defaultdict(list)
    for passage in session.scalars(select(Passage).where(Passage.clip_id.in_(ids))):
        notes[passage.clip_id].append(passage.exact)
        if passage.current_exact:
            notes[passage.clip_id].append(passage.current_exact)
        if passage.note.strip():
            notes[passage.clip_id].append(passage.note)
            note_flags[passage.clip_id] = True
        passage_tags[passage.clip_id].extend(t.name for t in passage.tags)
    docs = []
    for clip in clips:
        blocks = texts.get(clip.current_version_id or -1, [])
        body = body_text([Block.from_json(b) for b in blocks])
        all_tags = {tag_key(t) for t in clip_tags.get(clip.id, []) + passage_tags[clip.id]}
        docs.append(
            IndexDoc(
                id=clip.id,
                revision=clip.revision,
                title=clip.title,
                subtitle=clip.subtitle,
                body=body,
                captions="\n".join(captions.get(clip.current_version_id or -1, [])),
                notes="\n".join(notes[clip.id]),
                tags=tuple(sorted(all_tags)),
                site=clip.site_name,
                authors=tuple(clip.authors or ()),
                url=clip.canonical_url or clip.url,
                published=clip.published_at,
                clipped=clip.clipped_at,
                has_note=note_flags[clip.id],
            )
        )
    return docs


def revisions(session: Session) -> dict[int, int]:
    rows = session.execute(select(Clip.id, Clip.revision).where(Clip.deleted_at.is_(None)))
    return {int(i): int(r) for i, r in rows}


def blob_bytes(session: Session, sha256: str, thumbnail: bool = False) -> bytes | None:
    column = Blob.thumbnail if thumbnail else Blob.data
    data = session.scalar(select(column).where(Blob.sha256 == sha256))
    return bytes(data) if data is not None else None


def texts_for(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """Current plain text with title and subtitle, for phrase checks and snippets."""
    rows = session.execute(
        select(Clip.id, Clip.title, Clip.subtitle, Version.text)
        .join(Version, Version.id == Clip.current_version_id)
        .where(Clip.id.in_(ids))
    )
    return {
        row.id: "\n\n".join(p for p in (row.title, row.subtitle, row.text) if p) for row in rows
    }


def notes_for(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """Passage notes and quotes per clip, for snippets of hits in notes."""
    result: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(Passage.clip_id, Passage.exact, Passage.note)
        .where(Passage.clip_id.in_(ids))
        .order_by(Passage.clip_id, Passage.id)
    )
    for clip_id, exact, note in rows:
        result[clip_id].append(f"{note}\n“{exact}”" if note else f"“{exact}”")
    return {k: "\n\n".join(v) for k, v in result.items()}
