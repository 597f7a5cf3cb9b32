"""Errors the user sees: each one carries a one-line, human message."""

from __future__ import annotations


class ClipperError(Exception):
    """Base class: `str(error)` is the one line shown to the user."""


class FetchError(ClipperError):
    """A page or image could not be fetched (network, HTTP status, limits, type)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class ImageError(ClipperError):
    """Bytes that were supposed to be an image are not a usable one."""


class ExtractionError(ClipperError):
    """The input cannot be read as a web page at all."""


class LibraryError(ClipperError):
    """The library cannot be opened or a request on it makes no sense."""


class NotFoundError(LibraryError):
    """No clip (or annotation, tag) with that id or name."""


class LibraryLockedError(LibraryError):
    """Another Clipper window holds this library."""
