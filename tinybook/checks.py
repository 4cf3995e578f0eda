"""System checks of the project's own settings (``manage.py check --deploy``)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def media_storage_check(app_configs=None, **kwargs):
    """Uploaded images need somewhere to go that every app server and every reader can reach."""
    if settings.MEDIA_STORAGE == "s3":
        missing = [name for name in ("S3_BUCKET", "MEDIA_PUBLIC_BASE") if not getattr(settings, name)]
        if missing:
            return [checks.Error(
                f"MEDIA_STORAGE is s3 but {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: "
                "image uploads answer 'not configured'.",
                hint="Set S3_BUCKET, MEDIA_PUBLIC_BASE (the CDN) and the S3_* settings (docs/operations.md), "
                "or MEDIA_STORAGE=local for a single server.",
                id="tinybook.E001",
            )]
        return []
    return [checks.Warning(
        "MEDIA_STORAGE is local: uploaded images are files on this server's disk, served by Django.",
        hint="Fine for one server; with several, or behind a CDN, use MEDIA_STORAGE=s3 (docs/operations.md).",
        id="tinybook.W001",
    )]
