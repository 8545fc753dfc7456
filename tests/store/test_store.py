"""The status store on SQLite (always) and PostgreSQL (when GEO_TEST_DATABASE_URL is set).

Every PostgreSQL test gets a schema of its own, selected through the URL's ``search_path``, so
child processes reach the same tables with nothing but the URL.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fixtures import postgres_schema_url
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy.pool import NullPool

from geo import settings
from geo.errors import (
    AuthError,
    GeoError,
    InvalidStatusChange,
    StatusConflict,
    StoreBusy,
    StoreError,
)
from geo.store import (
    LOCAL_TZ,
    MAX_NOTE,
    MIGRATIONS,
    PLAN_START,
    SCHEMA_HEAD,
    Baseline,
    StatusChange,
    Store,
    User,
    open_store,
)
from geo.taxonomy import STATUS_CODES

RAIL = "rail-hohhot-zhangjiakou"
ROAD = "road-g7-linhe-baigeda"
BASELINES = (
    Baseline(RAIL, "construction", "力争早日建成并投入运行", ("自治区铁路办",), ("呼铁局",), "呼和浩特—张家口客运专线"),
    Baseline(ROAD, "preparing", "前期工作", ("自治区交通运输厅",), ("自治区发展改革委",), "G7京新高速临河—白疙瘩段"),
)
EDITORS = {"admin": None, "rail": "自治区铁路办", "hutie": "呼铁局", "road": "自治区交通运输厅"}



def write_burst(url: str, project: str, writer: int, count: int, emit: Callable[[str], None]) -> None:
    """One writer process: open the store (creating the schema if it is the first), seed the
    baseline, sign up as "writer N", then make ``count`` changes of ``project``, re-reading and
    retrying on conflicts; ``emit`` gets "ack VERSION" per acknowledged change, then "conflicts N"."""
    store = open_store(url)
    store.seed([Baseline(project, "preparing", "前期工作", ("自治区铁路办",))])
    editor = store.insert_user(f"writer {writer}", "hash", agency=None)
    done = conflicts = streak = 0
    while done < count:
        version = store.current(project).version
        status = STATUS_CODES[(writer + done) % len(STATUS_CODES)]
        try:
            record = store.change_status(
                StatusChange(project, status, date(2014, 6, 1), f"writer {writer} update {done}", "test"),
                editor=editor, expected_version=version)
        except StatusConflict:
            conflicts += 1
            streak += 1
            time.sleep(random.uniform(0, min(0.5, 0.03 * 2 ** streak)))  # back off, as a client would
            continue
        done += 1
        streak = 0
        emit(f"ack {record.version}")
    emit(f"conflicts {conflicts}")
    store.close()


# The same writer in a fresh interpreter (for SIGKILL and for a server that shares nothing).
CHILD = "import sys, test_store; test_store.write_burst(*sys.argv[1:3], *map(int, sys.argv[3:5]), " \
        "lambda line: print(line, flush=True))"


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    """An open store with the two baseline projects and one editor per agency (and an admin)."""
    with open_store(store_url) as s:
        s.seed(BASELINES)
        for name, agency in EDITORS.items():
            s.insert_user(name, "argon2-hash-not-needed-here", agency=agency)
        yield s


def change(project: str = RAIL, status: str = "operating", *, day: date = date(2014, 9, 1),
           note: str = "全线贯通", source: str = "内政发〔2014〕1号") -> StatusChange:
    """A valid change of ``project`` unless the test overrides a field."""
    return StatusChange(project, status, day, note, source)


def test_open_creates_the_schema_once_and_reopens(store_url: str) -> None:
    for _ in range(2):
        with open_store(store_url) as s:
            assert s.current_all() == {}
    engine = sa.create_engine(store_url, poolclass=NullPool)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == [SCHEMA_HEAD]
    engine.dispose()


def test_schema_head_constant_matches_the_migrations() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    assert ScriptDirectory.from_config(config).get_heads() == [SCHEMA_HEAD]


def test_seed_inserts_missing_projects_only_and_never_overwrites_edits(store: Store) -> None:
    store.change_status(change(), editor=User("rail"), expected_version=1)
    assert store.seed(BASELINES) == 0
    extra = Baseline("energy-uhv-mengxi-tianjin", "approval", "争取国家尽快批复项目可研报告", ("自治区能源开发局",))
    assert store.seed([*BASELINES, extra]) == 1
    assert store.current(RAIL).status == "operating"
    assert store.current(RAIL).version == 2
    seeded = store.history("energy-uhv-mengxi-tianjin")
    assert [(h.editor, h.old_status, h.new_status, h.version, h.source) for h in seeded] == [
        ("plan", None, "approval", 1, "争取国家尽快批复项目可研报告")]
    assert seeded[0].effective_date == PLAN_START


def test_seed_accepts_layer_properties_and_keeps_agencies(store: Store) -> None:
    props = {"id": "tourism-circle", "status": "ongoing", "status_source": "共建旅游圈", "name_zh": "旅游圈",
             "lead_agencies": '["自治区旅游局"]', "cooperating_agencies": ["自治区发展改革委"]}
    assert store.seed([props]) == 1
    assert store.agencies("tourism-circle") == (("自治区旅游局",), ("自治区发展改革委",))
    # A rebuilt layer that corrects the agencies updates them; the status history stays.
    assert store.seed([{**props, "cooperating_agencies": ["自治区文化厅"], "status": "completed"}]) == 0
    assert store.agencies("tourism-circle") == (("自治区旅游局",), ("自治区文化厅",))
    assert store.current("tourism-circle").status == "ongoing"


def test_seed_reports_every_bad_baseline_and_writes_nothing(store: Store) -> None:
    bad = [Baseline("a", "finished"), Baseline("b", "proposed"), Baseline("b", "proposed")]
    with pytest.raises(InvalidStatusChange) as err:
        store.seed(bad)
    assert set(err.value.problems) == {"a", "b"}
    assert store.current("b") is None


def test_change_is_current_and_appended_to_history(store: Store) -> None:
    first = store.change_status(change(status="operating", note="通车"), editor=User("rail"), expected_version=1)
    second = store.change_status(change(status="shelved", note="暂缓"), editor=User("hutie"), expected_version=2)
    assert (first.version, second.version) == (2, 3)
    current = store.current(RAIL)
    assert current == second
    assert (current.editor, current.note, current.source) == ("hutie", "暂缓", "内政发〔2014〕1号")
    rows = store.history(RAIL)
    assert [(h.old_status, h.new_status, h.editor, h.version) for h in rows] == [
        (None, "construction", "plan", 1), ("construction", "operating", "rail", 2),
        ("operating", "shelved", "hutie", 3)]
    assert store.current_all()[ROAD].version == 1
    assert store.current_changed() == {RAIL: second}  # the road keeps the plan's baseline


TOMORROW_IN_NMG = datetime.now(LOCAL_TZ).date() + timedelta(days=1)


@pytest.mark.parametrize(("field", "bad", "editor"), [
    ("project_id", change(project="rail-no-such-line"), "admin"),
    ("project_id", change(project=""), "admin"),
    ("status", change(status="finished"), "admin"),
    ("status", change(status=""), "admin"),
    ("effective_date", change(day=None), "admin"),  # type: ignore[arg-type]
    ("effective_date", change(day=date(2013, 12, 31)), "admin"),
    ("effective_date", change(day=TOMORROW_IN_NMG), "admin"),
    ("effective_date", StatusChange(RAIL, "operating", "2014-02-30", "n", "s"), "admin"),  # type: ignore[arg-type]
    ("note", change(note=""), "admin"),
    ("note", change(note="   \n"), "admin"),
    ("note", change(note="字" * (MAX_NOTE + 1)), "admin"),
    ("note", change(note="bad\x00byte"), "admin"),
    ("source", change(source=""), "admin"),
    ("editor", change(), "road"),
])
def test_invalid_change_names_the_field_and_writes_nothing(store: Store, field: str, bad: StatusChange,
                                                           editor: str) -> None:
    with pytest.raises(InvalidStatusChange) as err:
        store.change_status(bad, editor=User(editor), expected_version=1)
    assert list(err.value.problems) == [field]
    assert store.current(RAIL).version == 1
    assert len(store.history(RAIL)) == 1


def test_every_problem_is_reported_at_once(store: Store) -> None:
    bad = StatusChange(RAIL, "done", date(2000, 1, 1), "", "")
    with pytest.raises(InvalidStatusChange) as err:
        store.change_status(bad, editor=User("road"), expected_version=0)
    assert set(err.value.problems) == {"status", "effective_date", "note", "source", "editor", "expected_version"}


def test_limits_themselves_are_accepted(store: Store) -> None:
    today = datetime.now(LOCAL_TZ).date()
    store.change_status(change(day=PLAN_START, note="字" * MAX_NOTE), editor=User("rail"), expected_version=1)
    record = store.change_status(change(day=today), editor=User("rail"), expected_version=2)
    assert record.effective_date == today
    assert store.history(RAIL)[1].note == "字" * MAX_NOTE


def test_agency_limit_lead_and_cooperating_may_edit_others_may_not(store: Store) -> None:
    store.change_status(change(), editor=User("rail"), expected_version=1)
    store.change_status(change(status="shelved"), editor=User("hutie"), expected_version=2)
    store.change_status(change(project=ROAD, status="approval"), editor=User("admin"), expected_version=1)
    with pytest.raises(InvalidStatusChange, match="自治区交通运输厅"):
        store.change_status(change(), editor=User("road"), expected_version=3)
    # The agency comes from the accounts table, not from whatever User object the caller built.
    with pytest.raises(InvalidStatusChange):
        store.change_status(change(), editor=User("road", agency="自治区铁路办"), expected_version=3)
    assert store.current(RAIL).version == 3


def test_nothing_is_written_without_a_signed_in_editor(store: Store) -> None:
    for editor in (None, User(""), User("nobody")):
        with pytest.raises(AuthError):
            store.change_status(change(), editor=editor, expected_version=1)
    assert len(store.history(RAIL)) == 1


def test_second_editor_is_told_what_the_first_changed_and_nothing_is_overwritten(store: Store) -> None:
    loaded = store.current(RAIL).version  # both editors open the project at version 1
    store.change_status(change(status="operating", note="7月通车"), editor=User("rail"), expected_version=loaded)
    with pytest.raises(StatusConflict) as err:
        store.change_status(change(status="shelved", note="暂缓"), editor=User("hutie"), expected_version=loaded)
    message = str(err.value)
    for expected in ("rail", "'operating'", "7月通车", "version 2", "reload"):
        assert expected in message
    assert store.current(RAIL).status == "operating"
    assert [h.note for h in store.history(RAIL)][-1] == "7月通车"


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.text(min_size=0, max_size=60))
def test_any_note_is_stored_exactly_or_refused(store: Store, note: str) -> None:
    before = store.current(RAIL)
    try:
        record = store.change_status(change(note=note), editor=User("admin"), expected_version=before.version)
    except InvalidStatusChange as err:
        assert set(err.problems) == {"note"}
        assert store.current(RAIL) == before
    else:
        assert record.note == note.strip()
        assert store.history(RAIL)[-1].note == store.current(RAIL).note == note.strip()


def test_two_servers_see_each_others_changes_at_once(store_url: str) -> None:
    with open_store(store_url) as one, open_store(store_url) as two:
        one.seed(BASELINES)
        one.insert_user("rail", "hash", agency="自治区铁路办")
        assert two.current(RAIL).version == 1
        one.change_status(change(note="甲服务器"), editor=User("rail"), expected_version=1)
        assert (two.current(RAIL).note, two.current_all()[RAIL].version) == ("甲服务器", 2)
        two.change_status(change(status="shelved", note="乙服务器"), editor=User("rail"), expected_version=2)
        assert one.history(RAIL)[-1].note == "乙服务器"
        # A third server in another process, then the first sees its change without reopening.
        _run_child(store_url, RAIL, "7", "1")
        assert one.current(RAIL).version == 4
        assert one.current(RAIL).note == "writer 7 update 0"


def test_unreachable_server_gives_a_store_error_naming_it() -> None:
    with pytest.raises(StoreError, match=r"cannot reach the status database .*127\.0\.0\.1:1/") as err:
        open_store("postgresql+psycopg://editor:secret@127.0.0.1:1/status")
    assert "secret" not in str(err.value)


@pytest.mark.parametrize("url", [
    "sqlite:///{tmp}/a-file/status.sqlite3",  # the folder would have to be inside a file
    "sqlite:///{tmp}",                        # a folder, not a database file
    "not a url",
    "sqlite://",                              # in memory: every connection would see another database
    "oracle+nodriver://x@y/z",
])
def test_unusable_url_gives_a_store_error(tmp_path: Path, url: str) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(StoreError):
        open_store(url.format(tmp=tmp_path))


def test_sqlite_writer_waits_for_a_lock_held_elsewhere(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        store.seed(BASELINES)
        store.insert_user("admin", "hash", agency=None)
        other = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None,
                                check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
        releaser = threading.Timer(0.5, other.commit)
        releaser.start()
        started = time.perf_counter()
        record = store.change_status(change(), editor=User("admin"), expected_version=1)
        waited = time.perf_counter() - started
        releaser.join()
        other.close()
    assert record.version == 2
    assert waited >= 0.4


@pytest.mark.postgres
def test_postgres_connection_killed_under_the_store_costs_a_reconnect_not_an_error() -> None:
    for url in postgres_schema_url():
        with open_store(url) as store:
            store.seed(BASELINES)
            pid = store._read(lambda conn: conn.scalar(sa.text("SELECT pg_backend_pid()")))
            admin = sa.create_engine(url, poolclass=NullPool)
            with admin.begin() as conn:
                assert conn.scalar(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            admin.dispose()
            assert store.current(RAIL).version == 1


def test_sqlite_lock_held_too_long_is_a_clear_busy_error(sqlite_url: str) -> None:
    with open_store(sqlite_url, sqlite_busy_timeout=0.1) as store:
        store.seed(BASELINES)
        store.insert_user("admin", "hash", agency=None)
        other = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreBusy, match="busy.*try again"):
            store.change_status(change(), editor=User("admin"), expected_version=1)
        other.rollback()
        other.close()
        assert len(store.history(RAIL)) == 1


def test_thread_writers_lose_no_update(store: Store) -> None:
    writers, each = 20, 50
    errors: list[Exception] = []
    conflicts = [0] * writers

    def write(writer: int) -> None:
        done = streak = 0
        while done < each:
            version = store.current(ROAD).version
            try:
                store.change_status(change(project=ROAD, status="construction", note=f"thread {writer} #{done}"),
                                    editor=User("admin"), expected_version=version)
            except StatusConflict:
                conflicts[writer] += 1
                streak += 1
                time.sleep(random.uniform(0, min(0.5, 0.03 * 2 ** streak)))  # back off, as a client would
                continue
            except Exception as err:  # noqa: BLE001 - any failure fails the test below
                errors.append(err)
                return
            done += 1
            streak = 0

    started = time.perf_counter()
    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    assert errors == []
    _assert_no_lost_update(store, ROAD, {f"thread {w} #{i}" for w in range(writers) for i in range(each)})
    print(f"\nthreads: {writers * each} updates in {elapsed:.1f} s = {writers * each / elapsed:.0f}/s "
          f"({sum(conflicts)} conflicts retried)")


def test_process_writers_on_a_fresh_database_lose_no_update(store_url: str) -> None:
    # The writers also race to create the schema and seed the baseline: both must happen once.
    # Forked, so that 20 interpreter start-ups do not dominate the run on a small CI machine.
    writers, each = 20, 50
    context = multiprocessing.get_context("fork")
    lines = context.SimpleQueue()
    started = time.perf_counter()
    def report_conflicts(line: str) -> None:  # only one line per writer: the pipe never fills up
        if line.startswith("conflicts"):
            lines.put(line)

    children = [context.Process(target=write_burst, args=(store_url, RAIL, w, each, report_conflicts))
                for w in range(writers)]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=300)
    elapsed = time.perf_counter() - started
    assert [c.exitcode for c in children] == [0] * writers
    conflicts = 0
    while not lines.empty():
        conflicts += int(lines.get().split()[1])
    with open_store(store_url) as s:
        _assert_no_lost_update(s, RAIL, {f"writer {w} update {i}" for w in range(writers) for i in range(each)})
        assert [(h.editor, h.version) for h in s.history(RAIL) if h.old_status is None] == [("plan", 1)]
        assert list(s.current_all()) == [RAIL]
    print(f"\nprocesses: {writers * each} updates in {elapsed:.1f} s = {writers * each / elapsed:.0f}/s "
          f"({conflicts} conflicts retried)")


def test_sigkill_mid_burst_loses_no_acknowledged_update(store_url: str) -> None:
    with open_store(store_url) as s:
        s.seed(BASELINES)
    child = _start_child(store_url, RAIL, "0", "100000")
    acked: list[int] = []
    assert child.stdout is not None
    for line in child.stdout:
        acked.append(int(line.split()[1]))
        if len(acked) == 40:
            os.kill(child.pid, signal.SIGKILL)
            break
    acked += [int(line.split()[1]) for line in child.stdout.read().splitlines() if line.startswith("ack")]
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with open_store(store_url) as s:
        current, history = s.current(RAIL), s.history(RAIL)
    assert [h.version for h in history] == list(range(1, len(history) + 1))
    assert set(acked) <= {h.version for h in history}
    # At most the one update in flight at the kill committed without being acknowledged.
    assert max(acked) <= current.version <= max(acked) + 1
    last = history[-1]
    assert (current.version, current.status, current.note, current.editor) == (
        last.version, last.new_status, last.note, last.editor)


def test_errors_of_the_store_are_geo_errors() -> None:
    assert issubclass(StoreError, GeoError)
    assert issubclass(StatusConflict, StoreError) and issubclass(InvalidStatusChange, ValueError)


# --- helpers -----------------------------------------------------------------------------


def _assert_no_lost_update(store: Store, project: str, notes: set[str]) -> None:
    history = store.history(project)
    changes = history[1:]
    assert len(changes) == len(notes)
    assert {h.note for h in changes} == notes
    assert [h.version for h in history] == list(range(1, len(notes) + 2))
    # Each change started from the status the previous one left.
    assert all(h.old_status == prev.new_status for prev, h in itertools.pairwise(history))
    current = store.current(project)
    assert (current.version, current.status, current.note) == (
        history[-1].version, history[-1].new_status, history[-1].note)


def _start_child(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), str(Path(__file__).parent.parent), str(settings.ROOT)])}
    return subprocess.Popen([sys.executable, "-c", CHILD, *args], cwd=settings.ROOT, text=True, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _run_child(*args: str) -> str:
    child = _start_child(*args)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    return out
