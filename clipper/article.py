"""The value that extraction produces and storage consumes.

`Article` is the one contract between capture and the library: `clipper extract --json`
prints it, `clipper clip` stores exactly it. It is a plain value (no I/O, no ORM) so that
extraction stays a pure function of HTML and URL.

Text and positions: an article's content is a list of `Block`s. Two texts derive from it:

* `Article.text` / `body_text(blocks)`: the body only (no title, no figure captions),
  blocks joined by one blank line. This is what `extract --json` reports as `text`.
* `plain_text(blocks, figures)`: the text passages are anchored in. Every block in
  order, a figure contributing its caption and credit as one block ("caption" then
  "credit" on a new line when both exist), blocks joined by a blank line. Offsets of
  `block_spans` refer to it, so the reader and the anchoring code agree on positions.

A table block keeps its rows of `TableCell`s; its text (`table_text`) is the caption on
the first line, then one line per row with the non-empty cells joined by " | ". That is
exactly the paragraph older releases stored for a table, so a library written by both
(a team library) gives the same offsets, and an older release reads a table block as
that paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

BlockKind = Literal["heading", "paragraph", "quote", "list_item", "code", "figure", "table"]
BLOCK_KINDS: tuple[str, ...] = (
    "heading",
    "paragraph",
    "quote",
    "list_item",
    "code",
    "figure",
    "table",
)
BLOCK_SEPARATOR = "\n\n"
CELL_SEPARATOR = " | "
MAX_SPAN = 100
"""Largest colspan/rowspan kept (a page's `colspan=1000000` must not build a huge grid)."""
MAX_GRID_AREA = 100_000
"""Grid places a table's spans may cover; beyond it every cell is laid out as 1x1."""


@dataclass(frozen=True)
class FigureInfo:
    """One content image as found on the page, before download."""

    src: str
    """Absolute URL of the largest rendition."""
    caption: str = ""
    credit: str = ""
    alt: str = ""
    width: int | None = None
    height: int | None = None

    def caption_block_text(self) -> str:
        """The figure's contribution to the plain text (caption, then credit)."""
        return "\n".join(part for part in (self.caption, self.credit) if part)

    def to_json(self) -> dict[str, Any]:
        return {"src": self.src, "caption": self.caption, "credit": self.credit, "alt": self.alt}


def _span(value: Any) -> int:
    try:
        return min(max(int(value), 1), MAX_SPAN)
    except (TypeError, ValueError):
        return 1


@dataclass(frozen=True)
class TableCell:
    """One cell of a table block: one line of text (whitespace collapsed)."""

    text: str = ""
    header: bool = False
    colspan: int = 1
    rowspan: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", " ".join(self.text.split()))
        object.__setattr__(self, "colspan", _span(self.colspan))
        object.__setattr__(self, "rowspan", _span(self.rowspan))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text}
        if self.header:
            data["header"] = True
        if self.colspan > 1:
            data["colspan"] = self.colspan
        if self.rowspan > 1:
            data["rowspan"] = self.rowspan
        return data

    @classmethod
    def from_json(cls, data: Any) -> TableCell:
        if not isinstance(data, dict):
            return cls(text=str(data))
        return cls(
            text=str(data.get("text", "")),
            header=bool(data.get("header", False)),
            colspan=data.get("colspan", 1),
            rowspan=data.get("rowspan", 1),
        )


TableRows = tuple[tuple[TableCell, ...], ...]


def table_text(rows: TableRows, caption: str = "") -> str:
    """A table's contribution to the plain text: the caption line, then one line per row
    with its non-empty cells joined by " | " (rows without text are left out)."""
    lines = [caption] if caption else []
    for row in rows:
        line = CELL_SEPARATOR.join(cell.text for cell in row if cell.text)
        if line:
            lines.append(line)
    return "\n".join(lines)


def table_cell_starts(rows: TableRows, caption: str = "") -> list[list[int | None]]:
    """Where each cell's text starts in `table_text(rows, caption)` (None: an empty cell),
    so that the reader maps a cell to its place in the plain text."""
    starts: list[list[int | None]] = []
    pos = len(caption) + 1 if caption else 0
    for row in rows:
        row_starts: list[int | None] = []
        first = True
        for cell in row:
            if not cell.text:
                row_starts.append(None)
                continue
            if not first:
                pos += len(CELL_SEPARATOR)
            row_starts.append(pos)
            pos += len(cell.text)
            first = False
        starts.append(row_starts)
        if not first:
            pos += 1  # the row's line break
    return starts


@dataclass(frozen=True)
class Block:
    """One unit of article content, in reading order.

    A figure block carries no text of its own: `figure` is its index in
    `Article.figures`, and its text in the plain text is that figure's caption block.
    A table block's `text` is always `table_text(rows, caption)` (set on creation).
    """

    kind: BlockKind
    text: str = ""
    figure: int | None = None
    level: int | None = None
    """Heading level (2-6) for headings; unused otherwise."""
    rows: TableRows = ()
    """A table's rows of cells, as on the page (a spanning cell is written once)."""
    caption: str = ""
    """A table's caption (one line); unused otherwise."""

    def __post_init__(self) -> None:
        if self.kind == "table":
            caption = " ".join(self.caption.split())
            object.__setattr__(self, "caption", caption)
            object.__setattr__(self, "text", table_text(self.rows, caption))

    @classmethod
    def table(cls, rows: TableRows, caption: str = "") -> Block:
        return cls(kind="table", rows=rows, caption=caption)

    def to_json(self) -> dict[str, Any]:
        # A table keeps "text" too: older releases read it as a paragraph of that text.
        data: dict[str, Any] = {"kind": self.kind, "text": self.text}
        if self.figure is not None:
            data["figure"] = self.figure
        if self.level is not None:
            data["level"] = self.level
        if self.kind == "table":
            data["rows"] = [[cell.to_json() for cell in row] for row in self.rows]
            if self.caption:
                data["caption"] = self.caption
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Block:
        kind = data.get("kind", "paragraph")
        if kind not in BLOCK_KINDS:
            kind = "paragraph"
        if kind == "table":
            rows = data.get("rows")
            if isinstance(rows, list) and all(isinstance(row, list) for row in rows):
                cells = tuple(tuple(TableCell.from_json(c) for c in row) for row in rows)
                return cls.table(cells, str(data.get("caption", "")))
            kind = "paragraph"  # a damaged table keeps its text
        return cls(
            kind=kind,
            text=str(data.get("text", "")),
            figure=data.get("figure"),
            level=data.get("level"),
        )


@dataclass
class Article:
    """What a clip of one page contains."""

    url: str
    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    site_name: str = ""
    canonical_url: str = ""
    language: str = ""
    blocks: list[Block] = field(default_factory=list)
    figures: list[FigureInfo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """Non-fatal problems met while extracting (empty page, bad charset, ...)."""
    sources: dict[str, str] = field(default_factory=dict)
    """Where each metadata field came from: field name ("title", "authors", "published",
    ...) -> source ("json-ld", "open-graph", "meta", "byline", "url", ...; see
    `clipper.capture.provenance`). Stored with the clip; "user" marks a correction."""

    @property
    def text(self) -> str:
        return body_text(self.blocks)

    @property
    def plain_text(self) -> str:
        return plain_text(self.blocks, self.figures)

    def to_json(self) -> dict[str, Any]:
        """The `clipper extract --json` object: exactly these keys, in this order."""
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "authors": list(self.authors),
            "published": self.published.isoformat() if self.published else None,
            "site_name": self.site_name,
            "url": self.url,
            "canonical_url": self.canonical_url,
            "language": self.language,
            "text": self.text,
            "figures": [figure.to_json() for figure in self.figures],
        }


@dataclass(frozen=True)
class GridCell:
    """Where a cell sits in a table's grid (the HTML table model: spans pushed right)."""

    row: int
    column: int
    cell: TableCell
    rowspan: int
    colspan: int


def table_grid(rows: TableRows) -> tuple[list[GridCell], int]:
    """Every cell's grid place and span (clipped to the table), and the column count.

    A cell goes to the first column of its row not taken by a rowspan from above, as a
    browser places it; spans are cut at the last row, and ignored when they would cover
    more than `MAX_GRID_AREA` places (a hostile page's spans cost no memory).
    """
    taken: set[tuple[int, int]] = set()
    placed: list[GridCell] = []
    area = sum(cell.rowspan * cell.colspan for row in rows for cell in row)
    spans = area <= MAX_GRID_AREA
    for r, row in enumerate(rows):
        column = 0
        for cell in row:
            while (r, column) in taken:
                column += 1
            rowspan = min(cell.rowspan, len(rows) - r) if spans else 1
            colspan = cell.colspan if spans else 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, column + dc))
            placed.append(GridCell(r, column, cell, rowspan, colspan))
            column += colspan
    return placed, max((column + 1 for _row, column in taken), default=0)


def body_text(blocks: list[Block]) -> str:
    """The article body: every non-figure block, joined by a blank line."""
    return BLOCK_SEPARATOR.join(b.text for b in blocks if b.kind != "figure" and b.text)


def block_texts(blocks: list[Block], figures: list[FigureInfo] | list[Any]) -> list[str]:
    """Each block's contribution to the plain text (figures: caption and credit).

    `figures` may be `FigureInfo`s or any objects with `caption` and `credit`
    attributes (the stored figures), so the library and extraction share one rule.
    """
    texts: list[str] = []
    for block in blocks:
        if block.kind == "figure":
            fig = figures[block.figure] if block.figure is not None else None
            if fig is None:
                texts.append("")
                continue
            texts.append("\n".join(p for p in (fig.caption, fig.credit) if p))
        else:
            texts.append(block.text)
    return texts


def block_spans(
    blocks: list[Block], figures: list[FigureInfo] | list[Any]
) -> list[tuple[int, int]]:
    """(start, end) of each block in `plain_text`; empty blocks get an empty span.

    Empty blocks are skipped in the joined text (no double separators), and their span
    is (pos, pos) at the place they would have been.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    first = True
    for text in block_texts(blocks, figures):
        if not text:
            spans.append((pos, pos))
            continue
        if not first:
            pos += len(BLOCK_SEPARATOR)
        spans.append((pos, pos + len(text)))
        pos += len(text)
        first = False
    return spans


def plain_text(blocks: list[Block], figures: list[FigureInfo] | list[Any]) -> str:
    """The text passages are anchored in (see module docstring)."""
    return BLOCK_SEPARATOR.join(t for t in block_texts(blocks, figures) if t)


__all__ = [
    "BLOCK_SEPARATOR",
    "CELL_SEPARATOR",
    "Article",
    "Block",
    "BlockKind",
    "FigureInfo",
    "GridCell",
    "TableCell",
    "TableRows",
    "block_spans",
    "block_texts",
    "body_text",
    "plain_text",
    "table_cell_starts",
    "table_grid",
    "table_text",
]
