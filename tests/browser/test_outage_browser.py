"""The database goes away after the store is open: a new visitor still gets the whole map, and the
form says so in the page's language without a host, a user, a path or a driver's words.

SQLite: the database's folder is renamed away. PostgreSQL: a private server of the test's own is
stopped (``tests/faults.py``), never the shared one on 5432.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path

import pytest
from faults import PrivateServer, folder_taken_away, private_postgres
from pages import drawn_line_ids, new_page, open_map, screenshot

from bench.harness import app_server
from geo import i18n, settings, store
from geo.layers import load_layers
from geo.store import auth
from geo.webmap import view as mapview


@contextmanager
def _database(kind: str, folder: Path) -> Iterator[tuple[str, ExitStack, list[str]]]:
    """(URL, a stack whose ``callback`` takes the database down, the details that must not show)."""
    with ExitStack() as outage:
        if kind == "sqlite":
            where = folder / "data"
            where.mkdir()
            path = where / "status.sqlite3"
            yield f"sqlite:///{path}", outage, [str(where), "status.sqlite3", "sqlite", "unable to open"]
        else:
            with private_postgres() as server:
                _SERVERS[server.url] = server
                yield server.url, outage, ["127.0.0.1", str(server.port), "postgres@", "psycopg", "refused"]


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_new_visitor_gets_every_line_while_the_database_is_down(kind, browser, tmp_path):  # noqa: F811
    projects = load_layers(settings.DEFAULT_LAYERS)
    lines = set(mapview.drawable_lines(projects)["id"])
    with _database(kind, tmp_path) as (url, outage, details):
        with store.open_store(url) as db:
            db.seed(store.Baseline.from_mapping(row) for _, row in projects.iterrows())
            editor = auth.add_user(db, "王工", "a long enough password 2014")
            pid = next(iter(lines))
            db.change_status(store.StatusChange(pid, "shelved", date(2014, 5, 1), "暂缓", "纪要"), editor=editor,
                             expected_version=db.current(pid).version)
        with app_server(env={"GEO_DATABASE_URL": url}) as server:
            first = new_page(browser)
            open_map(first, server.rstrip("/"))  # the store is open and has been read
            first.context.close()
            if kind == "sqlite":
                outage.enter_context(folder_taken_away(Path(url.removeprefix("sqlite:///")).parent))
            else:
                _SERVERS[url].stop()  # at once, as a crash would; removed with its folder afterwards
            page = new_page(browser)
            try:
                frame = open_map(page, server.rstrip("/"))
                assert drawn_line_ids(frame) == lines  # every line, for a new visitor
                sidebar = page.locator("[data-testid='stSidebar']")
                sidebar.get_by_text(i18n.t("store_down", "zh")).wait_for()
                screenshot(page, f"store-down-{kind}.png")
                text = page.locator("body").inner_text() + " ".join(f.evaluate("() => document.body.innerText")
                                                                    for f in page.frames)
                for detail in [*details, "OperationalError", "sqlalchemy", "Traceback", "Error:"]:
                    assert detail not in text, f"{detail!r} reached the page"
                assert page.traffic.outside == []
            finally:
                page.context.close()


_SERVERS: dict[str, PrivateServer] = {}
