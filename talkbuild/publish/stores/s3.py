"""An S3 target (s3://bucket/prefix): conditional PUTs for the pointer, CopyObject for unchanged files."""

from __future__ import annotations

import base64
import datetime
import email.utils
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ...errors import ConfigError, TalkbuildError
from ..manifest import FileEntry
from .base import ObjectInfo, StoredFile, release_prefix

LOST_RACE_STATUS = frozenset({404, 409, 412})
"""A conditional write that failed because someone else wrote: 412 (AWS, SeaweedFS), 409 on AWS under
concurrency (ConditionalRequestConflict), 404 from AWS for If-Match on a missing key."""

# Prune's deletions under its lease get a client of their own whose one call cannot outlast the margin that
# each lease check leaves (lease.py: a check passes only if the last confirmed renewal was *sent* at most
# LEASE/2 = 150 s ago, so at least 150 s remain before any other prune may take over). One DeleteObjects
# call, retries included, takes at most
#     attempts x (connect + send + answer) + backoff between attempts
#   = 2 x (5 + 15 + 15) + 25 = 95 s
# (every socket operation is bounded by read_timeout: the request is one send of <= ~100 KB, the answer one
# small read; botocore's standard backoff is at most 20 s, or a server's retry-after up to 5 s more), and
# 95 s < 150 s leaves 55 s for the store's stamp being later than the send and for clock rates. What no
# timeout bounds is a machine suspended (a laptop lid) between a check and the moment its request reaches
# the store: docs/deploy.md "Prune" says so and advises running prune from CI.
DELETE_ATTEMPTS = 2
"""In all, the first try included (botocore's `total_max_attempts`; its `max_attempts` counts retries only)."""
DELETE_CONNECT_TIMEOUT = 5.0
DELETE_READ_TIMEOUT = 15.0
DELETE_BACKOFF_MAX = 25.0
DELETE_WORST_SECONDS = (DELETE_ATTEMPTS * (DELETE_CONNECT_TIMEOUT + 2 * DELETE_READ_TIMEOUT)
                        + (DELETE_ATTEMPTS - 1) * DELETE_BACKOFF_MAX)
"""The longest one of prune's DeleteObjects calls can take (see above); tests hold it below half a lease."""
DELETE_BATCH = 1000
"""Keys per DeleteObjects call (S3's limit). Tests may lower it (in process)."""


class S3Store:
    """Publishes under `s3://bucket/prefix/`. Credentials come from the standard AWS chain only."""

    channel_urls = False  # release_url is releases/<id>/index.html: stable URLs need routing (docs/deploy.md)

    def __init__(self, bucket: str, prefix: str, *, endpoint_url: str | None = None, region: str | None = None,
                 jobs: int = 16, max_attempts: int = 8, connect_timeout: float = 10.0,
                 read_timeout: float = 60.0) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.endpoint_url = endpoint_url
        self.url = f"s3://{bucket}/{self.prefix}"
        # "standard" retries 500/502/503/504, SlowDown/throttling, resets and read timeouts with jittered
        # exponential backoff; a conditional write retried after a lost response comes back 412 and the
        # pointer logic recognises its own write by its nonce.
        config = Config(
            s3={"addressing_style": "path"} if endpoint_url else {},
            retries={"mode": "standard", "max_attempts": max_attempts},
            connect_timeout=connect_timeout, read_timeout=read_timeout,
            max_pool_connections=jobs + 4, signature_version="s3v4",
        )
        import botocore.session

        self._delete_config = Config(
            s3=config.s3, retries={"mode": "standard", "total_max_attempts": DELETE_ATTEMPTS},
            connect_timeout=DELETE_CONNECT_TIMEOUT, read_timeout=DELETE_READ_TIMEOUT, signature_version="s3v4")
        self._delete_client: Any = None
        core = botocore.session.get_session()
        # A listing of a release parses one timestamp per file; dateutil's general parser was most of the
        # client's time for it (808 keys: ~0.1 s). S3 writes ISO 8601, which the standard library reads.
        core.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=_timestamp)
        session = boto3.session.Session(botocore_session=core)
        self.client: Any = session.client("s3", endpoint_url=endpoint_url, region_name=region or "us-east-1",
                                          config=config)
        self._session, self._region = session, region or "us-east-1"

    @property
    def delete_client(self) -> Any:
        """The client of prune's deletions: bounded in time (DELETE_WORST_SECONDS), made when first used."""
        if self._delete_client is None:
            self._delete_client = self._session.client("s3", endpoint_url=self.endpoint_url,
                                                       region_name=self._region, config=self._delete_config)
        return self._delete_client

    def _key(self, key: str) -> str:
        return self.prefix + key

    def _call(self, what: str, fn: Any, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, PartialCredentialsError

        try:
            return fn(Bucket=self.bucket, **kwargs)
        except (NoCredentialsError, PartialCredentialsError) as exc:
            # A setup problem, not a failing store: nothing was sent, and retrying cannot help.
            what_is_wrong = "no AWS credentials found" if isinstance(exc, NoCredentialsError) else f"incomplete AWS credentials: {exc}"
            raise ConfigError(f"{self.url}: {what_is_wrong}",
                              hint="set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (aws sso login); in CI, "
                                   "let the job assume the deploy role (aws-actions/configure-aws-credentials with "
                                   "vars.AWS_ROLE_ARN)") from None
        except ClientError as exc:
            err = exc.response.get("Error", {})
            code = err.get("Code", "?")
            if code in ("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "NoSuchBucket"):
                raise ConfigError(f"{self.url}: {what}: {code}: {err.get('Message', '')}".rstrip(": "),
                                  hint="check the bucket name, --endpoint-url and the AWS credentials") from None
            raise
        except BotoCoreError as exc:
            raise TalkbuildError(f"{self.url}: {what} failed after retries: {exc}",
                                 hint="the store is unreachable or failing; nothing was switched, rerun later") from None

    def _get_object(self, key: str) -> Any | None:
        """GetObject's answer, or None for a missing key."""
        from botocore.exceptions import ClientError

        try:
            return self._call("read " + key, self.client.get_object, Key=self._key(key))
        except ClientError as exc:
            if _status(exc) == 404:
                return None
            raise self._failed("read " + key, exc) from None

    def _answered(self, out: Any, field: str, key: str) -> Any:
        """A field of a GetObject answer that every S3 store sends; a server without it is no S3 store."""
        if field not in out:
            raise TalkbuildError(f"{self.url}: the store answered the read of {key} without {field}: it is not "
                                 "an S3-compatible store (the switch needs ETags to know nobody else moved it)",
                                 hint="check the endpoint URL: it must be the S3 API's address, not a web server")
        return out[field]

    def get(self, key: str) -> tuple[bytes, str] | None:
        out = self._get_object(key)
        if out is None:
            return None
        return out["Body"].read(), str(self._answered(out, "ETag", key))

    def get_aged(self, key: str) -> tuple[bytes, str, float] | None:
        out = self._get_object(key)
        if out is None:
            return None
        # Both stamps are the server's: LastModified of the object and the Date of this answer (whole
        # seconds each). The local clock may be minutes off the store's (a CI runner, a laptop), so it
        # is only a fallback for a server that sends no Date.
        written: datetime.datetime = self._answered(out, "LastModified", key)
        date = out.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("date")
        try:
            now = email.utils.parsedate_to_datetime(date) if date else None
        except (TypeError, ValueError):
            now = None
        if now is None or now.tzinfo is None:
            now = datetime.datetime.now(datetime.UTC)
        return out["Body"].read(), str(self._answered(out, "ETag", key)), (now - written).total_seconds()  # < 0: stamped in the future

    def put_if(self, key: str, body: bytes, *, if_match: str | None, content_type: str,
               cache_control: str) -> bool:
        from botocore.exceptions import ClientError

        cond = {"IfMatch": if_match} if if_match is not None else {"IfNoneMatch": "*"}
        try:
            self._call("write " + key, self.client.put_object, Key=self._key(key), Body=body,
                       ContentType=content_type, CacheControl=cache_control, **cond)
        except ClientError as exc:
            if _status(exc) in LOST_RACE_STATUS:
                return False
            raise self._failed("write " + key, exc) from None
        return True

    def upload(self, key: str, source: Path, entry: FileEntry) -> int:
        from botocore.exceptions import ClientError

        with source.open("rb") as body:
            try:
                # The server checks the SHA-256 we send, so a corrupted upload is refused, not stored.
                self._call("upload " + key, self.client.put_object, Key=self._key(key), Body=body,
                           ContentType=entry.content_type, CacheControl=entry.cache_control,
                           Metadata={"sha256": entry.sha256},
                           ChecksumSHA256=base64.b64encode(bytes.fromhex(entry.sha256)).decode())
            except ClientError as exc:
                raise self._failed("upload " + key, exc) from None
        return entry.size

    def copy(self, source_key: str, key: str, entry: FileEntry) -> None:
        from botocore.exceptions import ClientError

        try:
            self._call("copy " + key, self.client.copy_object, Key=self._key(key),
                       CopySource={"Bucket": self.bucket, "Key": self._key(source_key)},
                       MetadataDirective="REPLACE", ContentType=entry.content_type,
                       CacheControl=entry.cache_control, Metadata={"sha256": entry.sha256})
        except ClientError as exc:
            raise self._failed("copy " + key, exc) from None

    def list_objects(self, prefix: str) -> Iterator[ObjectInfo]:
        from botocore.exceptions import ClientError

        token: dict[str, str] = {}
        while True:
            try:
                page = self._call("list " + prefix, self.client.list_objects_v2, Prefix=self._key(prefix), **token)
            except ClientError as exc:
                raise self._failed("list " + prefix, exc) from None
            for obj in page.get("Contents", []):
                yield ObjectInfo(obj["Key"][len(self.prefix):], int(obj["Size"]), obj["LastModified"].timestamp())
            if not page.get("IsTruncated"):
                return
            token = {"ContinuationToken": page["NextContinuationToken"]}

    def list_names(self, prefix: str) -> list[str]:
        from botocore.exceptions import ClientError

        names: set[str] = set()
        token: dict[str, str] = {}
        full = self._key(prefix)
        while True:
            try:
                page = self._call("list " + prefix, self.client.list_objects_v2, Prefix=full, Delimiter="/", **token)
            except ClientError as exc:
                raise self._failed("list " + prefix, exc) from None
            names.update(p["Prefix"][len(full):].rstrip("/") for p in page.get("CommonPrefixes", []))
            names.update(o["Key"][len(full):] for o in page.get("Contents", []))
            if not page.get("IsTruncated"):
                return sorted(n for n in names if n)
            token = {"ContinuationToken": page["NextContinuationToken"]}

    def read_back(self, key: str) -> StoredFile | None:
        out = self._get_object(key)
        if out is None:
            return None
        h = hashlib.sha256()
        size = 0
        for chunk in iter(lambda: out["Body"].read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
        return StoredFile(key, size, h.hexdigest(), out.get("ContentType"))

    def delete(self, keys: list[str], *, client: Any = None) -> None:
        from botocore.exceptions import ClientError

        for i in range(0, len(keys), 1000):
            batch = [{"Key": self._key(k)} for k in keys[i:i + 1000]]
            try:
                out = self._call("delete", (client or self.client).delete_objects,
                                 Delete={"Objects": batch, "Quiet": True})
            except ClientError as exc:
                raise self._failed("delete", exc) from None
            if out.get("Errors"):
                first = out["Errors"][0]
                raise TalkbuildError(f"{self.url}: could not delete {first.get('Key')}: {first.get('Message')}",
                                     hint="check the delete permission of these credentials")

    def delete_release(self, release_id: str, checkpoint: Callable[[str], None] | None = None) -> None:
        """Batches of 1000 keys, the lease checked before each (it leaves more time than one bounded call
        can take) and after each (a lease lost during a batch stops the prune, saying what it deleted)."""
        keys = [o.key for o in self.list_objects(release_prefix(release_id))]
        deleted = 0
        for i in range(0, len(keys), DELETE_BATCH):
            batch = keys[i:i + DELETE_BATCH]
            if checkpoint is not None:
                checkpoint(f"{deleted} of its {len(keys)} files" if deleted else "")
            try:
                self.delete(batch, client=self.delete_client)
            finally:
                # Even a failed call may have deleted some of the batch: never say "nothing" after one.
                deleted += len(batch)
            if checkpoint is not None:
                checkpoint(f"{deleted} of its {len(keys)} files" if deleted < len(keys) else
                           f"all its {len(keys)} files")

    def set_aside(self, release_id: str | None = None) -> list[tuple[str, str]]:
        return []  # S3 cannot rename: nothing is ever set aside

    def put_back(self, release_id: str, name: str) -> str:
        return ""

    def remove_aside(self, name: str) -> None:
        pass

    def project(self, channel: str, release_id: str) -> None:
        pass  # visitors are routed by the edge (docs/deploy.md "Routing"), not by the bucket

    def unproject(self, channel: str) -> None:
        pass

    def projection(self, channel: str) -> str | None:
        return None

    def release_url(self, channel: str, release_id: str) -> str:
        key = self._key(release_prefix(release_id)) + "index.html"
        # The store botocore really talks to: --endpoint-url, or AWS_ENDPOINT_URL(_S3) / the AWS config's.
        endpoint = self.endpoint_url or getattr(self.client.meta, "endpoint_url", None)
        if endpoint and "amazonaws.com" not in urlsplit(endpoint).netloc:
            return f"{endpoint.rstrip('/')}/{self.bucket}/{key}"
        return f"https://{self.bucket}.s3.amazonaws.com/{key}"

    def close(self) -> None:
        self.client.close()
        if self._delete_client is not None:
            self._delete_client.close()

    def _failed(self, what: str, exc: Exception) -> TalkbuildError:
        return TalkbuildError(f"{self.url}: {what} failed: {exc}",
                              hint="nothing was switched; rerun when the store is healthy")


def _timestamp(value: Any) -> datetime.datetime:
    """ISO 8601 quickly (as S3 lists it); anything else (HTTP dates in headers) as botocore reads it."""
    if isinstance(value, str) and value[:1].isdigit():
        try:
            parsed = datetime.datetime.fromisoformat(value)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)
        except ValueError:
            pass
    from botocore.utils import parse_timestamp

    result: datetime.datetime = parse_timestamp(value)
    return result


def _status(exc: Any) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
