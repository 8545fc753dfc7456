"""Sign-out holds across restarts and servers: a session cookie copied before a sign-out is
refused by a new store in a new process, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo import settings
from geo.store import User, open_store
from geo.store.auth import add_user
from ui import session

PASSWORD = "correct horse battery"
#: What a freshly started server does with the cookie: its own store, nothing in memory.
RESTARTED = """
import sys
from geo.store import open_store
from ui import session
with open_store(sys.argv[1]) as store:
    print(session.editor_from_cookie(store, sys.argv[2]))
"""


@pytest.fixture()
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The session key's folder, shared with the restarted process."""
    folder = tmp_path / "var"
    monkeypatch.setenv("GEO_VAR_DIR", str(folder))
    return folder


def _cookie(url: str, name: str) -> str:
    with open_store(url) as store:
        credentials = store.user_credentials(name)
        assert credentials is not None
        token, _ = session.token_from_ticket(session.ticket_for(credentials[0], credentials[1]))  # type: ignore[misc]
    return token


def _in_a_new_process(url: str, token: str, var_dir: Path) -> str:
    done = subprocess.run([sys.executable, "-c", RESTARTED, url, token], capture_output=True, text=True,
                          cwd=settings.ROOT, env={**os.environ, "GEO_VAR_DIR": str(var_dir)}, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_cookie_copied_before_sign_out_is_refused_after_a_restart(store_url: str, var_dir: Path) -> None:
    with open_store(store_url) as store:
        add_user(store, "wang", PASSWORD)
    copied = _cookie(store_url, "wang")
    assert _in_a_new_process(store_url, copied, var_dir) == repr((User("wang"), session.session_from_token(copied).issued))  # type: ignore[union-attr]
    with open_store(store_url) as store:
        session.end_sessions(store, "wang")
    with open_store(store_url) as store:  # another server, or this one restarted
        assert session.editor_from_cookie(store, copied) is None
    assert _in_a_new_process(store_url, copied, var_dir) == "None"
    again = _cookie(store_url, "wang")  # signing in after the sign-out works
    with open_store(store_url) as store:
        assert session.editor_from_cookie(store, again) is not None


def test_sign_out_of_one_name_leaves_the_others_signed_in(store_url: str, var_dir: Path) -> None:
    with open_store(store_url) as store:
        add_user(store, "wang", PASSWORD)
        add_user(store, "li", PASSWORD)
    wang, li = _cookie(store_url, "wang"), _cookie(store_url, "li")
    with open_store(store_url) as store:
        session.end_sessions(store, "wang")
        session.end_sessions(store, "wang", now=0.0)  # an older sign-out never re-opens sessions
        assert session.editor_from_cookie(store, wang) is None
        assert session.editor_from_cookie(store, li) is not None
