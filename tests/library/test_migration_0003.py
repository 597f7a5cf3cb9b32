"""Migration 0003 on a library made before it (SQLite and the real PostgreSQL): existing
clips get unique citation keys in clip order, existing passages record the version their
quote was made on, and the library keeps working (re-anchoring, editing)."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import Engine, text

from clipper.library.db import alembic_config, upgrade


def _old_library(engine: Engine) -> None:
    """Three clips and a passage as schema 0002 stored them."""
    command.upgrade(alembic_config(engine), "0002")
    now = datetime(2024, 1, 2, tzinfo=UTC).replace(tzinfo=None)
    clip_sql = text(
        "INSERT INTO clips (id, url, canonical_url, url_key, title, title_key, subtitle, "
        "authors, site_name, published_at, clipped_at, updated_at, language, revision) "
        "VALUES (:id, 'https://x.test/' || :id, '', :key, :title, '', '', :authors, 'AFP', "
        ":published, :now, :now, 'en', 1)"
    )
    version_sql = text(
        "INSERT INTO versions (id, clip_id, fetched_at, source_url, content_type, raw_html, "
        "html_sha256, text_sha256, blocks, text, extractor) VALUES (:id, :id, :now, '', "
        "'text/html', :raw, '', '', '[]', 'Morocco wins the final.', 'clipper-1')"
    )
    with engine.begin() as conn:
        for clip_id, title in ((1, "Morocco wins"), (2, "Morocco talks"), (3, "Morocco again")):
            conn.execute(
                clip_sql,
                {
                    "id": clip_id,
                    "key": f"{clip_id:064d}",
                    "title": title,
                    "authors": '["AFP"]',
                    "published": datetime(2022, 5, 1),
                    "now": now,
                },
            )
            conn.execute(version_sql, {"id": clip_id, "now": now, "raw": b"x"})
            conn.execute(
                text("UPDATE clips SET current_version_id = :id WHERE id = :id"), {"id": clip_id}
            )
        conn.execute(
            text(
                "INSERT INTO annotations (id, clip_id, version_id, exact, prefix, suffix, "
                'start, "end", color, note, state, created_at, updated_at) VALUES (1, 1, 1, '
                "'wins', 'Morocco ', ' the final.', 8, 12, 'yellow', '', 'anchored', :now, :now)"
            ),
            {"now": now},
        )


def test_upgrade_fills_keys_and_quote_versions(engine: Engine) -> None:
    _old_library(engine)
    upgrade(engine)
    with engine.connect() as conn:
        keys = conn.execute(text("SELECT id, citation_key FROM clips ORDER BY id")).all()
        passage = conn.execute(
            text(
                "SELECT quote_version_id, quote_start, quote_end, current_exact, exact "
                "FROM passages"  # renamed by 0008
            )
        ).one()
        sources = conn.execute(text("SELECT metadata_sources FROM clips WHERE id = 1")).scalar()
    assert [k for _, k in keys] == ["afp2022morocco", "afp2022moroccoa", "afp2022moroccob"]
    assert tuple(passage) == (1, 8, 12, "", "wins")
    assert sources in ({}, "{}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM versions")).scalar() == 3
    # And back: nothing but the new columns goes.
    command.downgrade(alembic_config(engine), "0002")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT exact FROM annotations")).scalar() == "wins"
        assert conn.execute(text("SELECT count(*) FROM versions")).scalar() == 3
