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


@checks.register(checks.Tags.security)
def page_middleware_check(app_configs=None, **kwargs):
    """Sessions, CSRF, auth, messages and X-Frame-Options run inside ``PageMiddleware`` (not in
    MIDDLEWARE by name, so Django's own checks of them are silenced in settings): it must be
    there, and it must run all of them."""
    from tinybook.middleware import PAGE_MIDDLEWARE  # noqa: PLC0415

    needed = ("django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.csrf.CsrfViewMiddleware",
              "django.contrib.auth.middleware.AuthenticationMiddleware",
              "django.contrib.messages.middleware.MessageMiddleware",
              "django.middleware.clickjacking.XFrameOptionsMiddleware")
    if "tinybook.middleware.PageMiddleware" not in settings.MIDDLEWARE or set(needed) - set(PAGE_MIDDLEWARE):
        return [checks.Error("tinybook.middleware.PageMiddleware (sessions, CSRF, auth, messages, X-Frame-Options "
                             "for pages) is missing from MIDDLEWARE or incomplete.", id="tinybook.E002")]
    return []
