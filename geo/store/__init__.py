"""The status store: projects' status and its history, accounts and sign-in, on SQLite or PostgreSQL.

``schema`` (tables, migrations/) → ``engine`` (connections, one transaction per write, retries) →
``records`` and ``validation`` (what a change is and when it is refused), ``lookalike`` (names) → ``accounts``,
``aliases`` (renamed ids) → ``status`` (the ``Store``) → ``auth`` (passwords, sign-in, lockout).
"""

from geo.store.auth import add_user, authenticate
from geo.store.status import (
    BUSY_RETRIES,
    LOCAL_TZ,
    MAX_NOTE,
    MAX_SOURCE,
    MIGRATIONS,
    PLAN_EDITOR,
    PLAN_START,
    SCHEMA_HEAD,
    SEED_NOTE,
    SQLITE_BUSY_TIMEOUT_S,
    Baseline,
    HistoryEntry,
    StatusChange,
    StatusRecord,
    Store,
    User,
    list_property,
    open_store,
    text_property,
    translated_errors,
)

__all__ = [
    "BUSY_RETRIES", "Baseline", "HistoryEntry", "LOCAL_TZ", "MAX_NOTE", "MAX_SOURCE", "MIGRATIONS", "PLAN_EDITOR",
    "PLAN_START", "SCHEMA_HEAD", "SEED_NOTE", "SQLITE_BUSY_TIMEOUT_S", "StatusChange", "StatusRecord", "Store",
    "User", "add_user", "authenticate", "list_property", "open_store", "text_property", "translated_errors",
]
