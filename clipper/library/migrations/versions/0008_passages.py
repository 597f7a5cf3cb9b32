"""One word for one concept: the tables `annotations` and `annotation_tags` become
`passages` and `passage_tags` (column `annotation_id` becomes `passage_id`), with their
keys and indexes named after them. Every row is kept, ids included.

PostgreSQL renames in place (tables, the id sequence, constraints, indexes). SQLite
cannot rename a constraint or an index, so it copies the rows into new tables and drops
the old ones (passage tags first, so no ON DELETE CASCADE fires on rows still needed).
Nothing else refers to these tables: the search documents are read through the models.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


class Names(NamedTuple):
    table: str
    tags: str
    column: str


OLD = Names("annotations", "annotation_tags", "annotation_id")
NEW = Names("passages", "passage_tags", "passage_id")

COLUMNS = (
    'id, clip_id, version_id, exact, prefix, suffix, start, "end", color, note, state, '
    "created_at, updated_at, quote_version_id, quote_start, quote_end, current_exact, "
    "edit_version"
)


def upgrade() -> None:
    _move(OLD, NEW)


def downgrade() -> None:
    _move(NEW, OLD)


def _move(old: Names, new: Names) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _copy(old, new)
    else:
        _rename(old, new)


def _constraints(n: Names) -> list[tuple[str, str]]:
    """(table, constraint) of every named key, as migration 0001 named them."""
    return [
        (n.table, f"pk_{n.table}"),
        (n.table, f"fk_{n.table}_clip_id_clips"),
        (n.table, f"fk_{n.table}_version_id_versions"),
        (n.tags, f"pk_{n.tags}"),
        (n.tags, f"fk_{n.tags}_{n.column}_{n.table}"),
        (n.tags, f"fk_{n.tags}_tag_id_tags"),
    ]


def _indexes(n: Names) -> list[str]:
    return [f"ix_{n.table}_clip_id", f"ix_{n.tags}_tag_id"]


def _rename(old: Names, new: Names) -> None:
    """PostgreSQL: rename in place (the id column's default names its sequence by oid)."""
    op.rename_table(old.table, new.table)
    op.rename_table(old.tags, new.tags)
    op.alter_column(new.tags, old.column, new_column_name=new.column)
    op.execute(f"ALTER SEQUENCE IF EXISTS {old.table}_id_seq RENAME TO {new.table}_id_seq")
    for (_table, before), (table, after) in zip(_constraints(old), _constraints(new), strict=True):
        op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {before} TO {after}")
    for before, after in zip(_indexes(old), _indexes(new), strict=True):
        op.execute(f"ALTER INDEX {before} RENAME TO {after}")


def _copy(old: Names, new: Names) -> None:
    """SQLite: new tables under the new names, the rows copied, the old tables dropped."""
    _create(new)
    op.execute(f"INSERT INTO {new.table} ({COLUMNS}) SELECT {COLUMNS} FROM {old.table}")
    op.execute(
        f"INSERT INTO {new.tags} ({new.column}, tag_id) SELECT {old.column}, tag_id FROM {old.tags}"
    )
    op.drop_index(f"ix_{old.tags}_tag_id", table_name=old.tags)
    op.drop_table(old.tags)
    op.drop_index(f"ix_{old.table}_clip_id", table_name=old.table)
    op.drop_table(old.table)
    op.create_index(op.f(f"ix_{new.table}_clip_id"), new.table, ["clip_id"])
    op.create_index(op.f(f"ix_{new.tags}_tag_id"), new.tags, ["tag_id"])


def _create(n: Names) -> None:
    """The two tables as migrations 0001, 0003 and 0005 left them, under `n`'s names."""
    op.create_table(
        n.table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clip_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("exact", sa.Text(), nullable=False),
        sa.Column("prefix", sa.Text(), nullable=False),
        sa.Column("suffix", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("color", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("quote_version_id", sa.Integer(), nullable=True),
        sa.Column("quote_start", sa.Integer(), nullable=True),
        sa.Column("quote_end", sa.Integer(), nullable=True),
        sa.Column("current_exact", sa.Text(), nullable=False, server_default=""),
        sa.Column("edit_version", sa.Integer(), nullable=False, server_default="1"),
        sa.ForeignKeyConstraint(
            ["clip_id"],
            ["clips.id"],
            name=op.f(f"fk_{n.table}_clip_id_clips"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["versions.id"],
            name=op.f(f"fk_{n.table}_version_id_versions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{n.table}")),
    )
    op.create_table(
        n.tags,
        sa.Column(n.column, sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            [n.column],
            [f"{n.table}.id"],
            name=op.f(f"fk_{n.tags}_{n.column}_{n.table}"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f(f"fk_{n.tags}_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint(n.column, "tag_id", name=op.f(f"pk_{n.tags}")),
    )
