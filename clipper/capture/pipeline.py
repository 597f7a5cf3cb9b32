"""Capture: everything a clip needs, gathered before the database is touched.

Fetching, extraction and image work can fail in many ways; doing all of it first means
a failure leaves the library exactly as it was, and the write that follows is one short
transaction.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from clipper.article import Article, FigureInfo
from clipper.capture.fetch import Fetcher, FetchResult
from clipper.capture.images import MAX_IMAGE_BYTES, ValidatedImage, validate_image
from clipper.capture.imports import check_page_file
from clipper.capture.netpolicy import AddressSpace
from clipper.capture.urls import site_of
from clipper.capture.worker import (
    ExtractionLimitError,
    ExtractionLimits,
    extract_bounded,
    prestart,
)
from clipper.errors import ClipperError, ExtractionError, FetchError, ImageError

MAX_FILE_BYTES = 50 * 1024 * 1024
UTF8_HTML = "text/html; charset=utf-8"
Progress = Callable[[str], None]


@dataclass
class Capture:
    """A page ready to be stored: the article, the raw page, the validated images."""

    article: Article
    raw_html: bytes
    source_url: str
    http_status: int | None
    content_type: str
    images: dict[int, ValidatedImage] = field(default_factory=dict)
    """Figure index -> its image; a figure without an entry has no stored image."""
    image_errors: dict[int, str] = field(default_factory=dict)
    """Figure index -> why its image was dropped (stored with the figure)."""
    warnings: list[str] = field(default_factory=list)
    address_space: AddressSpace = AddressSpace.PUBLIC
    """How private the page's address was: the ceiling for its images."""
    redirects: tuple[str, ...] = ()

    @property
    def html_sha256(self) -> str:
        return hashlib.sha256(self.raw_html).hexdigest()


@dataclass(frozen=True)
class CaptureOptions:
    strict_images: bool = False
    """Fail the whole clip when a figure's image fails. By default the clip is kept and
    the figure keeps its caption and credit, with the reason the image was dropped."""
    download_images: bool = True
    image_time_limit: float | None = None
    """Seconds for all of a clip's images together (default: the fetch timeout x3)."""
    extraction: ExtractionLimits | None = None
    """Time and memory for extracting one page (default: `ExtractionLimits.from_env()`)."""


def capture_url(
    url: str,
    fetcher: Fetcher,
    options: CaptureOptions | None = None,
    progress: Progress | None = None,
) -> Capture:
    options = options or CaptureOptions()
    _say(progress, f"Fetching {url}")
    prestart(options.extraction)  # the worker starts while the page downloads
    page = fetcher.fetch_page(url)
    return _capture_page(page, fetcher, options, progress)


def capture_file(
    path: Path,
    fetcher: Fetcher | None,
    base_url: str | None = None,
    options: CaptureOptions | None = None,
    progress: Progress | None = None,
) -> Capture:
    """A page saved from a browser. Images are read from disk beside it, or fetched
    when the page refers to the web (unless no fetcher is given: offline)."""
    options = options or CaptureOptions()
    raw = _read_file(path, MAX_FILE_BYTES, ExtractionError, f"{path}: file")
    check_page_file(path, raw)  # a bookmark file, a URL list, /etc/hostname: refused
    page = FetchResult(
        url=base_url or path.resolve().as_uri(),
        final_url=base_url or path.resolve().as_uri(),
        status=None,
        content_type="",
        body=raw,
    )
    return _capture_page(page, fetcher, options, progress, local_dir=path.resolve().parent)


def capture_html(
    raw_html: bytes,
    url: str,
    fetcher: Fetcher | None,
    options: CaptureOptions | None = None,
    progress: Progress | None = None,
    images: dict[str, bytes] | None = None,
) -> Capture:
    """A page a browser rendered (the extension's copy): the same pipeline as a saved
    `.html` file with its URL as the base. `images` are the bytes the browser already
    had, by absolute URL; any other figure image is fetched like a saved page's."""
    options = options or CaptureOptions()
    if len(raw_html) > MAX_FILE_BYTES:
        raise ExtractionError(f"{url}: page too large ({len(raw_html) / 1048576:.1f} MB)")
    # The browser decoded the page already: the text comes as UTF-8 whatever its <meta> says.
    page = FetchResult(url=url, final_url=url, status=None, content_type=UTF8_HTML, body=raw_html)
    return _capture_page(page, fetcher, options, progress, supplied=images)


def capture_stored(
    raw_html: bytes,
    url: str,
    content_type: str,
    http_status: int | None,
    images_by_src: dict[str, ValidatedImage],
) -> Capture:
    """Re-extract a stored page offline: images come from what the library already has
    (matched by source URL); a figure new to this extraction has no image."""
    page = FetchResult(
        url=url, final_url=url, status=http_status, content_type=content_type, body=raw_html
    )
    capture = _capture_page(page, None, CaptureOptions(download_images=False), None)
    for index, figure in enumerate(capture.article.figures):
        image = images_by_src.get(figure.src)
        if image is not None:
            capture.images[index] = image
    return capture


def _capture_page(
    page: FetchResult,
    fetcher: Fetcher | None,
    options: CaptureOptions,
    progress: Progress | None,
    local_dir: Path | None = None,
    supplied: dict[str, bytes] | None = None,
) -> Capture:
    _say(progress, "Extracting")
    try:
        article = extract_bounded(
            page.body, page.final_url, page.content_type or None, options.extraction
        )
    except ExtractionLimitError as exc:
        hint = "" if local_dir is not None else _keep_for_retry(page)
        raise ExtractionLimitError(f"{page.url}: {exc}{hint}") from exc
    except ExtractionError as exc:
        raise ExtractionError(f"{page.url}: {exc}") from exc
    capture = Capture(
        article=article,
        raw_html=page.body,
        source_url=page.final_url,
        http_status=page.status,
        content_type=page.content_type,
        warnings=list(article.warnings),
        address_space=page.address_space,
        redirects=(page.url, *page.redirects) if page.redirects else (),
    )
    _check_canonical(capture, page)
    if options.download_images:
        _add_images(capture, fetcher, options, progress, local_dir, supplied or {})
    return capture


def _plain(url: str) -> str:
    return url.split("#", 1)[0].rstrip("/").lower()


def _check_canonical(capture: Capture, page: FetchResult) -> None:
    """A page may name its canonical URL only on its own site (same registrable domain)
    or among the URLs its redirects went through: else any page could claim to be
    another clip and replace it. An untrusted claim is dropped with a warning. A page
    the user chose from disk has no fetched site: its claim stands."""
    article = capture.article
    claimed = article.canonical_url
    final = page.final_url
    if not claimed or claimed == final or not final.lower().startswith(("http:", "https:")):
        return
    chain = {_plain(u) for u in (page.url, final, *page.redirects)}
    if _plain(claimed) in chain or site_of(claimed) == site_of(final):
        return
    capture.warnings.append(
        f"canonical URL {claimed} ignored: it is not on the page's site ({site_of(final)})"
    )
    article.canonical_url = article.url or final


def _add_images(
    capture: Capture,
    fetcher: Fetcher | None,
    options: CaptureOptions,
    progress: Progress | None,
    local_dir: Path | None,
    supplied: dict[str, bytes],
) -> None:
    figures = capture.article.figures
    decorative: list[int] = []
    budget = options.image_time_limit
    if budget is None:
        budget = (fetcher.limits.timeout if fetcher else 20.0) * 3
    until = time.monotonic() + budget
    for index, figure in enumerate(figures):
        _say(progress, f"Image {index + 1} of {len(figures)}")
        try:
            if time.monotonic() >= until and _is_remote(figure.src):
                raise FetchError(
                    figure.src, f"not fetched: the clip's {budget:g} s limit for images was reached"
                )
            data = supplied.get(figure.src)
            image: ValidatedImage | None
            if data is not None:  # the browser's own copy (pages behind a login too)
                image = validate_image(data)
            else:
                image = _load_image(figure, fetcher, local_dir, capture.address_space, until)
        except (FetchError, ImageError) as exc:
            message = f"image {figure.src}: {_reason(exc)}"
            if options.strict_images:
                raise ClipperError(f"{capture.source_url}: {message}") from exc
            capture.warnings.append(message)
            capture.image_errors[index] = _reason(exc)
            continue
        if image is None:
            capture.warnings.append(f"image {figure.src}: not available offline")
            capture.image_errors[index] = "not available offline"
            continue
        if image.is_decorative and not (figure.caption or figure.credit):
            decorative.append(index)
            continue
        capture.images[index] = image
    if decorative:
        _drop_figures(capture, set(decorative))


def _keep_for_retry(page: FetchResult) -> str:
    """Save a page that exceeded the extraction limits, and say how to retry it."""
    import tempfile

    path = (
        Path(tempfile.gettempdir())
        / f"clipper-page-{hashlib.sha256(page.body).hexdigest()[:12]}.html"
    )
    try:
        path.write_bytes(page.body)
    except OSError:
        return ""
    return (
        f"; the page is saved as {path}: retry with more time with "
        f"CLIPPER_EXTRACT_SECONDS=300 clipper clip {path} --base-url {page.final_url}"
    )


def _is_remote(src: str) -> bool:
    return src.lower().startswith(("http://", "https://"))


def _load_image(
    figure: FigureInfo,
    fetcher: Fetcher | None,
    local_dir: Path | None,
    context: AddressSpace,
    until: float,
) -> ValidatedImage | None:
    """A figure's image. A web page's images come from http(s) only, never from a local
    file or another scheme, and not from addresses more private than the page's; a page
    the user chose from disk may also show files from its own folder, nothing else."""
    src = figure.src
    try:
        scheme = urlsplit(src).scheme.lower()
    except ValueError as exc:
        raise ImageError("not a valid URL") from exc
    if scheme in ("http", "https"):
        if fetcher is None:
            return None
        result = fetcher.fetch_image(src, MAX_IMAGE_BYTES, context=context, until=until)
        try:
            return validate_image(result.body)
        except ImageError as exc:
            media = result.media_type
            if media and not media.startswith("image/"):
                raise ImageError(f"not an image (the server sent {media})") from exc
            raise
    if local_dir is None or scheme not in ("", "file"):
        # Nothing is touched: the message is the same whether such a file exists or not.
        raise ImageError(f"not read: a web page may only show http(s) images, not {scheme}:")
    local = _local_path(src, local_dir)
    if local is None:
        raise ImageError("not read: only files in the saved page's own folder are read")
    if not local.is_file():
        return None
    return validate_image(_read_file(local, MAX_IMAGE_BYTES, ImageError, f"image {local}"))


def _read_file(path: Path, limit: int, error: type[ClipperError], what: str) -> bytes:
    """A file's bytes, refused before reading when it is over `limit`."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise error(f"{what} too large ({size / 1048576:.1f} MB)")
        return path.read_bytes()
    except OSError as exc:
        raise error(f"{what}: cannot read ({exc.strerror or exc})") from exc


def _local_path(src: str, local_dir: Path) -> Path | None:
    """The file `src` names, if it lies inside `local_dir` (symbolic links resolved)."""
    parts = urlsplit(src)
    if parts.scheme.lower() == "file":
        if parts.netloc not in ("", "localhost"):
            return None
        candidate = Path(unquote(parts.path))
    else:
        candidate = local_dir / unquote(parts.path)
    try:
        resolved = candidate.resolve()
        resolved.relative_to(local_dir.resolve())
    except (OSError, ValueError, RuntimeError):
        return None
    return resolved


def _drop_figures(capture: Capture, drop: set[int]) -> None:
    """Remove figures found to be icons once downloaded; renumber the rest."""
    from dataclasses import replace

    article = capture.article
    mapping: dict[int, int] = {}
    kept: list[FigureInfo] = []
    for index, figure in enumerate(article.figures):
        if index in drop:
            continue
        mapping[index] = len(kept)
        kept.append(figure)
    blocks = []
    for block in article.blocks:
        if block.kind == "figure":
            if block.figure is None or block.figure not in mapping:
                continue
            block = replace(block, figure=mapping[block.figure])
        blocks.append(block)
    capture.images = {mapping[i]: img for i, img in capture.images.items() if i in mapping}
    capture.image_errors = {
        mapping[i]: why for i, why in capture.image_errors.items() if i in mapping
    }
    article.figures = kept
    article.blocks = blocks


def _reason(exc: ClipperError) -> str:
    if isinstance(exc, FetchError):
        return exc.reason
    return str(exc)


def _say(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)
