"""The Whoosh schema of a Clipper index (kept in Whoosh's table of contents) and the
Whoosh tokenizer over our analysis, so Whoosh's own query parser reads fields as we do.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh import fields
from whoosh.analysis import Token, Tokenizer

from clipper.search.analysis import index_terms

SCHEMA_VERSION = 3
"""Bump on any change to fields, analysis or the segment format: an index of another
version is recreated empty and refilled from the library. 3: the rule book's `fold`
decomposes before case folding (637 characters fold differently: modifier and
mathematical letters, Greek symbols), and a rebuilt index is compacted into one segment."""


class WordTokenizer(Tokenizer):
    """`index_terms` through Whoosh's token protocol."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for term, pos in index_terms(value):
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            yield token


def build_schema() -> fields.Schema:
    words = WordTokenizer()
    text = {
        name: fields.TEXT(analyzer=words, phrase=True)
        for name in ("content", "title", "caption", "note", "tagtext", "author")
    }
    keywords = {name: fields.KEYWORD() for name in ("pairs", "tag", "site", "flags")}
    return fields.Schema(
        id=fields.NUMERIC(int, bits=64, signed=False, unique=True, sortable=True),
        rev=fields.NUMERIC(int, bits=64, signed=False, sortable=True),
        date=fields.NUMERIC(int, bits=64, signed=True, sortable=True),
        **text,
        **keywords,
    )
