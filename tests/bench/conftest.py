"""The benchmark package lives at the repository root (bench/), beside talkbuild/."""

from __future__ import annotations

import sys

from support import REPO

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
