"""Tags are keyed by the rule book's `tag_key` (case and accents folded): merge the tags
that now share a key ("Café" and "Cafe"), keeping every clip's and passage's tags.

The kept tag is the most used form (clip and passage links; the oldest on a tie) and
keeps its name; a clip or passage that carried several forms keeps one link. Clips whose
tags changed get a new revision, so the search index reads them again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

from clipper.rules import tag_key

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

tags = sa.table(
    "tags", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("normalized")
)
clip_tags = sa.table("clip_tags", sa.column("clip_id", sa.Integer), sa.column("tag_id", sa.Integer))
annotation_tags = sa.table(
    "annotation_tags", sa.column("annotation_id", sa.Integer), sa.column("tag_id", sa.Integer)
)
annotation_rows = sa.table(
    "annotations", sa.column("id", sa.Integer), sa.column("clip_id", sa.Integer)
)
clips = sa.table("clips", sa.column("id", sa.Integer), sa.column("revision", sa.Integer))


def upgrade() -> None:
    rekey(tag_key)


def downgrade() -> None:
    """Back to the case-only key; merged tags stay merged (their links are one now)."""
    rekey(lambda name: " ".join(name.split()).casefold())


def rekey(key_of: Callable[[str], str]) -> None:
    """Give every tag its key under `key_of`, merging the tags that share one."""
    bind = op.get_bind()
    rows = bind.execute(sa.select(tags.c.id, tags.c.name, tags.c.normalized)).all()
    uses: dict[int, int] = defaultdict(int)
    for link in (clip_tags, annotation_tags):
        counted = sa.select(link.c.tag_id, sa.func.count()).group_by(link.c.tag_id)
        for tag_id, count in bind.execute(counted):
            uses[tag_id] += count
    groups: dict[str, list[int]] = defaultdict(list)
    old_keys: dict[int, str] = {}
    for tag_id, name, normalized in rows:
        groups[key_of(name)].append(tag_id)
        old_keys[tag_id] = normalized
    touched: set[int] = set()
    new_keys: dict[int, str] = {}
    for key, members in groups.items():
        kept = max(members, key=lambda t: (uses[t], -t))
        touched |= _merge(bind, [t for t in members if t != kept], kept)
        new_keys[kept] = key
    moved = {t: k for t, k in new_keys.items() if old_keys[t] != k}
    update = (
        tags.update().where(tags.c.id == sa.bindparam("tag")).values(normalized=sa.bindparam("key"))
    )
    if moved:  # two passes, via keys no rule makes (a leading space): no clash on the way
        bind.execute(update, [{"tag": t, "key": f" {t}"} for t in moved])
        bind.execute(update, [{"tag": t, "key": k} for t, k in moved.items()])
    ids = sorted(touched)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        bind.execute(
            clips.update().where(clips.c.id.in_(chunk)).values(revision=clips.c.revision + 1)
        )


def _merge(bind: sa.Connection, merged: list[int], kept: int) -> set[int]:
    """Move the links of the `merged` tags to `kept` (one link per clip or passage),
    delete those tags; the ids of the clips whose tags changed."""
    if not merged:
        return set()
    clip_ids = set(
        bind.execute(sa.select(clip_tags.c.clip_id).where(clip_tags.c.tag_id.in_(merged))).scalars()
    )
    passage_ids = set(
        bind.execute(
            sa.select(annotation_tags.c.annotation_id).where(annotation_tags.c.tag_id.in_(merged))
        ).scalars()
    )
    has_kept = set(
        bind.execute(sa.select(clip_tags.c.clip_id).where(clip_tags.c.tag_id == kept)).scalars()
    )
    passages_kept = set(
        bind.execute(
            sa.select(annotation_tags.c.annotation_id).where(annotation_tags.c.tag_id == kept)
        ).scalars()
    )
    bind.execute(clip_tags.delete().where(clip_tags.c.tag_id.in_(merged)))
    bind.execute(annotation_tags.delete().where(annotation_tags.c.tag_id.in_(merged)))
    if clip_ids - has_kept:
        bind.execute(
            clip_tags.insert(),
            [{"clip_id": c, "tag_id": kept} for c in sorted(clip_ids - has_kept)],
        )
    if passage_ids - passages_kept:
        bind.execute(
            annotation_tags.insert(),
            [{"annotation_id": a, "tag_id": kept} for a in sorted(passage_ids - passages_kept)],
        )
    bind.execute(tags.delete().where(tags.c.id.in_(merged)))
    on_passages = set()
    if passage_ids:
        on_passages = set(
            bind.execute(
                sa.select(annotation_rows.c.clip_id).where(
                    annotation_rows.c.id.in_(sorted(passage_ids))
                )
            ).scalars()
        )
    return clip_ids | on_passages
