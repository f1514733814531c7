"""Personal-number scan for the 保密审查 assist (security.md §4.5, regulation.md item 33).

Before a notice is submitted, its title, summary, body and attachments are scanned for
居民身份证号, mobile numbers and bank-card numbers. A hit blocks submission and lists where
it is; `mask_text`, `mask_html` and `mask_attachment` are the one-click mask.

* A hit never carries the raw number anywhere a person reads it: `context` and `place`
  are built from masked text, and nothing here logs text or puts it in an exception.
* Matching is on ASCII digits; full-width digits (１３８…) are folded to ASCII one
  character for one character first, so offsets still point into the original text.
* Numbers must stand alone: an ASCII letter or digit right before or after (and a decimal
  point with digits) means the digits belong to something else, such as an amount, a
  credit code (11350925003580712K) or an index number.
* Masked forms have ``*`` in place of digits, so they never match again: masking is
  idempotent.
* The text scanned is what `disclosure.textextract` reads (`html_text`, `extract_text`),
  the same text the search index holds; masking walks the same HTML blocks, docx
  paragraphs and xlsx cells, so a mask rewrites exactly what the scan found.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

import docx
import openpyxl
from docx.oxml.ns import qn

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

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

logger = logging.getLogger(__name__)


class Kind(StrEnum):
    ID_CARD = "id_card"
    MOBILE = "mobile"
    BANK_CARD = "bank_card"


@dataclass(frozen=True)
class Hit:
    kind: Kind
    value: str  # the number as found, separators dropped (digits, maybe with X)
    masked: str  # what it becomes when masked
    place: str  # human label of where, e.g. "正文", "附件《名册.xlsx》工作表 Sheet1 第3行"
    context: str  # ~20 chars around it, every number in it already masked


class _Match(NamedTuple):
    kind: Kind
    start: int
    end: int
    value: str
    masked: str


# --- patterns ------------------------------------------------------------------------------

# Not glued to a letter or digit, and not the integer or fraction part of a decimal.
_BEFORE = r"(?<![0-9A-Za-z])(?<![0-9]\.)"
_AFTER = r"(?![0-9A-Za-z])(?!\.[0-9])"

_ID_RE = re.compile(_BEFORE + r"[0-9]{17}[0-9Xx]" + _AFTER)
# +86 is allowed in front; the same separator (none, one space or one hyphen) twice.
_MOBILE_RE = re.compile(
    r"(?:\+86[- ]?|" + _BEFORE + r")"
    r"(?P<num>1[3-9][0-9](?P<sep>[- ]?)[0-9]{4}(?P=sep)[0-9]{4})" + _AFTER
)
# Either one run of 16-19 digits, or groups of four split by single spaces.
_CARD_RE = re.compile(
    _BEFORE + r"(?:[0-9]{16,19}|[0-9]{4}(?: [0-9]{4}){3}(?: [0-9]{1,3})?)" + _AFTER
)

# Full-width ASCII (U+FF01..U+FF5E) to ASCII: one code point each, so spans survive.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


# --- validators ----------------------------------------------------------------------------


def _plausible_birth_date(number: str) -> bool:
    """- YYYYMMDD at positions 7-14; year 1900-2099; a real calendar day."""
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if not 1900 <= year <= 2099:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _valid_id(number: str) -> bool:
    """- GB 11643 check character over the first 17 digits; plausible birth date."""
    total = sum(int(digit) * weight for digit, weight in zip(number, _ID_WEIGHTS, strict=False))
    return _ID_CHECK[total % 11] == number[17].upper() and _plausible_birth_date(number)


def is_resident_id(number: str) -> bool:
    """A well-formed 18-character resident ID number (used to check the application form)."""
    return bool(re.fullmatch(r"\d{17}[\dXx]", number)) and _valid_id(number)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _issuer_ok(digits: str) -> bool:
    """- 62 (UnionPay), 4, 51-55, 2221-2720, 34/37, 35."""
    if digits.startswith(("62", "4", "34", "37", "35")):
        return True
    return 51 <= int(digits[:2]) <= 55 or 2221 <= int(digits[:4]) <= 2720


def _valid_credit_code(code: str) -> bool:
    """- GB 32100 unified social credit code check character (digits-only codes here)."""
    total = sum(
        _USCC_CHARS.index(char) * weight for char, weight in zip(code, _USCC_WEIGHTS, strict=False)
    )
    return _USCC_CHARS[(31 - total % 31) % 31] == code[17]


def _valid_card(digits: str) -> bool:
    """- 16-19 digits, issuer prefix, Luhn.
    - 18 digits that look like an ID (a birth date in place) or are a valid credit code
      are not cards: IDs are reported as IDs, and social-organisation codes start 51-53."""
    if not (16 <= len(digits) <= 19 and _issuer_ok(digits) and _luhn_ok(digits)):
        return False
    if len(digits) == 18:
        return not (_plausible_birth_date(digits) or _valid_credit_code(digits))
    return True


# --- finders -------------------------------------------------------------------------------


def _mask_id(number: str) -> str:
    return number[:2] + "*" * 13 + number[-3:]


def _mask_mobile(digits: str) -> str:
    return digits[:3] + "****" + digits[-4:]


def _mask_card(digits: str) -> str:
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def _ids(text: str) -> Iterator[_Match]:
    for found in _ID_RE.finditer(text):
        number = found.group()
        if _valid_id(number):
            yield _Match(Kind.ID_CARD, found.start(), found.end(), number, _mask_id(number))


def _mobiles(text: str) -> Iterator[_Match]:
    for found in _MOBILE_RE.finditer(text):
        digits = re.sub(r"[- ]", "", found.group("num"))
        start, end = found.span("num")
        yield _Match(Kind.MOBILE, start, end, digits, _mask_mobile(digits))


def _card_at(found: re.Match[str]) -> _Match | None:
    """- Grouped numbers with a short tail: if the whole fails, try the first four groups
    (the tail may be an unrelated number that happens to follow)."""
    raw = found.group()
    candidates = [raw, raw[:19]] if " " in raw and len(raw) > 19 else [raw]
    for candidate in candidates:
        digits = candidate.replace(" ", "")
        if _valid_card(digits):
            end = found.start() + len(candidate)
            return _Match(Kind.BANK_CARD, found.start(), end, digits, _mask_card(digits))
    return None


def _cards(text: str) -> Iterator[_Match]:
    # A rejected grouped candidate may hide a real card starting one group later, so the
    # search resumes just after a rejected start rather than after the whole match.
    position = 0
    while found := _CARD_RE.search(text, position):
        match = _card_at(found)
        if match is None:
            position = found.start() + 1
            continue
        yield match
        position = match.end


def _matches(text: str) -> list[_Match]:
    """- IDs first, then cards, then mobiles; a later kind never overlaps an earlier hit."""
    probe = text.translate(_HALF_WIDTH)
    taken: set[int] = set()
    accepted: list[_Match] = []
    for finder in (_ids, _cards, _mobiles):
        for match in finder(probe):
            span = range(match.start, match.end)
            if not taken.intersection(span):
                taken.update(span)
                accepted.append(match)
    return sorted(accepted, key=lambda match: match.start)


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

    - ID: 18 chars, GB 11643 checksum, plausible birth date.
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
        Hit(match.kind, match.value, match.masked, label, _context(masked, span))
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

KIND_NAMES = {
    Kind.ID_CARD: gettext_lazy("ID card number"),
    Kind.MOBILE: gettext_lazy("Mobile number"),
    Kind.BANK_CARD: gettext_lazy("Bank card number"),
}


def _marked(match: _Match) -> str:
    # The kind is text, not an aria-label: a screen reader reads it (a <mark> alone is
    # rarely announced), and a sighted clerk sees it too.
    kind = escape(KIND_NAMES[match.kind])
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
