"""Clips as Markdown files with YAML front matter, readable in Obsidian and any editor.

One clip becomes one note: metadata in the front matter (so Obsidian shows it as
properties and Dataview can query it), the article in reading order, figures with their
caption and credit, then the reader's highlights with notes and tags. Article text is
escaped wherever Markdown (or Obsidian's extensions: `#tag`, `==mark==`, `$math$`,
`%%comment%%`, `[[link]]`) would otherwise change what it says.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from clipper.article import Block, table_grid
from clipper.export.pinpoint import markdown_url, pinpoint

if TYPE_CHECKING:  # only types: exporting must not import the database layer
    from clipper.library.types import ClipDetail, PassageInfo, StoredFigure

    ImagePath = Callable[[StoredFigure], str | None]

ASSETS_DIR = "assets"
SHA_PREFIX = 16
"""Hex digits of the blob's SHA-256 in an image file name (unique enough, short)."""
MAX_SLUG = 80
_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/svg+xml": "svg",
    "image/avif": "avif",
    "image/bmp": "bmp",
    "image/tiff": "tiff",
    "image/x-icon": "ico",
    "image/vnd.microsoft.icon": "ico",
}
_MAGIC = (
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF8", "gif"),
    (b"<svg", "svg"),
    (b"BM", "bmp"),
)
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}

# --- escaping ----------------------------------------------------------------------------

_INLINE = re.compile(
    r"""
    (?P<char>[\\`*\[\]$])                  # always special (or special in Obsidian: $)
    | (?P<pair>==|%%|~~)                     # Obsidian highlight, comment; strikethrough
    | (?<![^\W_])(?P<under>_) | (?P<under2>_)(?![^\W_])  # _ at a word edge (emphasis)
    | (?P<tag>(?<!\S)\#)(?=[^\s\#])          # #word is an Obsidian tag
    | (?P<angle><)(?=[A-Za-z/!?])            # HTML tag or autolink
    | (?P<amp>&)(?=\#?\w+;)                  # character reference
    """,
    re.VERBOSE,
)
_LINE_START = re.compile(r"(?:\#{1,6}(?=\s|$)|>|[-+=]|\d{1,9}(?=[.)](?:\s|$)))")
_ORDERED = re.compile(r"(\d{1,9})([.)])(?=\s|$)")


def escape_inline(text: str) -> str:
    """Backslash-escape what would be markup inside a line of text."""

    def fix(match: re.Match[str]) -> str:
        return "".join("\\" + c for c in match.group())

    return _INLINE.sub(fix, text)


def escape_line(line: str) -> str:
    """Escape one line of prose: inline markup, then what only matters at a line start.

    Leading spaces go (four of them would start a code block); `#`, `>`, `-`, `+`, `=`,
    and `1.` at the start would make a heading, quote, list or rule of plain text.
    """
    line = escape_inline(line.lstrip(" \t"))
    ordered = _ORDERED.match(line)
    if ordered:
        return f"{ordered.group(1)}\\{ordered.group(2)}{line[ordered.end() :]}"
    if _LINE_START.match(line):
        return "\\" + line
    return line


def escape_text(text: str) -> list[str]:
    """Escaped lines of a block of prose (line breaks kept as soft breaks)."""
    return [escape_line(line) for line in text.split("\n")]


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- blocks ------------------------------------------------------------------------------


def _figure_for(detail: ClipDetail, block: Block) -> StoredFigure | None:
    """The stored figure a figure block points to (by index, as `plain_text` does)."""
    if block.figure is None:
        return None
    if 0 <= block.figure < len(detail.figures):
        return detail.figures[block.figure]
    return next((f for f in detail.figures if f.position == block.figure), None)


def _link_target(path: str) -> str:
    if re.search(r"[\s()<>]", path):
        return "<" + path.replace("<", "%3C").replace(">", "%3E") + ">"
    return path


def render_figure(figure: StoredFigure, path: str | None) -> str:
    """`![alt](path)`, then `*Caption* — Credit` on its own line."""
    lines: list[str] = []
    target = path or figure.src_url
    if target:
        alt = re.sub(r"([\\\[\]])", r"\\\1", _one_line(figure.alt or figure.caption))
        lines.append(f"![{alt}]({_link_target(target)})")
    parts: list[str] = []
    if figure.caption.strip():
        parts.append(f"*{escape_inline(_one_line(figure.caption))}*")
    if figure.credit.strip():
        parts.append(escape_inline(_one_line(figure.credit)))
    if parts:
        lines.append(" — ".join(parts))
    return "\n".join(lines)


def _cell(text: str, strong: bool = False) -> str:
    """One cell of a pipe table: escaped, `|` as `\\|` (it would end the cell)."""
    text = escape_inline(_one_line(text)).replace("|", "\\|")
    return f"**{text}**" if strong and text else text


def render_table(block: Block) -> str:
    """A pipe table (GitHub, Obsidian): the caption in italics above it; a spanning
    cell fills its first place and leaves the others empty; header cells below the
    header row are bold. A table without a header row gets an empty one (pipe tables
    need one)."""
    placed, columns = table_grid(block.rows)
    grid = [[""] * columns for _ in block.rows]
    for spot in placed:
        grid[spot.row][spot.column] = _cell(spot.cell.text, spot.cell.header and spot.row > 0)
    first = block.rows[0] if block.rows else ()
    has_header = bool(first) and all(cell.header for cell in first)
    header = grid[0] if has_header else [""] * columns
    body = grid[1:] if has_header else grid
    lines = [f"*{escape_inline(block.caption)}*", ""] if block.caption else []
    for row in (header, ["---"] * columns, *body):
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def render_block(block: Block, detail: ClipDetail, image_path: ImagePath) -> str:
    """One block as Markdown (empty for an empty block)."""
    if block.kind == "figure":
        figure = _figure_for(detail, block)
        return render_figure(figure, image_path(figure)) if figure is not None else ""
    if not block.text.strip():
        return ""
    if block.kind == "table":
        return render_table(block)
    if block.kind == "heading":
        level = min(max(block.level or 2, 2), 6)
        text = escape_inline(_one_line(block.text))
        if text.endswith("#"):
            text = text[:-1] + "\\#"
        return "#" * level + " " + text
    if block.kind == "code":
        longest = max((len(run) for run in re.findall(r"`+", block.text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}\n{block.text}\n{fence}"
    lines = escape_text(block.text.strip("\n"))
    if block.kind == "quote":
        return "\n".join(f"> {line}" if line else ">" for line in lines)
    if block.kind == "list_item":
        return "\n".join(
            ("- " if i == 0 else "  ") + line for i, line in enumerate(lines) if line or i == 0
        )
    return "\n".join(lines)


# --- document ----------------------------------------------------------------------------


def obsidian_tag(name: str) -> str:
    """A tag as Obsidian accepts it: no spaces, only letters, digits, `_`, `-`, `/`.

    A tag made only of digits is not a tag in Obsidian, so it gets a leading `_`.
    """
    tag = re.sub(r"\s+", "-", name.strip())
    tag = re.sub(r"[^\w/-]", "", tag)
    if tag.isdigit():
        tag = "_" + tag
    return tag


def front_matter(detail: ClipDetail) -> str:
    """YAML between `---` lines; `safe_dump` quotes whatever needs quoting."""
    data: dict[str, Any] = {"title": detail.title}
    if detail.subtitle:
        data["subtitle"] = detail.subtitle
    if detail.authors:
        data["authors"] = list(detail.authors)
    if detail.site_name:
        data["site"] = detail.site_name
    data["url"] = detail.url
    if detail.canonical_url:
        data["canonical_url"] = detail.canonical_url
    if detail.published_at is not None:
        data["published"] = detail.published_at.isoformat()
    data["clipped"] = detail.clipped_at.isoformat(timespec="seconds")
    if detail.language:
        data["language"] = detail.language
    tags = [tag for tag in (obsidian_tag(t) for t in detail.tags) if tag]
    if tags:
        data["tags"] = tags
    data["clipper_id"] = detail.id
    if detail.citation_key:
        data["citekey"] = detail.citation_key
    dumped = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10**6
    )
    return f"---\n{dumped}---\n"


def _highlight_order(passage: PassageInfo) -> tuple[bool, int, str]:
    orphaned = passage.state == "orphaned" or passage.start is None
    start = passage.start if passage.start is not None else 0
    return (orphaned, start, passage.created_at.isoformat())


def render_highlight(passage: PassageInfo, detail: ClipDetail | None = None) -> str:
    """The passage as a quote (the original words), what changed since, the pinpoint
    links (live passage, stored version), the note, and `#tags`."""
    quote = passage.exact.strip("\n") or "(empty passage)"
    parts = ["\n".join(f"> {line}" if line else ">" for line in escape_text(quote))]
    if passage.state == "orphaned":
        parts.append("*(Orphaned: this passage is no longer in the current version.)*")
    if passage.state == "changed" and passage.current_exact:
        now = escape_inline(_one_line(passage.current_exact))
        parts.append(f"*(Text changed: the current version reads “{now}”.)*")
    if detail is not None:
        point = pinpoint(passage, detail, "")
        live = f"[Passage on the page]({markdown_url(point.live_link)})"
        stored = f"[Stored version{point.version_label()}]({point.stored_link})"
        parts.append(f"{live} · {stored}")
    if passage.note.strip():
        parts.append("\n".join(escape_text(passage.note.strip("\n"))))
    tags = [tag for tag in (obsidian_tag(t) for t in passage.tags) if tag]
    if tags:
        parts.append(" ".join(f"#{tag}" for tag in tags))
    return "\n\n".join(parts)


def clip_to_markdown(
    detail: ClipDetail, passages: Sequence[PassageInfo], image_path: ImagePath
) -> str:
    """The whole note for one clip; `image_path` gives each figure's link (None: remote)."""
    out = [front_matter(detail), f"# {escape_inline(_one_line(detail.title or detail.url))}"]
    if detail.subtitle.strip():
        out.append(f"*{escape_inline(_one_line(detail.subtitle))}*")
    previous = ""
    for block in detail.blocks:
        rendered = render_block(block, detail, image_path)
        if not rendered:
            continue
        if block.kind == "list_item" and previous == "list_item":
            out[-1] += "\n" + rendered
        else:
            out.append(rendered)
        previous = block.kind
    if passages:
        out.append("## Highlights")
        out.extend(render_highlight(a, detail) for a in sorted(passages, key=_highlight_order))
    return out[0] + "\n" + "\n\n".join(out[1:]) + "\n"


# --- folder ------------------------------------------------------------------------------


def _fold_accent(char: str) -> str:
    """Drop accents where that leaves ASCII ("é" -> "e"), keep other letters ("й")."""
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped if stripped.isascii() else char


def slugify(title: str, fallback: str) -> str:
    """A file name stem from a title: lower case, accents dropped, words joined by `-`."""
    plain = "".join(_fold_accent(c) for c in title)
    slug = re.sub(r"[\W_]+", "-", plain.casefold()).strip("-")
    if len(slug) > MAX_SLUG:
        cut = slug[:MAX_SLUG]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    if not slug:
        slug = fallback
    if slug in _WINDOWS_RESERVED:
        slug += "-clip"
    return slug


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 1
    while candidate.casefold() in used:
        n += 1
        candidate = f"{slug}-{n}"
    used.add(candidate.casefold())
    return candidate


def image_extension(media_type: str | None, data: bytes) -> str:
    """The file extension for an image, from its media type, else its first bytes."""
    if media_type:
        ext = _EXTENSIONS.get(media_type.split(";")[0].strip().lower())
        if ext:
            return ext
    head = data[:64].lstrip()
    for magic, ext in _MAGIC:
        if head.startswith(magic):
            return ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return "bin"


def markdown_files(
    items: Iterable[tuple[ClipDetail, Sequence[PassageInfo], Mapping[str, bytes]]],
) -> dict[str, bytes]:
    """`<slug>.md` per clip and its images under `assets/`: relative path -> bytes.

    The mapping of each item is blob SHA-256 -> image bytes. Images shared by clips are
    listed once; a figure whose bytes are missing links to its original URL.
    """
    files: dict[str, bytes] = {}
    assets: dict[str, str] = {}
    used: set[str] = set()
    for detail, clip_passages, blobs in items:
        for figure in detail.figures:
            sha = figure.blob_sha256
            if not sha or sha in assets or sha not in blobs:
                continue
            name = (
                f"{ASSETS_DIR}/{sha[:SHA_PREFIX]}.{image_extension(figure.media_type, blobs[sha])}"
            )
            files[name] = blobs[sha]
            assets[sha] = name

        def image_path(figure: StoredFigure) -> str | None:
            return assets.get(figure.blob_sha256 or "")

        text = clip_to_markdown(detail, clip_passages, image_path)
        slug = _unique(slugify(detail.title, f"clip-{detail.id}"), used)
        files[f"{slug}.md"] = text.encode("utf-8")
    return files


def export_markdown_folder(
    items: Iterable[tuple[ClipDetail, Sequence[PassageInfo], Mapping[str, bytes]]],
    folder: Path,
) -> list[Path]:
    """Write `markdown_files` into `folder`; return what was written. Existing files of
    the same names are replaced (exporting again updates the folder)."""
    from clipper.export.registry import write_output

    return write_output(markdown_files(items), folder)


__all__ = [
    "clip_to_markdown",
    "escape_inline",
    "escape_line",
    "export_markdown_folder",
    "front_matter",
    "image_extension",
    "markdown_files",
    "obsidian_tag",
    "slugify",
]
