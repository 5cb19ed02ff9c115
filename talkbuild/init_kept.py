"""`init --force` in an existing repository: what the files it keeps need so the scaffold still works.

init never overwrites a file. Where a kept file would break the scaffold, it appends what is missing and
says so (requirements.txt without talkbuild, a .gitignore without the build folders), or warns with the
exact fix (a workflow without a deploy job, a `makefile` that GNU make reads before `Makefile`), and writes
talkbuild.mk: the scaffold's Makefile with its own names, so including it adds targets without replacing any.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

MAKE_INCLUDE = "talkbuild.mk"
SHADOWING_MAKEFILES = ("GNUmakefile", "makefile")
"""GNU make reads the first of GNUmakefile, makefile, Makefile that exists: these hide the scaffold's Makefile."""
TALKBUILD_LINE = re.compile(r"^\s*talkbuild\s*(?:[\[@=<>!~;]|$)", re.IGNORECASE | re.MULTILINE)
INTERNAL_MAKE_VARS = ("TALKBUILD_DEPS", "SUMMARISED", "TARGET_ARGS", "SYNC_EDGE", "SUBMAKE", "LOCAL_TARGET",
                      "PYTHON", "STAMP", "VENV", "PORT", "GH")
"""The scaffold Makefile's own variables: TB_-prefixed in talkbuild.mk so they neither replace nor take the
user's. The ones the workflows and docs set from outside (TALKBUILD, TALKBUILD_TARGET, CHANNEL, KEEP, RELEASE,
UNLOCK, SUMMARY_FILE, PR_NUMBER, CHECK_FORMAT, BUILD_FORMAT, EDGE_SYNC, NO_TEST) keep their names."""
RULE = re.compile(r"^([a-z][a-z-]*)(\s*:)(?![=:])", re.MULTILINE)


def shadowing_makefile(root: Path) -> str | None:
    """The name of a makefile GNU make reads instead of `Makefile` (exact case, also on macOS), or None."""
    try:
        names = set(os.listdir(root))
    except OSError:
        return None
    return next((name for name in SHADOWING_MAKEFILES if name in names), None)


def makefile_targets(template: str) -> list[str]:
    """The targets the scaffold's Makefile defines, in order."""
    return [m.group(1) for m in RULE.finditer(template)]


def make_include(template: str, present: set[str]) -> str:
    """talkbuild.mk: the scaffold Makefile with TB_ variables and tb-* targets, plus `NAME: tb-NAME` for
    each scaffold target the user's makefile lacks (`present` holds the ones it has)."""
    text = template
    for name in INTERNAL_MAKE_VARS:
        text = re.sub(rf"(?<![\w$])(?<!TB_){name}(?=\s*\??=)", f"TB_{name}", text)  # definitions
        text = text.replace(f"$({name})", f"$(TB_{name})")
    targets = makefile_targets(template)
    text = RULE.sub(lambda m: f"tb-{m.group(1)}{m.group(2)}", text)
    text = re.sub(r"\$\(TB_SUBMAKE\) ([a-z][a-z-]*)", r"$(TB_SUBMAKE) tb-\1", text)
    text = re.sub(r"^\.PHONY:.*$", ".PHONY: " + " ".join(f"tb-{t}" for t in targets), text, count=1,
                  flags=re.MULTILINE)
    aliases = [t for t in targets if t not in present]
    head = ("# talkbuild.mk, written by `talkbuild init --force` beside a Makefile of your own: `include talkbuild.mk`\n"
            "# at its end. Its variables are named TB_* and its targets tb-*, so it changes none of yours; the\n"
            "# targets your Makefile lacked when init ran call them by their usual names (listed last).\n")
    tail = "\n# --- The scaffold's targets your Makefile did not have -----------------------------------------\n"
    tail += (".PHONY: " + " ".join(aliases) + "\n" + "".join(f"{t}: tb-{t}\n" for t in aliases)) if aliases else ""
    return head + text + tail


def extend_requirements(path: Path, requirement: str, comment: str) -> str | None:
    """Append the talkbuild pin to a kept requirements.txt that has none; a note saying so, or None."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if TALKBUILD_LINE.search(text):
        return None
    sep = "" if not text or text.endswith("\n") else "\n"
    with path.open("a", encoding="utf-8") as f:
        f.write(f"{sep}{comment}\n{requirement}\n")
    return f"requirements.txt (kept) had no talkbuild line: appended `{requirement}`"


def own_requirement(path: Path) -> str | None:
    """The talkbuild line a kept requirements.txt already has."""
    text = path.read_text(encoding="utf-8", errors="replace")
    match = TALKBUILD_LINE.search(text)
    return text[match.start():].splitlines()[0].strip() if match else None


def extend_gitignore(path: Path, template: bytes) -> str | None:
    """Append the scaffold's ignore entries a kept .gitignore lacks; a note saying which, or None."""
    text = path.read_text(encoding="utf-8", errors="replace")
    have = {line.strip().strip("/") for line in text.splitlines() if line.strip() and not line.startswith("#")}
    wanted = [line for line in template.decode().splitlines() if line.strip() and not line.startswith("#")]
    missing = [line for line in wanted if line.strip().strip("/") not in have]
    if not missing:
        return None
    sep = "" if not text or text.endswith("\n") else "\n"
    with path.open("a", encoding="utf-8") as f:
        f.write(f"{sep}# talkbuild: the virtualenv, the built site, the local deploy target and the caches\n")
        f.write("".join(f"{line}\n" for line in missing))
    return f".gitignore (kept) did not ignore {', '.join(missing)}: appended"


def workflow_lacks_deploy(path: Path) -> bool:
    """A kept ci.yml with no `deploy:` job: pushes to main are then tested but never published."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return re.search(r"^\s+deploy\s*:", text, re.MULTILINE) is None
