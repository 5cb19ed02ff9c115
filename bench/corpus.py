"""A deterministic, seeded corpus of talks for benchmarks: `python -m bench.corpus DIR --size medium --broken 20`.

Same seed and size -> byte-identical files, so every tool in a run (and every run on every machine) reads
the same input. Every feature is placed by slide index, so the counts are exact and known in advance;
the seeded generator only picks words, lengths and link targets. With `broken=K`, K internal links that
lead nowhere are planted, and `manifest.json` (beside talks/, never copied into a site) lists exactly
which ones, so link checkers can be scored on what they find and what they invent.
"""

from __future__ import annotations

import argparse
import json
import random
import struct
import zlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

SIZES: dict[str, tuple[int, int]] = {"small": (10, 30), "medium": (200, 40), "large": (2000, 40)}
"""size name -> (talks, slides per talk)."""
GROUP = 20
"""Talks per folder (talks/g00/ ... ), so the corpus has nested paths like a real one."""
SECTION_EVERY = 10
"""A `#` section heading opens before every tenth slide."""
IMAGES_PER_TALK = 2
BROKEN_KINDS = ("missing-talk", "missing-image", "missing-fragment", "missing-cross-fragment", "missing-file")
"""Cycled through in order: broken link n has kind BROKEN_KINDS[n % 5]."""
EXTERNAL_BASE = "http://127.0.0.1:9/ext"
"""External links point at the discard port on loopback: nothing answers, and nothing leaves the machine."""
MANIFEST = "manifest.json"

WORDS = (
    "deploy pipeline version control branch merge test server build release cache index slide talk "
    "handout deck theme render parse markdown fragment section notes image table code link check "
    "publish bucket pointer manifest rollback atomic swap worker queue latency memory profile budget "
    "review commit history tag artifact container provision script config secret staging production"
).split()
LANGUAGES = ("python", "bash", "yaml", "javascript")


@dataclass(frozen=True)
class BrokenLink:
    """One planted broken link: where it is written and what a checker should report."""

    id: str
    """`bk000`, `bk001`...: also embedded in the URL, so a finding is matched to its link by this token."""
    kind: str
    source: str
    """Project-relative Markdown file."""
    line: int
    """1-based line of the file holding the link."""
    url: str
    """The URL exactly as written in the Markdown."""
    target: str
    """Site-relative path the link leads to in talkbuild's output (with #fragment when it has one)."""


@dataclass
class Manifest:
    """What was generated: parameters, exact feature counts, and the planted broken links."""

    seed: int
    size: str
    talks: int
    slides_per_talk: int
    counts: dict[str, int] = field(default_factory=dict)
    broken: list[BrokenLink] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True) + "\n"

    @classmethod
    def load(cls, root: Path) -> Manifest:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        data["broken"] = [BrokenLink(**b) for b in data["broken"]]
        return cls(**data)


def talk_rel(i: int) -> str:
    """Talks-relative path of talk number i."""
    return f"g{i // GROUP:02d}/t{i:04d}.md"


def talk_slug(i: int) -> str:
    return talk_rel(i)[: -len(".md")]


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A tiny valid PNG of one colour (hand-rolled so the generator needs nothing but the standard library)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * height, 9)) + chunk(b"IEND", b"")


class _Writer:
    """Collects the lines of one talk and remembers the 1-based line number of each."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, *lines: str) -> int:
        """Append lines; returns the line number of the first one."""
        first = len(self.lines) + 1
        self.lines.extend(lines)
        return first

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def generate(root: Path, size: str = "small", *, seed: int = 1, broken: int = 0,
             talks: int | None = None, slides: int | None = None) -> Manifest:
    """Write a project (talkbuild.yml, talks/, manifest.json) under `root`; returns the manifest."""
    n_talks, n_slides = SIZES[size]
    n_talks = talks if talks is not None else n_talks
    n_slides = slides if slides is not None else n_slides
    if n_talks < 2 or n_slides < 8:
        raise ValueError("a corpus needs at least 2 talks of 8 slides (so every feature appears)")
    if broken > n_talks * n_slides:
        raise ValueError(f"cannot plant {broken} broken links in {n_talks * n_slides} slides")
    rng = random.Random(f"talkbuild-bench:{seed}:{size}:{n_talks}:{n_slides}")
    positions = sorted(rng.sample(range(n_talks * n_slides), broken))
    planted = {pos: n for n, pos in enumerate(positions)}
    manifest = Manifest(seed, size, n_talks, n_slides)
    counts: Counter[str] = Counter()
    talks_dir = root / "talks"
    talks_dir.mkdir(parents=True, exist_ok=True)
    (root / "talkbuild.yml").write_text(f"title: Benchmark corpus ({size}, seed {seed})\n", encoding="utf-8")
    shared = talks_dir / "shared"
    shared.mkdir(exist_ok=True)
    (shared / "logo.png").write_bytes(png(16, 16, (20, 60, 120)))
    counts["image_files"] += 1
    for i in range(n_talks):
        out = _Writer()
        _front_matter(out, i, rng)
        for j in range(n_slides):
            _slide(out, i, j, n_talks, n_slides, rng, counts)
            n = planted.get(i * n_slides + j)
            if n is not None:
                manifest.broken.append(_plant(out, i, j, n, n_talks, rng))
        path = talks_dir / talk_rel(i)
        (path.parent / "img").mkdir(parents=True, exist_ok=True)
        for m in range(IMAGES_PER_TALK):
            colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            (path.parent / "img" / f"t{i:04d}-{m}.png").write_bytes(png(8 + m * 4, 8, colour))
            counts["image_files"] += 1
        path.write_text(out.text(), encoding="utf-8")
        counts["talks"] += 1
    counts["broken_links"] = len(manifest.broken)
    manifest.counts = dict(sorted(counts.items()))
    (root / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _sentence(rng: random.Random) -> str:
    text = _words(rng, 6, 16)
    return text[0].upper() + text[1:] + "."


def _front_matter(out: _Writer, i: int, rng: random.Random) -> None:
    year, month, day = 2010 + i % 15, 1 + i % 12, 1 + i % 28
    out.add("---", f"title: Talk {i} - {_words(rng, 2, 5).capitalize()}", f"author: Author {i % 17}",
            "institution: Benchmark University", f"date: {year:04d}-{month:02d}-{day:02d}", "---", "")


def _other(i: int, n_talks: int, rng: random.Random) -> int:
    other = rng.randrange(n_talks - 1)
    return other + 1 if other >= i else other


def _slide(out: _Writer, i: int, j: int, n_talks: int, n_slides: int, rng: random.Random, counts: Counter[str]) -> None:
    if j % SECTION_EVERY == 0:
        out.add(f"# Part {j // SECTION_EVERY + 1} - {_words(rng, 1, 3)} {{#part-{j // SECTION_EVERY + 1}}}", "")
        counts["sections"] += 1
    out.add(f"## {_words(rng, 2, 5).capitalize()} {j} {{#s-{j}}}", "")
    counts["slides"] += 1
    out.add(" ".join(_sentence(rng) for _ in range(rng.randint(2, 4))), "")
    if j % 3 == 0:
        out.add(*[f"* {_words(rng, 3, 8)}" for _ in range(rng.randint(3, 5))], "")
        counts["lists"] += 1
    if j % 4 == 1:
        lang = LANGUAGES[(j // 4) % len(LANGUAGES)]
        out.add(f"``` {lang}", *_code(lang, rng), "```", "")
        counts["code_blocks"] += 1
    if j % 6 == 2:
        out.add("| Stage | Count | Note |", "|---|---:|---|",
                *[f"| {rng.choice(WORDS)} | {rng.randrange(1000)} | {_words(rng, 1, 4)} |" for _ in range(4)], "")
        counts["tables"] += 1
    if j % 8 == 3:
        out.add(f"![Figure {j}](img/t{i:04d}-{(j // 8) % IMAGES_PER_TALK}.png)", "")
        counts["image_refs"] += 1
    if j % 16 == 11:
        out.add("![Logo](../shared/logo.png)", "")
        counts["image_refs"] += 1
    if j % 5 == 4:
        out.add(f"Further reading: [{_words(rng, 1, 3)}]({EXTERNAL_BASE}/t{i:04d}/{j}).", "")
        counts["external_links"] += 1
    if j % 7 == 0 and j > 0:
        out.add(f"As shown [earlier](#s-{rng.randrange(j)}).", "")
        counts["fragment_links"] += 1
    if j % 7 == 3:
        out.add(f"See also [another talk](../{talk_rel(_other(i, n_talks, rng))}).", "")
        counts["cross_talk_links"] += 1
    if j % 7 == 5:
        out.add(f"Compare [that slide](../{talk_rel(_other(i, n_talks, rng))}#s-{rng.randrange(n_slides)}).", "")
        counts["cross_talk_fragment_links"] += 1
    if j % 10 == 6:
        out.add(". . .", "", _sentence(rng), "")
        counts["pauses"] += 1
    if j % 12 == 7:
        out.add(f"The cost grows as $n^{{2}} + {j}$ in the worst case.", "")
        counts["math"] += 1
    if j % 9 == 8:
        out.add("::: notes", _sentence(rng), ":::", "")
        counts["notes"] += 1


def _code(lang: str, rng: random.Random) -> list[str]:
    n = rng.randint(6, 15)
    if lang == "python":
        return [f"def {rng.choice(WORDS)}_{k}(x):" if k % 3 == 0 else f"    return x * {k}  # {rng.choice(WORDS)}" for k in range(n)]
    if lang == "bash":
        return [f"{rng.choice(('git', 'make', 'talkbuild', 'echo'))} {_words(rng, 1, 3)} --step={k}" for k in range(n)]
    if lang == "yaml":
        return [f"{rng.choice(WORDS)}_{k}: {rng.randrange(100)}" for k in range(n)]
    return [f"const {rng.choice(WORDS)}{k} = await load('{rng.choice(WORDS)}', {k});" for k in range(n)]


def _plant(out: _Writer, i: int, j: int, n: int, n_talks: int, rng: random.Random) -> BrokenLink:
    """Add one broken internal link to the slide being written; returns its manifest entry."""
    token = f"bk{n:03d}"
    kind = BROKEN_KINDS[n % len(BROKEN_KINDS)]
    group = f"g{i // GROUP:02d}"
    if kind == "missing-talk":
        other_group = f"g{_other(i, n_talks, rng) // GROUP:02d}"
        url, target = f"../{other_group}/nope-{token}.md", f"{other_group}/nope-{token}.md"
        text = f"Read [the missing talk]({url})."
    elif kind == "missing-image":
        url, target = f"img/missing-{token}.png", f"{group}/img/missing-{token}.png"
        text = f"![Missing figure]({url})"
    elif kind == "missing-fragment":
        url, target = f"#missing-{token}", f"{talk_slug(i)}/index.html#missing-{token}"
        text = f"Jump to [a slide that is not there]({url})."
    elif kind == "missing-cross-fragment":
        other = _other(i, n_talks, rng)
        url, target = f"../{talk_rel(other)}#missing-{token}", f"{talk_slug(other)}/index.html#missing-{token}"
        text = f"Compare [a slide of another talk that is not there]({url})."
    else:
        url, target = f"files/notes-{token}.pdf", f"{group}/files/notes-{token}.pdf"
        text = f"Download [the notes]({url})."
    line = out.add(text, "")
    return BrokenLink(token, kind, f"talks/{talk_rel(i)}", line, url, target)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="project folder to create (must not exist or be empty)")
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--broken", type=int, default=0, metavar="K", help="plant K broken internal links")
    args = parser.parse_args(argv)
    if args.root.exists() and any(args.root.iterdir()):
        parser.error(f"{args.root} is not empty")
    manifest = generate(args.root, args.size, seed=args.seed, broken=args.broken)
    print(json.dumps(manifest.counts, sort_keys=True))


if __name__ == "__main__":
    main()
