"""The page: /search/?q=…, its form, and the links of its facets.

- The query is tidied by the form (a long paste is cut, not refused); an invalid facet
  value in a hand-edited link is ignored.
- Each facet value links to the same search narrowed to it, keeping every other
  parameter in its place (the order, `sort`, too); each order links to the same search
  so ordered, facets kept; the page is never stored in the whole-page cache.
- A search that finds nothing offers a near query that does (`suggest.did_you_mean`).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from portal.public import remember
from portal.scope import get_scope

from ..models import Notice
from ..models.notices import FIRST_YEAR
from .query import RESULT_CAP, SearchFilters, SearchResult, Sort, search
from .suggest import did_you_mean
from .words import MAX_QUERY_CHARS

# Shown on the empty search page and when nothing is found.
EXAMPLE_SEARCHES = ("低保", "征地", "危房改造", "预算", "招聘")


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
    sort = forms.ChoiceField(required=False, choices=Sort.CHOICES)

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

    def order(self) -> str:
        """Sort.RELEVANCE unless a valid other order is asked for."""
        return self.cleaned_data.get("sort") or Sort.RELEVANCE


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


def _sort_links(params: QueryDict, sort: str) -> list[dict]:
    """The same search in each order, facets kept, from its first page; the default order
    (relevance) without the parameter, so that its links stay as they were."""
    links = []
    for value, label in Sort.CHOICES:
        if value == Sort.RELEVANCE:
            query = _query_string(params, drop=["sort"])
        else:
            query = _query_string(params, sort=value)
        links.append({"label": label, "url": "?" + query, "current": value == sort})
    return links


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
        sort = form.order()
        scope_ids = (
            None if scope.is_site_root or scope.organization is None else scope.organization_ids
        )

        def remembered(name, compute):
            return remember(request, name, compute)

        result = search(
            query,
            scope_org_ids=scope_ids,
            filters=filters,
            page=request.GET.get("page"),
            remember=remembered,
            sort=sort,
        )
        _link_facets(result, request.GET)
        suggestion = None
        if not result.total:
            suggestion = did_you_mean(
                query, scope_org_ids=scope_ids, filters=filters, remember=remembered
            )
        context.update(
            result=result,
            cap=RESULT_CAP,
            query_string=_query_string(request.GET),
            filtered=bool(filters.columns()),
            unfiltered_url="?"
            + _query_string(
                QueryDict.fromkeys(["q"], query),
                **({"sort": sort} if sort != Sort.RELEVANCE else {}),
            ),
            single_words=[w.word for w in result.words] if len(result.words) > 1 else [],
            sort=sort,
            sort_links=_sort_links(request.GET, sort),
            suggestion=suggestion,
            suggestion_url="?" + _query_string(request.GET, q=suggestion) if suggestion else "",
        )
    response = render(request, "disclosure/search.html", context)
    # Queries are whatever people type: cached, they would push the catalog pages out of
    # the whole-page cache (config.pagecache), and a search is cheap enough uncached.
    response.no_page_cache = True
    return response
