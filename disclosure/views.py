"""Public notice pages: the list, one notice, and its attachments."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from portal.qr import qr_svg
from portal.scope import get_scope

from .filters import NoticeFilter
from .models import Attachment, Notice

PAGE_SIZE = 20


class PublicNoticeMixin:
    """Every public notice query starts here: published, and inside the page's scope."""

    def public_notices(self):
        return get_scope(self.request).filter_notices(Notice.objects.published())


class NoticeListView(PublicNoticeMixin, ListView):
    template_name = "disclosure/notice_list.html"
    context_object_name = "notices"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        scope = get_scope(self.request)
        self.filterset = NoticeFilter(
            self.request.GET or None,
            queryset=self.public_notices().for_list(),
            organization_ids=None if scope.is_site_root else scope.organization_ids,
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


@require_safe
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One notice. Anything not public is a 404, the same as an id that does not exist."""
    scope = get_scope(request)
    notice = (
        scope.filter_notices(Notice.objects.published())
        .select_related("catalog_node", "organization", "superseded_by", "interprets")
        .filter(pk=pk)
        .first()
    )
    if notice is None:
        return withdrawn_or_404(request, pk)
    Notice.count_view(notice.pk)
    public = Notice.objects.published()
    context = {
        "notice": notice,
        "attachments": list(notice.attachments.all()),
        # Links show only where the other end is public too.
        "interpretations": list(public.filter(interprets=notice).only("id", "title")),
        "interprets": notice.interprets
        if notice.interprets_id and notice.interprets.is_published()
        else None,
        "superseded_by": (
            notice.superseded_by
            if notice.superseded_by_id and notice.superseded_by.is_published()
            else None
        ),
        "supersedes": list(public.filter(superseded_by=notice).only("id", "title")),
        "revisions": list(
            notice.revisions.filter(status=Notice.Status.PUBLISHED).only("id", "published_at")
        ),
        "qr_svg": qr_svg(request.build_absolute_uri(notice.get_absolute_url())),
    }
    response = render(request, "disclosure/notice_detail.html", context)
    response.count_view = notice.pk  # counted again by the page cache on each hit
    return response


def withdrawn_or_404(request: HttpRequest, pk: int) -> HttpResponse:
    """A withdrawn notice keeps its page: 410 Gone, with the reason and the date."""
    notice = get_object_or_404(
        get_scope(request)
        .filter_notices(Notice.objects.withdrawn())
        .select_related("organization"),
        pk=pk,
    )
    return render(request, "disclosure/notice_withdrawn.html", {"notice": notice}, status=410)


@require_safe
def corrections(request: HttpRequest) -> HttpResponse:
    """更正与撤回: every withdrawal and every published revision, newest first."""
    scope = get_scope(request)
    withdrawn = scope.filter_notices(Notice.objects.withdrawn()).select_related("organization")
    revised = scope.filter_notices(
        Notice.objects.filter(
            status=Notice.Status.PUBLISHED, revision_of__isnull=False,
            revision_of__in=Notice.objects.published(),
        )
    ).select_related("organization", "revision_of")  # fmt: skip
    entries = sorted(
        [(n.withdrawn_at, "withdrawn", n) for n in withdrawn[:200]]
        + [(r.published_at, "revised", r) for r in revised[:200]],
        key=lambda entry: entry[0],
        reverse=True,
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "disclosure/corrections.html", {"page_obj": page})


@require_safe
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Serve an attachment of a public notice; anything else is a 404.

    - `Content-Disposition: attachment` with the Chinese file name (RFC 5987),
    - the type we determined from the content at upload, `nosniff`,
    - a CSP that forbids everything, in case a browser renders it anyway.
    """
    scope = get_scope(request)
    attachment = get_object_or_404(
        Attachment.objects.filter(
            notice__in=scope.filter_notices(Notice.objects.published()).values("id")
        ).filter(Q(notice_id=pk)),
        pk=attachment_pk,
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
