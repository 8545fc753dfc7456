"""The tables of the status store, as the Alembic revisions in ``geo/migrations`` create them.

Queries use these definitions; rows come back as the dataclasses of ``geo.store.records``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from geo.store.records import HistoryEntry, StatusRecord

#: The newest revision in ``geo/migrations/versions`` (a test checks they agree): a store that
#: is already there opens without importing Alembic or taking the schema lock.
SCHEMA_HEAD = "0003"
MIGRATIONS: Path = Path(__file__).resolve().parent / "migrations"


class _UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Aware UTC datetimes in and out (SQLite keeps no offset; PostgreSQL keeps timestamptz)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# The tables as revision 0001 creates them (geo/migrations/versions); queries use these.
def _change_columns() -> list[sa.Column[Any]]:
    """What every status change records, in the current row and in its history row alike."""
    return [
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("editor", sa.String(100), nullable=False),
        sa.Column("changed_at", _UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


_metadata = sa.MetaData()
project_status = sa.Table(
    "project_status", _metadata,
    sa.Column("project_id", sa.String(200), primary_key=True),
    sa.Column("name_zh", sa.Text()),
    sa.Column("status", sa.String(40), nullable=False),
    *_change_columns(),
)
project_agency = sa.Table(
    "project_agency", _metadata,
    sa.Column("project_id", sa.String(200), sa.ForeignKey("project_status.project_id"), primary_key=True),
    sa.Column("agency", sa.String(200), primary_key=True),
    sa.Column("role", sa.String(20), primary_key=True),
)
status_history = sa.Table(
    "status_history", _metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("project_id", sa.String(200), sa.ForeignKey("project_status.project_id"), nullable=False),
    sa.Column("old_status", sa.String(40)),
    sa.Column("new_status", sa.String(40), nullable=False),
    *_change_columns(),
)
users = sa.Table(
    "users", _metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("password_hash", sa.Text(), nullable=False),
    sa.Column("agency", sa.String(200)),
    sa.Column("created_at", _UTCDateTime(), nullable=False),
)
project_alias = sa.Table(
    "project_alias", _metadata,
    sa.Column("old_id", sa.Text(), primary_key=True),
    sa.Column("new_id", sa.Text(), nullable=False),
    sa.Column("created_at", _UTCDateTime(), nullable=False),
)
login_failures = sa.Table(
    "login_failures", _metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("failed_count", sa.Integer(), nullable=False),
    sa.Column("last_failed_at", _UTCDateTime(), nullable=False),
    sa.Column("locked_until", _UTCDateTime()),
)
session_ends = sa.Table(
    "session_ends", _metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("ended_at", _UTCDateTime(), nullable=False),
)


def record_from_row(row: sa.Row[Any]) -> StatusRecord:
    return StatusRecord(row.project_id, row.status, row.effective_date, row.note, row.source,
                        row.editor, row.changed_at, row.version)


def entry_from_row(row: sa.Row[Any]) -> HistoryEntry:
    return HistoryEntry(row.id, row.project_id, row.old_status, row.new_status, row.effective_date,
                        row.note, row.source, row.editor, row.changed_at, row.version)


def utc_now() -> datetime:
    return datetime.now(UTC)
