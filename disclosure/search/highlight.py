"""Highlighting: the query's words marked in a hit's title, number and a fragment of text.

- Fragments are cut and highlighted in Python, from the texts the index stores, escaping
  everything but our own <mark> tags.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import Notice
from .words import QueryWord

FRAGMENT_CHARS = 120


@dataclass
class Hit:
    """One search result as shown: the notice, with its title, document number and a
    fragment of its text (or of an attachment's) marked."""

    notice: Notice
    title: SafeString
    document_number: SafeString
    fragment: SafeString
    in_attachment: bool


class Highlighter:
    """Wraps the query's words in <mark>; everything else is HTML-escaped."""

    def __init__(self, words: list[QueryWord]) -> None:
        terms = sorted({term.lower() for word in words for term in word.terms()}, key=len)
        self.terms = terms[::-1]  # longest first, so 低保户 is marked whole, not as 低保

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Non-overlapping (start, end) of the terms in `text`, case-insensitively."""
        lowered = text.lower()
        if len(lowered) != len(text):  # a few letters change length when lowered
            lowered = text
        found: list[tuple[int, int]] = []
        taken = [False] * len(text)
        for term in self.terms:
            start = lowered.find(term)
            while start != -1:
                end = start + len(term)
                if not any(taken[start:end]):
                    found.append((start, end))
                    taken[start:end] = [True] * len(term)
                start = lowered.find(term, end)
        return sorted(found)

    def mark(self, text: str, spans: list[tuple[int, int]] | None = None) -> SafeString:
        spans = self.spans(text) if spans is None else spans
        parts: list[str] = []
        position = 0
        for start, end in spans:
            parts += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
            position = end
        parts.append(escape(text[position:]))
        return mark_safe("".join(parts))  # every piece of text is escaped above

    def fragment(self, text: str) -> SafeString | None:
        """- FRAGMENT_CHARS characters around the densest run of distinct query words.
        - None when no word is in `text`."""
        text = " ".join(text.split())
        spans = self.spans(text)[:200]  # the first matches are enough to choose from
        if not spans:
            return None
        begin, most = 0, -1
        for start, _end in spans:  # a window opening a little before each match
            left = max(0, start - 20)
            inside = {
                text[s:e].lower() for s, e in spans if left <= s and e <= left + FRAGMENT_CHARS
            }
            if len(inside) > most:
                begin, most = left, len(inside)
        end = min(len(text), begin + FRAGMENT_CHARS)
        window = [(s - begin, e - begin) for s, e in spans if begin <= s and e <= end]
        marked = self.mark(text[begin:end], window)
        before = "…" if begin > 0 else ""
        after = "…" if end < len(text) else ""
        return mark_safe(f"{before}{marked}{after}")

    def hit(self, notice: Notice) -> Hit:
        body = self.fragment(notice.body_text or "")
        attachment = None if body else self.fragment(notice.attachment_text or "")
        plain = " ".join((notice.body_text or "").split())[:FRAGMENT_CHARS]
        return Hit(
            notice=notice,
            title=self.mark(notice.title),
            document_number=self.mark(notice.document_number),
            fragment=body or attachment or escape(plain),
            in_attachment=attachment is not None,
        )
