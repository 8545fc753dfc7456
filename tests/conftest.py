"""Shared fixtures: the real plan, a tiny plan, a throw-away SQLite URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo import settings

REPO = settings.ROOT


@pytest.fixture(scope="session")
def plan_path() -> Path:
    """The 2014 plan exactly as received (damaged copy)."""
    return settings.DEFAULT_PLAN


@pytest.fixture()
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database file for one test."""
    return f"sqlite:///{tmp_path / 'status.sqlite3'}"
