"""The text a reader can see in a notice's body and attachments, as plain text.

Read by the personal-number scan (`disclosure.pii`, before a submission) and by the
full-text search index (`disclosure.search.index`, when a notice is published).

* `html_text`: sanitised HTML to what a reader sees, attribute values included.
* `extract_text`: the text of PDF, DOCX and XLSX attachments, with a label for each
  piece (page, table, sheet and row). Other types give nothing.
* Reading is bounded (MAX_TEXT_CHARS) and never raises on a damaged file; only the error
  type is logged, never content (a file may hold personal numbers).
* The docx paragraph walk and the xlsx cell text are shared with pii's masking, so the
  mask rewrites exactly the text the scan read.
"""

from __future__ import annotations

import html
import io
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import docx
import openpyxl
import pypdf
from docx.oxml.ns import qn

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Text read from one attachment is capped so a huge file cannot stall a submission (or the
# publication that indexes it).
MAX_TEXT_CHARS = 2_000_000


# --- HTML ----------------------------------------------------------------------------------

_TAG_SPLIT_RE = re.compile(r"(<[^>]*>)")
_TAG_NAME_RE = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9]*)")
_ATTR_VALUE_RE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# Inline formatting may split a number ("<strong>138</strong>12345678"); every other tag
# (paragraphs, cells, line breaks, sub/sup footnote marks) separates texts.
_INLINE_TAGS = frozenset({"a", "abbr", "b", "code", "em", "i", "s", "small", "span", "strong", "u"})


def html_tokens(markup: str) -> list[str]:
    """Text and tags, alternating: even indexes are text (maybe empty), odd ones tags."""
    return _TAG_SPLIT_RE.split(markup)


def html_blocks(markup: str) -> Iterator[tuple[list[int], list[str]]]:
    """(indexes of text tokens, tag tokens) for each run of text not broken by a block tag.

    - Indexes point into `html_tokens(markup)`."""
    tokens = html_tokens(markup)
    texts: list[int] = []
    tags: list[str] = []
    for index, token in enumerate(tokens):
        if index % 2 == 0:
            texts.append(index)
            continue
        tags.append(token)
        name = _TAG_NAME_RE.match(token)
        if name is None or name.group(1).lower() not in _INLINE_TAGS:
            yield texts, tags
            texts, tags = [], []
    yield texts, tags


def html_text(markup: str) -> str:
    """What a reader of sanitised HTML can see.

    - Text content, one line per block; inline tags join their neighbours.
    - Attribute values (href, title, alt) follow on their own lines: they are published too.
    - Entities decoded with html.unescape.
    """
    tokens = html_tokens(markup)
    lines: list[str] = []
    attributes: list[str] = []
    for texts, tags in html_blocks(markup):
        lines.append("".join(tokens[index] for index in texts))
        for tag in tags:
            attributes.extend("".join(value) for value in _ATTR_VALUE_RE.findall(tag))
    return html.unescape("\n".join(lines + attributes))


# --- attachments ---------------------------------------------------------------------------

_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def normalise_extension(extension: str) -> str:
    return extension.lower().lstrip(".")


def _pdf_pages(data: bytes) -> Iterator[tuple[str, str]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    for number, page in enumerate(reader.pages, start=1):
        yield _("page %(number)d") % {"number": number}, page.extract_text() or ""


def docx_paragraphs(document: Any) -> Iterator[tuple[str, Any]]:
    """- Every paragraph of the body, in tables (nested ones too) and content controls.
    - Text boxes are stored twice (DrawingML and a VML fallback); the fallback is skipped."""
    for paragraph in document.element.body.iter(qn("w:p")):
        ancestors = {ancestor.tag for ancestor in paragraph.iterancestors()}
        if _FALLBACK not in ancestors:
            yield (_("table") if qn("w:tc") in ancestors else ""), paragraph


def _docx_texts(data: bytes) -> Iterator[tuple[str, str]]:
    document = docx.Document(io.BytesIO(data))
    for suffix, paragraph in docx_paragraphs(document):
        yield suffix, paragraph.text


def cell_text(value: object) -> str:
    # Excel keeps numbers as doubles: 13812345678 may come back as 13812345678.0.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _xlsx_rows(data: bytes) -> Iterator[tuple[str, str]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            # A wrong <dimension> in the file would otherwise hide rows and columns.
            sheet.reset_dimensions()
            for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1):
                # A tab never joins two cells into one number (a space could).
                place = _("sheet %(sheet)s row %(number)d") % {
                    "sheet": sheet.title,
                    "number": number,
                }
                yield place, "\t".join(map(cell_text, row))
    finally:
        workbook.close()


_READERS: dict[str, Callable[[bytes], Iterator[tuple[str, str]]]] = {
    "pdf": _pdf_pages,
    "docx": _docx_texts,
    "xlsx": _xlsx_rows,
}


def _collect(pieces: Iterable[tuple[str, str]], into: list[tuple[str, str]]) -> None:
    total = 0
    for suffix, text in pieces:
        if not text.strip():
            continue
        into.append((suffix, text[: MAX_TEXT_CHARS - total]))
        total += len(text)
        if total >= MAX_TEXT_CHARS:
            logger.info(
                "Text extraction stopped at %d characters of one attachment", MAX_TEXT_CHARS
            )
            return


def extract_text(data: bytes, extension: str) -> list[tuple[str, str]]:
    """[(place suffix, text)] of an attachment.

    - pdf: one item per page ("第N页"); docx: one per paragraph ("" in the body, "表格" in
      a table cell); xlsx: one per row of every sheet, hidden ones too ("工作表 S 第N行").
    - Other extensions (doc, xls, ofd, images) give [] because their text cannot be read.
    - Stops after MAX_TEXT_CHARS characters.
    - A damaged file never raises: the upload gate already checked it, and the submission
      must not crash. What was read before the damage is returned (often nothing).
    """
    extension = normalise_extension(extension)
    reader = _READERS.get(extension)
    found: list[tuple[str, str]] = []
    if reader is None:
        return found
    try:
        _collect(reader(data), found)
    except Exception as error:  # any parser error: only its type is logged, never content
        logger.warning(
            "Text extraction could not read a %s file (%s)", extension, type(error).__name__
        )
    return found
