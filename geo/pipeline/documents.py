"""Document forms: the bytes of a plan saved as a web page, a Word file or a PDF → its plain text.

Takes the bytes of a plan file and its name, recognises the form by content (``%PDF``, a zip
holding ``word/document.xml``, ``<html``/``<!DOCTYPE``) or else by suffix, and gives the plan's
text, one paragraph a line, for the text stage (``geo.pipeline.text``) to repair and normalise like any
pasted text. Plain text gives ``None``: the text stage decodes it itself.

Each form is read with the library made for it: trafilatura finds the article of a web page and
leaves the site's navigation, footer and scripts behind; python-docx reads a Word file's
paragraphs and tables in order; pdfplumber reads a PDF's text layer with the position of every
line, from which the lines that the page width broke are joined back into paragraphs.
"""

from __future__ import annotations

import io
import re
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.errors import PlanReadError

#: The forms read here; plain text is the text stage's own.
FORMS = ("html", "docx", "pdf")
_SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html", ".docx": "docx", ".pdf": "pdf"}
# A declared charset in the first bytes of a page (<meta charset=…> or http-equiv Content-Type).
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Chinese sites declare gb2312 or gbk and write characters only GB18030, the superset, has.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312", "csgb2312"}
# Sentence-ending punctuation (ASCII and full-width), optionally followed by closing quotes.
_SENTENCE_END = re.compile(r"[。;:!?;:!?…][”’」』》)]?$")
# A line that opens a new heading or item: 一、 (一) (1) 1、 1. 第一章/条/节/部分.
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|[((][一二三四五六七八九十百\d]+[))]|\d{1,2}[、.．](?!\d)"
    r"|第[一二三四五六七八九十百\d]+[章条节部分])")
# Page numbers printed as lines: "- 3 -", "—3—", "3", "第3页", "第 3 页 共 10 页", "3/10".
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–~]*\s*\d{1,4}\s*[-—–~]*|第\s*\d{1,4}\s*页(?:\s*[,,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class DocumentText:
    """The plain text of a document and the form it came in."""

    text: str
    form: str
    encoding: str  # what the build report names: "docx", "pdf", or the page's charset and "(html)"


@dataclass(frozen=True)
class PrintedLine:
    """One line of a PDF's text layer, with where it stands between the text column's edges."""

    text: str
    x0: float
    x1: float
    left: float  # the text column's left edge (the smallest x0 of the document's lines)
    right: float  # the text column's right edge (the largest x1)
    char_width: float


def text_from_document(data: bytes, *, source: str = "<bytes>") -> DocumentText | None:
    """The text of a web page, Word file or PDF; ``None`` for anything else (plain text, or empty).

    ``source`` is the file's name: its suffix decides the form when the content does not.
    Raises ``PlanReadError`` for a damaged document, a PDF without a text layer (a scan), and a
    document with no text in it.
    """
    if not data.strip():
        return None  # the text stage says the file is empty, whatever its suffix
    form = form_of(data, suffix=Path(source).suffix)
    if form == "html":
        return text_from_html(data, source=source)
    if form == "docx":
        return text_from_docx(data, source=source)
    if form == "pdf":
        return text_from_pdf(data, source=source)
    return None


def form_of(data: bytes, *, suffix: str = "") -> str | None:
    """``"pdf"``, ``"docx"`` or ``"html"`` by magic bytes, else by ``suffix``; ``None`` for text."""
    if b"%PDF-" in data[:1024]:  # readers accept a header after up to 1 KB of junk
        return "pdf"
    # A zip's member names are stored uncompressed, so the Word part's name can be seen.
    if data.startswith(b"PK\x03\x04") and b"word/document.xml" in data:
        return "docx"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<") and b"<html" in head):
        return "html"
    return _SUFFIXES.get(suffix.lower())


def text_from_html(data: bytes, *, source: str = "<bytes>") -> DocumentText:
    """The article of a saved web page, each paragraph, heading and list item on a line of its own."""
    markup, encoding = decode_html(data)
    try:
        import trafilatura
    except ImportError as err:
        raise ImportError("reading web pages needs trafilatura (pip install trafilatura)") from err
    # Precision: on a short page the default falls back to a baseline that keeps the navigation
    # and runs every paragraph into one. The metadata carries the page's <h1> title.
    document = trafilatura.bare_extraction(markup, include_comments=False, include_tables=True,
                                           with_metadata=True, favor_precision=True)
    body = getattr(document, "body", None)
    lines = list(_blocks(body)) if body is not None else []
    if not any(_CJK.search(line) for line in lines):
        raise PlanReadError(f"web page {source!r} holds no article text (only navigation, or a script-built page)",
                            code="plan_no_text", form="HTML")
    title = (getattr(document, "title", None) or "").strip()
    if title and _CJK.search(title) and not any(title in line for line in lines[:3]):
        lines.insert(0, title)  # the extractor keeps the page's <h1> as metadata, not in the body
    return DocumentText("\n".join(lines), "html", f"{encoding} (html)")


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode a page by its byte order mark, its declared charset, or else as UTF-8 or GB18030."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), encoding.rsplit("-", 1)[0]
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        encoding = "gb18030" if name in _GB_FAMILY else name
        try:
            # Undecodable bytes become U+FFFD, which the text stage reports as damage with its place.
            return data.decode(encoding, errors="replace"), encoding
        except LookupError:
            pass  # an unknown charset name: guess as for an undeclared page
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace"), "utf-8"


def text_from_docx(data: bytes, *, source: str = "<bytes>") -> DocumentText:
    """A Word file's paragraphs and tables in document order, each table row on one line."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.table import Table
    except ImportError as err:
        raise ImportError("reading Word files needs python-docx (pip install python-docx)") from err
    from zipfile import BadZipFile

    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
        lines = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines += _table_rows(block)
            else:
                lines.append(block.text)
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError, XMLSyntaxError) as err:
        raise PlanReadError(f"Word file {source!r} is damaged or not a .docx file ({err})",
                            code="plan_damaged", form="Word") from err
    text = "\n".join(line.strip() for line in lines if line.strip())
    if not text:
        raise PlanReadError(f"Word file {source!r} holds no text", code="plan_no_text", form="Word")
    return DocumentText(text, "docx", "docx")


def text_from_pdf(data: bytes, *, source: str = "<bytes>") -> DocumentText:
    """A PDF's text layer in page order, lines broken by the page width joined back into paragraphs."""
    lines = printed_lines(data, source=source)
    if not lines:
        raise PlanReadError(f"PDF {source!r} has no text layer (a scan?); it needs OCR before it can be read",
                            code="plan_no_text_layer")
    return DocumentText("\n".join(paragraphs_from_lines(lines)), "pdf", "pdf")


def printed_lines(data: bytes, *, source: str = "<bytes>") -> list[PrintedLine]:
    """Every text line of every page, page numbers left out, with the text column's edges."""
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
        from pdfminer.psexceptions import PSException
        from pdfplumber.utils.exceptions import PdfminerException
    except ImportError as err:
        raise ImportError("reading PDFs needs pdfplumber (pip install pdfplumber)") from err
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            raw = [line for page in pdf.pages for line in page.extract_text_lines(return_chars=True)]
    except (PdfminerException, PDFSyntaxError, PSException, PDFEncryptionError, PDFPasswordIncorrect,
            ValueError, KeyError, TypeError) as err:
        raise PlanReadError(f"PDF {source!r} is damaged or encrypted ({type(err).__name__}: {err})",
                            code="plan_damaged", form="PDF") from err
    raw = [line for line in raw if line["text"].strip() and not is_page_number(line["text"])]
    if not raw:
        return []
    left, right = min(line["x0"] for line in raw), max(line["x1"] for line in raw)
    return [PrintedLine(line["text"].strip(), line["x0"], line["x1"], left, right, _char_width(line))
            for line in raw]


def paragraphs_from_lines(lines: Sequence[PrintedLine]) -> list[str]:
    """Join lines that the page width broke back into the paragraphs they were printed from.

    A line continues the one before it when that one ran to the column's right edge and did not
    end a sentence (。;:!?), or, in a document whose paragraphs open with an indent, when it
    starts flush at the left edge (a note such as ``(…负责)`` wrapped after a full stop). A line
    that opens a heading or a numbered item always starts a paragraph.
    """
    indented = _uses_first_line_indent(lines)
    paragraphs: list[str] = []
    previous: PrintedLine | None = None
    for line in lines:
        if previous is not None and _continues(previous, line, indented=indented):
            paragraphs[-1] = _join(paragraphs[-1], line.text)
        else:
            paragraphs.append(line.text)
        previous = line
    return paragraphs


def is_page_number(text: str) -> bool:
    """True for a printed page number line: ``- 3 -``, ``—3—``, ``第3页``, ``第 3 页 共 10 页``, ``3/10``."""
    return bool(_PAGE_NUMBER.match(text))


def _continues(previous: PrintedLine, line: PrintedLine, *, indented: bool) -> bool:
    full = previous.x1 >= previous.right - 1.5 * previous.char_width
    if not full or _HEADING_START.match(line.text):
        return False
    flush = line.x0 - line.left < 0.5 * line.char_width
    return not _SENTENCE_END.search(previous.text) or (indented and flush)


def _uses_first_line_indent(lines: Sequence[PrintedLine]) -> bool:
    """True when paragraphs open one to four characters in from the left edge (centred lines are further in)."""
    return any(1.5 * ln.char_width <= ln.x0 - ln.left <= 4.5 * ln.char_width for ln in lines)


def _join(head: str, tail: str) -> str:
    # Chinese runs on without a space; two Latin words broken at the line end need one back.
    if head[-1:].isascii() and head[-1:].isalpha() and tail[:1].isascii() and tail[:1].isalpha():
        return f"{head} {tail}"
    return head + tail


def _char_width(line: dict[str, Any]) -> float:
    widths = [c["x1"] - c["x0"] for c in line.get("chars", []) if c["text"].strip()]
    return statistics.median(widths) if widths else float(line["bottom"] - line["top"])


def _table_rows(table: Any) -> list[str]:
    """Each row of a Word table as one line, its cells separated by tabs (a merged cell once)."""
    rows = []
    for row in table.rows:
        cells: list[Any] = []
        for cell in row.cells:  # a merged cell is returned once for every grid column it spans
            if not cells or cell._tc is not cells[-1]._tc:
                cells.append(cell)
        rows.append("\t".join(" ".join(cell.text.split()) for cell in cells))
    return rows


def _blocks(element: Any) -> Iterator[str]:
    """The lines of trafilatura's article tree: one per paragraph, heading, list item, table row."""
    tag = element.tag
    if tag in {"p", "head", "item", "quote", "code"} and not any(child.tag in {"list", "table"} for child in element):
        yield from (part.strip() for part in _text_with_breaks(element).split("\n") if part.strip())
    elif tag == "row":
        yield "\t".join(" ".join(_text_with_breaks(cell).split()) for cell in element)
    else:
        if element.text and element.text.strip() and tag not in {"body", "doc", "list", "table"}:
            yield element.text.strip()
        for child in element:
            yield from _blocks(child)
            if child.tail and child.tail.strip():
                yield child.tail.strip()


def _text_with_breaks(element: Any) -> str:
    """The text of an element, a line break (``<lb/>``) kept as a newline."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _text_with_breaks(child))
        parts.append(child.tail or "")
    return "".join(parts)
