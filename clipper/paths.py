"""Where a library lives: one place decides, with an override (qutebrowser's --basedir).

Precedence: an explicit `--library` value, then `CLIPPER_LIBRARY`, then the platform's
user data folder + `Clipper/`. A value may also be a database URL
(`postgresql+psycopg://...`) for a shared team library; the index then lives in the
local data folder, one per database.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

ENV_VAR = "CLIPPER_LIBRARY"
DB_FILENAME = "library.sqlite"
INDEX_DIRNAME = "index"
LOCK_FILENAME = "clipper.lock"


@dataclass(frozen=True)
class LibraryLocation:
    """Resolved places of one library."""

    folder: Path
    """Local folder: the SQLite file (if any), the index, the lock file."""
    database_url: str

    @property
    def index_dir(self) -> Path:
        return self.folder / INDEX_DIRNAME

    @property
    def lock_path(self) -> Path:
        return self.folder / LOCK_FILENAME

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def describe(self) -> str:
        """What to show a user: the folder, or the URL without its password."""
        if self.is_sqlite:
            return str(self.folder)
        return _redact(self.database_url)


def default_library_folder() -> Path:
    return Path(platformdirs.user_data_dir("Clipper", appauthor=False))


def _is_url(value: str) -> bool:
    return "://" in value and not value.startswith("file://")


def _redact(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        creds, _, host = rest.rpartition("@")
        user = creds.split(":", 1)[0]
        return f"{scheme}{sep}{user}:***@{host}"
    return url


def resolve_location(value: str | os.PathLike[str] | None = None) -> LibraryLocation:
    """Turn a `--library` value (or None) into folder + database URL."""
    raw = os.fspath(value) if value is not None else os.environ.get(ENV_VAR) or None
    if raw and _is_url(raw):
        digest = hashlib.sha256(raw.encode()).hexdigest()[:16]
        folder = default_library_folder() / "remote" / digest
        return LibraryLocation(folder=folder, database_url=raw)
    folder = (Path(raw).expanduser() if raw else default_library_folder()).resolve()
    return LibraryLocation(folder=folder, database_url=f"sqlite:///{folder / DB_FILENAME}")
