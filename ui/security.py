"""Who may act with the session cookie, and the headers every response carries.

The session cookie is ``SameSite=Strict``, but a page on another port of the same host is the
same *site*: the browser sends it the cookie with its websocket and its requests. So the
cookie counts only for a page whose ``Origin`` is the app's own (the host the browser asked
for, ``Host``), ``GEO_PUBLIC_URL``'s or one of ``GEO_ALLOWED_ORIGINS`` (``may_use_session``);
a browser always sends ``Origin`` with a websocket and with a ``POST`` or ``DELETE``, so a
request without one is not a page of ours either.

``SecurityHeaders`` (middleware of the whole server: Streamlit's pages and our routes) adds a
Content-Security-Policy (scripts of our own origin only, no page of another origin may frame
ours), ``X-Frame-Options``, ``X-Content-Type-Options`` and ``Referrer-Policy``.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import re
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from functools import cache
from pathlib import Path
from typing import Any

from starlette.datastructures import MutableHeaders

from geo import settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def may_use_session(origin: str | None, host: str | None) -> bool:
    """Whether a request from a page at ``origin``, sent to ``host``, may use the session cookie."""
    found = settings.origin_of(origin) if origin and origin != "null" else None
    if found is None:
        return False
    if found in settings.allowed_origins():
        return True
    return bool(host) and found in {settings.origin_of(f"{scheme}://{host}") for scheme in ("http", "https")}


def served_over_https(scheme: str, headers: Mapping[str, str], client: str | None) -> bool:
    """Whether the browser reached the app over HTTPS: the request's own scheme, ``GEO_PUBLIC_URL``,
    or ``X-Forwarded-Proto: https`` from a proxy of ``GEO_TRUSTED_PROXIES``."""
    public = settings.public_url()
    if scheme == "https" or (public is not None and public.lower().startswith("https://")):
        return True
    forwarded = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return forwarded == "https" and _trusted(client)


def content_security_policy() -> str:
    """The policy of every response: our own scripts (and the hashes of the inline ones Streamlit's
    page holds), styles inline too (Streamlit and Leaflet style elements as they draw), images
    from anywhere (the basemap's tiles), framed only by our own pages."""
    scripts = " ".join(f"'sha256-{digest}'" for digest in _inline_script_hashes())
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' {scripts}".strip(),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: https: http:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = {
            "Content-Security-Policy": content_security_policy(),
            "X-Frame-Options": "SAMEORIGIN",
            "X-Content-Type-Options": "nosniff",
            # The default of today's browsers, said here so no browser sends a page's full URL
            # (its filters) to a tile server; OpenStreetMap's tiles want the origin as Referer.
            "Referrer-Policy": "strict-origin-when-cross-origin",
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _trusted(client: str | None) -> bool:
    try:
        address = ipaddress.ip_address(client or "")
    except ValueError:
        return False
    return any(address in network for network in settings.trusted_proxies())


@cache
def _inline_script_hashes() -> tuple[str, ...]:
    """The CSP hashes of the inline scripts of Streamlit's page (one today: ``prerenderReady``)."""
    import streamlit

    index = Path(streamlit.__file__).parent / "static" / "index.html"
    html = index.read_text("utf-8") if index.exists() else ""
    bodies = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    return tuple(base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() for body in bodies)
