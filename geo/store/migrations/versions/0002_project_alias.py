"""Project ids renamed by a rebuild of the layers: old id → new id, so history stays attached.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the alias table."""
    op.create_table(
        "project_alias",
        sa.Column("old_id", sa.Text(), primary_key=True),
        sa.Column("new_id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("old_id <> new_id", name="ck_project_alias_not_itself"),
    )


def downgrade() -> None:
    """Drop the alias table."""
    op.drop_table("project_alias")
