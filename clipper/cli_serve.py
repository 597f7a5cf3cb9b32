"""`clipper serve`: the browser extension's capture endpoint without the app window.

Clips arrive on the endpoint's threads; they are stored one at a time (the library has
one writer), each reported as one line like `clipper clip` does.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clipper.cli_output import Output

EXIT_OK = 0


def add_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = add(
        "serve",
        "receive clips from the browser extension (a loopback endpoint; Ctrl+C stops)",
    )
    p.add_argument(
        "--port",
        type=int,
        default=None,
        help="the port to listen on (default 38431 or CLIPPER_CAPTURE_PORT; 0: any free port)",
    )
    p.add_argument(
        "--new-code",
        action="store_true",
        help="make a new pairing code (every paired browser must be paired again)",
    )


def cmd_serve(args: argparse.Namespace, out: Output) -> int:
    from clipper.capture.fetch import Fetcher
    from clipper.cli import _open_library
    from clipper.endpoint.clipping import PageClipped, clip_page
    from clipper.endpoint.pairing import pairing_code
    from clipper.endpoint.payload import BrowserPage
    from clipper.endpoint.server import CaptureEndpoint

    writing = threading.Lock()
    with _open_library(args, out) as library, Fetcher() as fetcher:
        code = pairing_code(library.location.folder, reset=args.new_code)

        def clip(page: BrowserPage) -> PageClipped:
            with writing:
                try:
                    outcome = clip_page(library, page, fetcher)
                except Exception as exc:
                    out.warn(f"{page.url}: {exc}")
                    raise
                out.clip_result(page.url, outcome.result)
                out.stdout.flush()
                return outcome

        endpoint = CaptureEndpoint(code, clip, args.port, library.location.describe())
        endpoint.bind()
        out.message(
            f"Pairing code: {code}\nListening on {endpoint.address} (Ctrl+C stops)",
            record={"pairing_code": code, "address": endpoint.address},
        )
        out.stdout.flush()
        endpoint.serve_forever()
    return EXIT_OK


COMMANDS = {"serve": cmd_serve}
