"""The front matter of a 公文 in Word: the 发文机关标志 banner, the 发文字号 and the title.

`FrontMatter` finds them among the first paragraphs and takes them out of the body
(`disclosure.docx_import` has the rules, in its docstring). The decision is made on
Word's own paragraphs, through mammoth's document model: styles, alignment and bold
say more than the HTML mammoth makes of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mammoth import documents
from mammoth.raw_text import extract_raw_text_from_element
from mammoth.transforms import get_descendants_of_type

TITLE_MAX_CHARS = 200  # the notice title field's length
SHORT_PARAGRAPH_CHARS = 60  # longer than this, a first paragraph is text, not a title


# The banner, 文号 and title sit within the first few paragraphs; looking further
# down would start mistaking section headings and quoted 文号 for them.
FRONT_MATTER_PARAGRAPHS = 6
# 二号 (22pt) and 小二 (18pt) are the 公文 title sizes; body text is 三号 (16pt).
TITLE_MIN_FONT_POINTS = 18
MAX_TITLE_LINES = 3


_TITLE_STYLE_NAMES = frozenset({"title", "heading 1", "标题 1", "标题1"})
_TITLE_STYLE_IDS = frozenset({"title", "heading1"})


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


_CJK = r"\u3001-\u303f\u3400-\u9fff\uf900-\ufaff\uff01-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_WHITESPACE = re.compile(r"\s+")


@dataclass
class FrontMatter:
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
        number = document_number_line(text)
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
        text = plain_text(child)
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
    runs = [run for run in get_descendants_of_type(paragraph, documents.Run) if plain_text(run)]
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


def document_number_line(text: str) -> str:
    """The normalised 文号 if the line is a 文号 line (optionally with 签发人), else ""."""
    match = _DOCUMENT_NUMBER.search(text)
    if match is None:
        return ""
    rest = (text[: match.start()] + " " + text[match.end() :]).strip()
    if rest and not _SIGNER.match(rest):
        return ""  # a 文号 quoted inside a sentence
    return f"{match['prefix']}〔{match['year']}〕{int(match['serial'])}号"


# --- text helpers -------------------------------------------------------------------------


def plain_text(element: Any) -> str:
    return _normalise_space(extract_raw_text_from_element(element))


def _normalise_space(text: str) -> str:
    # Word users space out short titles ("通  知") and banners with spaces or
    # full-width spaces; between Chinese characters those are layout, not words.
    text = _WHITESPACE.sub(" ", text).strip()
    return _SPACE_BETWEEN_CJK.sub("", text)


def _clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
