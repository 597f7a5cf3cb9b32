"""Image validation and thumbnails with Pillow.

A downloaded "image" is untrusted bytes: it is opened and decoded by Pillow with our own
pixel limit (a decompression bomb is refused, not just warned about) before it is
stored. Decoding is bounded: a JPEG is decoded at a reduced scale (`draft()`, which still
reads every byte, so damage is found), other formats only when their decoded pixels fit
`MAX_DECODE_BYTES`, and the thumbnail is rotated after it is shrunk. Thumbnails are made
once, at store time, so the reader never decodes a full-size photo just to show a list.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from clipper.errors import ImageError

MAX_IMAGE_BYTES = 25 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000
MAX_DECODE_BYTES = 200 * 1024 * 1024
"""The most memory one decoded image may take (Pillow keeps RGB as 4 bytes a pixel)."""
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2}
THUMBNAIL_SIZE = (480, 480)
DECORATIVE_MAX_SIDE = 48
"""Downloaded images at most this wide and high are icons or pixels, not figures."""

FORMAT_MEDIA_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
    "AVIF": "image/avif",
}


@dataclass(frozen=True)
class ValidatedImage:
    sha256: str
    media_type: str
    width: int
    height: int
    data: bytes
    thumbnail: bytes

    @property
    def is_decorative(self) -> bool:
        return self.width <= DECORATIVE_MAX_SIDE and self.height <= DECORATIVE_MAX_SIDE


def validate_image(data: bytes, *, max_bytes: int = MAX_IMAGE_BYTES) -> ValidatedImage:
    """Check that `data` is a real, decodable image of an accepted format; thumbnail it."""
    if not data:
        raise ImageError("empty file")
    if len(data) > max_bytes:
        raise ImageError(f"image too large ({len(data) / 1048576:.1f} MB)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format or ""
                width, height = probe.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ImageError(
                        f"image too large ({width}x{height} pixels; a decompression bomb?)"
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                if image.format == "JPEG":
                    image.draft("RGB", THUMBNAIL_SIZE)
                cost = image.size[0] * image.size[1] * _BYTES_PER_PIXEL.get(image.mode, 4)
                if cost > MAX_DECODE_BYTES:
                    raise ImageError(
                        f"image too large to decode ({width}x{height} pixels, "
                        f"{cost / 1048576:.0f} MB)"
                    )
                image.load()
                thumbnail = _thumbnail(image)
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError("image too large (a decompression bomb?)") from exc
    except UnidentifiedImageError as exc:
        raise ImageError("not an image (unrecognised data)") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"broken image ({exc})") from exc
    media_type = FORMAT_MEDIA_TYPES.get(fmt)
    if media_type is None:
        raise ImageError(f"unsupported image format {fmt or 'unknown'}")
    return ValidatedImage(
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=media_type,
        width=width,
        height=height,
        data=data,
        thumbnail=thumbnail,
    )


def _thumbnail(image: Image.Image) -> bytes:
    """A JPEG (PNG when transparent) no larger than THUMBNAIL_SIZE."""
    image.thumbnail(THUMBNAIL_SIZE)  # in place: no full-size copy
    thumb = ImageOps.exif_transpose(image)
    has_alpha = thumb.mode in ("RGBA", "LA") or (thumb.mode == "P" and "transparency" in thumb.info)
    out = io.BytesIO()
    if has_alpha:
        thumb.convert("RGBA").save(out, format="PNG", optimize=True)
    else:
        thumb.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
