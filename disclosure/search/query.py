"""Searching: the public notices that hold every word of a query, ranked, one page of them.

- A search is two SQL queries whatever the size of the site: the ranked matches (at most
  RESULT_CAP + 1 short rows, which also give the count and the facets), then the page's
  notices with their stored text (highlighted by `highlight`).
- The work of a search is bounded, not proportional to the site: the index hands over its
  matches newest first (highest notice id: ids grow with time), narrowed by the scope and
  the facets on its own columns, and stops after CANDIDATES of them; only those are
  scored, checked against the notice table and ranked. A word with fewer matches is
  ranked exactly as if there were no bound. For a very common word (公示 is in half of
  the notices) the best matches are ranked among the newest CANDIDATES matches only,
  and the count shows as "1000+".
- What is public is decided at search time, by the notice table and the public rule
  (`public_sql(now)`), never by the index alone.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import CatalogNode, Organization

from ..models import Notice
from ..models.notices import public_sql
from .backends import TABLE, _backend
from .highlight import Highlighter
from .words import QueryWord, query_words

PAGE_SIZE = 20
RESULT_CAP = 1000  # ranked, counted and faceted; more shows as "1000+"
FACET_VALUES = 12  # shown per facet, most frequent first (years: newest first)
# Matches ranked at most, the newest (see the module's docstring). The cost of a search
# grows with this number, hardly with the site's size: on the bench's 1,000,000 notices,
# 公示 (in half of them) takes 25 ms in-process with 2000, 29 ms with 3000, 39 ms with
# 5000, of which ~13 ms are bm25()'s count of every match (its IDF), whatever this is.
CANDIDATES = 2000


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
    # The public rule as Django compiles it: it names the notice table, so the query below
    # joins that table under its own name, not an alias.
    notice = quote(Notice._meta.db_table)
    public, public_params = public_sql(now)
    where = [public]
    params += public_params
    if scope_org_ids is not None:
        where.append(f"{notice}.organization_id IN ({', '.join(['%s'] * len(scope_org_ids))})")
        params += sorted(scope_org_ids)
    # The facet columns are read for the ranked rows only, not for every candidate.
    sql = f"""
        WITH candidates AS ({candidates_sql})
        SELECT h.id, f.top_node_id, c.name, f.organization_id, o.short_name, o.name, f.kind,
               f.year, (SELECT count(*) FROM candidates)
        FROM (
            SELECT s.id, s.score, {notice}.published_at
            FROM candidates s JOIN {notice} ON {notice}.id = s.id
            WHERE {" AND ".join(where)}
            ORDER BY s.score DESC, {notice}.published_at DESC, {notice}.id DESC
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
