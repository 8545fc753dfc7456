"""The user's words in Chinese and English: interface strings, error texts and report texts.

``interface`` holds the page's strings and the functions that format them; ``errors`` and ``report``
hold the texts of error codes and of the annual report, merged into ``STRINGS`` by ``interface``.
"""

from geo.i18n.errors import ERROR_TEXTS, PROBLEM_TEXTS
from geo.i18n.interface import (
    DEFAULT_LANG,
    LANGS,
    STRINGS,
    error_text,
    kind_label,
    lang_or_default,
    precision_label,
    problem_text,
    sector_label,
    status_label,
    t,
)
from geo.i18n.report import REPORT_TEXTS

__all__ = ["DEFAULT_LANG", "ERROR_TEXTS", "LANGS", "PROBLEM_TEXTS", "REPORT_TEXTS", "STRINGS", "error_text",
           "kind_label", "lang_or_default", "precision_label", "problem_text", "sector_label", "status_label", "t"]
