"""CLI commands for passages, versions and export (filled in by the passages issue)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

COMMANDS: dict[str, Callable[[argparse.Namespace, Any], int]] = {}


def add_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Register the passage commands on the main parser."""
