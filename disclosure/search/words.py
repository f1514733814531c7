"""Words: how text and queries are cut, for the index and for searching alike.

- Text is cut into words by jieba and stored space-separated, so the database only splits
  on spaces. The index uses search mode (a long word also yields its dictionary sub-words:
  低保户 gives 低保, 保户, 低保户); the query uses precise mode, and every one of its words
  must match (AND), best match first.
- jieba here is jieba-rs, through its Python binding rjieba: jieba's dictionary and
  algorithm in Rust, ten times as fast and a third of the memory of the Python jieba
  (a web worker: 135 MB instead of 173 MB). Its words are the Python jieba's but for
  a letter or digit run joined by - + # & _ % to digits (0596-5261001 is one word, not
  0596 and 5261001) and the rarer CJK blocks (extension A, compatibility ideographs),
  which it treats as Chinese. Index and queries use it alike; an index written by the
  Python jieba is rebuilt with `manage.py rebuild_search_index`.
"""

from __future__ import annotations

from dataclasses import dataclass

import rjieba

MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 8


def _is_word(token: str) -> bool:
    return any(char.isalnum() for char in token)


def segment(text: str) -> str:
    """The words of `text` as the index stores them: jieba's search mode, space-separated."""
    # isalnum() first: most tokens are words through and through, and it is much faster.
    return " ".join(
        token for token in rjieba.cut_for_search(text) if token.isalnum() or _is_word(token)
    )


@dataclass(frozen=True)
class QueryWord:
    """One word of the query, and smaller words that cover it, for text where jieba cut
    a longer word around it (中华人民共和国政府 is indexed as 中华, 人民, 共和国, …)."""

    word: str
    parts: tuple[str, ...] = ()

    def terms(self) -> tuple[str, ...]:
        return (self.word, *self.parts)


def _cover(word: str) -> tuple[str, ...]:
    """- Left to right, the longest dictionary sub-word that starts where the last one ended.
    - () when there is none, or when they leave a gap."""
    spans = [(start, end, part) for part, start, end in rjieba.tokenize(word, mode="search")]
    cover: list[str] = []
    position = 0
    while position < len(word):
        here = [span for span in spans if span[0] == position and span[2] != word]
        if not here:
            return ()
        _start, position, part = max(here, key=lambda span: span[1])
        cover.append(part)
    return tuple(cover)


def query_words(query: str) -> list[QueryWord]:
    """- jieba's precise mode; punctuation, operators and duplicates dropped.
    - At most MAX_QUERY_CHARS characters and MAX_QUERY_WORDS words are used."""
    words: list[QueryWord] = []
    seen: set[str] = set()
    for token in rjieba.cut(query[:MAX_QUERY_CHARS]):
        token = token.strip()
        if _is_word(token) and token.lower() not in seen:
            seen.add(token.lower())
            words.append(QueryWord(token, _cover(token)))
    return words[:MAX_QUERY_WORDS]
