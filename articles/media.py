"""Article images: the upload (rules, per-user rate limit, storage) and the media check.

Images are stored through Django's storage API (``default_storage``): files under MEDIA_ROOT
in the embedded profile, an S3-compatible bucket behind MEDIA_PUBLIC_BASE (the CDN) in the
services profile (``tinybook.storage``). Articles refer to an image by its public URL; only
URLs under MEDIA_URL survive sanitizing (``articles.content.own_image``).
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import images, selectors
from articles.metrics import IMAGE_UPLOAD_SECONDS, IMAGE_UPLOADS
from tinybook import kv
from tinybook.exceptions import ApplicationError, DependencyError, TooManyAttemptsError

logger = logging.getLogger(__name__)

# Every stored image is under this folder of the storage (images/YYYY/MM/<random>.<ext>).
IMAGES_DIR = "images"


def media_configured() -> bool:
    """Local storage always is; S3 needs a bucket and the public base readers fetch from."""
    return settings.MEDIA_STORAGE != "s3" or bool(settings.S3_BUCKET and settings.MEDIA_PUBLIC_BASE)


def _refusal(reason: str) -> str:
    if reason == "too_large":
        return _("the image is larger than %(size)s") % {"size": filesizeformat(settings.UPLOAD_IMAGE_MAX_BYTES)}
    if reason == "too_many_pixels":
        return _("the image has too many pixels (at most %(n)s million)") % {
            "n": f"{settings.UPLOAD_IMAGE_MAX_PIXELS / 1_000_000:g}"
        }
    if reason == "too_many_frames":
        return _("the animation has too many frames (at most %(n)d)") % {"n": settings.UPLOAD_IMAGE_MAX_FRAMES}
    if reason == "broken":
        return _("the image is damaged or incomplete")
    return _("the file is not a JPEG, PNG, WebP or GIF image")


def image_refused(reason: str) -> ApplicationError:
    """The code-4 answer to an image refused for ``reason`` (``images.ImageRejected.reason``), counted."""
    IMAGE_UPLOADS.labels(outcome=reason).inc()
    return ApplicationError(_refusal(reason))


def _rate_limit_hit(user_id: int) -> None:
    try:
        allowed = kv.sliding_window_hit(
            kv.image_upload_rate_key(user_id),
            limit=settings.UPLOAD_IMAGE_RATE_LIMIT,
            window=settings.UPLOAD_IMAGE_RATE_WINDOW,
        )
    except kv.REDIS_ERRORS:
        # Closed, like the SMS limits: decoding is the costly part the limit protects.
        raise DependencyError() from None
    if not allowed:
        IMAGE_UPLOADS.labels(outcome="rate_limited").inc()
        raise TooManyAttemptsError(_("too many images uploaded, try again later"))


def image_upload(*, user_id: int, upload) -> str:
    """Check, clean and store one uploaded image (a Django ``UploadedFile``); its public URL.

    Refusals are ``ApplicationError`` (code 4) and store nothing. The order matters: the
    cheap checks first, the rate limit before any decoding, the storage last.
    """
    if not media_configured():
        raise ApplicationError(_("image uploads are not configured"))
    _rate_limit_hit(user_id)
    max_bytes = settings.UPLOAD_IMAGE_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise image_refused("too_large")
    with IMAGE_UPLOAD_SECONDS.time():
        data = upload.read(max_bytes + 1)  # never more than the limit in memory
        try:
            clean = images.clean_image(
                data,
                max_bytes=max_bytes,
                max_pixels=settings.UPLOAD_IMAGE_MAX_PIXELS,
                max_frames=settings.UPLOAD_IMAGE_MAX_FRAMES,
                max_side=settings.UPLOAD_IMAGE_MAX_SIDE,
            )
        except images.ImageRejected as exc:
            logger.info("image refused for user %s: %s", user_id, exc)
            raise image_refused(exc.reason) from None
        name = default_storage.save(images.random_name(clean.ext, prefix=IMAGES_DIR), ContentFile(clean.data))
    IMAGE_UPLOADS.labels(outcome="stored").inc()
    logger.info("image stored for user %s: %s (%d bytes, %dx%d, %d frame(s))",
                user_id, name, len(clean.data), clean.width, clean.height, clean.frames)
    return default_storage.url(name)


# --- the media check ------------------------------------------------------------------------------

@dataclass(frozen=True)
class StoredImage:
    name: str  # the storage name, images/YYYY/MM/<random>.<ext>
    url: str
    modified: datetime
    size: int


def _stored_names(folder: str) -> Iterator[str]:
    try:
        dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:  # local storage before the first upload
        return
    for file in sorted(files):
        yield f"{folder}/{file}"
    for sub in sorted(dirs):
        yield from _stored_names(f"{folder}/{sub}")


def media_unreferenced(*, min_age: int, now: datetime | None = None) -> Iterator[StoredImage]:
    """Stored images that no article (draft or live copy, any status) refers to and that are
    older than ``min_age`` seconds, oldest folders first.

    The references are read first, then the storage is listed; an image put into an article
    between the two could be named here, which is why young images are left alone.
    """
    referenced = selectors.article_image_urls(batch_size=settings.MEDIA_CHECK_BATCH_SIZE)
    cutoff = (now or timezone.now()) - timedelta(seconds=min_age)
    for name in _stored_names(IMAGES_DIR):
        url = default_storage.url(name)
        if url in referenced:
            continue
        modified = default_storage.get_modified_time(name)  # a HEAD on S3 (and one more for the size)
        if modified > cutoff:
            continue
        yield StoredImage(name=name, url=url, modified=modified, size=default_storage.size(name))


def media_delete(*, name: str) -> None:
    default_storage.delete(name)
    logger.info("media_check removed %s", name)
