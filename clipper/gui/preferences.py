"""Settings the user chooses (Edit > Settings…), kept in the app's INI file.

Library location (used at the next start when neither `--library` nor
`CLIPPER_LIBRARY` is given), fetch limits and the image policy (for the next clips),
theme and reader text size (at once). `Preferences` is the typed store; `SettingsDialog`
edits a copy and hands it back only on OK.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyleFactory,
    QVBoxLayout,
    QWidget,
)

from clipper.gui.settings import app_settings

if TYPE_CHECKING:  # extraction loads with the first clip, not with the window
    from clipper.capture.fetch import FetchLimits
    from clipper.capture.pipeline import CaptureOptions

Theme = Literal["system", "light", "dark"]
ImagePolicy = Literal["keep", "fail", "none"]
IMAGE_POLICIES: dict[str, str] = {
    "keep": "Keep the clip, without the broken image",
    "fail": "Fail the clip (nothing stored)",
    "none": "Do not download images",
}
THEMES: dict[str, str] = {"system": "Like the system", "light": "Light", "dark": "Dark"}
READER_PT = (8.0, 32.0)


@dataclass(frozen=True)
class Preferences:
    library: str = ""
    """A folder or database URL; "" is the default user data folder."""
    timeout: float = 20.0
    max_page_mb: float = 20.0
    images: ImagePolicy = "keep"
    theme: Theme = "system"
    reader_pt: float = 0.0
    """The reader's base text size in points; 0: from the UI font (13 pt or so)."""

    @classmethod
    def load(cls, settings: QSettings | None = None) -> Preferences:
        settings = settings if settings is not None else app_settings()
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = settings.value(f"preferences/{f.name}")
            if raw is None:
                continue
            default = getattr(cls, f.name)
            try:
                values[f.name] = type(default)(raw)
            except (TypeError, ValueError):
                continue
        prefs = replace(cls(), **values)  # type: ignore[arg-type]
        if prefs.images not in IMAGE_POLICIES:
            prefs = replace(prefs, images="keep")
        if prefs.theme not in THEMES:
            prefs = replace(prefs, theme="system")
        return prefs

    def save(self, settings: QSettings | None = None) -> None:
        settings = settings if settings is not None else app_settings()
        for f in fields(self):
            settings.setValue(f"preferences/{f.name}", getattr(self, f.name))
        settings.sync()

    def fetch_limits(self) -> FetchLimits:
        """The `FetchLimits` for new clips (imports extraction's fetch module)."""
        from clipper.capture.fetch import FetchLimits

        return replace(
            FetchLimits(), timeout=self.timeout, max_bytes=int(self.max_page_mb * 1024 * 1024)
        )

    def capture_options(self) -> CaptureOptions:
        from clipper.capture.pipeline import CaptureOptions

        return CaptureOptions(
            strict_images=self.images == "fail", download_images=self.images != "none"
        )


THEMED = "clipperThemed"
"""The application's dynamic property once a theme other than the system's was set."""


def _current_app() -> QApplication | None:
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else None


def apply_theme(theme: Theme, app: QApplication | None = None) -> None:
    """Light or dark whatever the desktop's theme (Fusion style), or the system's."""
    app = app or _current_app()
    if app is None:
        return
    if theme == "system":
        if app.property(THEMED):
            app.setPalette(app.style().standardPalette())
        return
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None:
        app.setStyle(fusion)
    palette = app.style().standardPalette()
    if theme == "dark":
        palette = dark_palette()
    app.setPalette(palette)
    app.setProperty(THEMED, True)


def dark_palette() -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    colors = {
        role.Window: "#2b2b2b",
        role.WindowText: "#e6e6e6",
        role.Base: "#1f1f1f",
        role.AlternateBase: "#2a2a2a",
        role.Text: "#e6e6e6",
        role.Button: "#353535",
        role.ButtonText: "#e6e6e6",
        role.ToolTipBase: "#353535",
        role.ToolTipText: "#e6e6e6",
        role.Highlight: "#3d6fb4",
        role.HighlightedText: "#ffffff",
        role.Link: "#7fb0ff",
        role.PlaceholderText: "#8c8c8c",
    }
    for name, value in colors.items():
        palette.setColor(name, QColor(value))
    palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#7a7a7a"))
    return palette


class SettingsDialog(QDialog):
    """Edits a copy of the preferences; `preferences()` after OK."""

    def __init__(self, prefs: Preferences, default_pt: float, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

        self.library = QLineEdit(prefs.library, self)
        self.library.setPlaceholderText("the default folder")
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._choose_library)
        row = QHBoxLayout()
        row.addWidget(self.library, 1)
        row.addWidget(browse)
        form.addRow("Library:", row)
        note = QLabel("A folder, or a PostgreSQL URL. Used the next time Clipper starts.", self)
        note.setWordWrap(True)
        note.setEnabled(False)
        form.addRow("", note)

        self.timeout = QDoubleSpinBox(self)
        self.timeout.setRange(2, 300)
        self.timeout.setDecimals(0)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(prefs.timeout)
        form.addRow("Page time-out:", self.timeout)
        self.max_mb = QDoubleSpinBox(self)
        self.max_mb.setRange(1, 500)
        self.max_mb.setDecimals(0)
        self.max_mb.setSuffix(" MB")
        self.max_mb.setValue(prefs.max_page_mb)
        form.addRow("Largest page:", self.max_mb)
        self.images = QComboBox(self)
        for key, label in IMAGE_POLICIES.items():
            self.images.addItem(label, key)
        self.images.setCurrentIndex(list(IMAGE_POLICIES).index(prefs.images))
        form.addRow("When an image is broken:", self.images)

        self.theme = QComboBox(self)
        for key, label in THEMES.items():
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(list(THEMES).index(prefs.theme))
        form.addRow("Theme:", self.theme)
        self.reader_pt = QSpinBox(self)
        self.reader_pt.setRange(int(READER_PT[0]), int(READER_PT[1]))
        self.reader_pt.setSuffix(" pt")
        self.reader_pt.setValue(round(prefs.reader_pt or default_pt))
        form.addRow("Reader text size:", self.reader_pt)
        layout.addLayout(form)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._base = prefs
        self.setWindowModality(Qt.WindowModality.WindowModal)

    def _choose_library(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Library folder", self.library.text())
        if folder:
            self.library.setText(folder)

    def preferences(self) -> Preferences:
        return replace(
            self._base,
            library=self.library.text().strip(),
            timeout=float(self.timeout.value()),
            max_page_mb=float(self.max_mb.value()),
            images=self.images.currentData(),
            theme=self.theme.currentData(),
            reader_pt=float(self.reader_pt.value()),
        )
