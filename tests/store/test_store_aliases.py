"""Renamed project ids: history stays attached to the project under its new id, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from geo.errors import InvalidStatusChange, StatusConflict
from geo.store import MIGRATIONS, SCHEMA_HEAD, Baseline, StatusChange, Store, User, open_store

OLD, NEW = "rail-hohhot-zhangjiakou", "rail-hohhot-zhangjiakou-hsr"
OTHER = "road-g7-linhe-baigeda"


def baseline(project_id: str, status: str = "construction") -> Baseline:
    return Baseline(project_id, status, "力争早日建成", ("自治区铁路办",), ("呼铁局",), "呼张客专")


def change(project_id: str, status: str, note: str, day: date = date(2014, 9, 1)) -> StatusChange:
    return StatusChange(project_id, status, day, note, "内政发〔2014〕1号")


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as s:
        s.seed([baseline(OLD), baseline(OTHER, "preparing")])
        s.insert_user("admin", "hash", agency=None)
        s.change_status(change(OLD, "operating", "全线贯通"), editor=User("admin"), expected_version=1)
        s.change_status(change(OLD, "completed", "竣工验收"), editor=User("admin"), expected_version=2)
        yield s


def test_a_renamed_project_keeps_its_status_history_and_agencies(store: Store) -> None:
    before = store.history(OLD)
    assert store.apply_aliases({OLD: NEW}) == 1
    assert set(store.current_all()) == {NEW, OTHER}
    current = store.current(NEW)
    assert current is not None and (current.status, current.note, current.version) == ("completed", "竣工验收", 3)
    moved = store.history(NEW)
    assert [(h.id, h.note, h.version, h.project_id) for h in moved] == [(h.id, h.note, h.version, NEW) for h in before]
    assert store.agencies(NEW) == (("自治区铁路办",), ("呼铁局",))
    # The old id still finds the project, for links and reports made before the rename.
    assert store.current(OLD) == current and store.history(OLD) == moved and store.agencies(OLD) == store.agencies(NEW)
    # Seeding the rebuilt layers afterwards does not bring the old id back nor reset the new one.
    assert store.seed([baseline(NEW), baseline(OTHER, "preparing")]) == 0
    assert store.current(NEW) == current


def test_applying_the_same_aliases_again_changes_nothing(store: Store) -> None:
    store.apply_aliases({OLD: NEW})
    before = (store.current_all(), store.history_all())
    assert store.apply_aliases({OLD: NEW}) == 0
    assert (store.current_all(), store.history_all()) == before


def test_when_both_ids_exist_the_new_row_stays_and_the_old_history_joins_it_by_time(store: Store) -> None:
    store.seed([baseline(NEW, "approval")])  # the rebuilt layers were seeded before the aliases
    assert store.apply_aliases({OLD: NEW}) == 1
    history = store.history(NEW)
    assert [h.version for h in history] == [1, 2, 3, 4]
    assert [h.new_status for h in history] == ["construction", "operating", "completed", "approval"]
    assert [h.changed_at for h in history] == sorted(h.changed_at for h in history)
    current = store.current(NEW)
    assert current is not None and (current.status, current.version) == ("approval", 4)
    assert set(store.current_all()) == {NEW, OTHER}
    # An editor who loaded the new id before the merge is told it changed; a fresh load may save.
    with pytest.raises(StatusConflict):
        store.change_status(change(NEW, "construction", "开工"), editor=User("admin"), expected_version=1)
    record = store.change_status(change(NEW, "construction", "开工"), editor=User("admin"), expected_version=4)
    assert record.version == 5 and store.history(OLD)[-1].note == "开工"


def test_chains_end_at_the_newest_id_and_later_renames_keep_old_links(store: Store) -> None:
    assert store.apply_aliases({OLD: "rail-interim", "rail-interim": NEW}) == 1
    assert store.current(OLD) == store.current("rail-interim") == store.current(NEW)
    assert store.apply_aliases({NEW: "rail-final"}) == 1
    assert store.current(OLD) == store.current(NEW) == store.current("rail-final")
    assert store.current("rail-final").note == "竣工验收"  # type: ignore[union-attr]


@pytest.mark.parametrize("aliases", [{OLD: OLD}, {OLD: NEW, NEW: OLD}, {OLD: ""}, {"": NEW}])
def test_bad_aliases_are_refused_and_nothing_moves(store: Store, aliases: dict[str, str]) -> None:
    before = (store.current_all(), store.history_all())
    with pytest.raises(InvalidStatusChange) as err:
        store.apply_aliases(aliases)
    assert err.value.code == "aliases_invalid"
    assert (store.current_all(), store.history_all()) == before


def test_a_store_of_the_first_schema_is_upgraded_with_its_data(store_url: str) -> None:
    from alembic import command
    from alembic.config import Config

    from geo.store.schema import project_status, status_history

    engine = sa.create_engine(store_url, poolclass=NullPool)
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("path_separator", "os")
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        row = {"project_id": OLD, "effective_date": date(2014, 9, 1), "note": "通车", "source": "s",
               "editor": "admin", "changed_at": datetime(2014, 9, 2, tzinfo=UTC), "version": 2}
        conn.execute(sa.insert(project_status).values(status="operating", name_zh="呼张客专", **row))
        conn.execute(sa.insert(status_history).values(old_status="construction", new_status="operating", **row))
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == "0001"
    with open_store(store_url) as s:  # upgraded to the head, the rows of the first schema kept
        assert s.apply_aliases({OLD: NEW}) == 1
        assert [(h.note, h.version) for h in s.history(OLD)] == [("通车", 2)]
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == SCHEMA_HEAD == "0003"
    engine.dispose()
