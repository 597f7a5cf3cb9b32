"""Image validation: real formats only, size limits, decompression bombs refused."""

from __future__ import annotations

import io

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
