"""A parallel build that is killed (SIGKILL) or stopped (SIGTERM: `timeout`, CI cancellation, `docker stop`)
leaves no worker process behind, and SIGTERM stops it cleanly: no traceback, the site untouched, exit 143."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads worker processes from /proc")

SLIDES = "".join(f"## Slide {k}\n\n```python\ndef f{k}(x):\n    return x * {k}\n```\n\nText $a^{k}$.\n\n" for k in range(40))


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has stopped; only its exit status is left to collect


def _start(make_project) -> tuple[Path, subprocess.Popen[bytes], set[int]]:
    files = {f"talks/t{i:03d}.md": f"---\ntitle: Talk {i}\n---\n\n{SLIDES}" for i in range(300)}
    root = make_project(files)
    (root / "_site/_talkbuild").mkdir(parents=True)
    (root / "_site/marker.html").write_text("the site before")
    build = subprocess.Popen([sys.executable, "-m", "talkbuild.cli", "build", "-j", "2"], cwd=root,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2 and build.poll() is None and time.monotonic() < deadline:
        workers = {pid for pid in _children(build.pid) if _alive(pid)}
        time.sleep(0.05)
    if build.poll() is not None:
        pytest.fail(f"the build ended before its workers were seen: {build.stderr.read().decode()[-2000:]}"
                    if build.stderr else "the build ended early")
    return root, build, workers


def _gone(workers: set[int]) -> set[int]:
    """Workers still alive after a few seconds (each is polled; the kernel needs a moment to kill them)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        left = {pid for pid in workers if _alive(pid)}
        if not left:
            return set()
        time.sleep(0.1)
    return left


def _site(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in (root / "_site").rglob("*") if p.is_file()}


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_no_worker_outlives_a_killed_build(make_project, how: signal.Signals) -> None:
    root, build, workers = _start(make_project)
    assert workers
    build.send_signal(how)
    build.wait(timeout=60)
    left = _gone(workers)
    for pid in left:  # do not leave them running after a failed test either
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers {sorted(left)} outlived the build"


def test_sigterm_stops_a_build_cleanly_leaving_the_site_as_it_was(make_project) -> None:
    root, build, workers = _start(make_project)
    build.send_signal(signal.SIGTERM)
    _out, err = build.communicate(timeout=60)
    assert build.returncode == 128 + signal.SIGTERM, err.decode()
    assert b"Traceback" not in err
    assert b"stopped by SIGTERM" in err
    left = _gone(workers)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left
    assert _site(root) == {"_site/marker.html": "the site before"}
    assert not [p.name for p in root.iterdir() if p.name.startswith("._site")], "no temporary tree is left behind"


STOPS = 40
"""SIGTERMs sent to one parallel build after another. A worker killed while it sent a result used to leave
half a message in the pool's result pipe, and the build waited for the rest forever: one stop in ten to
twenty hung, so forty stops at different moments nearly always caught it (the test below catches it every time)."""


def test_sigterm_at_any_moment_always_ends_the_build(make_project) -> None:
    files = {f"talks/t{i:03d}.md": f"---\ntitle: Talk {i}\n---\n\n{SLIDES}" for i in range(300)}
    root = make_project(files)
    (root / "_site/_talkbuild").mkdir(parents=True)
    (root / "_site/marker.html").write_text("the site before")
    hung: list[str] = []
    for stop in range(STOPS):
        build = subprocess.Popen([sys.executable, "-m", "talkbuild.cli", "build", "-j", "2", "--no-cache"],
                                 cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while len(workers) < 2 and build.poll() is None and time.monotonic() < deadline:
            workers = {pid for pid in _children(build.pid) if _alive(pid)}
            time.sleep(0.02)
        assert build.poll() is None, "the build ended before its workers were seen"
        time.sleep(0.1 * (stop % 12))  # while the workers start, render, and send results back
        workers |= {pid for pid in _children(build.pid) if _alive(pid)}
        build.send_signal(signal.SIGTERM)
        try:
            # A liveness bound, not a speed target: a stopped build that is still there after this is stuck.
            _out, err = build.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            hung.append(f"stop {stop} ({0.1 * (stop % 12):.1f} s after the workers started)")
            build.kill()
            build.communicate()
            continue
        finally:
            for pid in _gone(workers):
                os.kill(pid, signal.SIGKILL)
                pytest.fail(f"worker {pid} outlived the build")
        assert build.returncode == 128 + signal.SIGTERM, err.decode()[-2000:]
        assert b"Traceback" not in err
    assert not hung, f"the build did not end after SIGTERM: {hung}"
    assert _site(root) == {"_site/marker.html": "the site before"}
    assert not [p.name for p in root.iterdir() if p.name.startswith("._site")], "no temporary tree is left behind"


HALF_SENT = """
import concurrent.futures, multiprocessing, os, struct, sys, time
from talkbuild.workers import abandon

POOL = None

def half_sent(flag):
    # What a worker killed in the middle of sending its result leaves: a header announcing 1 MiB, and 1 KB.
    POOL._result_queue._writer._send(struct.pack("!i", 1 << 20) + b"x" * 1024)
    open(flag, "w").close()
    time.sleep(600)

if __name__ == "__main__":
    POOL = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    POOL.submit(half_sent, sys.argv[1])
    while not os.path.exists(sys.argv[1]):
        time.sleep(0.01)
    print(*POOL._processes, flush=True)
    time.sleep(0.3)  # the pool's manager thread is now reading the rest of that result
    abandon(POOL)
    print("abandoned", flush=True)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="forks its worker to reach the pool's result pipe")
def test_abandoning_a_pool_ends_even_with_half_a_result_in_its_pipe(tmp_path: Path) -> None:
    script = tmp_path / "half_sent.py"
    script.write_text(HALF_SENT)
    run = subprocess.Popen([sys.executable, str(script), str(tmp_path / "sent")], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = run.communicate(timeout=20)  # a liveness bound: without the fix it waits forever
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        run.communicate()
        pytest.fail("abandon() waited forever for the rest of a result its killed worker had half sent")
    lines = out.split()
    assert run.returncode == 0 and lines[-1] == "abandoned", err
    assert not _gone({int(pid) for pid in lines[:-1]}), "the worker outlived abandon()"


def test_ctrl_c_stops_a_build_with_exit_130_and_one_line(make_project) -> None:
    # Before: click's "Aborted!" and exit 1, which says "content errors" to a script or CI.
    root, build, workers = _start(make_project)
    build.send_signal(signal.SIGINT)
    _out, err = build.communicate(timeout=60)
    for pid in _gone(workers):
        os.kill(pid, signal.SIGKILL)
        pytest.fail(f"worker {pid} outlived the build")
    assert build.returncode == 130, err.decode()
    assert err.decode().strip().splitlines()[-1] == "talkbuild: interrupted"
    assert b"Aborted!" not in err and b"Traceback" not in err
    assert _site(root) == {"_site/marker.html": "the site before"}
    assert not [p.name for p in root.iterdir() if p.name.startswith("._site")], "no temporary tree is left behind"


def test_ctrl_c_during_publish_exits_130_and_leaves_what_is_live(make_project, monkeypatch) -> None:
    # Ctrl-C mid-upload (a KeyboardInterrupt where the uploads are): publish itself is unchanged, so what is
    # live stays live; only the exit is now 130 and one line, not click's "Aborted!" and 1.
    from click.testing import CliRunner

    from talkbuild.cli import main
    from talkbuild.publish.stores.local import LocalStore

    talk = "---\ntitle: T\nauthor: A\ndate: 2024-01-01\n---\n\n## S\n\n{body}\n"
    root = make_project({"talks/a.md": talk.format(body="first"), "talks/b.md": talk.format(body="b")})
    runner = CliRunner()
    assert runner.invoke(main, ["build", "-C", str(root)]).exit_code == 0
    first = runner.invoke(main, ["publish", "-C", str(root)])
    assert first.exit_code == 0, first.output
    live = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "_deploy/current").rglob("*") if p.is_file()}
    (root / "talks/a.md").write_text(talk.format(body="second"))
    assert runner.invoke(main, ["build", "-C", str(root)]).exit_code == 0
    uploads: list[str] = []
    real_upload = LocalStore.upload

    def interrupted(self, key, source, entry):  # type: ignore[no-untyped-def]
        uploads.append(key)
        if len(uploads) > 1:
            raise KeyboardInterrupt
        return real_upload(self, key, source, entry)

    monkeypatch.setattr(LocalStore, "upload", interrupted)
    second = runner.invoke(main, ["publish", "-C", str(root)])
    assert second.exit_code == 130, second.output
    assert second.stderr.strip().splitlines()[-1] == "talkbuild: interrupted"
    # Three files changed (a's two pages and the search index, which holds its text): the interrupt comes at the
    # second upload; the third, started side by side, may or may not have begun by then.
    assert "Aborted!" not in second.output and 2 <= len(uploads) <= 3
    now = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "_deploy/current").rglob("*") if p.is_file()}
    assert now == live, "what was live is still live"


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_that_arrives_while_the_workers_are_forked_is_never_lost(make_project, how: signal.Signals) -> None:
    """A signal delivered inside an after-fork hook (where Python only prints a handler's exception) let the
    build finish and replace _site with exit 0. The hook here sends it at exactly that moment, every time."""
    files = {f"talks/t{i:03d}.md": f"---\ntitle: Talk {i}\n---\n\n## S\n\nText {i}.\n" for i in range(20)}
    root = make_project(files)
    (root / "_site/_talkbuild").mkdir(parents=True)
    (root / "_site/marker.html").write_text("the site before")
    script = ("import os, signal, sys\n"
              "sent = []\n"
              "def hook():\n"
              f"    if not sent: sent.append(1); os.kill(os.getpid(), {int(how)})\n"
              "os.register_at_fork(after_in_parent=hook)\n"
              "sys.argv = ['talkbuild', 'build', '--jobs', '2', '--no-cache']\n"
              "from talkbuild.cli import main\nmain()\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 128 + int(how), done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert "built " not in done.stderr
    assert sorted(p.name for p in (root / "_site").iterdir()) == ["_talkbuild", "marker.html"]


def test_ctrl_c_while_the_command_is_still_importing_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    # Ctrl-C in the first ~0.1 s lands in an import (click, Jinja2...): the same one line and 130 as later.
    script = ("import sys\n"
              "class Interrupt:\n"
              "    def find_spec(self, name, path=None, target=None):\n"
              "        if name == 'click': raise KeyboardInterrupt\n"
              "sys.meta_path.insert(0, Interrupt())\n"
              "sys.argv = ['talkbuild', 'check']\n"
              "from talkbuild.entry import run\nrun()\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (130, "talkbuild: interrupted\n")
