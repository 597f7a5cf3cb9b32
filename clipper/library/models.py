"""The database schema (DESIGN.md "Data model") as typed SQLAlchemy 2 models.

Portable SQL only: the same models run on SQLite (the embedded default) and
PostgreSQL (a shared team library). Changes to this file need an Alembic migration in
`clipper/library/migrations/versions/`; a test compares the two.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on every backend (SQLite stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime}


class Clip(Base):
    __tablename__ = "clips"
    # The clip list reads every live id in a sort order: (deleted_at, key) indexes let
    # the database walk them in order without sorting (2x faster at 100,000 clips).
    __table_args__ = (
        Index("ix_clips_live_clipped", "deleted_at", "clipped_at"),
        Index("ix_clips_live_published", "deleted_at", "published_at"),
        Index("ix_clips_live_title", "deleted_at", "title_key"),
        Index("ix_clips_live_site", "deleted_at", "site_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str] = mapped_column(Text, default="")
    url_key: Mapped[str] = mapped_column(String(64), index=True)
    """SHA-256 of the normalized canonical (else fetched) URL: the dedup key."""
    title: Mapped[str] = mapped_column(Text, default="")
    title_key: Mapped[str] = mapped_column(String(200), default="", index=True)
    """Lower-cased title prefix: sorting by title without collation quirks."""
    subtitle: Mapped[str] = mapped_column(Text, default="")
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    site_name: Mapped[str] = mapped_column(String(300), default="", index=True)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    published_offset: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The publisher's UTC offset in minutes (None: no zone given): citations use the
    publisher's local date, not the UTC one."""
    metadata_sources: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    """Where each metadata field came from ("json-ld", "open-graph", ..., "user").
    Fields marked "user" are the researcher's corrections: re-clips keep them."""
    citation_key: Mapped[str | None] = mapped_column(
        String(120), nullable=True, unique=True, index=True
    )
    """Generated once when the clip is stored, collision-suffixed within the library."""
    clipped_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    language: Mapped[str] = mapped_column(String(35), default="")
    deleted_at: Mapped[datetime | None] = mapped_column(index=True)
    """Set when moved to the trash (undoable); rows are purged by `empty_trash`."""
    revision: Mapped[int] = mapped_column(Integer, default=1)
    """Bumped on every change; the search index compares it when reconciling."""
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id", use_alter=True, ondelete="SET NULL"), nullable=True
    )
    duplicate_of_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    """The clip with the same text under another URL, when this one was stored (no
    foreign key, so adding it needed no table rebuild; deletes clear it)."""

    versions: Mapped[list[Version]] = relationship(
        back_populates="clip",
        foreign_keys="Version.clip_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Version.id",
    )
    current_version: Mapped[Version | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    tags: Mapped[list[Tag]] = relationship(secondary="clip_tags", back_populates="clips")
    passages: Mapped[list[Passage]] = relationship(
        back_populates="clip", cascade="all, delete-orphan", passive_deletes=True
    )


class Version(Base):
    """One fetch of a clip's page: the raw HTML and what was extracted from it."""

    __tablename__ = "versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clip_id: Mapped[int] = mapped_column(ForeignKey("clips.id", ondelete="CASCADE"), index=True)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    source_url: Mapped[str] = mapped_column(Text, default="")
    http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_type: Mapped[str] = mapped_column(String(200), default="")
    raw_html: Mapped[bytes] = mapped_column(LargeBinary)
    """zlib-compressed bytes exactly as received."""
    html_sha256: Mapped[str] = mapped_column(String(64))
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    """SHA-256 of the plain text: same text, same article (dedup and 'unchanged')."""
    blocks: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    extractor: Mapped[str] = mapped_column(String(50), default="")

    clip: Mapped[Clip] = relationship(back_populates="versions", foreign_keys=[clip_id])
    figures: Mapped[list[Figure]] = relationship(
        back_populates="version",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Figure.position",
    )


class Blob(Base):
    """Image bytes stored once by content hash, with a ready thumbnail."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary)


class Figure(Base):
    __tablename__ = "figures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    """Index in the version's figure list (figure blocks refer to it)."""
    blob_sha256: Mapped[str | None] = mapped_column(
        ForeignKey("blobs.sha256"), nullable=True, index=True
    )
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(Text, default="")
    alt: Mapped[str] = mapped_column(Text, default="")
    src_url: Mapped[str] = mapped_column(Text, default="")
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    image_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Why the image was not stored ("" when it was, or when there was none)."""

    version: Mapped[Version] = relationship(back_populates="figures")
    blob: Mapped[Blob | None] = relationship()


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    normalized: Mapped[str] = mapped_column(String(200), unique=True)

    clips: Mapped[list[Clip]] = relationship(secondary="clip_tags", back_populates="tags")


class ClipTag(Base):
    __tablename__ = "clip_tags"

    clip_id: Mapped[int] = mapped_column(
        ForeignKey("clips.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Passage(Base):
    """A passage: W3C TextQuote + TextPosition selectors on a version's plain text."""

    __tablename__ = "passages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clip_id: Mapped[int] = mapped_column(ForeignKey("clips.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id", ondelete="SET NULL"), nullable=True
    )
    exact: Mapped[str] = mapped_column(Text)
    """The quote as the researcher made it: never changed after creation."""
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    quote_version_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The version the quote was made on; `quote_start`/`quote_end` are offsets there."""
    quote_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    quote_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """Where the passage is in the current version (`version_id`), None when orphaned."""
    end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    current_exact: Mapped[str] = mapped_column(Text, default="")
    """The current version's wording when it differs from `exact` (state "changed")."""
    color: Mapped[str] = mapped_column(String(20), default="yellow")
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="anchored")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    edit_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Bumped by every edit: an edit based on an older version is refused (optimistic
    check), so two people editing one note never silently overwrite each other."""

    clip: Mapped[Clip] = relationship(back_populates="passages")
    tags: Mapped[list[Tag]] = relationship(secondary="passage_tags")


class PassageTag(Base):
    __tablename__ = "passage_tags"

    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passages.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )
