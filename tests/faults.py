"""Faults on demand for the tests: a PostgreSQL server of the test's own that it can stop, and a
SQLite database whose folder it can take away.

The shared server on 5432 is never stopped: other test runs use it. ``private_postgres`` runs
a throw-away cluster (``initdb`` into a temporary folder, ``pg_ctl`` on a free port) from the
PostgreSQL binaries of the machine, as the ``postgres`` user when the tests run as root (CI).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class PrivateServer:
    """A running throw-away PostgreSQL cluster: ``url`` reaches its ``postgres`` database."""

    bindir: Path
    data: Path
    port: int
    user: str | None  # whom to run pg_ctl as (None: the current user)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg_ctl("-o", options, "-l", str(self.data.parent / "server.log"), "-w", "-t", "60", "start")

    def stop(self) -> None:
        """Stop at once, as a crash or a pulled cable would: live connections are cut."""
        self._pg_ctl("-m", "immediate", "-w", "stop")

    def running(self) -> bool:
        return subprocess.run(self._as_user(str(self.bindir / "pg_ctl"), "-D", str(self.data), "status"),
                              capture_output=True).returncode == 0

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(self._as_user(str(self.bindir / "pg_ctl"), "-D", str(self.data), *args),
                       check=True, capture_output=True, timeout=120)

    def _as_user(self, *command: str) -> list[str]:
        return ["runuser", "-u", self.user, "--", *command] if self.user else list(command)


@contextmanager
def private_postgres() -> Iterator[PrivateServer]:
    """A fresh PostgreSQL cluster on a free port, stopped and removed afterwards.

    Skips the test when no ``initdb`` is installed, or when running as root without a
    ``postgres`` user to run it as.
    """
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql or on PATH")
    user = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run a private server as")
        user = "postgres"
    # Not under pytest's tmp_path: as root that lies in a folder the postgres user cannot enter.
    base = Path(tempfile.mkdtemp(prefix="geo-test-pg-"))
    if user:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    server = PrivateServer(bindir, base / "data", free_port(), user)
    try:
        subprocess.run(server._as_user(str(bindir / "initdb"), "-D", str(server.data), "-A", "trust",
                                        "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"),
                       check=True, capture_output=True, timeout=120)
        server.start()
        yield server
    finally:
        if server.data.exists() and server.running():
            server.stop()
        shutil.rmtree(base, ignore_errors=True)


def postgres_bindir() -> Path | None:
    """The folder of the newest installed ``initdb`` and ``pg_ctl``, or None."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _version(p.parent.name))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.insert(0, Path(on_path).parent)
    usable = [c for c in candidates if (c / "initdb").exists() and (c / "pg_ctl").exists()]
    return usable[-1] if usable else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def folder_taken_away(folder: Path) -> Iterator[None]:
    """Rename ``folder`` (the disk went away, or someone moved the data) and put it back afterwards.

    Renaming, unlike chmod, also locks out root, as CI runs.
    """
    hidden = folder.with_name(folder.name + "-gone")
    folder.rename(hidden)
    try:
        yield
    finally:
        hidden.rename(folder)


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())
