"""Public notice pages: the list, one notice, and its attachments."""

from __future__ import annotations

import hashlib

from django.core.paginator import Paginator
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from catalog.models import CatalogNode
from portal.downloads import file_download
from portal.public import remember
from portal.qr import qr_svg
from portal.scope import get_scope

from .counts import scope_key
from .filters import NoticeFilter
from .models import Attachment, Notice
from .models.notices import NoticeQuerySet
from .publication import public_notices, public_q
from .viewcounts import record_view

PAGE_SIZE = 20


class PublicNoticeMixin:
    """Every public notice query starts here: published, and inside the page's scope."""

    def public_notices(self):
        return public_notices(self.request)


class CountedPaginator(Paginator):
    """A paginator told its count, rather than running COUNT over every public notice;
    a page of notices is read ids first (NoticeQuerySet.rows)."""

    def __init__(self, *args, count: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.count = count  # shadows the cached_property

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if isinstance(rows, NoticeQuerySet):
            rows = rows.rows(bottom, top)
        else:
            rows = rows[bottom:top]
        return self._get_page(rows, number, self)


class NoticeListView(PublicNoticeMixin, ListView):
    """All public notices, newest first, filtered: the site-and-version query and the
    page's rows; the count and the filter's choices come from the per-version cache."""

    template_name = "disclosure/notice_list.html"
    context_object_name = "notices"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.filterset = NoticeFilter(
            self.request.GET or None,
            queryset=self.public_notices().for_list(),
            request=self.request,
        )
        return self.filterset.qs

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kw):
        return CountedPaginator(
            queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page,
            count=self.filterset.count(),
        )  # fmt: skip

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        # The form has a hundred options, each rendered through a template: the same HTML
        # for every page of the same filter, so it is rendered once per public version.
        name = f"{get_language()}:{scope_key(self.request)}:{context['query_string']}"
        digest = hashlib.sha256(name.encode()).hexdigest()[:32]
        context["filter_form"] = remember(
            self.request,
            f"notice-filter-form:{digest}",
            lambda: render_to_string(
                "disclosure/_notice_filter.html", {"filter": self.filterset}, self.request
            ),
        )
        return context


_NOTICE = Notice._meta.db_table
_HAS_ATTACHMENTS = RawSQL(
    f'EXISTS (SELECT 1 FROM "{Attachment._meta.db_table}" a WHERE a.notice_id = "{_NOTICE}".id)',
    (),
    output_field=BooleanField(),
)
# Any notice that interprets, replaces or revises this one, public or not: the query for
# the links themselves applies the public rule.
_HAS_LINKS = RawSQL(
    f'EXISTS (SELECT 1 FROM "{_NOTICE}" r WHERE r.interprets_id = "{_NOTICE}".id'
    f' OR r.superseded_by_id = "{_NOTICE}".id OR r.revision_of_id = "{_NOTICE}".id)',
    (),
    output_field=BooleanField(),
)


def with_detail_flags(notices: NoticeQuerySet) -> NoticeQuerySet:
    """What `detail_context` needs of a notice: its node and organisation, and whether it
    has attachments or anything links to it, in the query that fetches it. (Plain SQL for
    the two flags: the ORM's Exists costs more to compile than the database takes to
    answer.)"""
    return notices.select_related("catalog_node", "organization").annotate(
        has_attachments=_HAS_ATTACHMENTS, has_links=_HAS_LINKS
    )


def detail_context(request: HttpRequest, notice: Notice, now) -> dict:
    """The context of templates/disclosure/notice_detail.html for `notice` (fetched through
    `with_detail_flags`): the public page and the staff preview (disclosure.preview) show
    the same page. The lists are fetched only when there are some, so most notices take
    the notice's own query alone."""
    context = {
        "notice": notice,
        "attachments": list(notice.attachments.all()) if notice.has_attachments else [],
        "qr_svg": qr_svg(request.build_absolute_uri(notice.get_absolute_url())),
    }
    # Links show only where the other end is public too.
    links = [notice.interprets_id, notice.superseded_by_id]
    related: list[Notice] = []
    if notice.has_links or any(links):
        related = list(
            Notice.objects.filter(
                public_q(now)
                & (
                    Q(pk__in=[pk for pk in links if pk])
                    | Q(interprets=notice)
                    | Q(superseded_by=notice)
                )
                | Q(revision_of=notice, status=Notice.Status.PUBLISHED)
            ).only(
                "id", "title", "published_at", "interprets_id", "superseded_by_id", "revision_of_id"
            )  # fmt: skip
        )
    return context | {
        "interprets": next((n for n in related if n.pk == notice.interprets_id), None),
        "superseded_by": next((n for n in related if n.pk == notice.superseded_by_id), None),
        "interpretations": [n for n in related if n.interprets_id == notice.pk],
        "supersedes": [n for n in related if n.superseded_by_id == notice.pk],
        "revisions": sorted(
            (n for n in related if n.revision_of_id == notice.pk),
            key=lambda n: (n.published_at, n.pk),
            reverse=True,
        ),
    }


@require_safe
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One notice. Anything not public is a 404, the same as an id that does not exist."""
    scope = get_scope(request)
    now = timezone.now()
    public = Notice.objects.published(now)
    notice = with_detail_flags(scope.filter_notices(public)).filter(pk=pk).order_by()[:1]
    notice = notice[0] if notice else None
    if notice is None:
        return posting_ended(request, pk, now) or withdrawn_or_404(request, pk)
    record_view(notice.pk)
    context = detail_context(request, notice, now)
    response = render(request, "disclosure/notice_detail.html", context)
    response.count_view = notice.pk  # counted again by the page cache on each hit
    return response


def posting_ended(request: HttpRequest, pk: int, now) -> HttpResponse | None:
    """A 公示 whose posting period is over keeps only what may stay public long term, as
    its catalog node says (CatalogNode.after_posting): a summary page (title, organisation,
    dates; never the body, the list or its files), or a 410 like a withdrawn notice that
    names nothing of it. None when `pk` is no such 公示."""
    ended = (
        get_scope(request)
        .filter_notices(Notice.objects.posting_ended(now))
        .select_related("organization", "catalog_node")
        .only(*POSTING_SUMMARY_FIELDS)
        .filter(pk=pk)
        .first()
    )
    if ended is None:
        return None
    gone = ended.catalog_node.after_posting_mode() == CatalogNode.AfterPosting.WITHDRAWN
    return render(
        request,
        "disclosure/notice_posting_ended.html",
        {"notice": ended, "gone": gone},
        status=410 if gone else 200,
    )


# All an ended 公示's page reads: what may stay public long term, nothing else loaded.
POSTING_SUMMARY_FIELDS = (
    "id", "title", "kind", "index_number", "published_at", "posting_working_days",
    "posting_ends_on", "organization", "catalog_node", "organization__name",
    "catalog_node__name", "catalog_node__path", "catalog_node__parent_id",
    "catalog_node__after_posting", "revision_of_id",
)  # fmt: skip


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
            revision_of__in=public_notices(None),
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
    attachment = get_object_or_404(
        Attachment.objects.filter(notice__in=public_notices(request).values("id")).filter(
            Q(notice_id=pk)
        ),
        pk=attachment_pk,
    )
    return attachment_response(attachment)


def attachment_response(attachment: Attachment) -> FileResponse:
    """The download of one attachment with the headers that keep it a download: the
    public one above and the staff one (disclosure.preview) send the same, those of every
    file the portal serves (portal.downloads)."""
    return file_download(
        attachment.file.open("rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
