"""The app's own HTTP routes beside Streamlit's, and what the server does before the first visitor.

- ``/nmg/frame``: the map frame's page (``geo.webmap.frame_html``), revalidated on each load;
- ``/nmg/v/<digest>/<file>``: the frame's scripts, styles and fonts, cached for good;
- ``/nmg/data/<digest>.json``: the map data of the served layers (``geo.webmap.data``), gzipped,
  cached for good: a second visit loads it from the browser's cache;
- ``/nmg/session``: ``POST`` a sign-in ticket (``{"ticket": "..."}``, nothing else) to get the
  session cookie, ``DELETE`` to end it (``ui.session``); both need the ``X-NMG-Session`` header,
  which a page of another origin cannot send without our permission, and an ``Origin`` that may
  use the session (``ui.security``): a page on another port of the same host is the same site,
  and sends the header's request with our cookie. A body that is not that object is a 400.

``middleware()`` puts ``ui.security.SecurityHeaders`` in front of every response, Streamlit's too.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from geo import webmap
from geo.errors import GeoError
from ui import security, session, site

LOG = logging.getLogger(__name__)
PREFIX = "/nmg"
FOREVER = "public, max-age=31536000, immutable"
#: Largest body ``/nmg/session`` reads: a ticket is about 250 bytes.
MAX_SESSION_BODY = 4096


def base_path() -> str:
    """``server.baseUrlPath`` as a URL prefix ("" or "/path")."""
    from streamlit import config

    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def frame_url() -> str:
    return f"{base_path()}{PREFIX}/frame"


def assets_url() -> str:
    return f"{base_path()}{PREFIX}/v/{webmap.asset_set().digest}"


def data_url(current: site.Site) -> str:
    return f"{base_path()}{PREFIX}/data/{current.data.digest}.json"


def session_url() -> str:
    return f"{base_path()}{PREFIX}/session"


def routes() -> list[Route]:
    """The routes to mount beside Streamlit's (``st.App(routes=...)``)."""
    base = base_path()
    return [
        Route(f"{base}{PREFIX}/frame", _frame, methods=["GET"]),
        Route(f"{base}{PREFIX}/v/{{digest}}/{{path:path}}", _asset, methods=["GET"]),
        Route(f"{base}{PREFIX}/data/{{digest}}.json", _data, methods=["GET"]),
        Route(f"{base}{PREFIX}/session", _session, methods=["POST", "DELETE"]),
    ]


def middleware() -> list[Middleware]:
    """The middleware in front of Streamlit's and our routes (``st.App(middleware=...)``)."""
    return [Middleware(security.SecurityHeaders)]


def layers_or_exit() -> None:
    """Load the served layers before anything starts: malformed or missing ones end the app with
    one line naming the file, not a traceback at the first visitor (exit status 2)."""
    try:
        site.site()
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(2) from None


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Build the layers, the map data and the frame's files, and open the store, before serving."""
    import anyio.to_thread

    await anyio.to_thread.run_sync(site.warm_up)
    yield


async def _frame(request: Request) -> Response:
    html = webmap.frame_html(assets_url=assets_url(), data_url=_frame_data_url(request)).encode("utf-8")
    etag = '"' + hashlib.sha256(html).hexdigest()[:16] + '"'
    headers = {"Cache-Control": "no-cache", "ETag": etag, "X-Content-Type-Options": "nosniff"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(html, media_type="text/html; charset=utf-8", headers=headers)


def _frame_data_url(request: Request) -> str:
    """The map data the frame asks for (``?data=``: another plan's year), if this server serves it;
    else the default plan's."""
    asked = request.query_params.get("data", "")
    digest = asked.rsplit("/", 1)[-1].removesuffix(".json")
    if asked.startswith(f"{base_path()}{PREFIX}/data/") and site.map_data_by_digest(digest) is not None:
        return f"{base_path()}{PREFIX}/data/{digest}.json"
    return data_url(site.site())


async def _asset(request: Request) -> Response:
    found = webmap.asset_set()
    path = request.path_params["path"]
    if request.path_params["digest"] != found.digest or path not in found.files:
        return Response("not found", status_code=404, media_type="text/plain")
    return Response(found.files[path], media_type=webmap.content_type(path),
                    headers={"Cache-Control": FOREVER, "X-Content-Type-Options": "nosniff"})


async def _data(request: Request) -> Response:
    data = site.map_data_by_digest(request.path_params["digest"])
    if data is None:
        return Response("not found", status_code=404, media_type="text/plain")
    headers = {"Cache-Control": FOREVER, "X-Content-Type-Options": "nosniff", "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(data.gzipped, media_type="application/json", headers=headers)
    return Response(data.body, media_type="application/json", headers=headers)


async def _session(request: Request) -> Response:
    if request.headers.get("x-nmg-session") != "1" or not security.may_use_session(
            request.headers.get("origin"), request.headers.get("host")):
        return JSONResponse({"ok": False}, status_code=403)
    client = request.client.host if request.client else None
    secure = security.served_over_https(request.url.scheme, request.headers, client)
    path = base_path() or "/"
    if request.method == "DELETE":
        response = JSONResponse({"ok": True})
        response.delete_cookie(session.COOKIE, path=path, secure=secure, httponly=True, samesite="strict")
        return response
    ticket = _ticket_of(await _body(request, limit=MAX_SESSION_BODY))
    if ticket is None:
        return JSONResponse({"ok": False}, status_code=400)
    issued = session.token_from_ticket(ticket)
    if issued is None:
        return JSONResponse({"ok": False}, status_code=403)
    token, lifetime = issued
    response = JSONResponse({"ok": True})
    response.set_cookie(session.COOKIE, token, max_age=lifetime, path=path, secure=secure, httponly=True,
                        samesite="strict")
    return response


async def _body(request: Request, *, limit: int) -> bytes | None:
    """The request's body, or None when it says or turns out to be longer than ``limit`` bytes."""
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit() or int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def _ticket_of(body: bytes | None) -> str | None:
    """The ticket of a body that is exactly ``{"ticket": "<text>"}``; None for anything else."""
    if body is None:
        return None
    try:
        found = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the parser's depth
        return None
    if not isinstance(found, dict) or set(found) != {"ticket"} or not isinstance(found["ticket"], str):
        return None
    return found["ticket"] or None
