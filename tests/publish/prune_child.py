"""Run one `prune --keep 1` in a child process, printing each event as a JSON line (killed-prune tests)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from talkbuild.publish import Target, prune


def main() -> None:
    target, project, endpoint = sys.argv[1:4]
    options = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
    for event in prune(Target(target, Path(project), endpoint or None, store_options=tuple(options.items())),
                       keep=1):
        print(json.dumps(event.to_dict()), flush=True)


if __name__ == "__main__":
    main()
