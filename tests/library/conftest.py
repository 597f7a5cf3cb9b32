"""Fixtures of the library tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from clipper.library.db import make_engine
from tests.conftest import pg_database


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of each kind (SQLite file, a fresh real PostgreSQL database),
    for migration tests that build an old library by hand."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
        yield eng
        eng.dispose()
        return
    with pg_database() as url:
        eng = make_engine(url)
        try:
            yield eng
        finally:
            eng.dispose()
