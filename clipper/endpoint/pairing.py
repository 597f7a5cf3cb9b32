"""The per-library pairing code: the secret the extension sends with every clip.

It lives in the library folder (`capture-token`, readable by the owner only) so that
each library has its own and a paired browser keeps working across restarts. A new
code (`reset`) unpairs every browser.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from clipper.errors import LibraryError

TOKEN_FILE = "capture-token"
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: it is typed by hand


def _new_code() -> str:
    groups = ["".join(secrets.choice(_ALPHABET) for _ in range(5)) for _ in range(5)]
    return "-".join(groups)  # ~124 bits


def pairing_code(folder: Path, *, reset: bool = False) -> str:
    """The library's pairing code, made on first use."""
    path = folder / TOKEN_FILE
    if not reset:
        try:
            code = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            code = ""
        except (OSError, UnicodeDecodeError) as exc:
            raise LibraryError(f"cannot read the pairing code {path}: {exc}") from exc
        if code:
            return code
    code = _new_code()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(code + "\n")
        tmp.replace(path)
    except OSError as exc:
        raise LibraryError(f"cannot write the pairing code {path}: {exc}") from exc
    return code


def same_code(given: str, code: str) -> bool:
    """Constant-time comparison (dashes, spaces and case as typed do not matter)."""
    clean = "".join(ch for ch in given.lower() if ch.isalnum())
    want = "".join(ch for ch in code.lower() if ch.isalnum())
    return hmac.compare_digest(clean.encode(), want.encode())
