"""Sign-in, the session cookie that keeps it across reloads, and sign-out everywhere.

Draws the sign-in form (or who is signed in and the sign-out button) and returns the editor.
A successful sign-in asks the map frame to claim the session cookie (``ui.session``); a reload
finds the cookie and signs the editor in again, if the page is one of ours (its websocket's
``Origin``, ``ui.security``: a page on another port of the same host gets the cookie too); sign-out asks the frame to drop the cookie and
ends every session of that name. Messages come from ``geo.i18n.error_text``; the password
field is emptied after a failed attempt.
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

import streamlit as st

from geo import i18n
from geo.errors import AuthError, GeoError
from geo.store import User
from ui import layout, security, server, session, site

LOG = logging.getLogger(__name__)
EDITOR, SINCE, REQUEST, FAILED = "editor", "editor_since", "session_request", "login_error"
CLEAR_PASSWORD = "_clear_password"
REFUSED = "_cookie_refused"  # the page had the cookie, but is not a page of ours


def current_editor(current: site.Site, lang: str) -> User | None:
    """The signed-in editor (from this session or its cookie), after drawing sign-in or sign-out."""
    editor = _restored_editor(lang)
    if editor is not None and not _still_signed_in(editor):
        _forget_editor()  # signed out in another tab, browser or server
        editor = None
    if editor is None:
        if st.session_state.get(REFUSED):
            layout.small(i18n.t("session_origin_refused", lang))
        _sign_in_form(lang)
        return None
    layout.small(i18n.t("signed_in_as", lang, name=editor.name, agency=editor.agency or i18n.t("all_agencies", lang)))
    if st.button(i18n.t("logout", lang), key="logout"):
        try:
            session.end_sessions(site.store(), editor.name)
        except GeoError as err:  # this tab still signs out; the form says the others may not have
            LOG.warning("sign-out not recorded, store unreachable: %s", err)
            st.session_state[FAILED] = err
        _forget_editor()
        st.session_state[REQUEST] = {"id": secrets.token_hex(8), "op": "end", "url": server.session_url()}
        st.rerun()
    return editor


def cookie_request() -> dict[str, Any] | None:
    """What the map frame should do about the session cookie (claim it, or drop it), if anything."""
    request: dict[str, Any] | None = st.session_state.get(REQUEST)
    return request


def _still_signed_in(editor: User) -> bool:
    try:
        return session.still_signed_in(site.store(), editor.name, st.session_state.get(SINCE, 0.0))
    except GeoError as err:
        # Nothing can be saved while the store is away either; its next run checks again.
        LOG.warning("sign-out not checked, store unreachable: %s", err)
        return True


def _restored_editor(lang: str) -> User | None:
    editor: User | None = st.session_state.get(EDITOR)
    if editor is not None or st.session_state.get("_cookie_checked"):
        return editor
    st.session_state["_cookie_checked"] = True
    token = st.context.cookies.get(session.COOKIE)
    if not token:
        return None
    headers = st.context.headers
    if not security.may_use_session(headers.get("origin"), headers.get("host")):
        LOG.warning("session cookie not used: the page's origin %r is not the app's (host %r)",
                    headers.get("origin"), headers.get("host"))
        st.session_state[REFUSED] = True
        return None
    try:
        found = session.editor_from_cookie(site.store(), token)
    except GeoError as err:
        LOG.warning("session not restored, store unreachable: %s", err)
        return None
    if found is None:
        return None
    st.session_state[EDITOR], st.session_state[SINCE] = found
    return found[0]


def _sign_in_form(lang: str) -> None:
    from geo.store import authenticate

    st.caption(i18n.t("sign_in_hint", lang))
    if st.session_state.pop(CLEAR_PASSWORD, False):
        st.session_state["login_password"] = ""  # set, not dropped: the browser is told to empty the field
    name = st.text_input(i18n.t("login_user", lang), key="login_user")
    password = st.text_input(i18n.t("login_password", lang), type="password", key="login_password")
    failure = st.session_state.get(FAILED)
    if st.button(i18n.t("login_submit", lang), key="login_submit"):
        try:
            db = site.store()
            user = authenticate(db, name, password)
            credentials = db.user_credentials(user.name)
        except GeoError as err:
            if not isinstance(err, AuthError):
                LOG.warning("sign-in failed on the store: %s", err)
            st.session_state[FAILED] = err
            st.session_state[CLEAR_PASSWORD] = True  # never left in the field after a failure
            st.rerun()
        st.session_state.pop(FAILED, None)
        st.session_state.pop("login_password", None)
        st.session_state[EDITOR], st.session_state[SINCE] = user, time.time()
        if credentials is not None:
            st.session_state[REQUEST] = {"id": secrets.token_hex(8), "op": "claim", "url": server.session_url(),
                                         "ticket": session.ticket_for(user, credentials[1])}
        st.rerun()
    if isinstance(failure, GeoError):
        layout.error(i18n.error_text(failure, lang))


def _forget_editor() -> None:
    for key in (EDITOR, SINCE, "status_loaded", "status_problems", "_form_project"):
        st.session_state.pop(key, None)
