"""Alembic environment: runs on the engine the library hands over (no alembic.ini)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from clipper.library.models import Base

config = context.config
engine: Engine = config.attributes["connection_engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
