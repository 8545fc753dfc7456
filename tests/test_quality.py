"""The code stays typed and linted: mypy --strict and ruff, with the settings in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys

import pytest

from geo import settings

CHECKED = ["geo", "ui", "app.py", "bench"]


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "mypy", *CHECKED],
        [sys.executable, "-m", "ruff", "check", *CHECKED, "bench", "tests"],
    ],
    ids=["mypy", "ruff"],
)
def test_static_checks_pass(command: list[str]) -> None:
    done = subprocess.run(command, cwd=settings.ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
