"""Sign-outs kept in the database: per name, when its sessions were last ended.

A session cookie signed before that moment no longer signs in, on any server and after any
restart (the record used to live in each server's memory).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the sign-out table."""
    op.create_table(
        "session_ends",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop the sign-out table."""
    op.drop_table("session_ends")
