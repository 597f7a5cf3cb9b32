"""Migration 0007 on a library made before it (SQLite and the real PostgreSQL): tags
that collide under the rule book's `tag_key` ("Café", "Cafe", "CAFÈ") become one tag,
and no clip or passage loses a tag."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import Engine, text

from clipper.library.db import alembic_config, upgrade

TAGS = {1: "Café", 2: "Cafe", 3: "CAFÈ", 4: "harbour", 5: "Harbour  Plan"}
CLIP_TAGS = [(1, 1), (2, 1), (3, 2), (1, 2), (4, 4), (3, 5)]
"""(clip, tag): "Café" on clips 1 and 2, "Cafe" on 3 and 1 (clip 1 has both)."""
PASSAGE_TAGS = [(1, 3), (2, 3), (2, 1)]
"""(passage, tag): "CAFÈ" on passages 1 (clip 1) and 2 (clip 4), which also has "Café"."""


def _old_library(engine: Engine) -> None:
    """Four clips, two passages and tags as schema 0006 keyed them (case only)."""
    command.upgrade(alembic_config(engine), "0006")
    now = datetime(2024, 1, 2, tzinfo=UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        for clip_id in range(1, 5):
            conn.execute(
                text(
                    "INSERT INTO clips (id, url, canonical_url, url_key, title, title_key, "
                    "subtitle, authors, site_name, published_at, clipped_at, updated_at, "
                    "language, revision, metadata_sources) VALUES (:id, 'https://x.test/' || "
                    ":id, '', :key, 'T', 't', '', '[]', 'X', :now, :now, :now, 'en', 1, '{}')"
                ),
                {"id": clip_id, "key": f"{clip_id:064d}", "now": now},
            )
        for passage_id, clip_id in ((1, 1), (2, 4)):
            conn.execute(
                text(
                    "INSERT INTO annotations (id, clip_id, exact, prefix, suffix, start, "
                    '"end", color, note, state, created_at, updated_at) VALUES (:id, :clip, '
                    "'q', '', '', 0, 1, 'yellow', '', 'anchored', :now, :now)"
                ),
                {"id": passage_id, "clip": clip_id, "now": now},
            )
        for tag_id, name in TAGS.items():
            conn.execute(
                text("INSERT INTO tags (id, name, normalized) VALUES (:id, :name, :norm)"),
                {"id": tag_id, "name": name, "norm": " ".join(name.split()).casefold()},
            )
        for clip_id, tag_id in CLIP_TAGS:
            conn.execute(
                text("INSERT INTO clip_tags (clip_id, tag_id) VALUES (:c, :t)"),
                {"c": clip_id, "t": tag_id},
            )
        for passage_id, tag_id in PASSAGE_TAGS:
            conn.execute(
                text("INSERT INTO annotation_tags (annotation_id, tag_id) VALUES (:a, :t)"),
                {"a": passage_id, "t": tag_id},
            )


def _state(
    engine: Engine, links: str = "passage_tags", column: str = "passage_id"
) -> tuple[dict[str, str], set[tuple[int, str]], set[tuple[int, str]]]:
    """Tags, clip links and passage links (the passage tables as 0008 names them, or as
    given for an older schema)."""
    with engine.connect() as conn:
        tags = dict(conn.execute(text("SELECT name, normalized FROM tags")).all())
        clip_tags = conn.execute(
            text("SELECT clip_id, name FROM clip_tags JOIN tags ON tags.id = tag_id")
        ).all()
        passage_tags = conn.execute(
            text(f"SELECT {column}, name FROM {links} JOIN tags ON tags.id = tag_id")
        ).all()
    assert len(clip_tags) == len(set(clip_tags)) and len(passage_tags) == len(set(passage_tags))
    return tags, {tuple(r) for r in clip_tags}, {tuple(r) for r in passage_tags}  # type: ignore[misc]


def test_upgrade_merges_tags_that_fold_alike(engine: Engine) -> None:
    _old_library(engine)
    upgrade(engine)
    tags, clip_tags, passage_tags = _state(engine)
    # "Café" has 3 links (2 clips, 1 passage), "CAFÈ" 2, "Cafe" 2: the most used form stays.
    assert tags == {"Café": "cafe", "harbour": "harbour", "Harbour  Plan": "harbour plan"}
    assert clip_tags == {
        (1, "Café"),
        (2, "Café"),
        (3, "Café"),
        (4, "harbour"),
        (3, "Harbour  Plan"),
    }
    assert passage_tags == {(1, "Café"), (2, "Café")}
    with engine.connect() as conn:
        revisions = dict(conn.execute(text("SELECT id, revision FROM clips")).all())
    # Clips 1 and 3 lost a merged link, clip 4 through its passage; clip 2 kept its tag.
    assert revisions == {1: 2, 2: 1, 3: 2, 4: 2}

    # Back to 0006: the case-only key again; the merge stays (no tag is lost either way).
    command.downgrade(alembic_config(engine), "0006")
    tags, clip_tags_after, _ = _state(engine, "annotation_tags", "annotation_id")
    assert tags == {"Café": "café", "harbour": "harbour", "Harbour  Plan": "harbour plan"}
    assert clip_tags_after == clip_tags


def test_upgrade_of_a_library_without_collisions_changes_no_clip(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), "0006")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO tags (id, name, normalized) VALUES (1, 'Été', 'été')"))
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name, normalized FROM tags")).one() == ("Été", "ete")
