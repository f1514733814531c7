"""The public catalog (公开目录): the tree with counts, and one node's notices."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from disclosure.models import Notice
from portal.scope import get_scope

from .tree import catalog_tree

PAGE_SIZE = 20


@require_safe
def catalog_index(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request)
    tree = catalog_tree(scope.filter_notices(Notice.objects.published()))
    return render(request, "catalog/index.html", {"top_nodes": tree.roots})


@require_safe
def catalog_node(request: HttpRequest, path: str) -> HttpResponse:
    scope = get_scope(request)
    notices = scope.filter_notices(Notice.objects.published())
    tree = catalog_tree(notices)
    item = tree.by_path.get(path.strip("/"))
    if item is None:
        raise Http404
    node_notices = notices.filter(catalog_node_id__in=tree.subtree_ids(item.node.path))
    page = Paginator(node_notices.for_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    ancestors = []
    parent_id = item.node.parent_id
    by_id = {i.node.pk: i for i in tree.by_path.values()}
    while parent_id:
        ancestors.insert(0, by_id[parent_id])
        parent_id = by_id[parent_id].node.parent_id
    context = {
        "item": item,
        "node": item.node,
        "ancestors": ancestors,
        "page_obj": page,
        "notices": page.object_list,
        "channels": list(item.node.channels.all()) if item.node.has_duty else [],
    }
    return render(request, "catalog/node.html", context)
