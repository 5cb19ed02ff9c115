"""`talkbuild serve` as a user runs it: a subprocess that prints its URL and stops cleanly on Ctrl-C."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from serve_support import talk, wait_until

from talkbuild.serve.livereload import STATUS_PATH


class Serve:
    """A `talkbuild serve` process in its own session, with its stderr collected line by line."""

    def __init__(self, args: list[str], tmpdir: Path, prefix: tuple[str, ...] = ()) -> None:
        env = {**os.environ, "TMPDIR": str(tmpdir)}
        self.proc = subprocess.Popen([*prefix, sys.executable, "-m", "talkbuild.cli", "serve", *args], env=env,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, start_new_session=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line.rstrip("\n"))

    def wait_for_line(self, fragment: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"`talkbuild serve` never printed {fragment!r}; it printed {self.seen}")
            self.seen.append(line)
            if fragment in line:
                return line

    def rest(self) -> str:
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return "\n".join(self.seen)


@pytest.fixture
def run_serve(tmp_path: Path) -> Iterator[Callable[..., Serve]]:
    started: list[Serve] = []

    def start(*args: str, prefix: tuple[str, ...] = ()) -> Serve:
        tmpdir = tmp_path / "tmp"
        tmpdir.mkdir(exist_ok=True)
        serve = Serve(list(args), tmpdir, prefix)
        started.append(serve)
        return serve

    yield start
    for serve in started:
        if serve.proc.poll() is None:
            serve.proc.kill()  # only our own child, by its pid
            serve.proc.wait()


def session_members(sid: int) -> list[int]:
    """Processes still alive in session `sid` (the server and anything it started)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def test_ctrl_c_stops_cleanly_with_exit_0_and_leaves_nothing_behind(
        make_project: Callable[..., Path], run_serve: Callable[..., Serve], tmp_path: Path) -> None:
    # Ten talks: the first build uses the worker pool, whose processes must be gone too.
    root = make_project({f"talks/t{i}.md": talk(f"Talk {i}") for i in range(10)})
    serve = run_serve("-C", str(root), "--port", "0")
    url = serve.wait_for_line("serving http://").split()[1]
    with urllib.request.urlopen(url + "t3/slides/", timeout=10) as response:
        assert "Talk 3" in response.read().decode()
    events = urllib.request.urlopen(url + "__talkbuild__/events?page=index.html&v=x", timeout=10)  # an open stream

    serve.proc.send_signal(signal.SIGINT)

    assert serve.proc.wait(timeout=30) == 0
    events.close()
    output = serve.rest()
    assert "Traceback" not in output
    assert session_members(serve.proc.pid) == []
    assert list((tmp_path / "tmp").iterdir()) == []
    assert sorted(p.name for p in root.iterdir()) == [".talkbuild", "talks"]


def test_serve_keeps_running_with_a_broken_config_and_says_where(
        make_project: Callable[..., Path], run_serve: Callable[..., Serve]) -> None:
    root = make_project({"talks/a.md": talk("Alpha"), "talkbuild.yml": "title: x\nthem: dark\n"})
    serve = run_serve("-C", str(root), "--port", "0")
    serve.wait_for_line("talkbuild.yml:2")
    url = serve.wait_for_line("serving http://").split()[1]
    with urllib.request.urlopen(url + STATUS_PATH.lstrip("/"), timeout=10) as response:
        status = json.loads(response.read())
    assert any("talkbuild.yml:2" in line and "theme" in line for line in status["errors"])
    (root / "talkbuild.yml").write_text("title: x\ntheme: default\n")
    serve.wait_for_line("no errors")
    serve.proc.send_signal(signal.SIGTERM)
    assert serve.proc.wait(timeout=30) == 0


def test_a_missing_project_folder_is_a_usage_error(run_serve: Callable[..., Serve], tmp_path: Path) -> None:
    serve = run_serve("-C", str(tmp_path / "nope"))
    assert serve.proc.wait(timeout=30) == 2
    serve.wait_for_line("no such folder")


def test_open_starts_the_users_browser_on_the_served_site(
        make_project: Callable[..., Path], run_serve: Callable[..., Serve], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # $BROWSER is what Python's webbrowser (and so `--open`) runs; this one records the URL it was given.
    opened = tmp_path / "opened.txt"
    fake = tmp_path / "fake-browser"
    fake.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {opened}\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(fake))
    root = make_project({"talks/a.md": talk("Alpha")})
    serve = run_serve("-C", str(root), "--port", "0", "--host", "0.0.0.0", "--open")
    served = serve.wait_for_line("serving http://").split()[1]
    deadline = time.monotonic() + 30
    while not (opened.exists() and opened.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    url = opened.read_text().strip()
    # A wildcard bind address is not something a browser can open: it is given loopback instead.
    assert url.startswith("http://127.0.0.1:") and url.split(":")[-1] == served.split(":")[-1]
    with urllib.request.urlopen(url, timeout=10) as response:
        assert "Alpha" in response.read().decode()
    serve.proc.send_signal(signal.SIGINT)
    assert serve.proc.wait(timeout=30) == 0


IGNORING_SIGINT = ("sh", "-c", 'trap "" INT; exec "$@"', "sh")
"""Start the command with SIGINT ignored, as a script's `talkbuild serve &` (or a test harness) does."""


@contextlib.contextmanager
def first_build_held(root: Path, pid: int) -> Iterator[None]:
    """Make `serve`'s first build wait, reading a talk that is a named pipe, until the block ends.

    The pipe gets a reader only once the build reads that talk; then it is held open, with nothing written, so
    the build stays inside it for as long as the test needs (a large talk would make the wait a guess). Inside
    the block the main thread is blocked reading: a signal sent a moment before the read began would be
    handled only after it, never, as Python handles signals between its own steps.
    """
    pipe = root / "talks" / "slow.md"
    os.mkfifo(pipe)
    deadline = time.monotonic() + 60
    while True:
        try:
            writer = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # ENXIO: no reader yet
                raise
            if time.monotonic() > deadline:
                pytest.fail("`talkbuild serve` never started reading the talks")
            time.sleep(0.02)
    try:
        wait_until(lambda: blocked_in_pipe_read(pid), "serve to wait in the read of the pipe")
        yield
    finally:
        os.close(writer)


def blocked_in_pipe_read(pid: int) -> bool:
    """Whether the process's main thread sleeps in a pipe's read (Linux's wchan `pipe_read`/`anon_pipe_read`)."""
    try:
        wchan = Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        wchan = "0"
    if wchan in ("", "0"):  # not told (an older or locked-down kernel): give the read time to begin
        time.sleep(1.0)
        return True
    return wchan.endswith("pipe_read")


@pytest.mark.parametrize("signum, prefix", [(signal.SIGTERM, ()), (signal.SIGINT, ()),
                                            (signal.SIGINT, IGNORING_SIGINT)],
                         ids=["SIGTERM", "SIGINT", "SIGINT inherited ignored"])
def test_a_signal_during_the_first_build_stops_with_exit_0(
        make_project: Callable[..., Path], run_serve: Callable[..., Serve], tmp_path: Path,
        signum: signal.Signals, prefix: tuple[str, ...]) -> None:
    # It printed "stopping" and then waited forever for an HTTP server that had never started (SIGTERM), or
    # went on to serve once the build was done (SIGINT, when it came in ignored).
    root = make_project({"talks/a.md": talk("Alpha")})
    serve = run_serve("-C", str(root), "--port", "0", prefix=prefix)
    with first_build_held(root, serve.proc.pid):
        serve.proc.send_signal(signum)
        assert serve.proc.wait(timeout=30) == 0
    output = serve.rest()
    assert "stopping" in output
    assert "serving" not in output and "Traceback" not in output
    assert session_members(serve.proc.pid) == []
    assert list((tmp_path / "tmp").iterdir()) == []


def test_sigint_stops_serve_even_when_it_came_in_ignored(
        make_project: Callable[..., Path], run_serve: Callable[..., Serve]) -> None:
    root = make_project({"talks/a.md": talk("Alpha")})
    serve = run_serve("-C", str(root), "--port", "0", prefix=IGNORING_SIGINT)
    serve.wait_for_line("serving http://")
    serve.proc.send_signal(signal.SIGINT)
    assert serve.proc.wait(timeout=30) == 0
    assert "Traceback" not in serve.rest()


def status_for(port: int, host: str, path: str = "/t/slides/") -> int:
    """The status serve on 127.0.0.1:`port` answers a GET of `path` sent with `Host: host`."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host})
        return connection.getresponse().status
    finally:
        connection.close()


def test_allow_host_answers_that_name_too_and_still_refuses_others(
        make_project: Callable[..., Path], run_serve: Callable[..., Serve]) -> None:
    # A tunnel or a proxy in front of serve sends its own name: --allow-host adds it; other names stay refused.
    root = make_project({"talks/t.md": talk("Talk")})
    serve = run_serve("-C", str(root), "--port", "0", "--allow-host", "tunnel.example")
    url = serve.wait_for_line("serving http://").split()[1]
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    assert status_for(port, "tunnel.example") == 200
    assert status_for(port, f"tunnel.example:{port}") == 200
    assert status_for(port, "evil.example") == 403


def test_on_every_interface_it_prints_addresses_another_machine_can_open(
        make_project: Callable[..., Path], run_serve: Callable[..., Serve]) -> None:
    # `serving http://0.0.0.0:PORT/` is no address a tablet can open: the .local name (and the LAN address) are.
    import socket

    root = make_project({"talks/t.md": talk("Talk")})
    serve = run_serve("-C", str(root), "--host", "0.0.0.0", "--port", "0")
    url = serve.wait_for_line("serving http://").split()[1]
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    line = serve.wait_for_line("on this network: http://")
    short = socket.gethostname().split(".")[0].lower()
    assert line.strip().endswith(f"on this network: http://{short}.local:{port}/"), line
    assert status_for(port, f"{short}.local:{port}") == 200  # the name printed is one serve answers (hosts.py)
