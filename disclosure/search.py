"""Full-text search of public notices (/search/), for Chinese text.

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
- Indexed: title and document number (weighted highest), summary and body (HTML
  stripped), and the text of PDF, DOCX and XLSX attachments (`pii.extract_text`).
- The index lives in the site's own database (migration 0003): an SQLite FTS5 table ranked
  by bm25(), or a PostgreSQL tsvector with a GIN index ranked by ts_rank_cd().
- Only public notices are indexed: published, proactive, not a revision. A scheduled one
  is indexed when it is published and found from its publish time on, because every search
  joins the notice table and applies `Notice.objects.published()`'s rule at that moment.
  So a stale row (a missed call, a data fix by hand) can never show a non-public notice.
- The workflow keeps the index current inside its own transactions: `index_notice` when a
  notice or a revision is published, `remove_notice` when one is withdrawn.
- A search is two SQL queries whatever the size of the site: the ranked matches (at most
  RESULT_CAP + 1 short rows, which also give the count and the facets), then the page's
  notices with their stored text. Fragments are cut and highlighted in Python, escaping
  everything but our own <mark> tags.
- The work of a search is bounded, not proportional to the site: the index hands over its
  matches newest first (highest notice id: ids grow with time), narrowed by the scope and
  the facets on its own columns, and stops after CANDIDATES of them; only those are
  scored, checked against the notice table and ranked. A word with fewer matches is
  ranked exactly as if there were no bound. For a very common word (公示 is in half of
  the notices) the best matches are ranked among the newest CANDIDATES matches only,
  and the count shows as "1000+".
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO
from urllib.parse import urlencode

import rjieba

from django import forms
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from catalog.models import CatalogNode, Organization
from portal.progress import Progress
from portal.public import remember
from portal.scope import get_scope

from .models import Attachment, Notice
from .models.notices import FIRST_YEAR
from .pii import extract_text, html_text

logger = logging.getLogger(__name__)

TABLE = "disclosure_search"
PAGE_SIZE = 20
RESULT_CAP = 1000  # ranked, counted and faceted; more shows as "1000+"
FACET_VALUES = 12  # shown per facet, most frequent first (years: newest first)
# Matches ranked at most, the newest (see the module's docstring). The cost of a search
# grows with this number, hardly with the site's size: on the bench's 1,000,000 notices,
# 公示 (in half of them) takes 25 ms in-process with 2000, 29 ms with 3000, 39 ms with
# 5000, of which ~13 ms are bm25()'s count of every match (its IDF), whatever this is.
CANDIDATES = 2000
MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 8
# Text kept per notice. Beyond ~200,000 characters of very varied words a PostgreSQL
# tsvector passes its 1 MB limit, and publishing must never fail over the index.
BODY_TEXT_LIMIT = 50_000
ATTACHMENT_TEXT_LIMIT = 100_000
FRAGMENT_CHARS = 120
# Shown on the empty search page and when nothing is found.
EXAMPLE_SEARCHES = ("低保", "征地", "危房改造", "预算", "招聘")


# --- words ------------------------------------------------------------------------------------


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


# --- the two databases ------------------------------------------------------------------------


@dataclass
class _Document:
    """One index row: ids and facet values, segmented text to match, plain text to show."""

    notice_id: int
    top_node_id: int
    organization_id: int
    kind: str
    year: int
    title: str
    body: str
    attachments: str
    body_text: str
    attachment_text: str


class _SQLite:
    """FTS5; each value is quoted as a string, so no input is ever FTS5 syntax."""

    key = "rowid"

    def store(self, cursor, documents: list[_Document]) -> None:
        cursor.executemany(
            f"DELETE FROM {TABLE} WHERE rowid = %s", [(d.notice_id,) for d in documents]
        )
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, title, body, attachments, body_text, attachment_text,"
            " top_node_id, organization_id, kind, year)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (d.notice_id, d.title, d.body, d.attachments, d.body_text, d.attachment_text,
                 d.top_node_id, d.organization_id, d.kind, d.year)
                for d in documents
            ],
        )  # fmt: skip

    # FTS5's own defaults, for a table that never had them set.
    MERGE_DEFAULTS = {"automerge": 4, "crisismerge": 16}
    # While a rebuild writes: no merging of the index's b-trees after each transaction,
    # until 64 of them pile up on one level (each merge would otherwise rewrite much of
    # what the last one wrote); tidy() then merges them all once. 1,000,000 notices of
    # the bench: 66 s instead of 95 s of FTS5 work.
    MERGE_BULK = {"automerge": 0, "crisismerge": 64}

    def _configure(self, settings: dict[str, int]) -> None:
        with connection.cursor() as cursor:
            for name, value in settings.items():
                cursor.execute(f"INSERT INTO {TABLE} ({TABLE}, rank) VALUES (%s, %s)",
                               [name, value])  # fmt: skip

    # FTS5's own tables whose statistics matter to its own statements.
    SHADOW_TABLES = (f"{TABLE}_data", f"{TABLE}_idx")

    def _has_statistics(self, cursor) -> bool:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        return cursor.fetchone() is not None

    def _forget_statistics(self) -> None:
        """An ANALYZE run while the index was small (a new site, or the bench right
        before its rebuild) records a data table of 2 rows; FTS5's own DELETEs then scan
        the whole table on every merge (`optimize` of 100,000 notices: 10 s, not 0.8 s).
        The planner reads statistics when a connection opens: reconnect, when allowed."""
        with connection.cursor() as cursor:
            if not self._has_statistics(cursor):
                return
            cursor.execute(
                "DELETE FROM sqlite_stat1 WHERE tbl IN (%s, %s)", list(self.SHADOW_TABLES)
            )
            forgotten = cursor.rowcount > 0
        if forgotten and not connection.in_atomic_block:
            connection.close()

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        self._forget_statistics()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT k, v FROM {TABLE}_config WHERE k IN ('automerge', 'crisismerge')"
            )
            before = self.MERGE_DEFAULTS | dict(cursor.fetchall())
        self._configure(self.MERGE_BULK)
        try:
            yield
        finally:
            self._configure(before)

    def tidy(self, cursor) -> None:
        # Merge the index's b-trees after a rebuild: smaller and faster to search.
        cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")
        if self._has_statistics(cursor):  # the site uses ANALYZE: true numbers again
            for table in self.SHADOW_TABLES:
                cursor.execute(f"ANALYZE {table}")

    def candidates(self, words: list[QueryWord], where: list[str], params: list):
        """(id, score) of the newest matches (rowid DESC: FTS5's own order, so it stops at
        the LIMIT), narrowed by `where` on the index's own columns."""
        match_sql, match_params = self.match(words)
        # bm25() is lower for better matches; one weight per column, in the table's order
        # (the four facet columns, then title, body and attachments). It is computed
        # only for the rows kept.
        sql = f"""
            SELECT rowid AS id, -bm25({TABLE}, 0, 0, 0, 0, 10.0, 4.0, 1.0) AS score
            FROM {TABLE}
            WHERE {" AND ".join([match_sql, *where])}
            ORDER BY rowid DESC
            LIMIT %s
        """
        return sql, [*match_params, *params]

    def match(self, words: list[QueryWord]) -> tuple[str, list]:
        def quoted(term: str) -> str:
            return '"' + term.replace('"', '""') + '"'

        groups = []
        for word in words:
            if word.parts:
                parts = " AND ".join(map(quoted, word.parts))
                groups.append(f"({quoted(word.word)} OR ({parts}))")
            else:
                groups.append(quoted(word.word))
        return f"{TABLE} MATCH %s", [" AND ".join(groups)]


class _PostgreSQL:
    """tsvector weighted A (title), B (body), C (attachments); queries built from
    plainto_tsquery() per word, which ignores every operator in its input."""

    key = "notice_id"

    def store(self, cursor, documents: list[_Document]) -> None:
        cursor.executemany(
            f"INSERT INTO {TABLE} (notice_id, top_node_id, organization_id, kind, year,"
            " body_text, attachment_text, document) VALUES (%s, %s, %s, %s, %s, %s, %s,"
            " setweight(to_tsvector('simple', %s), 'A')"
            " || setweight(to_tsvector('simple', %s), 'B')"
            " || setweight(to_tsvector('simple', %s), 'C'))"
            " ON CONFLICT (notice_id) DO UPDATE SET top_node_id = EXCLUDED.top_node_id,"
            " organization_id = EXCLUDED.organization_id, kind = EXCLUDED.kind,"
            " year = EXCLUDED.year, body_text = EXCLUDED.body_text,"
            " attachment_text = EXCLUDED.attachment_text, document = EXCLUDED.document",
            [
                (d.notice_id, d.top_node_id, d.organization_id, d.kind, d.year, d.body_text,
                 d.attachment_text, d.title, d.body, d.attachments)
                for d in documents
            ],
        )  # fmt: skip

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        yield

    def tidy(self, cursor) -> None:
        # Fresh statistics, so that the planner knows how selective `@@` is after a bulk load.
        cursor.execute(f"ANALYZE {TABLE}")

    def _query(self, words: list[QueryWord]) -> tuple[str, list]:
        term = "plainto_tsquery('simple', %s)"
        groups: list[str] = []
        params: list[str] = []
        for word in words:
            if word.parts:
                parts = " && ".join([term] * len(word.parts))
                groups.append(f"({term} || ({parts}))")
            else:
                groups.append(term)
            params.extend(word.terms())
        return "(" + " && ".join(groups) + ")", params

    def candidates(self, words: list[QueryWord], where: list[str], params: list):
        """(id, score) of the newest matches (notice_id DESC), narrowed by `where` on the
        index's own columns; ts_rank_cd() is computed only for the rows kept."""
        query, query_params = self._query(words)
        sql = f"""
            SELECT {TABLE}.notice_id AS id, ts_rank_cd({TABLE}.document, {query}) AS score
            FROM (
                SELECT notice_id FROM {TABLE}
                WHERE {" AND ".join([f"document @@ {query}", *where])}
                ORDER BY notice_id DESC
                LIMIT %s
            ) newest JOIN {TABLE} ON {TABLE}.notice_id = newest.notice_id
        """
        return sql, [*query_params, *query_params, *params]


def _backend() -> _SQLite | _PostgreSQL:
    if connection.vendor == "sqlite":
        return _SQLite()
    if connection.vendor == "postgresql":
        return _PostgreSQL()
    raise NotImplementedError(
        f"Full-text search supports SQLite and PostgreSQL, not {connection.vendor}."
    )


# --- indexing -----------------------------------------------------------------------------------


def _indexable(notice: Notice) -> bool:
    return (
        notice.status == Notice.Status.PUBLISHED
        and notice.disclosure_mode == Notice.Mode.PROACTIVE
        and notice.revision_of_id is None
        and notice.published_at is not None
    )


def _top_node_ids() -> dict[str, int]:
    """Path of each top-level catalog node to its id (a node's path starts with it)."""
    return dict(CatalogNode.objects.filter(parent__isnull=True).values_list("path", "id"))


@dataclass(frozen=True)
class _File:
    """What the index needs of one attachment."""

    pk: int
    title: str  # Attachment.display_title
    name: str  # in the attachment storage
    extension: str


@dataclass
class _Source:
    """What a notice's index row is made from: plain values, so that rebuild() can read
    them without model instances and hand them to other processes."""

    notice_id: int
    top_node_id: int
    organization_id: int
    kind: str
    year: int
    heading: str  # title and document number
    summary: str
    body: str  # sanitised HTML
    files: list[_File]


def _source(notice: Notice, top_node_ids: dict[str, int]) -> _Source:
    node_path = notice.catalog_node.path
    return _Source(
        notice_id=notice.pk,
        top_node_id=top_node_ids.get(node_path.split("/")[0], notice.catalog_node_id),
        organization_id=notice.organization_id,
        kind=notice.kind,
        year=timezone.localtime(notice.published_at).year,
        heading=f"{notice.title} {notice.document_number}",
        summary=notice.summary,
        body=notice.body,
        files=[
            _File(a.pk, a.display_title, a.file.name, a.extension) for a in notice.attachments.all()
        ],
    )


class _Maker:
    """Turns sources into index rows. Within one rebuild it remembers the text of each
    attachment file by its sha256 (one form is often attached to many notices) and the
    words of each attachment text; never for more than CACHE_ENTRIES of them."""

    CACHE_ENTRIES = 64  # texts of up to 100,000 characters each: tens of MB at worst

    def __init__(self, *, remember: bool = False) -> None:
        self.remember = remember
        self.texts: dict[tuple[bytes, str], list[str]] = {}
        self.words: dict[str, str] = {}

    def _remembered(self, cache: dict, key, make):
        if not self.remember:
            return make()
        if key not in cache:
            if len(cache) >= self.CACHE_ENTRIES:
                cache.clear()
            cache[key] = make()
        return cache[key]

    def _file_texts(self, file: _File) -> list[str]:
        """The texts of one attachment (`pii.extract_text`); OSError when unreadable.

        Always read, so a missing file is missed as index_notice misses it; remembered by
        the sha256 of the bytes read, so a form attached to many notices is parsed once."""
        storage = Attachment._meta.get_field("file").storage
        with storage.open(file.name, "rb") as f:
            data = f.read()

        def texts() -> list[str]:
            return [text for _place, text in extract_text(data, file.extension)]

        if not self.remember:
            return texts()
        return self._remembered(self.texts, (hashlib.sha256(data).digest(), file.extension), texts)

    def attachment_text(self, files: list[_File]) -> str:
        """Each attachment's title, then its text; ATTACHMENT_TEXT_LIMIT characters in all."""
        pieces: list[str] = []
        size = 0
        for file in files:
            if size >= ATTACHMENT_TEXT_LIMIT:
                break
            pieces.append(file.title)
            try:
                texts = self._file_texts(file)
            except OSError as error:  # a missing file must not stop a publication
                logger.warning("Search index: attachment %s unreadable (%s)", file.pk, error)
                continue
            for text in texts:
                pieces.append(text)
                size += len(text)
                if size >= ATTACHMENT_TEXT_LIMIT:
                    break
        return "\n".join(pieces)[:ATTACHMENT_TEXT_LIMIT]

    def document(self, source: _Source) -> _Document:
        # PostgreSQL text cannot hold NUL, which PDF text sometimes does.
        body_text = "\n".join(filter(None, [source.summary, html_text(source.body)]))
        body_text = body_text.replace("\x00", "")[:BODY_TEXT_LIMIT]
        attachment_text = self.attachment_text(source.files).replace("\x00", "")
        return _Document(
            notice_id=source.notice_id,
            top_node_id=source.top_node_id,
            organization_id=source.organization_id,
            kind=source.kind,
            year=source.year,
            title=segment(source.heading),
            body=segment(body_text),
            attachments=self._remembered(
                self.words, attachment_text, lambda: segment(attachment_text)
            ),
            body_text=body_text,
            attachment_text=attachment_text,
        )

    def documents(self, sources: list[_Source]) -> list[_Document]:
        return [self.document(source) for source in sources]


def _document(notice: Notice, top_node_ids: dict[str, int]) -> _Document:
    return _Maker().document(_source(notice, top_node_ids))


def index_notice(notice: Notice) -> None:
    """Put one notice in the index as it is now, or take it out if it is not public.

    - Call it inside the transaction that publishes (or publishes a revision onto) the
      notice, after its fields and attachments are saved: the index commits with them.
    - A scheduled notice is indexed at once; searches find it from its publish time on.
    """
    if not _indexable(notice):
        remove_notice(notice.pk)
        return
    document = _document(notice, _top_node_ids())
    with transaction.atomic(), connection.cursor() as cursor:
        _backend().store(cursor, [document])


def remove_notice(notice_id: int) -> None:
    """Take a notice out of the index (withdrawal); call it inside that transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE {_backend().key} = %s", [notice_id])


# --- rebuilding ---------------------------------------------------------------------------------

# NoticeQuerySet.published() but for the publish time: a scheduled notice is indexed too.
_INDEXED = {
    "status": Notice.Status.PUBLISHED,
    "disclosure_mode": Notice.Mode.PROACTIVE,
    "revision_of__isnull": True,
    "published_at__isnull": False,
}
_NOTICE_FIELDS = ("pk", "catalog_node_id", "catalog_node__path", "organization_id", "kind",
                  "published_at", "title", "document_number", "summary", "body")  # fmt: skip
_FILE_FIELDS = ("notice_id", "pk", "title", "original_name", "file", "extension")


def _sources(size: int, top_node_ids: dict[str, int]) -> Iterator[list[_Source]]:
    """The indexed notices, `size` at a time in id order: one short query for the notices
    after the last id seen and one for their attachments, never all of them at once."""
    last = 0
    while True:
        rows = list(
            Notice.objects.filter(**_INDEXED, pk__gt=last)
            .order_by("pk")
            .values_list(*_NOTICE_FIELDS)[:size]
        )
        if not rows:
            return
        first, last = rows[0][0], rows[-1][0]
        files: dict[int, list[_File]] = {}
        for notice_id, pk, title, original_name, name, extension in (
            Attachment.objects.filter(notice_id__gte=first, notice_id__lte=last)
            .order_by("notice_id", *Attachment._meta.ordering)
            .values_list(*_FILE_FIELDS)
        ):
            files.setdefault(notice_id, []).append(
                _File(pk, title or original_name, name, extension)
            )
        yield [
            _Source(
                notice_id=pk,
                top_node_id=top_node_ids.get(path.split("/")[0], node_id),
                organization_id=organization_id,
                kind=kind,
                year=timezone.localtime(published_at).year,
                heading=f"{title} {document_number}",
                summary=summary,
                body=body,
                files=files.get(pk, []),
            )
            for (pk, node_id, path, organization_id, kind, published_at, title,
                 document_number, summary, body) in rows
        ]  # fmt: skip


_worker_maker: _Maker | None = None


def _make_in_worker(sources: list[_Source]) -> list[_Document]:
    global _worker_maker  # one per worker process, remembering across its chunks
    if _worker_maker is None:
        _worker_maker = _Maker(remember=True)
    return _worker_maker.documents(sources)


@contextmanager
def _makers(jobs: int) -> Iterator[Callable[[list[_Source]], Callable[[], list[_Document]]]]:
    """A function that starts making one chunk's rows and returns a function that waits
    for them: in `jobs` forked processes, or here when jobs is 1."""
    if jobs <= 1:
        maker = _Maker(remember=True)

        def make(sources: list[_Source]) -> Callable[[], list[_Document]]:
            documents = maker.documents(sources)
            return lambda: documents

        yield make
        return
    # Forked after the dictionary is loaded, so the workers share its memory. They never
    # touch the database: the parent reads the notices and writes the rows.
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield lambda sources: pool.apply_async(_make_in_worker, (sources,)).get


def rebuild(out: TextIO, *, chunk_size: int = 1000, jobs: int | None = None) -> int:
    """Index every public notice again, and drop the rows of any other; returns the count.

    - Notices are streamed from the database `chunk_size` at a time, never all at once,
      and each chunk is written in its own transaction: the site keeps searching and
      publishing during a long rebuild.
    - Words are cut in `jobs` processes (default: one per CPU) while this one reads and
      writes; at most 2 × jobs chunks are in flight.
    - Progress (counts, time left) goes to `out`.
    - Rows of notices that are no longer public are deleted last, so a withdrawal made
      while the rebuild ran is not undone by it.
    """
    backend = _backend()
    jobs = max(1, jobs or os.cpu_count() or 1)
    top_node_ids = _top_node_ids()
    progress = Progress("search index", Notice.objects.filter(**_INDEXED).count(), out)
    if progress.total <= chunk_size:
        jobs = 1  # one chunk: not worth a process
    pending: deque = deque()

    def write(documents: list[_Document]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            backend.store(cursor, documents)
        progress.step(len(documents))

    with backend.bulk_load(), _makers(jobs) as make:
        for sources in _sources(chunk_size, top_node_ids):
            pending.append(make(sources))
            if len(pending) >= 2 * jobs:
                write(pending.popleft()())
        while pending:
            write(pending.popleft()())
    if not progress.total:
        out.write(progress.line() + "\n")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE {backend.key} NOT IN (SELECT id FROM"
            f" {connection.ops.quote_name(Notice._meta.db_table)} WHERE status = %s"
            " AND disclosure_mode = %s AND revision_of_id IS NULL AND published_at IS NOT NULL)",
            [Notice.Status.PUBLISHED, Notice.Mode.PROACTIVE],
        )
    with connection.cursor() as cursor:
        backend.tidy(cursor)
    return progress.done


# --- searching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    """The facets a search is narrowed to; None means any."""

    catalog: int | None = None  # a top-level catalog node
    organization: int | None = None  # the issuing organisation itself
    kind: str | None = None
    year: int | None = None

    def columns(self) -> list[tuple[str, object]]:
        pairs = [("top_node_id", self.catalog), ("organization_id", self.organization),
                 ("kind", self.kind), ("year", self.year)]  # fmt: skip
        return [(column, value) for column, value in pairs if value not in (None, "")]


@dataclass
class FacetValue:
    key: int | str
    label: str
    count: int
    url: str = ""


@dataclass
class Facet:
    name: str  # the query parameter
    label: str
    values: list[FacetValue]
    active: bool = False  # narrowed to one value (which may have no match left)
    selected: FacetValue | None = None
    remove_url: str = ""


@dataclass
class Hit:
    notice: Notice
    title: SafeString
    document_number: SafeString
    fragment: SafeString
    in_attachment: bool


@dataclass
class SearchResult:
    words: list[QueryWord]
    page: Page  # of Hit
    total: int  # at most RESULT_CAP
    capped: bool  # more than RESULT_CAP matched
    facets: list[Facet] = field(default_factory=list)


def _ranked(
    words, *, scope_org_ids, filters: SearchFilters, now: datetime
) -> tuple[list[tuple], bool]:
    """- (id, top node id, top node name, organisation id, short name, name, kind, year) of
      the best RESULT_CAP + 1 public matches among the newest CANDIDATES, best first.
    - And whether CANDIDATES were cut off: more notices matched than were ranked."""
    backend = _backend()
    quote = connection.ops.quote_name
    # The scope and the facets narrow the candidates already, on the index's own columns;
    # the notice table then decides, as always, what is public and in scope now.
    narrow: list[str] = []
    narrow_params: list = []
    if scope_org_ids is not None:
        narrow.append(f"organization_id IN ({', '.join(['%s'] * len(scope_org_ids))})")
        narrow_params += sorted(scope_org_ids)
    for column, value in filters.columns():
        narrow.append(f"{column} = %s")
        narrow_params.append(value)
    candidates_sql, params = backend.candidates(words, narrow, narrow_params)
    params.append(CANDIDATES)
    # NoticeQuerySet.published(), in SQL: keep the two alike.
    where = ["n.status = %s", "n.disclosure_mode = %s", "n.revision_of_id IS NULL",
             "n.published_at <= %s"]  # fmt: skip
    params += [Notice.Status.PUBLISHED, Notice.Mode.PROACTIVE,
               connection.ops.adapt_datetimefield_value(now)]  # fmt: skip
    if scope_org_ids is not None:
        where.append(f"n.organization_id IN ({', '.join(['%s'] * len(scope_org_ids))})")
        params += sorted(scope_org_ids)
    # The facet columns are read for the ranked rows only, not for every candidate.
    sql = f"""
        WITH candidates AS ({candidates_sql})
        SELECT h.id, f.top_node_id, c.name, f.organization_id, o.short_name, o.name, f.kind,
               f.year, (SELECT count(*) FROM candidates)
        FROM (
            SELECT s.id, s.score, n.published_at
            FROM candidates s JOIN {quote(Notice._meta.db_table)} n ON n.id = s.id
            WHERE {" AND ".join(where)}
            ORDER BY s.score DESC, n.published_at DESC, n.id DESC
            LIMIT %s
        ) h
        JOIN {TABLE} f ON f.{backend.key} = h.id
        LEFT JOIN {quote(CatalogNode._meta.db_table)} c ON c.id = f.top_node_id
        LEFT JOIN {quote(Organization._meta.db_table)} o ON o.id = f.organization_id
        ORDER BY h.score DESC, h.published_at DESC, h.id DESC
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, RESULT_CAP + 1])
        rows = cursor.fetchall()
    cut_off = bool(rows) and rows[0][-1] >= CANDIDATES
    return [row[:-1] for row in rows], cut_off


_FACET_LABELS = {"catalog": _("Catalog"), "organization": _("Issuing organisation"),
                 "kind": _("Kind"), "year": _("Year published")}  # fmt: skip


def _facet_values(name: str, counter: Counter, labels: dict) -> list[FacetValue]:
    if name == "kind":
        kinds = dict(Notice.Kind.choices)
        labels = {key: str(kinds.get(key, key)) for key in counter}
    values = [FacetValue(key, str(labels[key] or ""), n) for key, n in counter.items()]
    if name == "year":
        return sorted(values, key=lambda value: value.key, reverse=True)
    return sorted(values, key=lambda value: (-value.count, value.label))


def _facets(rows: list[tuple], filters: SearchFilters) -> list[Facet]:
    """- Counted over the ranked rows; each facet's values by count, years newest first."""
    counts: dict[str, Counter] = {name: Counter() for name in _FACET_LABELS}
    labels: dict[str, dict] = {name: {} for name in _FACET_LABELS}
    for _id, node, node_name, org, short_name, org_name, kind, year in rows:
        for name, key, label in (("catalog", node, node_name), ("kind", kind, kind),
                                 ("organization", org, short_name or org_name),
                                 ("year", year, year)):  # fmt: skip
            counts[name][key] += 1
            labels[name][key] = label
    facets = []
    for name, title in _FACET_LABELS.items():
        values = _facet_values(name, counts[name], labels[name])
        chosen = getattr(filters, name)
        selected = next((value for value in values if str(value.key) == str(chosen)), None)
        # The most frequent values only: at a county's scale the organisation facet would
        # list hundreds of villages, which no one reads on a phone.
        facets.append(Facet(name, title, values[:FACET_VALUES], chosen is not None, selected))
    return facets


def _page_notices(ids: list[int]) -> list[Notice]:
    """The page's notices, in rank order, each with `body_text` and `attachment_text`."""
    key = _backend().key
    notice_id = f"{connection.ops.quote_name(Notice._meta.db_table)}.id"

    def stored(column: str) -> RawSQL:
        return RawSQL(f"SELECT {column} FROM {TABLE} WHERE {TABLE}.{key} = {notice_id}", ())

    notices = (
        Notice.objects.filter(pk__in=ids)
        .for_list()
        .order_by()  # put in rank order below
        .annotate(body_text=stored("body_text"), attachment_text=stored("attachment_text"))
    )
    by_id = {notice.pk: notice for notice in notices}
    return [by_id[pk] for pk in ids if pk in by_id]


def search(
    query: str,
    *,
    scope_org_ids: Iterable[int] | None = None,
    filters: SearchFilters | None = None,
    page: int | str | None = 1,
    now: datetime | None = None,
    remember: Callable[[str, Callable], object] | None = None,
) -> SearchResult:
    """The public notices that contain every word of `query`, best first, one page of them.

    - `scope_org_ids`: only notices of these organisations (the /org/<slug>/ pages).
    - `filters`: narrow by top-level catalog node, organisation, kind and publish year.
    - Two SQL queries (none when the query has no words): the best RESULT_CAP + 1
      matches, which give the count and facets, then the page's notices and texts.
    - `page` out of range gives the last page, as `Paginator.get_page` does.
    - `remember(name, compute)`: keeps the ranked matches (portal.public.remember keeps
      them per public version, so a search made again before the next publication skips
      the ranking query; the page's notices are still read).
    """
    words = query_words(query)
    rows: list[tuple] = []
    filters = filters or SearchFilters()
    scope = None if scope_org_ids is None else set(scope_org_ids)
    cut_off = False
    if words and scope != set():

        def rank() -> tuple[list[tuple], bool]:
            return _ranked(words, scope_org_ids=scope, filters=filters, now=now or timezone.now())

        if remember is None:
            rows, cut_off = rank()
        else:
            terms = [word.terms() for word in words]
            name = repr((terms, sorted(scope) if scope is not None else None, filters))
            rows, cut_off = remember(
                "search:" + hashlib.sha256(name.encode()).hexdigest()[:32], rank
            )
    capped = len(rows) > RESULT_CAP or cut_off
    rows = rows[:RESULT_CAP]
    paginator = Paginator(range(len(rows)), PAGE_SIZE)
    number = paginator.get_page(page).number
    start = (number - 1) * PAGE_SIZE
    ids = [row[0] for row in rows[start : start + PAGE_SIZE]]
    highlighter = Highlighter(words)
    hits = [highlighter.hit(notice) for notice in _page_notices(ids)] if ids else []
    return SearchResult(
        words=words,
        page=Page(hits, number, paginator),
        total=len(rows),
        capped=capped,
        facets=_facets(rows, filters),
    )


# --- fragments and highlighting -----------------------------------------------------------------


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


# --- the page ------------------------------------------------------------------------------------


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search notices"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("E.g. 低保, 预算, 征地")}),
    )
    catalog = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    organization = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    kind = forms.ChoiceField(required=False, choices=Notice.Kind.choices)
    year = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=2100)

    def clean_q(self) -> str:
        # A long paste is cut, not refused: its first words are what the person meant.
        return " ".join(self.cleaned_data["q"].split())[:MAX_QUERY_CHARS]

    def filters(self) -> SearchFilters:
        """The valid facet values; an invalid one (a hand-edited link) is simply ignored."""
        data = self.cleaned_data
        return SearchFilters(
            catalog=data.get("catalog"),
            organization=data.get("organization"),
            kind=data.get("kind") or None,
            year=data.get("year"),
        )


def _query_string(params: QueryDict, *, drop: Iterable[str] = (), **values: str) -> str:
    query = params.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    for name, value in values.items():
        query[name] = value
    return query.urlencode()


def _value_query_strings(params: QueryDict, name: str, values: list[str]) -> list[str]:
    """_query_string(params, **{name: value}) for each value: a facet has hundreds of
    values, so the parameters around `name`'s are encoded once, not once per value."""
    query = params.copy()
    query.pop("page", None)
    query[name] = "\x00"  # keeps the parameter's place, as _query_string does
    parts = query.urlencode().split("&")  # "&" inside a name or value is encoded
    place = parts.index(urlencode({name.encode(): b"\x00"}))
    before, after = parts[:place], parts[place + 1 :]
    return [
        "&".join([*before, urlencode({name.encode(): value.encode()}), *after]) for value in values
    ]


def _link_facets(result: SearchResult, params: QueryDict) -> None:
    for facet in result.facets:
        facet.remove_url = "?" + _query_string(params, drop=[facet.name])
        keys = [str(value.key) for value in facet.values]
        for value, query in zip(
            facet.values, _value_query_strings(params, facet.name, keys), strict=True
        ):
            value.url = "?" + query


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """/search/?q=…: public notices containing every word, with facets and suggestions."""
    form = SearchForm(request.GET)
    form.is_valid()  # cleaned_data then holds every valid field
    query = form.cleaned_data.get("q", "")
    context: dict = {"form": form, "query": query, "examples": EXAMPLE_SEARCHES}
    if query:
        scope = get_scope(request)
        filters = form.filters()
        result = search(
            query,
            scope_org_ids=None
            if scope.is_site_root or scope.organization is None
            else scope.organization_ids,
            filters=filters,
            page=request.GET.get("page"),
            remember=lambda name, compute: remember(request, name, compute),
        )
        _link_facets(result, request.GET)
        context.update(
            result=result,
            cap=RESULT_CAP,
            query_string=_query_string(request.GET),
            filtered=bool(filters.columns()),
            unfiltered_url="?" + QueryDict.fromkeys(["q"], query).urlencode(),
            single_words=[w.word for w in result.words] if len(result.words) > 1 else [],
        )
    response = render(request, "disclosure/search.html", context)
    # Queries are whatever people type: cached, they would push the catalog pages out of
    # the whole-page cache (config.pagecache), and a search is cheap enough uncached.
    response.no_page_cache = True
    return response
