"""Editor accounts: create them with a hashed password, sign editors in, slow down guessing.

Takes a ``Store`` and a name and password; gives a ``User`` (name and the agency the editor is
limited to). Passwords are hashed with Argon2id (argon2-cffi) and never stored or logged as
they were typed. Sign-in attempts are counted in the database, per name typed, before the
password is verified, so the slow-down holds across processes and servers, holds for a burst
of simultaneous guesses, and looks the same for names that are not accounts.

Names are NFKC-normalised (a full-width ``ｗａｎｇ`` is ``wang``) and may not hold control,
format (zero-width, direction) or unassigned characters, so that one editor's name cannot
imitate another's. Names and passwords over their limits are refused before anything is
hashed or the accounts are read, and counted as failures with the same message.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from geo import settings
from geo.errors import AuthError
from geo.store.accounts import LoginAttempt
from geo.store.status import PLAN_EDITOR, Store, User

__all__ = ["MAX_NAME_LENGTH", "MAX_PASSWORD_BYTES", "MIN_PASSWORD_LENGTH", "LockoutPolicy", "User",
           "add_user", "authenticate", "normalized_name"]

#: Shortest password ``add_user`` accepts.
MIN_PASSWORD_LENGTH = 8
#: Longest password accepted, in UTF-8 bytes: longer ones are refused before hashing.
MAX_PASSWORD_BYTES = settings.MAX_PASSWORD_BYTES
#: Longest user name, in characters after NFKC normalisation.
MAX_NAME_LENGTH = settings.MAX_NAME_LENGTH
#: The one message for a wrong password and an unknown user alike.
WRONG_CREDENTIALS = "wrong user name or password"
# Control, format (zero-width joiners, direction overrides, BOM), surrogate, private-use and
# unassigned characters, and line or paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Failures of names no account can have are counted under this prefix (a zero-width space,
# which no valid name holds) and a digest of what was typed.
_INVALID_NAME_KEY = "\u200binvalid:"


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


def add_user(store: Store, name: str, password: str, *, agency: str | None = None,
             known_agencies: Mapping[str, str] | None = None) -> User:
    """Create an editor account.

    Parameters
    ----------
    store
        The status store holding the accounts.
    name
        Sign-in name: NFKC-normalised, leading and trailing spaces dropped, then 1 to
        ``MAX_NAME_LENGTH`` characters without control, format (zero-width) or unassigned
        characters. ``"plan"`` is reserved for the rows seeded from the plan.
    password
        At least ``MIN_PASSWORD_LENGTH`` characters and at most ``MAX_PASSWORD_BYTES`` bytes;
        only its Argon2id hash is stored.
    agency
        Limit the editor to the projects this agency leads or cooperates on (None: all),
        spelled as in the layers; refused when the seeded projects never name it.
    known_agencies
        Every written form of the agencies that exist (name or alias → name, as in
        ``data/agencies.csv``), used when the store has not been seeded yet and so names none:
        the agency must be one of them and is stored by its name, as the layers spell it.

    Returns
    -------
    User
        The new account.

    Raises
    ------
    AuthError
        The name is invalid, reserved or taken, or the password is too short.
    """
    name = normalized_name(name)
    if not valid_name(name):
        raise AuthError(f"user name must be 1–{MAX_NAME_LENGTH} characters without control or zero-width "
                        f"characters: {name!r}", code="user_name_invalid", limit=MAX_NAME_LENGTH)
    if name == PLAN_EDITOR:
        raise AuthError(f"user name {name!r} is reserved for the plan's baseline", code="user_name_reserved",
                        name=name)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"password must have at least {MIN_PASSWORD_LENGTH} characters",
                        code="password_too_short", min=MIN_PASSWORD_LENGTH)
    if not _valid_password(password):
        raise AuthError(f"password must be text of at most {MAX_PASSWORD_BYTES:,} bytes",
                        code="password_too_long", max_bytes=MAX_PASSWORD_BYTES)
    agency = agency.strip() if agency and agency.strip() else None
    seeded = store.known_agencies() if agency else set()
    if agency and not seeded and known_agencies:
        known: set[str] = set(known_agencies.values())
        agency = known_agencies.get(agency, agency)
    else:
        known = seeded
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
        ``"wrong user name or password"`` whether or not the user exists (code
        ``login_failed``), or, after repeated failures, a message to try again later (code
        ``login_locked``, with ``until``).
    StoreError
        The database cannot be reached.
    """
    typed = normalized_name(name)
    acceptable = valid_name(typed) and _valid_password(password)
    key = typed if valid_name(typed) else _invalid_name_key(name)
    attempt = store.begin_login(key, now=now(), window=policy.window, lockout_for=policy.lockout_after)
    if not attempt.allowed:
        _refuse(attempt)
    if not acceptable:  # no account can match: neither hash nor read the accounts
        _refuse(attempt)
    found = store.user_credentials(key)
    if found is None:
        # Spend the same time as a real verification, so timing does not tell who exists.
        _verify(_dummy_hash(), password)
        _refuse(attempt)
    user, stored_hash = found
    if not _verify(stored_hash, password):
        _refuse(attempt)
    store.login_succeeded(attempt)
    if _hasher().check_needs_rehash(stored_hash):
        store.set_password_hash(key, _hasher().hash(password))
    return user


def normalized_name(name: str) -> str:
    """A user name as stored and compared: NFKC-normalised, outer spaces dropped.

    A name far over the limit is left as it is (and so refused) rather than normalised.
    """
    if not isinstance(name, str):
        return ""
    if len(name) > 4 * MAX_NAME_LENGTH:
        return name
    return unicodedata.normalize("NFKC", name).strip()


def valid_name(name: str) -> bool:
    """Whether a normalised name may be an account's: 1–64 characters, none of them invisible."""
    return (0 < len(name) <= MAX_NAME_LENGTH
            and not any(unicodedata.category(c) in _REFUSED_CATEGORIES for c in name))


def _valid_password(password: str) -> bool:
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_BYTES:
        return False
    try:
        return len(password.encode("utf-8")) <= MAX_PASSWORD_BYTES
    except UnicodeEncodeError:  # lone surrogates: no hash of them could be checked
        return False


def _invalid_name_key(name: object) -> str:
    text = name if isinstance(name, str) else repr(name)
    text = f"{text[:256]}#{len(text)}"  # a digest of a megabyte name would cost for nothing
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return _INVALID_NAME_KEY + digest


def _refuse(attempt: LoginAttempt) -> NoReturn:
    if attempt.locked_until is not None:
        raise AuthError(_locked_message(), code="login_locked", until=attempt.locked_until)
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
