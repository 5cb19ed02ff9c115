"""The benchmark corpus: deterministic, exact counts, and a broken-link manifest that names exactly the broken links."""

from __future__ import annotations

import hashlib
import posixpath
import re
import zlib
from pathlib import Path

import pytest

from bench.corpus import BROKEN_KINDS, EXTERNAL_BASE, SIZES, Manifest, generate, png

LINK = re.compile(r"(!?)\[[^\]]*\]\(([^)\s]+)\)")
ID = re.compile(r"\{#([\w-]+)\}")


def digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", "small", seed=3, broken=7)
    b = generate(tmp_path / "b", "small", seed=3, broken=7)
    generate(tmp_path / "c", "small", seed=4, broken=7)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert a == b
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def test_sizes_are_the_ones_the_issue_names() -> None:
    assert SIZES == {"small": (10, 30), "medium": (200, 40), "large": (2000, 40)}


def test_counts_are_exact_and_match_the_files(tmp_path: Path) -> None:
    m = generate(tmp_path, "small", broken=0)
    talks = sorted((tmp_path / "talks").rglob("*.md"))
    text = "\n".join(p.read_text() for p in talks)
    assert len(talks) == m.counts["talks"] == 10
    assert len(re.findall(r"^## ", text, re.M)) == m.counts["slides"] == 10 * 30
    assert len(re.findall(r"^# Part ", text, re.M)) == m.counts["sections"] == 10 * 3
    assert len(re.findall(r"^``` \w+$", text, re.M)) == m.counts["code_blocks"] > 0
    assert len(re.findall(r"^\|---\|", text, re.M)) == m.counts["tables"] > 0
    assert len(re.findall(r"^!\[", text, re.M)) == m.counts["image_refs"] > 0
    assert text.count(EXTERNAL_BASE) == m.counts["external_links"] > 0
    assert len(re.findall(r"\]\(#s-\d+\)", text)) == m.counts["fragment_links"] > 0
    assert len(re.findall(r"\]\(\.\./g\d\d/t\d{4}\.md\)", text)) == m.counts["cross_talk_links"] > 0
    assert len(re.findall(r"\]\(\.\./g\d\d/t\d{4}\.md#s-\d+\)", text)) == m.counts["cross_talk_fragment_links"] > 0
    assert text.count("::: notes") == m.counts["notes"] > 0
    assert len(list((tmp_path / "talks").rglob("*.png"))) == m.counts["image_files"] == 10 * 2 + 1
    assert "bk0" not in text and m.broken == []


def test_png_decodes_to_its_one_colour() -> None:
    data = png(4, 3, (1, 2, 3))
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    zlib_payload = data[data.index(b"IDAT") + 4:-16]
    assert zlib.decompress(zlib_payload) == (b"\x00" + bytes((1, 2, 3)) * 4) * 3


def resolve_all(root: Path) -> tuple[set[tuple[str, int, str]], int]:
    """An independent resolver: every internal link that does not lead to an existing file or #id.
    Returns ({(source, line, url)}, number of internal links checked)."""
    talks = root / "talks"
    ids = {p.relative_to(talks).as_posix(): set(ID.findall(p.read_text())) for p in talks.rglob("*.md")}
    broken, checked = set(), 0
    for path in sorted(talks.rglob("*.md")):
        rel = path.relative_to(talks).as_posix()
        for n, line in enumerate(path.read_text().splitlines(), start=1):
            for _bang, url in LINK.findall(line):
                if url.startswith("http"):
                    continue
                checked += 1
                target, _, fragment = url.partition("#")
                target_rel = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target)) if target else rel
                ok = (talks / target_rel).is_file()
                if ok and fragment:
                    ok = fragment in ids.get(target_rel, set())
                if not ok:
                    broken.add((f"talks/{rel}", n, url))
    return broken, checked


@pytest.mark.parametrize("k", [0, 1, 12])
def test_manifest_names_exactly_the_broken_links(tmp_path: Path, k: int) -> None:
    m = generate(tmp_path, "small", broken=k)
    broken, checked = resolve_all(tmp_path)
    c = m.counts
    assert checked == k + sum(c[n] for n in ("fragment_links", "cross_talk_links", "cross_talk_fragment_links", "image_refs"))
    assert broken == {(b.source, b.line, b.url) for b in m.broken}
    assert len(m.broken) == m.counts["broken_links"] == k
    assert [b.kind for b in m.broken] == [BROKEN_KINDS[i % len(BROKEN_KINDS)] for i in range(k)]
    assert len({b.id for b in m.broken}) == k and all(b.id in b.url for b in m.broken)


def test_manifest_round_trips_through_json(tmp_path: Path) -> None:
    m = generate(tmp_path, "small", broken=5)
    assert Manifest.load(tmp_path) == m


def test_impossible_requests_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="broken"):
        generate(tmp_path / "x", "small", broken=10 * 30 + 1)
    with pytest.raises(ValueError, match="at least"):
        generate(tmp_path / "y", "small", talks=1)
