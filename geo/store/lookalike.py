"""Names that look alike: the skeleton of an account name, after Unicode's confusables (UTS #39).

Takes a name (already NFKC-normalised); gives the string two names share when a reader could
take one for the other: ``al\u0456ce`` (Cyrillic і) and ``alice``, ``\u0430dmin`` (Cyrillic а) and
``admin``, ``A1ice`` and ``alice``. The confusable pairs come from the ``confusable_homoglyphs``
package (Unicode's ``confusables.txt``); case is folded first, since a name is read, not typed.
"""

from __future__ import annotations

from functools import cache

#: ASCII characters that are confusable with each other, each group written as its first member.
_ASCII_GROUPS: tuple[str, ...] = ("1lI|", "0O", "'`")


def name_skeleton(name: str) -> str:
    """What ``name`` looks like: case folded, each confusable character as its ASCII look-alike."""
    table = _prototypes()
    folded = name.casefold()
    return "".join(table.get(c, c) for c in folded).casefold().translate(_ascii_table())


@cache
def _prototypes() -> dict[str, str]:
    """Every non-ASCII character with an ASCII look-alike → that look-alike."""
    try:
        from confusable_homoglyphs.utils import load
    except ImportError as err:  # pragma: no cover - a requirement
        raise ImportError("the look-alike name check needs the confusable_homoglyphs package "
                          "(pip install -r requirements.txt)") from err
    table: dict[str, str] = {}
    for char, homoglyphs in load("confusables.json").items():
        if len(char) != 1 or char.isascii():
            continue
        ascii_ones = [g["c"] for g in homoglyphs if len(g["c"]) == 1 and g["c"].isascii() and g["c"].isprintable()]
        if ascii_ones:
            table[char] = ascii_ones[0]
    return table


@cache
def _ascii_table() -> dict[int, str]:
    return {ord(c): group[0] for group in _ASCII_GROUPS for c in group[1:]}
