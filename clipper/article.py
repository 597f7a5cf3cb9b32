"""The value that extraction produces and storage consumes.

`Article` is the one contract between capture and the library: `clipper extract --json`
prints it, `clipper clip` stores exactly it. It is a plain value (no I/O, no ORM) so that
extraction stays a pure function of HTML and URL.

Text and positions: an article's content is a list of `Block`s. Two texts derive from it:

* `Article.text` / `body_text(blocks)`: the body only (no title, no figure captions),
  blocks joined by one blank line. This is what `extract --json` reports as `text`.
* `plain_text(blocks, figures)`: the text annotations are anchored in. Every block in
  order, a figure contributing its caption and credit as one block ("caption" then
  "credit" on a new line when both exist), blocks joined by a blank line. Offsets of
  `block_spans` refer to it, so the reader and the anchoring code agree on positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

BlockKind = Literal["heading", "paragraph", "quote", "list_item", "code", "figure"]
BLOCK_KINDS: tuple[str, ...] = ("heading", "paragraph", "quote", "list_item", "code", "figure")
BLOCK_SEPARATOR = "\n\n"


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


@dataclass(frozen=True)
class Block:
    """One unit of article content, in reading order.

    A figure block carries no text of its own: `figure` is its index in
    `Article.figures`, and its text in the plain text is that figure's caption block.
    """

    kind: BlockKind
    text: str = ""
    figure: int | None = None
    level: int | None = None
    """Heading level (2-6) for headings; unused otherwise."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "text": self.text}
        if self.figure is not None:
            data["figure"] = self.figure
        if self.level is not None:
            data["level"] = self.level
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Block:
        kind = data.get("kind", "paragraph")
        if kind not in BLOCK_KINDS:
            kind = "paragraph"
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
    """The text annotations are anchored in (see module docstring)."""
    return BLOCK_SEPARATOR.join(t for t in block_texts(blocks, figures) if t)


__all__ = [
    "BLOCK_SEPARATOR",
    "Article",
    "Block",
    "BlockKind",
    "FigureInfo",
    "block_spans",
    "block_texts",
    "body_text",
    "plain_text",
]
