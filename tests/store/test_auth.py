"""Editor accounts: hashed passwords, one message for every failed sign-in, lock-out in the database."""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from geo.errors import AuthError
from geo.store import Store, auth, open_store
from geo.store.auth import MAX_PASSWORD_BYTES, WRONG_CREDENTIALS, LockoutPolicy, User, add_user, authenticate
from geo.store.schema import login_failures

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
            store.begin_login("new name", now=clock(), window=policy.window, lockout_for=policy.lockout_after)
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


class CountingHasher(PasswordHasher):
    """The real Argon2id hasher, counting how often it hashes and verifies."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.verified = self.hashed = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002 - argon2's name
        with self.lock:
            self.verified += 1
        return super().verify(hash, password)

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        with self.lock:
            self.hashed += 1
        return super().hash(password, salt=salt)


@pytest.fixture()
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher()
    auth._dummy_hash()  # computed once per process, before the counting starts
    monkeypatch.setattr(auth, "_hasher", lambda: counting)
    return counting


def burst(store: Store, name: str, passwords: list[str], clock: Clock) -> list[str]:
    """Sign in with every password at once (one thread each); each answer is "ok" or the error code."""
    answers: list[str] = [""] * len(passwords)
    start = threading.Barrier(len(passwords))

    def attempt(n: int) -> None:
        start.wait()
        try:
            authenticate(store, name, passwords[n], policy=DEFAULT_LIKE, now=clock)
            answers[n] = "ok"
        except AuthError as err:
            answers[n] = err.code
        except Exception as err:  # noqa: BLE001 - shown in the assertion below
            answers[n] = repr(err)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(len(passwords))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


DEFAULT_LIKE = LockoutPolicy(max_failures=5, window=timedelta(minutes=15), lockout=timedelta(minutes=1))


def stored_attempts(store: Store, name: str) -> int:
    query = sa.select(login_failures.c.failed_count).where(login_failures.c.name == name)
    return int(store._read(lambda conn: conn.scalar(query)) or 0)


def test_a_burst_of_wrong_guesses_verifies_at_most_the_allowed_number(store: Store, hasher: CountingHasher) -> None:
    add_user(store, "wang", PASSWORD)
    clock, hasher.verified = Clock(), 0
    answers = burst(store, "wang", [f"guess {n}" for n in range(32)], clock)
    assert set(answers) <= {"login_failed", "login_locked"}, answers
    assert hasher.verified == DEFAULT_LIKE.max_failures
    assert answers.count("login_failed") == DEFAULT_LIKE.max_failures - 1
    assert stored_attempts(store, "wang") == DEFAULT_LIKE.max_failures
    # The limit is exceeded: now even the right password, sent 32 times at once, is refused unverified.
    assert burst(store, "wang", [PASSWORD] * 32, clock) == ["login_locked"] * 32
    assert hasher.verified == DEFAULT_LIKE.max_failures


@pytest.mark.parametrize("run", range(4))
def test_a_burst_with_the_right_password_among_it_verifies_at_most_the_allowed_number(
        store: Store, hasher: CountingHasher, run: int) -> None:
    add_user(store, f"editor {run}", PASSWORD)
    guesses = [f"guess {n}" for n in range(31)]
    guesses.insert(random.Random(run).randrange(32), PASSWORD)
    hasher.verified = 0
    answers = burst(store, f"editor {run}", guesses, Clock())
    assert set(answers) <= {"ok", "login_failed", "login_locked"}, answers
    assert hasher.verified <= DEFAULT_LIKE.max_failures
    # Whoever was not verified was told the name is locked: the right one too, unless it was
    # among the attempts within the limit.
    assert answers.count("login_locked") >= 32 - DEFAULT_LIKE.max_failures
    assert stored_attempts(store, f"editor {run}") <= DEFAULT_LIKE.max_failures


TOO_LONG_NAME = "名" * 65


@pytest.mark.parametrize(("name", "password"), [
    (TOO_LONG_NAME, PASSWORD),
    ("x" * 101, PASSWORD),                      # longer than the database column
    ("wang\x00", PASSWORD),                     # PostgreSQL text cannot hold NUL
    ("wa\u200bng", PASSWORD),                   # zero-width space inside
    ("\u202ewang", PASSWORD),                   # right-to-left override
    ("wang", "p" * (MAX_PASSWORD_BYTES + 1)),
    ("wang", "密" * (MAX_PASSWORD_BYTES // 3 + 1)),  # over the limit in UTF-8 bytes, not characters
    ("wang", "x" * 10_000_000),
    ("wang", "bad \udc80 surrogate"),
], ids=["65-chars", "101-chars", "nul", "zero-width", "rlo", "1025-bytes", "cjk-bytes", "10-mb", "surrogate"])
def test_names_and_passwords_over_their_limits_are_refused_unhashed_and_counted(
        store: Store, hasher: CountingHasher, name: str, password: str) -> None:
    add_user(store, "wang", PASSWORD)
    clock, hasher.verified, hasher.hashed = Clock(), 0, 0
    codes = []
    for _ in range(DEFAULT_LIKE.max_failures + 1):
        with pytest.raises(AuthError) as err:
            authenticate(store, name, password, policy=DEFAULT_LIKE, now=clock)
        codes.append(err.value.code)
        assert str(err.value) in (WRONG_CREDENTIALS, "too many failed sign-ins; try again later")
    assert codes == ["login_failed"] * (DEFAULT_LIKE.max_failures - 1) + ["login_locked"] * 2
    assert (hasher.verified, hasher.hashed) == (0, 0)


def test_full_width_name_is_the_same_account_and_cannot_be_taken_twice(store: Store) -> None:
    add_user(store, "wang", PASSWORD)
    assert authenticate(store, "ｗａｎｇ", PASSWORD).name == "wang"
    with pytest.raises(AuthError) as err:
        add_user(store, " ｗａｎｇ ", "another password")
    assert err.value.code == "user_exists"


@pytest.mark.parametrize(("name", "password", "code"), [
    ("wa\u200bng", PASSWORD, "user_name_invalid"),
    ("wang\u2060", PASSWORD, "user_name_invalid"),
    ("\ufeffwang", PASSWORD, "user_name_invalid"),
    ("名" * 65, PASSWORD, "user_name_invalid"),
    ("wang", "p" * (MAX_PASSWORD_BYTES + 1), "password_too_long"),
])
def test_add_user_refuses_invisible_characters_and_oversized_input(store: Store, name: str, password: str,
                                                                   code: str) -> None:
    with pytest.raises(AuthError) as err:
        add_user(store, name, password)
    assert err.value.code == code
    assert store.user_credentials("wang") is None


def test_add_user_checks_the_agency_list_when_the_store_is_not_seeded(store: Store) -> None:
    known = {"内蒙古自治区交通运输厅": "内蒙古自治区交通运输厅", "自治区交通运输厅": "内蒙古自治区交通运输厅"}
    with pytest.raises(AuthError) as err:
        add_user(store, "wang", PASSWORD, agency="自治区不存在厅", known_agencies=known)
    assert err.value.code == "agency_unknown"
    # An alias is stored as the name the layers use, so the account can edit once projects are seeded.
    assert add_user(store, "wang", PASSWORD, agency="自治区交通运输厅", known_agencies=known).agency == (
        "内蒙古自治区交通运输厅")
