"""A headless Chromium driven over the DevTools protocol on a pipe (no extra library):
open a URL in a new tab, wait for the load, evaluate JavaScript. Tests use it to check
that the text-fragment links Clipper builds are ones a real browser scrolls to."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

BINARIES = ("chromium-headless-shell", "chromium", "chromium-browser")


def find_chromium() -> str | None:
    return next((path for name in BINARIES if (path := shutil.which(name))), None)


class Chromium:
    """One browser process; `open(url)` gives a tab's session id."""

    def __init__(self, binary: str, profile: Path) -> None:
        cmd_read, self._cmd = os.pipe()
        self._res, res_write = os.pipe()
        args = " ".join(
            [
                binary,
                "--remote-debugging-pipe",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--window-size=800,600",
                f"--user-data-dir={profile}",
                "about:blank",
            ]
        )
        # Chromium reads commands on fd 3 and answers on fd 4.
        self.process = subprocess.Popen(
            ["bash", "-c", f"exec 3<&{cmd_read} 4>&{res_write}; exec {args}"],
            pass_fds=(cmd_read, res_write),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(cmd_read)
        os.close(res_write)
        self._buffer = b""
        self._next = 0

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._cmd, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._res, 65536)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def open(self, url: str) -> str:
        target = self.send("Target.createTarget", {"url": url})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        return str(session["sessionId"])

    def evaluate(self, session: str, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session
        )
        if "exceptionDetails" in result:
            return None
        return result["result"].get("value")

    def settle(self, session: str, timeout: float = 10.0) -> None:
        """Wait for the load, then for the scroll position to stop changing."""
        deadline = time.monotonic() + timeout
        last: object = None
        stable = 0
        while time.monotonic() < deadline:
            state = self.evaluate(session, "[document.readyState, scrollY]")
            if state and state[0] == "complete":
                stable = stable + 1 if state == last else 0
                if stable >= 3:
                    return
            last = state
            time.sleep(0.1)

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._cmd)
        os.close(self._res)
