"""The database goes away after the store is open: every store method answers with a StoreError
(with a code, no driver text in its user message) and the same store works again when it is back.

SQLite: the database's folder is renamed away. PostgreSQL: a private server is stopped
(``pg_ctl stop -m immediate``), never the shared one on 5432.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from faults import PrivateServer, folder_taken_away, private_postgres
from sqlalchemy.pool import NullPool

from geo import i18n
from geo.errors import StoreError
from geo.store import Baseline, StatusChange, Store, User, open_store
from geo.store.accounts import LoginAttempt

RAIL = "rail-hohhot-zhangjiakou"
BASELINES = [Baseline(RAIL, "construction", "力争早日建成", ("自治区铁路办",), (), "呼和浩特—张家口客运专线")]
NOW = datetime(2015, 1, 20, tzinfo=UTC)

#: One call of every public store method (a test below checks none is missing).
CALLS: dict[str, Callable[[Store], object]] = {
    "seed": lambda s: s.seed(BASELINES),
    "apply_aliases": lambda s: s.apply_aliases({"rail-old-name": RAIL}),
    "current": lambda s: s.current(RAIL),
    "current_all": lambda s: s.current_all(),
    "current_changed": lambda s: s.current_changed(),
    "history": lambda s: s.history(RAIL),
    "history_all": lambda s: s.history_all(),
    "agencies": lambda s: s.agencies(RAIL),
    "known_agencies": lambda s: s.known_agencies(),
    "change_status": lambda s: s.change_status(
        StatusChange(RAIL, "operating", date(2014, 9, 1), "全线贯通", "内政发〔2014〕1号"),
        editor=User("admin"), expected_version=1),
    "insert_user": lambda s: s.insert_user("newcomer", "hash", agency=None),
    "user_credentials": lambda s: s.user_credentials("admin"),
    "set_password_hash": lambda s: s.set_password_hash("admin", "hash 2"),
    "login_locked_until": lambda s: s.login_locked_until("admin", now=NOW),
    "begin_login": lambda s: s.begin_login("admin", now=NOW, window=timedelta(minutes=15), lockout_for=lambda n: None),
    "end_sessions": lambda s: s.end_sessions("admin", at=NOW),
    "sessions_ended_at": lambda s: s.sessions_ended_at("admin"),
    "login_succeeded": lambda s: s.login_succeeded(LoginAttempt("admin", allowed=True, number=1, locked_until=None)),
}
#: Public members that do not touch the database.
OFFLINE = {"close", "url", "plan_start"}


def test_every_public_store_method_is_tried_without_a_database() -> None:
    public = {name for name in dir(Store) if not name.startswith("_")} | {"plan_start"}
    assert public - OFFLINE == set(CALLS)


@pytest.fixture(scope="module")
def server() -> Iterator[PrivateServer]:
    with private_postgres() as running:
        yield running


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def outage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Callable[[], object]]]:
    """A store URL and how to take its database away (a context manager)."""
    if request.param == "sqlite":
        folder = tmp_path / "db"
        yield f"sqlite:///{folder / 'status.sqlite3'}", lambda: folder_taken_away(folder)
        return
    server: PrivateServer = request.getfixturevalue("server")
    if not server.running():
        server.start()
    yield from _schema_on(server)


@pytest.mark.parametrize("method", sorted(CALLS))
def test_store_method_gives_a_store_error_while_the_database_is_down(
        outage: tuple[str, Callable[[], object]], method: str) -> None:
    url, down = outage
    with open_store(url) as store:
        store.seed(BASELINES)
        store.insert_user("admin", "hash", agency=None)
        store.current_all()  # a pooled connection exists when the database goes away
        with down():  # type: ignore[attr-defined]
            with pytest.raises(StoreError) as err:
                CALLS[method](store)
            assert err.value.code == "store_unreachable", str(err.value)
            for lang in i18n.LANGS:
                assert i18n.error_text(err.value, lang) == i18n.ERROR_TEXTS["store_unreachable"][lang]
        # Back: the same store (as the app keeps it) serves again without being reopened.
        assert store.current(RAIL) is not None
        CALLS[method](store)


def test_a_store_error_while_down_leaves_nothing_half_written(outage: tuple[str, Callable[[], object]]) -> None:
    url, down = outage
    with open_store(url) as store:
        store.seed(BASELINES)
        store.insert_user("admin", "hash", agency=None)
        with down(), pytest.raises(StoreError):  # type: ignore[attr-defined]
            CALLS["change_status"](store)
        assert [h.version for h in store.history(RAIL)] == [1]
        assert store.current(RAIL).version == 1  # type: ignore[union-attr]


def _schema_on(server: PrivateServer) -> Iterator[tuple[str, Callable[[], object]]]:
    schema = f"geo_outage_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server.url, poolclass=NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')  # generated from hex digits above
    admin.dispose()
    url = sa.make_url(server.url).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False), lambda: _stopped(server)


@contextmanager
def _stopped(server: PrivateServer) -> Iterator[None]:
    server.stop()
    try:
        yield
    finally:
        server.start()
