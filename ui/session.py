"""A signed-in editor's session across reloads: a signed, HttpOnly cookie, and sign-out everywhere.

After a sign-in the page hands the map frame a one-time ticket (signed, valid for a minute);
the frame posts it to ``/nmg/session`` (``ui.server``), which answers with the session cookie:
``HttpOnly`` (no script reads it), ``SameSite=Strict``, ``Secure`` when served over HTTPS
(``ui.security.served_over_https``), for ``settings.session_hours()`` hours. A reload sends the
cookie with the page's websocket, and ``editor_from_cookie`` signs the editor in again if the
token's signature, age and password still hold (a password change ends every session of that
name) and the page is one of ours (``ui.signin``).

Sign-out removes the cookie and records the time in the status store (``Store.end_sessions``):
every session of that name signed in before it, in any tab or browser, on any app server and
after any restart, is signed out at its next run, and a cookie copied before it is refused.

Tokens are ``base64(json).base64(hmac-sha256)`` with a key kept in ``var/session.key``
(created on first use, readable by the app's user only).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from geo import settings
from geo.store import Store, User

COOKIE = "nmg_session"
TICKET_SECONDS = 60
_LOCK = threading.Lock()
_USED_TICKETS: dict[str, float] = {}  # nonce → expiry


@dataclass(frozen=True)
class Session:
    """A verified session token: who, since when, until when."""

    name: str
    issued: float
    expires: float
    password: str  # digest of the password hash it was issued under


def ticket_for(user: User, password_hash: str, *, now: float | None = None) -> str:
    """A one-time ticket the frame exchanges for the session cookie."""
    now = time.time() if now is None else now
    return _sign({"t": "ticket", "u": user.name, "p": _password_digest(password_hash), "iat": now,
                  "exp": now + TICKET_SECONDS, "n": secrets.token_hex(8)})


def token_from_ticket(ticket: str, *, now: float | None = None) -> tuple[str, int] | None:
    """The session token and its lifetime in seconds for a valid, unused ticket; else None."""
    now = time.time() if now is None else now
    claims = _verify(ticket, kind="ticket", now=now)
    if claims is None:
        return None
    with _LOCK:
        for nonce, expiry in list(_USED_TICKETS.items()):
            if expiry < now:
                del _USED_TICKETS[nonce]
        if claims["n"] in _USED_TICKETS:
            return None
        _USED_TICKETS[claims["n"]] = claims["exp"]
    lifetime = int(settings.session_hours() * 3600)
    token = _sign({"t": "session", "u": claims["u"], "p": claims["p"], "iat": claims["iat"], "exp": now + lifetime})
    return token, lifetime


def session_from_token(token: str | None, *, now: float | None = None) -> Session | None:
    """The session a cookie holds, if its signature and age hold (sign-outs: ``editor_from_cookie``)."""
    now = time.time() if now is None else now
    claims = _verify(token, kind="session", now=now) if token else None
    if claims is None or not isinstance(claims.get("iat"), (int, float)):
        return None
    return Session(claims["u"], claims["iat"], claims["exp"], claims["p"])


def editor_from_cookie(store: Store, token: str | None) -> tuple[User, float] | None:
    """The editor a session cookie signs in (and since when), if the account and password hold
    and the name was not signed out since the session began.

    Raises
    ------
    StoreError
        The store cannot be reached.
    """
    found = session_from_token(token)
    if found is None or not still_signed_in(store, found.name, found.issued):
        return None
    credentials = store.user_credentials(found.name)
    if credentials is None or not hmac.compare_digest(_password_digest(credentials[1]), found.password):
        return None
    return credentials[0], found.issued


def end_sessions(store: Store, name: str, *, now: float | None = None) -> None:
    """Sign ``name`` out everywhere: sessions that began before now no longer count, on any server."""
    store.end_sessions(name, at=datetime.fromtimestamp(time.time() if now is None else now, UTC))


def still_signed_in(store: Store, name: str, since: float) -> bool:
    """Whether a session of ``name`` that began at ``since`` has not been signed out since."""
    ended = store.sessions_ended_at(name)
    return ended is None or since > ended.timestamp()


# -- signing --------------------------------------------------------------------------------------

def _sign(claims: dict[str, Any]) -> str:
    body = base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).decode().rstrip("=")
    return f"{body}.{_mac(body)}"


def _verify(token: str | None, *, kind: str, now: float) -> dict[str, Any] | None:
    if not token or token.count(".") != 1 or len(token) > 2048:
        return None
    body, mac = token.split(".")
    if not hmac.compare_digest(mac, _mac(body)):
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None
    if not isinstance(claims, dict) or claims.get("t") != kind or not isinstance(claims.get("u"), str):
        return None
    if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] < now:
        return None
    return claims


def _mac(body: str) -> str:
    return base64.urlsafe_b64encode(hmac.new(_key(), body.encode(), hashlib.sha256).digest()).decode().rstrip("=")


def _password_digest(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


_KEYS: dict[Path, bytes] = {}


def _key() -> bytes:
    """The signing key of ``var/session.key``, made on first use (owner-only permissions)."""
    path = settings.var_dir() / "session.key"
    with _LOCK:
        if path not in _KEYS:
            if not path.exists():
                tmp = path.with_name(f".session.key.{os.getpid()}")
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as out:
                    out.write(secrets.token_bytes(32))
                try:
                    os.link(tmp, path)  # never replaces a key another process made first
                except FileExistsError:
                    pass
                finally:
                    tmp.unlink()
            _KEYS[path] = path.read_bytes()
        return _KEYS[path]
