"""The checks an uploaded article image goes through before it is stored (Pillow).

``clean_image(data, ...)`` returns a ``CleanImage`` or raises ``ImageRejected(reason)``:

1. size in bytes (the caller reads at most max_bytes + 1 bytes, so a huge body is never in memory);
2. Pillow opens it restricted to JPEG/PNG/WebP/GIF: open() reads the header only, so anything
   else (SVG, HTML named .png, an executable, BMP/TIFF/ICO, ...) is refused before any decoding;
3. the pixel count from the header is checked against our limit BEFORE decoding (a decompression
   bomb is a tiny file that declares a huge canvas); Pillow's own global guard
   (Image.MAX_IMAGE_PIXELS, DecompressionBombError at 2x) stays on behind ours;
4. every frame is decoded (truncated or corrupt data fails here), animations are counted against
   the same pixel budget (width x height x frames);
5. the pixels are re-encoded into a new file of the same format: EXIF (GPS, camera serial), XMP,
   comments, text chunks and anything appended after the image (polyglots) are gone; the EXIF
   orientation is applied to the pixels first so phone photos stay upright; the ICC colour
   profile is kept; large pictures are scaled down to max_side;
6. random_name() gives the storage name: 128 random bits, the extension of the detected format.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

# Pillow format name -> (content type, extension). MPO is how Pillow names a JPEG that carries
# a second picture (many phone and camera photos); it is a JPEG and is written back as one.
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "MPO": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}
OPEN_FORMATS = ["JPEG", "PNG", "WEBP", "GIF"]  # the plugins Image.open may try (JPEG opens MPO)


class ImageRejected(ValueError):
    """reason is one of: too_large, not_image, too_many_pixels, too_many_frames, broken."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    ext: str
    width: int
    height: int
    frames: int


def clean_image(
    data: bytes, *, max_bytes: int, max_pixels: int, max_frames: int, max_side: int
) -> CleanImage:
    """The limits are the UPLOAD_IMAGE_* settings (``articles.media`` passes them)."""
    if len(data) > max_bytes:
        raise ImageRejected("too_large", f"{len(data)} > {max_bytes} bytes")
    if not data:
        raise ImageRejected("not_image", "empty")
    try:
        # Header only: format, mode, size. Pillow's own bomb guard runs here too and raises
        # DecompressionBombError above 2 * Image.MAX_IMAGE_PIXELS.
        im = Image.open(io.BytesIO(data), formats=OPEN_FORMATS)
    except Image.DecompressionBombError as exc:
        raise ImageRejected("too_many_pixels", str(exc)) from None
    except UnidentifiedImageError as exc:
        raise ImageRejected("not_image", str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - as in the decode below
        raise ImageRejected("not_image", f"{type(exc).__name__}: {exc}") from None
    with im:
        if im.format not in FORMATS:
            raise ImageRejected("not_image", f"format {im.format}")
        width, height = im.size
        if width < 1 or height < 1 or width * height > max_pixels:
            raise ImageRejected("too_many_pixels", f"{width}x{height} > {max_pixels}")
        content_type, ext = FORMATS[im.format]
        try:
            out, frames, size = _reencode(im, max_pixels=max_pixels, max_frames=max_frames, max_side=max_side)
        except ImageRejected:
            raise
        except Image.DecompressionBombError as exc:
            raise ImageRejected("too_many_pixels", str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - truncated, corrupt: see below
            # Pillow's decoders answer hostile data with OSError, SyntaxError, ValueError,
            # EOFError, but also struct.error, IndexError, ZeroDivisionError...: whatever it
            # raises, these bytes are not an image we can use, and the client is told so.
            raise ImageRejected("broken", f"{type(exc).__name__}: {exc}") from None
    return CleanImage(out, content_type, ext, size[0], size[1], frames)


def random_name(ext: str, *, prefix: str = "images", now: datetime | None = None) -> str:
    """images/2025/06/<32 hex>.<ext>: unguessable, never derived from the uploader's file name.

    The month in the path only helps an operator browse the bucket."""
    now = now or datetime.now(UTC)
    return f"{prefix}/{now:%Y/%m}/{secrets.token_hex(16)}.{ext}"


def _reencode(im: Image.Image, *, max_pixels: int, max_frames: int, max_side: int):
    fmt = "JPEG" if im.format == "MPO" else im.format
    animated = fmt != "JPEG" and getattr(im, "n_frames", 1) > 1
    # Keep the colour profile (how colours look), nothing else from the source's metadata.
    icc = im.info.get("icc_profile")
    if not animated:
        im.load()  # decodes; truncated or corrupt data raises here
        pic = ImageOps.exif_transpose(im)  # orientation into the pixels: the EXIF tag is dropped below
        if max(pic.size) > max_side:
            pic.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        _save_still(pic, fmt, buf, icc)
        return buf.getvalue(), 1, pic.size

    # Animated GIF / APNG / WebP: keep the animation (readers expect a GIF to move), re-encoded
    # frame by frame so comments, XMP and application blocks are not carried over.
    frames, durations = [], []
    budget = 0
    for frame in ImageSequence.Iterator(im):
        if len(frames) >= max_frames:
            raise ImageRejected("too_many_frames", f"> {max_frames}")
        budget += im.size[0] * im.size[1]
        if budget > max_pixels:
            raise ImageRejected("too_many_pixels", f"animation over {max_pixels} pixels in all")
        durations.append(frame.info.get("duration", 100))
        # Each frame fully composed. RGB unless the frame has transparency: Pillow quantizes RGB
        # with median cut (exact for a GIF's <= 256 colours) but RGBA with fast octree, which
        # shifts colours.
        transparent = frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info
        pic = _strip(frame.convert("RGBA" if transparent else "RGB"))
        if max(pic.size) > max_side:
            pic.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        frames.append(pic)
    buf = io.BytesIO()
    first, rest = frames[0], frames[1:]
    common = {"save_all": True, "append_images": rest, "duration": durations, "loop": im.info.get("loop", 0)}
    if fmt == "GIF":
        first.save(buf, "GIF", disposal=2, optimize=False, **common)
    elif fmt == "PNG":
        first.save(buf, "PNG", **common)
    else:  # WEBP
        first.save(buf, "WEBP", quality=85, method=4, **common)
    return buf.getvalue(), len(frames), first.size


# The only entries of Image.info a save may see. Some writers copy every entry of info into
# the output (Pillow's GIF writer carries "comment" over, for one), so the rest is cleared.
_KEEP_INFO = {"transparency", "duration", "loop", "background"}


def _strip(pic: Image.Image) -> Image.Image:
    pic.info = {k: v for k, v in pic.info.items() if k in _KEEP_INFO}
    return pic


def _save_still(pic: Image.Image, fmt: str, buf, icc) -> None:
    _strip(pic)
    extra = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG":
        if pic.mode not in ("L", "RGB", "CMYK"):
            pic = pic.convert("RGB")
        pic.save(buf, "JPEG", quality=88, progressive=True, exif=b"", **extra)
    elif fmt == "PNG":
        kw = {}
        if "transparency" in pic.info:
            kw["transparency"] = pic.info["transparency"]
        pic.save(buf, "PNG", exif=b"", **kw, **extra)
    elif fmt == "WEBP":
        if pic.mode not in ("RGB", "RGBA"):
            pic = pic.convert("RGBA" if "A" in pic.getbands() or "transparency" in pic.info else "RGB")
        pic.save(buf, "WEBP", quality=85, method=4, exif=b"", xmp=b"", **extra)
    else:  # GIF, one frame
        kw = {}
        if "transparency" in pic.info:
            kw["transparency"] = pic.info["transparency"]
        pic.save(buf, "GIF", **kw)
