"""A guard against a refcount bug of the PySide6 6.12.0 wheels on Python 3.10/3.11.

Found while measuring the list at 100,000 clips: with PySide6-Essentials 6.12.0 (the
`cp310-abi3` wheel) on Python 3.11, every call of a Qt method that returns nothing
(`widget.show()`, `timer.start()`, `painter.save()`, ...) drops one reference to
`None`, and every `signal.emit()` drops one reference to `True`. The wheel was built
with C headers that treat `None`, `True` and `False` as immortal, which they are only
from Python 3.12 on (CPython fixed those limited-API macros for 3.11 and older). After
as many calls as those objects had references (a few thousand in a small script, a
few tens of thousands in the app) the interpreter aborts: "Fatal Python error:
none_dealloc" or "bool_dealloc". PySide6-Essentials 6.11.3 on the same Python does not
lose any reference; Python 3.12+ is immune.

`install()` probes for the bug and, only when it is there (CPython < 3.12, a release
build), does what Python 3.12 does: it makes the three singletons effectively immortal
by adding 2**40 to their reference counts, far more than any session can lose.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)
RESERVE = 1 << 40
PROBE_CALLS = 64
_installed = False


def _refcount_field(obj: object) -> ctypes.c_ssize_t:
    """`ob_refcnt`, the first field of every object in a release build of CPython."""
    return ctypes.c_ssize_t.from_address(id(obj))


def probe() -> tuple[int, int]:
    """References to (None, True) lost by PROBE_CALLS void calls and signal emits."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    subject = _Probe()
    none_before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        subject.setObjectName("probe")  # returns void
    none_lost = none_before - sys.getrefcount(None)
    true_before = sys.getrefcount(True)
    for _ in range(PROBE_CALLS):
        subject.ping.emit()  # returns True
    true_lost = true_before - sys.getrefcount(True)
    return none_lost, true_lost


def install() -> bool:
    """Guard the process if this binding has the bug; True when the guard is on."""
    global _installed
    if _installed:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False  # immortal singletons: nothing to lose
    if hasattr(sys, "gettotalrefcount"):
        return False  # a debug build lays objects out differently: leave it alone
    none_lost, true_lost = probe()
    if none_lost < PROBE_CALLS // 2 and true_lost < PROBE_CALLS // 2:
        return False
    for singleton in (None, True, False):
        _refcount_field(singleton).value += RESERVE
    _installed = True
    log.info(
        "this PySide6 build loses references to None/True on Python %d.%d; "
        "guarded (use PySide6 != 6.12.0 or Python >= 3.12 to avoid it)",
        *sys.version_info[:2],
    )
    return True
