"""Build figures: talkbuild (cold, no-op, one talk edited) against pandoc and Marp CLI on the same corpus."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from .corpus import Manifest, talk_rel
from .measure import Figure, repeat
from .peers import Peer

TALKBUILD = [sys.executable, "-m", "talkbuild.cli"]
EDITED_TALK = 7
"""The talk edited for the one-talk rebuild and publish figures (any talk would do; fixed for repeatability)."""


def talkbuild_cmd(*args: str) -> list[str]:
    exe = shutil.which("talkbuild", path=str(Path(sys.executable).parent))
    return [exe, *args] if exe else [*TALKBUILD, *args]


def clean(project: Path) -> None:
    for name in ("_site", ".talkbuild"):
        shutil.rmtree(project / name, ignore_errors=True)


def edit_talk(project: Path, n: int, talk: int = EDITED_TALK) -> Path:
    """Change one talk's content (a new paragraph, different every call) so a rebuild must render it."""
    path = project / "talks" / talk_rel(talk)
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\nEdited for benchmark run {n}: marker-{os.getpid()}-{n}.\n")
    return path


def talkbuild_figures() -> list[Figure]:
    """The three build figures of talkbuild (cold, no-op, one talk edited), empty, with their notes."""
    return [
        Figure("build-cold", "talkbuild", note="`talkbuild build`, no _site/ and no cache; process pool on every core"),
        Figure("build-noop", "talkbuild", note="`talkbuild build` again, nothing changed (includes interpreter start-up)"),
        Figure("build-one-talk", "talkbuild",
               note=f"`talkbuild build` after appending a paragraph to talks/{talk_rel(EDITED_TALK)}"),
    ]


def pandoc_build(project: Path, pandoc: Peer, runs: int, jobs: int, fig: Figure | None = None) -> Figure:
    """`pandoc -t revealjs -s` once per talk, `jobs` at a time (xargs -P), as a Makefile with -j would."""
    fig = fig or Figure("build-cold", "pandoc")
    if not pandoc.found:
        fig.skipped = f"pandoc not installed ({pandoc.how})"
        return fig
    out = project.parent / "pandoc-out"
    talks = sorted(p.relative_to(project / "talks").as_posix() for p in (project / "talks").rglob("*.md"))
    listing = project.parent / "pandoc-talks.txt"
    listing.write_text("\n".join(talks) + "\n", encoding="utf-8")
    script = f'exec "{pandoc.path}" -t revealjs -s "talks/$1" -o "{out}/${{1%.md}}.html"'

    def setup(n: int) -> None:
        shutil.rmtree(out, ignore_errors=True)
        for rel in talks:
            (out / rel).parent.mkdir(parents=True, exist_ok=True)

    fig.note = f"`pandoc -t revealjs -s` per talk, {jobs} at a time (xargs -P {jobs}); assets not copied"
    return repeat(fig, runs, lambda n: ["xargs", "-a", str(listing), "-P", str(jobs), "-n", "1",
                                        "sh", "-c", script, "pandoc"], setup=setup, cwd=project)


def marp_input(project: Path) -> Path:
    """A copy of talks/ with Marp's directives added (`#`/`##` start slides), made once, untimed."""
    dest = project.parent / "marp-in"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(project / "talks", dest)
    for path in dest.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("---\n", "---\nmarp: true\nheadingDivider: 2\n", 1), encoding="utf-8")
    return dest


def marp_build(project: Path, marp: Peer, runs: int, fig: Figure | None = None, src: Path | None = None) -> Figure:
    """Marp CLI's batch mode over the whole folder (HTML output; no browser needed)."""
    fig = fig or Figure("build-cold", "marp")
    if not marp.found:
        fig.skipped = f"Marp CLI not installed ({marp.how})"
        return fig
    src, out = src or marp_input(project), project.parent / "marp-out"
    fig.note = "`marp --input-dir` (batch mode, HTML); same Markdown plus `marp: true`, `headingDivider: 2`"
    return repeat(fig, runs, lambda n: [marp.path or "marp", "--no-stdin", "--input-dir", str(src), "--output", str(out)],
                  setup=lambda n: shutil.rmtree(out, ignore_errors=True), cwd=project)


def corpus_facts(manifest: Manifest) -> dict[str, object]:
    return {"size": manifest.size, "seed": manifest.seed, "talks": manifest.talks,
            "slides_per_talk": manifest.slides_per_talk, **manifest.counts}
