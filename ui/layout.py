"""The page around the map: a compact header, one notice box, and messages that are never Markdown.

Streamlit renders Markdown in ``st.warning``, ``st.error``, ``st.caption``…, and turns any URL
in them into a link even when its characters are escaped, so a URL value, a note or a name
shown there could become a link or an image. A message that may hold text users typed is
shown by ``alert`` or ``small`` (HTML-escaped text in our own boxes, no Markdown at all), a
list of values by ``st.text``; ``escaped`` is for Markdown labels built from our own strings
and the layers' names.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import streamlit as st

from geo import i18n
from geo.store import PLAN_START

#: Most unknown URL values listed in the notice (a link may carry thousands).
MAX_IGNORED = 10
_MARKDOWN_SIGNIFICANT = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=\"'^@/%])")

_CSS = """
<style>
/* The overview's tables: plain, printable, numbers right-aligned. */
table.nmg-overview { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
table.nmg-overview th, table.nmg-overview td { border-bottom: 1px solid #e6e6e6; padding: 4px 8px; text-align: left; }
table.nmg-overview .num { text-align: right; font-variant-numeric: tabular-nums; }
/* Streamlit's header bar stays, see-through: its buttons keep working, the title shows below them. */
[data-testid="stHeader"] { background: transparent !important; pointer-events: none; }
[data-testid="stHeader"] button, [data-testid="stHeader"] a, [data-testid="stToolbar"] { pointer-events: auto; }
[data-testid="stMainBlockContainer"] { padding: 2.9rem 1.5rem 2rem !important; }
[data-testid="stMainBlockContainer"] h1 { font-size: 1.45rem !important; line-height: 1.35 !important;
  padding: 0 !important; margin: 0 !important; }
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"] p { margin: 0; }
[data-testid="stMainBlockContainer"] > div > [data-testid="stVerticalBlock"] { gap: 0.5rem; }
[data-testid="stSidebarUserContent"] { padding-top: 0.25rem !important; }
.nmg-alert { padding: 0.7rem 0.9rem; border-radius: 0.5rem; font-size: 0.9rem; line-height: 1.5;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.nmg-error { background: rgba(255, 43, 43, 0.09); color: rgb(125, 53, 59); }
.nmg-warning { background: rgba(255, 193, 7, 0.16); color: rgb(110, 80, 0); }
.nmg-success { background: rgba(33, 195, 84, 0.1); color: rgb(23, 114, 51); }
.nmg-small { font-size: 0.875rem; color: rgba(49, 51, 63, 0.65); overflow-wrap: anywhere; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding: 3rem 0.6rem 1rem !important; }
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.1rem !important; }
}
</style>
"""


def style() -> None:
    """The page's own CSS: a compact header so the map starts high on the screen."""
    st.html(_CSS)


def escaped(text: str) -> str:
    """``text`` with every character Markdown or Streamlit's directives could act on escaped."""
    return _MARKDOWN_SIGNIFICANT.sub(r"\\\1", str(text)).replace("\n", "  \n")


def header(lang: str, *, shown: int, lines: int, year: int | None = None) -> None:
    """Title (of the plan's ``year``) and the count of matching projects, in two short lines."""
    st.title(i18n.t("title", lang, year=year or PLAN_START.year), anchor=False)
    st.caption(i18n.t("count", lang, n=shown, lines=lines, others=shown - lines))


def ignored_values(values: Sequence[str], lang: str) -> None:
    """One notice for URL values that were not understood: at most ``MAX_IGNORED``, as text."""
    if not values:
        return
    with st.container(border=True, key="ignored_notice"):
        st.markdown(":material/warning: " + escaped(i18n.t("ignored", lang, n=len(values))))
        st.text("\n".join(values[:MAX_IGNORED]))
        if len(values) > MAX_IGNORED:
            st.caption(escaped(i18n.t("ignored_more", lang, n=len(values) - MAX_IGNORED)))


def alert(text: str, kind: str = "error") -> None:
    """A message box (``error``, ``warning``, ``success``) whose text is shown exactly as typed."""
    st.html(f'<div class="nmg-alert nmg-{kind}" role="alert">{html.escape(text)}</div>')


def error(text: str) -> None:
    """An error box whose text (possibly with names or notes users typed) is shown as typed."""
    alert(text, "error")


def warning(text: str) -> None:
    """A warning box whose text is shown as typed."""
    alert(text, "warning")


def small(text: str) -> None:
    """A caption whose text (a user's name, an agency) is shown as typed."""
    st.html(f'<div class="nmg-small">{html.escape(text)}</div>')
