"""`clipper serve`: the endpoint without the window, as a real process."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

from clipper.library import Library
from tests.helpers.extension import EXTENSION, PAGE_URL, clip_payload


def _serve(library: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "clipper", "serve", "--library", str(library), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_serve_pairs_and_stores_a_clip(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    process = _serve(library, "--port", "0")
    try:
        assert process.stdout is not None
        code_line = process.stdout.readline()
        address_line = process.stdout.readline()
        assert code_line.startswith("Pairing code: "), code_line
        code = code_line.split(": ", 1)[1].strip()
        assert (library / "capture-token").read_text().strip() == code
        assert (library / "capture-token").stat().st_mode & 0o077 == 0
        port = int(address_line.split("http://127.0.0.1:", 1)[1].split()[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {
            "Origin": EXTENSION,
            "Authorization": f"Bearer {code}",
            "Content-Type": "application/json",
        }
        conn.request("POST", "/v1/clip", json.dumps(clip_payload()).encode(), headers)
        reply = conn.getresponse()
        body = json.loads(reply.read())
        conn.close()
        assert reply.status == 200 and body["status"] == "new", body
        assert process.stdout.readline().startswith("Clipped 1: Harbour plan vote postponed")
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
    assert "Traceback" not in err
    with Library.open(library) as lib:
        detail = lib.clips.get(body["clip_id"])
        assert detail.url == PAGE_URL and detail.figures[0].blob_sha256


def test_serve_on_a_taken_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = _serve(tmp_path / "lib", "--port", str(port))
        _out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "cannot listen on 127.0.0.1:" in lines[0], err
