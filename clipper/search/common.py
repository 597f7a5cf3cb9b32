"""Very common words, whose adjacent pairs get their own index terms.

A phrase of two such words ("and was", "of the") would otherwise be verified position by
position in nearly every clip (1.2 s at 100,000 clips); as one "pair" term it is a single
lookup. The list is fixed (changing it means a new schema version): a pair is indexed
only when both words are listed, so an index and its queries must agree on the list.
Function words of English and of the main Western European languages, folded.
"""

from __future__ import annotations

from collections.abc import Iterator

from clipper.rules import fold
from clipper.search.analysis import index_terms

_ENGLISH = """
a about above after again against all also am an and another any are around as at be
because been before being below between both but by can could did do does doing down
during each even ever every few first for from further get got had has have having he her
here hers him his how i if in into is it its itself just last like made make many may me
might more most much must my never new no nor not now of off on once one only or other
our out over own said same say says see she should since so some still such than that the
their them then there these they this those though three through to too two under until
up upon us very was we well were what when where which while who whom why will with
would year years you your
"""
_FRENCH = """
au aux avec ce ces cette dans de des du elle en est et il ils je la le les leur mais ne
nous on ou par pas plus pour qu que qui sa se ses son sont sur un une vous y a été être
"""
_GERMAN = """
am an auch auf aus bei das dass dem den der des die ein eine einem einen einer es für hat
ich im in ist mit nach nicht noch nur oder sich sie sind so um und von vor war wie wird
zu zum zur über
"""
_SPANISH_ITALIAN_PORTUGUESE = """
al como con de del el en es este esta for fue ha la las lo los mas más no o para pero por
que se sin su sus un una y che di e gli il le nel non per si sono da do dos em na no os
um uma é
"""
_DUTCH = """
de het een en van in is op te dat die niet met voor zijn er aan om ook als bij door maar
naar dan nog wordt werd
"""


def _folded(*lists: str) -> frozenset[str]:
    return frozenset(fold(w) for text in lists for w in text.split())


COMMON_WORDS: frozenset[str] = _folded(
    _ENGLISH, _FRENCH, _GERMAN, _SPANISH_ITALIAN_PORTUGUESE, _DUTCH
)


def pair_term(first: str, second: str) -> str:
    return f"{first} {second}"


def _adjacent_common(prev: tuple[int, str] | None, cur: tuple[int, str]) -> bool:
    return (
        prev is not None
        and prev[0] + 1 == cur[0]
        and prev[1] in COMMON_WORDS
        and cur[1] in COMMON_WORDS
    )


def common_pairs(text: str) -> Iterator[str]:
    """ "a b" for each two adjacent words of `text` that are both common.

    Adjacency is by index position; a compound's joined form (which shares its first
    part's position) is skipped, as phrases match the parts.
    """
    prev: tuple[int, str] | None = None  # last word of a finished position
    cur: tuple[int, str] | None = None
    for term, pos in index_terms(text):
        if cur is not None and pos == cur[0]:
            cur = (pos, term)  # the part after a joined compound
            continue
        if cur is not None:
            if _adjacent_common(prev, cur):
                yield pair_term(prev[1], cur[1])  # type: ignore[index]
            prev = cur
        cur = (pos, term)
    if cur is not None and _adjacent_common(prev, cur):
        yield pair_term(prev[1], cur[1])  # type: ignore[index]
