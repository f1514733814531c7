"""Full-text search of public notices (/search/), for Chinese text.

- Notices are cut into Chinese words (`words`, jieba) and kept in an index in the site's
  own database: SQLite FTS5 or a PostgreSQL tsvector (`backends`).
- Only public notices are indexed, in the transaction that publishes them (`index`,
  called by `disclosure.publication`), or all again in chunks (`rebuild`, by
  `manage.py rebuild_search_index`); attachment text comes from `disclosure.textextract`.
- Every search joins the notice table and applies the public rule at that moment, so a
  stale row can never show a non-public notice; a search is two SQL queries, and its work
  is bounded by CANDIDATES, not by the size of the site (`query`).
- Ranked by the same rules on both databases: the words' text score, the title, the
  catalog node, recency or a year named in the query (`query.WEIGHTS`); or newest first.
- A search that finds nothing offers a near query (底保 → 低保, dibao → 低保) that does
  (`suggest`, with `pinyin`).
- Fragments are cut and the query's words marked in Python (`highlight`); the page, its
  form, its order and facet links are in `view`.

The names below are re-exported so callers write `search.search(...)`,
`search.index_notice(...)`. Constants are copies here: to change one in a test, patch it
in the module that reads it (`query.RESULT_CAP`, `query.CANDIDATES`, …). `rebuild` is the
function here; its module is `disclosure.search.rebuild`.
"""

from __future__ import annotations

from .backends import TABLE, _backend, _Document, _PostgreSQL, _SQLite
from .highlight import FRAGMENT_CHARS, Highlighter, Hit
from .index import ATTACHMENT_TEXT_LIMIT, BODY_TEXT_LIMIT, index_notice, remove_notice
from .query import (
    CANDIDATES,
    FACET_VALUES,
    PAGE_SIZE,
    RESULT_CAP,
    Facet,
    FacetValue,
    SearchFilters,
    SearchResult,
    Sort,
    search,
)
from .rebuild import rebuild
from .view import EXAMPLE_SEARCHES, SearchForm, search_page
from .words import MAX_QUERY_CHARS, MAX_QUERY_WORDS, QueryWord, query_words, segment

__all__ = [
    "ATTACHMENT_TEXT_LIMIT",
    "BODY_TEXT_LIMIT",
    "CANDIDATES",
    "EXAMPLE_SEARCHES",
    "FACET_VALUES",
    "FRAGMENT_CHARS",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_WORDS",
    "PAGE_SIZE",
    "RESULT_CAP",
    "TABLE",
    "Facet",
    "FacetValue",
    "Highlighter",
    "Hit",
    "QueryWord",
    "SearchFilters",
    "SearchForm",
    "SearchResult",
    "Sort",
    "_Document",
    "_PostgreSQL",
    "_SQLite",
    "_backend",
    "index_notice",
    "query_words",
    "rebuild",
    "remove_notice",
    "search",
    "search_page",
    "segment",
]
