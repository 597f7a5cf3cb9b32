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
    """No clip (or passage, tag) with that id or name."""


class LibraryLockedError(LibraryError):
    """Another Clipper window holds this library."""


class ConflictError(LibraryError):
    """Someone else changed what this edit was based on; nothing was overwritten."""


class ReadOnlyLibraryError(LibraryError):
    """A change was asked of a library opened read-only."""


POSTGRES_DRIVER_HINT = "PostgreSQL libraries need `pip install clipper-research[postgres]`"


def describe_error(exc: BaseException) -> str:
    """One line for any exception: ours as they are, known system failures in words,
    anything else by its class and first line (the traceback is for `--debug`)."""
    if isinstance(exc, ClipperError):
        return _first_line(str(exc))
    text = " ".join(_first_line(str(e)) for e in _chain(exc)).lower()
    if "disk is full" in text or "no space left" in text or _errno(exc) == 28:
        return "the disk is full: nothing was changed (free some space and try again)"
    if "readonly database" in text or "read-only file system" in text:
        return "the library is read-only: nothing can be changed"
    if "malformed" in text or "file is not a database" in text or "disk i/o error" in text:
        detail = _first_line(str(exc.__cause__ or exc)).split("\n", 1)[0]
        return (
            f"the library database is damaged ({_short(detail)}); "
            "run `clipper check` and `clipper check --repair`"
        )
    if "deadlock detected" in text or "could not serialize access" in text:
        return (
            "another client changed the library at the same moment: nothing was changed, try again"
        )
    if "no module named 'psycopg" in text:
        return POSTGRES_DRIVER_HINT
    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to process"
    if isinstance(exc, OverflowError):
        return f"a number is too large ({_short(str(exc))})"
    return f"unexpected error: {exc.__class__.__name__}: {_short(_first_line(str(exc)))}"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 8:
        seen.append(current)
        orig = getattr(current, "orig", None)  # SQLAlchemy wraps the driver's error
        if isinstance(orig, BaseException) and orig not in seen:
            seen.append(orig)
        current = current.__cause__ or current.__context__
    return seen


def _errno(exc: BaseException) -> int | None:
    for item in _chain(exc):
        if isinstance(item, OSError) and item.errno is not None:
            return item.errno
    return None


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0].strip()


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
