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


@pytest.fixture(scope="session")
def gazetteer():  # type: ignore[no-untyped-def]
    """The real gazetteer (package table + curated files)."""
    from geo.gazetteer import load_gazetteer

    return load_gazetteer()


@pytest.fixture(scope="session")
def finder(gazetteer):  # type: ignore[no-untyped-def]
    """Partner-province recogniser over the real gazetteer."""
    from geo.partners import PartnerFinder

    return PartnerFinder(gazetteer)


@pytest.fixture(scope="session")
def plan_2014(plan_path: Path):  # type: ignore[no-untyped-def]
    """The parsed 2014 plan."""
    from geo.plan import plan_from_text
    from geo.text import read_plan

    return plan_from_text(read_plan(plan_path))


@pytest.fixture(scope="session")
def built_2014(plan_path: Path):  # type: ignore[no-untyped-def]
    """The 2014 plan run through every stage (in memory)."""
    from geo.build import build_features

    return build_features(plan_path)
