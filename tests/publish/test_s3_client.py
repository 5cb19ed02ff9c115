"""Pieces of the S3 client that replace botocore defaults for speed must answer exactly as botocore does."""

from __future__ import annotations

import pytest
from botocore.utils import parse_timestamp

from talkbuild.publish.stores.s3 import _timestamp


@pytest.mark.parametrize("value", ["2026-11-29T22:15:49.123Z", "2026-11-29T22:15:49Z", "2026-11-29T22:15:49.123456+00:00",
                                   "2026-11-29T23:15:49+01:00", "Sun, 29 Nov 2026 22:15:49 GMT", "1700000000"])
def test_timestamps_are_read_as_botocore_reads_them(value: str) -> None:
    ours, theirs = _timestamp(value), parse_timestamp(value)
    assert ours == theirs and ours.tzinfo is not None

