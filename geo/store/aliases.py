"""Renamed project ids: the rows of an old id move to its new id, and the alias is remembered.

A rebuild of the layers may give a project a new id (a corrected name, a split clause). The
lead's ``data/id_aliases.csv`` maps old to new ids; ``Store.apply_aliases`` runs these
functions in one transaction, and ``Store.current`` / ``Store.history`` look old ids up here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.errors import InvalidStatusChange, Problem
from geo.store.schema import project_agency, project_alias, project_status, status_history


def resolved_aliases(aliases: Mapping[str, str]) -> list[tuple[str, str]]:
    """Each old id with the id it ends at (chains followed), the ones nearest their end first.

    Raises
    ------
    InvalidStatusChange
        An id is empty, maps to itself or is part of a cycle (code ``aliases_invalid``).
    """
    problems: dict[str, Problem] = {}
    ends: dict[str, tuple[int, str]] = {}
    for old, new in aliases.items():
        if not isinstance(old, str) or not isinstance(new, str) or not old.strip() or not new.strip():
            problems[str(old)] = Problem("alias_empty", {}, f"alias {old!r} → {new!r} needs an old and a new id")
            continue
        if old == new:
            problems[old] = Problem("alias_itself", {"id": old}, f"{old!r} is given as its own alias")
            continue
        chain = [old, new]
        while chain[-1] in aliases and chain[-1] not in chain[:-1]:
            chain.append(aliases[chain[-1]])
        if chain[-1] in chain[:-1]:
            problems[old] = Problem("alias_cycle", {"ids": chain}, f"aliases form a cycle: {' → '.join(chain)}")
        else:
            ends[old] = (len(chain), chain[-1])
    if problems:
        raise InvalidStatusChange(problems, code="aliases_invalid")
    # An id renamed later moves first: its row is the one a chain's end keeps.
    return [(old, end) for old, (_, end) in sorted(ends.items(), key=lambda item: (item[1][0], item[0]))]


def apply_aliases(conn: Connection, pairs: list[tuple[str, str]], now: datetime) -> int:
    """Move the rows of every old id to its new id and record the aliases; return how many moved."""
    moved = sum(_move(conn, old, new) for old, new in pairs)
    for old, new in pairs:
        _record(conn, old, new, now)
    return moved


def resolved_id(project_id: str) -> sa.ColumnElement[Any]:
    """SQL for the id ``project_id`` stands for now: its alias's new id, or itself."""
    alias = sa.select(project_alias.c.new_id).where(project_alias.c.old_id == project_id).scalar_subquery()
    return sa.func.coalesce(alias, project_id)


def _move(conn: Connection, old: str, new: str) -> bool:
    old_row = conn.execute(sa.select(project_status).where(project_status.c.project_id == old)).first()
    if old_row is None:
        return False  # moved before, or never known: nothing to do
    if conn.execute(sa.select(project_status.c.project_id).where(project_status.c.project_id == new)).first():
        _merge_history(conn, old, new)
    else:
        # The new row first, then its children, then the old row: every foreign key holds throughout.
        conn.execute(sa.insert(project_status).values({**old_row._asdict(), "project_id": new}))
        for table in (status_history, project_agency):
            conn.execute(sa.update(table).where(table.c.project_id == old).values(project_id=new))
    conn.execute(sa.delete(project_agency).where(project_agency.c.project_id == old))
    conn.execute(sa.delete(project_status).where(project_status.c.project_id == old))
    return True


def _merge_history(conn: Connection, old: str, new: str) -> None:
    """Both ids have a current row: keep the new one's, and put the old history before it, by time.

    Versions are numbered again from 1; the entry the new current row shows stays the last,
    so the current row is still the newest version and reloading editors see a conflict.
    """
    query = sa.select(status_history).where(status_history.c.project_id.in_([old, new]))
    rows = [row._asdict() for row in conn.execute(query)]
    latest = max((r for r in rows if r["project_id"] == new), key=lambda r: r["version"])
    rows.sort(key=lambda r: (r is latest, r["changed_at"], r["project_id"] == new, r["version"]))
    conn.execute(sa.delete(status_history).where(status_history.c.project_id.in_([old, new])))
    for version, row in enumerate(rows, start=1):
        row.update(project_id=new, version=version)
    conn.execute(sa.insert(status_history), rows)
    conn.execute(sa.update(project_status).where(project_status.c.project_id == new).values(version=len(rows)))


def _record(conn: Connection, old: str, new: str, now: datetime) -> None:
    # Earlier aliases to the old id now end at the new one; an alias of the new id is void.
    conn.execute(sa.update(project_alias).where(project_alias.c.new_id == old).values(new_id=new))
    conn.execute(sa.delete(project_alias).where(project_alias.c.old_id == new))
    known = conn.execute(sa.select(project_alias.c.new_id).where(project_alias.c.old_id == old)).first()
    if known is None:
        conn.execute(sa.insert(project_alias).values(old_id=old, new_id=new, created_at=now))
    elif known.new_id != new:
        conn.execute(sa.update(project_alias).where(project_alias.c.old_id == old).values(new_id=new))


