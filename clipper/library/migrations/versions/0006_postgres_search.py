"""Full-text search in the server for PostgreSQL libraries (nothing on SQLite).

One `search_docs` row per clip: tsvectors of our own analyzer's lexemes (see
`clipper.search.postgres.vectors`), the filter keys, GIN indexes. Filled from the
clips on the first open after the upgrade (the backend then reports an empty index).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STATEMENTS = (
    """
    CREATE TABLE search_docs (
        clip_id integer PRIMARY KEY,
        revision integer NOT NULL,
        content tsvector NOT NULL,
        note tsvector NOT NULL,
        tagtext tsvector NOT NULL,
        author tsvector NOT NULL,
        tags text[] NOT NULL,
        sites text[] NOT NULL,
        has_note boolean NOT NULL,
        date bigint
    )
    """,
    "CREATE INDEX ix_search_docs_content ON search_docs USING gin (content)",
    "CREATE INDEX ix_search_docs_note ON search_docs USING gin (note)",
    "CREATE INDEX ix_search_docs_author ON search_docs USING gin (author)",
    "CREATE INDEX ix_search_docs_tags ON search_docs USING gin (tags)",
    "CREATE INDEX ix_search_docs_sites ON search_docs USING gin (sites)",
    "CREATE INDEX ix_search_docs_date ON search_docs (date)",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE search_docs")
