"""Citable records: immutable quotes, metadata provenance, publisher's offset, citation keys.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clipper.export.citekeys import base_key, letters

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch table copy: on SQLite, re-creating `clips` would
    # drop the old table, and its ON DELETE CASCADE would empty versions and annotations.
    op.add_column("clips", sa.Column("published_offset", sa.Integer(), nullable=True))
    op.add_column(
        "clips", sa.Column("metadata_sources", sa.JSON(), nullable=False, server_default="{}")
    )
    op.add_column("clips", sa.Column("citation_key", sa.String(length=120), nullable=True))
    op.add_column("annotations", sa.Column("quote_version_id", sa.Integer(), nullable=True))
    op.add_column("annotations", sa.Column("quote_start", sa.Integer(), nullable=True))
    op.add_column("annotations", sa.Column("quote_end", sa.Integer(), nullable=True))
    op.add_column(
        "annotations",
        sa.Column("current_exact", sa.Text(), nullable=False, server_default=""),
    )
    # Existing passages were made on the version they are anchored on now.
    annotations = sa.table(
        "annotations",
        sa.column("version_id", sa.Integer),
        sa.column("start", sa.Integer),
        sa.column("end", sa.Integer),
        sa.column("quote_version_id", sa.Integer),
        sa.column("quote_start", sa.Integer),
        sa.column("quote_end", sa.Integer),
    )
    op.execute(
        annotations.update().values(
            quote_version_id=annotations.c.version_id,
            quote_start=annotations.c.start,
            quote_end=annotations.c.end,
        )
    )
    _backfill_keys()
    op.create_index("ix_clips_citation_key", "clips", ["citation_key"], unique=True)


def _backfill_keys() -> None:
    """Every existing clip gets its key now, in clip order (older clips keep the plain key)."""
    bind = op.get_bind()
    clips = sa.table(
        "clips",
        sa.column("id", sa.Integer),
        sa.column("title", sa.Text),
        sa.column("authors", sa.JSON),
        sa.column("site_name", sa.String),
        sa.column("published_at", sa.DateTime),
        sa.column("citation_key", sa.String),
    )
    rows = bind.execute(
        sa.select(
            clips.c.id, clips.c.title, clips.c.authors, clips.c.site_name, clips.c.published_at
        ).order_by(clips.c.id)
    ).all()
    # A library of 100,000 clips: one statement per batch, not per clip, and suffixes
    # counted per base key (trying a, b, c... afresh for each clip is quadratic when many
    # clips share a key, as the agency clips of one year do).
    used: set[str] = set()
    tried: dict[str, int] = {}
    keys: list[dict[str, object]] = []
    for row in rows:
        year = row.published_at.year if row.published_at is not None else None
        base = base_key(row.id, row.title, list(row.authors or []), row.site_name, year)
        key = base
        if key in used:
            n = tried.get(base, 0)
            while (key := base + letters(n)) in used:
                n += 1
            tried[base] = n + 1
        used.add(key)
        keys.append({"clip": row.id, "key": key})
    update = (
        clips.update()
        .where(clips.c.id == sa.bindparam("clip"))
        .values(citation_key=sa.bindparam("key"))
    )
    for start in range(0, len(keys), 5000):
        bind.execute(update, keys[start : start + 5000])


def downgrade() -> None:
    op.drop_index("ix_clips_citation_key", table_name="clips")
    # Native DROP COLUMN (SQLite 3.35+, PostgreSQL): no table copy, no cascades.
    for table, column in (
        ("annotations", "current_exact"),
        ("annotations", "quote_end"),
        ("annotations", "quote_start"),
        ("annotations", "quote_version_id"),
        ("clips", "citation_key"),
        ("clips", "metadata_sources"),
        ("clips", "published_offset"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
