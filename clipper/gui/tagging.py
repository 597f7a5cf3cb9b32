"""Tag dialogs: add/remove tags on selected clips, rename a tag.

The dialogs only collect names; the window applies them through `library.tags.change` /
`rename` as operations (`gui/operations.py`). Adding uses completion from the library's tags, one
comma-separated name at a time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt
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

from clipper.rules import tag_key, tag_name


def split_tags(text: str) -> list[str]:
    """'a, b,,c ' -> ['a', 'b', 'c'] (tags may contain spaces; commas separate)."""
    seen: set[str] = set()
    names = []
    for part in text.split(","):
        name = tag_name(part)
        if name and tag_key(name) not in seen:
            seen.add(tag_key(name))
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

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
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
            for key, tag in {tag_key(t): t for t in tags}.items():
                self._present[key] += 1
                display.setdefault(key, tag)
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
            elif state == Qt.CheckState.Checked and self._present[tag_key(item.text())] < (
                self._total
            ):
                add.append(item.text())
        added = {tag_key(a) for a in add}
        return add, [r for r in remove if tag_key(r) not in added]


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
        others = [t for t in all_tags if tag_key(t) != tag_key(name)]
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
