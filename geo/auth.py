"""Editor accounts: create them with a hashed password, sign editors in, slow down guessing.

Takes a ``Store`` and a name and password; gives a ``User`` (name and the agency the editor is
limited to). Passwords are hashed with Argon2id (argon2-cffi) and never stored or logged as
they were typed. Failed sign-ins are counted in the database, per name typed, so the slow-down
holds across processes and servers and looks the same for names that are not accounts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from geo.errors import AuthError
from geo.store import PLAN_EDITOR, Store, User

__all__ = ["MIN_PASSWORD_LENGTH", "LockoutPolicy", "User", "add_user", "authenticate"]

#: Shortest password ``add_user`` accepts.
MIN_PASSWORD_LENGTH = 8
#: The one message for a wrong password and an unknown user alike.
WRONG_CREDENTIALS = "wrong user name or password"
_NAME = re.compile(r"[^\x00-\x1f\x7f]{1,100}")


@dataclass(frozen=True)
class LockoutPolicy:
    """When repeated failed sign-ins lock a name out, and for how long.

    After ``max_failures`` failures with no more than ``window`` between them, sign-in as that
    name is refused (even with the right password) for ``lockout``; each further failure within
    the window doubles it, up to ``max_lockout``.
    """

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=1)
    max_lockout: timedelta = timedelta(hours=1)

    def lockout_after(self, failures: int) -> timedelta | None:
        """The lock-out after ``failures`` recent failures, or None below the limit."""
        if failures < self.max_failures:
            return None
        doublings: int = min(failures - self.max_failures, 30)
        lockout: timedelta = self.lockout * 2**doublings
        return min(lockout, self.max_lockout)


DEFAULT_POLICY = LockoutPolicy()


def add_user(store: Store, name: str, password: str, *, agency: str | None = None) -> User:
    """Create an editor account.

    Parameters
    ----------
    store
        The status store holding the accounts.
    name
        Sign-in name (1–100 characters, no control characters, leading and trailing spaces
        dropped). ``"plan"`` is reserved for the rows seeded from the plan.
    password
        At least ``MIN_PASSWORD_LENGTH`` characters; only its Argon2id hash is stored.
    agency
        Limit the editor to the projects this agency leads or cooperates on (None: all),
        spelled as in the layers; refused when the seeded projects never name it.

    Returns
    -------
    User
        The new account.

    Raises
    ------
    AuthError
        The name is invalid, reserved or taken, or the password is too short.
    """
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise AuthError(f"user name must be 1–100 characters without control characters: {name!r}",
                        code="user_name_invalid", limit=100)
    if name == PLAN_EDITOR:
        raise AuthError(f"user name {name!r} is reserved for the plan's baseline", code="user_name_reserved",
                        name=name)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"password must have at least {MIN_PASSWORD_LENGTH} characters",
                        code="password_too_short", min=MIN_PASSWORD_LENGTH)
    agency = agency.strip() if agency and agency.strip() else None
    known = store.known_agencies() if agency else set()
    if agency and known and agency not in known:
        raise AuthError(f"no project names the agency {agency!r}; use the name as the layers spell it, "
                        f"e.g. {min(known)!r}", code="agency_unknown", agency=agency, example=min(known))
    return store.insert_user(name, _hasher().hash(password), agency=agency)


def authenticate(store: Store, name: str, password: str, *,
                 policy: LockoutPolicy = DEFAULT_POLICY,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> User:
    """Sign an editor in.

    Parameters
    ----------
    store
        The status store holding the accounts.
    name, password
        As typed.
    policy
        When repeated failures lock the name out.
    now
        The clock (tests pass their own).

    Returns
    -------
    User
        The editor, with the agency they are limited to.

    Raises
    ------
    AuthError
        ``"wrong user name or password"`` whether or not the user exists, or, after repeated
        failures, a message to try again later.
    """
    name = name.strip()
    until = store.login_locked_until(name, now=now())
    if until is not None:
        raise AuthError(_locked_message(), code="login_locked", until=until)
    found = store.user_credentials(name)
    if found is None:
        # Spend the same time as a real verification, so timing does not tell who exists.
        _verify(_dummy_hash(), password)
        _fail(store, name, policy, now())
    user, stored_hash = found
    if not _verify(stored_hash, password):
        _fail(store, name, policy, now())
    store.clear_login_failures(name)
    if _hasher().check_needs_rehash(stored_hash):
        store.set_password_hash(name, _hasher().hash(password))
    return user


def _fail(store: Store, name: str, policy: LockoutPolicy, now: datetime) -> NoReturn:
    locked = store.record_login_failure(name, now=now, window=policy.window,
                                        lockout_for=policy.lockout_after)
    if locked:
        raise AuthError(_locked_message(), code="login_locked", until=locked)
    raise AuthError(WRONG_CREDENTIALS, code="login_failed")


def _locked_message() -> str:
    return "too many failed sign-ins; try again later"


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    return _hasher().hash("not a password of anyone")
