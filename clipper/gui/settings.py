"""Window state kept between runs: geometry, splitter sizes, list columns.

An INI file in the user's config folder (QSettings, IniFormat) rather than the
registry or dconf, so that tests point it at a temp folder with
`QSettings.setPath(...)` and users can read it.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "Clipper"
APPLICATION = "clipper"


def app_settings() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


class WindowState:
    """Typed access to the few values the main window saves."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings if settings is not None else app_settings()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        if isinstance(value, bytes | bytearray) and value:
            return QByteArray(bytes(value))
        return None

    def load(self, key: str) -> QByteArray | None:
        """A saved `saveGeometry()` / `saveState()` blob, or None."""
        return self._bytes(f"window/{key}")

    def save(self, key: str, value: QByteArray) -> None:
        self._settings.setValue(f"window/{key}", value)

    def sync(self) -> None:
        self._settings.sync()

    @property
    def settings(self) -> QSettings:
        """The store itself (the preferences live in the same file)."""
        return self._settings

    @property
    def file_name(self) -> str:
        return self._settings.fileName()
