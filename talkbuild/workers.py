"""Worker processes that never outlive the build that started them.

A build killed with SIGKILL (or SIGTERM before this module existed) left its ProcessPoolExecutor workers
running with PPID 1: on a CI runner or a laptop they kept both cores busy until they finished the talks
they had, then waited forever. Each worker now asks the kernel to kill it when its parent dies (Linux
PR_SET_PDEATHSIG), or elsewhere watches its parent from a thread; and the parent, stopped by a signal,
kills its workers before it goes.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0
"""How often a worker without PR_SET_PDEATHSIG looks whether its parent is still there."""


def expected_parent() -> int | None:
    """The pid a new worker's parent will have: this process, unless workers come from a forkserver."""
    return None if multiprocessing.get_start_method() == "forkserver" else os.getpid()


def start_worker(parent: int | None) -> None:
    """In a new worker: leave Ctrl-C and SIGTERM to the parent, and die with it."""
    # A Ctrl-C or `timeout` signals the whole process group: the parent stops the workers itself, and
    # workers printing their own KeyboardInterrupt tracebacks help nobody.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    die_with_parent(parent)


def die_with_parent(parent: int | None) -> None:
    """End this process when its parent ends (`parent`: its pid when known, to catch a parent already gone)."""
    if not _pdeathsig():
        _watch(os.getppid() if parent is None else parent)
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the parent died before the death signal was asked for: nobody would send it


def ignore_sigint() -> None:
    """A worker of check's pool starts here: Ctrl-C is the parent's to handle (workers printing their own
    KeyboardInterrupt tracebacks helps nobody), and it ends with its parent, even when that is killed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(None)


def _pdeathsig() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return False
    return bool(prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0)


def _watch(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="talkbuild-parent-watch", daemon=True).start()


def kill_workers(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Stop every worker of `pool` now, mid-talk: the build is being abandoned (a signal, an error)."""
    processes: dict[int, Any] = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        try:
            process.kill()
        except (OSError, ValueError, AttributeError):
            pass  # already gone


def pool_map(pool: concurrent.futures.ProcessPoolExecutor, fn: Callable[[T], R], items: Sequence[T],
             chunksize: int) -> Generator[R, None, None]:
    """`fn` of each item, in order, computed by `pool`'s workers `chunksize` items at a time; leaving early (an
    error, SIGTERM, Ctrl-C, the consumer giving up) abandons the pool instead of waiting for its work.

    Not `pool.map`: closing its iterator cancels the queued futures behind the pool's back, and the pool's
    manager thread, finding them cancelled when it marks the pool broken, dies with an InvalidStateError
    traceback (Python 3.11) instead of cleaning up. Here only the pool itself cancels what it has queued.
    """
    chunks = [items[i:i + chunksize] for i in range(0, len(items), chunksize)]
    # The workers are forked while submitting. A SIGTERM or Ctrl-C arriving then ran the parent's handler inside
    # an after-fork hook, where its exception is only printed ("Exception ignored"): the stop was lost, and the
    # build went on to replace _site. Held back until the pool has started, it is delivered just after.
    held = hold_signals()
    try:
        try:
            futures = [pool.submit(_each, fn, chunk) for chunk in chunks]
        finally:
            release_signals(held)
        for future in futures:
            yield from future.result()
    except BaseException:
        abandon(pool)
        raise


_HELD = {signal.SIGTERM, signal.SIGINT}


def hold_signals() -> set[int | signal.Signals] | None:
    """Block SIGTERM and Ctrl-C in this thread (and in the threads it starts meanwhile, which keep the mask)."""
    return signal.pthread_sigmask(signal.SIG_BLOCK, _HELD) if hasattr(signal, "pthread_sigmask") else None


def release_signals(previous: set[int | signal.Signals] | None) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a signal that came meanwhile is delivered now


def _each(fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [fn(item) for item in chunk]


def abandon(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Kill `pool`'s workers and shut it down without waiting for the work they had; returns promptly.

    A worker killed while it sent a result back leaves half a message in the pool's result pipe: the pool's
    manager thread then waits for the rest forever, and so did `shutdown()` (and the interpreter's exit, which
    joins that thread too) -- a build stopped by SIGTERM sometimes never ended. Once the parent's copy of the
    pipe's writing end is closed, the only other copies were the killed workers': the manager thread reads
    end-of-file, marks the pool broken and ends, and the shutdown that joins it returns.
    """
    kill_workers(pool)
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        writer.close()  # the parent never writes results: nothing of its own is lost
    pool.shutdown(wait=True, cancel_futures=True)


class Terminated(SystemExit):
    """SIGTERM (`timeout`, CI cancellation, `docker stop`): unwinds like an exit, so temporary files are removed."""


_STOPPED: list[int] = []
"""Signals the SIGTERM handler took. Its exception can be swallowed where Python only prints one (a `__del__`,
an after-fork hook); the stop itself must never be."""


def raise_if_stopped() -> None:
    """Before anything the user would keep (the site's swap): a SIGTERM whose exception was lost still stops."""
    if _STOPPED:
        raise Terminated(128 + _STOPPED[-1])


@contextlib.contextmanager
def stopping_on_sigterm() -> Iterator[None]:
    """While inside: SIGTERM ends the command cleanly (the site untouched, no traceback, exit status 143)."""
    def handler(signum: int, _frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends it at once
        _STOPPED.append(signum)
        # On a terminal, from the start of a clean line: not after a progress bar still drawn there (check's).
        print(("\r\033[K" if sys.stderr.isatty() else "") + "talkbuild: stopped by SIGTERM", file=sys.stderr)
        raise Terminated(128 + signum)

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a handler (and a thread's build is its caller's to stop)
        return
    _STOPPED.clear()
    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
