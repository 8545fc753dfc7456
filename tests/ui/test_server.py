"""``/nmg/session`` as a browser, a framing page and a careless client call it: a body that is not
``{"ticket": "..."}`` is a 400 (never a 500 with a traceback), a page of another origin gets a 403,
and the cookie is ``Secure`` when the app is served over HTTPS. Driven through the app's own
routes and middleware, as ASGI, with no server."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.applications import Starlette

from geo.store import User
from ui import server, session

HOST = "127.0.0.1:8501"
OWN = f"http://{HOST}"


@pytest.fixture(autouse=True)
def _var(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A session key of the test's own; no public URL, proxies or other origins configured."""
    monkeypatch.setenv("GEO_VAR_DIR", str(tmp_path))
    for name in ("GEO_PUBLIC_URL", "GEO_ALLOWED_ORIGINS", "GEO_TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("body", [
    pytest.param(b"[" * 1500 + b"]" * 1500, id="nested-arrays"),
    pytest.param(b'{"ticket":' + b"[" * 2000 + b"]" * 2000 + b"}", id="nested-in-ticket"),
    pytest.param(b'{"a":' * 800 + b"1" + b"}" * 800, id="nested-objects"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested-huge"),
    pytest.param(b'{"ticket": "' + b"a" * 100_000 + b'"}', id="huge"),
    pytest.param(b'{"ticket": 5}', id="number"),
    pytest.param(b'{"ticket": null}', id="null"),
    pytest.param(b'{"ticket": ["x"]}', id="list"),
    pytest.param(b'{"ticket": {"x": 1}}', id="object"),
    pytest.param(b'{"ticket": ""}', id="empty-ticket"),
    pytest.param(b'{"ticket": "x", "more": 1}', id="extra-key"),
    pytest.param(b"[]", id="array"),
    pytest.param(b'"ticket"', id="string"),
    pytest.param(b"NaN", id="nan"),
    pytest.param(b"", id="empty"),
    pytest.param(b"ticket=abc", id="form"),
    pytest.param(b"{", id="truncated"),
    pytest.param(b"\xff\xfe\x00", id="not-utf8"),
])
def test_a_malformed_body_is_a_400(body: bytes):
    status, _ = _call("POST", body=body)
    assert status == 400


def test_a_lying_content_length_is_a_400():
    status, _ = _call("POST", body=b'{"ticket": "x"}', headers={"content-length": "abc"})
    assert status == 400


def test_a_ticket_gives_the_session_cookie_and_every_answer_has_the_security_headers():
    status, headers = _call("POST", body=_ticket_body())
    cookie = _cookie(headers)
    assert status == 200 and "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"]


@pytest.mark.parametrize(("origin", "allowed", "expected"), [
    (OWN, "", 200),
    ("http://127.0.0.1:9999", "", 403),                     # another port of the same host: same site
    ("http://localhost:8501", "", 403),
    ("null", "", 403),                                      # a sandboxed frame or a file
    (None, "", 403),                                        # a browser always sends one with a POST
    ("https://map.example.org", "https://map.example.org", 200),
    ("https://map.example.org", "https://gis.example.org, http://map.example.org", 403),
])
def test_only_the_apps_own_or_a_configured_origin_gets_the_cookie(monkeypatch, origin, allowed, expected):
    monkeypatch.setenv("GEO_ALLOWED_ORIGINS", allowed)
    status, headers = _call("POST", body=_ticket_body(), origin=origin)
    assert status == expected
    assert (_cookie(headers) != "") == (expected == 200)
    status, headers = _call("DELETE", origin=origin)
    assert status == expected and (_cookie(headers) != "") == (expected == 200)


@pytest.mark.parametrize(("env", "forwarded", "client", "secure"), [
    ({}, None, "127.0.0.1", False),
    ({}, "https", "127.0.0.1", False),                      # anyone can send the header
    ({"GEO_TRUSTED_PROXIES": "127.0.0.1"}, "https", "127.0.0.1", True),
    ({"GEO_TRUSTED_PROXIES": "10.0.0.0/8"}, "https", "10.1.2.3", True),
    ({"GEO_TRUSTED_PROXIES": "10.0.0.0/8"}, "https", "192.168.1.5", False),
    ({"GEO_TRUSTED_PROXIES": "127.0.0.1"}, "http", "127.0.0.1", False),
    ({"GEO_PUBLIC_URL": "https://map.example.org"}, None, "127.0.0.1", True),
    ({"GEO_PUBLIC_URL": "http://map.example.org"}, None, "127.0.0.1", False),
])
def test_the_cookie_is_secure_when_served_over_https(monkeypatch, env, forwarded, client, secure):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    extra = {"x-forwarded-proto": forwarded} if forwarded else {}
    for method, body in (("POST", _ticket_body()), ("DELETE", b"")):
        status, headers = _call(method, body=body, headers=extra, client=client)
        assert status == 200 and ("; secure" in _cookie(headers)) == secure


# -- helpers --------------------------------------------------------------------------------------

def _ticket_body() -> bytes:
    return b'{"ticket": "' + session.ticket_for(User("zhang"), "$argon2id$hash").encode() + b'"}'


def _call(method: str, *, body: bytes = b"", origin: str | None = OWN, headers: dict[str, str] | None = None,
          client: str = "127.0.0.1") -> tuple[int, dict[str, str]]:
    """One request to ``/nmg/session`` through the app's routes and middleware: status and headers
    (``set-cookie`` lower-cased)."""
    app = Starlette(routes=server.routes(), middleware=server.middleware())
    sent = {"host": HOST, "x-nmg-session": "1", "content-type": "application/json",
            "content-length": str(len(body)), **({"origin": origin} if origin else {}), **(headers or {})}
    path = server.session_url()
    scope: dict[str, Any] = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
        "headers": [(k.encode(), v.encode()) for k, v in sent.items()], "client": (client, 50000),
        "server": ("127.0.0.1", 8501),
    }
    chunks = [body[i:i + 65536] for i in range(0, len(body), 65536)] or [b""]
    messages = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]
    answer: dict[str, Any] = {}

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode().lower(): v.decode() for k, v in message["headers"]}

    asyncio.run(app(scope, receive, send))
    return answer["status"], answer["headers"]


def _cookie(headers: dict[str, str]) -> str:
    return headers.get("set-cookie", "").lower()
