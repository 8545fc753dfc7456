"""The machine a run measured: cores, memory, CPU, Python, the libraries that matter, the browser."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from importlib import metadata

#: Distributions whose versions decide the figures.
LIBRARIES = ("geopandas", "shapely", "pandas", "numpy", "pyproj", "folium", "branca", "streamlit",
             "streamlit-folium", "SQLAlchemy", "psycopg", "alembic", "playwright", "matplotlib",
             "mapclassify")


def machine_facts(*, postgres_url: str | None = None, chromium: str = "/usr/bin/chromium") -> dict[str, str]:
    """Name → value, in the order the report prints them."""
    facts = {
        "code": _commit(),
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": _memory(),
        "os": platform.platform(),
        "python": platform.python_version(),
    }
    facts.update({name: _version(name) for name in LIBRARIES})
    facts["sqlite"] = sqlite3.sqlite_version
    facts["postgresql"] = _postgres_version(postgres_url) if postgres_url else "not measured"
    facts["chromium"] = _command_output([chromium, "--version"]) or "unknown"
    return facts


def _commit() -> str:
    """The commit measured, and whether the work tree's code differed from it."""
    from geo import settings

    head = _command_output(["git", "-C", str(settings.ROOT), "rev-parse", "--short", "HEAD"])
    # The benchmark's own outputs (results.json, the README's table) are not code: a run that has
    # just written them measured the commit as it is.
    changed = _command_output(["git", "-C", str(settings.ROOT), "status", "--porcelain", "--",
                               "geo", "app.py", "ui", "bench", ":!bench/results.json", ":!bench/README.md"])
    return f"{head} (with uncommitted changes)" if changed not in ("", "unknown", "not found") else head


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 ** 2:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _postgres_version(url: str) -> str:
    try:
        import sqlalchemy as sa

        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                return str(conn.exec_driver_sql("SHOW server_version").scalar())
        finally:
            engine.dispose()
    except Exception as err:  # noqa: BLE001 - a fact for the report, not a failure of the run
        return f"unreachable ({type(err).__name__})"


def _command_output(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "not found"
