"""Accounts in the status store: users with their password hashes, and sign-in attempts.

``geo.auth`` keeps the password policy and calls these methods; nothing here hashes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.errors import AuthError
from geo.store_engine import StoreBase
from geo.store_records import User
from geo.store_schema import login_failures, users, utc_now


class Accounts(StoreBase):
    """The account methods of ``geo.store.Store``."""

    def insert_user(self, name: str, password_hash: str, *, agency: str | None) -> User:
        """Create an account from an already hashed password; AuthError when the name is taken."""
        def work(conn: Connection) -> User:
            if conn.execute(sa.select(users.c.name).where(users.c.name == name)).first():
                raise AuthError(f"user {name!r} already exists", code="user_exists", name=name)
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


def editor_agency(conn: Connection, name: str) -> str | None:
    row = conn.execute(sa.select(users.c.agency).where(users.c.name == name)).first()
    if row is None:
        raise AuthError(f"no account named {name!r}; sign in again", code="account_missing", name=name)
    return None if row.agency is None else str(row.agency)


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
