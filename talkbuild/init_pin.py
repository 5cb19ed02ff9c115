"""The requirements.txt line that installs, in a new talks repository, the talkbuild running `init`.

PEP 610: pip records how a distribution was installed in direct_url.json. Without that file talkbuild came
from an index or a --find-links folder; it is not on PyPI, so the `talkbuild==X` pin works nowhere else (and
the name could be registered there by anyone): init says so loudly and writes a comment above the line.
"""

from __future__ import annotations

import json
import subprocess
import urllib.parse
import urllib.request
from typing import Any

GIT_LINE = "talkbuild @ git+https://HOST/OWNER/talkbuild@COMMIT"


def requirement_for(direct_url_json: str | None, version: str) -> tuple[str, str | None]:
    """(requirements.txt line, a warning or None) for talkbuild installed as direct_url.json says."""
    data: Any = json.loads(direct_url_json) if direct_url_json else {}
    url = str(data.get("url", "")) if isinstance(data, dict) else ""
    if not url:
        return f"talkbuild=={version}", (
            f"requirements.txt pins talkbuild=={version}, but talkbuild is not on PyPI: that line installs "
            "nothing on another machine or in CI (and would install whatever anyone registers under the name). "
            f"Replace it with '{GIT_LINE}' (the repository you got talkbuild from, at a commit) or with "
            "'talkbuild @ https://HOST/talkbuild-VERSION-py3-none-any.whl#sha256=HASH' (a wheel you host)")
    subdirectory = data.get("subdirectory")
    vcs = data.get("vcs_info")
    extras: list[str] = []
    if isinstance(vcs, dict) and vcs.get("vcs"):
        ref = vcs.get("commit_id") or vcs.get("requested_revision")
        line = f"talkbuild @ {vcs['vcs']}+{url}" + (f"@{ref}" if ref else "")
    else:
        archive = data.get("archive_info")
        if isinstance(archive, dict):
            hashes = archive.get("hashes")
            if isinstance(hashes, dict) and hashes:
                name, value = sorted(hashes.items())[0]
                extras.append(f"{name}={value}")
            elif isinstance(archive.get("hash"), str) and "=" in archive["hash"]:
                extras.append(archive["hash"])  # the legacy field: "sha256=HEX"
        line = f"talkbuild @ {url}"
    if isinstance(subdirectory, str) and subdirectory:
        extras.append(f"subdirectory={subdirectory}")
    if extras:
        line += "#" + "&".join(extras)
    if url.startswith(("ssh://", "git@")):
        return line, (f"requirements.txt installs talkbuild over SSH ({url}): CI can read it only with an SSH "
                      "key for that repository (a deploy key); if the repository is public, write git+https:// "
                      "instead")
    if not url.startswith("file:"):
        return line, None
    suggestion = _checkout_suggestion(url) if not isinstance(vcs, dict) else None
    return (line,
            f"requirements.txt installs talkbuild from {url}, which only this machine has: before CI can run, "
            f"replace that line with '{suggestion or GIT_LINE}' (the repository you got talkbuild from, at a "
            f"commit{', pushed' if suggestion else ''}), or talkbuild=={version} once it is on a package index")


def requirement_comment(line: str) -> str:
    """A comment for requirements.txt above a line that works on no other machine ('' when it works)."""
    if line.startswith("talkbuild=="):
        return ("# talkbuild is not on PyPI: this line works only where a --find-links folder or private index has\n"
                f"# it. For CI write instead: {GIT_LINE}\n")
    if "@ file:" in line or "+file:" in line:
        return f"# This path exists only on the machine that ran `talkbuild init`. For CI write: {GIT_LINE}\n"
    return ""


def _checkout_suggestion(url: str) -> str | None:
    """For an editable install from a git checkout (`pip install -e git+...` puts one in src/): its origin at
    its HEAD, as a git+ line, when origin is a URL CI could reach."""
    path = urllib.request.url2pathname(urllib.parse.urlsplit(url).path)

    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", "-C", path, *args], capture_output=True, text=True, timeout=10,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    remote, head = git("remote", "get-url", "origin"), git("rev-parse", "HEAD")
    if not remote or not head or not remote.startswith(("https://", "ssh://", "git@")):
        return None
    if remote.startswith("git@"):  # scp-like git@host:owner/repo -> ssh://git@host/owner/repo
        host, _, rest = remote.partition(":")
        remote = f"ssh://{host}/{rest}"
    return f"talkbuild @ git+{remote}@{head}"
