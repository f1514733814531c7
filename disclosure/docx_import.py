"""Turn a Word .docx a clerk already has into a draft notice (title, 文号, body).

Township clerks write notices in Word or WPS; retyping them into the admin is where
mistakes creep in. `import_docx()` fills the form from the file and the clerk
corrects what needs correcting, so every guess here errs towards "leave it in the
body" rather than losing text.

The usual 公文 layout is, from the top: an optional 发文机关标志 banner ("青岚镇人民政府
文件"), the 发文字号 line ("青政发〔2026〕3号"), the title, the 主送机关 line
("各村（居）委会、镇直各单位："), then the text. The banner and the 文号 line become
form fields (or nothing) and the title becomes the title, so all three are taken out
of the body instead of being repeated under the page heading.

Title rules, in order:

1. a Title / Heading 1 paragraph, or a centred paragraph that is all bold or set in
   a large font (how Chinese documents mark the title without styles), among the
   first few paragraphs; consecutive centred title lines are joined, because long
   公文 titles are often broken over two lines;
2. else the first paragraph, if it is at most 60 characters;
3. else (the document starts straight with a long paragraph, so it has no title)
   the paragraph's first sentence, cut to 60 characters with "…". That paragraph
   stays in the body, and a message asks the clerk to write a real title.

Body rules (what lands in the editor, `disclosure.editor`):

* Heading styles (Title, Heading N, WPS's 标题 N) become h2 and below: the page's h1 is the
  notice title.
* Clerks rarely use heading styles; they number headings as GB/T 9704 does. A short
  unstyled paragraph that starts with 公文 numbering is a heading: "一、" is h2, "（一）"
  h3, "1." h4, the three heading levels the editor offers. "（1）" stays a paragraph: it is
  the fourth level, which 公文 run into the text ("（1）申请人持身份证……"). A paragraph is
  short when it has at most HEADING_MAX_CHARS characters and no sentence punctuation
  before its last character; a long or run-in one ("（一）加强领导。各村要……") stays text.
* Each table keeps a header row: Word's own "repeat as header row" rows, or else the first
  row (with the rows a cell of it spans into), unless that would leave no body row.

The front matter is found by `disclosure.docx_front`. The body goes through
`disclosure.sanitize.clean_body`, as the form's body does: the project's one sanitiser
(no styles, scripts, event handlers or unsafe URLs), then header rows in <thead>.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from xml.parsers.expat import ExpatError

import mammoth
from mammoth import documents

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from disclosure.docx_front import FrontMatter, plain_text
from disclosure.sanitize import clean_body
from disclosure.uploads import clean_upload

MAX_MESSAGES = 5  # more than this and nobody reads them
# Headings found by their 公文 numbering are given these style names (`_structure`), by
# which the style map below makes them h2-h4.
NUMBERED_HEADING_STYLES = {2: "Portal numbered heading 2", 3: "Portal numbered heading 3",
                           4: "Portal numbered heading 4"}  # fmt: skip
# Heading 1 becomes h2 because the page already has its own h1 (the notice title);
# lower levels shift down with it. Style names match case-insensitively in mammoth.
# "标题 N" covers WPS documents whose headings were created as custom styles.
STYLE_MAP = "\n".join(
    [
        *(
            f"p[style-name='{name}'] => h{level}:fresh"
            for level, name in NUMBERED_HEADING_STYLES.items()
        ),
        "p[style-name='Title'] => h2:fresh",
        "p.Title => h2:fresh",
        "p[style-name='Subtitle'] => h3:fresh",
        *(
            line
            for level in range(1, 6)
            for line in (
                f"p[style-name='Heading {level}'] => h{level + 1}:fresh",
                f"p.Heading{level} => h{level + 1}:fresh",
                f"p[style-name='标题 {level}'] => h{level + 1}:fresh",
            )
        ),
    ]
)
# Styles that already decide the level (mapped above, or a heading Word knows of).
_HEADING_STYLE_PREFIXES = ("title", "subtitle", "heading", "标题", "portal numbered heading")

# 公文 numbering of the three heading levels (GB/T 9704 7.3.3), deepest last.
_HEADING_NUMBERS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"^[一二三四五六七八九十]+、"), 2),
    (re.compile(r"^[（(][一二三四五六七八九十]+[）)]"), 3),
    (re.compile(r"^\d{1,2}[.．、](?!\d)"), 4),  # not "1.5万元"
)
HEADING_MAX_CHARS = 40
_SENTENCE_PUNCTUATION = re.compile(r"[。！？；：!?;:]")
IMAGES_DROPPED = _lazy("The document's pictures were not imported; upload them as attachments.")
TITLE_GUESSED = _lazy(
    "The document has no title at the top; its first sentence stands in for one. Change the title."
)
TITLE_MISSING = _lazy("No title was found in the document. Write the title.")
NO_TEXT = _lazy("The document holds no text to import.")
# mammoth's own warnings are for developers; only those that mean "some content
# is missing or may be wrong" are shown, reworded for the clerk.
_MAMMOTH_WARNINGS: tuple[tuple[str, Any], ...] = (
    ("An unrecognised element was ignored: m:",
     _lazy("The document's formulas could not be imported; check against the original.")),
    ("An unrecognised element was ignored",
     _lazy("Part of the document could not be read and was left out; check against the original.")),
    ("A w:sym element",
     _lazy("Some special symbols could not be converted and were left out; "
           "check against the original.")),
    ("cell merging may be incorrect",
     _lazy("A table is complex: its merged cells may be wrong. Check the table.")),
)  # fmt: skip
# Markers WPS and Word leave in documents that carry no content.
_HARMLESS_ELEMENTS = ("w:permStart", "w:permEnd", "w:rsid")

# What mammoth can raise on a zip that passed the upload checks but whose Word
# parts are broken (missing parts, malformed XML, impossible values).
_CONVERSION_ERRORS = (
    zipfile.BadZipFile,
    ExpatError,
    LookupError,  # missing parts (KeyError) and unknown XML encodings
    ValueError,  # includes UnicodeDecodeError
    OSError,
    EOFError,
)
# Upload refusals that all mean "this is not a docx we can read"; the others
# (empty, too large, zip bomb, password) already say what to do.
_NOT_DOCX_CODES = frozenset({"unknown_type", "type_mismatch", "damaged", "type_not_allowed"})


@dataclass(frozen=True)
class ImportedDocument:
    title: str  # plain text, at most 200 chars
    body: str  # sanitised HTML (the project's one sanitiser)
    document_number: str  # e.g. "青政发〔2026〕3号" when found near the top, else ""
    messages: list[str]  # what the clerk should check, in their language, deduplicated, at most 5


def import_docx(data: bytes) -> ImportedDocument:
    """Read a .docx and return a draft title, body and 文号 for the clerk to check.

    Raises `ValidationError` when the bytes are not a .docx that can be read.
    """
    _check_upload(data)
    front = FrontMatter()
    images = _ImageDropper()
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            transform_document=lambda document: _structure(front.remove_from(document)),
            convert_image=images,
            # A style map embedded in the file would let the document decide its own
            # HTML; linked images would make the server read files it names.
            include_embedded_style_map=False,
            external_file_access=False,
        )
    except _CONVERSION_ERRORS as exc:
        raise _not_docx() from exc
    body = _finish_body(result.value)
    messages = _front_messages(front, body) + ([IMAGES_DROPPED] if images.dropped else [])
    messages += _clerk_messages(message.message for message in result.messages)
    return ImportedDocument(
        title=front.title,
        body=body,
        document_number=front.document_number,
        messages=[str(message) for message in _first_unique(messages, MAX_MESSAGES)],
    )


# --- validation ---------------------------------------------------------------------------


def _check_upload(data: bytes) -> None:
    # The upload gate already knows how to refuse oversized files, zip bombs and
    # password-protected documents; the importer reuses it rather than unpacking
    # an unchecked archive itself.
    try:
        upload = clean_upload(SimpleUploadedFile("import.docx", data))
    except ValidationError as exc:
        if getattr(exc, "code", None) in _NOT_DOCX_CODES:
            raise _not_docx() from exc
        raise
    if upload.extension != "docx":
        raise _not_docx()


def _not_docx() -> ValidationError:
    return ValidationError(
        _(
            "This is not a Word .docx file the portal can read. Save it as .docx in Word "
            "or WPS and try again."
        ),
        code="not_docx",
    )


# --- structure: numbered headings, table header rows ---------------------------------------


def _structure(document: Any) -> Any:
    """Headings from 公文 numbering and table header rows (module docstring, body rules)."""
    return document.copy(children=[_structured(child) for child in document.children])


def _structured(element: Any) -> Any:
    if isinstance(element, documents.Paragraph):
        level = _numbered_heading_level(element)
        return element.copy(style_name=NUMBERED_HEADING_STYLES[level]) if level else element
    if isinstance(element, documents.Table):
        return _with_header_rows(element)
    return element


def _numbered_heading_level(paragraph: Any) -> int | None:
    """h2-h4 for a short unstyled top-level paragraph opening with 公文 numbering."""
    name = (paragraph.style_name or "").strip().lower()
    if paragraph.numbering is not None or name.startswith(_HEADING_STYLE_PREFIXES):
        return None  # a Word list item, or a heading style that decides for itself
    text = plain_text(paragraph)
    if len(text) > HEADING_MAX_CHARS or _SENTENCE_PUNCTUATION.search(text[:-1]):
        return None
    return next((level for pattern, level in _HEADING_NUMBERS if pattern.match(text)), None)


def _with_header_rows(table: Any) -> Any:
    """- Word's header rows are kept; without any, the first row is the header, with the
    rows its cells span into (a <thead> cell cannot reach into <tbody>).
    - No header when that would leave no body row; nested tables are treated alike."""
    rows = [_with_nested_tables(row) for row in table.children]
    table_rows = [row for row in rows if isinstance(row, documents.TableRow)]
    if len(table_rows) == len(rows) and not any(row.is_header for row in rows):
        count = _header_row_count(rows)
        if count < len(rows):
            rows = [row.copy(is_header=True) for row in rows[:count]] + rows[count:]
    return table.copy(children=rows)


def _header_row_count(rows: list[Any]) -> int:
    count, index = 1, 0
    while index < min(count, len(rows)):
        spans = [cell.rowspan for cell in rows[index].children
                 if isinstance(cell, documents.TableCell)]  # fmt: skip
        count = max([count, *(index + span for span in spans)])
        index += 1
    return count


def _with_nested_tables(row: Any) -> Any:
    if not isinstance(row, documents.TableRow):
        return row
    return row.copy(children=[_cell_with_nested_tables(cell) for cell in row.children])


def _cell_with_nested_tables(cell: Any) -> Any:
    if not isinstance(cell, documents.TableCell):
        return cell
    children = [
        _with_header_rows(child) if isinstance(child, documents.Table) else child
        for child in cell.children
    ]
    return cell.copy(children=children)


# --- images, body, messages ---------------------------------------------------------------


class _ImageDropper:
    """mammoth's `convert_image`: emits nothing, so no image becomes a data: URI.

    Embedded images would arrive as megabytes of base64 in the body; township
    notices rarely need them, and an image that matters belongs in the attachments.
    """

    def __init__(self) -> None:
        self.dropped = 0

    def __call__(self, image: Any) -> list[Any]:
        self.dropped += 1
        return []


def _finish_body(html: str) -> str:
    """mammoth's HTML as it may be stored: the form's own cleaning (`clean_body`)."""
    return clean_body(html)


def _front_messages(front: FrontMatter, body: str) -> list[str]:
    if not front.title and not body:
        return [NO_TEXT]
    if front.title_guessed:
        return [TITLE_GUESSED]
    if not front.title:
        return [TITLE_MISSING]
    return []


def _clerk_messages(warnings: Iterable[str]) -> list[str]:
    """The mammoth warnings a clerk can act on, in Chinese; the rest are dropped."""
    shown = []
    for warning in warnings:
        if any(element in warning for element in _HARMLESS_ELEMENTS):
            continue
        shown += [chinese for prefix, chinese in _MAMMOTH_WARNINGS if prefix in warning][:1]
    return shown


def _first_unique(items: Iterable[str], limit: int) -> list[str]:
    return list(dict.fromkeys(items))[:limit]
