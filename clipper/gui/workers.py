"""Background work: the GUI thread only paints and reacts (DESIGN.md, "Threads").

Modelled on Anki's `CollectionOp`/`QueryOp` and Picard's `run_task`: a task is a plain
function run on a pool thread; it never touches a widget, and its result (or error)
comes back to the GUI thread through a queued signal on one relay object that lives
there. Writes go through a single-thread pool (one writer at a time, like Picard's
`save_thread_pool`). Fetching, extraction and image work use a second pool, and reads
and searches a third, so that slow pages being clipped never delay search results.

Every read of the database or the disk that a view needs goes through `run_read`. A view
that asks again before the answer is back (the next search, the next clip in the reader,
the list's next id list) names its read (`latest=`): each submission takes a new
sequence number, a superseded read that has not started never runs, and one that has
delivers nothing. Like the search always did, but in one place.
"""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")
Progress = Callable[[object], None]
"""What a task calls to report progress; thread-safe (it emits a signal)."""


@dataclass
class _Pending:
    # The result crosses a queued signal as a plain object; `_submit` pairs this callback
    # with the task that produces its argument type, so it is erased to Any only here.
    on_done: Callable[[Any], object] | None
    on_error: Callable[[BaseException], None] | None
    on_progress: Callable[[object], None] | None
    latest: Hashable | None = None


class _Runnable(QRunnable):
    """Runs `fn(progress)` on a pool thread and reports through the relay's signals."""

    def __init__(self, relay: TaskManager, task_id: int, fn: Callable[[Progress], object]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python keeps it alive until the result is delivered
        self._relay = relay
        self._task_id = task_id
        self._fn = fn

    def run(self) -> None:
        task_id = self._task_id

        def progress(value: object) -> None:
            self._relay.progressed.emit(task_id, value)

        failure: Exception | None = None
        try:
            result = self._fn(progress)
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread as a value
            log.debug("task %d failed:\n%s", task_id, traceback.format_exc())
            result, failure = None, exc
        try:
            if failure is not None:
                self._relay.failed.emit(task_id, failure)
            else:
                self._relay.finished.emit(task_id, result)
        except RuntimeError:  # the relay was deleted while this ran: its window is gone
            log.debug("task %d ended after its window was deleted", task_id)


class TaskManager(QObject):
    """Owns the pools; delivers results to callbacks on the GUI thread."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, object)
    idle = Signal()
    """Emitted when the last running task has delivered its result."""

    def __init__(
        self, parent: QObject | None = None, fetch_threads: int = 3, read_threads: int = 2
    ) -> None:
        super().__init__(parent)
        self.writer = QThreadPool(self)
        self.writer.setMaxThreadCount(1)
        self.fetcher = QThreadPool(self)
        self.fetcher.setMaxThreadCount(fetch_threads)
        self.reader = QThreadPool(self)
        self.reader.setMaxThreadCount(read_threads)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._runnables: dict[int, _Runnable] = {}
        self._latest: dict[Hashable, int] = {}
        """The newest read of each name: the only one whose result is delivered."""
        self.superseded = 0
        """Reads dropped because a newer one of the same name came (tests read it)."""
        self.closed = False
        # Signals emitted from pool threads reach these slots queued, on our thread.
        self.finished.connect(self._on_finished)
        self.failed.connect(self._on_failed)
        self.progressed.connect(self._on_progress)

    # --- submitting ---------------------------------------------------------------------

    def run_write(
        self,
        fn: Callable[[Progress], T],
        on_done: Callable[[T], object] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[object], None] | None = None,
    ) -> int:
        """A task that writes the library: runs after every earlier write, alone.

        Library writes go through `Operations.run_op`, which broadcasts their `Changes`;
        this is for the writer-thread work that changes no clip (opening the library)."""
        return self._submit(self.writer, fn, on_done, on_error, on_progress)

    def run_fetch(
        self,
        fn: Callable[[Progress], T],
        on_done: Callable[[T], object] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[object], None] | None = None,
    ) -> int:
        """Network, extraction and image work (may take seconds); runs in parallel."""
        return self._submit(self.fetcher, fn, on_done, on_error, on_progress)

    def run_read(
        self,
        fn: Callable[[Progress], T],
        on_done: Callable[[T], object] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[object], None] | None = None,
        *,
        latest: Hashable | None = None,
    ) -> int:
        """Reads and searches: short, and never queued behind a slow page.

        With `latest`, this read supersedes the earlier ones of that name: a queued one
        is taken off the pool, a running one delivers nothing (neither result nor error).
        """
        if latest is not None:
            self.supersede(latest)
        task_id = self._submit(self.reader, fn, on_done, on_error, on_progress)
        if latest is not None:
            self._latest[latest] = task_id
            self._pending[task_id].latest = latest
        return task_id

    def supersede(self, latest: Hashable) -> None:
        """Drop the read named `latest` that is on its way (a view moved on without it)."""
        task_id = self._latest.pop(latest, None)
        if task_id is None or task_id not in self._pending:
            return
        self.superseded += 1
        runnable = self._runnables.get(task_id)
        if runnable is not None and self.reader.tryTake(runnable):
            self._take(task_id)  # never started: nothing will be delivered
            self._check_idle()

    def _submit(
        self,
        pool: QThreadPool,
        fn: Callable[[Progress], T],
        on_done: Callable[[T], object] | None,
        on_error: Callable[[BaseException], None] | None,
        on_progress: Callable[[object], None] | None,
    ) -> int:
        if self.closed:
            raise RuntimeError("the task manager is shut down")
        task_id = next(self._ids)
        self._pending[task_id] = _Pending(on_done, on_error, on_progress)
        runnable = _Runnable(self, task_id, fn)
        self._runnables[task_id] = runnable
        pool.start(runnable)
        return task_id

    # --- delivering (GUI thread) --------------------------------------------------------

    @Slot(int, object)
    def _on_finished(self, task_id: int, result: object) -> None:
        pending = self._take(task_id)
        if pending is not None and self._current(task_id, pending) and pending.on_done is not None:
            pending.on_done(result)
        self._check_idle()

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        pending = self._take(task_id)
        if pending is None:
            return
        if not self._current(task_id, pending):
            self._check_idle()
            return
        if pending.on_error is not None:
            assert isinstance(error, BaseException)
            pending.on_error(error)
        else:
            log.error("background task failed: %s", error)
        self._check_idle()

    @Slot(int, object)
    def _on_progress(self, task_id: int, value: object) -> None:
        pending = self._pending.get(task_id)
        if pending is None or pending.on_progress is None:
            return
        if pending.latest is None or self._latest.get(pending.latest) == task_id:
            pending.on_progress(value)

    def _take(self, task_id: int) -> _Pending | None:
        self._runnables.pop(task_id, None)
        return self._pending.pop(task_id, None)

    def _current(self, task_id: int, pending: _Pending) -> bool:
        """False for a named read that a newer one superseded (its result is stale)."""
        if pending.latest is None:
            return True
        if self._latest.get(pending.latest) != task_id:
            return False
        del self._latest[pending.latest]
        return True

    def _check_idle(self) -> None:
        if not self._pending:
            self.idle.emit()

    # --- state and shutdown -------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def pending_count(self) -> int:
        return len(self._pending)

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Drop queued background work, let running tasks end, finish every write.

        Returns False if something was still running after the timeout.
        """
        self.closed = True
        self.fetcher.clear()
        self.reader.clear()
        done = self.reader.waitForDone(min(timeout_ms, 5_000))
        done = self.fetcher.waitForDone(min(timeout_ms, 5_000)) and done
        done = self.writer.waitForDone(timeout_ms) and done
        self._pending.clear()
        self._runnables.clear()
        self._latest.clear()
        return done


class GuiGarbageCollector(QObject):
    """Python's cycle collector, run on the GUI thread only, in small steps.

    Two reasons (measured: see tests/gui/test_responsive.py). A full collection in a
    process holding Qt, SQLAlchemy, trafilatura and Whoosh scans ~100,000 objects and
    stops every thread for 40-100 ms; and a collection triggered on a worker thread may
    delete Qt wrappers there, which Qt does not survive (the pattern of pyqtgraph's and
    Erik Janssens' `GarbageCollector`). So: once started, everything alive is frozen
    (`gc.freeze()`: imported modules and the window are not rescanned), automatic
    collection is off, and a timer on the GUI thread collects the generations whose
    counts passed the usual thresholds.
    """

    INTERVAL_MS = 1000

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtCore import QTimer

        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._was_enabled = True
        self.active = False

    def start(self) -> None:
        import gc

        if self.active:
            return
        self._was_enabled = gc.isenabled()
        gc.collect()
        gc.freeze()
        gc.disable()
        self.active = True
        self._timer.start()

    def check(self) -> None:
        import gc

        threshold = gc.get_threshold()
        count = gc.get_count()
        for generation in (2, 1, 0):
            if count[generation] > threshold[generation]:
                gc.collect(generation)
                break

    def stop(self) -> None:
        import gc

        if not self.active:
            return
        self._timer.stop()
        self.active = False
        gc.unfreeze()
        if self._was_enabled:
            gc.enable()
