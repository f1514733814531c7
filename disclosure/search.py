"""Full-text search of public notices (/search/), for Chinese text.

- Text is cut into words by jieba and stored space-separated, so the database only splits
  on spaces. The index uses search mode (a long word also yields its dictionary sub-words:
  低保户 gives 低保, 保户, 低保户); the query uses precise mode, and every one of its words
  must match (AND), best match first.
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
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import TextIO

import jieba

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
from portal.scope import get_scope

from .filters import FIRST_YEAR
from .models import Notice
from .pii import extract_text, html_text

logger = logging.getLogger(__name__)
jieba.setLogLevel(logging.WARNING)  # it announces building its dictionary on stderr

TABLE = "disclosure_search"
PAGE_SIZE = 20
RESULT_CAP = 1000  # ranked, counted and faceted; more shows as "1000+"
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
    return " ".join(token for token in jieba.cut_for_search(text) if _is_word(token))


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
    spans = [(start, end, part) for part, start, end in jieba.tokenize(word, mode="search")]
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
    for token in jieba.cut(query[:MAX_QUERY_CHARS]):
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

    def tidy(self, cursor) -> None:
        # Merge the index's b-trees after a rebuild: smaller and faster to search.
        cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")

    def score(self, words: list[QueryWord]) -> tuple[str, list]:
        # bm25() is lower for better matches; one weight per column, in the table's order
        # (the four facet columns, then title, body and attachments).
        return f"-bm25({TABLE}, 0, 0, 0, 0, 10.0, 4.0, 1.0)", []

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

    def score(self, words: list[QueryWord]) -> tuple[str, list]:
        query, params = self._query(words)
        return f"ts_rank_cd({TABLE}.document, {query})", params

    def match(self, words: list[QueryWord]) -> tuple[str, list]:
        # The same constant expression as in score(): the planner folds it once.
        query, params = self._query(words)
        return f"{TABLE}.document @@ {query}", params


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


def _attachment_text(notice: Notice) -> str:
    """Each attachment's title, then its text; ATTACHMENT_TEXT_LIMIT characters in all."""
    pieces: list[str] = []
    size = 0
    for attachment in notice.attachments.all():
        if size >= ATTACHMENT_TEXT_LIMIT:
            break
        pieces.append(attachment.display_title)
        try:
            with attachment.file.open("rb") as f:
                data = f.read()
        except OSError as error:  # a missing file must not stop a publication
            logger.warning("Search index: attachment %s unreadable (%s)", attachment.pk, error)
            continue
        for _place, text in extract_text(data, attachment.extension):
            pieces.append(text)
            size += len(text)
            if size >= ATTACHMENT_TEXT_LIMIT:
                break
    return "\n".join(pieces)[:ATTACHMENT_TEXT_LIMIT]


def _document(notice: Notice, top_node_ids: dict[str, int]) -> _Document:
    # PostgreSQL text cannot hold NUL, which PDF text sometimes does.
    body_text = "\n".join(filter(None, [notice.summary, html_text(notice.body)]))
    body_text = body_text.replace("\x00", "")[:BODY_TEXT_LIMIT]
    attachment_text = _attachment_text(notice).replace("\x00", "")
    node_path = notice.catalog_node.path
    return _Document(
        notice_id=notice.pk,
        top_node_id=top_node_ids.get(node_path.split("/")[0], notice.catalog_node_id),
        organization_id=notice.organization_id,
        kind=notice.kind,
        year=timezone.localtime(notice.published_at).year,
        title=segment(f"{notice.title} {notice.document_number}"),
        body=segment(body_text),
        attachments=segment(attachment_text),
        body_text=body_text,
        attachment_text=attachment_text,
    )


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


def _chunks(items: Iterator[Notice], size: int) -> Iterator[list[Notice]]:
    while chunk := list(islice(items, size)):
        yield chunk


def rebuild(out: TextIO, *, chunk_size: int = 200) -> int:
    """Index every public notice again, and drop the rows of any other; returns the count.

    - Notices are streamed from the database `chunk_size` at a time, never all at once,
      and each chunk is written in its own transaction: the site keeps searching and
      publishing during a long rebuild.
    - Progress (counts, time left) goes to `out`.
    - Rows of notices that are no longer public are deleted last, so a withdrawal made
      while the rebuild ran is not undone by it.
    """
    backend = _backend()
    top_node_ids = _top_node_ids()
    notices = (
        Notice.objects.filter(
            status=Notice.Status.PUBLISHED,
            disclosure_mode=Notice.Mode.PROACTIVE,
            revision_of__isnull=True,
            published_at__isnull=False,
        )
        .select_related("catalog_node")
        .prefetch_related("attachments")
        .order_by("pk")
    )
    progress = Progress("search index", notices.count(), out)
    for chunk in _chunks(notices.iterator(chunk_size=chunk_size), chunk_size):
        documents = [_document(notice, top_node_ids) for notice in chunk]
        with transaction.atomic(), connection.cursor() as cursor:
            backend.store(cursor, documents)
        progress.step(len(documents))
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


def _ranked(words, *, scope_org_ids, filters: SearchFilters, now: datetime) -> list[tuple]:
    """(id, top node id, top node name, organisation id, short name, name, kind, year) of the
    best RESULT_CAP + 1 public matches, best first."""
    backend = _backend()
    quote = connection.ops.quote_name
    score_sql, params = backend.score(words)
    match_sql, match_params = backend.match(words)
    # NoticeQuerySet.published(), in SQL: keep the two alike.
    where = [match_sql, "n.status = %s", "n.disclosure_mode = %s", "n.revision_of_id IS NULL",
             "n.published_at <= %s"]  # fmt: skip
    params += [*match_params, Notice.Status.PUBLISHED, Notice.Mode.PROACTIVE,
               connection.ops.adapt_datetimefield_value(now)]  # fmt: skip
    if scope_org_ids is not None:
        where.append(f"n.organization_id IN ({', '.join(['%s'] * len(scope_org_ids))})")
        params += sorted(scope_org_ids)
    for column, value in filters.columns():
        where.append(f"{TABLE}.{column} = %s")
        params.append(value)
    sql = f"""
        SELECT h.id, h.top_node_id, c.name, h.organization_id, o.short_name, o.name, h.kind, h.year
        FROM (
            SELECT {TABLE}.{backend.key} AS id, {score_sql} AS score, n.published_at,
                   {TABLE}.top_node_id, {TABLE}.organization_id, {TABLE}.kind, {TABLE}.year
            FROM {TABLE} JOIN {quote(Notice._meta.db_table)} n ON n.id = {TABLE}.{backend.key}
            WHERE {" AND ".join(where)}
            ORDER BY score DESC, n.published_at DESC, n.id DESC
            LIMIT %s
        ) h
        LEFT JOIN {quote(CatalogNode._meta.db_table)} c ON c.id = h.top_node_id
        LEFT JOIN {quote(Organization._meta.db_table)} o ON o.id = h.organization_id
        ORDER BY h.score DESC, h.published_at DESC, h.id DESC
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, RESULT_CAP + 1])
        return cursor.fetchall()


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
        facets.append(Facet(name, title, values, chosen is not None, selected))
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
) -> SearchResult:
    """The public notices that contain every word of `query`, best first, one page of them.

    - `scope_org_ids`: only notices of these organisations (the /org/<slug>/ pages).
    - `filters`: narrow by top-level catalog node, organisation, kind and publish year.
    - Two SQL queries (none when the query has no words): the best RESULT_CAP + 1
      matches, which give the count and facets, then the page's notices and texts.
    - `page` out of range gives the last page, as `Paginator.get_page` does.
    """
    words = query_words(query)
    rows: list[tuple] = []
    filters = filters or SearchFilters()
    scope = None if scope_org_ids is None else set(scope_org_ids)
    if words and scope != set():
        rows = _ranked(words, scope_org_ids=scope, filters=filters, now=now or timezone.now())
    capped = len(rows) > RESULT_CAP
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


def _link_facets(result: SearchResult, params: QueryDict) -> None:
    for facet in result.facets:
        facet.remove_url = "?" + _query_string(params, drop=[facet.name])
        for value in facet.values:
            value.url = "?" + _query_string(params, **{facet.name: str(value.key)})


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
    # the whole-page cache (portal.pagecache), and a search is cheap enough uncached.
    response.no_page_cache = True
    return response
