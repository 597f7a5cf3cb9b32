"""Migration 0008 on a library made before it (SQLite and the real PostgreSQL): the
tables `annotations`/`annotation_tags` become `passages`/`passage_tags` with every row
kept, keys and indexes are named after the new tables, and the library keeps working
(new ids follow the old ones, deletes still cascade); the downgrade restores the old
names with the same rows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from clipper.library import Library
from clipper.library.db import alembic_config, upgrade
from clipper.library.models import Base
from clipper.paths import LibraryLocation
from clipper.rules import tag_key

TEXT = "Morocco wins the final. The crowd sings in Rabat until late."
PASSAGES: list[dict[str, Any]] = [
    # A passage with a note, two tags, an edit and a quote made on its version.
    {"id": 1, "clip": 1, "exact": "wins", "start": 8, "end": 12, "state": "anchored",
     "note": "key claim", "current": "", "qv": 1, "qs": 8, "qe": 12, "edits": 3},
    # The wording changed on the page since.
    {"id": 2, "clip": 1, "exact": "crowd sings", "start": 28, "end": 39, "state": "changed",
     "note": "", "current": "crowd sang", "qv": 1, "qs": 28, "qe": 39, "edits": 1},
    # Orphaned: no position, on the other clip, a gap in the ids.
    {"id": 5, "clip": 2, "exact": "gone", "start": None, "end": None, "state": "orphaned",
     "note": "lost", "current": "", "qv": None, "qs": None, "qe": None, "edits": 2},
]  # fmt: skip
TAGS = {1: "Sahara", 2: "Café", 3: "unused"}
PASSAGE_TAGS = [(1, 1), (1, 2), (5, 2)]
COLUMNS = (
    'id, clip_id, version_id, exact, prefix, suffix, start, "end", color, note, state, '
    "created_at, updated_at, quote_version_id, quote_start, quote_end, current_exact, "
    "edit_version"
)


def _old_library(engine: Engine) -> None:
    """Two clips with a version each, three passages and their tags as schema 0007 kept them."""
    command.upgrade(alembic_config(engine), "0007")
    now = datetime(2024, 1, 2, tzinfo=UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        for clip_id in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO clips (id, url, canonical_url, url_key, title, title_key, "
                    "subtitle, authors, site_name, published_at, clipped_at, updated_at, "
                    "language, revision, metadata_sources) VALUES (:id, 'https://x.test/' || "
                    ":id, '', :key, 'T', 't', '', '[]', 'X', :now, :now, :now, 'en', 1, '{}')"
                ),
                {"id": clip_id, "key": f"{clip_id:064d}", "now": now},
            )
            conn.execute(
                text(
                    "INSERT INTO versions (id, clip_id, fetched_at, source_url, content_type, "
                    "raw_html, html_sha256, text_sha256, blocks, text, extractor) VALUES "
                    "(:id, :id, :now, '', 'text/html', :raw, '', '', '[]', :text, 'clipper-1')"
                ),
                {"id": clip_id, "now": now, "raw": b"x", "text": TEXT},
            )
            conn.execute(
                text("UPDATE clips SET current_version_id = :id WHERE id = :id"), {"id": clip_id}
            )
        for p in PASSAGES:
            conn.execute(
                text(
                    f"INSERT INTO annotations ({COLUMNS}) VALUES (:id, :clip, :version, :exact, "
                    "'pre', 'post', :start, :end, 'green', :note, :state, :created, :updated, "
                    ":qv, :qs, :qe, :current, :edits)"
                ),
                {
                    **p,
                    "version": p["clip"],
                    "created": datetime(2024, 2, p["id"], 9, 30),
                    "updated": datetime(2024, 3, p["id"], 10, 45),
                },
            )
        if engine.dialect.name == "postgresql":  # as if Clipper had numbered them
            conn.execute(text("SELECT setval('annotations_id_seq', 5)"))
        for tag_id, name in TAGS.items():
            conn.execute(
                text("INSERT INTO tags (id, name, normalized) VALUES (:id, :name, :norm)"),
                {"id": tag_id, "name": name, "norm": tag_key(name)},
            )
        for passage_id, tag_id in PASSAGE_TAGS:
            conn.execute(
                text("INSERT INTO annotation_tags (annotation_id, tag_id) VALUES (:a, :t)"),
                {"a": passage_id, "t": tag_id},
            )


def _rows(engine: Engine, table: str, links: str, column: str) -> tuple[list[Any], list[Any]]:
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT {COLUMNS} FROM {table} ORDER BY id")).all()
        tags = conn.execute(
            text(f"SELECT {column}, tag_id FROM {links} ORDER BY {column}, tag_id")
        ).all()
    return [tuple(r) for r in rows], [tuple(r) for r in tags]


def _names(engine: Engine) -> dict[str, set[str]]:
    """Per passage table: its primary key, foreign key and index names."""
    with engine.connect() as conn:
        inspector = inspect(conn)
        return {
            table: {inspector.get_pk_constraint(table)["name"]}
            | {fk["name"] for fk in inspector.get_foreign_keys(table)}
            | {ix["name"] for ix in inspector.get_indexes(table)}
            for table in inspector.get_table_names()
            if "annotation" in table or "passage" in table
        }


def _check_models_and_sequence(engine: Engine, table: str) -> None:
    """The models describe the upgraded schema; PostgreSQL's id sequence follows the table."""
    with engine.connect() as conn:
        if table == "passages":  # (PostgreSQL's search table has no model)
            only = {
                "include_object": lambda _o, name, kind, *_: kind != "table" or name in NEW_NAMES
            }
            context = MigrationContext.configure(conn, opts=only)
            assert compare_metadata(context, Base.metadata) == []
        if engine.dialect.name == "postgresql":
            sequence = conn.execute(text(f"SELECT pg_get_serial_sequence('{table}', 'id')"))
            assert sequence.scalar() == f"public.{table}_id_seq"


OLD_NAMES = {
    "annotations": {
        "pk_annotations",
        "fk_annotations_clip_id_clips",
        "fk_annotations_version_id_versions",
        "ix_annotations_clip_id",
    },
    "annotation_tags": {
        "pk_annotation_tags",
        "fk_annotation_tags_annotation_id_annotations",
        "fk_annotation_tags_tag_id_tags",
        "ix_annotation_tags_tag_id",
    },
}
NEW_NAMES = {
    "passages": {
        "pk_passages",
        "fk_passages_clip_id_clips",
        "fk_passages_version_id_versions",
        "ix_passages_clip_id",
    },
    "passage_tags": {
        "pk_passage_tags",
        "fk_passage_tags_passage_id_passages",
        "fk_passage_tags_tag_id_tags",
        "ix_passage_tags_tag_id",
    },
}


def test_upgrade_renames_the_passage_tables_keeping_every_row(
    engine: Engine, tmp_path: Path
) -> None:
    _old_library(engine)
    before = _rows(engine, "annotations", "annotation_tags", "annotation_id")
    assert len(before[0]) == 3 and len(before[1]) == 3
    assert _names(engine) == OLD_NAMES

    upgrade(engine)
    assert _rows(engine, "passages", "passage_tags", "passage_id") == before
    assert _names(engine) == NEW_NAMES
    _check_models_and_sequence(engine, "passages")

    url = engine.url.render_as_string(hide_password=False)
    with Library.open(LibraryLocation(folder=tmp_path / "lib", database_url=url)) as library:
        found = {p.id: p for p in library.passages.find()}
        assert set(found) == {1, 2, 5}
        assert found[1].tags == ("Café", "Sahara") and found[1].edit_version == 3
        assert found[2].state == "changed" and found[2].current_exact == "crowd sang"
        assert found[5].start is None and found[5].note == "lost"
        assert [p.id for p in library.passages.find(tag="cafe")] == [5, 1]
        # A new passage continues after the old ids (PostgreSQL: the renamed sequence).
        added = library.passages.add(2, 0, 7, tags=["Sahara"]).result
        assert added.id == 6 and added.exact == "Morocco"
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM clips WHERE id = 1"))  # cascades to its passages
        assert conn.execute(text("SELECT id FROM passages ORDER BY id")).scalars().all() == [5, 6]
        links = conn.execute(text("SELECT passage_id, tag_id FROM passage_tags")).all()
        assert sorted(tuple(r) for r in links) == [(5, 2), (6, 1)]


def test_downgrade_restores_the_old_names_with_the_same_rows(engine: Engine) -> None:
    _old_library(engine)
    before = _rows(engine, "annotations", "annotation_tags", "annotation_id")
    upgrade(engine)
    command.downgrade(alembic_config(engine), "0007")
    assert _rows(engine, "annotations", "annotation_tags", "annotation_id") == before
    assert _names(engine) == OLD_NAMES
    _check_models_and_sequence(engine, "annotations")
    upgrade(engine)  # and up again, as a library opened by a newer Clipper later would be
    assert _rows(engine, "passages", "passage_tags", "passage_id") == before
    assert _names(engine) == NEW_NAMES
