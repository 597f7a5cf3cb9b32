"""Why a figure's image was dropped; which clip a same-text clip duplicates.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("figures", sa.Column("image_error", sa.Text(), nullable=False, server_default=""))
    op.add_column("clips", sa.Column("duplicate_of_id", sa.Integer(), nullable=True))
    op.create_index("ix_clips_duplicate_of_id", "clips", ["duplicate_of_id"])


def downgrade() -> None:
    op.drop_index("ix_clips_duplicate_of_id", table_name="clips")
    op.drop_column("clips", "duplicate_of_id")
    op.drop_column("figures", "image_error")
