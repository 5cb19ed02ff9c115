"""Time a command and its peak memory: wall clock, the largest single process, and the whole process tree."""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_INTERVAL = 0.02
"""Seconds between two listings of the process tree (cheap: a few small /proc reads)."""
PSS_INTERVAL = 0.1
"""Seconds between two readings of the tree's memory, at most (each costs the kernel a page-table walk)."""


@dataclass(frozen=True)
class Sample:
    """One timed run of one command."""

    seconds: float
    rss_max_mb: float
    """Peak resident memory of the largest single process (kernel's ru_maxrss via wait4: exact)."""
    tree_mb: float
    """Peak of the whole process tree's memory, sampled: summed PSS, so pages a forked worker shares with its
    parent count once, not once per process (and never less than `rss_max_mb`)."""
    returncode: int
    stdout: str = ""
    stderr: str = ""


@dataclass
class Figure:
    """One row of results: a stage measured for one tool, several runs."""

    stage: str
    tool: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)
    """Stage-specific facts: broken links found, bytes sent, objects written..."""
    skipped: str = ""
    """Why the row was not measured (peer not installed, stage not landed); empty when it was."""

    def stats(self) -> dict[str, float] | None:
        if not self.samples:
            return None
        secs = [s.seconds for s in self.samples]
        return {
            "median_s": statistics.median(secs), "min_s": min(secs), "max_s": max(secs), "runs": len(secs),
            "peak_tree_mb": max(s.tree_mb for s in self.samples),
            "peak_process_mb": max(s.rss_max_mb for s in self.samples),
        }


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids.extend(int(p) for p in f.read().split())
    except OSError:
        pass
    return kids


def _proc_kb(name: str, field: str) -> int | None:
    """The kB figure on the line starting with `field` of a /proc file, or None (gone, or no such line)."""
    try:
        with open(name) as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _rss_kb(pid: int) -> int:
    return _proc_kb(f"/proc/{pid}/status", "VmRSS:") or 0


def _pss_kb(pid: int) -> int:
    """The process's proportional set size: resident pages, each shared page divided among its sharers.

    Summed over a tree it is what the tree really holds. VmRSS would count a forked worker's copy-on-write
    pages (and a child caught between fork and exec, still the size of its parent) a second time. Reading it
    costs the kernel a walk of the page tables (~10 ms for a 600 MB process), so it is sampled sparingly.
    """
    pss = _proc_kb(f"/proc/{pid}/smaps_rollup", "Pss:")
    return pss if pss is not None else _rss_kb(pid)


def tree_pids(pid: int) -> list[int]:
    """`pid` and every descendant right now (cheap: one small /proc read per process)."""
    found, todo, seen = [], [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        found.append(p)
        todo.extend(_children(p))
    return found


def tree_kb(pid: int) -> int:
    """Summed PSS of `pid` and every descendant right now."""
    return sum(_pss_kb(p) for p in tree_pids(pid))


class TreeSampler:
    """Samples the summed PSS of a process tree in a background thread until stopped.

    The tree is listed every SAMPLE_INTERVAL. While it is one process, its VmRSS is read (cheap, and exact
    with nothing to share); while it has several, their PSS is read at most every PSS_INTERVAL: those reads
    cost CPU on the cores the measured command uses, and a sampler that read a 400 MB peer's page tables
    every 20 ms would slow that peer more than talkbuild.
    """

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kb = pid, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        last = -PSS_INTERVAL
        while not self._stop.is_set():
            pids = tree_pids(self.pid)
            now = time.monotonic()
            if len(pids) == 1:  # nothing shared with a sibling: VmRSS is exact, and costs nothing to read
                self.peak_kb = max(self.peak_kb, _rss_kb(pids[0]))
            elif now - last >= PSS_INTERVAL:
                self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in pids))
                last = now
            self._stop.wait(SAMPLE_INTERVAL)


def run(argv: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None,
        timeout: float = 1800.0) -> Sample:
    """Run a command to completion; time it and measure its memory. Output is captured to temp files."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, env=dict(env) if env is not None else None,
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        with TreeSampler(proc.pid) as sampler:
            _, status, usage = os.wait4(proc.pid, 0)   # blocking: the end time is exact, no polling
            seconds = time.perf_counter() - start
        killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Sample(seconds, usage.ru_maxrss / 1024, max(sampler.peak_kb, usage.ru_maxrss) / 1024, proc.returncode,
                      out.read().decode(errors="replace"), err.read().decode(errors="replace"))


def repeat(figure: Figure, runs: int, command: Callable[[int], Sequence[str]], *,
           setup: Callable[[int], None] | None = None, cwd: Path | None = None,
           env: Mapping[str, str] | None = None, check: bool = True, timeout: float = 1800.0) -> Figure:
    """Run `command(n)` `runs` times (after `setup(n)`, untimed) and add each sample to `figure`."""
    for n in range(runs):
        if setup is not None:
            setup(n)
        sample = run(command(n), cwd=cwd, env=env, timeout=timeout)
        if sample.seconds >= timeout:
            figure.extra["timed_out_after_s"] = timeout
            figure.samples.append(sample)
            return figure
        if check and sample.returncode != 0:
            raise RuntimeError(f"{figure.tool} {figure.stage} exited {sample.returncode}:\n{sample.stderr[-3000:]}")
        figure.samples.append(sample)
    return figure
