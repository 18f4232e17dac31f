"""Where uploaded media (room photos) live: the local folder, or S3-compatible object storage.

Production on OCI points django-storages' S3 backend at Object Storage's S3-compatible
endpoint (``https://<namespace>.compat.objectstorage.<region>.oraclecloud.com``), which wants
path-style addressing, SigV4 and no optional checksums. The embedded default keeps files in
``MEDIA_ROOT``. Setting ``MEDIA_S3_BUCKET`` selects object storage.
"""

from __future__ import annotations

from typing import Any

from config.env import Env

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def media_storage(
    *,
    bucket: str,
    endpoint_url: str = "",
    region: str = "",
    access_key: str = "",
    secret_key: str = "",
    location: str = "",
    url_expiry: int = 3600,
) -> dict[str, Any]:
    """The ``STORAGES["default"]`` entry: private bucket, signed URLs, never overwrite a file."""
    if not bucket:
        return LOCAL
    from botocore.config import Config

    options: dict[str, Any] = {
        "bucket_name": bucket,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "region_name": region or None,
        "endpoint_url": endpoint_url or None,
        "location": location.strip("/"),
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": url_expiry,
        "file_overwrite": False,
        "signature_version": "s3v4",
        "addressing_style": "path",
        "client_config": Config(
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            retries={"max_attempts": 3, "mode": "standard"},
            connect_timeout=5,
            read_timeout=30,
        ),
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def media_storage_from_env(env: Env) -> dict[str, Any]:
    """Read ``MEDIA_S3_*``; with a bucket set, both keys are required (``_FILE`` works)."""
    bucket = env.str("MEDIA_S3_BUCKET", default="")
    return media_storage(
        bucket=bucket,
        endpoint_url=env.str("MEDIA_S3_ENDPOINT_URL", default=""),
        region=env.str("MEDIA_S3_REGION", default=""),
        access_key=env.required("MEDIA_S3_ACCESS_KEY_ID", when=bool(bucket)),
        secret_key=env.required("MEDIA_S3_SECRET_ACCESS_KEY", when=bool(bucket)),
        location=env.str("MEDIA_S3_PREFIX", default="media"),
        url_expiry=env.int("MEDIA_S3_URL_EXPIRY", default=3600),
    )
