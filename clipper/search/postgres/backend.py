"""`PostgresSearch`: the `SearchBackend` of a team library, in the library's database.

Nothing is built per machine: the `search_docs` table (made by the library's
migration 0006) holds one row per clip, written by the library in the same
transaction as the clip (`write`), so every client searches the same, current index.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text

from clipper.search.backend import IndexHit, IndexResults, Progress, SearchIndexError
from clipper.search.document import IndexDoc
from clipper.search.postgres.translate import probe_columns, rank_expression, translate
from clipper.search.postgres.vectors import doc_row
from clipper.search.query import ParsedQuery

TABLE = "search_docs"
BATCH = 500

_UPSERT = text(
    f"""
    INSERT INTO {TABLE}
        (clip_id, revision, content, note, tagtext, author, tags, sites, has_note, date)
    VALUES (:clip_id, :revision, CAST(:content AS tsvector), CAST(:note AS tsvector),
        CAST(:tagtext AS tsvector), CAST(:author AS tsvector), CAST(:tags AS text[]),
        CAST(:sites AS text[]), :has_note, :date)
    ON CONFLICT (clip_id) DO UPDATE SET
        revision = EXCLUDED.revision, content = EXCLUDED.content, note = EXCLUDED.note,
        tagtext = EXCLUDED.tagtext, author = EXCLUDED.author, tags = EXCLUDED.tags,
        sites = EXCLUDED.sites, has_note = EXCLUDED.has_note, date = EXCLUDED.date
    """
)
_DELETE = text(f"DELETE FROM {TABLE} WHERE clip_id = ANY(CAST(:ids AS integer[]))")


class PostgresSearch:
    """Full-text search in PostgreSQL (tsvector + GIN, ranked by `ts_rank_cd`); a
    `TransactionalIndex`: the library writes clips' rows inside its own transactions."""

    def __init__(self, url_or_engine: str | Engine) -> None:
        """Search the database at this URL, or through this engine (disposed on close)."""
        if isinstance(url_or_engine, str):
            url_or_engine = create_engine(url_or_engine, pool_pre_ping=True, pool_size=2)
        self.engine = url_or_engine
        self._closed = False
        try:
            with self.engine.connect() as conn:
                self.needs_rebuild = conn.execute(
                    text(f"SELECT NOT EXISTS (SELECT 1 FROM {TABLE})")
                ).scalar_one()
        except Exception as exc:
            raise SearchIndexError(
                f"the library's search table cannot be read ({exc.__class__.__name__})"
            ) from exc

    # --- writing --------------------------------------------------------------------

    @staticmethod
    def write(conn: Connection, docs: Sequence[IndexDoc], gone: Iterable[int] = ()) -> None:
        """Write rows in the caller's transaction (the one that changed the clips)."""
        rows = [doc_row(d) for d in docs]
        for start in range(0, len(rows), BATCH):
            conn.execute(_UPSERT, rows[start : start + BATCH])
        gone = sorted(set(gone))
        if gone:
            conn.execute(_DELETE, {"ids": gone})

    def upsert(self, docs: Sequence[IndexDoc]) -> None:
        self._check_open()
        with self.engine.begin() as conn:
            self.write(conn, docs)
        self.needs_rebuild = False

    def delete(self, ids: Iterable[int]) -> None:
        self._check_open()
        with self.engine.begin() as conn:
            self.write(conn, (), ids)

    def rebuild(
        self, docs: Iterable[IndexDoc], total: int | None = None, progress: Progress | None = None
    ) -> None:
        """Replace every row in one transaction: searchers see the old rows until it
        commits."""
        self._check_open()
        done = 0
        batch: list[IndexDoc] = []
        with self.engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {TABLE}"))
            for doc in docs:
                batch.append(doc)
                if len(batch) >= BATCH:
                    self.write(conn, batch)
                    done += len(batch)
                    batch = []
                    if progress:
                        progress(done, total)
            self.write(conn, batch)
            done += len(batch)
        if progress:
            progress(done, total)
        self.needs_rebuild = False

    # --- reading --------------------------------------------------------------------

    def search(
        self,
        query: ParsedQuery,
        *,
        limit: int = 20,
        offset: int = 0,
        restrict_ids: Collection[int] | None = None,
    ) -> IndexResults:
        self._check_open()
        if not any(c.alternatives for c in query.clauses):
            return IndexResults(0, (), query.highlight_terms, query.warnings)
        sql = translate(query, None if restrict_ids is None else sorted(restrict_ids))
        if sql.has_text:
            score = rank_expression(sql)
            order = "score DESC, clip_id DESC"
        else:
            score = "0"
            order = "date DESC NULLS LAST, clip_id DESC"
        page = text(
            f"SELECT clip_id, {score} AS score, count(*) OVER () AS total FROM {TABLE} "
            f"WHERE {sql.where} ORDER BY {order} LIMIT :limit OFFSET :offset"
        )
        params: dict[str, Any] = {**sql.params, "limit": max(limit, 0), "offset": max(offset, 0)}
        with self.engine.connect() as conn:
            rows = conn.execute(page, params).all()
            if rows:
                total = int(rows[0].total)
            else:
                total = conn.execute(
                    text(f"SELECT count(*) FROM {TABLE} WHERE {sql.where}"), sql.params
                ).scalar_one()
            ids = [int(r.clip_id) for r in rows]
            where = self._where(conn, sql, ids)
        hits = tuple(IndexHit(i, float(r.score), where[i]) for i, r in zip(ids, rows, strict=True))
        return IndexResults(
            total=int(total), hits=hits, terms=query.highlight_terms, warnings=query.warnings
        )

    def _where(self, conn: Connection, sql: Any, ids: list[int]) -> dict[int, tuple[str, ...]]:
        """Parts each hit matched, in the order title, text, caption, note, tag."""
        extra = {"tag"} if sql.tag_filter else set()
        found: dict[int, set[str]] = {i: set(extra) for i in ids}
        if ids and sql.probes:
            columns: list[tuple[str, str]] = []
            for probe in sql.probes:
                columns.extend(probe_columns(sql, probe))
            select = ", ".join(f"{expr} AS w{n}" for n, (_name, expr) in enumerate(columns))
            rows = conn.execute(
                text(
                    f"SELECT clip_id, {select} FROM {TABLE} "
                    "WHERE clip_id = ANY(CAST(:hit_ids AS integer[]))"
                ),
                {**sql.params, "hit_ids": ids},
            )
            for row in rows:
                for n, (name, _expr) in enumerate(columns):
                    if row[n + 1]:
                        found[int(row[0])].add(name)
        order = ("title", "text", "caption", "note", "tag")
        return {i: tuple(p for p in order if p in found[i]) for i in ids}

    def revisions(self) -> dict[int, int]:
        self._check_open()
        with self.engine.connect() as conn:
            return {
                int(i): int(r)
                for i, r in conn.execute(text(f"SELECT clip_id, revision FROM {TABLE}"))
            }

    def doc_count(self) -> int:
        self._check_open()
        with self.engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {TABLE}")).scalar_one())

    def close(self) -> None:
        if not self._closed:
            self.engine.dispose()
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise SearchIndexError("the search index is closed")
