"""One path for every change (Anki's `CollectionOp` and `operation_did_execute`).

A write is a function returning the facade's `Changes`; `run_op` runs it on the writer
thread and broadcasts its `Changes` once, with who started it, on
`operation_did_execute`. The views (list, sidebar, reader, passages panel, all-passages
view) subscribe and refresh only what the `Changes` names; changes another client made
(`live.py`) enter the same broadcast through `broadcast`. No view refreshes by hand.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from clipper.library.types import Changes

if TYPE_CHECKING:
    from clipper.gui.workers import TaskManager

log = logging.getLogger(__name__)
R = TypeVar("R")

Op = Callable[[], Changes[R]]
"""A write: one or more calls of the `Library` facade, returning what they changed."""


class Operations(QObject):
    """Runs writes on the writer thread and tells every view what they changed."""

    operation_did_execute = Signal(object, object)
    """(`Changes`, initiator): after a write of this window or another client's commit.
    The initiator is whoever called `run_op` (None for changes from elsewhere)."""
    failed = Signal(object)
    """An exception from a write nobody handled: the window shows it in one line."""

    def __init__(self, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks

    def run_op(
        self,
        op: Op[R],
        initiator: object | None = None,
        *,
        on_done: Callable[[R], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        """Run `op` after every earlier write; broadcast its changes, then `on_done(result)`.

        The broadcast comes first, so `on_done` sees the views already refreshing."""

        def done(changes: Changes[R]) -> None:
            self.broadcast(changes, initiator)
            if on_done is not None:
                on_done(changes.result)

        return self.tasks.run_write(
            lambda _progress: op(), on_done=done, on_error=on_error or self.failed.emit
        )

    def broadcast(self, changes: Changes[object], initiator: object | None = None) -> None:
        """Tell every subscriber (also for changes this window did not make)."""
        self.operation_did_execute.emit(changes, initiator)
