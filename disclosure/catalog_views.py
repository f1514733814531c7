"""The public catalog (公开目录): the tree with counts, one node's notices, its CSV.

Here rather than in `catalog`, which knows no other app of ours."""

from __future__ import annotations

import csv

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .counts import in_branch, public_tree
from .models import Notice
from .publication import public_notices
from .views import CountedPaginator

PAGE_SIZE = 20


@require_safe
def catalog_index(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/index.html", {"top_nodes": public_tree(request).roots})


@require_safe
def catalog_node(request: HttpRequest, path: str) -> HttpResponse:
    notices = public_notices(request)
    tree = public_tree(request)
    item = tree.by_path.get(path.strip("/"))
    if item is None:
        raise Http404
    node_notices = in_branch(notices, tree, item.node.path)
    paginator = CountedPaginator(node_notices.for_list(), PAGE_SIZE, count=item.count)
    page = paginator.get_page(request.GET.get("page"))
    ancestors = []
    parent_id = item.node.parent_id
    by_id = tree.by_id
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


CSV_COLUMNS = ("index_number", "title", "organization__name", "document_number",
               "written_date", "published_at", "validity")  # fmt: skip


def _csv_cell(value) -> str:
    """Text a spreadsheet will never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


@require_safe
def catalog_csv(request: HttpRequest, path: str) -> StreamingHttpResponse:
    """The node's public notices as CSV (UTF-8 with BOM, so Excel and WPS read Chinese),
    streamed in chunks."""
    notices = public_notices(request)
    tree = public_tree(request)
    item = tree.by_path.get(path.strip("/"))
    if item is None:
        raise Http404
    rows = (
        in_branch(notices, tree, item.node.path).order_by("-published_at").values_list(*CSV_COLUMNS)
    )

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())
    header = [_("Index number"), _("Title"), _("Issuing organisation"), _("Document number"),
              _("Written date"), _("Date published"), _("Validity")]  # fmt: skip
    validity = dict(Notice.Validity.choices)

    def lines():
        yield "\ufeff" + writer.writerow([str(h) for h in header])
        for row in rows.iterator(chunk_size=2000):
            *rest, published, valid = row
            published = timezone.localtime(published).strftime("%Y-%m-%d %H:%M")
            yield writer.writerow([_csv_cell(v) for v in (*rest, published, validity[valid])])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{item.node.slug}.csv"'
    return response
