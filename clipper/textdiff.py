"""Word-level differences between two versions of a clip's text.

Re-clipping a page that changed adds a version; users want to see what an editor
changed ("3 words removed, 12 added in 2 places") without reading both texts. The diff
works on words, whitespace runs and punctuation marks as tokens, so a changed word is
shown whole, and changes separated only by spaces are merged into one readable run:
`[-the old cat-]{+a new dog+}` rather than three word-by-word pairs.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable, Sequence
from typing import Literal

DiffKind = Literal["equal", "insert", "delete"]
DiffOp = tuple[DiffKind, str]

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|\s+|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)

RED = "\x1b[31m"
GREEN = "\x1b[32m"
RESET = "\x1b[0m"


def tokenize(text: str) -> list[str]:
    """Words (with inner apostrophes), whitespace runs and single other characters."""
    return _TOKEN.findall(text)


_LINE = re.compile(r"[^\n]+|\n+")
_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+|\n|$)\s*")
MAX_TOKEN_PAIRS = 4_000_000
"""Above this many (old tokens x new tokens) in one changed region, it is shown as
replaced wholesale: difflib's time grows with that product (seconds at 50 KB)."""


def word_diff(old: str, new: str) -> list[DiffOp]:
    """The edit from `old` to `new` as equal/delete/insert runs, in text order.

    Concatenating the "equal" and "delete" texts gives `old`; the "equal" and "insert"
    texts give `new`. In each changed place the deletion comes before the insertion.
    Lines are compared first, then sentences and words only inside changed lines, so
    a few edits in a long article stay fast.
    """
    raw: list[DiffOp] = []
    levels = (_lines, _sentences, tokenize)
    _diff(old, new, levels, raw)
    return _merge(raw)


def _lines(text: str) -> list[str]:
    """Lines and line breaks as separate tokens (a last line without one still matches)."""
    return _LINE.findall(text)


def _is_line_break(token: str) -> bool:
    return token.startswith("\n")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s]


def _diff(
    old: str, new: str, levels: Sequence[Callable[[str], list[str]]], out: list[DiffOp]
) -> None:
    a, b = levels[0](old), levels[0](new)
    if len(levels) == 1:
        a, b, head, tail = _trim(a, b)
        if head:
            out.append(("equal", head))
        if len(a) * len(b) > MAX_TOKEN_PAIRS:
            out.extend([("delete", "".join(a)), ("insert", "".join(b))])
            if tail:
                out.append(("equal", tail))
            return
    else:
        tail = ""
    # Line breaks may extend a match of lines but not start one (they would pair up
    # unrelated paragraphs). No autojunk: it treats common words as noise on long texts.
    junk = _is_line_break if levels[0] is _lines else None
    matcher = difflib.SequenceMatcher(junk, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(("equal", "".join(a[i1:i2])))
        elif len(levels) > 1 and i2 > i1 and j2 > j1:
            _diff("".join(a[i1:i2]), "".join(b[j1:j2]), levels[1:], out)
        else:
            out.append(("delete", "".join(a[i1:i2])))
            out.append(("insert", "".join(b[j1:j2])))
    if tail:
        out.append(("equal", tail))


def _trim(a: list[str], b: list[str]) -> tuple[list[str], list[str], str, str]:
    """Drop the tokens both lists start and end with; return them joined."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    head = "".join(a[:start])
    tail = "".join(a[len(a) - end :])
    return a[start : len(a) - end], b[start : len(b) - end], head, tail


def _merge(ops: list[DiffOp]) -> list[DiffOp]:
    """Group changes into places: whitespace-only equal runs between changes join them."""
    runs: list[DiffOp] = []
    for kind, text in ops:
        if not text:
            continue
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + text)
        else:
            runs.append((kind, text))
    merged: list[DiffOp] = []
    deleted: list[str] = []
    inserted: list[str] = []
    for index, (kind, text) in enumerate(runs):
        if kind == "delete":
            deleted.append(text)
            continue
        if kind == "insert":
            inserted.append(text)
            continue
        if (deleted or inserted) and index + 1 < len(runs) and text.isspace():
            deleted.append(text)
            inserted.append(text)
            continue
        _flush(merged, deleted, inserted)
        merged.append((kind, text))
    _flush(merged, deleted, inserted)
    return _slide(merged)


def _slide(ops: list[DiffOp]) -> list[DiffOp]:
    """Move a lone change that starts with a space to start at the next word instead.

    "it{+ had+} agreed" and "it {+had +}agreed" are the same edit; the second reads
    better (and matches "{+that +}it" elsewhere).
    """
    ops = list(ops)
    for i in range(1, len(ops) - 1):
        before, (kind, text), after = ops[i - 1], ops[i], ops[i + 1]
        if kind == "equal" or before[0] != "equal" or after[0] != "equal":
            continue
        space = text[:1]
        if space.isspace() and after[1].startswith(space) and not text.isspace():
            ops[i - 1] = ("equal", before[1] + space)
            ops[i] = (kind, text[1:] + space)
            ops[i + 1] = ("equal", after[1][1:])
    return [op for op in ops if op[1]]


def _flush(merged: list[DiffOp], deleted: list[str], inserted: list[str]) -> None:
    if deleted:
        merged.append(("delete", "".join(deleted)))
    if inserted:
        merged.append(("insert", "".join(inserted)))
    deleted.clear()
    inserted.clear()


def render_terminal(ops: Sequence[DiffOp], color: bool) -> str:
    """The new text with changes marked: ANSI red/green, or git's `[-old-]{+new+}`."""
    parts: list[str] = []
    for kind, text in ops:
        if kind == "equal":
            parts.append(text)
        elif color:
            parts.append(f"{RED if kind == 'delete' else GREEN}{text}{RESET}")
        else:
            parts.append(f"[-{text}-]" if kind == "delete" else f"{{+{text}+}}")
    return "".join(parts)


def render_html(ops: Sequence[DiffOp]) -> str:
    """HTML with `<del>` and `<ins>`, every text escaped."""
    parts: list[str] = []
    for kind, text in ops:
        escaped = html.escape(text, quote=False)
        if kind == "delete":
            parts.append(f"<del>{escaped}</del>")
        elif kind == "insert":
            parts.append(f"<ins>{escaped}</ins>")
        else:
            parts.append(escaped)
    return "".join(parts)


def _count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary(ops: Sequence[DiffOp]) -> str:
    """One line for a version list, e.g. "3 words removed, 12 added in 2 places"."""
    removed = sum(_count_words(text) for kind, text in ops if kind == "delete")
    added = sum(_count_words(text) for kind, text in ops if kind == "insert")
    places = 0
    previous: DiffKind = "equal"
    for kind, _ in ops:
        if kind != "equal" and previous == "equal":
            places += 1
        previous = kind
    if places == 0:
        return "no changes"
    where = f"in {_plural(places, 'place')}"
    if removed and added:
        return f"{_plural(removed, 'word')} removed, {added} added {where}"
    if removed:
        return f"{_plural(removed, 'word')} removed {where}"
    if added:
        return f"{_plural(added, 'word')} added {where}"
    return f"punctuation or spacing changed {where}"


__all__ = [
    "DiffKind",
    "DiffOp",
    "render_html",
    "render_terminal",
    "summary",
    "tokenize",
    "word_diff",
]
