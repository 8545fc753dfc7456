"""A SQLite store is created on purpose only: on its first start or by ``python -m geo store init``.
A store whose file (and -wal, -shm) was removed is a StoreError, logged, and never silently
replaced by an empty database that the next start would seed and carry on with."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from geo import i18n
from geo.cli import main
from geo.errors import StoreError
from geo.store import Baseline, open_store
from geo.store.engine import sqlite_marker

RAIL = "rail-hohhot-zhangjiakou"
BASELINES = [Baseline(RAIL, "construction", "力争早日建成", ("自治区铁路办",), (), "呼和浩特—张家口客运专线")]


def _remove(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """A store with history, created by its first start."""
    path = tmp_path / "var" / "status.sqlite3"
    with open_store(f"sqlite:///{path}") as store:
        store.seed(BASELINES)
    assert path.exists() and sqlite_marker(path).exists()
    return path


def test_reopening_a_removed_store_is_an_error_not_an_empty_database(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    _remove(db)
    with caplog.at_level(logging.ERROR), pytest.raises(StoreError) as err:
        open_store(f"sqlite:///{db}")
    assert err.value.code == "store_missing" and not db.exists()
    assert "store init" in caplog.text
    for lang in i18n.LANGS:
        assert "store init" in i18n.error_text(err.value, lang) and str(db) not in i18n.error_text(err.value, lang)


def test_a_read_after_the_file_was_removed_does_not_create_it(db: Path) -> None:
    with open_store(f"sqlite:///{db}") as store:
        assert store.current(RAIL) is not None  # a pooled connection holds the old file
        _remove(db)
        for read in (store.current_all, lambda: store.current(RAIL), store.history_all):
            with pytest.raises(StoreError) as err:
                read()
            assert err.value.code == "store_missing"
        assert not db.exists()


def test_the_next_start_does_not_seed_an_empty_store(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _remove(db)
    assert main(["report", "--year", "2014", "--database", f"sqlite:///{db}"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "store init" in err and "Traceback" not in err
    assert not db.exists()


def test_store_init_starts_an_empty_store_on_purpose(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _remove(db)
    assert main(["store", "init", "--database", f"sqlite:///{db}"]) == 0
    with open_store(f"sqlite:///{db}") as store:
        assert store.current_all() == {}  # empty, as asked


def test_a_store_made_before_markers_is_adopted(tmp_path: Path) -> None:
    path = tmp_path / "status.sqlite3"
    with open_store(f"sqlite:///{path}") as store:
        store.seed(BASELINES)
    sqlite_marker(path).unlink()
    with open_store(f"sqlite:///{path}") as store:
        assert store.current(RAIL) is not None
    assert sqlite_marker(path).exists()  # from now on its removal is noticed
    _remove(path)
    with pytest.raises(StoreError, match="missing"):
        open_store(f"sqlite:///{path}")


def test_the_first_start_creates_the_store_and_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "status.sqlite3"
    with open_store(f"sqlite:///{path}") as store:
        store.seed(BASELINES)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM project_status").fetchone() == (1,)


def test_store_init_on_any_database(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["store", "init", "--database", store_url]) == 0
    assert main(["store", "init", "--database", store_url]) == 0  # again: nothing to do, nothing lost
    assert "ready" in capsys.readouterr().out
