"""Clipper: a desktop research clipping manager.

Everything under `clipper/` except `clipper/gui/` is the Qt-free core.
"""

__version__ = "0.1.0"
