"""Smoke test of the harness: the small corpus, talkbuild build alone (peers are never run in tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench import run
from bench.corpus import generate
from bench.links import score
from bench.measure import TreeSampler
from bench.measure import run as run_command


def test_harness_measures_talkbuild_builds_and_writes_json_and_docs(tmp_path: Path) -> None:
    docs = tmp_path / "benchmarks.md"
    docs.write_text("# Benchmarks\n\nHand-written method.\n", encoding="utf-8")
    assert run.main(["--size", "small", "--runs", "1", "--stages", "build", "--no-peers",
                     "--results", str(tmp_path / "results"), "--docs", str(docs)]) == 0
    (result,) = (tmp_path / "results").glob("*-small.json")
    data = json.loads(result.read_text())
    rows = {(f["stage"], f["tool"]): f for f in data["figures"]}
    for stage in ("build-cold", "build-noop", "build-one-talk"):
        row = rows[(stage, "talkbuild")]
        assert row["runs"] == 1 and row["median_s"] > 0 and row["peak_tree_mb"] >= row["peak_process_mb"] > 5
    assert rows[("build-cold", "pandoc")]["skipped"] and rows[("build-cold", "marp")]["skipped"]
    assert data["meta"]["corpus"]["slides"] == 300
    text = docs.read_text()
    assert text.startswith("# Benchmarks\n\nHand-written method.\n")
    assert "<!-- bench:results:small:start -->" in text and "| build-noop | talkbuild |" in text
    assert run.main(["--from-json", str(result), "--docs", str(docs)]) == 0
    assert docs.read_text() == text


def test_a_command_is_timed_and_its_memory_measured() -> None:
    sample = run_command([sys.executable, "-c", "x = bytearray(64 * 2**20); x[::4096] = b'1' * len(x[::4096])"])
    assert sample.returncode == 0
    assert sample.rss_max_mb > 60 and sample.tree_mb >= sample.rss_max_mb


FORKED = """
import os, time
x = bytearray(128 * 2**20)
x[::4096] = b'1' * len(x[::4096])
children = []
for _ in range(3):  # four processes in all, each mapping the same 128 MB
    pid = os.fork()
    if pid == 0:
        time.sleep(1.0)
        os._exit(0)
    children.append(pid)
time.sleep(1.0)
assert all(os.waitpid(pid, 0)[1] == 0 for pid in children)
"""


def test_a_long_running_process_is_sampled_without_waiting_for_it() -> None:
    # What the serve figure relies on: a process that is never waited for has no ru_maxrss to fall back on.
    proc = subprocess.Popen([sys.executable, "-c", "x = bytearray(64 * 2**20); x[::4096] = b'1' * len(x[::4096]);"
                             "import time; time.sleep(0.5)"])
    try:
        with TreeSampler(proc.pid) as sampler:
            proc.wait(30)
    finally:
        proc.kill()
    assert sampler.peak_kb / 1024 > 60


def test_memory_shared_by_forked_workers_counts_once_in_the_tree() -> None:
    sample = run_command([sys.executable, "-c", FORKED])
    assert sample.returncode == 0 and not sample.stderr
    # Summed RSS would say ~4 x 128 MB; what the tree holds is 128 MB and four interpreters.
    assert sample.tree_mb < 256, sample
    # The sampler itself, without run()'s ru_maxrss to fall back on: it must have read the four processes.
    proc = subprocess.Popen([sys.executable, "-c", FORKED])
    try:
        with TreeSampler(proc.pid) as sampler:
            proc.wait(30)
    finally:
        proc.kill()
    assert 128 < sampler.peak_kb / 1024 < 256


def test_scoring_counts_found_missed_and_false_alarms(tmp_path: Path) -> None:
    m = generate(tmp_path, "small", broken=3)
    result = score(["http://x/g00/nope-bk000.md", "http://x/img/missing-bk001.png", "http://x/fine.html"], m)
    assert result["found"] == 2 and result["missed"] == ["bk002"] and result["false_alarms"] == 1


def test_bytecode_is_written_even_when_python_is_told_not_to(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "mod.py").write_text("VALUE = 42\n", encoding="utf-8")
    env = {"PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", "import pkg.mod"], cwd=tmp_path, env=env, check=True)
    assert not (package / "__pycache__").exists()  # what the bench machine does by itself
    assert run.compile_bytecode(package, tmp_path / "missing") == [str(package)]
    (pyc,) = (package / "__pycache__").glob("mod.*.pyc")
    verbose = subprocess.run([sys.executable, "-v", "-c", "import pkg.mod"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, check=True).stderr
    assert f"code object from '{pyc}'" in verbose


def test_the_serve_bench_edits_the_slide_its_deck_is_open_at(tmp_path: Path) -> None:
    from bench.build_stages import EDITED_TALK
    from bench.corpus import talk_slug
    from bench.serve_stage import EDITED_SLIDE, with_marker
    from talkbuild.build import BuildOptions, build
    from talkbuild.config import load_config

    project = tmp_path / "project"
    generate(project, "small")
    talk = project / "talks" / f"{talk_slug(EDITED_TALK)}.md"
    talk.write_text(with_marker(talk.read_text(encoding="utf-8"), "bench-marker-42"), encoding="utf-8")
    site = build(load_config(project), BuildOptions(jobs=1)).out_dir
    deck = (site / talk_slug(EDITED_TALK) / "slides" / "index.html").read_text(encoding="utf-8")
    start = deck.index(f'<section id="{EDITED_SLIDE}"')
    assert "bench-marker-42" in deck[start:deck.index("</section>", start)].split('class="notes"')[0]
