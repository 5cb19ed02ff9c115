"""Our Makefile and the one `talkbuild init` writes run the same CI and deploy targets (as their workflows are
the same: test_workflows.py): a fix made in one and not the other fails here, naming what differs."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from support import REPO

SHARED_TARGETS = ("ci", "site", "deploy", "undeploy", "undeploy-if-closed", "deploy-behind", "rollback", "prune")
"""The targets the workflows call, and `ci`, which runs them on a laptop: rule line and recipe, as written."""
SHARED_VARIABLES = ("CHECK_FORMAT", "LOCAL_TARGET", "CHANNEL", "KEEP", "EDGE_SYNC", "GH", "SUBMAKE", "TARGET_ARGS",
                    "SYNC_EDGE", "SUMMARISED")
"""What those recipes use. TALKBUILD and TALKBUILD_DEPS differ by design: our Makefile runs this checkout's
venv, the scaffold's the talkbuild pinned in requirements.txt."""
SCAFFOLD_ONLY_EXPORTS = frozenset({"BUILD_FORMAT"})
"""The scaffold's `make test` is a strict build that can annotate the diff; ours runs pytest."""

RULE = re.compile(r"^([a-z][a-z-]*)\s*:(?![=:])")
VARIABLE = re.compile(r"^([A-Z_]+)\s*(?:\?=|:=|=)")


def logical_lines(text: str) -> list[str]:
    """The lines make reads: a line ending in a backslash goes on with the next."""
    lines: list[str] = []
    for line in text.splitlines():
        if lines and lines[-1].endswith("\\"):
            lines[-1] += "\n" + line
        else:
            lines.append(line)
    return lines


def blocks(text: str) -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """(rule line + recipe of each target, definition of each variable, exported names) of a Makefile."""
    lines = logical_lines(text)
    rules: dict[str, str] = {}
    variables: dict[str, str] = {}
    exported: set[str] = set()
    for i, line in enumerate(lines):
        if rule := RULE.match(line):
            recipe = []
            for following in lines[i + 1:]:
                if not following.startswith("\t"):
                    break
                recipe.append(following)
            rules[rule.group(1)] = "\n".join([line, *recipe])
        elif variable := VARIABLE.match(line):
            variables[variable.group(1)] = line
        elif line.startswith("export "):
            exported.update(line.split()[1:])
    return rules, variables, frozenset(exported)


def differences(ours: str, theirs: str) -> list[str]:
    """What the shared targets and variables of two Makefiles do differently, one message each."""
    (our_rules, our_vars, our_exports), (their_rules, their_vars, their_exports) = blocks(ours), blocks(theirs)
    found = []
    for kind, names, mine, other in (("target", SHARED_TARGETS, our_rules, their_rules),
                                     ("variable", SHARED_VARIABLES, our_vars, their_vars)):
        for name in names:
            if name not in mine or name not in other:
                found.append(f"{kind} {name}: missing from {'ours' if name not in mine else 'the scaffold'}")
            elif mine[name] != other[name]:
                diff = difflib.unified_diff(mine[name].splitlines(), other[name].splitlines(), "ours", "scaffold",
                                            lineterm="", n=0)
                found.append(f"{kind} {name} differs:\n" + "\n".join(diff))
    if our_exports != their_exports - SCAFFOLD_ONLY_EXPORTS:
        found.append(f"export differs: only ours {sorted(our_exports - their_exports)}, "
                     f"only the scaffold's {sorted(their_exports - our_exports - SCAFFOLD_ONLY_EXPORTS)}")
    return found


def test_scaffold_makefile_deploys_like_ours(scaffold: Path) -> None:
    ours = (REPO / "Makefile").read_text(encoding="utf-8")
    theirs = (scaffold / "Makefile").read_text(encoding="utf-8")
    problems = differences(ours, theirs)
    assert not problems, ("Makefile and the scaffold's (talkbuild/init_template/Makefile) must deploy alike; fix "
                          "both:\n" + "\n".join(problems))


def test_a_drifted_recipe_or_prelude_is_named() -> None:
    """The comparison sees what it is for: one changed line in a recipe, a lost target, a changed prelude."""
    ours = (REPO / "Makefile").read_text(encoding="utf-8")
    assert differences(ours, ours) == []
    behind = ours.replace("the commit just published\" >&2; exit 0", "the commit just published\" >&2; exit 1")
    assert [p.splitlines()[0] for p in differences(ours, behind)] == ["target deploy-behind differs:"]
    assert "exit 1" in differences(ours, behind)[0]
    no_prune = re.sub(r"(?m)^prune:.*\n(\t.*\n)*", "", ours)
    assert differences(ours, no_prune) == ["target prune: missing from the scaffold"]
    summary = ours.replace("tail -n 1", "tail -n 2")
    assert [p.splitlines()[0] for p in differences(ours, summary)] == ["variable SUMMARISED differs:"]
