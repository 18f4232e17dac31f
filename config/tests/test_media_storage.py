"""Media on S3-compatible object storage (moto's S3 server on a free local port) and the local default."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.test import override_settings
from moto.server import ThreadedMotoServer

from config.storage import LOCAL, media_storage

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "room-photos"
KEYS = {"access_key": "test-access-key", "secret_key": "test-secret-key"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint: str) -> Iterator[object]:
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-frankfurt-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-frankfurt-1"})
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def s3_media(s3_endpoint: str, bucket: object) -> Iterator[None]:
    storage = media_storage(
        bucket=BUCKET, endpoint_url=s3_endpoint, region="eu-frankfurt-1", location="media", url_expiry=600, **KEYS
    )
    with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
        yield


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_embedded_default_keeps_media_in_the_local_folder() -> None:
    assert media_storage(bucket="") == LOCAL
    default_storage._setup()
    assert type(default_storage._wrapped) is FileSystemStorage
    assert Path(default_storage.location) == Path(settings.MEDIA_ROOT)


def test_photo_is_stored_in_the_bucket_and_served_by_a_signed_url(s3_media: None, bucket) -> None:
    name = default_storage.save("room-types/3/garden.jpg", ContentFile(b"\xff\xd8jpeg-bytes"))
    assert name == "room-types/3/garden.jpg"
    assert _keys(bucket) == ["media/room-types/3/garden.jpg"]
    stored = bucket.get_object(Bucket=BUCKET, Key="media/room-types/3/garden.jpg")["Body"].read()
    assert stored == b"\xff\xd8jpeg-bytes"

    url = default_storage.url(name)
    assert url.startswith(f"{bucket.meta.endpoint_url}/{BUCKET}/media/room-types/3/garden.jpg?")  # path-style
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=600" in url
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.read() == b"\xff\xd8jpeg-bytes"


def test_same_name_never_overwrites_an_existing_photo(s3_media: None, bucket) -> None:
    first = default_storage.save("room-types/3/view.jpg", ContentFile(b"first"))
    second = default_storage.save("room-types/3/view.jpg", ContentFile(b"second"))
    assert first == "room-types/3/view.jpg"
    assert second != first
    assert second.startswith("room-types/3/view_")
    assert bucket.get_object(Bucket=BUCKET, Key=f"media/{first}")["Body"].read() == b"first"
    assert bucket.get_object(Bucket=BUCKET, Key=f"media/{second}")["Body"].read() == b"second"


def test_deleting_a_photo_removes_only_that_object(s3_media: None, bucket) -> None:
    keep = default_storage.save("room-types/4/keep.jpg", ContentFile(b"keep"))
    gone = default_storage.save("room-types/4/gone.jpg", ContentFile(b"gone"))
    default_storage.delete(gone)
    assert default_storage.exists(keep) is True
    assert default_storage.exists(gone) is False
    assert _keys(bucket) == ["media/room-types/4/keep.jpg"]


def _settings_in_subprocess(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_S3_")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_SECRET_KEY": "x" * 50, **extra_env})
    code = "from django.conf import settings as s; o = s.STORAGES['default']; print(o['BACKEND'], o.get('OPTIONS', {}).get('bucket_name'), o.get('OPTIONS', {}).get('endpoint_url'))"  # noqa: E501
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_bucket_in_the_environment_selects_object_storage(tmp_path: Path) -> None:
    secret = tmp_path / "s3-secret"
    secret.write_text("from-vault\n")
    done = _settings_in_subprocess(
        {
            "MEDIA_S3_BUCKET": "bp-media",
            "MEDIA_S3_ENDPOINT_URL": "https://ns.compat.objectstorage.eu-frankfurt-1.oraclecloud.com",
            "MEDIA_S3_ACCESS_KEY_ID": "ak",
            "MEDIA_S3_SECRET_ACCESS_KEY_FILE": str(secret),
        }
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "storages.backends.s3.S3Storage",
        "bp-media",
        "https://ns.compat.objectstorage.eu-frankfurt-1.oraclecloud.com",
    ]


def test_bucket_without_keys_stops_start_up_naming_the_variable() -> None:
    done = _settings_in_subprocess({"MEDIA_S3_BUCKET": "bp-media"})
    assert done.returncode == 1
    assert "configuration error: MEDIA_S3_ACCESS_KEY_ID is not set" in done.stderr
    assert done.stdout == ""


def test_no_bucket_keeps_the_local_folder() -> None:
    done = _settings_in_subprocess({})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["django.core.files.storage.FileSystemStorage", "None", "None"]
