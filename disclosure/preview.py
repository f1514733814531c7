"""What a reviewer opens before signing: the notice as the public will see it, and its files.

Both views sit behind the admin's login (NoticeAdmin.get_urls) and load the notice
through `staff.get_notice_for`: whoever may see it on the staff side
(`permissions.can_view`) gets it, in any state; anyone else gets the 404 of an id
that does not exist, so nobody learns that another organisation's draft exists.

- The preview is the public page itself: the public template and the public view's
  context (`views.detail_context`), with a banner saying it is not public (or that
  it is), and its attachment links pointing here rather than at the public download,
  which refuses a notice that is not public.
- A download is the public one's response (`views.attachment_response`: attachment,
  the Chinese name, the stored type, nosniff, a CSP forbidding everything), marked
  `private, no-store`: a draft's file must not stay in a shared or browser cache.
- Neither counts a view nor is ever cached.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from catalog.models import CatalogNode

from .models import Attachment, Notice
from .staff import get_notice_for
from .views import attachment_response, detail_context, with_detail_flags

# Only this person's browser may keep it, and not even that on disk.
PRIVATE = "private, no-store"


# What a clerk calls each stored format.
KIND_WORDS = {"pdf": "PDF", "doc": "Word", "docx": "Word", "xls": "Excel", "xlsx": "Excel",
              "ofd": "OFD", "jpg": gettext_lazy("Image"), "png": gettext_lazy("Image")}  # fmt: skip


def file_summary(attachment: Attachment) -> str:
    """The file as staff see it: its name, type and size, and 下载 through the staff
    download (disclosure.preview); never the storage path."""
    kind = KIND_WORDS.get(attachment.extension, attachment.extension.upper())
    return format_html(
        '<span class="attachment-name">{}</span> <span class="attachment-meta">{}，{}</span> '
        '<a class="attachment-download" href="{}">{}<span class="visually-hidden">：{}</span></a>',
        attachment.original_name, kind, filesizeformat(attachment.size),
        download_url(attachment), _("Download"), attachment.original_name,
    )  # fmt: skip


def preview_url(notice: Notice) -> str:
    return reverse("admin:disclosure_notice_preview", args=[notice.pk])


def download_url(attachment: Attachment) -> str:
    return reverse("admin:disclosure_notice_attachment", args=[attachment.notice_id, attachment.pk])


@require_safe
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_notice_for(request.user, pk)  # 404 for whoever may not see it
    now = timezone.now()
    notice = with_detail_flags(Notice.objects.filter(pk=notice.pk)).get()
    # The public template prints the index number, which only publishing assigns; this
    # instance is only rendered, never saved.
    notice.index_number = notice.index_number or _("given when published")
    context = detail_context(request, notice, now) | {
        "preview": banner(notice, now),
        "change_url": reverse("admin:disclosure_notice_change", args=[notice.pk]),
    }
    response = render(request, "disclosure/notice_detail.html", context)
    _link_attachments_here(response, notice, context["attachments"])
    response["Cache-Control"] = PRIVATE
    return response


def banner(notice: Notice, now) -> dict:
    """What the banner says: public now, public from a set time, or not public (why)."""
    if notice.is_published(now):
        return {"public": True, "public_url": notice.get_absolute_url()}
    if notice.is_public_at(None) and notice.posting_has_ended(now):
        return {
            "public": False,
            "posting_ended": True,
            "posting_gone": notice.catalog_node.after_posting_mode()
            == CatalogNode.AfterPosting.WITHDRAWN,
        }
    return {
        "public": False,
        "scheduled_at": notice.published_at if notice.is_scheduled(now) else None,
        "status": notice.get_status_display(),
        "withdrawn": notice.status == Notice.Status.WITHDRAWN,
        "revision": notice.revision_of_id is not None,
    }


def _link_attachments_here(response: HttpResponse, notice: Notice, attachments) -> None:
    # The public template names the public download by its URL name; for a notice that
    # is not public that link is a 404. Each known link (exact, built by reverse) is
    # replaced by the staff download, the rest of the page left as rendered.
    content = response.content.decode()
    for attachment in attachments:
        public = reverse("notice-attachment", args=[notice.pk, attachment.pk])
        content = content.replace(f'href="{public}"', f'href="{download_url(attachment)}"')
    response.content = content.encode()


@require_safe
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    notice = get_notice_for(request.user, pk)  # 404 for whoever may not see it
    found = Attachment.objects.filter(notice=notice, pk=attachment_pk).first()
    if found is None:
        raise Http404
    response = attachment_response(found)
    response["Cache-Control"] = PRIVATE
    return response
