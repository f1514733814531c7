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

The body goes through `disclosure.sanitize.clean_body`, as the form's body does: the
project's one sanitiser (no styles, scripts, event handlers or unsafe URLs), then header
rows in <thead>.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.parsers.expat import ExpatError

import mammoth
from mammoth import documents
from mammoth.raw_text import extract_raw_text_from_element
from mammoth.transforms import get_descendants_of_type

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from disclosure.sanitize import clean_body
from disclosure.uploads import clean_upload

TITLE_MAX_CHARS = 200  # the notice title field's length
SHORT_PARAGRAPH_CHARS = 60  # longer than this, a first paragraph is text, not a title
MAX_MESSAGES = 5  # more than this and nobody reads them
# The banner, 文号 and title sit within the first few paragraphs; looking further
# down would start mistaking section headings and quoted 文号 for them.
FRONT_MATTER_PARAGRAPHS = 6
# 二号 (22pt) and 小二 (18pt) are the 公文 title sizes; body text is 三号 (16pt).
TITLE_MIN_FONT_POINTS = 18
MAX_TITLE_LINES = 3

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
_TITLE_STYLE_NAMES = frozenset({"title", "heading 1", "标题 1", "标题1"})
_TITLE_STYLE_IDS = frozenset({"title", "heading1"})
# Styles that already decide the level (mapped above, or a heading Word knows of).
_HEADING_STYLE_PREFIXES = ("title", "subtitle", "heading", "标题", "portal numbered heading")

# 发文字号: 机关代字 + year in 六角括号 + 顺序号. Clerks type the brackets as [] or （）
# (or WPS's small ﹝﹞), so all are accepted and normalised to the standard 〔〕.
_DOCUMENT_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fffA-Za-z]{1,20})\s*[〔\[［(（﹝【]\s*(?P<year>(?:19|20)\d{2})\s*"
    r"[〕\]］)）﹞】]\s*第?\s*(?P<serial>\d{1,5})\s*号"
)
# 上行文 put the 签发人 on the 文号 line; it is not body text either.
_SIGNER = re.compile(r"^签\s*发\s*人\s*[:：].*$")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
# "一、" "（二）" "3." open section headings, which are never the document's title.
_SECTION_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])"
)
# 公文 numbering of the three heading levels (GB/T 9704 7.3.3), deepest last.
_HEADING_NUMBERS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"^[一二三四五六七八九十]+、"), 2),
    (re.compile(r"^[（(][一二三四五六七八九十]+[）)]"), 3),
    (re.compile(r"^\d{1,2}[.．、](?!\d)"), 4),  # not "1.5万元"
)
HEADING_MAX_CHARS = 40
_SENTENCE_PUNCTUATION = re.compile(r"[。！？；：!?;:]")
_CJK = r"\u3001-\u303f\u3400-\u9fff\uf900-\ufaff\uff01-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_WHITESPACE = re.compile(r"\s+")

IMAGES_DROPPED = "文档中的图片未导入，请作为附件上传。"
TITLE_GUESSED = "文档开头没有标题，已用第一句话代替，请修改标题。"
TITLE_MISSING = "未能从文档中识别标题，请填写标题。"
NO_TEXT = "文档中没有可导入的文字。"
# mammoth's own warnings are for developers; only those that mean "some content
# is missing or may be wrong" are shown, reworded for the clerk.
_MAMMOTH_WARNINGS: tuple[tuple[str, str], ...] = (
    ("An unrecognised element was ignored: m:", "文档中的公式未能导入，请对照原文核对。"),
    ("An unrecognised element was ignored", "文档中有部分内容无法识别，已省略，请对照原文核对。"),
    ("A w:sym element", "文档中有特殊符号无法转换，已省略，请对照原文核对。"),
    ("cell merging may be incorrect", "文档中的表格结构较复杂，合并单元格可能不正确，请核对表格。"),
)
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
    messages: list[str]  # mammoth's warnings worth showing, in Chinese, deduplicated, at most 5


def import_docx(data: bytes) -> ImportedDocument:
    """Read a .docx and return a draft title, body and 文号 for the clerk to check.

    Raises `ValidationError` when the bytes are not a .docx that can be read.
    """
    _check_upload(data)
    front = _FrontMatter()
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
        messages=_first_unique(messages, MAX_MESSAGES),
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


# --- front matter: banner, 文号, title ------------------------------------------------------


@dataclass
class _FrontMatter:
    """Finds the banner, 文号 and title at the top and removes them from the body.

    Used as mammoth's `transform_document`, so the decision is made on Word's own
    paragraphs (styles, alignment, bold) rather than on HTML.
    """

    title: str = ""
    document_number: str = ""
    title_guessed: bool = False
    _drop: set[int] = field(default_factory=set)

    def remove_from(self, document: Any) -> Any:
        self._read(_leading_paragraphs(document.children))
        kept = [child for i, child in enumerate(document.children) if i not in self._drop]
        return document.copy(children=kept)

    def _read(self, leading: list[tuple[int, Any, str]]) -> None:
        candidates = []
        for position, (index, paragraph, text) in enumerate(leading):
            if self._take_banner_or_number(index, text):
                continue
            if _looks_like_title(paragraph, text):
                self._take_title(leading[position:])
                return
            if _starts_text(text):
                # The text proper has begun: nothing below is front matter.
                candidates.append((index, text))
                break
            candidates.append((index, text))
        self._fall_back_to(candidates)

    def _take_banner_or_number(self, index: int, text: str) -> bool:
        number = _document_number_line(text)
        if number and not self.document_number:
            self.document_number = number
        elif not number and not (_is_banner(text) and not self.document_number):
            # The banner comes before the 文号, so a later "...文件" line is a title.
            return False
        self._drop.add(index)
        return True

    def _take_title(self, lines: list[tuple[int, Any, str]]) -> None:
        first_index, first, title = lines[0]
        self._drop.add(first_index)
        # A long title broken over several centred lines is still one title.
        for index, paragraph, text in lines[1:MAX_TITLE_LINES]:
            if not _continues_title(first, paragraph, text):
                break
            title += text
            self._drop.add(index)
        self.title = _clip(title, TITLE_MAX_CHARS)

    def _fall_back_to(self, candidates: list[tuple[int, str]]) -> None:
        usable = [(index, text) for index, text in candidates if not _is_salutation(text)]
        if not usable:
            return
        index, text = usable[0]
        if len(text) <= SHORT_PARAGRAPH_CHARS:
            self.title = text
            self._drop.add(index)
        else:
            # No title in the document: offer its opening words, keep the paragraph.
            self.title = _clip(_SENTENCE_END.split(text, maxsplit=1)[0], SHORT_PARAGRAPH_CHARS)
            self.title_guessed = True


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
    text = _plain_text(paragraph)
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


def _leading_paragraphs(children: list[Any]) -> list[tuple[int, Any, str]]:
    """(index, paragraph, text) of the first non-empty top-level paragraphs.

    Stops at the first table: front matter never comes after one (a banner laid out
    in a table is left in the body for the clerk).
    """
    leading: list[tuple[int, Any, str]] = []
    for index, child in enumerate(children):
        if isinstance(child, documents.Table):
            break
        if not isinstance(child, documents.Paragraph):
            continue
        text = _plain_text(child)
        if text:
            leading.append((index, child, text))
        if len(leading) == FRONT_MATTER_PARAGRAPHS:
            break
    return leading


def _looks_like_title(paragraph: Any, text: str) -> bool:
    if _SECTION_NUMBER.match(text):
        return False
    return _has_title_style(paragraph) or _is_centred_and_emphasised(paragraph)


def _starts_text(text: str) -> bool:
    # Short label lines ("附件1", "特急", 份号) may sit above the title; a salutation,
    # a sentence or a long paragraph means the text proper has begun.
    return (
        _is_salutation(text)
        or _SENTENCE_END.search(text) is not None
        or len(text) > SHORT_PARAGRAPH_CHARS
    )


def _has_title_style(paragraph: Any) -> bool:
    name = (paragraph.style_name or "").strip().lower()
    style_id = (paragraph.style_id or "").strip().lower()
    return name in _TITLE_STYLE_NAMES or style_id in _TITLE_STYLE_IDS


def _is_centred_and_emphasised(paragraph: Any) -> bool:
    # Word writes "center"; some older converters write "centre".
    if (paragraph.alignment or "").lower() not in {"center", "centre"}:
        return False
    runs = [run for run in get_descendants_of_type(paragraph, documents.Run) if _plain_text(run)]
    if not runs:
        return False
    all_bold = all(run.is_bold for run in runs)
    large = any((run.font_size or 0) >= TITLE_MIN_FONT_POINTS for run in runs)
    return all_bold or large


def _continues_title(first: Any, paragraph: Any, text: str) -> bool:
    # A subtitle such as "（2026年3月1日镇人大通过）" or "——2025年工作总结" is
    # not part of the title even when it is centred.
    if text.startswith(("（", "(", "—", "-")):
        return False
    if _SECTION_NUMBER.match(text):
        return False
    if _has_title_style(first):
        return paragraph.style_name == first.style_name and paragraph.style_id == first.style_id
    return not _has_title_style(paragraph) and _is_centred_and_emphasised(paragraph)


def _is_banner(text: str) -> bool:
    # 发文机关标志: "青岚镇人民政府文件", "中共青岚镇委员会 青岚镇人民政府文件".
    return text.endswith("文件") and len(text) <= 40


def _is_salutation(text: str) -> bool:
    # 主送机关 ("各村（居）委会、镇直各单位：") ends with a colon; never a title.
    return text.endswith(("：", ":"))


def _document_number_line(text: str) -> str:
    """The normalised 文号 if the line is a 文号 line (optionally with 签发人), else ""."""
    match = _DOCUMENT_NUMBER.search(text)
    if match is None:
        return ""
    rest = (text[: match.start()] + " " + text[match.end() :]).strip()
    if rest and not _SIGNER.match(rest):
        return ""  # a 文号 quoted inside a sentence
    return f"{match['prefix']}〔{match['year']}〕{int(match['serial'])}号"


# --- text helpers -------------------------------------------------------------------------


def _plain_text(element: Any) -> str:
    return _normalise_space(extract_raw_text_from_element(element))


def _normalise_space(text: str) -> str:
    # Word users space out short titles ("通  知") and banners with spaces or
    # full-width spaces; between Chinese characters those are layout, not words.
    text = _WHITESPACE.sub(" ", text).strip()
    return _SPACE_BETWEEN_CJK.sub("", text)


def _clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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


def _front_messages(front: _FrontMatter, body: str) -> list[str]:
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
