"""The rule book: when two names, words, texts or URLs count as the same.

Every layer calls these functions and none re-derives them: the library's tag rows,
its filters and the migration that merged old tags (`tag_key`); the search index and
its `tag:` / `site:` queries (`fold`, `tag_key`, `site_key`); extraction's "does this
block repeat the headline" checks (`text_key`); deduplication (`url_key`); the window's
tag dialogs and filters. The plain text of an article's blocks is the other shared rule;
it lives with the blocks in `clipper.article` (`block_texts`, `block_spans`).

Pure functions of the standard library: importing this loads nothing heavy (the GUI
uses it at start-up).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# --- folding --------------------------------------------------------------------------

_FOLD_CACHE: dict[str, str] = {}
_FOLD_CACHE_MAX = 500_000
_CACHED_LEN = 40
"""Words and tags are cached (their frequencies are Zipfian); longer texts are not."""


def fold(text: str) -> str:
    """Case-fold and strip accents: "Café" -> "cafe", "Straße" -> "strasse", "ﬁ" -> "fi".

    The one folding rule: search words, tags, site names and text comparisons all use it.
    Compatibility forms are decomposed (NFKD) before case folding ("𝐴" -> "a"), combining
    marks dropped, the rest recomposed; folding a folded text changes nothing.
    """
    folded = _FOLD_CACHE.get(text)
    if folded is not None:
        return folded
    if text.isascii():
        folded = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text).casefold()
        bare = decomposed.translate(_WITHOUT_MARKS)
        folded = unicodedata.normalize("NFC", bare)
    if len(text) <= _CACHED_LEN:
        if len(_FOLD_CACHE) >= _FOLD_CACHE_MAX:
            _FOLD_CACHE.clear()
        _FOLD_CACHE[text] = folded
    return folded


class _Marks(dict[int, str | None]):
    """`str.translate` table deleting combining marks (`unicodedata.combining`), filled
    per character as texts meet them: C speed on long texts, and no 0x110000-character
    table to build first."""

    def __missing__(self, code: int) -> str | None:
        kept = None if unicodedata.combining(chr(code)) else chr(code)
        self[code] = kept
        return kept


_WITHOUT_MARKS = _Marks()


def collapse(text: str) -> str:
    """The whitespace rule: runs of whitespace become one space, ends trimmed."""
    return " ".join(text.split())


_NON_WORD = re.compile(r"[\W_]+")


def text_key(text: str) -> str:
    """What a text says, for comparing texts the way a reader would: folded, punctuation
    and spacing ignored ("Café — open!" and "cafe open" have one key)."""
    return _NON_WORD.sub(" ", fold(text)).strip()


def same_text(a: str, b: str) -> bool:
    """True when two non-empty texts read the same (`text_key`)."""
    key = text_key(a)
    return bool(key) and key == text_key(b)


# --- tags -----------------------------------------------------------------------------


def tag_name(raw: str) -> str:
    """A tag as typed, cleaned for display and storage: "  #harbour  plan" -> "harbour plan"."""
    return collapse(raw.strip().lstrip("#"))


def tag_key(name: str) -> str:
    """The identity of a tag: names with one key are one tag ("Café", "cafe", "#CAFE").

    Stored in `tags.normalized` (unique), indexed by the search engines, compared by the
    window's tag dialogs. `tag_key(tag_name(x)) == tag_key(x)`.
    """
    return collapse(fold(tag_name(name)))


# --- sites and URLs -------------------------------------------------------------------


def site_key(site: str) -> str:
    """`https://www.Example.com/x` -> `example.com`; a site name is folded ("Le Monde" ->
    "le monde"). What `site:` matches."""
    value = fold(site.strip())
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value)
    if " " not in value:
        value = value.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        value = value.rsplit("@", 1)[-1].split(":", 1)[0]
        value = value.removeprefix("www.")
    return collapse(value)


TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_")
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "igshid",
        "ref",
        "ref_src",
        "cmpid",
        "ito",
        "smid",
        "mbid",
        "ncid",
        "_ga",
        "yclid",
        "twclid",
        "s_cid",
        "cid",
    }
)


def normalize_url(url: str) -> str:
    """One article's URL however it was linked: tracking parameters, `www.`, scheme, host
    case, default port, trailing slash, parameter order and fragment do not count."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    if scheme == "https":
        scheme = "http"
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(TRACKING_PREFIXES) and k.lower() not in TRACKING_PARAMS
    ]
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def url_key(url: str) -> str:
    """The deduplication key stored with a clip: SHA-256 of `normalize_url`."""
    return hashlib.sha256(normalize_url(url).encode("utf-8")).hexdigest()


__all__ = [
    "collapse",
    "fold",
    "normalize_url",
    "same_text",
    "site_key",
    "tag_key",
    "tag_name",
    "text_key",
    "url_key",
]
