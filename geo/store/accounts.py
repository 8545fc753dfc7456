"""Accounts in the status store: users with their password hashes, and sign-in attempts.

``geo.store.auth`` keeps the password policy and calls these methods; nothing here hashes. The
``login_failures`` table counts, per name typed, the recent attempts that were not taken back
by a success (``failed_count``, ``last_failed_at``) and the lock-out they engaged. The
``session_ends`` table keeps, per name, when its sessions were last ended (sign-out everywhere),
so a copied session cookie stays refused across restarts and servers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from geo.errors import AuthError
from geo.store.engine import StoreBase
from geo.store.lookalike import name_skeleton
from geo.store.records import User
from geo.store.schema import login_failures, session_ends, users, utc_now


@dataclass(frozen=True)
class LoginAttempt:
    """A sign-in attempt as reserved by ``Accounts.begin_login``, before its password is verified.

    ``number`` counts the recent attempts of the name with this one; ``locked_until`` is the
    lock in force (when not ``allowed``) or the lock this attempt engaged by reaching the limit.
    """

    name: str
    allowed: bool
    number: int
    locked_until: datetime | None


class Accounts(StoreBase):
    """The account methods of ``geo.store.Store``."""

    def insert_user(self, name: str, password_hash: str, *, agency: str | None) -> User:
        """Create an account from an already hashed password.

        AuthError when the name is taken, or when it looks like a name that is (``al\u0456ce`` with
        a Cyrillic і beside ``alice``, ``Admin`` beside ``admin``): read in the transaction that
        inserts, so two look-alikes added at once cannot both pass.
        """
        def work(conn: Connection) -> User:
            if conn.execute(sa.select(users.c.name).where(users.c.name == name)).first():
                raise AuthError(f"user {name!r} already exists", code="user_exists", name=name)
            skeleton = name_skeleton(name)
            for existing in conn.scalars(sa.select(users.c.name).with_for_update()):
                if name_skeleton(existing) == skeleton:
                    raise AuthError(f"user name {name!r} looks like the existing user {existing!r}",
                                    code="user_name_confusable", name=name, existing=existing)
            conn.execute(sa.insert(users).values(name=name, password_hash=password_hash,
                                                 agency=agency, created_at=utc_now()))
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

    def begin_login(self, name: str, *, now: datetime, window: timedelta,
                    lockout_for: Callable[[int], timedelta | None]) -> LoginAttempt:
        """Reserve a sign-in attempt as ``name`` before its password is verified.

        In one write transaction that holds the name's row (``SELECT … FOR UPDATE`` on
        PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), the lock is read and, when it is not in
        force, the attempt is counted as a failure up front; the attempt that reaches the limit
        engages the lock-out. N simultaneous attempts therefore pass at most the allowed
        number, whatever their order. ``login_succeeded`` takes a verified attempt back.

        Parameters
        ----------
        name
            The name as typed (normalised by the caller); failures are counted per name,
            whether or not it is an account.
        now, window
            Attempts older than ``window`` before ``now`` are forgotten.
        lockout_for
            The lock-out after ``count`` recent attempts (None: no lock-out).

        Returns
        -------
        LoginAttempt
            ``allowed`` False when the name is locked: refuse without verifying.
        """
        return self._write(lambda conn: _reserve(conn, name, now, window, lockout_for))

    def login_succeeded(self, attempt: LoginAttempt) -> None:
        """Forget the failures counted for a name once ``attempt`` verified.

        Attempts reserved after this one (a burst still being verified) stay counted, and
        so does the lock-out they engaged; only this attempt is taken back then.
        """
        self._write(lambda conn: _forget(conn, attempt))

    def end_sessions(self, name: str, *, at: datetime) -> None:
        """End every session of ``name`` that began before ``at`` (a later end is kept)."""
        def work(conn: Connection) -> None:
            ended = conn.scalar(sa.select(session_ends.c.ended_at).where(session_ends.c.name == name)
                                .with_for_update())
            if ended is None:  # two first sign-outs at once: the loser is retried as busy (23505)
                conn.execute(sa.insert(session_ends).values(name=name, ended_at=at))
            elif ended < at:
                conn.execute(sa.update(session_ends).where(session_ends.c.name == name).values(ended_at=at))
        self._write(work)

    def sessions_ended_at(self, name: str) -> datetime | None:
        """When the sessions of ``name`` were last ended, or None if never."""
        query = sa.select(session_ends.c.ended_at).where(session_ends.c.name == name)
        ended: datetime | None = self._read(lambda conn: conn.scalar(query))
        return ended


def editor_agency(conn: Connection, name: str) -> str | None:
    row = conn.execute(sa.select(users.c.agency).where(users.c.name == name)).first()
    if row is None:
        raise AuthError(f"no account named {name!r}; sign in again", code="account_missing", name=name)
    return None if row.agency is None else str(row.agency)


def _reserve(conn: Connection, name: str, now: datetime, window: timedelta,
             lockout_for: Callable[[int], timedelta | None]) -> LoginAttempt:
    _insert_if_missing(conn, {"name": name, "failed_count": 0, "last_failed_at": now, "locked_until": None})
    row = conn.execute(sa.select(login_failures).where(login_failures.c.name == name).with_for_update()).one()
    if row.locked_until is not None and row.locked_until > now:
        return LoginAttempt(name, allowed=False, number=row.failed_count, locked_until=row.locked_until)
    count = row.failed_count + 1 if row.last_failed_at > now - window else 1
    lockout = lockout_for(count)
    until = now + lockout if lockout else None
    conn.execute(sa.update(login_failures).where(login_failures.c.name == name)
                 .values(failed_count=count, last_failed_at=now, locked_until=until))
    # Names typed once and never again (including non-existent ones) do not pile up; rows
    # another attempt holds are left for a later clean-up rather than waited for.
    stale = (sa.select(login_failures.c.name)
             .where(login_failures.c.last_failed_at < now - window, login_failures.c.name != name,
                    sa.or_(login_failures.c.locked_until.is_(None), login_failures.c.locked_until < now))
             .with_for_update(skip_locked=True))
    conn.execute(sa.delete(login_failures).where(login_failures.c.name.in_(stale)))
    return LoginAttempt(name, allowed=True, number=count, locked_until=until)


def _forget(conn: Connection, attempt: LoginAttempt) -> None:
    row = conn.execute(sa.select(login_failures).where(login_failures.c.name == attempt.name)
                       .with_for_update()).first()
    if row is None:
        return
    if row.failed_count <= attempt.number:  # nobody tried since: forget every failure
        conn.execute(sa.delete(login_failures).where(login_failures.c.name == attempt.name))
    else:
        conn.execute(sa.update(login_failures).where(login_failures.c.name == attempt.name)
                     .values(failed_count=login_failures.c.failed_count - 1))


def _insert_if_missing(conn: Connection, values: dict[str, object]) -> None:
    """Insert the row unless its name exists; concurrent inserts of one name wait, none fails."""
    if conn.dialect.name == "postgresql":
        conn.execute(postgresql.insert(login_failures).values(values).on_conflict_do_nothing(
            index_elements=[login_failures.c.name]))
    elif conn.dialect.name == "sqlite":
        conn.execute(sqlite.insert(login_failures).values(values).on_conflict_do_nothing(
            index_elements=[login_failures.c.name]))
    elif conn.execute(sa.select(login_failures.c.name).where(login_failures.c.name == values["name"])).first() is None:
        conn.execute(sa.insert(login_failures).values(values))  # a race here is retried as busy
