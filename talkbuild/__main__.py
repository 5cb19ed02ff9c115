"""`python -m talkbuild`: the same command as `talkbuild`, through entry.run (so it re-starts in UTF-8 mode too)."""

from __future__ import annotations

from .entry import run

if __name__ == "__main__":  # pragma: no branch - runpy runs this module as __main__
    run()
