"""The status store: the current status of every project, its audited history, and accounts.

Takes a SQLAlchemy URL (``geo.settings.database_url()`` by default: a SQLite file under
``var/``; PostgreSQL for several app servers) and gives a ``Store``. The schema is created and
upgraded by the Alembic revisions in ``geo/migrations`` whenever a store is opened.

Every change is one transaction: a conditional ``UPDATE … WHERE version = :expected`` of the
current row plus its history row, so nothing is updated without its history and two editors
cannot overwrite each other (optimistic locking). There is no cache: every read goes to the
database, so several app servers see each other's writes at once.

This module and its parts (``store_records``: the dataclasses; ``store_schema``: the tables;
``store_engine``: connections, transactions and the translation of database errors;
``store_validation``: the checks that need no database; ``store_accounts``: users and sign-in
attempts) are the only code besides the layer writer that touches storage. ``geo.store.auth`` keeps
the password policy and calls the account methods.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo import settings
from geo.errors import AuthError, InvalidStatusChange, Problem, StatusConflict
from geo.store.accounts import Accounts, editor_agency
from geo.store.aliases import apply_aliases as apply_alias_pairs
from geo.store.aliases import resolved_aliases, resolved_id
from geo.store.engine import (
    BUSY_RETRIES,
    SQLITE_BUSY_TIMEOUT_S,
    engine_for,
    lock_schema,
    translated_errors,
    upgrade,
)
from geo.store.records import (
    LOCAL_TZ,
    MAX_NOTE,
    MAX_SOURCE,
    PLAN_EDITOR,
    PLAN_START,
    SEED_NOTE,
    Baseline,
    HistoryEntry,
    StatusChange,
    StatusRecord,
    User,
    list_property,
    text_property,
)
from geo.store.schema import (
    MIGRATIONS,
    SCHEMA_HEAD,
    entry_from_row,
    project_agency,
    project_status,
    record_from_row,
    status_history,
    utc_now,
)
from geo.store.validation import as_date, change_problems, check_baselines

__all__ = [
    "BUSY_RETRIES", "LOCAL_TZ", "MAX_NOTE", "MAX_SOURCE", "MIGRATIONS", "PLAN_EDITOR", "PLAN_START",
    "SCHEMA_HEAD", "SEED_NOTE", "SQLITE_BUSY_TIMEOUT_S", "Baseline", "HistoryEntry", "StatusChange",
    "StatusRecord", "Store", "User", "list_property", "open_store", "text_property", "translated_errors",
]


def open_store(url: str | None = None, *, plan_start: date = PLAN_START,
               sqlite_busy_timeout: float = SQLITE_BUSY_TIMEOUT_S, create: bool = False) -> Store:
    """Connect to the status store at ``url`` and bring its schema to the latest revision.

    Parameters
    ----------
    url
        SQLAlchemy URL; ``geo.settings.database_url()`` when None. A SQLite file (and its
        folder) is created on the store's first start only: once created, a marker beside it
        (``.NAME.store``) makes a removed file an error instead of a new empty store.
    plan_start
        Earliest effective date a change may carry (the first day of the plan's year).
    sqlite_busy_timeout
        Seconds a SQLite write waits for another writer's lock before it is retried.
    create
        Create an empty SQLite store even where one was removed (``python -m geo store init``).

    Returns
    -------
    Store
        Ready for reads and writes; safe to open from several processes at once.

    Raises
    ------
    StoreError
        The URL is malformed, the driver is missing, the database cannot be reached, or a
        SQLite store's file was removed (``store_missing``).
    """
    url = url or settings.database_url()
    engine = engine_for(url, sqlite_busy_timeout=sqlite_busy_timeout, create=create)
    store = Store(engine, plan_start=plan_start)
    try:
        store._retrying(lambda: upgrade(engine))
    except BaseException:
        engine.dispose()
        raise
    return store


class Store(Accounts):
    """The status store on one SQLAlchemy engine; see ``open_store``.

    Holds no project data in memory: each call reads or writes the database, so stores in
    several processes or servers on one database always agree. The account methods come from
    ``geo.store.accounts``, the connections and transactions from ``geo.store.engine``.
    """

    def seed(self, baselines: Iterable[Baseline | Mapping[str, Any]], *,
             aliases: Mapping[str, str] | None = None) -> int:
        """Insert the projects the store does not know yet, with the plan's status as version 1.

        Existing projects keep their status and history (edits are never overwritten); their
        agencies are refreshed from the baseline, which is where agencies come from. Projects
        whose id changed (``aliases``, the layers' ``data/id_aliases.csv`` as
        ``geo.layers.read_id_aliases`` gives it) are moved to their new id first, history and all.

        Parameters
        ----------
        baselines
            ``Baseline`` objects or layer feature properties (mappings with ``id``, ``status``,
            ``status_source``, ``lead_agencies``, ``cooperating_agencies``, ``name_zh``).
        aliases
            Old id → new id; ``None`` or ``{}`` applies none.

        Returns
        -------
        int
            How many projects were inserted.

        Raises
        ------
        InvalidStatusChange
            A baseline has an empty or repeated id or a status outside the taxonomy.
        """
        items = [b if isinstance(b, Baseline) else Baseline.from_mapping(b) for b in baselines]
        check_baselines(items)
        if aliases:  # renamed projects take their history to their new ids before new ids are seeded
            self.apply_aliases(aliases)
        return self._write(lambda conn: self._seed(conn, items))

    def apply_aliases(self, aliases: Mapping[str, str]) -> int:
        """Give renamed projects their new ids, with their history, in one transaction.

        For each old → new id (chains followed to their end): when the new id has no current
        row yet, the old id's current row, history and agencies move to it; when both exist,
        the new id's current row stays and the old id's history joins its history, by time.
        The alias is recorded, so ``current`` and ``history`` of the old id find the project.
        Applying the same aliases again changes nothing.

        Returns
        -------
        int
            How many old ids had rows that moved.

        Raises
        ------
        InvalidStatusChange
            An alias is empty, maps an id to itself, or the aliases form a cycle.
        """
        pairs = resolved_aliases(aliases)

        def work(conn: Connection) -> int:
            lock_schema(conn)  # serialised with seeding, which must see the moved ids
            return apply_alias_pairs(conn, pairs, utc_now())
        return self._write(work)

    def current(self, project_id: str) -> StatusRecord | None:
        """The current status of ``project_id`` (or of the id it was renamed to), or None."""
        query = sa.select(project_status).where(project_status.c.project_id == resolved_id(project_id))
        row = self._read(lambda conn: conn.execute(query).first())
        return None if row is None else record_from_row(row)

    def current_all(self) -> dict[str, StatusRecord]:
        """The current status of every project, by project id."""
        rows = self._read(lambda conn: conn.execute(sa.select(project_status)).all())
        return {row.project_id: record_from_row(row) for row in rows}

    def current_changed(self) -> dict[str, StatusRecord]:
        """The current status of every project an editor has changed since the plan, by project id:
        the baseline rows seeded from the plan (version 1, or written by the plan) are left in the
        database (what every page reads)."""
        query = sa.select(project_status).where(project_status.c.version > 1, project_status.c.editor != PLAN_EDITOR)
        rows = self._read(lambda conn: conn.execute(query).all())
        return {row.project_id: record_from_row(row) for row in rows}

    def history(self, project_id: str) -> list[HistoryEntry]:
        """Every change of ``project_id`` (or of the id it was renamed to), oldest to newest."""
        query = (sa.select(status_history).where(status_history.c.project_id == resolved_id(project_id))
                 .order_by(status_history.c.version))
        return [entry_from_row(row) for row in self._read(lambda conn: conn.execute(query).all())]

    def history_all(self) -> list[HistoryEntry]:
        """Every change of every project, by project and then oldest to newest."""
        query = sa.select(status_history).order_by(status_history.c.project_id, status_history.c.version)
        return [entry_from_row(row) for row in self._read(lambda conn: conn.execute(query).all())]

    def agencies(self, project_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The lead and the cooperating agencies of ``project_id`` as seeded from the plan."""
        query = sa.select(project_agency.c.agency, project_agency.c.role).where(
            project_agency.c.project_id == resolved_id(project_id)).order_by(project_agency.c.agency)
        rows = self._read(lambda conn: conn.execute(query).all())
        return (tuple(r.agency for r in rows if r.role == "lead"),
                tuple(r.agency for r in rows if r.role == "cooperating"))

    def known_agencies(self) -> set[str]:
        """Every agency named as lead or cooperating agency of a seeded project."""
        return set(self._read(lambda conn: conn.scalars(sa.select(project_agency.c.agency).distinct()).all()))

    def change_status(self, change: StatusChange, *, editor: User | None,
                      expected_version: int) -> StatusRecord:
        """Record a new status of one project, with its history row, if nobody changed it meanwhile.

        Parameters
        ----------
        change
            The project, new status, effective date, note and source.
        editor
            The signed-in editor. Their agency is read again from the accounts table, so a
            forged ``User`` cannot widen it.
        expected_version
            The version the editor saw when they loaded the project.

        Returns
        -------
        StatusRecord
            The new current status (version ``expected_version + 1``).

        Raises
        ------
        AuthError
            No editor, or the editor has no account.
        InvalidStatusChange
            Every problem found, by field (``project_id``, ``status``, ``effective_date``,
            ``note``, ``source``, ``editor``, ``expected_version``); nothing is written.
        StatusConflict
            Someone changed the project since ``expected_version``; the message says who,
            when and to what. Nothing is written.
        StoreError
            The database cannot be reached or stayed locked.
        """
        if editor is None or not getattr(editor, "name", ""):
            raise AuthError("sign in to change a project's status", code="sign_in_required")
        problems = change_problems(change, expected_version, plan_start=self.plan_start,
                                   today=datetime.now(LOCAL_TZ).date())
        return self._write(lambda conn: self._change(conn, change, editor.name, expected_version, problems))

    # --- the work inside a transaction ---------------------------------------------------

    def _seed(self, conn: Connection, items: list[Baseline]) -> int:
        lock_schema(conn)
        known = set(conn.scalars(sa.select(project_status.c.project_id)))
        stored: dict[str, set[tuple[str, str]]] = {}
        for row in conn.execute(sa.select(project_agency)):
            stored.setdefault(row.project_id, set()).add((row.agency, row.role))
        new = [b for b in items if b.id not in known]
        now = utc_now()
        if new:
            conn.execute(sa.insert(project_status), [_seed_current(b, self.plan_start, now) for b in new])
            conn.execute(sa.insert(status_history), [_seed_history(b, self.plan_start, now) for b in new])
        for b in items:
            wanted = _agency_rows(b)
            if wanted != stored.get(b.id, set()):
                conn.execute(sa.delete(project_agency).where(project_agency.c.project_id == b.id))
                if wanted:
                    conn.execute(sa.insert(project_agency),
                                 [{"project_id": b.id, "agency": a, "role": r} for a, r in sorted(wanted)])
        return len(new)

    def _change(self, conn: Connection, change: StatusChange, editor_name: str,
                expected_version: int, problems: dict[str, Problem]) -> StatusRecord:
        problems = dict(problems)
        agency = editor_agency(conn, editor_name)
        row = None
        if "project_id" not in problems:
            row = conn.execute(sa.select(project_status.c.status, project_status.c.version)
                               .where(project_status.c.project_id == change.project_id)).first()
            if row is None:
                problems["project_id"] = Problem("project_unknown", {"project_id": change.project_id},
                                                 f"unknown project {change.project_id!r}")
            elif agency is not None and agency not in _project_agencies(conn, change.project_id):
                problems["editor"] = Problem(
                    "editor_agency", {"agency": agency, "project_id": change.project_id},
                    f"{editor_name!r} edits for {agency}, which is neither lead nor "
                    f"cooperating agency of {change.project_id!r}")
        if problems:
            raise InvalidStatusChange(problems, code="status_invalid")
        assert row is not None
        if row.version != expected_version:
            raise _conflict(conn, change.project_id, expected_version)
        record = StatusRecord(change.project_id, change.status, as_date(change.effective_date),
                              change.note.strip(), change.source.strip(), editor_name, utc_now(),
                              expected_version + 1)
        updated = conn.execute(
            sa.update(project_status)
            .where(project_status.c.project_id == change.project_id,
                   project_status.c.version == expected_version)
            .values(status=record.status, effective_date=record.effective_date, note=record.note,
                    source=record.source, editor=record.editor, changed_at=record.changed_at,
                    version=project_status.c.version + 1))
        if updated.rowcount != 1:
            raise _conflict(conn, change.project_id, expected_version)
        conn.execute(sa.insert(status_history).values(
            project_id=record.project_id, old_status=row.status, new_status=record.status,
            effective_date=record.effective_date, note=record.note, source=record.source,
            editor=record.editor, changed_at=record.changed_at, version=record.version))
        return record


# --- rows --------------------------------------------------------------------------------


def _project_agencies(conn: Connection, project_id: str) -> set[str]:
    query = sa.select(project_agency.c.agency).where(project_agency.c.project_id == project_id)
    return set(conn.scalars(query))


def _conflict(conn: Connection, project_id: str, expected_version: int) -> StatusConflict:
    latest = conn.execute(sa.select(status_history).where(status_history.c.project_id == project_id)
                          .order_by(status_history.c.version.desc()).limit(1)).first()
    if latest is None:  # pragma: no cover - every project has its seed row
        return StatusConflict(f"{project_id!r} changed since version {expected_version}; reload it",
                              code="status_conflict", project_id=project_id, expected=expected_version,
                              editor="?", status="?", changed_at="?", version="?", effective_date="?", note="")
    when = latest.changed_at.strftime("%Y-%m-%d %H:%M UTC")
    return StatusConflict(
        f"{project_id!r} was changed since you loaded version {expected_version}: {latest.editor} set it "
        f"to {latest.new_status!r} on {when} (version {latest.version}, effective "
        f"{latest.effective_date.isoformat()}, note: {latest.note!r}); reload and submit again",
        code="status_conflict", project_id=project_id, expected=expected_version, editor=latest.editor,
        status=latest.new_status, changed_at=latest.changed_at, version=latest.version,
        effective_date=latest.effective_date, note=latest.note)


def _seed_current(b: Baseline, plan_start: date, now: datetime) -> dict[str, Any]:
    return {"project_id": b.id, "name_zh": b.name_zh, "status": b.status, "effective_date": plan_start,
            "note": SEED_NOTE, "source": b.status_source or SEED_NOTE, "editor": PLAN_EDITOR,
            "changed_at": now, "version": 1}


def _seed_history(b: Baseline, plan_start: date, now: datetime) -> dict[str, Any]:
    return {"project_id": b.id, "old_status": None, "new_status": b.status, "effective_date": plan_start,
            "note": SEED_NOTE, "source": b.status_source or SEED_NOTE, "editor": PLAN_EDITOR,
            "changed_at": now, "version": 1}


def _agency_rows(b: Baseline) -> set[tuple[str, str]]:
    return ({(a, "lead") for a in b.lead_agencies if a}
            | {(a, "cooperating") for a in b.cooperating_agencies if a})
