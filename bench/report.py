"""Write the results: a JSON file per run (bench/results/, git-ignored) and the tables in docs/benchmarks.md."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .measure import Figure


def markers(size: str) -> tuple[str, str]:
    """docs/benchmarks.md is hand-written around these markers; only the part between them is regenerated."""
    return f"<!-- bench:results:{size}:start -->", f"<!-- bench:results:{size}:end -->"


def to_json(figures: Sequence[Figure], meta: dict[str, Any]) -> dict[str, Any]:
    rows = []
    for f in figures:
        row: dict[str, Any] = {"stage": f.stage, "tool": f.tool, "note": f.note, "skipped": f.skipped, **f.extra}
        stats = f.stats()
        if stats:
            row.update(stats)
            row["samples_s"] = [s.seconds for s in f.samples]  # unrounded: --from-json must redraw the same table
        rows.append(row)
    return {"meta": meta, "figures": rows}


def _s(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"


def _ratio_text(r: float | None) -> str:
    if not r:
        return ""
    return f"{r:.1f}x slower" if r >= 1 else f"{1 / r:.1f}x faster"


def _find(figures: Sequence[Figure], stage: str, tool: str) -> Figure | None:
    return next((f for f in figures if f.stage == stage and f.tool == tool and f.samples), None)


def ratio(figures: Sequence[Figure], stage: str, peer: str, base_tool: str = "talkbuild") -> float | None:
    """How many times slower the peer's median is than talkbuild's in the same run (>1: talkbuild faster)."""
    base, other = _find(figures, stage, base_tool), _find(figures, stage, peer)
    if not base or not other:
        return None
    b, o = base.stats(), other.stats()
    assert b and o
    return o["median_s"] / b["median_s"]


def markdown(figures: Sequence[Figure], meta: dict[str, Any], targets: Sequence[tuple[str, str, str]]) -> str:
    """The generated part of docs/benchmarks.md."""
    lines = [f"### Run of {meta['date']} — corpus `{meta['corpus']['size']}`", ""]
    c = meta["corpus"]
    lines += [f"Corpus: {c['talks']} talks x {c['slides_per_talk']} slides (seed {c['seed']}): "
              f"{c.get('code_blocks', 0)} code blocks, {c.get('tables', 0)} tables, {c.get('image_refs', 0)} image references "
              f"({c.get('image_files', 0)} PNG files), {c.get('cross_talk_links', 0) + c.get('cross_talk_fragment_links', 0)} "
              f"cross-talk links, {c.get('fragment_links', 0)} in-talk #fragment links, {c.get('external_links', 0)} external "
              f"links (127.0.0.1 only), {c.get('broken_links', 0)} planted broken internal links.", ""]
    m = meta["machine"]
    lines += [f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GiB; Python {m['python']}; "
              f"load average {m['load_before']} before, {m['load_after']} after (other work shared the cores: "
              "compare ratios, not absolute times). talkbuild " + meta["talkbuild"] + ".", ""]
    lines += ["| stage | tool | median | min | max | runs | peak memory (tree / largest process) | vs talkbuild | notes |",
              "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for f in figures:
        st = f.stats()
        if not st:
            lines.append(f"| {f.stage} | {f.tool} | — | — | — | 0 | — | — | not measured: {f.skipped} |")
            continue
        r = ratio(figures, f.stage, f.tool) if f.tool != "talkbuild" else None
        lines.append(f"| {f.stage} | {f.tool} | {_s(st['median_s'])} | {_s(st['min_s'])} | {_s(st['max_s'])} | "
                     f"{st['runs']} | {st['peak_tree_mb']:.0f} / {st['peak_process_mb']:.0f} MB | "
                     f"{_ratio_text(r)} | {f.note} |")
    scored = [f for f in figures if "planted" in f.extra]
    if scored:
        lines += ["", "Link checkers on talkbuild's output of this corpus, scored on the planted broken links "
                  "(matched by the `bkNNN` token in each URL):", "",
                  "| tool | found / planted | false alarms | median time | missed |", "|---|---:|---:|---:|---|"]
        for f in scored:
            st = f.stats()
            missed = ", ".join(str(x) for x in f.extra["missed"][:8]) + (" ..." if len(f.extra["missed"]) > 8 else "")  # type: ignore[index,arg-type]
            lines.append(f"| {f.tool} | {f.extra['found']} / {f.extra['planted']} | {f.extra['false_alarms']} | "
                         f"{_s(st['median_s']) if st else '—'} | {missed} |")
    moved = [f for f in figures if "objects" in f.extra]
    if moved:
        lines += ["", "Objects written = PUTs plus server-side copies/hard links (S3: new or changed keys in the listing, "
                  "control objects included; aws: its `upload:` lines). Bytes sent = file payload uploaded "
                  "(talkbuild: its `bytes_sent`; aws: sizes of the files it uploaded).", "",
                  "| publish | tool | objects written | bytes sent | median time |", "|---|---|---:|---:|---:|"]
        for f in moved:
            st = f.stats()
            lines.append(f"| {f.stage} | {f.tool} | {f.extra['objects']} | {f.extra['bytes']:,} | {_s(st['median_s']) if st else '—'} |")
    if targets:
        lines += ["", "| target (issue 8) | measured | met? |", "|---|---|---|"]
        lines += [f"| {t} | {got} | {ok} |" for t, got, ok in targets]
    return "\n".join(lines) + "\n"


def write(out_json: Path, docs: Path | None, figures: Sequence[Figure], meta: dict[str, Any],
          targets: Sequence[tuple[str, str, str]]) -> None:
    out_json.parent.mkdir(parents=True, exist_ok=True)
    data = to_json(figures, meta)
    data["targets"] = [{"target": t, "measured": g, "met": ok} for t, g, ok in targets]
    out_json.write_text(json.dumps(data, indent=1, default=str) + "\n", encoding="utf-8")
    if docs is None:
        return
    generated = markdown(figures, meta, targets)
    START, END = markers(meta["corpus"]["size"])
    text = docs.read_text(encoding="utf-8") if docs.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    docs.parent.mkdir(parents=True, exist_ok=True)
    docs.write_text(f"{head}{START}\n{generated}{END}{tail}", encoding="utf-8")
