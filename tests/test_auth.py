"""Editor accounts: hashed passwords, one message for every failed sign-in, lock-out in the database."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from geo.auth import WRONG_CREDENTIALS, LockoutPolicy, User, add_user, authenticate
from geo.errors import AuthError
from geo.store import Store, open_store

PASSWORD = "草原钢铁-2014!"
POLICY = LockoutPolicy(max_failures=3, window=timedelta(minutes=15), lockout=timedelta(minutes=1))


class Clock:
    """A clock the test moves by hand, so lock-outs need no sleeping."""

    def __init__(self) -> None:
        self.now = datetime(2015, 1, 20, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as s:
        yield s


def test_password_is_stored_only_as_an_argon2_hash(store: Store) -> None:
    add_user(store, "wang", PASSWORD, agency="自治区交通运输厅")
    _, stored = store.user_credentials("wang")  # type: ignore[misc]
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert authenticate(store, "wang", PASSWORD) == User("wang", "自治区交通运输厅")


def test_wrong_password_and_unknown_user_get_the_same_message(store: Store) -> None:
    add_user(store, "wang", PASSWORD)
    messages = []
    for name, password in (("wang", "wrong password"), ("nobody", PASSWORD), ("", "")):
        with pytest.raises(AuthError) as err:
            authenticate(store, name, password)
        messages.append(str(err.value))
    assert messages == [WRONG_CREDENTIALS] * 3


def test_unknown_user_costs_a_hash_verification_too(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        add_user(store, "wang", PASSWORD)

        def timed(name: str) -> float:
            started = time.perf_counter()
            with pytest.raises(AuthError):
                authenticate(store, name, "wrong password")
            return time.perf_counter() - started

        known = statistics.median(timed("wang") for _ in range(3))
        unknown = statistics.median(timed("nobody") for _ in range(3))
    # Without the dummy verification an unknown name would answer in a database round trip.
    assert unknown > known / 3


def test_repeated_failures_lock_the_name_even_for_the_right_password(store: Store) -> None:
    add_user(store, "wang", PASSWORD)
    clock = Clock()
    for expected in (WRONG_CREDENTIALS, WRONG_CREDENTIALS, "try again later"):
        with pytest.raises(AuthError, match=expected):
            authenticate(store, "wang", "guess", policy=POLICY, now=clock)
    with pytest.raises(AuthError, match="try again later"):
        authenticate(store, "wang", PASSWORD, policy=POLICY, now=clock)
    clock.advance(seconds=61)
    assert authenticate(store, "wang", PASSWORD, policy=POLICY, now=clock).name == "wang"
    # A success forgets the failures: the next mistake is an ordinary one.
    with pytest.raises(AuthError, match=WRONG_CREDENTIALS):
        authenticate(store, "wang", "guess", policy=POLICY, now=clock)


def test_lockout_holds_across_servers(store_url: str) -> None:
    clock = Clock()
    with open_store(store_url) as one, open_store(store_url) as two:
        add_user(one, "wang", PASSWORD)
        for server in (one, two, one):
            with pytest.raises(AuthError):
                authenticate(server, "wang", "guess", policy=POLICY, now=clock)
        with pytest.raises(AuthError, match="try again later"):
            authenticate(two, "wang", PASSWORD, policy=POLICY, now=clock)


def test_simultaneous_failures_all_count(store: Store) -> None:
    # The first failures of a name arrive together: each must count, none may surface as an error.
    clock, attempts = Clock(), 8
    policy = LockoutPolicy(max_failures=attempts, window=timedelta(minutes=15), lockout=timedelta(minutes=1))
    start, errors = threading.Barrier(attempts), []

    def fail() -> None:
        start.wait()
        try:
            store.record_login_failure("new name", now=clock(), window=policy.window,
                                       lockout_for=policy.lockout_after)
        except Exception as err:  # noqa: BLE001 - any error fails the test below
            errors.append(err)

    threads = [threading.Thread(target=fail) for _ in range(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with pytest.raises(AuthError, match="try again later"):
        authenticate(store, "new name", "guess", policy=policy, now=clock)


def test_unknown_names_lock_out_alike_so_the_lockout_reveals_nothing(store: Store) -> None:
    clock = Clock()
    for _ in range(POLICY.max_failures):
        with pytest.raises(AuthError):
            authenticate(store, "nobody", "guess", policy=POLICY, now=clock)
    with pytest.raises(AuthError, match="try again later"):
        authenticate(store, "nobody", "guess", policy=POLICY, now=clock)


def test_failures_spread_beyond_the_window_do_not_lock(store: Store) -> None:
    add_user(store, "wang", PASSWORD)
    clock = Clock()
    for _ in range(POLICY.max_failures * 2):
        with pytest.raises(AuthError, match=WRONG_CREDENTIALS):
            authenticate(store, "wang", "typo", policy=POLICY, now=clock)
        clock.advance(minutes=16)
    assert authenticate(store, "wang", PASSWORD, policy=POLICY, now=clock).name == "wang"


@pytest.mark.parametrize(("failures", "lockout"), [
    (4, None), (5, timedelta(minutes=1)), (6, timedelta(minutes=2)), (8, timedelta(minutes=8)),
    (30, timedelta(hours=1)),
])
def test_lockout_doubles_up_to_a_limit(failures: int, lockout: timedelta | None) -> None:
    assert LockoutPolicy().lockout_after(failures) == lockout


@pytest.mark.parametrize(("name", "password", "message"), [
    ("wang", "", "at least 8"),
    ("wang", "short", "at least 8"),
    ("", PASSWORD, "user name"),
    ("bad\nname", PASSWORD, "user name"),
    ("x" * 101, PASSWORD, "user name"),
    ("plan", PASSWORD, "reserved"),
])
def test_add_user_refuses_bad_accounts(sqlite_url: str, name: str, password: str, message: str) -> None:
    with open_store(sqlite_url) as store:
        with pytest.raises(AuthError, match=message):
            add_user(store, name, password)
        assert store.user_credentials(name.strip()) is None


def test_add_user_refuses_a_taken_name(store: Store) -> None:
    add_user(store, "wang", PASSWORD)
    with pytest.raises(AuthError, match="already exists"):
        add_user(store, "wang", "another password")
    assert authenticate(store, "wang", PASSWORD).name == "wang"


def test_weak_hash_is_upgraded_at_sign_in(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
        store.insert_user("old", weak, agency=None)
        authenticate(store, "old", PASSWORD)
        _, stored = store.user_credentials("old")  # type: ignore[misc]
        assert stored != weak
        assert PasswordHasher().verify(stored, PASSWORD)
        assert not PasswordHasher().check_needs_rehash(stored)
