"""The loopback HTTP server the browser extension posts clips to (standard library only).

No web page may use it: it listens on 127.0.0.1 only, answers only requests whose
`Origin` is a browser extension's (a page cannot forge that header) and whose `Host` is
the loopback address (no DNS rebinding), that carry the library's pairing code, and that
are JSON within the size limits. Every answer, refusals included, is one JSON line.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from clipper import __version__
from clipper.endpoint.clipping import PageClipped
from clipper.endpoint.pairing import same_code
from clipper.endpoint.payload import MAX_REQUEST_BYTES, BrowserPage, PayloadError, parse_payload
from clipper.errors import ClipperError, describe_error

log = logging.getLogger(__name__)

DEFAULT_PORT = 38431
HOST = "127.0.0.1"
EXTENSION_ORIGIN = re.compile(r"^(chrome-extension|moz-extension)://[A-Za-z0-9-]{1,64}$")
ClipHandler = Callable[[BrowserPage], PageClipped]


class EndpointError(ClipperError):
    """The endpoint cannot start (the port is taken, ...)."""


def default_port() -> int:
    """`CLIPPER_CAPTURE_PORT`, else the port the extension tries first."""
    raw = os.environ.get("CLIPPER_CAPTURE_PORT", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 65536 else DEFAULT_PORT


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 30  # a client that stalls mid-request does not hold a thread for long
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("capture endpoint: " + format, *args)

    # --- the checks, in order: where the request is from, then what it is --------------

    def _origin(self) -> str:
        origin = self.headers.get("Origin", "")
        if not EXTENSION_ORIGIN.match(origin):
            raise _Refused(403, "refused: only the Clipper browser extension may clip here")
        host = self.headers.get("Host", "")
        allowed = {f"{name}:{self.server.server_port}" for name in ("127.0.0.1", "localhost")}
        if host not in allowed:
            raise _Refused(403, "refused: the endpoint answers on the loopback address only")
        return origin

    def _check_token(self) -> None:
        header = self.headers.get("Authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise _Refused(401, "not paired: enter the pairing code shown by Clipper")
        if not same_code(given.strip(), self.server.code):
            raise _Refused(401, "wrong pairing code: enter the code Clipper shows")

    def _body(self) -> Any:
        media = self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if media != "application/json":
            raise _Refused(415, "the request must be JSON (Content-Type: application/json)")
        length = self.headers.get("Content-Length", "")
        if not length.isdigit():
            raise _Refused(411, "the request needs a Content-Length")
        if int(length) > MAX_REQUEST_BYTES:
            raise _Refused(413, f"the request is larger than {MAX_REQUEST_BYTES // 1048576} MB")
        raw = self.rfile.read(int(length))
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise _Refused(400, "the request is not valid JSON") from exc

    # --- methods ------------------------------------------------------------------------

    def do_OPTIONS(self) -> None:
        self._answer(lambda origin: (204, None), check_token=False, read_body=False)

    def do_POST(self) -> None:
        """`/v1/clip` stores a page; `/v1/status` tells the popup that pairing worked.

        Both are POSTs: browsers send an extension's `Origin` on those (not on a GET)."""

        def clip(_origin: str) -> tuple[int, dict[str, Any]]:
            if self.path == "/v1/status":
                self._body()
                return 200, {
                    "ok": True,
                    "app": "clipper",
                    "version": __version__,
                    "library": self.server.library_name,
                }
            if self.path != "/v1/clip":
                raise _Refused(404, "no such endpoint")
            try:
                page = parse_payload(self._body())
            except PayloadError as exc:
                raise _Refused(400, str(exc)) from exc
            try:
                outcome = self.server.clip(page)
            except ClipperError as exc:
                raise _Refused(422, describe_error(exc)) from exc
            return 200, outcome.as_json()

        self._answer(clip)

    def _answer(
        self,
        work: Callable[[str], tuple[int, dict[str, Any] | None]],
        *,
        check_token: bool = True,
        read_body: bool = True,
    ) -> None:
        origin = ""
        try:
            origin = self._origin()
            if check_token:
                self._check_token()
            status, body = work(origin)
        except _Refused as exc:
            status, body = exc.status, {"ok": False, "error": str(exc)}
            self.close_connection = True  # the body (if any) was not read
        except Exception as exc:  # one line to the extension; the server goes on
            log.exception("capture endpoint failed")
            status, body = 500, {"ok": False, "error": describe_error(exc)}
            self.close_connection = True
        self._send(status, body, origin)

    def _send(self, status: int, body: dict[str, Any] | None, origin: str) -> None:
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode() + b"\n"
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if origin:  # only ever an extension's origin
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Methods", "GET, POST")
            self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
            self.send_header("Vary", "Origin")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    code: str
    clip: ClipHandler
    library_name: str


class CaptureEndpoint:
    """The capture endpoint for one library: `start()` serves on a background thread."""

    def __init__(
        self, code: str, clip: ClipHandler, port: int | None = None, library_name: str = ""
    ) -> None:
        self._code = code
        self._clip = clip
        self._port = default_port() if port is None else port
        self._library_name = library_name
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def code(self) -> str:
        return self._code

    @property
    def port(self) -> int:
        return self._server.server_port if self._server else self._port

    @property
    def address(self) -> str:
        return f"http://{HOST}:{self.port}"

    def bind(self) -> None:
        """Listen (port 0: any free port); `EndpointError` when the port is taken."""
        try:
            server = _Server((HOST, self._port), _Handler)
        except OSError as exc:
            raise EndpointError(
                f"cannot listen on {HOST}:{self._port} for the browser extension: "
                f"{exc.strerror or exc} (is another Clipper running? "
                "set CLIPPER_CAPTURE_PORT)"
            ) from exc
        server.code = self._code
        server.clip = self._clip
        server.library_name = self._library_name
        self._server = server

    def start(self) -> None:
        if self._server is None:
            self.bind()
        assert self._server is not None
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="capture-endpoint", daemon=True
        )
        self._thread.start()

    def serve_forever(self) -> None:
        """Serve on this thread until `stop()` (or Ctrl+C)."""
        if self._server is None:
            self.bind()
        assert self._server is not None
        try:
            self._server.serve_forever()
        finally:
            self._server.server_close()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        if self._thread is not None:
            server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        server.server_close()
