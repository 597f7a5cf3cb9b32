"""Image validation: real formats only, size limits, decompression bombs refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from clipper.capture.images import validate_image
from clipper.errors import ImageError
from tests.helpers.site import make_image


def test_valid_jpeg_gets_hash_size_and_thumbnail() -> None:
    data = make_image(1600, 900, seed="x")
    image = validate_image(data)
    assert (image.media_type, image.width, image.height) == ("image/jpeg", 1600, 900)
    thumb = Image.open(io.BytesIO(image.thumbnail))
    assert max(thumb.size) <= 480 and thumb.size[0] > thumb.size[1]
    assert not image.is_decorative


def test_transparent_png_thumbnail_stays_png() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (10, 20, 30, 0)).save(out, format="PNG")
    assert validate_image(out.getvalue()).thumbnail.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "empty"),
        (b"<html>not an image</html>", "not an image"),
        (make_image(400, 300)[:300], "broken image"),
    ],
)
def test_bad_images_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImageError, match=message):
        validate_image(data)


def test_decompression_bomb_is_refused() -> None:
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, format="PNG")  # 144 Mpx, a tiny file
    with pytest.raises(ImageError, match="too large"):
        validate_image(out.getvalue())


def test_size_limit() -> None:
    with pytest.raises(ImageError, match="too large"):
        validate_image(make_image(200, 200), max_bytes=100)


def test_icon_is_decorative() -> None:
    assert validate_image(make_image(32, 32, "PNG")).is_decorative


_LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]) << 20, int(sys.argv[2]) << 20))
from clipper.capture.images import validate_image
try:
    image = validate_image(open(sys.argv[1], "rb").read())
    print("ok", image.width, image.height)
except Exception as exc:
    print("error", exc)
"""


def _validate_in_limited_process(path: Path, megabytes: int) -> str:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _LIMITED, str(path), str(megabytes)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout.strip() or done.stderr.strip().splitlines()[-1]


def test_huge_jpeg_is_decoded_at_reduced_scale(tmp_path: Path) -> None:
    """A 7,740 px square JPEG (60 M pixels) needs ~480 MB decoded whole: with draft()
    it validates and thumbnails in a process limited to 250 MB of address space."""
    path = tmp_path / "huge.jpg"
    Image.new("RGB", (7740, 7740), (10, 120, 30)).save(path, quality=60)
    assert _validate_in_limited_process(path, 250) == "ok 7740 7740"


def test_huge_png_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    Image.new("RGB", (7740, 7740), (10, 120, 30)).save(path)
    result = _validate_in_limited_process(path, 250)
    assert result.startswith("error image too large to decode (7740x7740 pixels"), result
