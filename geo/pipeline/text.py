"""Text stage: plan file bytes → clean Simplified-Chinese lines, with the original kept alongside.

Takes the bytes of a plan as it arrives from the web (UTF-8 or GB18030/GBK, Traditional characters
with pinyin glued on, garbled byte sequences, page furniture, the body printed twice) and gives a
``CleanText``: the merged, repaired, simplified lines, each with the original line it came from, and
a list of ``Damage`` for every sequence that could not be repaired (with its position).
"""

from __future__ import annotations

import codecs
import csv
import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from geo import settings
from geo.errors import PlanReadError
from geo.pipeline.documents import text_from_document

#: A CJK ideograph (basic block and extension A), the characters cleaning must never remove.
CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_PINYIN_LETTERS = "a-zA-ZāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüÜêńňǹḿ"
# Pinyin glued after an ideograph: 區(qū), 經(jīng). Only letters inside, so (一), (2013—2030)
# and (自治区…负责) are never touched.
_GLUED_PINYIN = re.compile(rf"(?<=[{CJK}])(?:[(\uff08][{_PINYIN_LETTERS}]{{1,7}}[)\uff09])+")
# What damaged bytes look like once decoded: a '?' or U+FFFD standing in for a character,
# block elements and stray ASCII inside running Chinese text.
_DAMAGE = re.compile(r"[?\ufffd\u2580-\u259f\ue000-\uf8ff]+")
# Page furniture of the website the plan was copied from: volume mark, copyright, support line.
_FURNITURE = (
    re.compile(r"^\s*\d{4}\s*卷\s*$"),
    re.compile(r"^\s*(版權所有|版权所有|技術支持|技术支持|Copyright)\s*[:\uff1a]"),
)
# Full-width forms of ASCII punctuation and digits (（，：１) → ASCII, as this plan writes them, so
# a copy typed with full-width forms parses the same. The full-width question mark stays: a '?'
# marks damage.
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if c != 0xFF1F}
_SENTENCE_END = re.compile(r"(?<=[。;!?])")
# Byte order marks, the four-byte UTF-32 ones before the UTF-16 ones they begin with.
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


@dataclass(frozen=True)
class Damage:
    """A damaged sequence left in the text: where it is and what surrounds it."""

    line: int
    column: int
    text: str
    context: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.text!r} in {self.context!r}"


@dataclass(frozen=True)
class Line:
    """One clean line (Simplified) with the original line it came from (Traditional, as received)."""

    text: str
    original: str
    number: int


@dataclass
class CleanText:
    """The result of the text stage."""

    lines: list[Line]
    encoding: str
    copies: int
    repairs: list[str] = field(default_factory=list)
    damage: list[Damage] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The clean lines joined with newlines."""
        return "\n".join(line.text for line in self.lines)


def read_plan(path: Path) -> CleanText:
    """Read a plan file and clean it; raises ``PlanReadError`` naming the file when unreadable or too large."""
    limit = settings.max_plan_bytes()
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)  # never more than the limit, whatever stat says (pipes, /dev/zero)
    except OSError as err:
        raise PlanReadError(f"cannot read plan file {str(path)!r}: {err.strerror}", code="plan_unreadable") from err
    return clean_bytes(data, source=str(path))


def clean_bytes(data: bytes, *, source: str = "<bytes>") -> CleanText:
    """Decode ``data`` (or read the text of a web page, Word file or PDF) and run every cleaning step on it."""
    limit = settings.max_plan_bytes()
    if len(data) > limit:
        raise PlanReadError(f"plan file {source!r} has more than {limit / 2**20:.3g} MB; is it the right file?",
                            code="plan_too_large", limit_mb=f"{limit / 2**20:.3g}")
    document = text_from_document(data, source=source)
    if document is not None:  # a web page, Word file or PDF: its text goes through the same cleaning
        return clean_text(document.text, encoding=document.encoding)
    raw, encoding = decode(data, source=source)
    return clean_text(raw, encoding=encoding)


def decode(data: bytes, *, source: str = "<bytes>") -> tuple[str, str]:
    """Decode UTF-8, UTF-16/32 with a byte order mark, or GB18030/GBK bytes.

    Raises ``PlanReadError`` for empty, binary or unknown data, and names UTF-16 without a byte
    order mark (whose byte order cannot be known for sure) instead of calling it binary.
    """
    if not data.strip():
        raise PlanReadError(f"plan file {source!r} is empty", code="plan_empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding.rsplit("-", 1)[0]
            except UnicodeDecodeError as err:
                raise PlanReadError(f"plan file {source!r} starts with a {encoding} byte order mark but is not "
                                    f"{encoding} text ({err.reason} at byte {err.start})",
                                    code="plan_undecodable") from err
    if _looks_like_utf16(data[:4096]):
        raise PlanReadError(f"plan file {source!r} looks like UTF-16 without a byte order mark; save it as UTF-8",
                            code="plan_utf16_no_bom")
    if b"\x00" in data[:4096]:
        raise PlanReadError(f"plan file {source!r} is binary (NUL bytes), not a text document", code="plan_binary")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "gbk", "big5", "utf_16"]).best()
    if best is None:
        raise PlanReadError(f"plan file {source!r} is neither UTF-8 nor GB18030/GBK text", code="plan_undecodable")
    text = str(best)
    if len(re.findall(rf"[{CJK}]", text)) < max(1, len(text) // 10):
        raise PlanReadError(f"plan file {source!r} decodes as {best.encoding} but holds no Chinese text",
                            code="plan_no_chinese", encoding=best.encoding)
    # GBK is a subset of GB18030: decode with the superset so no valid character is lost.
    encoding = "gb18030" if best.encoding in {"gbk", "gb2312", "gb18030"} else best.encoding
    return data.decode(encoding, errors="replace"), encoding


def clean_text(raw: str, *, encoding: str = "utf-8") -> CleanText:
    """Clean decoded text: furniture, pinyin, duplicate copies, repairs, Traditional → Simplified."""
    pairs = [(ln.strip(), strip_pinyin(ln.strip())) for ln in raw.splitlines()]
    pairs = [(orig, text) for orig, text in pairs if text and not is_furniture(text)]
    originals = [orig for orig, _ in pairs]
    unpinned = [text for _, text in pairs]
    merged, copies, learned = merge_copies(unpinned)
    table = {**known_repairs(), **learned}
    repairs: list[str] = []
    lines: list[Line] = []
    for number, (index, text) in enumerate(merged, start=1):
        fixed, used = repair(text, table)
        fixed = strip_pinyin(fixed)  # a repair can expose pinyin glued to the repaired character
        repairs += used
        lines.append(Line(text=to_simplified(fixed), original=originals[index], number=number))
    damage = [d for ln in lines for d in find_damage(ln.text, line=ln.number)]
    return CleanText(lines=lines, encoding=encoding, copies=copies, repairs=repairs, damage=damage)


def is_furniture(line: str) -> bool:
    """True for the website's volume mark, copyright and technical-support lines."""
    return any(p.search(line) for p in _FURNITURE)


def strip_pinyin(text: str) -> str:
    """Remove pinyin glued after ideographs (``區(qū)域`` → ``區域``); never removes an ideograph."""
    return _GLUED_PINYIN.sub("", text)


def to_simplified(text: str) -> str:
    """Traditional → Simplified with OpenCC (``t2s``), full-width ASCII forms → ASCII."""
    simplified: str = _opencc().convert(text)
    return simplified.translate(_FULL_WIDTH)


def damage_count(text: str) -> int:
    """How many damaged sequences ``text`` holds."""
    return len(_DAMAGE.findall(text))


def find_damage(text: str, *, line: int) -> list[Damage]:
    """Every damaged sequence of ``text`` with its position (1-based line and column)."""
    return [
        Damage(line=line, column=m.start() + 1, text=m.group(), context=text[max(0, m.start() - 8): m.end() + 8])
        for m in _DAMAGE.finditer(text)
    ]


def merge_copies(lines: list[str]) -> tuple[list[tuple[int, str]], int, dict[str, str]]:
    """Merge a body printed twice into one, keeping the intact variant of each sentence.

    Returns the merged lines as (index of the original line, text), the number of copies found
    (1 or 2) and the repairs learned where one copy is damaged and the other intact.
    Hand-written: no library aligns two damaged copies of one document sentence by sentence.
    """
    start = _second_copy_start(lines)
    if start is None:
        return list(enumerate(lines)), 1, {}
    first, second = lines[:start], lines[start:]
    learned: dict[str, str] = {}
    merged: list[tuple[int, str]] = []
    matcher = difflib.SequenceMatcher(a=[_key(s) for s in first], b=[_key(s) for s in second], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2)):
                merged.append((i, _merge_line(first[i], second[j], learned)))
        else:
            merged += [(i, first[i]) for i in range(i1, i2)]
            merged += [(start + j, second[j]) for j in range(j1, j2)]
    return merged, 2, learned


def repair(text: str, table: dict[str, str]) -> tuple[str, list[str]]:
    """Replace every known garbled sequence of ``table`` in ``text``; return the text and what was used."""
    used = []
    for bad, good in sorted(table.items(), key=lambda kv: -len(kv[0])):
        if bad in text:
            used.append(f"{bad!r} → {good!r} ×{text.count(bad)}")
            text = text.replace(bad, good)
    return text, used


@lru_cache(maxsize=1)
def known_repairs(path: Path | None = None) -> dict[str, str]:
    """Garbled sequences seen in copies of plans, from ``data/repairs.csv`` (pinyin already removed)."""
    path = path or settings.DATA_DIR / "repairs.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["garbled"]: row["intact"] for row in csv.DictReader(fh)}


def _second_copy_start(lines: list[str]) -> int | None:
    """Index where a second copy of the body begins, or None when the body is printed once."""
    keys = [_key(s) for s in lines]
    n = len(keys)
    for start in range(max(1, n // 3), n - 1):
        length = min(start, n - start)
        if length < 3:
            continue
        same = sum(_similar(keys[i], keys[start + i]) for i in range(length))
        if same >= 0.8 * length:
            return start
    return None


def _key(line: str) -> str:
    """A line with its damage removed, for comparing two copies."""
    return _DAMAGE.sub("", line)


def _similar(a: str, b: str) -> bool:
    return bool(a) and difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio() > 0.9


def _merge_line(a: str, b: str, learned: dict[str, str]) -> str:
    """Merge two copies of one line sentence by sentence, preferring the less damaged variant."""
    da, db = damage_count(a), damage_count(b)
    if not da or not db:
        good, bad = (a, b) if da <= db else (b, a)
        learned.update(_learn(bad, good))
        return good
    sa, sb = _SENTENCE_END.split(a), _SENTENCE_END.split(b)
    if len(sa) != len(sb):
        return a if da <= db else b
    out = []
    for x, y in zip(sa, sb):
        good, bad = (x, y) if damage_count(x) <= damage_count(y) else (y, x)
        if damage_count(bad) and not damage_count(good):
            learned.update(_learn(bad, good))
        out.append(good)
    return "".join(out)


def _learn(bad: str, good: str) -> dict[str, str]:
    """The garbled → intact substitutions that turn ``bad`` into ``good``.

    A garbled run often keeps one character of the intact text inside it (``?。▍^(qū)`` for
    ``省(區``), so differing spans separated by a single equal character are taken together.
    """
    ops = difflib.SequenceMatcher(a=bad, b=good, autojunk=False).get_opcodes()
    spans: list[list[int]] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        if spans and i1 - spans[-1][1] <= 1 and j1 - spans[-1][3] <= 1:
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    return {bad[i1:i2]: good[j1:j2] for i1, i2, j1, j2 in spans if damage_count(bad[i1:i2])}


@lru_cache(maxsize=1)
def _opencc():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def _looks_like_utf16(head: bytes) -> bool:
    """NUL bytes nearly all at even or all at odd offsets, and the bytes decode as UTF-16 that way."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if even + odd < 4 or min(even, odd) > (even + odd) // 10:
        return False
    decoder = codecs.getincrementaldecoder("utf-16-le" if odd > even else "utf-16-be")()
    try:
        decoder.decode(head, final=False)  # the head may end inside a character
    except UnicodeDecodeError:
        return False
    return True
