"""Media storage in tests: a local fake S3 (moto's server mode) and the fixtures around it.

Registered for the whole suite by ``pytest_plugins`` in the root conftest.py. Nothing of ours
is mocked: django-storages' S3Storage talks HTTP to moto's server through the real boto3
client, and readers' requests for an image are plain GETs on the public URL base.

- Services profile (``MEDIA_STORAGE=s3``): every test stores images in a bucket of the fake
  server, readable without credentials like a bucket behind a CDN.
- Embedded profile (``MEDIA_STORAGE=local``): files in a temporary MEDIA_ROOT, served under
  ``/media/`` by the site itself.
- ``s3_media``: switches one test to the fake S3 whatever the profile, so the S3 path is
  tested in both.
"""

import json
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.test.utils import override_settings

from tinybook.storage import local_storage, s3_storage

BUCKET = "tinybook-media-test"
REGION = "us-east-1"
FAKE_KEY_ID, FAKE_SECRET = "fake-key-id-for-tests", "fake-secret-for-tests"  # moto takes anything
# Anyone may GET an object, as behind a CDN (S3, like moto, is private by default).
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                   "Resource": f"arn:aws:s3:::{BUCKET}/*"}],
}


@pytest.fixture(scope="session")
def fake_s3():
    """moto's S3 server on a free local port, with the public-read test bucket."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION,
                          aws_access_key_id=FAKE_KEY_ID, aws_secret_access_key=FAKE_SECRET)
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    public_base = f"{endpoint}/{BUCKET}/"  # in production: the CDN, https://cdn.example.com/
    storage = s3_storage(endpoint_url=endpoint, bucket=BUCKET, access_key=FAKE_KEY_ID, secret_key=FAKE_SECRET,
                         region=REGION, public_base=public_base)
    yield SimpleNamespace(endpoint=endpoint, public_base=public_base, storage=storage, client=client)
    server.stop()


def _s3_settings(fake) -> dict:
    return {
        "STORAGES": {**settings.STORAGES, "default": fake.storage},
        "MEDIA_STORAGE": "s3",
        "MEDIA_URL": fake.public_base,
        "MEDIA_PUBLIC_BASE": fake.public_base,
        "S3_ENDPOINT_URL": fake.endpoint,
        "S3_BUCKET": BUCKET,
    }


@pytest.fixture(autouse=True, scope="session")
def _media_storage(_static_files_without_manifest, request, tmp_path_factory):
    """The profile's own kind of storage, in a place of the test run's own."""
    if settings.MEDIA_STORAGE == "s3":
        overrides = _s3_settings(request.getfixturevalue("fake_s3"))
    else:
        root = str(tmp_path_factory.mktemp("media"))
        overrides = {
            "STORAGES": {**settings.STORAGES, "default": local_storage(root=root, base_url="/media/")},
            "MEDIA_ROOT": root,
            "MEDIA_URL": "/media/",
            "MEDIA_PUBLIC_BASE": "/media/",
        }
    with override_settings(**overrides):
        yield


def stored_images() -> list[str]:
    """Every name under images/ in the default storage."""
    found = []

    def walk(folder):
        try:
            dirs, files = default_storage.listdir(folder)
        except FileNotFoundError:
            return
        found.extend(f"{folder}/{f}" for f in files)
        for d in dirs:
            walk(f"{folder}/{d}")

    walk("images")
    return sorted(found)


@pytest.fixture
def media():
    """The default storage, empty of images at the start of the test."""
    for name in stored_images():
        default_storage.delete(name)
    return default_storage


@pytest.fixture
def s3_media(fake_s3, media):
    """This test stores images in the fake S3 bucket, whatever the profile."""
    with override_settings(**_s3_settings(fake_s3)):
        for name in stored_images():
            default_storage.delete(name)
        yield fake_s3
