"""Markdown export: front matter, blocks, figures, highlights, escaping, folders."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import yaml

from clipper.article import Block, TableCell
from clipper.export.markdown import (
    clip_to_markdown,
    escape_line,
    export_markdown_folder,
    image_extension,
    obsidian_tag,
    render_table,
    slugify,
)
from clipper.library.types import StoredFigure
from tests.export.factories import BLOCKS, JPEG, PNG, SHA_A, SHA_B, detail, figure, make_passage


def no_images(_: StoredFigure) -> str | None:
    return None


def local(figure: StoredFigure) -> str | None:
    return f"assets/{figure.blob_sha256[:4]}.jpg" if figure.blob_sha256 else None


def split_front_matter(markdown: str) -> tuple[dict[str, object], str]:
    assert markdown.startswith("---\n")
    end = markdown.index("\n---\n", 4)
    return yaml.safe_load(markdown[4:end]), markdown[end + 5 :]


def test_front_matter_holds_the_metadata() -> None:
    meta, _ = split_front_matter(clip_to_markdown(detail(), [], no_images))
    assert meta == {
        "title": "Morocco says it will boost military ties with Israel",
        "subtitle": "Rabat and Jerusalem will strengthen cooperation",
        "authors": ["María López", "Agencies"],
        "site": "The Times of Israel",
        "url": "https://www.timesofisrael.com/liveblog_entry/morocco/?utm_source=x",
        "canonical_url": "https://www.timesofisrael.com/liveblog_entry/morocco/",
        "published": "2022-03-01T16:30:00+00:00",
        "clipped": "2024-05-06T07:08:09+00:00",
        "language": "en",
        "tags": ["Middle-East", "defense"],
        "clipper_id": 1,
    }


def test_front_matter_survives_hostile_titles() -> None:
    title = "Breaking: \"quotes\", 'apostrophes' & #hashes\n--- not the end: {x: [1]}"
    meta, body = split_front_matter(clip_to_markdown(detail(title=title), [], no_images))
    assert meta["title"] == title
    assert body.lstrip().startswith("# Breaking:")


def test_empty_metadata_is_left_out() -> None:
    bare = detail(subtitle="", authors=(), site_name="", published_at=None, language="", tags=())
    meta, _ = split_front_matter(clip_to_markdown(bare, [], no_images))
    assert set(meta) == {"title", "url", "canonical_url", "clipped", "clipper_id"}


def test_blocks_in_order_with_their_markup() -> None:
    _, body = split_front_matter(clip_to_markdown(detail(), [], local))
    expected = """
# Morocco says it will boost military ties with Israel

*Rabat and Jerusalem will strengthen cooperation*

Morocco's army said Tuesday it had agreed with Israel to strengthen ties.

## Background

![A helicopter](assets/aaaa.jpg)
*A helicopter flies over at the end of the African Lion exercise* — AP Photo/Mosa'ab Elshamy

The two countries formalized ties in 2020.

> We agreed to further strengthen cooperation,
> the army said.

- intelligence
- air defense

The end.
"""
    assert body == expected


def test_figures_without_local_image_link_the_original() -> None:
    _, body = split_front_matter(clip_to_markdown(detail(), [], no_images))
    assert "![A helicopter](https://images.example.com/heli.jpg)" in body
    credit_only = detail(figures=(figure(caption="", alt="", src_url="", blob_sha256=None),))
    _, body = split_front_matter(clip_to_markdown(credit_only, [], no_images))
    assert "![" not in body
    assert "\nAP Photo/Mosa'ab Elshamy\n" in body


def test_image_paths_with_spaces_are_wrapped() -> None:
    _, body = split_front_matter(clip_to_markdown(detail(), [], lambda f: "my assets/a (1).jpg"))
    assert "![A helicopter](<my assets/a (1).jpg>)" in body


def test_headings_keep_their_level_within_two_to_six() -> None:
    blocks = (
        Block("heading", "Deep", level=4),
        Block("heading", "Top", level=1),
        Block("heading", "No level"),
    )
    _, body = split_front_matter(clip_to_markdown(detail(blocks=blocks), [], no_images))
    assert "\n#### Deep\n" in body
    assert "\n## Top\n" in body
    assert "\n## No level\n" in body


def test_code_blocks_are_fenced_longer_than_their_backticks() -> None:
    blocks = (Block("code", "print(1)\n```\nnot the end"),)
    _, body = split_front_matter(clip_to_markdown(detail(blocks=blocks), [], no_images))
    assert "````\nprint(1)\n```\nnot the end\n````" in body


def test_text_that_looks_like_markup_is_escaped() -> None:
    assert escape_line("# Not a heading") == "\\# Not a heading"
    assert escape_line("> not a quote") == "\\> not a quote"
    assert escape_line("- not a list") == "\\- not a list"
    assert escape_line("+ not a list") == "\\+ not a list"
    assert escape_line("1. not a list") == "1\\. not a list"
    assert escape_line("2019) was a year") == "2019\\) was a year"
    assert escape_line("2019 was a year") == "2019 was a year"
    assert escape_line("    indented") == "indented"
    assert escape_line("---") == "\\---"
    assert escape_line("a *b* [c](d) `e`") == "a \\*b\\* \\[c\\](d) \\`e\\`"
    assert escape_line("snake_case stays, _emphasis_ does not") == (
        "snake_case stays, \\_emphasis\\_ does not"
    )
    assert escape_line("#MeToo and C# and # alone") == "\\#MeToo and C# and # alone"
    assert escape_line("$5 or ==mark== %%hidden%% ~~gone~~") == (
        "\\$5 or \\=\\=mark\\=\\= \\%\\%hidden\\%\\% \\~\\~gone\\~\\~"
    )
    assert escape_line("<script> &amp; a < b & c") == "\\<script> \\&amp; a < b & c"
    assert escape_line("back\\slash") == "back\\\\slash"
    assert escape_line("Tuesday's plain text") == "Tuesday's plain text"


def test_highlights_section() -> None:
    clip = detail()
    kept = make_passage(
        clip.text,
        "agreed with Israel",
        id=1,
        note="Important:\n- first point",
        tags=("to read", "Morocco"),
    )
    later = make_passage(
        clip.text,
        "formalized ties in 2020",
        id=2,
        exact="formalised ties in 2020",
        state="changed",
        current_exact="formalized ties in 2020",
    )
    orphan = make_passage(clip.text, "a passage that was deleted", id=3)
    markdown = clip_to_markdown(clip, [orphan, later, kept], no_images)
    highlights = markdown.split("\n## Highlights\n", 1)[1]
    base = "https://www.timesofisrael.com/liveblog_entry/morocco/#:~:text="
    assert highlights == (
        "\n> agreed with Israel\n\n"
        f"[Passage on the page]({base}Tuesday%20it%20had-,agreed%20with%20Israel,"
        "-to%20strengthen%20ties.) · [Stored version](clipper://clip/1?version=10#passage-1)"
        "\n\n"
        "Important:\n\\- first point\n\n"
        "#to-read #Morocco\n\n"
        # The original quote stays; the new wording is shown beside it.
        "> formalised ties in 2020\n\n"
        "*(Text changed: the current version reads “formalized ties in 2020”.)*\n\n"
        f"[Passage on the page]({base}The%20two%20countries-,formalized%20ties%20in%202020)"
        " · [Stored version](clipper://clip/1?version=10#passage-2)\n\n"
        "> a passage that was deleted\n\n"
        "*(Orphaned: this passage is no longer in the current version.)*\n\n"
        f"[Passage on the page]({base}a%20passage%20that%20was%20deleted)"
        " · [Stored version](clipper://clip/1?version=10#passage-3)\n"
    )


def test_a_passage_across_paragraphs_stays_one_quote() -> None:
    clip = detail()
    passage = "said.\n\nintelligence"
    assert passage in clip.text
    markdown = clip_to_markdown(clip, [make_passage(clip.text, passage)], no_images)
    assert "> said.\n>\n> intelligence\n" in markdown


def test_no_highlights_section_without_passages() -> None:
    assert "## Highlights" not in clip_to_markdown(detail(), [], no_images)


def test_obsidian_tags() -> None:
    assert obsidian_tag("climate change") == "climate-change"
    assert obsidian_tag("a/b_c-d") == "a/b_c-d"
    assert obsidian_tag("what?!") == "what"
    assert obsidian_tag("2022") == "_2022"
    assert obsidian_tag("Économie") == "Économie"


def test_slugs() -> None:
    assert slugify("Morocco says it will boost military ties", "x") == (
        "morocco-says-it-will-boost-military-ties"
    )
    assert slugify("López: ¿Qué pasó?", "x") == "lopez-que-paso"
    assert slugify("Путин и Байден", "x") == "путин-и-байден"
    assert slugify("!!!", "clip-9") == "clip-9"
    assert slugify("CON", "x") == "con-clip"
    long = slugify("word " * 40, "x")
    assert len(long) <= 80
    assert not long.endswith("-")


def test_image_extensions() -> None:
    assert image_extension("image/jpeg", b"") == "jpg"
    assert image_extension("image/png; charset=binary", b"") == "png"
    assert image_extension("image/svg+xml", b"") == "svg"
    assert image_extension(None, PNG) == "png"
    assert image_extension("application/octet-stream", JPEG) == "jpg"
    assert image_extension(None, b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert image_extension(None, b"???") == "bin"


def test_export_folder(tmp_path: Path) -> None:
    first = detail()
    second = detail(
        id=2,
        figures=(
            figure(blob_sha256=SHA_A),
            figure(id=2, blob_sha256=SHA_B, media_type="image/png"),
        ),
    )
    third = detail(
        id=3,
        title="Morocco Says It Will Boost Military Ties With Israel!",
        figures=(figure(blob_sha256="c" * 64),),
    )
    untitled = detail(id=4, title="", figures=(figure(blob_sha256=SHA_B, media_type=None),))
    notes = [make_passage(first.text, "agreed with Israel", note="check")]
    written = export_markdown_folder(
        [
            (first, notes, {SHA_A: JPEG}),
            (second, [], {SHA_A: JPEG, SHA_B: PNG}),
            (third, [], {}),
            (untitled, [], {SHA_B: PNG}),
        ],
        tmp_path / "out",
    )
    out = tmp_path / "out"
    names = [p.relative_to(out).as_posix() for p in written]
    assert names == [
        f"assets/{SHA_A[:16]}.jpg",
        "morocco-says-it-will-boost-military-ties-with-israel.md",
        f"assets/{SHA_B[:16]}.png",
        "morocco-says-it-will-boost-military-ties-with-israel-2.md",
        "morocco-says-it-will-boost-military-ties-with-israel-3.md",
        "clip-4.md",
    ]
    assert (out / "assets" / f"{SHA_A[:16]}.jpg").read_bytes() == JPEG
    note = (out / names[1]).read_text(encoding="utf-8")
    assert f"![A helicopter](assets/{SHA_A[:16]}.jpg)" in note
    assert "\n## Highlights\n\n> agreed with Israel\n\n[Passage on the page](" in note
    assert "(clipper://clip/1?version=10#passage-5)\n\ncheck\n" in note
    # No bytes for the third clip's image: it links the original.
    assert "](https://images.example.com/heli.jpg)" in (out / names[4]).read_text("utf-8")
    assert b"\r\n" not in (out / names[1]).read_bytes()


def test_export_folder_replaces_a_previous_export(tmp_path: Path) -> None:
    clip = detail()
    export_markdown_folder([(clip, [], {})], tmp_path)
    changed = detail(title=clip.title, clipped_at=datetime(2025, 1, 1, tzinfo=UTC))
    written = export_markdown_folder([(changed, [], {})], tmp_path)
    assert [p.name for p in written] == ["morocco-says-it-will-boost-military-ties-with-israel.md"]
    assert "2025-01-01" in written[0].read_text("utf-8")


# --- tables ------------------------------------------------------------------------------

TABLE = Block.table(
    (
        (
            TableCell("Gauge", True),
            TableCell("Opened", True),
            TableCell("Tide *m*", True, colspan=2),
        ),
        (
            TableCell("Town quay", True),
            TableCell("1871"),
            TableCell("6.42", rowspan=2),
            TableCell(""),
        ),
        (TableCell("Ferry | slip", True), TableCell("1902"), TableCell("5.75 \\| est.")),
    ),
    "Gauges #1",
)


def pipe_cells(line: str) -> list[str]:
    """A pipe-table row's cells, split at unescaped pipes (as GFM does)."""
    assert line.startswith("| ") and line.endswith(" |")
    return [c.strip() for c in re.split(r"(?<!\\)\|", line[1:-1])]


def test_a_table_block_is_a_pipe_table_with_escaped_pipes() -> None:
    note = clip_to_markdown(detail(blocks=(BLOCKS[0], TABLE, BLOCKS[-1])), [], no_images)
    assert (
        "*Gauges \\#1*\n\n"
        "| Gauge | Opened | Tide \\*m\\* |  |\n"
        "| --- | --- | --- | --- |\n"
        "| **Town quay** | 1871 | 6.42 |  |\n"
        "| **Ferry \\| slip** | 1902 |  | 5.75 \\\\\\| est. |\n\n"
        "The end."
    ) in note
    rows = [line for line in note.splitlines() if line.startswith("| ")]
    assert {len(pipe_cells(line)) for line in rows} == {4}  # no pipe in a cell splits it
    assert pipe_cells(rows[3])[0] == "**Ferry \\| slip**"


def test_a_table_without_header_cells_gets_an_empty_header_row() -> None:
    table = Block.table(((TableCell("a"), TableCell("b")), (TableCell("c"), TableCell("d"))))
    assert render_table(table) == "|  |  |\n| --- | --- |\n| a | b |\n| c | d |"
