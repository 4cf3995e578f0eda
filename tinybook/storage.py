"""Where uploaded files live: the ``STORAGES["default"]`` entry for each ``MEDIA_STORAGE``.

Used by the settings module (and by the tests, to point the same options at a local fake S3
server). ``local`` is Django's FileSystemStorage under ``MEDIA_ROOT``; ``s3`` is
django-storages' S3Storage for any S3-compatible store (AWS S3, Aliyun OSS, MinIO, ...), whose
files readers fetch from ``MEDIA_PUBLIC_BASE`` (the CDN in front of the bucket, or the bucket's
own URL), unsigned.
"""

from urllib.parse import urlsplit

# Names are random (128 bits) and never rewritten: a copy may be kept as long as anyone likes.
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"


class MediaSettingsError(ValueError):
    """The media settings cannot work; the message says which one to fix."""


def public_base_check(public_base: str) -> str:
    """``MEDIA_PUBLIC_BASE`` as Django's MEDIA_URL: an http(s) URL ending in "/"."""
    base = urlsplit(public_base)
    if base.scheme not in ("http", "https") or not base.netloc or base.query or base.fragment:
        raise MediaSettingsError(
            "MEDIA_PUBLIC_BASE must be an http(s) URL such as https://cdn.example.com/ "
            "when MEDIA_STORAGE is s3"
        )
    return public_base if public_base.endswith("/") else public_base + "/"


def local_base_check(public_base: str) -> str:
    """``MEDIA_PUBLIC_BASE`` of local storage: a path of this site ("/media/") or an http(s) URL."""
    if public_base.startswith("/") and not public_base.startswith("//") and public_base.strip("/"):
        return public_base if public_base.endswith("/") else public_base + "/"
    try:
        return public_base_check(public_base)
    except MediaSettingsError:
        raise MediaSettingsError(
            "MEDIA_PUBLIC_BASE must be a path such as /media/ or an http(s) URL when MEDIA_STORAGE is local"
        ) from None


def s3_storage(*, endpoint_url: str, bucket: str, access_key: str, secret_key: str, region: str,
               public_base: str, location: str = "", addressing_style: str = "path") -> dict:
    """The STORAGES entry for an S3-compatible bucket whose files readers get from ``public_base``."""
    from botocore.config import Config  # only the s3 profile pays for importing botocore

    if addressing_style not in ("path", "virtual", "auto"):
        raise MediaSettingsError("S3_ADDRESSING_STYLE must be path, virtual or auto")
    base = urlsplit(public_base_check(public_base))
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "endpoint_url": endpoint_url or None,  # None: AWS itself
            "bucket_name": bucket,
            "access_key": access_key or None,  # None: boto3's own chain (instance role, env)
            "secret_key": secret_key or None,
            "region_name": region or None,
            "location": location.strip("/"),  # a key prefix inside the bucket, "" for none
            # Public, unsigned URLs on the CDN: <public base><location>/<name>.
            "custom_domain": base.netloc + base.path.rstrip("/"),
            "url_protocol": base.scheme + ":",
            "querystring_auth": False,
            "default_acl": None,  # the bucket policy (or the CDN's origin access) decides who reads
            "file_overwrite": True,  # names are 128-bit random: no HEAD before every PUT
            "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
            # With client_config given, django-storages ignores its own addressing_style,
            # signature_version and proxies options: they belong in the Config.
            "client_config": Config(
                # "path" works with every S3-compatible server (MinIO, Ceph, moto); Aliyun OSS
                # and some others want "virtual".
                s3={"addressing_style": addressing_style},
                # boto3 >= 1.36 adds CRC checksums to every PutObject by default, which several
                # S3-compatible stores refuse: only when an API requires one.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        },
    }


def local_storage(*, root: str, base_url: str) -> dict:
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": root, "base_url": base_url},
    }
