"""Alembic environment for the status store.

The store runs migrations itself (``geo.store.open_store``) on a connection it has already
locked, and hands that connection in through ``config.attributes["connection"]``; there is no
``alembic.ini`` and no engine is created here.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached when someone runs the alembic CLI by hand
    raise RuntimeError("run migrations through geo.store.open_store, which supplies the connection")

# transactional_ddl: SQLite supports it too; running the whole upgrade in the caller's
# transaction means two processes that open a fresh database at once cannot both create tables.
context.configure(connection=connection, target_metadata=None, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
