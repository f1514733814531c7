"""The read-only open-data API (/api/): public notices and the catalog, as JSON.

Only what the public pages show is ever served. The OpenAPI description at
/api/schema/ is written out here, next to the views it describes.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from catalog.tree import TreeNode

from .counts import public_tree
from .filters import NoticeFilter
from .models import Notice
from .publication import public_notices
from .views import CountedPaginator

MAX_PAGE_SIZE = 100


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def notice_summary(request: HttpRequest, n: Notice) -> dict:
    return {
        "id": n.pk,
        "url": request.build_absolute_uri(n.get_absolute_url()),
        "title": n.title,
        "index_number": n.index_number,
        "document_number": n.document_number,
        "kind": n.kind,
        "catalog": {"path": n.catalog_node.path, "name": n.catalog_node.name},
        "organization": {"id": n.organization_id, "name": n.organization.name},
        "published_at": _iso(n.published_at),
        "validity": n.validity,
    }


def _public(request: HttpRequest):
    return public_notices(request)


@require_safe
def notice_list(request: HttpRequest) -> JsonResponse:
    filters = NoticeFilter(
        request.GET or None,
        queryset=_public(request).for_list(),
        request=request,
        every_organization=True,
    )
    if filters.is_bound and not filters.is_valid():
        return JsonResponse({"errors": filters.errors.get_json_data()}, status=400)
    try:
        size = min(max(int(request.GET.get("page_size", 20)), 1), MAX_PAGE_SIZE)
    except ValueError:
        size = 20
    page = CountedPaginator(filters.qs, size, count=filters.count()).get_page(
        request.GET.get("page")
    )
    base = request.build_absolute_uri(request.path)
    query = request.GET.copy()

    def link(number: int) -> str:
        query["page"] = number
        return f"{base}?{query.urlencode()}"

    return JsonResponse({
        "count": page.paginator.count,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": [notice_summary(request, n) for n in page.object_list],
    }, json_dumps_params={"ensure_ascii": False})  # fmt: skip


@require_safe
def notice_detail(request: HttpRequest, pk: int) -> JsonResponse:
    notice = _public(request).select_related("catalog_node", "organization").filter(pk=pk).first()
    if notice is None:
        raise Http404
    data = notice_summary(request, notice) | {
        "summary": notice.summary,
        "body_html": notice.body,
        "written_date": _iso(notice.written_date),
        "formed_date": _iso(notice.formed_date),
        "validity_changed_on": _iso(notice.validity_changed_on),
        "attachments": [
            {"title": a.display_title, "file_name": a.original_name, "type": a.extension,
             "size": a.size, "url": request.build_absolute_uri(a.get_absolute_url())}
            for a in notice.attachments.all()
        ],
        "interpretations": list(
            public_notices(None).filter(interprets=notice).values_list("id", flat=True)
        ),
        "interprets": notice.interprets_id if notice.interprets_id and
        public_notices(None).filter(pk=notice.interprets_id).exists() else None,
    }  # fmt: skip
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _node(item: TreeNode) -> dict:
    node = item.node
    return {
        "path": node.path, "name": node.name, "count": item.count,
        "duty": {
            "content": node.content_elements, "legal_basis": node.legal_basis,
            "deadline_working_days": node.deadline_working_days,
            "audience": node.audience, "level": node.level, "refresh": node.refresh,
        } if node.has_duty else None,
        "children": [_node(child) for child in item.children],
    }  # fmt: skip


@require_safe
def catalog(request: HttpRequest) -> JsonResponse:
    tree = public_tree(request)
    return JsonResponse({"catalog": [_node(item) for item in tree.roots]},
                        json_dumps_params={"ensure_ascii": False})  # fmt: skip


@require_safe
def index(request: HttpRequest) -> JsonResponse:
    base = request.build_absolute_uri("/api/")
    return JsonResponse({"notices": base + "notices/", "catalog": base + "catalog/",
                         "schema": base + "schema/"})  # fmt: skip


def _param(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}  # fmt: skip


NOTICE_SUMMARY = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"}, "url": {"type": "string", "format": "uri"},
        "title": {"type": "string"}, "index_number": {"type": "string"},
        "document_number": {"type": "string"},
        "kind": {"type": "string", "enum": Notice.Kind.values},
        "catalog": {"type": "object", "properties": {"path": {"type": "string"},
                                                     "name": {"type": "string"}}},
        "organization": {"type": "object", "properties": {"id": {"type": "integer"},
                                                          "name": {"type": "string"}}},
        "published_at": {"type": "string", "format": "date-time"},
        "validity": {"type": "string", "enum": Notice.Validity.values},
    },
}  # fmt: skip


@require_safe
def schema(request: HttpRequest) -> JsonResponse:
    """OpenAPI 3.1 description of this API."""
    page = {"type": "object", "properties": {
        "count": {"type": "integer"}, "next": {"type": ["string", "null"]},
        "previous": {"type": ["string", "null"]},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/NoticeSummary"}},
    }}  # fmt: skip
    ok = "200"
    return JsonResponse({
        "openapi": "3.1.0",
        "info": {"title": "Township government information disclosure: open data",
                 "version": "1", "description": "Published notices and the disclosure catalog."},
        "servers": [{"url": request.build_absolute_uri("/api/")}],
        "paths": {
            "/notices/": {"get": {
                "summary": "Published notices, newest first",
                "parameters": [
                    _param("page", "Page number", {"type": "integer", "minimum": 1}),
                    _param("page_size", "At most 100", {"type": "integer", "maximum": 100}),
                    _param("q", "Words in the title", {"type": "string"}),
                    _param("catalog", "Catalog node id (includes children)", {"type": "integer"}),
                    _param("organization", "Organisation id (includes those below)",
                           {"type": "integer"}),
                    _param("kind", "Kind", {"type": "string", "enum": Notice.Kind.values}),
                    _param("year", "Year published (Beijing time)", {"type": "integer"}),
                    _param("validity", "Validity",
                           {"type": "string", "enum": Notice.Validity.values}),
                ],
                "responses": {ok: {"description": "A page of notices", "content": {
                    "application/json": {"schema": page}}},
                    "400": {"description": "Invalid filter"}},
            }},
            "/notices/{id}/": {"get": {
                "summary": "One published notice with its metadata, body and attachments",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "responses": {ok: {"description": "The notice", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/NoticeSummary"}}}},
                    "404": {"description": "No such public notice"}},
            }},
            "/catalog/": {"get": {"summary": "The disclosure catalog with public counts",
                                  "responses": {ok: {"description": "The catalog tree"}}}},
        },
        "components": {"schemas": {"NoticeSummary": NOTICE_SUMMARY}},
    }, json_dumps_params={"ensure_ascii": False})  # fmt: skip
