"""Where the `talkbuild` command starts: before anything else is imported, so that Ctrl-C during start-up
(importing click, Jinja2, ... takes ~0.1 s) ends with the same one line as Ctrl-C later, not a traceback."""

from __future__ import annotations

import sys


def run() -> None:
    """The `talkbuild` command (and `python -m talkbuild`): `cli.run`, once it is imported."""
    try:
        from .cli import run as command
    except KeyboardInterrupt:
        print("talkbuild: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    command()
