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
- Ranked by WEIGHTS: the text score, the title, the catalog node, and recency (or the
  year the query names), one SQL for both databases; or newest first (Sort.TIME, with no
  text score computed). The parts read only the rows the public rule reads already (the
  candidates' notice rows) and their catalog nodes: on the bench's 1,000,000 notices
  they add 1–4 ms of CPU to a 20–55 ms ranking (`python -m bench.search`).
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
from ..models.notices import FIRST_YEAR, public_sql
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


class Sort:
    """How the results are ordered: the `sort` parameter's values."""

    RELEVANCE = "relevance"
    TIME = "time"
    CHOICES = ((RELEVANCE, _("By relevance")), (TIME, _("By date")))


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
    sort: str = Sort.RELEVANCE


# The ranking of a match, the same SQL on both databases: a weighted sum of parts that
# each run from 0 to 1 (the weights add up to 1).
# - text: the database's own score of the words in title, body and attachments (bm25()
#   or ts_rank_cd(), column weights backends.TEXT_WEIGHTS), divided by the best among the
#   ranked matches, so that the two scales weigh alike;
# - title: the share of the query's words in the title or document number;
# - node: the share of them in the name of the notice's catalog node (低保 for the lists
#   under 低保、五保与救助, whose titles say 最低生活保障);
# - time: 1 / (1 + age / RECENCY_DAYS): 1 today, 1/2 at RECENCY_DAYS, 1/3 at twice that;
#   or, when the query names a year (2025年预算), 1 for notices of that year (published
#   in it, or naming it in the title) and 0 for the others, so that the year outweighs age.
WEIGHTS = {"text": 0.4, "title": 0.3, "node": 0.1, "time": 0.2}
RECENCY_DAYS = 365


def query_years(words: list[QueryWord], today: int) -> list[int]:
    """The years the query names (2025 in 2025年预算), from FIRST_YEAR to next year."""
    return sorted(
        {int(w.word) for w in words if w.word.isdigit() and FIRST_YEAR <= int(w.word) <= today + 1}
    )


def _like(text: str) -> str:
    """A LIKE pattern that finds `text` anywhere, lower-cased, with ESCAPE '\\'."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _share(column: str, words: list[QueryWord]) -> tuple[str, list]:
    """SQL: the share of `words` found in `column` (0 to 1), and its parameters."""
    cases = [f"CASE WHEN lower({column}) LIKE %s ESCAPE '\\' THEN 1 ELSE 0 END" for _ in words]
    return f"(({' + '.join(cases)}) * 1.0 / {len(words)})", [_like(w.word) for w in words]


def _narrowing(scope_org_ids, filters: SearchFilters) -> tuple[list[str], list]:
    """Conditions on the index's own columns for the scope and the facets."""
    narrow: list[str] = []
    params: list = []
    if scope_org_ids is not None:
        places = ", ".join(["%s"] * len(scope_org_ids))
        narrow.append(f"{TABLE}.organization_id IN ({places})")
        params += sorted(scope_org_ids)
    for column, value in filters.columns():
        narrow.append(f"{TABLE}.{column} = %s")
        params.append(value)
    return narrow, params


def _public_where(scope_org_ids, now: datetime) -> tuple[list[str], list]:
    """Conditions on the notice table (under its own name): public now, in scope."""
    public, params = public_sql(now)
    where = [public]
    if scope_org_ids is not None:
        notice = connection.ops.quote_name(Notice._meta.db_table)
        where.append(f"{notice}.organization_id IN ({', '.join(['%s'] * len(scope_org_ids))})")
        params = [*params, *sorted(scope_org_ids)]
    return where, params


def _rank_parts(words: list[QueryWord], now: datetime) -> tuple[str, list]:
    """SQL: the relevance of a candidate but for its text score (see WEIGHTS), over the
    notice table and its catalog node `cn`, and its parameters."""
    notice = connection.ops.quote_name(Notice._meta.db_table)
    title, title_params = _share(f"{notice}.title || ' ' || {notice}.document_number", words)
    node, node_params = _share("cn.name", words)
    years = query_years(words, timezone.localtime(now).year)
    if years:
        zone = timezone.get_current_timezone()
        spans, time_params = [], []
        for year in years:
            spans.append(f"({notice}.published_at >= %s AND {notice}.published_at < %s)")
            time_params += [
                connection.ops.adapt_datetimefield_value(datetime(y, 1, 1, tzinfo=zone))
                for y in (year, year + 1)
            ]
        named, named_params = _share(f"{notice}.title", [QueryWord(str(year)) for year in years])
        time = f"(CASE WHEN {' OR '.join(spans)} OR {named} > 0 THEN 1.0 ELSE 0.0 END)"
        time_params += named_params
    else:
        days = _backend().days_since("%s", f"{notice}.published_at")
        time = f"(1.0 / (1.0 + (CASE WHEN {days} > 0 THEN {days} ELSE 0 END) / {RECENCY_DAYS}))"
        time_params = [connection.ops.adapt_datetimefield_value(now)] * 2
    sql = (
        f"{WEIGHTS['title']} * {title} + {WEIGHTS['node']} * COALESCE({node}, 0)"
        f" + {WEIGHTS['time']} * {time}"
    )
    return sql, [*title_params, *node_params, *time_params]


def _ranked(
    words, *, scope_org_ids, filters: SearchFilters, now: datetime, sort: str = Sort.RELEVANCE
) -> tuple[list[tuple], bool]:
    """- (id, top node id, top node name, organisation id, short name, name, kind, year) of
      the best RESULT_CAP + 1 public matches among the newest CANDIDATES, best first (or
      newest first, by `sort`).
    - And whether CANDIDATES were cut off: more notices matched than were ranked."""
    backend = _backend()
    quote = connection.ops.quote_name
    by_time = sort == Sort.TIME
    # The scope and the facets narrow the candidates already, on the index's own columns;
    # the notice table then decides, as always, what is public and in scope now.
    narrow, narrow_params = _narrowing(scope_org_ids, filters)
    candidates_sql, params = backend.candidates(words, narrow, narrow_params, scored=not by_time)
    params.append(CANDIDATES)
    # The public rule as Django compiles it: it names the notice table, so the query below
    # joins that table under its own name, not an alias.
    notice = quote(Notice._meta.db_table)
    where, where_params = _public_where(scope_org_ids, now)
    if by_time:
        parts, parts_params = "0.0", []
    else:
        parts, parts_params = _rank_parts(words, now)
    # Every part is read from the row of each candidate in the notice table (which the
    # public rule reads anyway) and in the catalog node table (a few hundred rows); the
    # text score is divided by the best one, a window over the public candidates.
    order = "published_at DESC, id DESC" if by_time else "rank DESC, published_at DESC, id DESC"
    sql = f"""
        WITH candidates AS ({candidates_sql})
        SELECT h.id, f.top_node_id, c.name, f.organization_id, o.short_name, o.name, f.kind,
               f.year, (SELECT count(*) FROM candidates)
        FROM (
            SELECT id, published_at, rank
            FROM (
                SELECT id, published_at,
                       {WEIGHTS["text"]} * COALESCE(score / NULLIF(MAX(score) OVER (), 0), 0)
                       + parts AS rank
                FROM (
                    SELECT s.id, s.score, {notice}.published_at, {parts} AS parts
                    FROM candidates s JOIN {notice} ON {notice}.id = s.id
                    LEFT JOIN {quote(CatalogNode._meta.db_table)} cn
                        ON cn.id = {notice}.catalog_node_id
                    WHERE {" AND ".join(where)}
                ) p
            ) r
            ORDER BY {order}
            LIMIT %s
        ) h
        JOIN {TABLE} f ON f.{backend.key} = h.id
        LEFT JOIN {quote(CatalogNode._meta.db_table)} c ON c.id = f.top_node_id
        LEFT JOIN {quote(Organization._meta.db_table)} o ON o.id = f.organization_id
        ORDER BY {", ".join("h." + term for term in order.split(", "))}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *parts_params, *where_params, RESULT_CAP + 1])
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
    sort: str = Sort.RELEVANCE,
) -> SearchResult:
    """The public notices that contain every word of `query`, best first, one page of them.

    - `scope_org_ids`: only notices of these organisations (the /org/<slug>/ pages).
    - `filters`: narrow by top-level catalog node, organisation, kind and publish year.
    - `sort`: Sort.RELEVANCE (WEIGHTS) or Sort.TIME (newest first).
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
            return _ranked(
                words, scope_org_ids=scope, filters=filters, now=now or timezone.now(), sort=sort
            )

        if remember is None:
            rows, cut_off = rank()
        else:
            terms = [word.terms() for word in words]
            name = repr((terms, sorted(scope) if scope is not None else None, filters, sort))
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
        sort=sort,
    )
