"""The status store: the current status of every project, its audited history, and accounts.

Takes a SQLAlchemy URL (``geo.settings.database_url()`` by default: a SQLite file under
``var/``; PostgreSQL for several app servers) and gives a ``Store``. The schema is created and
upgraded by the Alembic revisions in ``geo/migrations`` whenever a store is opened.

Every change is one transaction: a conditional ``UPDATE … WHERE version = :expected`` of the
current row plus its history row, so nothing is updated without its history and two editors
cannot overwrite each other (optimistic locking). There is no cache: every read goes to the
database, so several app servers see each other's writes at once.

This is the only module besides the layer writer that touches storage; ``geo.auth`` keeps the
password policy and calls the account methods here.
"""

from __future__ import annotations

import json
import math
import random
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Self, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import ConnectionPoolEntry

from geo import settings
from geo.errors import (
    AuthError,
    InvalidStatusChange,
    Problem,
    StatusConflict,
    StoreBusy,
    StoreError,
)
from geo.taxonomy import STATUS_CODES

#: First day an effective date may have: the plan's year starts.
PLAN_START: date = date(2014, 1, 1)
#: Longest progress note accepted, in characters.
MAX_NOTE = 2000
#: Longest source (document number, meeting, link) accepted, in characters.
MAX_SOURCE = 1000
#: Editor name recorded on the rows seeded from the plan; no account may take it.
PLAN_EDITOR = "plan"
#: "Today" for the future-date check is the date in Inner Mongolia (UTC+8, no daylight saving),
#: so that an editor entering today's date early in the morning is not told it is in the future.
LOCAL_TZ = settings.LOCAL_TZ
#: How long one SQLite connection waits for another writer's lock before giving up (seconds).
SQLITE_BUSY_TIMEOUT_S = 10.0
#: How often a whole transaction is retried when the database stays locked or a PostgreSQL
#: serialization failure or deadlock aborts it.
BUSY_RETRIES = 5

#: Note of the history row seeded from the plan.
SEED_NOTE = "baseline read from the plan's text"

#: The newest revision in ``geo/migrations/versions`` (a test checks they agree): a store that
#: is already there opens without importing Alembic or taking the schema lock.
SCHEMA_HEAD = "0001"
MIGRATIONS: Path = Path(__file__).resolve().parent / "migrations"
# pg_advisory_xact_lock key serialising schema upgrades and seeding across processes ("geo\0").
_SCHEMA_LOCK_KEY = 0x67656F00
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_REQUIRED = Problem("required", {}, "required")
_T = TypeVar("_T")


@dataclass(frozen=True)
class User:
    """A signed-in editor; ``agency`` limits them to that agency's projects (None: all)."""

    name: str
    agency: str | None = None


@dataclass(frozen=True)
class Baseline:
    """A project as the plan states it: the seed of its status history."""

    id: str
    status: str
    status_source: str = ""
    lead_agencies: tuple[str, ...] = ()
    cooperating_agencies: tuple[str, ...] = ()
    name_zh: str | None = None

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any]) -> Baseline:
        """Build a baseline from a layer feature's properties (a dict or a GeoDataFrame row)."""
        return cls(
            id=str(row["id"]),
            status=str(row["status"]),
            status_source=text_property(row.get("status_source")),
            lead_agencies=list_property(row.get("lead_agencies")),
            cooperating_agencies=list_property(row.get("cooperating_agencies")),
            name_zh=text_property(row.get("name_zh")) or None,
        )


@dataclass(frozen=True)
class StatusChange:
    """What an editor submits: the new status of one project, when it took effect, why, and the source."""

    project_id: str
    status: str
    effective_date: date
    note: str
    source: str


@dataclass(frozen=True)
class StatusRecord:
    """The current status of one project and who set it."""

    project_id: str
    status: str
    effective_date: date
    note: str
    source: str
    editor: str
    changed_at: datetime
    version: int


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a project's status; ``old_status`` is None for the row seeded from the plan."""

    id: int
    project_id: str
    old_status: str | None
    new_status: str
    effective_date: date
    note: str
    source: str
    editor: str
    changed_at: datetime
    version: int


class _UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Aware UTC datetimes in and out (SQLite keeps no offset; PostgreSQL keeps timestamptz)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# The tables as revision 0001 creates them (geo/migrations/versions); queries use these.
def _change_columns() -> list[sa.Column[Any]]:
    """What every status change records, in the current row and in its history row alike."""
    return [
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("editor", sa.String(100), nullable=False),
        sa.Column("changed_at", _UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


_metadata = sa.MetaData()
project_status = sa.Table(
    "project_status", _metadata,
    sa.Column("project_id", sa.String(200), primary_key=True),
    sa.Column("name_zh", sa.Text()),
    sa.Column("status", sa.String(40), nullable=False),
    *_change_columns(),
)
project_agency = sa.Table(
    "project_agency", _metadata,
    sa.Column("project_id", sa.String(200), sa.ForeignKey("project_status.project_id"), primary_key=True),
    sa.Column("agency", sa.String(200), primary_key=True),
    sa.Column("role", sa.String(20), primary_key=True),
)
status_history = sa.Table(
    "status_history", _metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("project_id", sa.String(200), sa.ForeignKey("project_status.project_id"), nullable=False),
    sa.Column("old_status", sa.String(40)),
    sa.Column("new_status", sa.String(40), nullable=False),
    *_change_columns(),
)
users = sa.Table(
    "users", _metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("password_hash", sa.Text(), nullable=False),
    sa.Column("agency", sa.String(200)),
    sa.Column("created_at", _UTCDateTime(), nullable=False),
)
login_failures = sa.Table(
    "login_failures", _metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("failed_count", sa.Integer(), nullable=False),
    sa.Column("last_failed_at", _UTCDateTime(), nullable=False),
    sa.Column("locked_until", _UTCDateTime()),
)


def open_store(url: str | None = None, *, plan_start: date = PLAN_START,
               sqlite_busy_timeout: float = SQLITE_BUSY_TIMEOUT_S) -> Store:
    """Connect to the status store at ``url`` and bring its schema to the latest revision.

    Parameters
    ----------
    url
        SQLAlchemy URL; ``geo.settings.database_url()`` when None. A SQLite file's folder is
        created if missing.
    plan_start
        Earliest effective date a change may carry (the first day of the plan's year).
    sqlite_busy_timeout
        Seconds a SQLite write waits for another writer's lock before it is retried.

    Returns
    -------
    Store
        Ready for reads and writes; safe to open from several processes at once.

    Raises
    ------
    StoreError
        The URL is malformed, the driver is missing, or the database cannot be reached.
    """
    url = url or settings.database_url()
    engine = _engine_for(url, sqlite_busy_timeout=sqlite_busy_timeout)
    store = Store(engine, plan_start=plan_start)
    try:
        store._retrying(lambda: _upgrade(engine))
    except BaseException:
        engine.dispose()
        raise
    return store


def list_property(value: object) -> tuple[str, ...]:
    """A list-valued layer property as a tuple of strings (readers may hand lists over as JSON text)."""
    if value is None or isinstance(value, float):  # missing, or NaN from a data frame
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]
    items: Iterable[object] = value if isinstance(value, Iterable) and not isinstance(value, str) else [value]
    return tuple(text for text in (str(v).strip() for v in items) if text)


def text_property(value: object) -> str:
    """A text layer property as a string: "" for a missing one (None, or NaN from a data frame)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


class Store:
    """The status store on one SQLAlchemy engine; see ``open_store``.

    Holds no project data in memory: each call reads or writes the database, so stores in
    several processes or servers on one database always agree.
    """

    def __init__(self, engine: Engine, *, plan_start: date = PLAN_START) -> None:
        self._engine = engine
        # Writes on SQLite begin with BEGIN IMMEDIATE (see _sqlite_on_begin).
        self._write_engine = engine.execution_options(geo_write=True)
        self.plan_start = plan_start

    @property
    def url(self) -> str:
        """The database URL with any password masked, for messages."""
        return _safe_url(self._engine.url)

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- projects ---------------------------------------------------------------------

    def seed(self, baselines: Iterable[Baseline | Mapping[str, Any]]) -> int:
        """Insert the projects the store does not know yet, with the plan's status as version 1.

        Existing projects keep their status and history (edits are never overwritten); their
        agencies are refreshed from the baseline, which is where agencies come from.

        Parameters
        ----------
        baselines
            ``Baseline`` objects or layer feature properties (mappings with ``id``, ``status``,
            ``status_source``, ``lead_agencies``, ``cooperating_agencies``, ``name_zh``).

        Returns
        -------
        int
            How many projects were inserted.

        Raises
        ------
        InvalidStatusChange
            A baseline has an empty or repeated id or a status outside the taxonomy.
        """
        items = [b if isinstance(b, Baseline) else Baseline.from_mapping(b) for b in baselines]
        _check_baselines(items)
        return self._write(lambda conn: self._seed(conn, items))

    def current(self, project_id: str) -> StatusRecord | None:
        """The current status of ``project_id``, or None for a project the store does not know."""
        query = sa.select(project_status).where(project_status.c.project_id == project_id)
        row = self._read(lambda conn: conn.execute(query).first())
        return None if row is None else _record(row)

    def current_all(self) -> dict[str, StatusRecord]:
        """The current status of every project, by project id."""
        rows = self._read(lambda conn: conn.execute(sa.select(project_status)).all())
        return {row.project_id: _record(row) for row in rows}

    def history(self, project_id: str) -> list[HistoryEntry]:
        """Every change of ``project_id``, oldest to newest (empty for an unknown project)."""
        query = (sa.select(status_history).where(status_history.c.project_id == project_id)
                 .order_by(status_history.c.version))
        return [_entry(row) for row in self._read(lambda conn: conn.execute(query).all())]

    def history_all(self) -> list[HistoryEntry]:
        """Every change of every project, by project and then oldest to newest."""
        query = sa.select(status_history).order_by(status_history.c.project_id, status_history.c.version)
        return [_entry(row) for row in self._read(lambda conn: conn.execute(query).all())]

    def agencies(self, project_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The lead and the cooperating agencies of ``project_id`` as seeded from the plan."""
        query = sa.select(project_agency.c.agency, project_agency.c.role).where(
            project_agency.c.project_id == project_id).order_by(project_agency.c.agency)
        rows = self._read(lambda conn: conn.execute(query).all())
        return (tuple(r.agency for r in rows if r.role == "lead"),
                tuple(r.agency for r in rows if r.role == "cooperating"))

    def known_agencies(self) -> set[str]:
        """Every agency named as lead or cooperating agency of a seeded project."""
        return set(self._read(lambda conn: conn.scalars(sa.select(project_agency.c.agency).distinct()).all()))

    def change_status(self, change: StatusChange, *, editor: User | None,
                      expected_version: int) -> StatusRecord:
        """Record a new status of one project, with its history row, if nobody changed it meanwhile.

        Parameters
        ----------
        change
            The project, new status, effective date, note and source.
        editor
            The signed-in editor. Their agency is read again from the accounts table, so a
            forged ``User`` cannot widen it.
        expected_version
            The version the editor saw when they loaded the project.

        Returns
        -------
        StatusRecord
            The new current status (version ``expected_version + 1``).

        Raises
        ------
        AuthError
            No editor, or the editor has no account.
        InvalidStatusChange
            Every problem found, by field (``project_id``, ``status``, ``effective_date``,
            ``note``, ``source``, ``editor``, ``expected_version``); nothing is written.
        StatusConflict
            Someone changed the project since ``expected_version``; the message says who,
            when and to what. Nothing is written.
        StoreError
            The database cannot be reached or stayed locked.
        """
        if editor is None or not getattr(editor, "name", ""):
            raise AuthError("sign in to change a project's status", code="sign_in_required")
        problems = _change_problems(change, expected_version, plan_start=self.plan_start,
                                    today=datetime.now(LOCAL_TZ).date())
        return self._write(lambda conn: self._change(conn, change, editor.name, expected_version, problems))

    # --- accounts (the policy lives in geo.auth) ---------------------------------------

    def insert_user(self, name: str, password_hash: str, *, agency: str | None) -> User:
        """Create an account from an already hashed password; AuthError when the name is taken."""
        def work(conn: Connection) -> User:
            if conn.execute(sa.select(users.c.name).where(users.c.name == name)).first():
                raise AuthError(f"user {name!r} already exists", code="user_exists", name=name)
            conn.execute(sa.insert(users).values(name=name, password_hash=password_hash,
                                                 agency=agency, created_at=_now()))
            return User(name, agency)
        return self._write(work)

    def user_credentials(self, name: str) -> tuple[User, str] | None:
        """The account named ``name`` and its password hash, or None."""
        query = sa.select(users).where(users.c.name == name)
        row = self._read(lambda conn: conn.execute(query).first())
        return None if row is None else (User(row.name, row.agency), row.password_hash)

    def set_password_hash(self, name: str, password_hash: str) -> None:
        """Replace the stored hash of ``name`` (after a rehash with stronger parameters)."""
        stmt = sa.update(users).where(users.c.name == name).values(password_hash=password_hash)
        self._write(lambda conn: conn.execute(stmt))

    def login_locked_until(self, name: str, *, now: datetime) -> datetime | None:
        """Until when sign-in as ``name`` is refused, or None when it is not."""
        query = sa.select(login_failures.c.locked_until).where(login_failures.c.name == name)
        until = self._read(lambda conn: conn.scalar(query))
        return until if until is not None and until > now else None

    def record_login_failure(self, name: str, *, now: datetime, window: timedelta,
                             lockout_for: Callable[[int], timedelta | None]) -> datetime | None:
        """Count a failed sign-in as ``name``; return until when it is now locked, if it is.

        Failures older than ``window`` are forgotten. ``lockout_for(count)`` gives the lock-out
        after ``count`` recent failures (None: no lock-out). Count and lock-out are updated in
        one transaction, so failures from several processes add up.
        """
        return self._write(lambda conn: _count_failure(conn, name, now, window, lockout_for))

    def clear_login_failures(self, name: str) -> None:
        """Forget the failed sign-ins of ``name`` (after a successful one)."""
        stmt = sa.delete(login_failures).where(login_failures.c.name == name)
        self._write(lambda conn: conn.execute(stmt))

    # --- transactions ------------------------------------------------------------------

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

    # --- the work inside a transaction ---------------------------------------------------

    def _seed(self, conn: Connection, items: list[Baseline]) -> int:
        _lock_schema(conn)
        known = set(conn.scalars(sa.select(project_status.c.project_id)))
        stored: dict[str, set[tuple[str, str]]] = {}
        for row in conn.execute(sa.select(project_agency)):
            stored.setdefault(row.project_id, set()).add((row.agency, row.role))
        new = [b for b in items if b.id not in known]
        now = _now()
        if new:
            conn.execute(sa.insert(project_status), [_seed_current(b, self.plan_start, now) for b in new])
            conn.execute(sa.insert(status_history), [_seed_history(b, self.plan_start, now) for b in new])
        for b in items:
            wanted = _agency_rows(b)
            if wanted != stored.get(b.id, set()):
                conn.execute(sa.delete(project_agency).where(project_agency.c.project_id == b.id))
                if wanted:
                    conn.execute(sa.insert(project_agency),
                                 [{"project_id": b.id, "agency": a, "role": r} for a, r in sorted(wanted)])
        return len(new)

    def _change(self, conn: Connection, change: StatusChange, editor_name: str,
                expected_version: int, problems: dict[str, Problem]) -> StatusRecord:
        problems = dict(problems)
        agency = _editor_agency(conn, editor_name)
        row = None
        if "project_id" not in problems:
            row = conn.execute(sa.select(project_status.c.status, project_status.c.version)
                               .where(project_status.c.project_id == change.project_id)).first()
            if row is None:
                problems["project_id"] = Problem("project_unknown", {"project_id": change.project_id},
                                                 f"unknown project {change.project_id!r}")
            elif agency is not None and agency not in _project_agencies(conn, change.project_id):
                problems["editor"] = Problem(
                    "editor_agency", {"agency": agency, "project_id": change.project_id},
                    f"{editor_name!r} edits for {agency}, which is neither lead nor "
                    f"cooperating agency of {change.project_id!r}")
        if problems:
            raise InvalidStatusChange(problems, code="status_invalid")
        assert row is not None
        if row.version != expected_version:
            raise _conflict(conn, change.project_id, expected_version)
        record = StatusRecord(change.project_id, change.status, _as_date(change.effective_date),
                              change.note.strip(), change.source.strip(), editor_name, _now(),
                              expected_version + 1)
        updated = conn.execute(
            sa.update(project_status)
            .where(project_status.c.project_id == change.project_id,
                   project_status.c.version == expected_version)
            .values(status=record.status, effective_date=record.effective_date, note=record.note,
                    source=record.source, editor=record.editor, changed_at=record.changed_at,
                    version=project_status.c.version + 1))
        if updated.rowcount != 1:
            raise _conflict(conn, change.project_id, expected_version)
        conn.execute(sa.insert(status_history).values(
            project_id=record.project_id, old_status=row.status, new_status=record.status,
            effective_date=record.effective_date, note=record.note, source=record.source,
            editor=record.editor, changed_at=record.changed_at, version=record.version))
        return record


# --- engine and schema -------------------------------------------------------------------


def _engine_for(url: str, *, sqlite_busy_timeout: float) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise StoreError(f"not a database URL: {url!r}", code="store_bad_url") from err
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed, busy_timeout=sqlite_busy_timeout)
        if parsed.get_backend_name() == "postgresql":
            # pre_ping: a server restart or a dropped idle connection costs a reconnect, not an error.
            return sa.create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10,
                                    pool_timeout=10, pool_recycle=1800,
                                    connect_args={"connect_timeout": 5, "application_name": "geo status store"})
        return sa.create_engine(parsed, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as err:
        raise StoreError(f"no database driver for {_safe_url(parsed)}: {err}", code="store_no_driver") from err


def _sqlite_engine(url: sa.URL, *, busy_timeout: float) -> Engine:
    path = url.database or ""
    if path in ("", ":memory:") or "mode=memory" in path:
        # Each pooled connection would get a database of its own, unseen by the others.
        raise StoreError("an in-memory SQLite database cannot hold the status store; give a file path",
                         code="store_in_memory")
    if path and path != ":memory:" and not path.startswith("file:"):
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"cannot create the folder of the status database {path!r}: {err}",
                             code="store_folder") from err
    # pysqlite's timeout is SQLite's busy timeout: how long a statement waits for a lock.
    engine = sa.create_engine(url, connect_args={"timeout": busy_timeout})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    if path and not path.startswith("file:"):
        event.listen(engine, "do_connect", partial(_sqlite_do_connect, Path(path)))
        event.listen(engine, "connect", partial(_sqlite_remember_file, Path(path)))
        event.listen(engine, "checkout", partial(_sqlite_on_checkout, Path(path)))
    return engine


def _sqlite_do_connect(path: Path, dialect: sa.Dialect, record: ConnectionPoolEntry,
                       cargs: list[Any], cparams: dict[str, Any]) -> DBAPIConnection | None:
    # Once the file exists it is opened read-write without "create": a database file that was
    # removed is reported as missing instead of being replaced by an empty one.
    if path.exists():
        cargs[:] = [f"{path.resolve().as_uri()}?mode=rw"]
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


def _upgrade(engine: Engine) -> None:
    with translated_errors(engine.url):
        with engine.connect() as conn:
            if _schema_revision(conn) == SCHEMA_HEAD:
                return
        with engine.execution_options(geo_write=True).begin() as conn:
            _lock_schema(conn)
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


def _lock_schema(conn: Connection) -> None:
    """Serialise schema upgrades and seeding across processes (SQLite: BEGIN IMMEDIATE did)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})


def _store_error(err: DBAPIError, url: sa.URL) -> StoreError:
    reason = (str(err.orig).strip().splitlines() or [type(err.orig).__name__])[0]
    if _is_busy(err):
        return StoreBusy(f"the status database {_safe_url(url)} is busy: {reason}; try again", code="store_busy")
    if isinstance(err, (sa.exc.OperationalError, sa.exc.InterfaceError)):
        return StoreError(f"cannot reach the status database {_safe_url(url)}: {reason}", code="store_unreachable")
    return StoreError(f"the status database {_safe_url(url)} refused the operation: {reason}",
                      code="store_refused")


def _pool_exhausted(err: sa.exc.TimeoutError, url: sa.URL) -> StoreBusy:
    return StoreBusy(f"every connection to the status database {_safe_url(url)} is in use; try again",
                     code="store_pool_exhausted")


def _is_busy(err: DBAPIError) -> bool:
    if isinstance(err.orig, sqlite3.OperationalError):
        text = str(err.orig).lower()
        return "locked" in text or "busy" in text
    # PostgreSQL serialization failure and deadlock: the transaction may simply be run again.
    # A unique violation too: two transactions inserted the same new row (a first failed
    # sign-in of a name, a new account); run again, the loser takes the "row exists" branch.
    return getattr(err.orig, "sqlstate", None) in {"40001", "40P01", "23505"}


def _safe_url(url: sa.URL) -> str:
    return url.render_as_string(hide_password=True)


# --- validation --------------------------------------------------------------------------


def _change_problems(change: StatusChange, expected_version: int, *, plan_start: date,
                     today: date) -> dict[str, Problem]:
    """Every problem of ``change`` that can be seen without the database, by field."""
    checks = {
        "project_id": _text_problem(change.project_id, limit=200),
        "status": _status_problem(change.status),
        "effective_date": _date_problem(change.effective_date, plan_start=plan_start, today=today),
        "note": _text_problem(change.note, limit=MAX_NOTE),
        "source": _text_problem(change.source, limit=MAX_SOURCE),
    }
    problems = {name: problem for name, problem in checks.items() if problem}
    if isinstance(expected_version, bool) or not isinstance(expected_version, int) or expected_version < 1:
        problems["expected_version"] = Problem("version_invalid", {"value": repr(expected_version)},
                                               f"expected a version number ≥ 1, got {expected_version!r}")
    return problems


def _text_problem(value: object, *, limit: int) -> Problem | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return _REQUIRED
    if not isinstance(value, str):
        return Problem("not_text", {"type": type(value).__name__}, f"must be text, got {type(value).__name__}")
    if len(value.strip()) > limit:
        length = len(value.strip())
        return Problem("too_long", {"length": length, "limit": limit}, f"{length:,} characters; at most {limit:,}")
    if _CONTROL.search(value):
        return Problem("control_chars", {}, "contains control characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return Problem("invalid_unicode", {}, "is not valid Unicode text")
    return None


def _status_problem(value: object) -> Problem | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return _REQUIRED
    if value not in STATUS_CODES:
        return Problem("status_unknown", {"value": str(value)},
                       f"{value!r} is not in the status taxonomy ({', '.join(STATUS_CODES)})")
    return None


def _date_problem(value: object, *, plan_start: date, today: date) -> Problem | None:
    if value is None or value == "":
        return _REQUIRED
    try:
        day = _as_date(value)
    except (TypeError, ValueError):
        return Problem("date_invalid", {"value": str(value)}, f"not a date (YYYY-MM-DD): {value!r}")
    if day < plan_start:
        return Problem("date_before_plan", {"date": day, "start": plan_start},
                       f"{day.isoformat()} is before the plan year (from {plan_start.isoformat()})")
    if day > today:
        return Problem("date_future", {"date": day, "today": today},
                       f"{day.isoformat()} is in the future (today is {today.isoformat()})")
    return None


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip())
    raise TypeError(f"not a date: {value!r}")


def _check_baselines(items: list[Baseline]) -> None:
    problems: dict[str, Problem] = {}
    seen: set[str] = set()
    for b in items:
        if not b.id.strip():
            problems["id"] = Problem("baseline_empty_id", {}, "a baseline has an empty id")
        elif b.id in seen:
            problems[b.id] = Problem("baseline_repeated_id", {"id": b.id}, "id repeats")
        elif b.status not in STATUS_CODES:
            problems[b.id] = Problem("baseline_status", {"value": b.status},
                                     f"status {b.status!r} is not in the status taxonomy")
        seen.add(b.id)
    if problems:
        raise InvalidStatusChange(problems, code="baselines_invalid")


# --- rows --------------------------------------------------------------------------------


def _editor_agency(conn: Connection, name: str) -> str | None:
    row = conn.execute(sa.select(users.c.agency).where(users.c.name == name)).first()
    if row is None:
        raise AuthError(f"no account named {name!r}; sign in again", code="account_missing", name=name)
    return None if row.agency is None else str(row.agency)


def _project_agencies(conn: Connection, project_id: str) -> set[str]:
    query = sa.select(project_agency.c.agency).where(project_agency.c.project_id == project_id)
    return set(conn.scalars(query))


def _conflict(conn: Connection, project_id: str, expected_version: int) -> StatusConflict:
    latest = conn.execute(sa.select(status_history).where(status_history.c.project_id == project_id)
                          .order_by(status_history.c.version.desc()).limit(1)).first()
    if latest is None:  # pragma: no cover - every project has its seed row
        return StatusConflict(f"{project_id!r} changed since version {expected_version}; reload it",
                              code="status_conflict", project_id=project_id, expected=expected_version,
                              editor="?", status="?", changed_at="?", version="?", effective_date="?", note="")
    when = latest.changed_at.strftime("%Y-%m-%d %H:%M UTC")
    return StatusConflict(
        f"{project_id!r} was changed since you loaded version {expected_version}: {latest.editor} set it "
        f"to {latest.new_status!r} on {when} (version {latest.version}, effective "
        f"{latest.effective_date.isoformat()}, note: {latest.note!r}); reload and submit again",
        code="status_conflict", project_id=project_id, expected=expected_version, editor=latest.editor,
        status=latest.new_status, changed_at=latest.changed_at, version=latest.version,
        effective_date=latest.effective_date, note=latest.note)


def _count_failure(conn: Connection, name: str, now: datetime, window: timedelta,
                   lockout_for: Callable[[int], timedelta | None]) -> datetime | None:
    row = conn.execute(sa.select(login_failures).where(login_failures.c.name == name)
                       .with_for_update()).first()
    count = row.failed_count + 1 if row is not None and row.last_failed_at > now - window else 1
    lockout = lockout_for(count)
    until = now + lockout if lockout else None
    values = {"failed_count": count, "last_failed_at": now, "locked_until": until}
    if row is None:
        conn.execute(sa.insert(login_failures).values(name=name, **values))
    else:
        conn.execute(sa.update(login_failures).where(login_failures.c.name == name).values(**values))
    # Names typed once and never again (including non-existent ones) do not pile up.
    conn.execute(sa.delete(login_failures).where(
        login_failures.c.last_failed_at < now - window, login_failures.c.name != name,
        sa.or_(login_failures.c.locked_until.is_(None), login_failures.c.locked_until < now)))
    return until


def _seed_current(b: Baseline, plan_start: date, now: datetime) -> dict[str, Any]:
    return {"project_id": b.id, "name_zh": b.name_zh, "status": b.status, "effective_date": plan_start,
            "note": SEED_NOTE, "source": b.status_source or SEED_NOTE, "editor": PLAN_EDITOR,
            "changed_at": now, "version": 1}


def _seed_history(b: Baseline, plan_start: date, now: datetime) -> dict[str, Any]:
    return {"project_id": b.id, "old_status": None, "new_status": b.status, "effective_date": plan_start,
            "note": SEED_NOTE, "source": b.status_source or SEED_NOTE, "editor": PLAN_EDITOR,
            "changed_at": now, "version": 1}


def _agency_rows(b: Baseline) -> set[tuple[str, str]]:
    return ({(a, "lead") for a in b.lead_agencies if a}
            | {(a, "cooperating") for a in b.cooperating_agencies if a})


def _record(row: sa.Row[Any]) -> StatusRecord:
    return StatusRecord(row.project_id, row.status, row.effective_date, row.note, row.source,
                        row.editor, row.changed_at, row.version)


def _entry(row: sa.Row[Any]) -> HistoryEntry:
    return HistoryEntry(row.id, row.project_id, row.old_status, row.new_status, row.effective_date,
                        row.note, row.source, row.editor, row.changed_at, row.version)


def _now() -> datetime:
    return datetime.now(UTC)
