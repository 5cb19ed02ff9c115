"""Helpers shared by the test suites."""

from __future__ import annotations

import os

import pytest


def require(condition: object, reason: str) -> None:
    """Skip when a needed tool is missing; under CI=true a missing tool is a failure, never a skip."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)
