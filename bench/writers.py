"""Store figures: concurrent editors saving statuses, on SQLite and on PostgreSQL.

``writers`` processes (each its own ``open_store``, as several app servers would be) start
together at a barrier and each saves ``updates`` status changes of projects picked at random
among the plan's, reading the current version first as the status form does and submitting
again after a ``StatusConflict`` (another editor won the race) or a ``StoreBusy``. Throughput is
acknowledged changes over the wall time from the barrier to the last writer's end. Every change
carries a unique note, so "lost" is exact: acknowledged notes with no history row.
"""

from __future__ import annotations

import multiprocessing as mp
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.measure import Figure, figure
from geo.errors import StatusConflict, StoreBusy
from geo.layers import load_layers
from geo.store import StatusChange, User, open_store

#: Statuses the writers set (any code of the taxonomy would do).
STATUSES = ("construction", "operating", "approval", "negotiating", "shelved")
#: Times one writer submits the same change again before it gives it up (counted as failed).
MAX_ATTEMPTS = 50


@dataclass(frozen=True)
class StoreRun:
    """One run on one database."""

    seconds: float
    acknowledged: int
    lost: int
    failed: int
    conflicts: int
    busy: int

    @property
    def per_second(self) -> float:
        """Acknowledged updates per second."""
        return self.acknowledged / self.seconds


def store_figures(*, writers: int, updates: int, runs: int, postgres_url: str | None) -> list[Figure]:
    """Updates/s and lost changes on SQLite (a temp file) and PostgreSQL (a fresh database per run)."""
    sqlite = [_run_on(url, writers, updates, seed=i) for i in range(runs) for url in _sqlite_url()]
    postgres = ([_run_on(url, writers, updates, seed=i) for i in range(runs) for url in _postgres_db(postgres_url)]
                if postgres_url else [])
    every = sqlite + postgres
    lost = [r.lost for r in every]
    return [
        figure("store_sqlite_updates_per_s", [r.per_second for r in sqlite], "updates/s", digits=1),
        figure("store_postgres_updates_per_s", [r.per_second for r in postgres], "updates/s", digits=1),
        # Every lost change counts: the value is the total over every run on both databases.
        Figure("store_lost", sum(lost), "updates", min(lost), max(lost), len(lost)),
        figure("store_sqlite_conflicts", [r.conflicts for r in sqlite], "retries", digits=0),
        figure("store_postgres_conflicts", [r.conflicts for r in postgres], "retries", digits=0),
        figure("store_failed", [r.failed + r.busy for r in every], "busy or given up", digits=0),
        Figure("store_writers", writers, "processes", writers, writers, len(every)),
        Figure("store_updates_per_writer", updates, "updates", updates, updates, len(every)),
    ]


def _run_on(url: str, writers: int, updates: int, *, seed: int) -> StoreRun:
    project_ids = _seed(url, writers)
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(writers), ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(url, i, updates, project_ids, seed, barrier, results))
             for i in range(writers)]
    for p in procs:
        p.start()
    reports = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    errors = [r["error"] for r in reports if r.get("error")]
    if errors:
        raise RuntimeError(f"{len(errors)} writers failed; first: {errors[0]}")
    acked = {note for r in reports for note in r["acked"]}
    recorded = _history_notes(url)
    start, end = min(r["start"] for r in reports), max(r["end"] for r in reports)
    return StoreRun(seconds=end - start, acknowledged=len(acked), lost=len(acked - recorded),
                    failed=sum(r["failed"] for r in reports), conflicts=sum(r["conflicts"] for r in reports),
                    busy=sum(r["busy"] for r in reports))


def _seed(url: str, writers: int) -> list[str]:
    projects = load_layers()
    with open_store(url) as store:
        store.seed(row for _, row in projects.iterrows())
        for i in range(writers):
            # Accounts with no agency may edit every project; the hash is never checked here.
            store.insert_user(_editor(i), "not-a-real-hash", agency=None)
    return sorted(projects["id"])


def _writer(url: str, index: int, updates: int, project_ids: list[str], seed: int,
            barrier: Any, results: Any) -> None:
    report: dict[str, Any] = {"acked": [], "failed": 0, "conflicts": 0, "busy": 0, "start": 0.0, "end": 0.0}
    try:
        with open_store(url) as store:
            rng = random.Random(seed * 1000 + index)
            editor = User(_editor(index))
            barrier.wait()
            report["start"] = time.monotonic()
            for k in range(updates):
                _save_one(store, editor, rng.choice(project_ids), f"bench {seed}/{index}/{k}", rng, report)
            report["end"] = time.monotonic()
    except Exception as err:  # noqa: BLE001 - reported to the parent, which raises
        report["error"] = f"{type(err).__name__}: {err}"
    results.put(report)


def _save_one(store: Any, editor: User, project_id: str, note: str, rng: random.Random,
              report: dict[str, Any]) -> None:
    for _ in range(MAX_ATTEMPTS):
        version = store.current(project_id).version
        change = StatusChange(project_id, rng.choice(STATUSES), date(2015, 6, 1), note, "benchmark")
        try:
            store.change_status(change, editor=editor, expected_version=version)
        except StatusConflict:
            report["conflicts"] += 1
            continue
        except StoreBusy:
            report["busy"] += 1
            continue
        report["acked"].append(note)
        return
    report["failed"] += 1


def _history_notes(url: str) -> set[str]:
    with open_store(url) as store:
        return {entry.note for entry in store.history_all()}


def _editor(index: int) -> str:
    return f"bench-editor-{index:02d}"


def _sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="bench-store-") as folder:
        yield f"sqlite:///{Path(folder) / 'status.sqlite3'}"


def _postgres_db(server_url: str) -> Iterator[str]:
    """A fresh database on the server of ``server_url``, dropped afterwards."""
    with _fresh_database(server_url) as url:
        yield url


@contextmanager
def _fresh_database(server_url: str) -> Iterator[str]:
    name = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    quoted = admin.dialect.identifier_preparer.quote(name)  # DDL takes no bound identifiers
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {quoted}")
        try:
            yield sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
    finally:
        admin.dispose()
