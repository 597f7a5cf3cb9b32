"""W3C text selectors for passages, and finding a passage again in a changed text.

A passage is remembered twice, as Hypothesis does: by position
(`TextPositionSelector`, offsets in the clip's plain text, see `clipper.article`) and by
quote (`TextQuoteSelector`: the exact passage with up to 32 characters of context on each
side). Positions are cheap and exact but break as soon as anything before the passage
changes; the quote survives edits. `anchor` tries, in order:

1. the old position, if the text there is still the quote (state "anchored");
2. the quote elsewhere, ignoring whitespace differences, choosing among several
   occurrences by context, then by closeness to the old position ("moved", method
   "quote" for a single occurrence, "context" when the context chose);
3. an approximate match of quote and context (rapidfuzz) scoring at least `threshold`
   ("moved", method "fuzzy");
4. otherwise the passage is "orphaned".

Steps 2 and 3 work on a normalized copy of the text (whitespace runs collapsed to one
space, typographic quotes and dashes folded, invisible characters dropped) and map the
result back, so that re-extraction joining lines differently never orphans a passage.
"""

from clipper.anchoring.locate import Anchor, AnchorMethod, AnchorState, anchor, find_quote
from clipper.anchoring.selectors import TextPositionSelector, TextQuoteSelector, describe

__all__ = [
    "Anchor",
    "AnchorMethod",
    "AnchorState",
    "TextPositionSelector",
    "TextQuoteSelector",
    "anchor",
    "describe",
    "find_quote",
]
