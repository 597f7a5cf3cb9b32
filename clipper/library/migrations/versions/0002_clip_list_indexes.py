"""Composite indexes for the sorted clip list.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_clips_live_clipped": ["deleted_at", "clipped_at"],
    "ix_clips_live_published": ["deleted_at", "published_at"],
    "ix_clips_live_title": ["deleted_at", "title_key"],
    "ix_clips_live_site": ["deleted_at", "site_name"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "clips", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="clips")
