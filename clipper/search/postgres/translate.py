"""A `ParsedQuery` as SQL over `search_docs`: tsqueries, filters, ranking, probes.

Every atom becomes one boolean condition (a clause ORs its alternatives, a negated
clause is NOT, clauses are ANDed); words, phrases and prefixes are tsqueries over the
content vector (`<->` for phrases, `:*` for the last word as typed), `note:` and
`author:` over their own vectors, `tag:`/`site:` array containment, dates a range on
the stored date. Values are bound parameters, never spliced into the SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clipper.search.analysis import PREFIX_MIN
from clipper.search.fields import to_timestamp
from clipper.search.postgres.vectors import quote_lexeme
from clipper.search.query import Atom, DateRange, FieldTerm, ParsedQuery, Words


def words_tsquery(atom: Words, weights: str = "") -> str:
    """`'a'`, `'a' <-> 'b'` (a phrase) or `'pre':*` (a prefix), optionally weighted."""
    if atom.prefix and len(atom.terms) == 1 and len(atom.terms[0]) >= PREFIX_MIN:
        return f"{quote_lexeme(atom.terms[0])}:*{weights}"
    return terms_tsquery(atom.terms, weights)


def terms_tsquery(terms: tuple[str, ...], weights: str = "") -> str:
    suffix = f":{weights}" if weights else ""
    return " <-> ".join(f"{quote_lexeme(t)}{suffix}" for t in terms)


@dataclass(frozen=True)
class Probe:
    """A positive word, prefix or phrase (or `note:` words), to say where a hit matched."""

    atom: Words | FieldTerm


@dataclass
class SqlQuery:
    """The WHERE condition, its parameters, the ranking tsqueries and the probes."""

    conditions: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    rank_content: list[str] = field(default_factory=list)
    rank_note: list[str] = field(default_factory=list)
    probes: list[Probe] = field(default_factory=list)
    tag_filter: bool = False

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    @property
    def has_text(self) -> bool:
        return bool(self.rank_content or self.rank_note)

    @property
    def where(self) -> str:
        return " AND ".join(self.conditions) if self.conditions else "TRUE"


def _atom_condition(sql: SqlQuery, atom: Atom, positive: bool) -> str:
    if isinstance(atom, Words):
        query = words_tsquery(atom)
        if positive:
            sql.rank_content.append(query)
            sql.probes.append(Probe(atom))
        return f"content @@ CAST({sql.bind(query)} AS tsquery)"
    if isinstance(atom, DateRange):
        parts = ["date IS NOT NULL"]
        if atom.start is not None:
            parts.append(f"date >= {sql.bind(to_timestamp(atom.start))}")
        if atom.end is not None:
            parts.append(f"date < {sql.bind(to_timestamp(atom.end))}")
        return "(" + " AND ".join(parts) + ")"
    if atom.name == "note":
        query = terms_tsquery(atom.terms)
        if positive:
            sql.rank_note.append(query)
            sql.probes.append(Probe(atom))
        return f"note @@ CAST({sql.bind(query)} AS tsquery)"
    if atom.name == "author":
        return f"author @@ CAST({sql.bind(terms_tsquery(atom.terms))} AS tsquery)"
    if atom.name == "has":
        return "has_note"
    column = "tags" if atom.name == "tag" else "sites"
    if atom.name == "tag" and positive:
        sql.tag_filter = True
    return f"{column} @> CAST({sql.bind([atom.value])} AS text[])"


def translate(parsed: ParsedQuery, restrict_ids: list[int] | None = None) -> SqlQuery:
    sql = SqlQuery()
    for clause in parsed.clauses:
        if not clause.alternatives:
            continue
        alternatives = [_atom_condition(sql, a, not clause.negated) for a in clause.alternatives]
        condition = "(" + " OR ".join(alternatives) + ")"
        sql.conditions.append(f"NOT {condition}" if clause.negated else condition)
    if restrict_ids is not None:
        sql.conditions.append(f"clip_id = ANY(CAST({sql.bind(restrict_ids)} AS integer[]))")
    return sql


def rank_expression(sql: SqlQuery) -> str:
    """ts_rank_cd over the positive text atoms (cover density: near words rank higher)."""
    parts = []
    if sql.rank_content:
        query = " | ".join(f"({q})" for q in sql.rank_content)
        parts.append(f"ts_rank_cd(content, CAST({sql.bind(query)} AS tsquery))")
    if sql.rank_note:
        query = " | ".join(f"({q})" for q in sql.rank_note)
        parts.append(f"ts_rank_cd(note, CAST({sql.bind(query)} AS tsquery))")
    return " + ".join(parts) if parts else "0"


WHERE_PARTS: tuple[tuple[str, str, str], ...] = (
    ("title", "content", "A"),
    ("text", "content", "B"),
    ("caption", "content", "C"),
    ("note", "note", ""),
    ("tag", "tagtext", ""),
)
"""`where` name, the vector it is read from, the weight the query is restricted to."""


def probe_columns(sql: SqlQuery, probe: Probe) -> list[tuple[str, str]]:
    """(where name, boolean SQL) for one probe; `note:` probes only say "note"."""
    atom = probe.atom
    if isinstance(atom, FieldTerm):
        query = terms_tsquery(atom.terms)
        return [("note", f"note @@ CAST({sql.bind(query)} AS tsquery)")]
    out = []
    for name, column, weight in WHERE_PARTS:
        query = words_tsquery(atom, weight)
        out.append((name, f"{column} @@ CAST({sql.bind(query)} AS tsquery)"))
    return out
