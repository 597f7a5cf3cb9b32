"""Tag dialogs: add/remove tags on selected clips, rename a tag.

The dialogs only collect names; the window applies them through `library.tags.change` /
`rename` as operations (`gui/operations.py`). Adding uses completion from the library's tags, one
comma-separated name at a time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)


def split_tags(text: str) -> list[str]:
    """'a, b,,c ' -> ['a', 'b', 'c'] (tags may contain spaces; commas separate)."""
    seen: set[str] = set()
    names = []
    for part in text.split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


class TagCompleter(QCompleter):
    """Completes the tag being typed after the last comma."""

    def __init__(self, names: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Parented to the completer: Python must not collect the model under Qt's feet.
        self.setModel(QStringListModel(sorted(names, key=str.casefold), self))
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def pathFromIndex(self, index: QModelIndex) -> str:
        """Replace only the last comma-separated part with the completion."""
        completion = super().pathFromIndex(index)
        widget = self.widget()
        if not isinstance(widget, QLineEdit):
            return completion
        head, sep, _last = widget.text().rpartition(",")
        return f"{head}{sep} {completion}" if sep else completion

    def splitPath(self, path: str) -> list[str]:
        return [path.rpartition(",")[2].strip()]


class TagDialog(QDialog):
    """Tags of the selection, each checkable (unchecked = remove), plus a field to add.

    A tag only some selected clips have is partially checked; left so, it is unchanged.
    """

    def __init__(
        self,
        clip_tags: Sequence[Sequence[str]],
        all_tags: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        count = len(clip_tags)
        self.setWindowTitle("Tag clip" if count == 1 else f"Tag {count} clips")
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)

        self._present: Counter[str] = Counter()
        display: dict[str, str] = {}
        for tags in clip_tags:
            for tag in {t.casefold(): t for t in tags}.values():
                self._present[tag.casefold()] += 1
                display.setdefault(tag.casefold(), tag)
        self._total = count

        layout.addWidget(QLabel("Add tags (separate with commas):"))
        self.add_edit = QLineEdit(self)
        self.add_edit.setPlaceholderText("e.g. defense, morocco")
        self.add_edit.setCompleter(TagCompleter(all_tags, self.add_edit))
        layout.addWidget(self.add_edit)

        self.current = QListWidget(self)
        self.current.setAlternatingRowColors(False)
        for key in sorted(display):
            item = QListWidgetItem(display[key])
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsUserCheckable
                | (
                    Qt.ItemFlag.ItemIsUserTristate
                    if self._present[key] < count
                    else Qt.ItemFlag.NoItemFlags
                )
            )
            partial = self._present[key] < count
            item.setCheckState(Qt.CheckState.PartiallyChecked if partial else Qt.CheckState.Checked)
            if partial:
                item.setToolTip(f"On {self._present[key]} of {count} selected clips")
            self.current.addItem(item)
        if display:
            layout.addWidget(QLabel("Current tags (uncheck to remove):"))
            layout.addWidget(self.current)
            self.current.setMaximumHeight(180)
        else:
            self.current.hide()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.add_edit.setFocus()

    def changes(self) -> tuple[list[str], list[str]]:
        """(names to add, names to remove) as the user left the dialog."""
        add = split_tags(self.add_edit.text())
        remove: list[str] = []
        for i in range(self.current.count()):
            item = self.current.item(i)
            state = item.checkState()
            if state == Qt.CheckState.Unchecked:
                remove.append(item.text())
            elif state == Qt.CheckState.Checked and self._present[item.text().casefold()] < (
                self._total
            ):
                add.append(item.text())
        added = {a.casefold() for a in add}
        return add, [r for r in remove if r.casefold() not in added]


class RenameTagDialog(QDialog):
    """A new name for a tag; an existing name merges the two (the core does that)."""

    def __init__(self, name: str, all_tags: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Rename tag")
        self.setMinimumWidth(340)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Rename “{name}” to:"))
        self.edit = QLineEdit(name, self)
        self.edit.selectAll()
        others = [t for t in all_tags if t.casefold() != name.casefold()]
        completer = QCompleter(others, self.edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.edit.setCompleter(completer)
        layout.addWidget(self.edit)
        hint = QLabel("Using the name of another tag merges the two.")
        hint.setEnabled(False)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def new_name(self) -> str:
        return " ".join(self.edit.text().split())
