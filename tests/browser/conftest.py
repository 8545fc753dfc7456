"""The browser tests' fixture: one headless Chromium per module (the harness's definition).

Every test in this folder is marked ``browser`` and skipped without Chromium by the root
``conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bench.harness import browser_session


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    pytest.importorskip("playwright.sync_api")
    with browser_session() as chromium:
        yield chromium
