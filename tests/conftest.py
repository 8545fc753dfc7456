"""Shared fixtures: the real plan, a tiny plan, a throw-away SQLite URL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures import postgres_schema_url

from bench.harness import CHROMIUM
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
    from geo.pipeline.gazetteer import load_gazetteer

    return load_gazetteer()


@pytest.fixture(scope="session")
def finder(gazetteer):  # type: ignore[no-untyped-def]
    """Partner-province recogniser over the real gazetteer."""
    from geo.pipeline.partners import PartnerFinder

    return PartnerFinder(gazetteer)


@pytest.fixture(scope="session")
def plan_2014(plan_path: Path):  # type: ignore[no-untyped-def]
    """The parsed 2014 plan."""
    from geo.pipeline.plan import plan_from_text
    from geo.pipeline.text import read_plan

    return plan_from_text(read_plan(plan_path))


@pytest.fixture(scope="session")
def built_2014(plan_path: Path):  # type: ignore[no-untyped-def]
    """The 2014 plan run through every stage (in memory)."""
    from geo.pipeline.build import build_features

    return build_features(plan_path)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a throw-away PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'status.sqlite3'}"
        return
    yield from postgres_schema_url()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in ``tests/browser/`` drives Chromium: marked ``browser``, skipped without it."""
    browser_dir = Path(__file__).resolve().parent / "browser"
    missing = not Path(CHROMIUM).exists()
    for item in items:
        if item.path.is_relative_to(browser_dir):
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(pytest.mark.skip(reason=f"Debian's chromium is not installed at {CHROMIUM}"))
