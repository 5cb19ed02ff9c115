"""Publish a built site as an immutable, content-addressed release and switch one pointer to it.

The CLI calls these; each long operation yields events (talkbuild.publish.events) for it to render.
"""

from __future__ import annotations

from .catalog import ReleaseInfo
from .events import Done, Event
from .manifest import BuildInfo, FileEntry, Manifest, build_info, build_manifest
from .operations import Target, VerifyFailed, releases, rollback, verify
from .pruning import prune
from .release import PublishConflict, publish_site
from .stores.base import LIVE

__all__ = [
    "LIVE", "BuildInfo", "Done", "Event", "FileEntry", "Manifest", "PublishConflict", "ReleaseInfo", "Target",
    "VerifyFailed", "build_info", "build_manifest", "prune", "publish_site", "releases", "rollback", "verify",
]
