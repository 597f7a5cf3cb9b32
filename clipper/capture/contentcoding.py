"""Streaming `Content-Encoding` decoding with the size limit on the decoded bytes.

httpx inflates a whole network chunk at a time before anyone can count the bytes, so
`Content-Encoding: gzip, gzip` turns 1.8 KB into gigabytes. Here every layer inflates
at most `PIECE` bytes per step and the limit is applied to what comes out of the last
layer: memory stays at a few pieces per layer whatever the ratio. At most two layers
are accepted (no real server stacks more), and only the codings we ask for.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

PIECE = 64 * 1024
MAX_LAYERS = 2
ACCEPT_ENCODING = "gzip, deflate"


class ContentCodingError(ValueError):
    """The body cannot be decoded (unsupported, too many layers, damaged, too large)."""


class DecodedTooLarge(ContentCodingError):
    """More decoded bytes than the limit."""


class _Inflater:
    """One gzip/deflate layer, producing at most PIECE bytes per step."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._raw_fallback = coding == "deflate"
        wbits = 16 + zlib.MAX_WBITS if coding == "gzip" else zlib.MAX_WBITS
        self._inflater = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._inflater.eof:
            return  # trailing garbage after the stream: ignored, as browsers do
        try:
            if not self._started and self._raw_fallback and data:
                self._started = True
                try:
                    probe = zlib.decompressobj(zlib.MAX_WBITS)
                    probe.decompress(data[:64], 1)
                except zlib.error:
                    # "deflate" servers often send raw deflate without the zlib header.
                    self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            self._started = True
            pending = data
            while pending and not self._inflater.eof:
                out = self._inflater.decompress(pending, PIECE)
                tail = self._inflater.unconsumed_tail
                if out:
                    yield out
                elif tail == pending:
                    break
                pending = tail
        except zlib.error as exc:
            raise ContentCodingError(f"damaged {self.coding} data ({exc})") from exc

    def finish(self) -> Iterator[bytes]:
        try:
            while True:
                out = self._inflater.decompress(self._inflater.unconsumed_tail, PIECE)
                if not out:
                    break
                yield out
            rest = self._inflater.flush(PIECE)
        except zlib.error as exc:
            raise ContentCodingError(f"damaged {self.coding} data ({exc})") from exc
        if rest:
            yield rest


def parse_codings(header: str) -> list[str]:
    """The codings in the order they were applied; identity dropped."""
    codings = [c.strip().lower() for c in header.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > MAX_LAYERS:
        raise ContentCodingError(
            f"{len(codings)} stacked content encodings (at most {MAX_LAYERS} are accepted)"
        )
    for coding in codings:
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise ContentCodingError(f"unsupported content encoding {coding!r}")
    return ["gzip" if c == "x-gzip" else c for c in codings]


def decode_stream(raw: Iterable[bytes], header: str, limit: int) -> Iterator[bytes]:
    """Decoded pieces of the body; raises ContentCodingError past `limit` decoded bytes."""
    layers = [_Inflater(c) for c in reversed(parse_codings(header))]
    total = 0

    def through(pieces: Iterable[bytes], index: int) -> Iterator[bytes]:
        if index == len(layers):
            yield from pieces
            return
        layer = layers[index]
        for piece in pieces:
            yield from through(layer.feed(piece), index + 1)

    def finish(index: int) -> Iterator[bytes]:
        for position in range(index, len(layers)):
            yield from through(layers[position].finish(), position + 1)

    for piece in through(raw, 0):
        total += len(piece)
        if total > limit:
            raise DecodedTooLarge("too large")
        yield piece
    for piece in finish(0):
        total += len(piece)
        if total > limit:
            raise DecodedTooLarge("too large")
        yield piece


__all__ = [
    "ACCEPT_ENCODING",
    "ContentCodingError",
    "DecodedTooLarge",
    "decode_stream",
    "parse_codings",
]
