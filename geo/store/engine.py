"""Engines, connections and transactions of the status store, and the one translation of
database errors into ``StoreError``.

``StoreBase`` opens every connection through ``_connection`` (reads and writes alike, connecting
included); ``open_store`` in ``geo.store.status`` builds the engine here and upgrades the schema.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any, Self, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import ConnectionPoolEntry

from geo.errors import StoreBusy, StoreError
from geo.store.records import PLAN_START
from geo.store.schema import MIGRATIONS, SCHEMA_HEAD

#: How long one SQLite connection waits for another writer's lock before giving up (seconds).
SQLITE_BUSY_TIMEOUT_S = 10.0
#: How often a whole transaction is retried when the database stays locked or a PostgreSQL
#: serialization failure or deadlock aborts it.
BUSY_RETRIES = 5

# pg_advisory_xact_lock key serialising schema upgrades and seeding across processes ("geo\0").
_SCHEMA_LOCK_KEY = 0x67656F00
_T = TypeVar("_T")
_LOG = logging.getLogger(__name__)


class StoreBase:
    """An engine and the way every store method reaches it; ``geo.store.Store`` adds the methods."""

    def __init__(self, engine: Engine, *, plan_start: date = PLAN_START) -> None:
        self._engine = engine
        # Writes on SQLite begin with BEGIN IMMEDIATE (see _sqlite_on_begin).
        self._write_engine = engine.execution_options(geo_write=True)
        self.plan_start = plan_start

    @property
    def url(self) -> str:
        """The database URL with any password masked, for messages."""
        return safe_url(self._engine.url)

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _connection(self, *, write: bool) -> Iterator[Connection]:
        """The one way to the database: a write transaction (BEGIN IMMEDIATE on SQLite) or a read.

        Connecting happens inside the translation too, so a database that went away after the
        store was opened gives a StoreError for reads and writes alike.
        """
        with translated_errors(self._engine.url):
            if write:
                with self._write_engine.begin() as conn:
                    yield conn
            else:
                with self._engine.connect() as conn:
                    yield conn

    def _write(self, work: Callable[[Connection], _T]) -> _T:
        def attempt() -> _T:
            with self._connection(write=True) as conn:
                return work(conn)
        return self._retrying(attempt)

    def _read(self, work: Callable[[Connection], _T]) -> _T:
        def attempt() -> _T:
            with self._connection(write=False) as conn:
                return work(conn)
        return self._retrying(attempt)

    def _retrying(self, attempt: Callable[[], _T]) -> _T:
        """Run ``attempt`` again, after a short random pause, while the database is busy."""
        for n in range(BUSY_RETRIES):
            try:
                return attempt()
            except StoreBusy:
                if n == BUSY_RETRIES - 1:
                    raise
                time.sleep(random.uniform(0.01, 0.05) * 2 ** n)
        raise AssertionError("unreachable")  # pragma: no cover


def engine_for(url: str, *, sqlite_busy_timeout: float, create: bool = False) -> Engine:
    """The engine of ``url``; a SQLite file is created only on its first start or with ``create``.

    A SQLite store leaves a marker beside its file (``.status.sqlite3.store``) when it is created
    or first opened. A missing file with a marker is a store that was removed: a StoreError
    (``store_missing``) unless ``create`` (``python -m geo store init``) asks for an empty one.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise StoreError(f"not a database URL: {url!r}", code="store_bad_url") from err
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed, busy_timeout=sqlite_busy_timeout, create=create)
        if parsed.get_backend_name() == "postgresql":
            # pre_ping: a server restart or a dropped idle connection costs a reconnect, not an error.
            return sa.create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10,
                                    pool_timeout=10, pool_recycle=1800,
                                    connect_args={"connect_timeout": 5, "application_name": "geo status store"})
        return sa.create_engine(parsed, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as err:
        raise StoreError(f"no database driver for {safe_url(parsed)}: {err}", code="store_no_driver") from err


def _sqlite_engine(url: sa.URL, *, busy_timeout: float, create: bool) -> Engine:
    path = url.database or ""
    if path in ("", ":memory:") or "mode=memory" in path:
        # Each pooled connection would get a database of its own, unseen by the others.
        raise StoreError("an in-memory SQLite database cannot hold the status store; give a file path",
                         code="store_in_memory")
    if not path.startswith("file:"):
        _sqlite_file_ready(Path(path), create=create)
    # pysqlite's timeout is SQLite's busy timeout: how long a statement waits for a lock.
    engine = sa.create_engine(url, connect_args={"timeout": busy_timeout})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    if path and not path.startswith("file:"):
        event.listen(engine, "do_connect", partial(_sqlite_do_connect, Path(path)))
        event.listen(engine, "connect", partial(_sqlite_remember_file, Path(path)))
        event.listen(engine, "checkout", partial(_sqlite_on_checkout, Path(path)))
    return engine


def _sqlite_file_ready(path: Path, *, create: bool) -> None:
    """Make sure the file exists, creating it only on the store's first start or when asked."""
    marker = sqlite_marker(path)
    if path.exists():
        if not marker.exists():  # a store made before markers, or restored from a backup: adopt it
            _write_marker(marker, path)
        return
    if marker.exists() and not create:
        raise _missing(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(path)) as conn:  # the one place a store file is created
            conn.execute("PRAGMA journal_mode = WAL")
    except (OSError, sqlite3.Error) as err:
        raise StoreError(f"cannot create the status database {str(path)!r}: {err}", code="store_folder") from err
    _write_marker(marker, path)
    _LOG.warning("created an empty status database at %s", path)


def sqlite_marker(path: Path) -> Path:
    """The file that says a SQLite store was created at ``path`` (hidden, beside it)."""
    return path.with_name(f".{path.name}.store")


def _write_marker(marker: Path, path: Path) -> None:
    try:
        marker.write_text(f"status store {path.name} since {datetime.now(UTC).isoformat()}\n", "utf-8")
    except OSError as err:
        raise StoreError(f"cannot write the store marker {str(marker)!r}: {err}", code="store_folder") from err


def _missing(path: Path) -> StoreError:
    _LOG.error("the status database %s is missing although a store was created there (%s); "
               "restore it from a backup, or start an empty one with `python -m geo store init`",
               path, sqlite_marker(path))
    return StoreError(f"the status database {str(path)!r} is missing; restore it from a backup, "
                      "or start an empty one with `python -m geo store init`", code="store_missing")


def _sqlite_do_connect(path: Path, dialect: sa.Dialect, record: ConnectionPoolEntry,
                       cargs: list[Any], cparams: dict[str, Any]) -> DBAPIConnection | None:
    # The file is opened read-write, never created (open_store did that): a database file that
    # was removed is reported as missing instead of being replaced by an empty one.
    cargs[:] = [f"{path.absolute().as_uri()}?mode=rw"]
    cparams["uri"] = True
    return None


def _sqlite_remember_file(path: Path, dbapi_conn: DBAPIConnection, record: ConnectionPoolEntry) -> None:
    record.info["geo_file"] = _file_identity(path)


def _sqlite_on_checkout(path: Path, dbapi_conn: DBAPIConnection, record: ConnectionPoolEntry,
                        proxy: object) -> None:
    # An open SQLite connection keeps using its file after the file was moved, removed or
    # replaced (by a restore from backup): such a connection is dropped and a new one opened,
    # which fails while the file is gone.
    if _file_identity(path) != record.info.get("geo_file"):
        raise sa.exc.DisconnectionError(f"the database file {str(path)!r} was moved, removed or replaced")


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _sqlite_on_connect(dbapi_conn: DBAPIConnection, record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself: pysqlite would otherwise defer it to
    # the first write and commit before DDL, breaking read-then-write transactions.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    # FULL: an acknowledged commit survives a power cut too, not only a killed process.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    # A write transaction takes the write lock up front: a deferred one that read first could
    # not upgrade its lock after another writer committed (SQLITE_BUSY without waiting).
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("geo_write") else "BEGIN")


@contextmanager
def translated_errors(url: sa.URL) -> Iterator[None]:
    """Turn a database error, or an exhausted connection pool, into a StoreError naming ``url``."""
    try:
        yield
    except DBAPIError as err:
        raise _store_error(err, url) from err
    except sa.exc.TimeoutError as err:
        raise _pool_exhausted(err, url) from err


def upgrade(engine: Engine) -> None:
    with translated_errors(engine.url):
        with engine.connect() as conn:
            if _schema_revision(conn) == SCHEMA_HEAD:
                return
        with engine.execution_options(geo_write=True).begin() as conn:
            lock_schema(conn)
            # Checked again under the lock: the processes that waited find the work done.
            if _schema_revision(conn) != SCHEMA_HEAD:
                _run_migrations(conn)


def _run_migrations(conn: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = conn
    command.upgrade(config, "head")


def _schema_revision(conn: Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    return None if revision is None else str(revision)


def lock_schema(conn: Connection) -> None:
    """Serialise schema upgrades and seeding across processes (SQLite: BEGIN IMMEDIATE did)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})


def _store_error(err: DBAPIError, url: sa.URL) -> StoreError:
    reason = (str(err.orig).strip().splitlines() or [type(err.orig).__name__])[0]
    path = Path(url.database or "") if url.get_backend_name() == "sqlite" else None
    if path is not None and path.parent.is_dir() and not path.exists() and sqlite_marker(path).exists():
        return _missing(path)  # the file alone was removed; the disk is there
    if _is_busy(err):
        return StoreBusy(f"the status database {safe_url(url)} is busy: {reason}; try again", code="store_busy")
    if isinstance(err, (sa.exc.OperationalError, sa.exc.InterfaceError)):
        return StoreError(f"cannot reach the status database {safe_url(url)}: {reason}", code="store_unreachable")
    return StoreError(f"the status database {safe_url(url)} refused the operation: {reason}",
                      code="store_refused")


def _pool_exhausted(err: sa.exc.TimeoutError, url: sa.URL) -> StoreBusy:
    return StoreBusy(f"every connection to the status database {safe_url(url)} is in use; try again",
                     code="store_pool_exhausted")


def _is_busy(err: DBAPIError) -> bool:
    if isinstance(err.orig, sqlite3.OperationalError):
        text = str(err.orig).lower()
        return "locked" in text or "busy" in text
    # PostgreSQL serialization failure and deadlock: the transaction may simply be run again.
    # A unique violation too: two transactions inserted the same new row (a first failed
    # sign-in of a name, a new account); run again, the loser takes the "row exists" branch.
    return getattr(err.orig, "sqlstate", None) in {"40001", "40P01", "23505"}


def safe_url(url: sa.URL) -> str:
    return url.render_as_string(hide_password=True)
