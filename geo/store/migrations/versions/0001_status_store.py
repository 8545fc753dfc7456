"""Status store: current status per project, its agencies, the history, accounts, sign-in failures.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

The tables are spelled out here rather than imported from ``geo.store`` so that this revision
keeps creating exactly this schema when the module's table definitions move on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table of the first schema."""
    op.create_table(
        "project_status",
        sa.Column("project_id", sa.String(200), primary_key=True),
        sa.Column("name_zh", sa.Text(), nullable=True),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("editor", sa.String(100), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("version >= 1", name="ck_project_status_version"),
    )
    op.create_table(
        "project_agency",
        sa.Column("project_id", sa.String(200), sa.ForeignKey("project_status.project_id"), primary_key=True),
        sa.Column("agency", sa.String(200), primary_key=True),
        sa.Column("role", sa.String(20), primary_key=True),
        sa.CheckConstraint("role IN ('lead', 'cooperating')", name="ck_project_agency_role"),
    )
    op.create_table(
        "status_history",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("project_id", sa.String(200), sa.ForeignKey("project_status.project_id"), nullable=False),
        sa.Column("old_status", sa.String(40), nullable=True),
        sa.Column("new_status", sa.String(40), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("editor", sa.String(100), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        # One history row per version of a project: a lost or doubled update cannot be stored.
        sa.UniqueConstraint("project_id", "version", name="uq_status_history_project_version"),
    )
    op.create_table(
        "users",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("agency", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    # Keyed by the name typed at sign-in, whether or not such a user exists, so that the
    # lock-out itself does not reveal which names are accounts.
    op.create_table(
        "login_failures",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    """Drop every table of the first schema."""
    for table in ("login_failures", "users", "status_history", "project_agency", "project_status"):
        op.drop_table(table)
