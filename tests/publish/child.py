"""Run one publish in a child process, printing each event as a JSON line (crash and race tests)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from talkbuild.publish import BuildInfo, publish_site


def main() -> None:
    site, target, project, endpoint, channel, commit = sys.argv[1:7]
    options = json.loads(sys.argv[7]) if len(sys.argv) > 7 else {}
    for event in publish_site(Path(site), target, channel=channel, project_root=Path(project),
                              endpoint_url=endpoint or None, build=BuildInfo(commit=commit or None, actor="child"),
                              store_options=options, jobs=4):
        print(json.dumps(event.to_dict()), flush=True)


if __name__ == "__main__":
    main()
