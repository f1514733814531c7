"""The one HTML sanitiser for notice bodies (nh3, the Rust `ammonia` library).

Used when a notice is saved and when a Word file is converted to a draft, so
the rules live here only. `clean_body` is what the notice form and the Word import
store: plain text made into paragraphs, sanitised, tables tidied. The editor
(`disclosure.editor`) offers only what `ALLOWED_TAGS` and `ALLOWED_ATTRIBUTES` keep.
"""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "hr",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "colgroup",
    "col",
    "span",
    "div",
    "pre",
    "code",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}


def sanitize_html(html: str) -> str:
    """Keep structure (paragraphs, headings, lists, tables, links); drop scripts,
    styles, event handlers and any URL scheme but http, https and mailto."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# --- the body as a clerk writes it ---------------------------------------------------------

# A body holding any of these is HTML (the editor's, a Word import's, a paste). One without
# is text: typed or pasted into the plain textarea (JavaScript off, or the editor not loaded),
# where a clerk's line breaks are all the structure there is.
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:p|h[1-6]|ul|ol|li|dl|table|thead|tbody|tr|td|th|blockquote|div|pre|hr"
    r"|section|article|figure)\b",
    re.IGNORECASE,
)
_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")

# Sanitised HTML only from here on: a "<" in text is "&lt;", so every "<" starts a tag.
# The editor (Tiptap) writes a table's header row as <th> cells in <tbody>; Word imports and
# screen readers want it in <thead>, with scope.
_LEADING_HEADER_ROWS = re.compile(
    r"<table><tbody>(?P<rows>(?:<tr>(?:<th\b[^>]*>(?:(?!</?(?:th|td|tr|table)\b).)*</th>)+</tr>)+)",
    re.DOTALL,
)
_THEAD = re.compile(r"<thead>.*?</thead>", re.DOTALL)
_TH_WITHOUT_SCOPE = re.compile(r"<th\b(?![^>]*\bscope=)")
_CELL_TAG = re.compile(r"<t[hd]\b[^>]*>")
_SPAN_OF_ONE = re.compile(r'\s(?:colspan|rowspan)="1"')
# A cell or list item holding exactly one paragraph: the editor wraps the text of every cell
# and item in <p>, Word imports every cell's; on the page that is only extra space.
_SINGLE_PARAGRAPH = re.compile(
    r"(?P<open><(?P<tag>t[hd]|li)\b[^>]*>)<p>(?P<text>(?:(?!</?(?:p|th|td|li|table|ul|ol)\b).)*)"
    r"</p>(?P<close></(?P=tag)>)",
    re.DOTALL,
)


# The editor's link dialog leaves title="" when its description is not filled in.
_EMPTY_LINK_TITLE = re.compile(r'(<a\b[^>]*?)\stitle=""')


def text_to_paragraphs(text: str) -> str:
    """A body without block-level HTML, as paragraphs.

    - Blocks separated by a blank line become <p>; a single line break becomes <br>.
    - Spaces around each line go (a typed 全角 indent "\u3000\u3000" too: the page indents).
    - A body with any block-level tag is returned unchanged, so this is idempotent.
    - Inline markup in the text is left for the sanitiser, which escapes what is not a tag.
    """
    if not text.strip() or _BLOCK_TAG.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = []
    for block in _BLANK_LINE.split(text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(paragraphs)


def tidy_tables(html: str) -> str:
    """Sanitised tables as the public page and screen readers want them.

    - Leading rows made only of <th> cells move into <thead> (the editor keeps a header
      row as <th> cells but writes no <thead>); every <th> there gets scope="col".
    - colspan="1" and rowspan="1" (the editor writes them on every cell) are dropped.
    """
    if "<table>" not in html:
        return html
    html = _LEADING_HEADER_ROWS.sub(r"<table><thead>\g<rows></thead><tbody>", html)
    html = html.replace("<tbody></tbody>", "")
    html = _THEAD.sub(lambda head: _TH_WITHOUT_SCOPE.sub('<th scope="col"', head.group()), html)
    return _CELL_TAG.sub(lambda tag: _SPAN_OF_ONE.sub("", tag.group()), html)


def drop_wrappers(html: str) -> str:
    """What the editor and Word write that the page does not need.

    - A table cell or list item holding one paragraph holds its text directly; one with
      several paragraphs (or a nested list) keeps them.
    - An empty link title (the link dialog's description, not filled in) goes.
    """
    html = _EMPTY_LINK_TITLE.sub(r"\g<1>", html)
    return _SINGLE_PARAGRAPH.sub(r"\g<open>\g<text>\g<close>", html)


def clean_body(html: str) -> str:
    """A notice body as the form and the Word import store it.

    - Plain text becomes paragraphs (`text_to_paragraphs`), then the one sanitiser runs,
      then tables and wrappers are tidied (`tidy_tables`, `drop_wrappers`); the result is
      sanitised once more, so the tidying can never let through what `sanitize_html`
      would not.
    - Idempotent: cleaning a cleaned body changes nothing.
    """
    sanitised = sanitize_html(text_to_paragraphs(html or ""))
    return sanitize_html(drop_wrappers(tidy_tables(sanitised))).strip()
