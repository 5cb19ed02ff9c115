"""The tools people would use instead, installed beside the benchmark (bench/.peers/, git-ignored), never
into the test environment: `python -m bench.peers install`. A peer that is missing is skipped and reported."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PEERS_DIR = Path(__file__).resolve().parent / ".peers"
NPM_PREFIX = PEERS_DIR / "npm"
VENV = PEERS_DIR / "venv"
NPM_PACKAGES = ("@marp-team/marp-cli", "linkinator")
PIP_PACKAGES = ("linkchecker", "awscli")


@dataclass(frozen=True)
class Peer:
    name: str
    path: str | None
    version: str
    how: str
    """How to install it, for the report when it is missing."""

    @property
    def found(self) -> bool:
        return self.path is not None


def _version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    lines = [line for line in (out.stdout + out.stderr).splitlines() if line.strip() and "WARNING" not in line]
    return lines[0].strip() if lines else "?"


def _exe(path: Path) -> str | None:
    return str(path) if path.exists() and os.access(path, os.X_OK) else None


def find() -> dict[str, Peer]:
    """Every peer, found or not, with its version."""
    bin_npm, bin_venv = NPM_PREFIX / "node_modules" / ".bin", VENV / "bin"
    paths = {
        "pandoc": (shutil.which("pandoc"), "apt-get install -y pandoc"),
        "marp": (_exe(bin_npm / "marp"), f"npm install --prefix {NPM_PREFIX} @marp-team/marp-cli"),
        "linkinator": (_exe(bin_npm / "linkinator"), f"npm install --prefix {NPM_PREFIX} linkinator"),
        "linkchecker": (_exe(bin_venv / "linkchecker"), f"{bin_venv}/pip install linkchecker"),
        "aws": (_exe(bin_venv / "aws"), f"{bin_venv}/pip install awscli"),
        "chromium": (shutil.which("chromium"), "apt-get install -y chromium"),
    }
    peers = {}
    for name, (path, how) in paths.items():
        version = _version([path, "--version"]) if path else ""
        peers[name] = Peer(name, path, version, how)
    return peers


def install() -> None:
    """Install every peer that is missing; a failure is reported, never fatal (the bench skips that peer)."""
    peers = find()
    steps: list[tuple[str, list[str]]] = []
    if not peers["pandoc"].found and shutil.which("apt-get") and os.geteuid() == 0:
        steps.append(("pandoc", ["apt-get", "install", "-y", "-qq", "pandoc"]))
    if shutil.which("npm") and not (peers["marp"].found and peers["linkinator"].found):
        steps.append(("npm peers", ["npm", "install", "--prefix", str(NPM_PREFIX), "--no-audit", "--no-fund",
                                    "--loglevel=error", *NPM_PACKAGES]))
    if not (peers["linkchecker"].found and peers["aws"].found):
        if not (VENV / "bin" / "python").exists():
            steps.append(("venv", [sys.executable, "-m", "venv", str(VENV)]))
        steps.append(("pip peers", [str(VENV / "bin" / "pip"), "install", "-q", *PIP_PACKAGES]))
    PEERS_DIR.mkdir(exist_ok=True)
    for label, argv in steps:
        print(f"bench: installing {label}: {' '.join(argv)}", file=sys.stderr)
        if subprocess.run(argv).returncode != 0:
            print(f"bench: installing {label} failed; those peers will be skipped", file=sys.stderr)
    for peer in find().values():
        print(f"bench: {peer.name:12} {peer.version if peer.found else 'missing (' + peer.how + ')'}", file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1:] == ["install"]:
        install()
    else:
        for p in find().values():
            print(f"{p.name:12} {p.path or '-'}  {p.version}")
