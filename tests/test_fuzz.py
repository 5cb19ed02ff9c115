"""Property: any bytes in a talk file either parse into a Talk or raise a user error, never anything else."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talkbuild.errors import TalkbuildError
from talkbuild.links import SiteMap
from talkbuild.models import SourceFile, Talk
from talkbuild.parse import parse_talk

PIECES = st.sampled_from([
    "---\n", "title: T\n", "date: 2016-02-30\n", "date: 18 May 2016\n", "author: [a, b]\n", "duration: x\n",
    "## Slide\n", "Section\n=======\n", "Slide\n-----\n", "\n", ". . .\n", "::: notes\n", ":::\n",
    "::: incremental\n", "- item\n", "```python\n", "```\n", "$x^2$", "$$\\frac{1}{$$\n", "[l](a.md#x)",
    "![i](../../x.png)", "<img src='y.png'>", "| a | b |\n|---|---|\n", "[^1]\n\n[^1]: n\n", "{#id .c}",
    "% Title\n", "\ufeff", "\r\n", "\x00", "\xe9", "*", "`", "<div>", "***\n",
])


def talk_from(data: bytes) -> Talk:
    with tempfile.TemporaryDirectory() as tmp:
        talks = Path(tmp) / "talks"
        talks.mkdir()
        path = talks / "t.md"
        path.write_bytes(data)
        return parse_talk(SourceFile(path, "t.md", "t"), Path(tmp), SiteMap(talks.resolve(), {"t.md": "t"}))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=30), st.text(max_size=50))
def test_structured_noise_builds_or_raises_a_user_error(pieces: list[str], tail: str) -> None:
    data = ("".join(pieces) + tail).encode("utf-8", "surrogatepass")
    try:
        talk = talk_from(data)
    except TalkbuildError as exc:
        assert exc.location is not None and exc.location.path == "talks/t.md"
        return
    assert talk.slides[0].kind == "title"
    assert len({s.id for s in talk.slides}) == len(talk.slides), "slide ids are unique"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_build_or_raise_a_user_error(data: bytes) -> None:
    try:
        talk_from(b"---\ntitle: T\n---\n" + data)
    except TalkbuildError as exc:
        assert exc.location is not None
