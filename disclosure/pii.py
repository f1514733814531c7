"""Personal-number scan for the 保密审查 assist (security.md §4.5, regulation.md item 33).

Before a notice is submitted, its title, summary, body and attachments are scanned for
居民身份证号, mobile numbers and bank-card numbers. A hit blocks submission and lists where
it is; `mask_text`, `mask_html` and `mask_attachment` are the one-click mask. What counts
as each kind of number, and its masked form, is `disclosure.pii_patterns`.

* A hit never carries the raw number anywhere a person reads it: `context` and `place`
  are built from masked text, and nothing here logs text or puts it in an exception.
* Matching is on ASCII digits; full-width digits (１３８…) are folded to ASCII one
  character for one character first, so offsets still point into the original text.
* Masked forms have ``*`` in place of digits, so they never match again: masking is
  idempotent.
* The text scanned is what `disclosure.textextract` reads (`html_text`, `extract_text`),
  the same text the search index holds; masking walks the same HTML blocks, docx
  paragraphs and xlsx cells, so a mask rewrites exactly what the scan found.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import docx
import openpyxl
from docx.oxml.ns import qn

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from .pii_patterns import (
    Kind,
    find_matches,
    is_resident_id,
    mask_card_number,
    mask_id_number,
    mask_phone_number,
)
from .pii_patterns import Match as _Match
from .sanitize import sanitize_html
from .textextract import (
    cell_text,
    docx_paragraphs,
    extract_text,
    html_blocks,
    html_text,
    html_tokens,
    normalise_extension,
)

__all__ = [
    "KIND_NAMES", "Hit", "Kind", "find_numbers", "find_numbers_in_html",
    "highlight_numbers_in_html", "is_resident_id", "mask_attachment", "mask_card_number",
    "mask_html", "mask_id_number", "mask_phone_number", "mask_text", "scan_attachment",
]  # fmt: skip

logger = logging.getLogger(__name__)

KIND_NAMES = {
    Kind.ID_CARD: gettext_lazy("ID card number"),
    Kind.MOBILE: gettext_lazy("Mobile number"),
    Kind.BANK_CARD: gettext_lazy("Bank card number"),
}
WRONG_CHECK_NAME = gettext_lazy("ID card number (wrong check character, mistyped?)")


def _label(kind: Kind, check_digit_ok: bool) -> str:
    return KIND_NAMES[kind] if check_digit_ok else WRONG_CHECK_NAME


@dataclass(frozen=True)
class Hit:
    kind: Kind
    value: str  # the number as found, separators dropped (digits, maybe with X)
    masked: str  # what it becomes when masked
    place: str  # human label of where, e.g. "正文", "附件《名册.xlsx》工作表 Sheet1 第3行"
    context: str  # ~20 chars around it, every number in it already masked
    # False for an ID whose check character does not match its 17 digits: still a
    # person's number (most likely mistyped), so it blocks and is masked all the same.
    check_digit_ok: bool = True

    @property
    def label(self) -> str:
        """The kind as staff read it; an ID with a wrong check character says so."""
        return _label(self.kind, self.check_digit_ok)


# Full-width ASCII (U+FF01..U+FF5E) to ASCII: one code point each, so spans survive.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _matches(text: str) -> list[_Match]:
    return find_matches(text.translate(_HALF_WIDTH))


def _apply(text: str, matches: list[_Match]) -> tuple[str, list[tuple[int, int]]]:
    """Masked text, and where each match's masked form sits in it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    position = size = 0
    for match in matches:
        parts.append(text[position : match.start])
        size += match.start - position
        spans.append((size, size + len(match.masked)))
        parts.append(match.masked)
        size += len(match.masked)
        position = match.end
    parts.append(text[position:])
    return "".join(parts), spans


def _context(masked: str, span: tuple[int, int], width: int = 10) -> str:
    start, end = span
    around = masked[max(0, start - width) : end + width]
    return " ".join(around.split())


def find_numbers(text: str, place: str) -> list[Hit]:
    """Every personal number in plain text, in order.

    - ID: 18 chars, GB 11643 checksum, plausible birth date; or a wrong check character
      with a province, a birth date not after today and no credit code (`check_digit_ok`
      False).
    - Mobile: 11 digits 1[3-9]…, or 3-4-4 with single spaces or hyphens; +86 allowed.
    - Bank card: 16-19 digits (or groups of four), issuer prefix, Luhn-valid, not an ID.
    - `context` is cut from the fully masked text, so no number in it is raw; `place` is
      masked too in case a label (a file or sheet name) carries a number.
    """
    matches = _matches(text)
    if not matches:
        return []
    masked, spans = _apply(text, matches)
    label = mask_text(place)
    return [
        Hit(
            match.kind,
            match.value,
            match.masked,
            label,
            _context(masked, span),
            match.check_digit_ok,
        )  # fmt: skip
        for match, span in zip(matches, spans, strict=True)
    ]


def mask_text(text: str) -> str:
    """- Every hit replaced in place by its masked form; the rest of the text untouched.
    - Idempotent: masked forms contain ``*`` and never match again."""
    matches = _matches(text)
    return _apply(text, matches)[0] if matches else text


# --- pieces: one logical text stored in several chunks (Word runs, HTML text nodes) -------


def _keep(joined: str, owners: list[int], offsets: range, into: list[list[str]]) -> None:
    for offset in offsets:
        into[owners[offset]].append(joined[offset])


def _mask_pieces(
    pieces: list[str], render: Callable[[_Match], str] = lambda match: match.masked
) -> list[str] | None:
    """Mask a text that is split into pieces, keeping the pieces.

    - The masked form (`render(match)`) goes into the piece where the number starts; the
      number's other characters are removed from their pieces, so formatting around it
      survives.
    - None when nothing needs masking.
    """
    joined = "".join(pieces)
    matches = _matches(joined)
    if not matches:
        return None
    owners = [index for index, piece in enumerate(pieces) for _ in piece]
    result: list[list[str]] = [[] for _ in pieces]
    position = 0
    for match in matches:
        _keep(joined, owners, range(position, match.start), result)
        result[owners[match.start]].append(render(match))
        position = match.end
    _keep(joined, owners, range(position, len(joined)), result)
    return ["".join(chars) for chars in result]


# --- HTML ----------------------------------------------------------------------------------


def find_numbers_in_html(markup: str, place: str) -> list[Hit]:
    """- `find_numbers` over `html_text(markup)`; context is readable text, not markup."""
    return find_numbers(html_text(markup), place)


def mask_html(markup: str) -> str:
    """Mask a sanitised HTML body, keeping every tag.

    - Text is masked per block, so a number split by inline tags is masked too (the mask
      lands in the node where the number starts).
    - Attribute values are masked like plain text, since `html_text` scans them.
    - Entity-encoded digits (``&#49;``) are found by the scan but not masked here; nh3
      never writes digits that way, so this only matters for hand-made markup.
    """
    tokens = html_tokens(markup)
    for texts, _tags in html_blocks(markup):
        masked = _mask_pieces([tokens[index] for index in texts])
        if masked is None:
            continue
        for index, piece in zip(texts, masked, strict=True):
            tokens[index] = piece
    for index in range(1, len(tokens), 2):
        tokens[index] = mask_text(tokens[index])
    return "".join(tokens)


# --- HTML: showing where the numbers are ---------------------------------------------------


def _marked(match: _Match) -> str:
    # The kind is text, not an aria-label: a screen reader reads it (a <mark> alone is
    # rarely announced), and a sighted clerk sees it too.
    kind = escape(_label(match.kind, match.check_digit_ok))
    return f'<mark class="pii-hit"><span class="pii-hit-kind">{kind}</span>{match.masked}</mark>'


def highlight_numbers_in_html(markup: str) -> SafeString:
    """The body with every personal number marked where it stands, for the clerk to find.

    - Each number is shown masked, never raw (as `Hit.context`), in
      ``<mark class="pii-hit">`` after its kind as text ("身份证号").
    - Found block by block, as `find_numbers_in_html` and `mask_html` find them: a number
      split by inline tags is marked in the piece where it starts.
    - Numbers in attribute values (a link's address) are masked there; they cannot be
      marked, and the findings table lists them.
    - Empty when the body holds no number, so a template can test it.
    - The markup is sanitised first and the marks are ours, so the result is safe HTML.
    """
    markup = sanitize_html(markup)
    tokens = html_tokens(markup)
    found = False
    for texts, _tags in html_blocks(markup):
        marked = _mask_pieces([tokens[index] for index in texts], render=_marked)
        if marked is None:
            continue
        found = True
        for index, piece in zip(texts, marked, strict=True):
            tokens[index] = piece
    for index in range(1, len(tokens), 2):
        masked = mask_text(tokens[index])
        found = found or masked != tokens[index]
        tokens[index] = masked
    return mark_safe("".join(tokens)) if found else SafeString("")  # noqa: S308


# --- attachments: scanning -----------------------------------------------------------------


def scan_attachment(data: bytes, extension: str, name: str) -> list[Hit]:
    """- Places are "附件《name》" plus the `extract_text` suffix.
    - The file name is published too, so it is scanned ("附件《name》文件名"), and it is
      shown masked in every place label."""
    label = f"附件《{mask_text(name)}》"
    hits = find_numbers(name, label + "文件名")
    for suffix, text in extract_text(data, extension):
        hits.extend(find_numbers(text, label + suffix))
    return hits


# --- attachments: masking ------------------------------------------------------------------

_RUN_PARTS = "w:br | w:cr | w:noBreakHyphen | w:ptab | w:t | w:tab"  # as python-docx Run.text


def _set_run_part(element: Any, text: str) -> None:
    if str(element) == text:
        return
    if element.tag == qn("w:t"):
        element.text = text
        # The new text may now start or end with a space, which Word drops unless told.
        element.set(qn("xml:space"), "preserve")
    else:
        # A tab, break or no-break hyphen inside a number: the mask replaces it.
        element.getparent().remove(element)


def _mask_paragraph(paragraph: Any) -> bool:
    """- Masks across runs (and hyperlink runs), so a number split by formatting is masked.
    - Only the w:t text changes: run formatting, images and fields stay."""
    parts = [
        part for run in paragraph.xpath("w:r | w:hyperlink/w:r") for part in run.xpath(_RUN_PARTS)
    ]
    masked = _mask_pieces([str(part) for part in parts])
    if masked is None:
        return False
    for part, text in zip(parts, masked, strict=True):
        _set_run_part(part, text)
    return True


def _mask_docx(data: bytes) -> bytes:
    document = docx.Document(io.BytesIO(data))
    changed = [_mask_paragraph(paragraph) for _, paragraph in docx_paragraphs(document)]
    if not any(changed):
        return data
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _masked_cell(cell: Any) -> str | None:
    """- Strings are masked; whole numbers are masked as their digits (the cell becomes
    text); formulas, booleans and dates are left alone. None when nothing changes."""
    value = cell.value
    if cell.data_type == "f" or isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value
    elif isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        text = cell_text(value)
    else:
        return None
    masked = mask_text(text)
    return masked if masked != text else None


def _mask_xlsx(data: bytes) -> bytes:
    # Full (not read-only) mode, so the workbook can be written back with formulas kept.
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    changed = False
    cells = (cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row)
    for cell in cells:
        masked = _masked_cell(cell)
        if masked is not None:
            cell.value = masked
            changed = True
    if not changed:
        return data
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_MASKERS: dict[str, Callable[[bytes], bytes]] = {"docx": _mask_docx, "xlsx": _mask_xlsx}


def mask_attachment(data: bytes, extension: str) -> bytes | None:
    """The attachment rewritten with every number masked, or None if that is not possible.

    - docx: the text of paragraphs and table cells (what `extract_text` reads).
    - xlsx: string cells and whole-number cells of every sheet.
    - pdf and everything else: None, the uploader must replace the file.
    - A file that cannot be read or written also gives None (only the error type is logged).
    - The unchanged bytes come back when there was nothing to mask.
    """
    extension = normalise_extension(extension)
    masker = _MASKERS.get(extension)
    if masker is None:
        return None
    try:
        return masker(data)
    except Exception as error:  # any parser error: only its type is logged, never content
        logger.warning("PII mask could not rewrite a %s file (%s)", extension, type(error).__name__)
        return None
